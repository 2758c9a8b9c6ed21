"""Issue 17, part 3: the 光荣在党50年 list exact at its boundary, carried over, moved
only by the right roles; certificates as one PDF whose text is the right names; the
七一 invitation list; political birthdays with their reminder."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from activities.models import Honour, HonourStatus
from activities.selectors import honours_50_list
from activities.services import honour_move, honours_50_prepare
from grids.models import AccessAction, AccessLog, StaffRole
from members.dates import DatePrecision
from members.models import ArchiveReason, Mobility
from members.services import cadre_archive

from ..factories import UserFactory, assign, make_cadre

D = datetime.date


def member(cast, name, full, **fields):
    return make_cadre(branch=cast.tree["branch_A"], name=name, full_member_on=full,
                      joined_party_on=full.replace(year=full.year - 1), **fields)  # fmt: skip


def test_the_list_is_exact_at_its_boundary_and_carries_over(cast):
    member(cast, "刚好", D(1977, 7, 1))
    member(cast, "差一天", D(1977, 7, 2))
    gone = member(cast, "已故", D(1960, 1, 1))
    cadre_archive(cadre=gone, reason=ArchiveReason.DECEASED, on=D(2026, 3, 1))
    earlier = member(cast, "去年", D(1976, 5, 1))
    honours_50_prepare(year=2026)
    ours = {"刚好", "差一天", "已故", "去年"}
    assert set(Honour.objects.values_list("cadre__name", flat=True)) & ours == {"去年"}
    honours_50_prepare(year=2027)
    names = {h.cadre.name: h.year for h in honours_50_list(cast.officer, 2027)
             if h.cadre.name in ours}  # fmt: skip
    assert names == {"刚好": 2027, "去年": 2026}  # carried over, first eligible in 2026
    honour = Honour.objects.get(cadre=earlier)
    honour_move(honour=honour, status=HonourStatus.RECOMMENDED, by=cast.officer)
    honour_move(honour=honour, status=HonourStatus.APPROVED, by=cast.officer)
    honour_move(honour=honour, status=HonourStatus.AWARDED, by=cast.officer,
                awarded_on=D(2026, 7, 1))  # fmt: skip
    assert "去年" not in {h.cadre.name for h in honours_50_list(cast.officer, 2028)}


def test_statuses_move_only_by_the_right_roles(cast):
    member(cast, "老党员", D(1970, 3, 1))
    honours_50_prepare(year=2026)
    honour = Honour.objects.get(cadre__name="老党员")
    worker = UserFactory(username="jinqiao")
    assign(worker, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    with pytest.raises(ValidationError):
        honour_move(
            honour=honour, status=HonourStatus.APPROVED, by=worker
        )  # skips a step
    with pytest.raises(ValidationError):
        honour_move(honour=honour, status=HonourStatus.RECOMMENDED, by=cast.grid_b)
    honour_move(honour=honour, status=HonourStatus.RECOMMENDED, by=worker)
    with pytest.raises(ValidationError):
        honour_move(honour=honour, status=HonourStatus.APPROVED, by=cast.secretary)
    honour_move(honour=honour, status=HonourStatus.APPROVED, by=cast.officer)
    with pytest.raises(ValidationError, match="颁发日期"):
        honour_move(honour=honour, status=HonourStatus.AWARDED, by=cast.officer)


def test_the_certificates_pdf_has_a_page_per_awardee_with_their_names(
    client, cast, pdf_engine
):
    for name, full in (("张建国", D(1970, 3, 1)), ("李秀英", D(1971, 5, 1)),
                       ("王未批", D(1972, 1, 1))):  # fmt: skip
        member(cast, name, full)
    honours_50_prepare(year=2026)
    for honour in Honour.objects.filter(cadre__name__in=["张建国", "李秀英"]):
        honour_move(honour=honour, status=HonourStatus.RECOMMENDED, by=cast.officer)
        honour_move(honour=honour, status=HonourStatus.APPROVED, by=cast.officer)
    client.force_login(cast.officer)
    response = client.get(reverse("honour_certificates", args=[2026]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    texts = [page.extract_text().replace(" ", "") for page in reader.pages]
    assert any("张建国" in t for t in texts) and any("李秀英" in t for t in texts)
    assert all("荣誉证书" in t and "测试镇" in t for t in texts), texts
    assert not any("王未批" in t for t in texts)
    assert AccessLog.objects.filter(
        action=AccessAction.PRINT, object_type="certificates"
    ).exists()
    client.force_login(cast.grid_a)
    assert client.get(reverse("honour_certificates", args=[2026])).status_code == 403


def test_the_invitation_list_marks_who_needs_a_companion(client, cast):
    from members.models import FamilyContact

    frail = member(cast, "卧床党员", D(1960, 1, 1), mobility=Mobility.HOME)
    FamilyContact.objects.create(
        cadre=frail, relation="女儿", name="卧床女儿", phone="13700001111"
    )
    member(cast, "硬朗党员", D(1961, 1, 1))
    member(cast, "年轻党员", D(1990, 1, 1))
    client.force_login(cast.grid_a)
    page = client.get(reverse("honour_invitations", args=[2026])).content.decode()
    assert "卧床党员" in page and "硬朗党员" in page and "年轻党员" not in page
    assert "卧床女儿" in page and "137****1111" in page  # masked for a grid worker
    client.get(reverse("honour_invitations", args=[2026]), {"format": "xlsx"})
    assert AccessLog.objects.filter(
        action=AccessAction.EXPORT, object_type="invitations"
    ).exists()
    client.force_login(cast.grid_b)
    assert (
        "卧床党员"
        not in client.get(reverse("honour_invitations", args=[2026])).content.decode()
    )


def test_political_birthdays_are_listed_and_reminded_on_the_first(client, cast):
    from services.models import Reminder
    from services.reminders import reminders_scan

    make_cadre(branch=cast.tree["branch_A"], name="八月生日", joined_party_on=D(1975, 8, 12),
               full_member_on=D(1976, 8, 12))  # fmt: skip
    make_cadre(branch=cast.tree["branch_A"], name="年份党员", joined_party_on=D(1975, 1, 1),
               joined_party_precision=DatePrecision.YEAR, full_member_on=D(1976, 8, 1))  # fmt: skip
    client.force_login(cast.secretary)
    page = client.get(
        reverse("political_birthdays"), {"month": "2026-08"}
    ).content.decode()
    assert "八月生日" in page and "年份党员" not in page
    reminders_scan(today=D(2026, 8, 1))
    reminder = Reminder.objects.get(rule="political_birthday")
    assert reminder.recipient == cast.secretary and "社区A党支部" in reminder.text


def test_other_honours_show_on_the_profile_and_the_handbook(client, cast):
    from activities.models import HonourKind, HonourLevel
    from activities.services import honour_record

    honour_record(cadre=cast.cadre_a, kind=HonourKind.OUTSTANDING_MEMBER, year=2025,
                  awarding_body="区委组织部", level=HonourLevel.DISTRICT,
                  status=HonourStatus.AWARDED, awarded_on=D(2025, 7, 1))  # fmt: skip
    client.force_login(cast.secretary)
    profile = client.get(
        reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    ).content.decode()
    assert "区委组织部" in profile.split('id="profile-party-life"')[1]
    handbook = client.get(
        reverse("handbook", args=[cast.cadre_a.pk, 2025])
    ).content.decode()
    assert "区委组织部" in handbook
    client.force_login(cast.grid_b)  # political birthdays stay in scope too
    page = client.get(
        reverse("political_birthdays"), {"month": "1971-03"}
    ).content.decode()
    assert "张三丰" not in page
