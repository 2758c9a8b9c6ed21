"""Notices and study material reach exactly the subtree they were published to; read
receipts; who may publish (issue 23)."""

import re

import pytest
from django.urls import reverse

from portal.models import Notice, NoticeRead
from portal.notices import notices_for, read_receipts, recipients
from portal.services import notice_publish
from portal.sms import ConsoleSMS


def _publish(by, unit, title, kind="notice"):
    return notice_publish(by=by, unit=unit, kind=kind, title=title, body="请准时参加。")


@pytest.fixture
def published(cast):
    tree = cast.tree
    return {
        "township": _publish(cast.officer, tree["township"], "全镇通知"),
        "grid_a": _publish(cast.grid_a, tree["grid_A"], "网格A学习", kind="study"),
        "community_b": _publish(cast.community_b, tree["community_B"], "社区B通知"),
        "branch_b": _publish(cast.officer, tree["branch_B"], "社区B党支部通知"),
    }


def _titles(cadre):
    return sorted(n.title for n in notices_for(cadre))


def test_a_notice_reaches_exactly_its_subtree(cast, published):
    # 张三丰: branch A (grid A), lives in community A.
    assert _titles(cast.cadre_a) == ["全镇通知", "网格A学习"]
    # 李四光: branch B, lives in community B.
    assert _titles(cast.cadre_b) == ["全镇通知", "社区B党支部通知", "社区B通知"]
    # 王五常: branch A, lives in community B: both sides reach him.
    assert _titles(cast.cross) == ["全镇通知", "社区B通知", "网格A学习"]
    # The recipients, as the staff side counts them, agree.
    assert {c.pk for c in recipients(published["grid_a"])} == {
        cast.cadre_a.pk,
        cast.cross.pk,
    }
    assert read_receipts(published["township"])["total"] == 3


def _portal_client(client_class, phone):
    client = client_class()
    ConsoleSMS.outbox.clear()
    client.post(reverse("portal:signin"), {"phone": phone})
    code = re.search(r"(\d{6})", ConsoleSMS.outbox[-1][1]).group(1)
    client.post(reverse("portal:code"), {"code": code})
    return client


def test_reading_leaves_a_receipt_and_others_are_not_found(client, cast, published):
    phone = _portal_client(client.__class__, "13812348000")  # 张三丰
    home = phone.get(reverse("portal:home")).content.decode()
    assert "2" in home and reverse("portal:notices") in home
    listing = phone.get(reverse("portal:notices")).content.decode()
    assert "全镇通知" in listing and "社区B通知" not in listing
    notice = published["grid_a"]
    assert phone.get(reverse("portal:notice", args=[notice.pk])).status_code == 200
    phone.get(reverse("portal:notice", args=[notice.pk]))  # read twice: one receipt
    assert NoticeRead.objects.filter(notice=notice, cadre=cast.cadre_a).count() == 1
    # Another subtree's notice, and one that does not exist: not found.
    assert (
        phone.get(reverse("portal:notice", args=[published["branch_b"].pk])).status_code
        == 404
    )
    assert phone.get(reverse("portal:notice", args=[10**20])).status_code == 404
    receipts = read_receipts(notice)
    assert (receipts["read"], receipts["total"]) == (1, 2)
    assert [r["name"] for r in receipts["unread"]] == ["王五常"]
    # The staff page says the same.
    client.force_login(cast.grid_a)
    page = client.get(reverse("portal_staff:notice", args=[notice.pk])).content.decode()
    assert "王五常" in page and "张三丰" not in page.split('id="unread"')[1]


def test_publishing_from_the_page_and_who_may(client, cast):
    tree = cast.tree
    client.force_login(cast.grid_a)
    page = client.get(reverse("portal_staff:notices")).content.decode()
    assert (
        f'value="{tree["grid_A"].pk}"' in page
        and f'value="{tree["grid_B"].pk}"' not in page
    )
    response = client.post(reverse("portal_staff:notices"), {
        "unit": tree["community_A"].pk, "kind": "study", "title": "学习二十大精神",
        "body": "第一讲", "link": "https://example.cn/v/1"})  # fmt: skip
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.unit == tree["community_A"]
    # Another grid's unit is not offered, and a forged one is refused.
    response = client.post(reverse("portal_staff:notices"), {
        "unit": tree["grid_B"].pk, "kind": "notice", "title": "越权", "body": "x"})  # fmt: skip
    assert response.status_code == 200 and Notice.objects.count() == 1
    # The leader (reads only) sees the list but has no form; posting is refused.
    client.force_login(cast.leader)
    page = client.get(reverse("portal_staff:notices"))
    assert page.status_code == 200 and 'id="notice-form"' not in page.content.decode()
    assert client.post(reverse("portal_staff:notices"), {
        "unit": tree["township"].pk, "kind": "notice", "title": "x", "body": "x"}).status_code == 403  # fmt: skip
    # Outside the tree: refused; another grid's worker does not find the notice.
    client.force_login(cast.outsider)
    assert client.get(reverse("portal_staff:notices")).status_code == 403
    client.force_login(cast.grid_b)
    assert client.get(reverse("portal_staff:notice", args=[notice.pk])).status_code == 404
    # A cadre's session does not reach the staff pages.
    phone = _portal_client(client.__class__, "13812348000")
    response = phone.get(reverse("portal_staff:notices"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_notice_with_a_pdf_served_only_where_it_reaches(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.models import NoticeFile

    tree = cast.tree
    client.force_login(cast.grid_a)
    response = client.post(reverse("portal_staff:notices"), {
        "unit": tree["grid_A"].pk, "kind": "study", "title": "党章学习材料", "body": "见附件",
        "attachment": SimpleUploadedFile("党章.pdf", PDF, "application/pdf")})  # fmt: skip
    assert response.status_code == 302
    stored = NoticeFile.objects.get()
    # Anything else is refused, and nothing is published.
    response = client.post(reverse("portal_staff:notices"), {
        "unit": tree["grid_A"].pk, "kind": "notice", "title": "坏文件", "body": "x",
        "attachment": SimpleUploadedFile("a.exe", b"MZ\x90\x00", "application/pdf")})  # fmt: skip
    assert response.status_code == 200 and Notice.objects.count() == 1
    assert (
        client.get(reverse("portal_staff:notice_file", args=[stored.pk])).status_code
        == 200
    )
    client.force_login(cast.grid_b)
    assert (
        client.get(reverse("portal_staff:notice_file", args=[stored.pk])).status_code
        == 404
    )
    # 张三丰 (grid A) opens it; 李四光 (grid B) does not find it.
    phone = _portal_client(client.__class__, "13812348000")
    page = phone.get(reverse("portal:notice", args=[stored.notice_id])).content.decode()
    assert reverse("portal:notice_file", args=[stored.pk]) in page
    opened = phone.get(reverse("portal:notice_file", args=[stored.pk]))
    assert opened.status_code == 200 and b"".join(opened.streaming_content) == PDF
    other = _portal_client(client.__class__, "13912345678")
    assert other.get(reverse("portal:notice_file", args=[stored.pk])).status_code == 404
