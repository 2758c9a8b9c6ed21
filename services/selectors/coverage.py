"""Visit coverage across the tree (issue 9): for a unit and a period, per child unit,
how many cadres were eligible, how many were covered, and how many are overdue now.

Definitions (the township's):
- eligible: on the roster for the whole period — there on its first day
  (`Cadre.on_roster_since`: an import today does not make the cadre uncovered for
  the quarter) and not archived before it ended;
- required contacts: max(1, ⌊days in the period ÷ the tier's interval⌋), the intervals
  of VisitPolicy (7 / 30 / 91 days by default);
- a contact counts when the cadre was met; covered: counted contacts ≥ required.

A cadre belongs to the child unit holding their residence (care follows where they
live). Three queries whatever the number of units or cadres: the unit, its subtree,
and the eligible cadres with their plans and counted contacts.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from grids.grading import grade  # noqa: F401 (the coverage page's colours)
from grids.models import OrgUnit, UnitKind
from members.dates import latest_birth_date_for_age
from members.models import Cadre, CadreStatus, Category, LivingSituation

from ..models import VisitedCadre, VisitPolicy, VisitTier
from ..plans import FIELDS, tier_for

CUTS = ("all", "lixiu", "aged80", "alone")


@dataclass
class Tally:
    eligible: int = 0
    covered: int = 0
    overdue: int = 0

    @property
    def percent(self) -> float | None:
        return round(100 * self.covered / self.eligible, 1) if self.eligible else None


@dataclass
class Row:
    unit: OrgUnit
    cuts: dict[str, Tally] = field(default_factory=lambda: {c: Tally() for c in CUTS})


@dataclass
class CadreCoverage:
    pk: int
    name: str
    residence_unit_id: int
    tier: str
    contacts: int
    required: int

    @property
    def covered(self) -> bool:
        return self.contacts >= self.required


@dataclass
class Coverage:
    unit: OrgUnit
    start: datetime.date
    end: datetime.date
    rows: list[Row]
    total: Row
    cadres: list[CadreCoverage]

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def required_contacts(days: int, tier: str, policy: VisitPolicy) -> int:
    return max(1, days // policy.interval(tier))


def coverage(
    *,
    unit: OrgUnit,
    start: datetime.date,
    end: datetime.date,
    today=None,
    every_cadre: bool = False,
) -> Coverage:
    """The coverage of `unit`'s child units; `cadres` lists those not covered (every
    eligible cadre with every_cadre=True), the furthest behind first."""
    today = today or timezone.localdate()
    policy = VisitPolicy.current()
    days = (end - start).days + 1
    unit = OrgUnit.objects.get(pk=unit.pk)  # its tree columns as stored now
    subtree = list(
        OrgUnit.objects.filter(
            tree_id=unit.tree_id, lft__gte=unit.lft, rght__lte=unit.rght
        )
        .order_by("lft")
        .only(
            "pk", "name", "kind", "code", "parent_id", "lft", "rght", "tree_id", "level"
        )
    )
    # Rows: the child units where cadres can live (a community's branches are not).
    children = [
        u for u in subtree
        if u.parent_id == unit.pk and u.kind not in (UnitKind.BRANCH, UnitKind.PARTY_GROUP)
    ] or [unit]  # fmt: skip
    owner: dict[int, Row] = {}
    rows = [Row(child) for child in children]
    for row in rows:
        for u in subtree:
            if row.unit.lft <= u.lft <= row.unit.rght:
                owner[u.pk] = row
    # Eligible: on the roster on the period's first day, not archived before its end.
    # COUNT without GROUP BY: PostgreSQL then answers each cadre from the partial
    # index visitedcadre_met alone.
    counted = (
        VisitedCadre.objects.filter(
            cadre_id=OuterRef("pk"), met=True, visited_on__gte=start, visited_on__lte=end
        )
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    eligible = (
        Cadre.objects.filter(
            residence_unit__tree_id=unit.tree_id,
            residence_unit__lft__gte=unit.lft,
            residence_unit__rght__lte=unit.rght,
        )
        .filter(Q(status=CadreStatus.ACTIVE) | Q(archived_on__gt=end))
        .filter(on_roster_since__lte=start)
        .order_by()
        # The contacts that count, per cadre, from the partial index visitedcadre_met.
        .annotate(contacts=Coalesce(Subquery(counted), 0))
        .values_list(
            "pk",
            "name",
            "residence_unit_id",
            "visit_plan__tier",
            "visit_plan__next_due_on",
            "status",
            "birth_date",
            "living_situation",
            "critically_ill",
            "category",
            "disabled_or_cognitive",
            "in_hardship",
            "contacts",
        )  # fmt: skip
    )
    required = {t: required_contacts(days, t, policy) for t in VisitTier.values}
    aged_by = latest_birth_date_for_age(80, end)
    aged_now = latest_birth_date_for_age(80, today)
    total = Row(unit)
    cadres = []
    # Each cadre adds to one tally key; the keys (a few hundred) then fill the cuts.
    keys: Counter = Counter()
    for (pk, name, residence, tier, due, status, birth, living, ill, category,
         disabled, hardship, contacts) in eligible:  # fmt: skip
        if tier is None:  # archived after the period: no plan any more
            tier = tier_for(dict(zip(FIELDS, (birth, living, ill, category, disabled,
                                              hardship), strict=True)), policy, end)  # fmt: skip
        covered = contacts >= required[tier]
        if every_cadre or not covered:
            cadres.append(
                CadreCoverage(pk, name, residence, tier, contacts, required[tier])
            )
        keys[(
            residence, category == Category.LIXIU, living == LivingSituation.ALONE,
            birth <= aged_by, birth <= aged_now, covered,
            status == CadreStatus.ACTIVE and due is not None and due < today,
        )] += 1  # fmt: skip
    for (residence, lixiu, alone, aged, aged_today, covered, overdue), n in keys.items():
        for target in (owner[residence], total):
            for cut, member in (("all", True), ("lixiu", lixiu), ("aged80", aged),
                                ("alone", alone)):  # fmt: skip
                if member:
                    tally = target.cuts[cut]
                    tally.eligible += n
                    tally.covered += n if covered else 0
            if overdue:
                for cut, member in (("all", True), ("lixiu", lixiu),
                                    ("aged80", aged_today), ("alone", alone)):  # fmt: skip
                    if member:
                        target.cuts[cut].overdue += n
    cadres.sort(key=lambda c: c.contacts - c.required)  # the furthest behind first
    return Coverage(unit, start, end, rows, total, cadres)


TIER_ORDER = [VisitTier.HIGH, VisitTier.PRIORITY, VisitTier.GENERAL]
