"""What each co-building partner promised and delivered (issue 9): pairings, promised
services, visits and check-ups recorded against the partner, per month, and the cadres
reached — counted only for cadres inside the viewer's scope. A fixed number of
queries whatever the number of partners, visits or cadres."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from grids.models import Pairing, PairingService, PartnerUnit
from grids.selectors import partners_visible_to, scope_of, unit_ids_in
from members.selectors import cadres_visible_to

from ..models import CareRequest, CareVisit, HealthCheck, RequestStatus, VisitedCadre


@dataclass
class PartnerFigures:
    partner: PartnerUnit
    pairings: list = field(default_factory=list)
    promised: list = field(default_factory=list)
    visits: int = 0
    check_ups: int = 0
    requests: int = 0  # requests matched to the partner and done (issue 20)
    cadres: int = 0
    by_month: dict = field(default_factory=dict)  # month (date) → (visits, check-ups)

    @property
    def delivered(self) -> int:
        return self.visits + self.check_ups + self.requests


def partner_report(
    user, start: datetime.date, end: datetime.date, partners=None, cadres=None
) -> list[PartnerFigures]:
    """Each partner's visits, check-ups and cadres reached in the period — counting
    only the cadres in the user's scope (or the narrower `cadres` given)."""
    partners = list((partners or partners_visible_to(user)).order_by("name"))
    figures = {p.pk: PartnerFigures(p) for p in partners}
    ids = list(figures)
    visible = (cadres if cadres is not None else cadres_visible_to(user)).values("pk")
    pairings = Pairing.objects.filter(partner_id__in=ids).select_related("unit")
    if not scope_of(user).everything:
        pairings = pairings.filter(unit_id__in=unit_ids_in(user))
    for pairing in pairings.order_by("unit__name"):
        figures[pairing.partner_id].pairings.append(pairing)
    for service in (
        PairingService.objects.filter(
            pairing__in=[p.pk for f in figures.values() for p in f.pairings]
        )  # fmt: skip
        .select_related("pairing", "pairing__unit")
        .order_by("pk")
    ):
        figures[service.pairing.partner_id].promised.append(service)
    visits = (
        CareVisit.objects.filter(
            partner_id__in=ids,
            visited_on__gte=start,
            visited_on__lte=end,
            visited__cadre__in=visible,
        )
        .annotate(month=TruncMonth("visited_on"))
        .values("partner_id", "month")
        .annotate(n=Count("pk", distinct=True))
    )
    checks = (
        HealthCheck.objects.filter(
            partner_id__in=ids,
            checked_on__gte=start,
            checked_on__lte=end,
            cadre__in=visible,
        )
        .annotate(month=TruncMonth("checked_on"))
        .values("partner_id", "month")
        .annotate(n=Count("pk"))
    )
    months: dict = defaultdict(lambda: [0, 0])
    for row in visits:
        figures[row["partner_id"]].visits += row["n"]
        months[(row["partner_id"], _month(row["month"]))][0] += row["n"]
    for row in checks:
        figures[row["partner_id"]].check_ups += row["n"]
        months[(row["partner_id"], _month(row["month"]))][1] += row["n"]
    for (partner_id, month), (v, c) in sorted(months.items()):
        figures[partner_id].by_month[month] = (v, c)
    # Cadres reached: by a visit or a check-up of the partner, counted once.
    reached: dict[int, set] = defaultdict(set)
    for partner_id, cadre_id in VisitedCadre.objects.filter(
        visit__partner_id__in=ids,
        visited_on__gte=start,
        visited_on__lte=end,
        cadre__in=visible,
    ).values_list("visit__partner_id", "cadre_id"):
        reached[partner_id].add(cadre_id)
    for partner_id, cadre_id in HealthCheck.objects.filter(
        partner_id__in=ids, checked_on__gte=start, checked_on__lte=end, cadre__in=visible
    ).values_list("partner_id", "cadre_id"):
        reached[partner_id].add(cadre_id)
    # Requests the partner did (a cadre's need in scope, or a community's in scope).
    scoped = Q(cadre__in=visible)
    scoped |= (Q(cadre__isnull=True) if scope_of(user).everything
               else Q(cadre__isnull=True, unit_id__in=unit_ids_in(user)))  # fmt: skip
    for row in (
        CareRequest.objects.filter(
            scoped, assigned_partner_id__in=ids, status=RequestStatus.DONE,
            done_on__gte=start, done_on__lte=end,
        ).values("assigned_partner_id").annotate(n=Count("pk"))
    ):  # fmt: skip
        figures[row["assigned_partner_id"]].requests = row["n"]
    for partner_id, cadres in reached.items():
        figures[partner_id].cadres = len(cadres)
    return [figures[p.pk] for p in partners]


def _month(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return value.replace(day=1)
