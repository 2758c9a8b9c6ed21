"""The report the organization section sends upward (issue 18): for a township or a
grid and a period, the roster's make-up, visits and coverage, organizational life,
honours, partner units and check-ups — as tables that the printable page shows and
the workbook writes, one sheet each. Every figure comes from the selectors behind
the pages (coverage, compliance, participation, the 50-year list, partners), so the
report cannot say something the pages do not."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import HonourStatus
from activities.selectors.core import honours_50_list
from activities.selectors.summary import compliance_rows, participation_rows
from grids.models import OrgUnit, UnitKind
from grids.selectors import units_visible_to
from members.dates import latest_birth_date_for_age
from members.models import CadreStatus, Category, LivingSituation
from members.selectors import cadres_in_unit, cadres_visible_to
from services.models import HealthCheck
from services.selectors.coverage import coverage
from services.selectors.partners import partner_report

REPORT_KINDS = (UnitKind.DISTRICT, UnitKind.TOWNSHIP, UnitKind.GRID)
AGE_BANDS = (0, 70, 80, 90, 100)


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)


@dataclass
class Report:
    unit: OrgUnit
    period: object
    tables: list[Table]
    charts: list[dict]
    made_at: object

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def report_units(user):
    """The units a report can be made for: townships and grids (and a district) in
    the user's scope."""
    return (
        units_visible_to(user)
        .filter(kind__in=REPORT_KINDS, is_active=True)
        .order_by("tree_id", "lft")
    )


def _children(unit: OrgUnit) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(parent=unit)
        .exclude(kind=UnitKind.PARTY_GROUP)
        .order_by("lft")
    )


def _pct(part: int, whole: int):
    return round(part * 100 / whole, 1) if whole else "—"


def _roster(user, unit, today) -> list[Table]:
    cadres = cadres_in_unit(cadres_visible_to(user), unit).filter(
        status=CadreStatus.ACTIVE
    )
    total = cadres.count()
    by_cat = dict(cadres.values_list("category").annotate(n=Count("pk")).order_by())
    by_living = dict(
        cadres.values_list("living_situation").annotate(n=Count("pk")).order_by()
    )
    by_rank = Counter(
        dict(cadres.values_list("original_rank").annotate(n=Count("pk")).order_by())
    )
    bounds = {age: latest_birth_date_for_age(age, today) for age in AGE_BANDS[1:]}
    ages = cadres.aggregate(**{
        f"a{age}": Count("pk", filter=Q(birth_date__lte=born)) for age, born in bounds.items()
    })  # fmt: skip
    at_least = [total, *(ages[f"a{a}"] for a in AGE_BANDS[1:]), 0]
    band_rows = []
    for i, low in enumerate(AGE_BANDS):
        label = (_("Under %(n)d") % {"n": AGE_BANDS[1]} if i == 0 else
                 _("%(n)d and over") % {"n": low} if low == AGE_BANDS[-1] else f"{low}–{AGE_BANDS[i + 1] - 1}")  # fmt: skip
        n = at_least[i] - at_least[i + 1]
        band_rows.append([label, n, _pct(n, total)])
    head = [_("Cadres"), _("Share, per cent")]
    return [
        Table("category", _("Roster by category"), [_("Category"), *head],
              [*([str(label), by_cat.get(key, 0), _pct(by_cat.get(key, 0), total)]
                 for key, label in Category.choices), [_("Total"), total, 100 if total else "—"]]),
        Table("age", _("Roster by age"), [_("Age"), *head], band_rows),
        Table("rank", _("Roster by original rank"), [_("Original rank"), *head],
              [[rank or _("Not filled in"), n, _pct(n, total)]
               for rank, n in sorted(by_rank.items(), key=lambda kv: (-kv[1], kv[0]))]),
        Table("living", _("Roster by living situation"), [_("Living situation"), *head],
              [[str(label), by_living.get(key, 0), _pct(by_living.get(key, 0), total)]
               for key, label in LivingSituation.choices]),
    ]  # fmt: skip


def _coverage(unit, period, today) -> Table:
    result = coverage(unit=unit, start=period.start, end=period.end, today=today)
    rows = [[r.unit.name, r.cuts["all"].eligible, r.cuts["all"].covered,
             r.cuts["all"].percent if r.cuts["all"].percent is not None else "—",
             r.cuts["all"].overdue] for r in result.rows]  # fmt: skip
    total = result.total.cuts["all"]
    rows.append([_("Total"), total.eligible, total.covered,
                 total.percent if total.percent is not None else "—", total.overdue])  # fmt: skip
    return Table("coverage", _("Visits and coverage"),
                 [_("Unit"), _("To be visited"), _("Covered"), _("Coverage, per cent"),
                  _("Overdue now")], rows)  # fmt: skip


def _party_life(unit, period, children) -> list[Table]:
    comp = compliance_rows(unit, period, children)
    part = participation_rows(unit, period, children)
    return [
        Table("compliance", _("Organizational life: branches meeting the rules"),
              [_("Unit"), _("Branches"), _("Meeting the rules"), _("Per cent")],
              [*([r["unit"].name, r["branches"], r["met"], r["percent"]] for r in comp.rows),
               [_("Total"), comp.total, comp.met, _pct(comp.met, comp.total)]]),
        Table("participation", _("Organizational life: participation"),
              [_("Unit"), _("Expected"), _("Took part"), _("Participation")],
              [*([r["unit"].name, r["whole"].expected, r["whole"].took_part, r["whole"].percent]
                 for r in part.rows),
               [_("Total"), part.total.expected, part.total.took_part, part.total.percent]]),
    ]  # fmt: skip


def _honours(user, unit, period) -> Table:
    year = period.end.year
    inside = cadres_in_unit(cadres_visible_to(user), unit).values("pk")
    counts = dict(
        honours_50_list(user, year)
        .filter(cadre__in=inside)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return Table("honours", _("Fifty years in the Party: medals of %(year)d") % {"year": year},
                 [_("Status"), _("Members")],
                 [[str(label), counts.get(key, 0)] for key, label in HonourStatus.choices])  # fmt: skip


def _partners(user, unit, period) -> Table:
    cadres = cadres_in_unit(cadres_visible_to(user), unit)
    figures = [f for f in partner_report(user, period.start, period.end, cadres=cadres)
               if f.delivered or f.pairings]  # fmt: skip
    return Table("partners", _("Partner units"),
                 [_("Partner unit"), _("Visits"), _("Check-ups"), _("Cadres reached")],
                 [[f.partner.name, f.visits, f.check_ups, f.cadres] for f in figures])  # fmt: skip


def _checkups(user, unit, period, children) -> Table:
    checked = HealthCheck.objects.filter(
        cadre=OuterRef("pk"), checked_on__gte=period.start, checked_on__lte=period.end
    )
    active = cadres_visible_to(user).filter(status=CadreStatus.ACTIVE)
    rows = []
    for child in children or [unit]:
        figures = cadres_in_unit(active, child).aggregate(
            n=Count("pk"), done=Count("pk", filter=Q(Exists(checked)))
        )
        rows.append(
            [
                child.name,
                figures["n"],
                figures["done"],
                _pct(figures["done"], figures["n"]),
            ]
        )
    total = cadres_in_unit(active, unit).aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(Exists(checked)))
    )
    rows.append([_("Total"), total["n"], total["done"], _pct(total["done"], total["n"])])
    return Table("checkups", _("Check-ups in the period"),
                 [_("Unit"), _("Cadres"), _("Checked"), _("Per cent")], rows)  # fmt: skip


def upward_report(user, unit: OrgUnit, period) -> Report:
    today = timezone.localdate()
    children = _children(unit)
    tables = [
        *_roster(user, unit, today),
        _coverage(unit, period, today),
        *_party_life(unit, period, children),
        _honours(user, unit, period),
        _partners(user, unit, period),
        _checkups(user, unit, period, children),
    ]
    report = Report(unit, period, tables, [], timezone.now())
    report.charts = _charts(report)
    return report


def _charts(report: Report) -> list[dict]:
    """Three charts drawn from the tables (the same numbers, as pictures)."""
    age = report.table("age")
    cov = report.table("coverage").rows[:-1]
    part = report.table("participation").rows[:-1]

    def number(value):
        return value if isinstance(value, int | float) else None

    return [
        {"id": "chart-age", "kind": "bar", "title": age.title, "labels": [r[0] for r in age.rows],
         "series": [{"name": _("Cadres"), "values": [r[1] for r in age.rows]}]},
        {"id": "chart-coverage", "kind": "bar", "title": _("Coverage, per cent"), "unit": "%",
         "labels": [r[0] for r in cov], "series": [{"name": _("Coverage, per cent"),
                                                   "values": [number(r[3]) for r in cov]}]},
        {"id": "chart-participation", "kind": "bar", "title": _("Participation"), "unit": "%",
         "labels": [r[0] for r in part],
         "series": [{"name": _("Participation"),
                     "values": [round(r[2] * 100 / r[1], 1) if r[1] else None for r in part]}]},
    ]  # fmt: skip
