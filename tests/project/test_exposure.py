"""Exposure inside a scope (issue 14): each sensitive field follows the per-field
reveal rule on pages, in the edit form, in exports and in searches, for the role
that must not see it; the ID-rebuild attack recovers nothing."""

import io
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from grids.models import AccessLog, StaffAssignment, StaffRole
from members.idnumbers import check_character
from members.models import Cadre, FamilyContact
from members.services import cadre_update, family_contacts_set


@pytest.fixture
def dossier(cast):
    cadre = cast.cadre_a
    cadre_update(cadre=cadre, health_status="糖尿病", requests="希望有人陪同就医")
    family_contacts_set(
        cadre=cadre,
        contacts=[
            {"relation": "女儿", "name": "张小红", "phone": "13900001111", "phone2": ""}
        ],
    )
    cadre.refresh_from_db()
    return cadre


def _edit_page(client, user, cadre) -> str:
    client.force_login(user)
    response = client.get(reverse("members:cadre_edit", args=[cadre.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_edit_form_masks_what_the_role_may_not_reveal(client, cast, dossier):
    # A grid worker may reveal phones, not ID numbers nor health (REVEAL_ROLES).
    page = _edit_page(client, cast.grid_a, dossier)
    assert dossier.id_number not in page and dossier.id_number[:14] not in page
    assert "**************" + dossier.id_number[-4:] in page
    assert 'name="id_number"' not in page
    assert "糖尿病" not in page and "陪同就医" not in page
    assert 'name="health_status"' not in page and 'name="requests"' not in page
    assert "13812348000" in page and "13900001111" in page  # phones: allowed
    log = AccessLog.objects.get(user=cast.grid_a)
    assert (log.action, log.object_id, log.fields) == ("view", str(dossier.pk), "phone")


def test_a_blind_change_of_a_hidden_field_is_ignored(client, cast, dossier):
    client.force_login(cast.grid_a)
    page = client.get(reverse("members:cadre_edit", args=[dossier.pk]))
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data.update(
        id_number="11010519491231002X", health_status="已改", requests="已改",
        address="新地址",
        **{"contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"},
    )  # fmt: skip
    for name in ("mobility", "critically_ill", "disabled_or_cognitive", "in_hardship",
                 "is_party_member", "interests"):  # fmt: skip
        if data.get(name) in (False, "False", ""):
            data.pop(name, None)
    response = client.post(reverse("members:cadre_edit", args=[dossier.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    stored = Cadre.objects.get(pk=dossier.pk)
    assert stored.address == "新地址"
    assert (stored.id_number, stored.health_status, stored.requests) == (
        dossier.id_number, "糖尿病", "希望有人陪同就医",
    )  # fmt: skip


def test_without_the_phone_reveal_the_contacts_are_masked_and_locked(
    client, cast, dossier, settings
):
    settings.REVEAL_ROLES = {**settings.REVEAL_ROLES, "phone": ["township_officer"]}
    page = _edit_page(client, cast.secretary, dossier)
    assert "13900001111" not in page and "139****1111" in page
    assert "13812348000" not in page and 'name="phone"' not in page
    assert 'name="contacts-TOTAL_FORMS"' not in page
    assert "糖尿病" in page  # the secretary is a health role
    assert AccessLog.objects.get(user=cast.secretary).fields == "health,pension"


def test_a_role_that_may_reveal_everything_has_the_opening_logged(client, cast, dossier):
    page = _edit_page(client, cast.officer, dossier)
    assert dossier.id_number in page and "糖尿病" in page
    log = AccessLog.objects.get(user=cast.officer)
    assert (log.action, log.fields) == ("view", "id_number,phone,health,pension")


def _export(client, user) -> dict[str, dict]:
    client.force_login(user)
    response = client.get(reverse("members:cadre_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


@pytest.mark.parametrize(
    ("role", "id_full", "phone_full", "health_full"),
    [
        ("officer", True, True, True),
        ("secretary", False, True, True),
        ("grid_a", False, True, False),
        ("leader", False, False, False),
    ],
)
def test_exports_follow_the_same_field_rule_as_the_pages(
    client, cast, dossier, role, id_full, phone_full, health_full
):
    row = _export(client, getattr(cast, role))["张三丰"]
    assert (row["身份证号"] == dossier.id_number) is id_full
    if not id_full:
        assert row["身份证号"] == "*" * 14 + dossier.id_number[-4:]
    assert (row["联系电话"] == "13812348000") is phone_full
    assert (row["健康状况"] == "糖尿病") is health_full
    assert (row["本人诉求"] == "希望有人陪同就医") is health_full
    if not health_full:
        assert row["健康状况"] == row["本人诉求"] == "（无权查看）"


def _candidates(masked: str, birth) -> list[str]:
    """Every checksum-valid number that agrees with the masked tail and the birth
    date, over the address codes of the region (the attacker's guess list)."""
    tail = masked[-4:]
    found = []
    for area in range(310000, 311000):
        first17 = f"{area}{birth:%Y%m%d}{tail[:3]}"
        if check_character(first17) == tail[3]:
            found.append(first17 + tail[3])
    return found


def test_the_id_rebuild_attack_recovers_nothing(client, cast, dossier, settings):
    settings.ID_SEARCH_LIMIT_PER_HOUR = 10_000  # the suffix rule alone must hold
    attacker = cast.grid_a
    client.force_login(attacker)
    # What the attacker holds: the masked export and the birth date on the profile.
    masked = _export(client, attacker)["张三丰"]["身份证号"]
    profile = client.get(
        reverse("members:cadre_detail", args=[dossier.pk])
    ).content.decode()
    birth = dossier.birth_date
    assert birth.isoformat() in profile
    assert masked.count("*") == 14
    candidates = _candidates(masked, birth)
    assert dossier.id_number in candidates and len(candidates) > 20
    answers = set()
    for candidate in candidates:
        for query in (candidate, candidate[-10:], candidate[-5:]):
            export = client.get(reverse("members:cadre_export"), {"q": query})
            assert export.status_code == 302  # refused, back to the list
            listing = client.get(reverse("members:cadre_list"), {"q": query})
            assert list(listing.context["page"].object_list) == [], query
            text = listing.content.decode().split("<main")[-1].replace(query, "Q")
            answers.add(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text))
    # Every long search answered the same: nothing tells the true number apart.
    assert len(answers) == 1
    refused = AccessLog.objects.filter(user=attacker, action="refused")
    assert refused.count() == len(candidates) * 3 * 2
    # Up to the visible four characters the search works as before.
    listing = client.get(reverse("members:cadre_list"), {"q": dossier.id_number[-4:]})
    assert [c.pk for c in listing.context["page"].object_list] == [dossier.pk]


def test_id_searches_are_rate_limited(client, cast, dossier, settings):
    settings.ID_SEARCH_LIMIT_PER_HOUR = 5
    client.force_login(cast.officer)
    for _ in range(5):
        listing = client.get(reverse("members:cadre_list"), {"q": dossier.id_number})
        assert [c.pk for c in listing.context["page"].object_list] == [dossier.pk]
    listing = client.get(reverse("members:cadre_list"), {"q": dossier.id_number})
    assert list(listing.context["page"].object_list) == []
    assert "次数过多" in listing.content.decode()
    logs = AccessLog.objects.filter(user=cast.officer, object_type="cadre_search")
    assert list(logs.order_by("at", "pk").values_list("action", flat=True)) == (
        ["reveal"] * 5 + ["refused"]
    )


def test_a_long_search_reveals_only_inside_the_reveal_scope(client, cast, dossier):
    # An administrator of grid B may reveal IDs there, not of a cadre of grid A.
    admin_b = get_user_model().objects.create_user("admin_b", password="x-Pass-2026")
    StaffAssignment.objects.create(user=admin_b, unit=cast.tree["grid_B"],
                                   role=StaffRole.ADMINISTRATOR)  # fmt: skip
    StaffAssignment.objects.create(user=admin_b, unit=cast.tree["grid_A"],
                                   role=StaffRole.LEADER)  # fmt: skip
    client.force_login(admin_b)
    found = client.get(reverse("members:cadre_list"), {"q": dossier.id_number})
    assert list(found.context["page"].object_list) == []
    found = client.get(reverse("members:cadre_list"), {"q": cast.cadre_b.id_number})
    assert [c.pk for c in found.context["page"].object_list] == [cast.cadre_b.pk]


def test_the_change_history_admin_is_for_superusers_only(client, cast, dossier):
    staff = get_user_model().objects.create_user(
        "gridadmin", password="x-Pass-2026", is_staff=True
    )
    staff.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    StaffAssignment.objects.create(user=staff, unit=cast.tree["grid_B"],
                                   role=StaffRole.ADMINISTRATOR)  # fmt: skip
    assert LogEntry.objects.filter(object_pk=str(dossier.pk)).exists()
    client.force_login(staff)
    assert client.get("/admin/auditlog/logentry/").status_code == 403
    entry = LogEntry.objects.filter(object_pk=str(dossier.pk)).first()
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/change/").status_code in (
        302,
        403,
    )
    assert "auditlog" not in client.get("/admin/").content.decode()
    superuser = get_user_model().objects.create_superuser("root", password="x-Pass-2026")
    client.force_login(superuser)
    assert client.get("/admin/auditlog/logentry/").status_code == 200


def test_family_contact_phones_stay_masked_on_the_profile(client, cast, dossier):
    client.force_login(cast.leader)
    page = client.get(reverse("members:cadre_detail", args=[dossier.pk])).content.decode()
    assert "13900001111" not in page and "139****1111" in page
    assert FamilyContact.objects.filter(cadre=dossier).count() == 1


def test_the_admin_form_follows_the_field_rule_and_logs_its_opening(
    client, cast, dossier
):
    perms = Permission.objects.filter(
        codename__in=[
            "view_cadre",
            "change_cadre",
            "view_familycontact",
            "change_familycontact",
            "view_branchtransfer",
        ]  # fmt: skip
    )
    worker = get_user_model().objects.create_user("staff_b", password="x-Pass-2026",
                                                  is_staff=True)  # fmt: skip
    worker.user_permissions.add(*perms)
    StaffAssignment.objects.create(user=worker, unit=cast.tree["grid_A"],
                                   role=StaffRole.GRID_WORKER)  # fmt: skip
    client.force_login(worker)
    url = f"/admin/members/cadre/{dossier.pk}/change/"
    page = client.get(url).content.decode()
    assert dossier.id_number not in page and 'name="id_number"' not in page
    assert "糖尿病" not in page and 'name="health_status"' not in page
    assert 'name="phone"' in page  # a grid worker may reveal phones
    assert AccessLog.objects.get(user=worker).fields == "phone"
    # No search by ID number or phone in the admin for staff.
    found = client.get("/admin/members/cadre/", {"q": dossier.id_number})
    assert list(found.context["cl"].queryset) == []
    admin_user = get_user_model().objects.create_user("admin_a", password="x-Pass-2026",
                                                      is_staff=True)  # fmt: skip
    admin_user.user_permissions.add(*perms)
    StaffAssignment.objects.create(user=admin_user, unit=cast.tree["grid_A"],
                                   role=StaffRole.ADMINISTRATOR)  # fmt: skip
    client.force_login(admin_user)
    assert dossier.id_number in client.get(url).content.decode()
    assert (
        AccessLog.objects.get(user=admin_user).fields == "id_number,phone,health,pension"
    )
