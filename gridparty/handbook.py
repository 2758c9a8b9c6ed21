"""The member's handbook (党员手册, issue 17): a member's year gathered from every
app — dossier summary, the meetings they were expected at and how they took part,
study hours, the points ledger, the visits and services received, campaign roles,
honours and the review grade. It lives in the project package because it reads all
the apps (each through its selectors); the view masks what the viewer may not see."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from activities.models import (
    Attendance,
    CampaignService,
    Expected,
    Honour,
    MemberReview,
    RecordStatus,
)
from activities.selectors.points import points_ledger
from members.models import Cadre
from portal.models import NoticeKind, NoticeRead
from services.models import VisitedCadre


@dataclass
class Handbook:
    cadre: Cadre
    year: int
    meetings: list = field(default_factory=list)
    took_part: int = 0
    expected: int = 0
    study_hours: float = 0
    standing: object = None
    visits: list = field(default_factory=list)
    campaigns: list = field(default_factory=list)
    honours: list = field(default_factory=list)
    review: MemberReview | None = None


def handbook_of(cadre: Cadre, year: int) -> Handbook:
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=tz)
    book = Handbook(cadre, year)
    book.meetings = list(
        Attendance.objects.filter(
            cadre=cadre, activity__status=RecordStatus.SUBMITTED,
            activity__starts_at__gte=start, activity__starts_at__lt=end,
        )
        .exclude(activity__kind__expected=Expected.OPEN)
        .select_related("activity__kind", "activity__unit")
        .order_by("activity__starts_at")
    )  # fmt: skip
    for row in book.meetings:
        if row.status != "unable":
            book.expected += 1
            book.took_part += row.took_part
        if (
            row.took_part
            and row.activity.kind.study_hours
            and row.activity.duration_minutes
        ):
            book.study_hours += row.activity.duration_minutes / 60
    if settings.PORTAL_STUDY_COUNTS:
        # Study material read on the cadre's own pages (issue 23), once each.
        minutes = NoticeRead.objects.filter(
            cadre=cadre, read_at__gte=start, read_at__lt=end,
            notice__kind=NoticeKind.STUDY, notice__study_minutes__isnull=False,
        ).aggregate(total=Sum("notice__study_minutes"))["total"]  # fmt: skip
        book.study_hours += (minutes or 0) / 60
    book.study_hours = round(book.study_hours, 1)
    book.standing = points_ledger(cadre, year)
    book.visits = list(
        VisitedCadre.objects.filter(cadre=cadre, visited_on__year=year, met=True)
        .select_related("visit")
        .prefetch_related("visit__kinds")
        .order_by("visited_on")
    )
    book.campaigns = list(
        CampaignService.objects.filter(
            Q(end_on__isnull=True) | Q(end_on__gte=datetime.date(year, 1, 1)),
            cadre=cadre, start_on__lte=datetime.date(year, 12, 31),
        ).select_related("role__campaign")
    )  # fmt: skip
    book.honours = list(Honour.objects.filter(cadre=cadre).order_by("-year"))
    book.review = (
        MemberReview.objects.filter(cadre=cadre, review__year=year)
        .select_related("review")
        .first()
    )
    return book
