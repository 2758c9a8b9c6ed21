"""Issue 16, the pages: recording a meeting (/meetings/new/), its record and its
correction, /compliance/ and /participation/ with their exports — and the access
cast refused where it does not belong."""

import datetime
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity, MeetingKind, MeetingRule
from activities.models import AttendanceStatus as S
from activities.services import meeting_record
from grids.models import AccessAction, AccessLog
from members.models import Mobility

from ..factories import make_cadre

TODAY = timezone.localdate()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)


def kind(code):
    return MeetingKind.objects.get(code=code)


def post_meeting(client, branch, **extra):
    data = {
        "branch": branch.pk, "kind": kind("themed_party_day").pk,
        "day": LAST_MONTH.isoformat(), "topic": "重温入党誓词",
        "token": str(uuid.uuid4()), "action": "submit", **extra,
    }  # fmt: skip
    return client.post(reverse("meetings:new"), data), data


def test_a_secretary_records_a_meeting_with_its_proposal(client, cast):
    frail = make_cadre(
        branch=cast.tree["branch_A"], name="卧床甲", mobility=Mobility.HOME
    )
    client.force_login(cast.secretary)
    page = client.get(reverse("meetings:new"), {
        "branch": cast.tree["branch_A"].pk, "kind": kind("themed_party_day").pk,
        "day": LAST_MONTH.isoformat()})  # fmt: skip
    text = page.content.decode()
    assert page.status_code == 200 and "卧床甲" in text and "只能在家" in text
    assert "李四光" not in text  # branch B's member
    response, data = post_meeting(client, cast.tree["branch_A"], **{
        f"a{cast.cadre_a.pk}": "on_leave", f"n{cast.cadre_a.pk}": "外出就医"})  # fmt: skip
    assert response.status_code == 302
    meeting = Activity.objects.get()
    rows = dict(meeting.attendances.values_list("cadre_id", "status"))
    assert rows == {
        cast.cadre_a.pk: S.ON_LEAVE,
        cast.cross.pk: S.PRESENT,
        frail.pk: S.UNABLE,
    }
    assert (meeting.expected_count, meeting.took_part_count) == (2, 1)
    # Sent again (double tap, reconnect): recorded once.
    assert client.post(reverse("meetings:new"), data).status_code == 302
    assert Activity.objects.count() == 1


def test_a_submitted_record_is_corrected_by_officers_only(client, cast):
    meeting = meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                             starts_at=timezone.now(), topic="学")  # fmt: skip
    url = reverse("meetings:detail", args=[meeting.pk])
    client.force_login(cast.secretary)
    assert client.get(url).status_code == 200
    assert client.post(url, {f"a{cast.cadre_a.pk}": "absent"}).status_code == 403
    client.force_login(cast.officer)
    assert (
        client.post(
            url, {f"a{cast.cadre_a.pk}": "absent", "action": "submit"}
        ).status_code
        == 302
    )
    meeting.refresh_from_db()
    assert meeting.took_part_count == 1
    history = client.get(url).content.decode().split('id="meeting-history"')[1]
    assert "张三丰" in history and "缺席" in history  # the correction, kept


@pytest.mark.parametrize("who", ["outsider", "leader"])
def test_who_may_not_write_cannot_record(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("meetings:new")).status_code == 403
    response, _data = post_meeting(client, cast.tree["branch_A"])
    assert response.status_code == 403 and not Activity.objects.exists()


def test_a_secretary_cannot_record_for_another_branch(client, cast):
    client.force_login(cast.secretary)
    response, _data = post_meeting(client, cast.tree["branch_B"])
    assert response.status_code == 400 and not Activity.objects.exists()


def test_meetings_outside_the_scope_are_not_found(client, cast):
    meeting = meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                             starts_at=timezone.now(), topic="学")  # fmt: skip
    client.force_login(cast.grid_b)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert (
        "学"
        not in client.get(reverse("meetings:list")).content.decode().split("<table")[1]
    )
    client.force_login(cast.outsider)
    for name in ("meetings:list", "compliance", "participation"):
        assert client.get(reverse(name)).status_code == 403, name


def test_compliance_shows_the_branch_behind_and_exports(client, cast):
    MeetingRule.objects.update(is_active=False)
    MeetingRule.objects.filter(kind__code="themed_party_day", per="month").update(
        is_active=True
    )
    meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                   starts_at=timezone.make_aware(datetime.datetime(2026, 7, 3, 9)),
                   topic="学")  # fmt: skip
    client.force_login(cast.officer)
    query = {"unit": cast.tree["township"].pk, "period": "2026-07"}
    text = client.get(reverse("compliance"), query).content.decode()
    assert "社区A党支部" in text and "社区B党支部" in text and "主题党日 2026-07" in text
    response = client.get(reverse("compliance"), {**query, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["支部明细"]
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["社区A党支部"] == "达标" and rows["社区B党支部"] == "未达标"
    assert AccessLog.objects.filter(
        action=AccessAction.EXPORT, object_type="compliance"
    ).exists()
    # A grid worker chooses only inside the grid.
    client.force_login(cast.grid_a)
    assert client.get(reverse("compliance"), query).status_code == 400
    text = client.get(reverse("compliance"), {"unit": cast.tree["grid_A"].pk,
                                              "period": "2026-07"}).content.decode()  # fmt: skip
    assert "社区A党支部" in text and "社区B党支部" not in text


def test_participation_shows_members_of_a_branch(client, cast):
    meeting_record(branch=cast.tree["branch_A"], kind="themed_party_day",
                   starts_at=timezone.make_aware(datetime.datetime(2026, 7, 3, 9)),
                   topic="学", statuses={cast.cadre_a.pk: S.ABSENT})  # fmt: skip
    client.force_login(cast.secretary)
    text = client.get(reverse("participation"), {
        "unit": cast.tree["branch_A"].pk, "period": "2026Q3"}).content.decode()  # fmt: skip
    assert "张三丰" in text and "0%" in text and "主题党日（缺席）" in text
    assert "50.0%" in text  # the branch: 1 of 2
    response = client.get(reverse("participation"), {
        "unit": cast.tree["branch_A"].pk, "period": "2026Q3", "format": "xlsx"})  # fmt: skip
    sheet = load_workbook(io.BytesIO(response.content))["党员明细"]
    assert {r[0] for r in sheet.iter_rows(min_row=2, values_only=True)} == {
        "张三丰",
        "王五常",
    }
    bad = client.get(reverse("participation"), {"unit": cast.tree["branch_A"].pk,
                                                "period": "2026Q9"})  # fmt: skip
    assert bad.status_code == 400 and "不是有效的期间" in bad.content.decode()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_photos_and_pdfs_are_kept_by_content_and_served_within_scope(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.secretary)
    fake = SimpleUploadedFile("签到表.pdf", b"not a pdf at all", "application/pdf")
    response, _data = post_meeting(client, cast.tree["branch_A"], files=[fake])
    assert (
        response.status_code == 400
        and "既不是照片也不是 PDF" in response.content.decode()
    )
    assert not Activity.objects.exists()
    files = [SimpleUploadedFile("现场.png", _png(), "image/png"),
             SimpleUploadedFile("签到表.pdf", PDF, "application/pdf")]  # fmt: skip
    response, _data = post_meeting(client, cast.tree["branch_A"], files=files)
    assert response.status_code == 302
    meeting = Activity.objects.get()
    photo, pdf = meeting.attachments.order_by("pk")
    assert (photo.content_type, pdf.content_type) == ("image/jpeg", "application/pdf")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:file", args=[pdf.pk]) in page
    body = b"".join(client.get(reverse("meetings:file", args=[pdf.pk])).streaming_content)
    assert body == PDF
    client.force_login(cast.grid_b)
    assert client.get(reverse("meetings:file", args=[photo.pk])).status_code == 404


def test_the_partners_paired_with_the_community_can_be_named(client, cast):
    from grids.models import Pairing, PartnerKind, PartnerUnit

    clinic = PartnerUnit.objects.create(name="镇卫生院", kind=PartnerKind.INSTITUTIONAL)
    PartnerUnit.objects.create(name="别处单位", kind=PartnerKind.INSTITUTIONAL)
    Pairing.objects.create(partner=clinic, unit=cast.tree["community_A"],
                           start_on=datetime.date(2025, 1, 1))  # fmt: skip
    client.force_login(cast.secretary)
    page = client.get(reverse("meetings:new"), {
        "branch": cast.tree["branch_A"].pk, "kind": kind("themed_party_day").pk,
        "day": LAST_MONTH.isoformat()}).content.decode()  # fmt: skip
    assert "镇卫生院" in page and "别处单位" not in page
    response, _data = post_meeting(client, cast.tree["branch_A"], partners=[clinic.pk])
    assert response.status_code == 302
    assert list(Activity.objects.get().partners.all()) == [clinic]


def test_the_pages_cost_the_same_queries_whatever_the_data(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cast.officer)
    query = {"unit": cast.tree["township"].pk, "period": "2026Q3"}

    def cost():
        counts = []
        for name in ("compliance", "participation"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(reverse(name), query).status_code == 200
            counts.append(len(captured))
        return counts

    client.get(reverse("compliance"), query)  # the session's first request
    few = cost()
    for branch in ("branch_A", "branch_B", "village_branch_A"):
        for i in range(4):
            make_cadre(branch=cast.tree[branch], name=f"党员{i}")
        for month in (7, 8, 9):
            meeting_record(branch=cast.tree[branch], kind="themed_party_day",
                           starts_at=timezone.make_aware(datetime.datetime(2026, month, 3, 9)),
                           topic="学")  # fmt: skip
    assert cost() == few
