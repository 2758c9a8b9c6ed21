"""Lost contact (失联党员, issue 21), as its page reads it: a member's last contact —
a visit or phone call where they were met, a meeting or activity taken part in,
dues paid — and the proposals that follow: six months without any contact proposes
them as 失联; a member set 失联 who has been in contact since is proposed for
restoring. Only proposals: the secretary decides (services.services.contact)."""

import datetime
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from activities.models import TAKING_PART, Attendance, DuesPayment
from grids.datebounds import add_months_safe
from members.models import CadreStatus, MemberStatus
from members.selectors import cadres_visible_to

from .models import VisitedCadre

LOST_AFTER_MONTHS = 6


@dataclass
class Proposal:
    cadre: object
    last_contact: datetime.date | None
    restore: bool  # True: set 失联 but in contact since


def _latest(queryset, field: str) -> Subquery:
    return Subquery(queryset.order_by(f"-{field}").values(field)[:1])


def months_back(day: datetime.date, months: int) -> datetime.date:
    return add_months_safe(day, -months)


def lost_contact_proposals(user, today: datetime.date) -> list[Proposal]:
    """The members inside the user's scope to propose as 失联 (none of the contacts
    for six months, counted from their joining the roster when they never had one)
    and those set 失联 to propose for restoring: one query (three correlated
    subqueries, each the newest row of an index)."""
    cutoff = months_back(today, LOST_AFTER_MONTHS)
    visits = VisitedCadre.objects.filter(cadre=OuterRef("pk"), met=True)
    meetings = Attendance.objects.filter(cadre=OuterRef("pk"), status__in=TAKING_PART)
    dues = DuesPayment.objects.filter(account__cadre=OuterRef("pk"))
    members = (
        cadres_visible_to(user)
        .filter(status=CadreStatus.ACTIVE, is_party_member=True)
        .annotate(
            last_visit=_latest(visits, "visited_on"),
            last_meeting=_latest(meetings, "activity__starts_at"),
            last_dues=_latest(dues, "paid_on"),
        )
        .select_related("branch", "residence_unit")
        .order_by("name_initials", "pk")
    )
    proposals = []
    for cadre in members:
        meeting = cadre.last_meeting
        if isinstance(meeting, datetime.datetime):
            meeting = timezone.localtime(meeting).date()
        last = max(
            (d for d in (cadre.last_visit, meeting, cadre.last_dues) if d), default=None
        )
        if cadre.member_status == MemberStatus.OUT_OF_CONTACT:
            since = cadre.lost_contact_since or cutoff
            if last is not None and last > since:
                proposals.append(Proposal(cadre, last, restore=True))
        elif (last or cadre.on_roster_since) < cutoff:
            proposals.append(Proposal(cadre, last, restore=False))
    return proposals
