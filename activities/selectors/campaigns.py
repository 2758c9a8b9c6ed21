"""Campaigns as their pages read them (issue 20): which campaigns a user sees, who
serves in which role, and the hours per role and month — each the sum of the
entries logged in that month — over the cadres the user may see."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from grids.models import OrgUnit, StaffRole, UnitKind
from grids.selectors import scope_of
from members.models import Cadre, CadreStatus
from members.selectors import cadres_visible_to, can_edit_cadre

from ..models import SUITABLE_MOBILITY, Campaign, CampaignEntry, CampaignService

# Campaigns are organized by a township or a grid, by these roles.
CAMPAIGN_UNIT_KINDS = (UnitKind.TOWNSHIP, UnitKind.GRID)
ORGANIZER_ROLES = (
    StaffRole.TOWNSHIP_OFFICER,
    StaffRole.ADMINISTRATOR,
    StaffRole.GRID_WORKER,
)


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    """The campaigns of a unit inside the user's scope, or above it: a township's
    campaign is every grid's and community's work too."""
    scope = scope_of(user)
    if scope.everything:
        return Campaign.objects.select_related("unit")
    if scope.is_empty:
        return Campaign.objects.none()
    condition = scope.q("unit__")
    for r in scope.ranges:
        condition |= Q(
            unit__tree_id=r.tree_id, unit__lft__lte=r.lft, unit__rght__gte=r.rght
        )
    return Campaign.objects.filter(condition).select_related("unit")


def may_manage_campaign(user, campaign: Campaign) -> bool:
    """Change the campaign and its roles: a writing role over its organizing unit."""
    return scope_of(user).writable().contains(campaign.unit)


def may_organize(user) -> bool:
    """Start a campaign: a writing role over some township or grid."""
    scope = scope_of(user).writable()
    return scope.everything or any(r.role in ORGANIZER_ROLES for r in scope.ranges)


@dataclass
class RoleSummary:
    role: object
    services: list = field(default_factory=list)  # (service, hours in all)
    by_month: dict = field(default_factory=dict)  # month (date, day 1) → hours
    total: Decimal = Decimal(0)


@dataclass
class CampaignOverview:
    roles: list[RoleSummary]
    months: list[datetime.date]
    total: Decimal
    entries: list
    serving: int  # cadres serving (the user can see)


def campaign_overview(campaign: Campaign, user, *, entries: int = 30) -> CampaignOverview:
    """Who serves in each role and the hours per role and month, over the cadres the
    user may see: four queries whatever the campaign's size."""
    visible = cadres_visible_to(user)
    services = list(
        CampaignService.objects.filter(role__campaign=campaign, cadre__in=visible)
        .select_related("cadre", "cadre__residence_unit")
        .order_by("role__sort_order", "role_id", "cadre__name_initials", "pk")
    )
    logged = CampaignEntry.objects.filter(
        service__role__campaign=campaign, service__cadre__in=visible
    )
    per_service = dict(
        logged.values("service_id")
        .annotate(total=Sum("hours"))
        .values_list("service_id", "total")
    )
    by_month = (
        logged.annotate(month=TruncMonth("on"))
        .values("service__role_id", "month")
        .annotate(total=Sum("hours"))
    )
    summaries = {r.pk: RoleSummary(r) for r in campaign.roles.all()}
    for s in services:
        summaries[s.role_id].services.append((s, per_service.get(s.pk, Decimal(0))))
    months = set()
    for row in by_month:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        summary = summaries[row["service__role_id"]]
        summary.by_month[month] = summary.by_month.get(month, Decimal(0)) + row["total"]
        summary.total += row["total"]
        months.add(month)
    recent = list(
        logged.select_related("service__cadre", "service__role", "recorded_by")[:entries]
    )
    roles = list(summaries.values())
    return CampaignOverview(
        roles=roles,
        months=sorted(months),
        total=sum((r.total for r in roles), Decimal(0)),
        entries=recent,
        serving=len({s.cadre_id for s in services}),
    )


def month_table(overview: CampaignOverview) -> list[tuple]:
    """Rows (role summary, [(month, hours) per month], total) for the page and the
    export."""
    return [
        (r, [(m, r.by_month.get(m, Decimal(0))) for m in overview.months], r.total)
        for r in overview.roles
    ]


def candidates_for(user, role, *, name: str, place=None) -> list[Cadre]:
    """Active cadres named `name` (exactly, or by pinyin initials) whom the user may
    change and whose mobility suits the role, optionally in one community or village."""
    found = cadres_visible_to(user).filter(
        status=CadreStatus.ACTIVE, mobility__in=SUITABLE_MOBILITY[role.needs]
    )
    found = found.filter(Q(name=name) | Q(name_initials=name.lower()))
    if place is not None:
        found = found.filter(residence_unit=place)
    return [c for c in found.select_related("branch", "residence_unit")[:20]
            if can_edit_cadre(user, c)]  # fmt: skip


def services_loggable_by(user, campaign: Campaign) -> list[CampaignService]:
    """The services whose hours the user may log (a writing role over the cadre)."""
    services = CampaignService.objects.filter(
        role__campaign=campaign, cadre__in=cadres_visible_to(user)
    ).select_related("cadre", "cadre__branch", "cadre__residence_unit", "role")
    return [s for s in services if can_edit_cadre(user, s.cadre)]


def hours_by_cadre_and_month(campaign: Campaign, user) -> dict:
    """(cadre, role) → {month: hours}: the export's detail sheet."""
    rows = (
        CampaignEntry.objects.filter(
            service__role__campaign=campaign, service__cadre__in=cadres_visible_to(user)
        )
        .annotate(month=TruncMonth("on"))
        .values("service__cadre__name", "service__role__name", "month")
        .annotate(total=Sum("hours"))
        .order_by("service__role__name", "service__cadre__name", "month")
    )
    table: dict = defaultdict(dict)
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        table[(row["service__cadre__name"], row["service__role__name"])][month] = row[
            "total"
        ]
    return table


@dataclass
class CampaignLine:
    """A campaign (or, with campaign None, a township's total) on the report."""

    campaign: Campaign | None
    township: str
    serving: int
    hours: Decimal
    figures: dict  # label → number (patrols, problems found, findings closed …)


def campaigns_report(user, campaigns) -> tuple[list[str], list[CampaignLine]]:
    """Per campaign and per township: the cadres serving (each counted once), the
    hours, and the figures the apps above register (patrols, findings closed), over
    the cadres the user may see. A township's total follows its campaigns. Five
    queries whatever the number of campaigns."""
    from ..hooks import figures_for

    campaigns = list(
        campaigns.select_related("unit").order_by("unit__tree_id", "-start_on", "pk")
    )
    ids = [c.pk for c in campaigns]
    services = CampaignService.objects.filter(
        role__campaign_id__in=ids, cadre__in=cadres_visible_to(user)
    )
    serving = _count_by(services, "role__campaign_id")
    per_tree = _count_by(services, "role__campaign__unit__tree_id")
    hours = dict(
        CampaignEntry.objects.filter(service__in=services.values("pk"))
        .values("service__role__campaign_id")
        .annotate(total=Sum("hours"))
        .values_list("service__role__campaign_id", "total")
        .order_by()
    )
    labels, figures = figures_for(ids, user)
    roots = dict(
        OrgUnit.objects.filter(
            tree_id__in={c.unit.tree_id for c in campaigns}, parent__isnull=True
        ).values_list("tree_id", "name")
    )
    lines: list[CampaignLine] = []
    for tree_id in dict.fromkeys(c.unit.tree_id for c in campaigns):
        mine = [c for c in campaigns if c.unit.tree_id == tree_id]
        township = roots.get(tree_id, "")
        for c in mine:
            lines.append(CampaignLine(c, township, serving.get(c.pk, 0),
                                      hours.get(c.pk) or Decimal(0), figures[c.pk]))  # fmt: skip
        lines.append(CampaignLine(
            None, township, per_tree.get(tree_id, 0),
            sum((line.hours for line in lines[-len(mine):]), Decimal(0)),
            {label: sum(figures[c.pk][label] for c in mine) for label in labels},
        ))  # fmt: skip
    return labels, lines


def _count_by(services, key: str) -> dict[int, int]:
    """Distinct cadres serving, grouped by `key`."""
    return dict(
        services.values(key)
        .annotate(n=Count("cadre", distinct=True))
        .values_list(key, "n")
        .order_by()
    )
