"""Signing in to the cadres' own pages without a password (issue 23): a code by SMS
(the console channel) or a printed link; the limits on codes and numbers; a family
contact acting for a cadre; sessions of their own, ended by a worker."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from grids.models import AccessLog
from members.models import FamilyContact
from portal.models import PortalCode, PortalSession, PortalSignIn
from portal.selectors import COOKIE
from portal.services import PortalRefused, portal_code_check, portal_code_send
from portal.sms import ConsoleSMS

CODE = re.compile(r"(\d{6})")


@pytest.fixture(autouse=True)
def outbox():
    ConsoleSMS.outbox.clear()
    return ConsoleSMS.outbox


def _last_code(outbox, phone):
    sent_to, text = outbox[-1]
    assert sent_to == phone
    return CODE.search(text).group(1)


def _sign_in_by_code(client, outbox, phone):
    response = client.post(reverse("portal:signin"), {"phone": phone})
    assert response.status_code == 302 and response.url == reverse("portal:code")
    return client.post(reverse("portal:code"), {"code": _last_code(outbox, phone)})


def test_a_cadre_signs_in_by_code_and_sees_their_own_page(client, cast, outbox):
    response = _sign_in_by_code(client, outbox, "13812348000")  # 张三丰's own mobile
    assert response.status_code == 302 and response.url == reverse("portal:home")
    page = client.get(reverse("portal:home")).content.decode()
    assert "张三丰" in page and "李四光" not in page
    assert PortalSignIn.objects.get().cadre == cast.cadre_a
    # The portal cookie is its own: path /my/, HttpOnly, 30 days.
    cookie = client.cookies[COOKIE]
    assert cookie["path"] == "/my/" and cookie["httponly"]
    assert int(cookie["max-age"]) == 30 * 86400


def test_a_wrong_code_uses_a_try_and_five_end_the_code(cast, outbox):
    portal_code_send(phone="13812348000", address="10.0.0.1")
    good = _last_code(outbox, "13812348000")
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(PortalRefused, match=f"{left}"):
            portal_code_check(phone="13812348000", code=wrong)
    with pytest.raises(PortalRefused):
        portal_code_check(phone="13812348000", code=wrong)
    with pytest.raises(PortalRefused):  # the right code no longer works either
        portal_code_check(phone="13812348000", code=good)


def test_a_code_lives_five_minutes_and_works_once(cast, outbox):
    now = timezone.now()
    portal_code_send(phone="13812348000", address=None, now=now)
    code = _last_code(outbox, "13812348000")
    with pytest.raises(PortalRefused):
        portal_code_check(phone="13812348000", code=code,
                          now=now + datetime.timedelta(minutes=5, seconds=1))  # fmt: skip
    portal_code_send(
        phone="13812348000", address=None, now=now + datetime.timedelta(minutes=6)
    )
    code = _last_code(outbox, "13812348000")
    found = portal_code_check(phone="13812348000", code=code,
                              now=now + datetime.timedelta(minutes=7))  # fmt: skip
    assert [i.cadre for i in found] == [cast.cadre_a]
    with pytest.raises(PortalRefused):
        portal_code_check(phone="13812348000", code=code,
                          now=now + datetime.timedelta(minutes=8))  # fmt: skip


def test_one_code_a_minute_and_five_an_hour_per_number(cast, outbox):
    now = timezone.now()
    portal_code_send(phone="13812348000", address=None, now=now)
    with pytest.raises(PortalRefused, match="1分钟"):
        portal_code_send(
            phone="13812348000", address=None, now=now + datetime.timedelta(seconds=30)
        )
    for minutes in (2, 4, 6, 8):
        portal_code_send(phone="13812348000", address=None,
                         now=now + datetime.timedelta(minutes=minutes))  # fmt: skip
    with pytest.raises(PortalRefused):
        portal_code_send(
            phone="13812348000", address=None, now=now + datetime.timedelta(minutes=10)
        )
    assert len(outbox) == 5
    # An hour after the first, a code may be asked again.
    portal_code_send(
        phone="13812348000", address=None, now=now + datetime.timedelta(minutes=61)
    )


def test_twenty_codes_an_hour_per_address(cast, outbox):
    now = timezone.now()
    for n in range(20):
        portal_code_send(phone=f"1390000{n:04d}", address="10.0.0.9",
                         now=now + datetime.timedelta(seconds=n))  # fmt: skip
    with pytest.raises(PortalRefused, match="网络"):
        portal_code_send(
            phone="13812348000",
            address="10.0.0.9",
            now=now + datetime.timedelta(minutes=1),
        )
    portal_code_send(
        phone="13812348000", address="10.0.0.10", now=now + datetime.timedelta(minutes=1)
    )


def test_an_unknown_number_is_answered_alike_and_gets_nothing(client, cast, outbox):
    response = client.post(reverse("portal:signin"), {"phone": "13700001111"})
    assert response.status_code == 302 and response.url == reverse("portal:code")
    assert len(outbox) == 0
    assert PortalCode.objects.get(phone="13700001111").sent is False
    page = client.get(reverse("portal:code")).content.decode()
    assert "137****1111" in page


def test_a_landline_cannot_sign_in(client, cast, outbox):
    cast.cadre_b.phone2 = "021-59991234"
    cast.cadre_b.save()
    response = client.post(reverse("portal:signin"), {"phone": "021-59991234"})
    assert response.status_code == 200
    assert "固定电话无法接收验证码" in response.content.decode()
    assert not outbox


def test_a_family_contact_acts_for_the_cadre_and_is_shown_as_such(client, cast, outbox):
    FamilyContact.objects.create(cadre=cast.cadre_b, relation="女儿", name="李小红",
                                 phone="13900001234", may_act=True)  # fmt: skip
    FamilyContact.objects.create(cadre=cast.cadre_a, relation="儿子", name="张小明",
                                 phone="13900005678")  # not registered to act  # fmt: skip
    _sign_in_by_code(client, outbox, "13900001234")
    page = client.get(reverse("portal:home")).content.decode()
    assert "李四光" in page and "李小红" in page and "女儿" in page
    assert PortalSignIn.objects.get().contact_name == "李小红"
    # A contact not registered to act cannot sign in: nothing is sent.
    client.post(reverse("portal:signin"), {"phone": "13900005678"})
    assert len(outbox) == 1


def test_one_number_for_a_couple_asks_who_signs_in(client, cast, outbox):
    cast.cross.phone = "13812348000"  # 王五常 shares 张三丰's number
    cast.cross.save()
    response = _sign_in_by_code(client, outbox, "13812348000")
    assert response.url == reverse("portal:choose")
    page = client.get(reverse("portal:choose")).content.decode()
    assert "张三丰" in page and "王五常" in page
    # A forged choice (someone the number does not belong to) is not taken.
    forged = client.post(reverse("portal:choose"), {"who": f"{cast.cadre_b.pk}:"})
    assert forged.status_code == 200 and not PortalSession.objects.exists()
    client.post(reverse("portal:choose"), {"who": f"{cast.cross.pk}:"})
    assert "王五常" in client.get(reverse("portal:home")).content.decode()


def test_a_printed_link_signs_in_once_and_is_logged(client, cast):
    client.force_login(cast.grid_a)  # 王五常's branch lies in grid A
    sheet = client.post(reverse("portal_staff:sheet", args=[cast.cross.pk]))
    assert sheet.status_code == 200
    page = sheet.content.decode()
    assert "<svg" in page
    url = re.search(r"<code>(http[^<]+)</code>", page).group(1)
    assert AccessLog.objects.filter(
        object_type="portal_sheet", object_id=str(cast.cross.pk)
    ).exists()
    client.logout()
    path = url.split("testserver", 1)[1]
    assert client.get(path).status_code == 200  # a preview does not use it up
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert "王五常" in client.get(reverse("portal:home")).content.decode()
    phone = client.__class__()
    assert phone.post(path).status_code == 410  # once only


def test_a_revoked_or_old_link_does_not_work(client, cast):
    client.force_login(cast.officer)
    page = client.post(
        reverse("portal_staff:sheet", args=[cast.cadre_a.pk])
    ).content.decode()
    path = re.search(r"<code>http://testserver([^<]+)</code>", page).group(1)
    link = cast.cadre_a.portal_links.get()
    client.post(reverse("portal_staff:revoke", args=[link.pk]))
    assert client.__class__().post(path).status_code == 410
    page = client.post(
        reverse("portal_staff:sheet", args=[cast.cadre_a.pk])
    ).content.decode()
    path = re.search(r"<code>http://testserver([^<]+)</code>", page).group(1)
    cast.cadre_a.portal_links.filter(revoked_at__isnull=True).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert client.__class__().post(path).status_code == 410


def test_a_worker_ends_a_session_and_the_phone_is_signed_out(client, cast, outbox):
    phone = client.__class__()
    _sign_in_by_code(phone, outbox, "13812348000")
    assert phone.get(reverse("portal:home")).status_code == 200
    client.force_login(cast.grid_a)
    profile = client.get(
        reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    ).content.decode()
    assert 'id="portal-section"' in profile
    session = PortalSession.objects.get()
    client.post(reverse("portal_staff:end", args=[session.pk]))
    response = phone.get(reverse("portal:home"))
    assert response.status_code == 302 and response.url == reverse("portal:signin")


def test_signing_out(client, cast, outbox):
    _sign_in_by_code(client, outbox, "13812348000")
    client.post(reverse("portal:signout"))
    assert client.get(reverse("portal:home")).status_code == 302
    assert PortalSession.objects.get().ended_at is not None


def test_the_wrong_cast_member_cannot_print_end_or_withdraw(client, cast, outbox):
    phone = client.__class__()
    _sign_in_by_code(phone, outbox, "13812348000")
    session = PortalSession.objects.get()
    client.force_login(cast.officer)
    client.post(reverse("portal_staff:sheet", args=[cast.cadre_a.pk]))
    link = cast.cadre_a.portal_links.get()
    for who, status in ((cast.grid_b, 404), (cast.outsider, 404), (cast.leader, 403)):
        client.force_login(who)
        assert (
            client.post(reverse("portal_staff:sheet", args=[cast.cadre_a.pk])).status_code
            == status
        )
        assert (
            client.post(reverse("portal_staff:end", args=[session.pk])).status_code
            == status
        )
        assert (
            client.post(reverse("portal_staff:revoke", args=[link.pk])).status_code
            == status
        )
        profile = client.get(reverse("members:cadre_detail", args=[cast.cadre_a.pk]))
        assert 'id="portal-section"' not in profile.content.decode()
    session.refresh_from_db()
    link.refresh_from_db()
    assert session.ended_at is None and link.revoked_at is None
