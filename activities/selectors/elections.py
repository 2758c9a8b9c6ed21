"""Branch elections (换届, issue 21) as the calendar and the reminders read them: each
branch's latest committee and when its term ends, how many full members it has, and
what is due — six and three months before the end, every month once it has ended,
and every month for a branch with no election recorded. A branch of seven or more
full members without a committee in office is flagged (it must elect one)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from grids.datebounds import add_months_safe
from grids.models import OrgUnit, UnitKind
from members.models import Cadre, CadreStatus, MemberStatus

from ..models import BranchCommittee

COMMITTEE_FROM = 7  # full members from which a branch elects a committee


class Stage:
    NONE = "none"  # no election recorded
    ENDED = "ended"
    THREE = "three"  # ends within three months
    SIX = "six"  # ends within six months
    OK = "ok"


@dataclass
class BranchTerm:
    branch: OrgUnit
    committee: BranchCommittee | None
    full_members: int
    stage: str

    @property
    def ends_on(self) -> datetime.date | None:
        return self.committee.term_ends_on if self.committee else None

    @property
    def needs_committee(self) -> bool:
        """Seven or more full members and no committee in office."""
        return self.full_members >= COMMITTEE_FROM and self.stage in (
            Stage.NONE,
            Stage.ENDED,
        )


def stage_of(committee: BranchCommittee | None, today: datetime.date) -> str:
    if committee is None:
        return Stage.NONE
    end = committee.term_ends_on
    if end <= today:
        return Stage.ENDED
    if add_months_safe(end, -3) <= today:
        return Stage.THREE
    if add_months_safe(end, -6) <= today:
        return Stage.SIX
    return Stage.OK


def election_calendar(unit: OrgUnit | None, today: datetime.date) -> list[BranchTerm]:
    """Every active branch under the unit (all, for None), soonest end first — those
    with none recorded first of all. Three queries whatever the number of branches."""
    branches = OrgUnit.objects.filter(kind=UnitKind.BRANCH, is_active=True)
    if unit is not None:
        unit = OrgUnit.objects.get(pk=unit.pk)  # its place as stored now
        branches = branches.filter(
            tree_id=unit.tree_id, lft__gte=unit.lft, rght__lte=unit.rght
        )
    branches = list(branches.select_related("parent").order_by("tree_id", "lft"))
    ids = [b.pk for b in branches]
    latest: dict[int, BranchCommittee] = {}
    for committee in BranchCommittee.objects.filter(
        branch_id__in=ids, elected_on__lte=today
    ).order_by("branch_id", "-elected_on"):
        latest.setdefault(committee.branch_id, committee)
    full = defaultdict(int)
    for row in (
        Cadre.objects.filter(
            branch_id__in=ids,
            status=CadreStatus.ACTIVE,
            is_party_member=True,
            member_status=MemberStatus.FULL,
        )  # fmt: skip
        .values("branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        full[row["branch_id"]] = row["n"]
    rows = [
        BranchTerm(b, latest.get(b.pk), full[b.pk], stage_of(latest.get(b.pk), today))
        for b in branches
    ]
    return sorted(
        rows, key=lambda r: (r.ends_on is not None, r.ends_on or today, r.branch.lft)
    )


def elections_due(today: datetime.date):
    """(branch id, branch name, the date the reminder is for, stage, term end) of
    every branch with an election reminder due today: six and three months before
    the end (one each), once a month after it, once a month with none recorded."""
    for term in election_calendar(None, today):
        end = term.ends_on
        if term.stage == Stage.SIX:
            yield (
                term.branch.pk,
                term.branch.name,
                add_months_safe(end, -6),
                term.stage,
                end,
            )
        elif term.stage == Stage.THREE:
            yield (
                term.branch.pk,
                term.branch.name,
                add_months_safe(end, -3),
                term.stage,
                end,
            )
        elif term.stage == Stage.ENDED:
            months = (today.year - end.year) * 12 + today.month - end.month
            step = add_months_safe(end, months)
            if step > today:
                step = add_months_safe(end, months - 1)
            yield term.branch.pk, term.branch.name, step, term.stage, end
        elif term.stage == Stage.NONE:
            yield term.branch.pk, term.branch.name, today.replace(day=1), term.stage, None
