"""Compliance and participation (issue 16): which branches held the meetings their
rules ask for, and who took part — fair to frail members.

Both read stored counts, never millions of rows: compliance counts meetings per
branch, kind, group and month in one aggregate query; participation sums the
expected and took-part counts each meeting keeps with its record (fixed when it
was recorded). Rates over several meetings or units are pooled: Σ took part ÷
Σ expected, never a mean of rates.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from grids.models import OrgUnit, UnitKind

from ..models import (
    TAKING_PART,
    Activity,
    ActivityKind,
    AppliesTo,
    Attendance,
    AttendanceStatus,
    BranchCommittee,
    BranchReview,
    Expected,
    MeetingRule,
    RecordStatus,
    ReviewStatus,
)
from ..periods import Period, Window

MET, MISSED, DUE, SO_FAR = "met", "missed", "due", "so_far"


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def held_between(queryset, start: datetime.date, end: datetime.date):
    """Submitted meetings whose local date lies in [start, end]."""
    return queryset.filter(
        status=RecordStatus.SUBMITTED,
        starts_at__gte=_aware(start),
        starts_at__lt=_aware(end + datetime.timedelta(days=1)),
    )


def branches_in(unit: OrgUnit | None) -> list[dict]:
    """The branches in a unit's subtree (all, for None) with what the rules need:
    pk, name, parent kind (community or village) and the branch's place in the tree."""
    branches = OrgUnit.objects.filter(kind=UnitKind.BRANCH, is_active=True)
    if unit is not None:
        # The unit's place as stored now (an instance may predate later inserts).
        place = OrgUnit.objects.filter(pk=unit.pk).values("tree_id", "lft", "rght")
        branches = branches.filter(
            tree_id=Subquery(place.values("tree_id")),
            lft__gte=Subquery(place.values("lft")),
            rght__lte=Subquery(place.values("rght")),
        )
    return list(
        branches.order_by("tree_id", "lft").values(
            "pk", "name", "parent_id", "parent__kind", "lft", "rght", "tree_id"
        )
    )


@dataclass
class WindowCheck:
    window: Window
    held: int
    at_least: int
    status: str


@dataclass
class RuleCheck:
    rule: MeetingRule
    target: str  # the branch, or one of its party groups
    windows: list[WindowCheck]

    @property
    def missed(self) -> list[WindowCheck]:
        return [w for w in self.windows if w.status == MISSED]


@dataclass
class BranchCompliance:
    pk: int
    name: str
    checks: list[RuleCheck] = field(default_factory=list)

    @property
    def missing(self) -> list[tuple[str, str]]:
        """(kind, window) of every rule missed, e.g. ("主题党日", "2026-08")."""
        return [
            (
                c.target and f"{c.rule.kind.name}（{c.target}）" or c.rule.kind.name,
                w.window.label,
            )
            for c in self.checks
            for w in c.missed
        ]

    @property
    def due(self) -> list[tuple[str, str]]:
        return [
            (c.rule.kind.name, w.window.label)
            for c in self.checks
            for w in c.windows
            if w.status == DUE
        ]

    @property
    def compliant(self) -> bool:
        return not any(c.missed for c in self.checks)


def _rule_applies(rule: MeetingRule, parent_kind: str) -> bool:
    if rule.applies_to == AppliesTo.COMMUNITY:
        return parent_kind == UnitKind.COMMUNITY
    if rule.applies_to == AppliesTo.VILLAGE:
        return parent_kind == UnitKind.VILLAGE
    return True


def compliance(
    branches: list[dict], period: Period, today: datetime.date | None = None
) -> list[BranchCompliance]:
    """Each branch's rules checked over the period: per calendar window of the
    rule (every month for a monthly rule), met, missed, or due when the window is
    not over yet; a yearly rule over a shorter period counts "so far". Five
    queries whatever the number of branches and meetings."""
    today = today or timezone.localdate()
    rules = list(
        MeetingRule.objects.filter(is_active=True, kind__is_active=True).select_related(
            "kind"
        )
    )
    ids = [b["pk"] for b in branches]
    plans = {r.pk: period.windows(r.per) for r in rules}
    first = min(
        [period.start]
        + [w.start for inside, around in plans.values() for w in inside + [around] if w]
    )
    groups: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if any(r.kind.expected == Expected.GROUP for r in rules):
        for pk, parent, name in (
            OrgUnit.objects.filter(
                parent_id__in=ids, kind=UnitKind.PARTY_GROUP, is_active=True
            )
            .order_by("lft")
            .values_list("pk", "parent_id", "name")
        ):
            groups[parent].append((pk, name))
    seated: set[int] = set()
    if any(r.kind.expected == Expected.COMMITTEE for r in rules):
        for committee in BranchCommittee.objects.filter(
            branch_id__in=ids, elected_on__lte=period.end
        ):
            if committee.term_ends_on > period.start:
                seated.add(committee.branch_id)
    held: dict[tuple, int] = defaultdict(int)
    kinds = {r.kind.code for r in rules}
    for row in (
        held_between(
            Activity.objects.filter(unit_id__in=ids, kind_id__in=kinds), first, period.end
        )
        # The month as a date (in the local time zone): an aware datetime per row
        # cost more than the rest of the page (3,000 rows for a township).
        .annotate(month=TruncMonth("starts_at", output_field=DateField()))
        .values("unit_id", "kind_id", "party_group_id", "month")
        .annotate(n=Count("pk"))
    ):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        held[(row["unit_id"], row["kind_id"], row["party_group_id"], month)] += row["n"]

    if ActivityKind.DEMOCRATIC_REVIEW in kinds:
        # A submitted yearly review counts as the year's 民主评议党员 (issue 17).
        for branch_id, submitted in BranchReview.objects.filter(
            branch_id__in=ids, status=ReviewStatus.SUBMITTED, submitted_at__isnull=False,
            submitted_at__gte=_aware(first), submitted_at__lt=_aware(period.end + datetime.timedelta(days=1)),
        ).values_list("branch_id", "submitted_at"):  # fmt: skip
            month = timezone.localtime(submitted).date().replace(day=1)
            held[(branch_id, ActivityKind.DEMOCRATIC_REVIEW, None, month)] += 1

    def count(branch, kind, group, start, end):
        total, day = 0, start.replace(day=1)
        while day <= end:
            total += held.get((branch, kind, group, day), 0)
            day = (day + datetime.timedelta(days=32)).replace(day=1)
        return total

    results = []
    for branch in branches:
        result = BranchCompliance(branch["pk"], branch["name"])
        for rule in rules:
            if not _rule_applies(rule, branch["parent__kind"]):
                continue
            if rule.kind.expected == Expected.GROUP:
                targets = groups.get(branch["pk"], [])  # no groups: no group rule
            elif rule.kind.expected == Expected.COMMITTEE and branch["pk"] not in seated:
                continue  # no committee in office: no committee meetings asked
            else:
                targets = [(None, "")]
            inside, around = plans[rule.pk]
            for group, target in targets:
                checks = []
                for window in inside:
                    n = count(
                        branch["pk"], rule.kind.code, group, window.start, window.end
                    )
                    status = (
                        MET
                        if n >= rule.at_least
                        else DUE
                        if window.end >= today
                        else MISSED
                    )
                    checks.append(WindowCheck(window, n, rule.at_least, status))
                if around:
                    n = count(
                        branch["pk"], rule.kind.code, group, around.start, period.end
                    )
                    status = (
                        MET if n >= rule.at_least
                        else DUE if around.end >= today else SO_FAR
                    )  # fmt: skip
                    checks.append(WindowCheck(around, n, rule.at_least, status))
                result.checks.append(RuleCheck(rule, target, checks))
        results.append(result)
    return results


# ---- participation -------------------------------------------------------------------


@dataclass
class Rate:
    expected: int = 0
    took_part: int = 0

    def add(self, expected: int, took_part: int) -> None:
        self.expected += expected
        self.took_part += took_part

    @property
    def rate(self) -> float | None:
        return self.took_part / self.expected if self.expected else None

    @property
    def percent(self) -> str:
        return "—" if self.rate is None else f"{self.rate * 100:.1f}%"


def counted_meetings(branch_ids, period: Period):
    """The submitted meetings of the branches in the period that count in
    participation (their kind expects someone)."""
    return held_between(
        Activity.objects.filter(unit_id__in=branch_ids), period.start, period.end
    ).exclude(kind__expected=Expected.OPEN)


def participation_by_branch_month(
    branch_ids, period: Period
) -> dict[tuple[int, datetime.date], Rate]:
    """(branch id, first of month) → pooled counts, from the meetings' stored
    counts: one query."""
    rates: dict[tuple[int, datetime.date], Rate] = defaultdict(Rate)
    for row in (
        counted_meetings(branch_ids, period)
        .annotate(month=TruncMonth("starts_at", output_field=DateField()))
        .values("unit_id", "month")
        .annotate(expected=Sum("expected_count"), took=Sum("took_part_count"))
    ):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        rates[(row["unit_id"], month)].add(row["expected"] or 0, row["took"] or 0)
    return rates


def participation_by_member(branch_ids, period: Period) -> dict[int, Rate]:
    """Cadre id → their expected and took-part counts over the period's meetings
    (only the meetings they were expected at): one query."""
    rates: dict[int, Rate] = {}
    for row in (
        Attendance.objects.filter(
            activity__in=counted_meetings(branch_ids, period).values("pk")
        )
        .values("cadre_id")
        .annotate(
            expected=Count("pk", filter=~Q(status=AttendanceStatus.UNABLE)),
            took=Count("pk", filter=Q(status__in=TAKING_PART)),
        )
    ):
        rates[row["cadre_id"]] = Rate(row["expected"], row["took"])
    return rates


def study_hours_by_member(branch_ids, period: Period) -> dict[int, float]:
    """Cadre id → study hours (学时) in the period: the durations of the meetings
    whose kind counts as study (remote education, films, lectures) they took part
    in. One query."""
    hours: dict[int, float] = {}
    for row in (
        Attendance.objects.filter(
            activity__in=held_between(
                Activity.objects.filter(
                    unit_id__in=branch_ids,
                    kind__study_hours=True,
                    duration_minutes__isnull=False,
                ),
                period.start,
                period.end,
            ).values("pk"),
            status__in=TAKING_PART,
        )
        .values("cadre_id")
        .annotate(minutes=Sum("activity__duration_minutes"))
    ):
        hours[row["cadre_id"]] = round((row["minutes"] or 0) / 60, 1)
    return hours
