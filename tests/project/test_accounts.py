"""Issue 18, accounts and people: one's own account page, and township officers
managing their staff without the Django admin — inside their own scope only."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from grids.accounts.services import staff_assign, staff_create, staff_password_reset
from grids.models import PasswordRecord, StaffAssignment, StaffProfile, StaffRole
from services.models import ReminderChoice
from tests.factories import UserFactory, assign, make_unit

User = get_user_model()


def test_my_account_page_saves_name_email_phone_and_digest_choices(client, cast):
    client.force_login(cast.grid_a)
    page = client.get(reverse("account"))
    assert page.status_code == 200 and "grid_a" in page.content.decode()
    bad = client.post(reverse("account"), {"first_name": "陆", "email": "not-an-address",
                                           "phone": "abc"})  # fmt: skip
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {
        "email",
        "phone",
    }
    response = client.post(reverse("account"), {"first_name": "陆晓东",
                           "email": "lu@example.cn", "phone": "021-5555 1234"})  # fmt: skip
    assert response.status_code == 302
    cast.grid_a.refresh_from_db()
    assert (cast.grid_a.first_name, cast.grid_a.email) == ("陆晓东", "lu@example.cn")
    assert StaffProfile.objects.get(user=cast.grid_a).phone == "021-5555 1234"
    assert LogEntry.objects.get_for_object(cast.grid_a).exists()  # in the history
    chosen = client.post(reverse("inbox_email"), {"email": ["birthday"]})
    assert chosen.url == reverse("account")
    assert ReminderChoice.objects.get(user=cast.grid_a, rule="birthday").email
    assert "checked" in client.get(reverse("account")).content.decode()


def test_an_officer_creates_a_worker_who_must_choose_a_password_at_first_login(
    client, cast
):
    client.force_login(cast.officer)
    assert client.get(reverse("staff_new")).status_code == 200
    page = client.post(reverse("staff_new"), {
        "username": "wang.grid", "first_name": "王网格", "phone": "13800001111",
        "role": StaffRole.GRID_WORKER, "unit": cast.tree["grid_B"].pk,
    })  # fmt: skip
    assert page.status_code == 200
    password = page.context["password"]
    assert password in page.content.decode()
    worker = User.objects.get(username="wang.grid")
    assert list(worker.assignments.values_list("unit", "role")) == [
        (cast.tree["grid_B"].pk, StaffRole.GRID_WORKER)
    ]
    assert PasswordRecord.objects.get(user=worker).must_change
    assert LogEntry.objects.get_for_object(worker).exists()
    # The first login sends the worker to choose a password, and nowhere else.
    client.logout()
    login = client.post(reverse("login"), {"username": "wang.grid", "password": password})
    assert login.status_code == 302
    assert client.get(reverse("home")).url == reverse("password_change")
    changed = client.post(reverse("password_change"), {
        "old_password": password, "new_password1": "Xin-Mima-2026", "new_password2": "Xin-Mima-2026",
    })  # fmt: skip
    assert changed.status_code == 302
    assert not PasswordRecord.objects.get(user=worker).must_change
    assert client.get(reverse("home")).status_code == 200


def test_an_officer_cannot_grant_outside_their_scope_or_an_officers_role(client, cast):
    elsewhere = make_unit("别的镇", "township")
    other_grid = make_unit("别的网格", "grid", elsewhere)
    client.force_login(cast.officer)
    page = client.post(reverse("staff_new"), {
        "username": "outside1", "first_name": "外人", "role": StaffRole.GRID_WORKER,
        "unit": other_grid.pk,
    })  # fmt: skip
    assert page.status_code == 200 and "unit" in page.context["form"].errors
    assert not User.objects.filter(username="outside1").exists()
    with pytest.raises(ValidationError) as refused:
        staff_create(by=cast.officer, username="outside2", first_name="外人",
                     unit=other_grid, role=StaffRole.GRID_WORKER)  # fmt: skip
    assert "范围" in " ".join(refused.value.messages)
    with pytest.raises(ValidationError):
        staff_create(by=cast.officer, username="boss", first_name="升官",
                     unit=cast.tree["township"], role=StaffRole.TOWNSHIP_OFFICER)  # fmt: skip
    with pytest.raises(ValidationError):  # a role at a unit of the wrong kind
        staff_assign(by=cast.officer, user=cast.grid_a, unit=cast.tree["branch_A"],
                     role=StaffRole.GRID_WORKER)  # fmt: skip
    # A role elsewhere through the page is refused too.
    role = client.post(reverse("staff_detail", args=[cast.grid_a.pk]),
                       {"role": StaffRole.GRID_WORKER, "unit": other_grid.pk})  # fmt: skip
    assert role.status_code == 200 and role.context["form"].errors
    assert cast.grid_a.assignments.count() == 1


def test_an_officer_resets_deactivates_and_scopes_roles(client, cast):
    client.force_login(cast.officer)
    listing = client.get(reverse("staff_list")).content.decode()
    assert "grid_a" in listing and "secretary_a" in listing
    reset = client.post(reverse("staff_reset", args=[cast.grid_a.pk]))
    assert reset.status_code == 200
    assert PasswordRecord.objects.get(user=cast.grid_a).must_change
    cast.grid_a.refresh_from_db()
    assert cast.grid_a.check_password(reset.context["password"])
    given = client.post(reverse("staff_detail", args=[cast.grid_a.pk]),
                        {"role": StaffRole.COMMUNITY_WORKER, "unit": cast.tree["community_A"].pk})  # fmt: skip
    assert given.status_code == 302 and cast.grid_a.assignments.count() == 2
    first = cast.grid_a.assignments.get(role=StaffRole.GRID_WORKER)
    client.post(reverse("staff_role_remove", args=[cast.grid_a.pk, first.pk]))
    only = cast.grid_a.assignments.get()
    refused = client.post(reverse("staff_role_remove", args=[cast.grid_a.pk, only.pk]),
                          follow=True)  # fmt: skip
    assert "停用" in refused.content.decode()  # the last role stays: deactivate instead
    assert StaffAssignment.objects.filter(pk=only.pk).exists()
    client.post(reverse("staff_active", args=[cast.grid_a.pk]), {"active": "0"})
    cast.grid_a.refresh_from_db()
    assert not cast.grid_a.is_active
    changes = LogEntry.objects.get_for_object(cast.grid_a)
    assert any("is_active" in (e.changes_dict or {}) for e in changes)


def test_officers_do_not_manage_peers_or_other_townships_staff(client, cast):
    peer = UserFactory(username="peer_officer")
    assign(peer, cast.tree["township"], StaffRole.TOWNSHIP_OFFICER)
    stranger = UserFactory(username="stranger_worker")
    assign(stranger, make_unit("别的网格", "grid", make_unit("别的镇", "township")),
           StaffRole.GRID_WORKER)  # fmt: skip
    client.force_login(cast.officer)
    assert client.get(reverse("staff_detail", args=[stranger.pk])).status_code == 404
    assert client.post(reverse("staff_reset", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("staff_detail", args=[peer.pk])).status_code == 200
    assert client.post(reverse("staff_reset", args=[peer.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        staff_password_reset(by=cast.officer, user=peer)


@pytest.mark.parametrize(
    "who", ["grid_a", "grid_b", "secretary", "leader", "community_b", "outsider"]
)
def test_the_wrong_cast_member_is_refused_the_staff_pages(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in (reverse("staff_list"), reverse("staff_new"),
                reverse("staff_detail", args=[cast.grid_a.pk])):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("staff_reset", args=[cast.grid_a.pk])).status_code == 403
    assert client.get(reverse("account")).status_code == 200  # one's own: everyone


def test_the_login_page_says_whom_to_ask_for_a_forgotten_password(client):
    page = client.get(reverse("login")).content.decode()
    assert "忘记密码" in page and "组织科" in page


def test_password_rules_speak_chinese(client, cast):
    from tests.project.crawl import problems_in

    cast.grid_a.set_password("Old-Pass-2026")
    cast.grid_a.save()
    client.force_login(cast.grid_a)
    page = client.post(reverse("password_change"), {
        "old_password": "Old-Pass-2026", "new_password1": "grid_a1", "new_password2": "grid_a1",
    })  # fmt: skip
    errors = [str(e) for e in page.context["form"].errors["new_password2"]]
    assert len(errors) >= 2
    assert problems_in(errors) == [], errors
