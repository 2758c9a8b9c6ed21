"""送学上门 follows the meeting (issue 16): a member with the status unable or absent
whose mobility is "at home only", or who was in hospital that day, is owed the
meeting's study at home for STUDY_DAYS days; a 送学上门 visit naming the meeting marks
them as having taken part at home. Undelivered after that, it is missed."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from members.models import Cadre, Mobility

from ..hooks import unable_on
from ..models import Activity, Attendance, AttendanceStatus, Expected, RecordStatus

STUDY_DAYS = 30


@dataclass
class StudyOwed:
    cadre: Cadre
    activity: Activity
    status: str
    deadline: datetime.date


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _owed(rows) -> list[StudyOwed]:
    rows = list(rows)
    by_day: dict[datetime.date, set[int]] = {}
    for row in rows:
        day = timezone.localtime(row.activity.starts_at).date()
        by_day.setdefault(day, set()).add(row.cadre_id)
    hospital = {day: unable_on(ids, day) for day, ids in by_day.items()}
    owed = []
    for row in rows:
        day = timezone.localtime(row.activity.starts_at).date()
        if row.cadre.mobility == Mobility.HOME or row.cadre_id in hospital[day]:
            owed.append(StudyOwed(row.cadre, row.activity, row.status,
                                  day + datetime.timedelta(days=STUDY_DAYS)))  # fmt: skip
    return owed


def _rows(cadres: QuerySet[Cadre] | None = None) -> QuerySet[Attendance]:
    rows = Attendance.objects.filter(
        activity__status=RecordStatus.SUBMITTED,
        status__in=(AttendanceStatus.UNABLE, AttendanceStatus.ABSENT),
    ).exclude(activity__kind__expected=Expected.OPEN)
    if cadres is not None:
        rows = rows.filter(cadre__in=cadres.values("pk"))
    return rows.select_related("cadre", "activity__kind", "activity__unit").order_by(
        "activity__starts_at", "cadre__name_initials", "pk"
    )


def study_to_deliver(
    cadres: QuerySet[Cadre], today: datetime.date | None = None
) -> list[StudyOwed]:
    """What the worker still has to deliver: meetings of the last STUDY_DAYS days."""
    today = today or timezone.localdate()
    rows = _rows(cadres).filter(
        activity__starts_at__gte=_aware(today - datetime.timedelta(days=STUDY_DAYS)),
        activity__starts_at__lt=_aware(today + datetime.timedelta(days=1)),
    )
    return _owed(rows)


def study_missed(
    branch_ids,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> list[StudyOwed]:
    """Study owed for the branches' meetings held in [start, end] and not delivered
    within STUDY_DAYS days."""
    today = today or timezone.localdate()
    last = min(end, today - datetime.timedelta(days=STUDY_DAYS + 1))
    if last < start:
        return []
    rows = _rows().filter(
        activity__unit_id__in=list(branch_ids),
        activity__starts_at__gte=_aware(start),
        activity__starts_at__lt=_aware(last + datetime.timedelta(days=1)),
    )
    return _owed(rows)
