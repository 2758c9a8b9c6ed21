"""Logins, sessions, passwords and headers (issue 5)."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from grids.models import PasswordRecord, StaffRole
from tests.factories import UserFactory, assign

PASSWORD = "Test-pass-2026"


def try_login(client, username, password, ip="10.1.1.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_the_username_not_the_office(client, cast):
    for _ in range(5):
        response = try_login(client, "grid_a", "wrong-password")
        assert response.status_code in (200, 403)
    response = try_login(client, "grid_a", PASSWORD)
    assert response.status_code == 403
    page = response.content.decode()
    assert "已被锁定" in page and "30 分钟" in page
    assert "_auth_user_id" not in client.session
    # A colleague in the same office (same IP) still logs in.
    other = client.__class__()
    response = try_login(other, "grid_b", PASSWORD)
    assert response.status_code == 302
    # The officer unlocks; the right password works again.
    officer = client.__class__()
    officer.force_login(cast.officer)
    listing = officer.get("/accounts/locked/").content.decode()
    assert "grid_a" in listing
    assert officer.post("/accounts/unlock/", {"username": "grid_a"}).status_code == 302
    assert try_login(client, "grid_a", PASSWORD).status_code == 302


def test_only_officers_unlock_and_only_inside_their_scope(client, cast, tree):
    for _ in range(5):
        try_login(client, "grid_a", "wrong")
    worker = client.__class__()
    worker.force_login(cast.grid_b)
    assert worker.get("/accounts/locked/").status_code == 403
    assert worker.post("/accounts/unlock/", {"username": "grid_a"}).status_code == 403
    from tests.factories import make_unit

    elsewhere = make_unit("别的镇", "township")
    stranger_officer = UserFactory(username="officer_elsewhere")
    assign(stranger_officer, elsewhere, StaffRole.TOWNSHIP_OFFICER)
    stranger = client.__class__()
    stranger.force_login(stranger_officer)
    assert "grid_a" not in stranger.get("/accounts/locked/").content.decode()
    assert stranger.post("/accounts/unlock/", {"username": "grid_a"}).status_code == 403
    assert try_login(client.__class__(), "grid_a", PASSWORD).status_code == 403


@override_settings(SESSION_IDLE_TIMEOUT_SECONDS=30 * 60)
def test_an_idle_session_expires_and_the_login_page_says_why(client, cast, monkeypatch):
    import gridparty.middleware as middleware

    now = [1_800_000_000.0]
    monkeypatch.setattr(middleware, "_now", lambda: now[0])
    client.force_login(cast.grid_a)
    assert client.get("/cadres/").status_code == 200
    now[0] += 29 * 60  # still active
    assert client.get("/cadres/").status_code == 200
    now[0] += 29 * 60  # 29 minutes after the last request: fine
    assert client.get("/").status_code == 200
    now[0] += 31 * 60  # idle for 31 minutes
    response = client.get("/cadres/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?expired=1")
    page = client.get(response.url).content.decode()
    assert "30 分钟没有操作" in page
    assert client.get("/").status_code == 302


def test_passwords_need_eight_characters_and_three_classes_and_differ_from_username():
    user = UserFactory.build(username="zhangwei", first_name="张伟")
    for weak in ["Ab1!", "abcdefgh", "abcdefg1", "zhangwei2026"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("Grid-2026x", user)
    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefg1", user)
    assert any("至少" in m for m in exc.value.messages)


@override_settings(PASSWORD_MAX_AGE_DAYS=90)
def test_an_old_password_must_be_changed_when_the_setting_asks(client, cast):
    record, _ = PasswordRecord.objects.update_or_create(
        user=cast.grid_a,
        defaults={"changed_at": timezone.now() - datetime.timedelta(days=91)},
    )
    client.force_login(cast.grid_a)
    response = client.get("/cadres/")
    assert response.status_code == 302 and response.url == "/accounts/password/"
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Neu-Pass-2027",
            "new_password2": "Neu-Pass-2027",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert timezone.now() - record.changed_at < datetime.timedelta(minutes=1)
    assert client.get("/cadres/").status_code == 200


def test_the_staff_ui_sends_a_strict_csp_and_the_security_headers(client, cast):
    client.force_login(cast.grid_a)
    for url in ["/", "/cadres/", f"/cadres/{cast.cadre_a.pk}/", "/accounts/password/"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        assert (
            " style=" not in html and "onchange=" not in html and "<script>" not in html
        )
    anonymous = client.__class__().get("/accounts/login/")
    assert "unsafe-inline" not in anonymous.headers["Content-Security-Policy"]


def test_every_form_carries_a_csrf_token(client, cast):
    client.force_login(cast.officer)
    for url in [
        f"/cadres/{cast.cadre_a.pk}/edit/",
        f"/cadres/{cast.cadre_a.pk}/archive/",
        f"/cadres/{cast.cadre_a.pk}/transfer/",
        "/cadres/new/",
        "/accounts/password/",
    ]:
        html = client.get(url).content.decode()
        assert html.count('name="csrfmiddlewaretoken"') >= html.count('method="post"') > 0


def test_the_admin_gets_its_own_policy_still_without_inline_script(admin_client):
    response = admin_client.get("/admin/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "script-src 'self' 'unsafe-inline'" not in csp
