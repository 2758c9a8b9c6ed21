"""Reveals, the access log, change history, the bulk hook and retention (issue 5)."""

import datetime
import io
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from grids.audit import bulk_change
from grids.models import AccessLog, BulkChange, StaffRole
from members.models import Cadre
from members.services import cadre_create
from tests.factories import UserFactory, assign, make_id_number, make_unit


def reveal(client, cadre, field, **extra):
    return client.post(
        f"/cadres/{cadre.pk}/reveal/",
        {"field": field},
        REMOTE_ADDR="192.0.2.7",
        HTTP_USER_AGENT="Mozilla/5.0 (测试浏览器)",
        **extra,
    )


def test_a_reveal_shows_the_value_and_writes_exactly_one_complete_log_row(client, cast):
    client.force_login(cast.officer)
    before = client.get(f"/cadres/{cast.cadre_a.pk}/").content.decode()
    assert cast.cadre_a.id_number not in before
    response = reveal(client, cast.cadre_a, "id_number")
    assert response.status_code == 200
    assert cast.cadre_a.id_number in response.content.decode()
    assert cast.cadre_a.phone not in response.content.decode()  # only what was asked
    entry = AccessLog.objects.get()
    assert (
        entry.user,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.fields,
    ) == (
        cast.officer,
        "reveal",
        "cadre",
        str(cast.cadre_a.pk),
        "id_number",
    )
    assert entry.ip_address == "192.0.2.7"
    assert entry.user_agent == "Mozilla/5.0 (测试浏览器)"
    assert timezone.now() - entry.at < datetime.timedelta(minutes=1)
    assert entry.detail == "张三丰"


def test_reveals_follow_roles_and_scope(client, cast):
    client.force_login(cast.grid_a)
    assert reveal(client, cast.cadre_a, "phone").status_code == 200
    assert "13812348000" in reveal(client, cast.cadre_a, "phone").content.decode()
    assert reveal(client, cast.cadre_a, "id_number").status_code == 403  # officers only
    client.force_login(cast.leader)
    assert reveal(client, cast.cadre_a, "phone").status_code == 403
    client.force_login(cast.grid_b)
    assert reveal(client, cast.cadre_a, "phone").status_code == 404
    assert client.get(f"/cadres/{cast.cadre_a.pk}/reveal/").status_code in (404, 405)
    assert AccessLog.objects.filter(user=cast.grid_a).count() == 2
    assert not AccessLog.objects.exclude(user=cast.grid_a).exists()


def test_the_access_log_cannot_be_changed_or_deleted(client, admin_client, cast):
    client.force_login(cast.officer)
    reveal(client, cast.cadre_a, "id_number")
    entry = AccessLog.objects.get()
    # Through the admin.
    change = admin_client.post(
        f"/admin/grids/accesslog/{entry.pk}/change/", {"fields": "nothing"}
    )
    assert change.status_code == 403
    delete = admin_client.post(
        f"/admin/grids/accesslog/{entry.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    listing = admin_client.post(
        "/admin/grids/accesslog/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert listing.status_code in (200, 302)
    # Through the code.
    entry.fields = "nothing"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AccessLog.objects.all().delete()
    with pytest.raises(ValidationError):
        AccessLog.objects.update(fields="nothing")
    assert AccessLog.objects.get().fields == "id_number"


def test_officers_read_the_access_log_of_their_scope_only(client, cast):
    client.force_login(cast.grid_a)
    reveal(client, cast.cadre_a, "phone")
    assert client.get("/audit/access/").status_code == 403
    client.force_login(cast.officer)
    page = client.get("/audit/access/", {"user": "grid_a", "cadre": "zsf"})
    assert [e.object_id for e in page.context["page"].object_list] == [
        str(cast.cadre_a.pk)
    ]
    assert (
        client.get("/audit/access/", {"user": "nobody"}).context["page"].paginator.count
        == 0
    )
    other = UserFactory(username="other_officer")
    assign(other, make_unit("别的镇", "township"), StaffRole.TOWNSHIP_OFFICER)
    client.force_login(other)
    assert client.get("/audit/access/").context["page"].paginator.count == 0


def edit_phone(client, cadre, phone):
    form = client.get(f"/cadres/{cadre.pk}/edit/").context["form"]
    data = {
        name: (value.isoformat() if hasattr(value, "isoformat") else value)
        for name, value in form.initial.items()
        if name in form.fields and value is not None and value is not False
    }
    data.update(
        {
            "phone": phone,
            "residence_unit": cadre.residence_unit_id,
            "contacts-TOTAL_FORMS": 0,
            "contacts-INITIAL_FORMS": 0,
        }
    )
    return client.post(f"/cadres/{cadre.pk}/edit/", data)


def test_the_history_shows_old_and_new_values_a_transfer_and_an_archive(client, cast):
    client.force_login(cast.officer)
    assert edit_phone(client, cast.cadre_a, "13900001111").status_code == 302
    # A grid-2 worker cannot reach grid-1 history (the profile itself is out of scope).
    grid_b = client.__class__()
    grid_b.force_login(cast.grid_b)
    assert grid_b.get(f"/cadres/{cast.cadre_a.pk}/").status_code == 404
    client.post(
        f"/cadres/{cast.cadre_a.pk}/transfer/",
        {"to_branch": cast.tree["branch_B"].pk, "on": "2026-03-01"},
    )
    client.post(
        f"/cadres/{cast.cadre_a.pk}/archive/", {"reason": "deceased", "on": "2026-04-01"}
    )
    page = client.get(f"/cadres/{cast.cadre_a.pk}/").content.decode()
    assert "变更记录" in page
    assert "13812348000 → 13900001111" in page
    assert "社区A党支部 → 社区B党支部" in page
    assert "在册 → 已归档" in page
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Cadre),
        object_pk=str(cast.cadre_a.pk),
    )
    assert set(entries.values_list("actor", flat=True)) >= {cast.officer.pk}
    # A worker who is not an officer sees no history section.
    client.force_login(cast.grid_a)
    assert "变更记录" not in client.get(f"/cadres/{cast.cross.pk}/").content.decode()


def test_family_contact_changes_are_in_the_cadres_history(client, cast):
    from members.services import family_contacts_set

    family_contacts_set(
        cadre=cast.cadre_a,
        contacts=[{"relation": "儿子", "name": "张小", "phone": "13700000001"}],
    )
    family_contacts_set(
        cadre=cast.cadre_a,
        contacts=[{"relation": "儿子", "name": "张小", "phone": "13700000002"}],
    )
    client.force_login(cast.officer)
    page = client.get(f"/cadres/{cast.cadre_a.pk}/").content.decode()
    assert "13700000001 → 13700000002" in page


def test_a_bulk_change_is_one_event_with_set_based_rows(cast):
    before = LogEntry.objects.count()
    with bulk_change(
        kind="roster_import", actor=cast.officer, description="花名册.xlsx"
    ) as bulk:
        for i in range(3):
            cadre = cadre_create(
                name=f"导入{i}",
                id_number=make_id_number(),
                category="tuixiu",
                is_party_member=True,
                member_status="full",
                branch=cast.tree["branch_A"],
                residence_unit=cast.tree["community_A"],
            )
            bulk.add(
                object_type="cadre",
                object_id=cadre.pk,
                action="create",
                changes={"name": cadre.name},
            )
    assert LogEntry.objects.count() == before
    event = BulkChange.objects.get()
    assert (event.kind, event.rows, event.actor) == ("roster_import", 3, cast.officer)
    assert event.row_changes.count() == 3


def test_prune_keeps_six_months_at_least(cast, settings):
    old = AccessLog.objects.create(
        user=cast.officer, action="view", object_type="cadre", object_id="1"
    )
    recent = AccessLog.objects.create(
        user=cast.officer, action="view", object_type="cadre", object_id="2"
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE grids_accesslog SET at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=400), old.pk],
        )
    with pytest.raises(CommandError):
        call_command("prune_audit", "--days", "100", stdout=io.StringIO())
    assert AccessLog.objects.count() == 2
    call_command("prune_audit", "--days", "365", stdout=io.StringIO())
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_units_and_staff_assignments_have_a_history_without_tree_columns(cast):
    from grids.models import OrgUnit, StaffAssignment
    from grids.services import orgunit_move, orgunit_rename

    orgunit_rename(unit=cast.tree["community_A"], name="新社区A")
    orgunit_move(unit=cast.tree["village_A"], new_parent=cast.tree["grid_B"])
    unit_type = ContentType.objects.get_for_model(OrgUnit)
    renamed = LogEntry.objects.filter(
        content_type=unit_type, object_pk=str(cast.tree["community_A"].pk), action=1
    ).get()
    assert renamed.changes_dict == {"name": ["社区A", "新社区A"]}
    moved = LogEntry.objects.filter(
        content_type=unit_type, object_pk=str(cast.tree["village_A"].pk), action=1
    ).get()
    assert set(moved.changes_dict) == {"parent"}
    assignment_type = ContentType.objects.get_for_model(StaffAssignment)
    assert LogEntry.objects.filter(content_type=assignment_type, action=0).count() == (
        StaffAssignment.objects.count()
    )


def test_every_kind_the_code_logs_has_a_chinese_label():
    """A new object_type written to the access log must be named on its page."""
    import pathlib
    import re

    from grids.audit import ACCESS_KINDS

    root = pathlib.Path(__file__).resolve().parents[2]
    written = set()
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "access_log_record" in text or "report_download" in text:
            written |= set(re.findall(r'object_type="([a-z_]+)"', text))
    assert written and written <= set(ACCESS_KINDS), written - set(ACCESS_KINDS)


def test_the_access_log_page_shows_every_kind_with_chinese_labels_and_filters(
    client, cast
):
    from grids.audit import ACCESS_KINDS, access_log_record
    from grids.models import AccessAction

    for kind, (_label, by_cadre) in ACCESS_KINDS.items():
        access_log_record(
            user=cast.grid_a, action=AccessAction.EXPORT, object_type=kind,
            object_id=cast.cadre_a.pk if by_cadre else "2026", detail=f"细节-{kind}",
        )  # fmt: skip
    access_log_record(
        user=cast.grid_a, action=AccessAction.REFUSED, object_type="cadre_search",
        object_id="", detail="拒绝的查询",
    )  # fmt: skip
    # Made by someone outside the township: never shown.
    stranger = UserFactory(username="stranger")
    assign(stranger, make_unit("别的镇", "township"), StaffRole.GRID_WORKER)
    access_log_record(
        user=stranger, action=AccessAction.EXPORT, object_type="roster", object_id="x",
        detail="外镇导出",
    )  # fmt: skip
    client.force_login(cast.officer)
    page = client.get("/audit/access/")
    html = page.content.decode()
    assert page.context["page"].paginator.count == len(ACCESS_KINDS) + 1
    for kind, (label, _by_cadre) in ACCESS_KINDS.items():
        assert str(label) in html and f"细节-{kind}" in html
        assert not re.search(r"[A-Za-z]", str(label)), label  # translated
    assert "外镇导出" not in html
    assert "已拒绝" in html  # the refused action, in Chinese
    only = client.get("/audit/access/", {"kind": "health_record"}).context["page"]
    assert [e.object_type for e in only.object_list] == ["health_record"]
    refused = client.get("/audit/access/", {"action": "refused"}).context["page"]
    assert [e.detail for e in refused.object_list] == ["拒绝的查询"]
    assert (
        client.get("/audit/access/", {"user": "nobody"}).context["page"].paginator.count
        == 0
    )
