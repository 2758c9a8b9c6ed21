import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from activities.models import (
    ActivityKind,
    Attendance,
    AttendanceStatus,
    Honour,
    HonourKind,
    HonourStatus,
)
from activities.services import (
    activity_create,
    attendance_record,
    campaign_create,
    campaign_service_add,
    honour_record,
    honour_set_status,
    party_50_eligible,
)
from members.models import ArchiveReason
from members.services import cadre_archive
from tests.factories import make_cadre

D = datetime.date


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def meeting(tree):
    return activity_create(
        kind=ActivityKind.THEMED_PARTY_DAY,
        unit=tree["branch_A"],
        starts_at=at(D(2026, 3, 20)),
        topic="重温入党誓词",
    )


def test_attendance_is_recorded_and_updated_in_one_go(tree, meeting):
    a = make_cadre(branch=tree["branch_A"])
    b = make_cadre(branch=tree["branch_A"], mobility="home")
    attendance_record(
        activity=meeting,
        statuses={a.pk: AttendanceStatus.PRESENT, b.pk: AttendanceStatus.AT_HOME},
    )
    attendance_record(activity=meeting, statuses={a.pk: AttendanceStatus.ON_LEAVE})
    rows = {r.cadre_id: r for r in Attendance.objects.filter(activity=meeting)}
    assert rows[a.pk].status == AttendanceStatus.ON_LEAVE
    assert rows[b.pk].status == AttendanceStatus.AT_HOME
    # Study delivered at home counts as taking part (DOMAIN.md).
    assert rows[b.pk].took_part and not rows[a.pk].took_part


def test_the_database_allows_one_attendance_per_cadre_and_activity(tree, meeting):
    cadre = make_cadre(branch=tree["branch_A"])
    Attendance.objects.create(
        activity=meeting, cadre=cadre, status=AttendanceStatus.PRESENT
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            activity=meeting, cadre=cadre, status=AttendanceStatus.ABSENT
        )
    duplicate = Attendance(activity=meeting, cadre=cadre, status=AttendanceStatus.ABSENT)
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert "已经记录" in str(exc.value)


def test_attendance_refuses_cadres_from_another_branch_or_gone(tree, meeting):
    outsider = make_cadre(branch=tree["branch_B"], name="王外人")
    with pytest.raises(ValidationError) as exc:
        attendance_record(
            activity=meeting, statuses={outsider.pk: AttendanceStatus.PRESENT}
        )
    assert "王外人" in exc.value.messages[0]
    gone = make_cadre(branch=tree["branch_A"], name="李已故")
    cadre_archive(cadre=gone, reason=ArchiveReason.DECEASED, on=D(2026, 1, 5))
    with pytest.raises(ValidationError) as exc:
        attendance_record(activity=meeting, statuses={gone.pk: AttendanceStatus.PRESENT})
    assert "李已故" in exc.value.messages[0]
    assert not Attendance.objects.exists()


def test_an_activity_cannot_end_before_it_starts(tree):
    with pytest.raises(ValidationError) as exc:
        activity_create(
            kind=ActivityKind.PARTY_LECTURE,
            unit=tree["branch_A"],
            starts_at=at(D(2026, 3, 20)),
            ends_at=at(D(2026, 3, 19)),
            topic="党课",
        )
    assert "结束" in str(exc.value)


def test_a_campaign_has_roles_and_cadres_serving_in_them(tree):
    campaign = campaign_create(
        name="吴淞江北岸生态环境综合治理",
        unit=tree["township"],
        start_on=D(2025, 3, 1),
        roles=["调查摸底", "宣传发动", "督导巡查"],
    )
    assert [r.name for r in campaign.roles.all()] == ["调查摸底", "宣传发动", "督导巡查"]
    cadre = make_cadre(branch=tree["village_branch_A"])
    patrol = campaign.roles.get(name="督导巡查")
    campaign_service_add(role=patrol, cadre=cadre, start_on=D(2025, 9, 1))
    assert list(cadre.campaign_services.values_list("role__name", flat=True)) == [
        "督导巡查"
    ]
    with pytest.raises(ValidationError):
        campaign_service_add(
            role=patrol, cadre=cadre, start_on=D(2025, 10, 1), end_on=D(2025, 9, 1)
        )


def test_the_50_year_medal_needs_50_years_by_1_july(tree):
    cadre = make_cadre(
        branch=tree["branch_A"],
        joined_party_on=D(1975, 7, 1),
        full_member_on=D(1976, 7, 1),
    )
    assert party_50_eligible(cadre, 2026)
    assert not party_50_eligible(cadre, 2025)
    late = make_cadre(
        branch=tree["branch_A"],
        joined_party_on=D(1975, 7, 2),
        full_member_on=D(1976, 7, 2),
    )
    assert not party_50_eligible(late, 2026)
    with pytest.raises(ValidationError) as exc:
        honour_record(cadre=late, kind=HonourKind.PARTY_50_YEARS, year=2026)
    assert exc.value.messages[0] == (
        f"测试干部 到 2026 年 7 月 1 日党龄不满 50 年（转正时间：{late.full_member_display}）。"
    )
    honour = honour_record(cadre=cadre, kind=HonourKind.PARTY_50_YEARS, year=2026)
    assert honour.status == HonourStatus.ELIGIBLE


def test_the_50_year_medal_is_given_once_and_an_award_has_a_date(tree):
    cadre = make_cadre(
        branch=tree["branch_A"],
        joined_party_on=D(1960, 1, 1),
        full_member_on=D(1961, 1, 1),
    )
    honour = honour_record(cadre=cadre, kind=HonourKind.PARTY_50_YEARS, year=2021)
    with pytest.raises(ValidationError) as exc:
        honour_record(cadre=cadre, kind=HonourKind.PARTY_50_YEARS, year=2022)
    assert "已获得" in str(exc.value)
    with pytest.raises(ValidationError):
        honour_set_status(honour=honour, status=HonourStatus.AWARDED)
    honour_set_status(
        honour=honour, status=HonourStatus.AWARDED, awarded_on=D(2021, 6, 28)
    )
    assert Honour.objects.get(pk=honour.pk).awarded_on == D(2021, 6, 28)


def test_a_deceased_member_is_not_eligible(tree):
    cadre = make_cadre(
        branch=tree["branch_A"],
        joined_party_on=D(1960, 1, 1),
        full_member_on=D(1961, 1, 1),
    )
    cadre_archive(cadre=cadre, reason=ArchiveReason.DECEASED, on=D(2025, 1, 1))
    cadre.refresh_from_db()
    assert not party_50_eligible(cadre, 2026)
