"""Reads of points: a member's ledger and a branch's ranking for a year."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from members.models import Cadre, CadreStatus

from ..models import PointsEntry
from ..services.points import is_exempt, schemes_for


@dataclass
class Standing:
    cadre: Cadre
    exempt: bool
    total: int | None  # None: exempt (免于积分), or no scheme
    rank: int | None = None
    entries: list = field(default_factory=list)


def branch_members_in_year(branch, year: int):
    """The branch's members who were on the roster at some point of the year."""
    return Cadre.objects.filter(branch=branch, is_party_member=True).filter(
        Q(status=CadreStatus.ACTIVE) | Q(archived_on__gte=datetime.date(year, 1, 1))
    )


def points_ranking(branch, year: int) -> tuple[object, list[Standing]]:
    """(scheme, standings best first; the exempt last, unranked). Four queries."""
    scheme = schemes_for([branch.pk], year).get(branch.pk)
    members = list(branch_members_in_year(branch, year).order_by("name_initials", "pk"))
    sums = dict(
        PointsEntry.objects.filter(cadre__in=[m.pk for m in members], year=year)
        .values("cadre_id")
        .annotate(total=Sum("points"))
        .values_list("cadre_id", "total")
    )
    standings = []
    for cadre in members:
        exempt = scheme is not None and is_exempt(cadre, scheme, year)
        total = (
            None
            if scheme is None or exempt
            else scheme.base_score + (sums.get(cadre.pk) or 0)
        )
        standings.append(Standing(cadre, exempt, total))
    scored = sorted((s for s in standings if s.total is not None), key=lambda s: -s.total)
    rank, previous = 0, None
    for position, standing in enumerate(scored, start=1):
        if standing.total != previous:
            rank, previous = position, standing.total
        standing.rank = rank
    return scheme, scored + [s for s in standings if s.total is None]


def points_ledger(cadre: Cadre, year: int) -> Standing:
    scheme = (
        schemes_for([cadre.branch_id], year).get(cadre.branch_id)
        if cadre.branch_id
        else None
    )
    entries = list(
        PointsEntry.objects.filter(cadre=cadre, year=year)
        .select_related("item")
        .order_by("on", "pk")
    )
    exempt = scheme is not None and is_exempt(cadre, scheme, year)
    total = (
        None
        if scheme is None or exempt
        else scheme.base_score + sum(e.points for e in entries)
    )
    standing = Standing(cadre, exempt, total, entries=entries)
    standing.scheme = scheme
    return standing
