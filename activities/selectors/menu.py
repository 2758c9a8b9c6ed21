"""The activity menu as its pages read it (活动菜单, issue 20): what a branch's cadres
are offered in a quarter — by the branch, its grid or township, or a partner unit for
them — the menu for one cadre with what suits them first, the members who took part
in nothing (no meeting, no activity), and the uptake by suitability."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from grids.models import OrgUnit, UnitKind
from grids.selectors import scope_of
from members.models import Cadre, CadreStatus

from ..models import (
    SUITABLE_MOBILITY,
    TAKING_PART,
    Activity,
    Attendance,
    Expected,
    MeetingKind,
    SignUp,
    Suits,
)
from .partylife import held_between

# Who offers a menu: a branch, or a grid or township for every branch below it.
MENU_UNIT_KINDS = (UnitKind.TOWNSHIP, UnitKind.GRID, UnitKind.BRANCH)


def menu_kinds() -> QuerySet[MeetingKind]:
    """The kinds an activity on the menu may be: those not counted in participation."""
    return MeetingKind.objects.filter(expected=Expected.OPEN, is_active=True)


def suits_cadre(suits: str, mobility: str) -> bool:
    """Whether an activity marked `suits` suits a cadre of this mobility."""
    return mobility in SUITABLE_MOBILITY.get(suits, ())


def _ancestry(*units) -> list[int]:
    """The units and every unit above them (a grid's menu is each branch's too),
    from their places as stored now (an instance may predate later inserts)."""
    ids: set[int] = set()
    for unit in OrgUnit.objects.filter(pk__in=[u.pk for u in units if u is not None]):
        ids.update(unit.get_ancestors(include_self=True).values_list("pk", flat=True))
    return sorted(ids)


def on_menu_of(activity: Activity, cadre: Cadre) -> bool:
    """Whether the activity is on the menu of the cadre's branch or community."""
    return bool(activity.suits) and activity.unit_id in _ancestry(
        cadre.branch, cadre.residence_unit
    )


def menu_activities(units: list[int], start: datetime.date, end: datetime.date):
    """The menu's activities of these units in [start, end], with their sign-ups."""
    return (
        held_between(Activity.objects.filter(unit_id__in=units), start, end)
        .exclude(suits="")
        .select_related("kind", "unit", "offered_by")
        .annotate(signed=Count("signups", distinct=True))
        .order_by("starts_at", "pk")
    )


def branch_menu(branch: OrgUnit, period) -> list[Activity]:
    """What the branch's cadres are offered in the period: the branch's own menu and
    its grid's and township's."""
    return list(menu_activities(_ancestry(branch), period.start, period.end))


@dataclass
class MenuChoice:
    activity: Activity
    suitable: bool
    liked: bool  # its theme is one of the cadre's interests
    signed_up: bool
    past: bool

    @property
    def full(self) -> bool:
        capacity = self.activity.capacity
        return capacity is not None and self.activity.signed >= capacity

    @property
    def open(self) -> bool:
        return self.suitable and not self.past and not self.full and not self.signed_up


def menu_for_cadre(cadre: Cadre, period) -> list[MenuChoice]:
    """The menu for one cadre: what suits them first (a cadre at home only sees the
    at-home activities first; one needing travel is never offered as suitable), then
    their interests, then the nearest fit to their mobility, then the date. Three
    queries."""
    units = _ancestry(cadre.branch, cadre.residence_unit)
    activities = list(menu_activities(units, period.start, period.end))
    mine = set(
        SignUp.objects.filter(
            cadre=cadre, activity__in=[a.pk for a in activities]
        ).values_list("activity_id", flat=True)
    )
    now, liked = timezone.now(), set(cadre.interests or ())
    choices = [
        MenuChoice(
            activity=a,
            suitable=suits_cadre(a.suits, cadre.mobility),
            liked=a.theme in liked,
            signed_up=a.pk in mine,
            past=a.starts_at < now,
        )
        for a in activities
    ]
    order = list(Suits.values)
    choices.sort(
        key=lambda c: (
            not c.suitable,
            c.past,
            not c.liked,
            c.activity.suits != cadre.mobility,
            -order.index(c.activity.suits),
            c.activity.starts_at,
        )
    )
    return choices


def _took_part(start: datetime.date, end: datetime.date):
    """The attendance rows of anyone who took part in anything in [start, end]."""
    held = held_between(Activity.objects.all(), start, end)
    return Attendance.objects.filter(status__in=TAKING_PART, activity__in=held)


def took_part_in_nothing(branch: OrgUnit, period) -> list[Cadre]:
    """The branch's members on the roster who took part in no meeting and no
    activity in the period (at home and remotely count as taking part)."""
    took = _took_part(period.start, period.end).filter(cadre=OuterRef("pk"))
    return list(
        Cadre.objects.filter(branch=branch, status=CadreStatus.ACTIVE)
        .filter(~Exists(took))
        .select_related("residence_unit")
        .order_by("name_initials", "pk")
    )


@dataclass
class Uptake:
    """One suitability level of a menu: activities offered, their places, the
    sign-ups and who took part."""

    suits: str
    label: str
    offered: int = 0
    places: int | None = 0  # None: some have no limit
    signed: int = 0
    took_part: int = 0


def uptake_by_suits(activities: list[Activity]) -> list[Uptake]:
    """Per suitability (needs travel, nearby, at home): offered and taken up. One
    query for the attendance."""
    rows = {value: Uptake(value, str(label)) for value, label in Suits.choices}
    took = dict(
        Attendance.objects.filter(
            activity__in=[a.pk for a in activities], status__in=TAKING_PART
        )
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values_list("activity_id", "n")
    )
    for a in activities:
        row = rows[a.suits]
        row.offered += 1
        row.signed += a.signed
        row.took_part += took.get(a.pk, 0)
        if row.places is not None:
            row.places = None if a.capacity is None else row.places + a.capacity
    return list(rows.values())


@dataclass
class BranchUptake:
    branch: OrgUnit
    offered: int  # by the branch itself
    signed: int  # sign-ups of its members, to any menu activity
    took_part: int  # its members' attendances at menu activities
    members: int
    nothing: int  # members who took part in nothing in the period


def branches_uptake(unit: OrgUnit, period) -> list[BranchUptake]:
    """Per branch under a grid or township: what it offered, its members' sign-ups
    and attendance at menu activities, and how many took part in nothing. Five
    queries whatever the number of branches."""
    unit = OrgUnit.objects.get(pk=unit.pk)  # its place as stored now
    place = {"tree_id": unit.tree_id, "lft__gte": unit.lft, "rght__lte": unit.rght}
    branches = list(
        OrgUnit.objects.filter(kind=UnitKind.BRANCH, is_active=True, **place).order_by(
            "lft"
        )
    )
    ids = [b.pk for b in branches]
    menu = held_between(Activity.objects.all(), period.start, period.end).exclude(
        suits=""
    )
    offered = _count_by(menu.filter(unit_id__in=ids), "unit_id")
    signed = _count_by(
        SignUp.objects.filter(activity__in=menu, cadre__branch_id__in=ids),
        "cadre__branch_id",
    )
    took = _count_by(
        Attendance.objects.filter(
            activity__in=menu, status__in=TAKING_PART, cadre__branch_id__in=ids
        ),
        "cadre__branch_id",
    )
    anything = _took_part(period.start, period.end).filter(cadre=OuterRef("pk"))
    counts = defaultdict(lambda: (0, 0))
    for row in (
        Cadre.objects.filter(branch_id__in=ids, status=CadreStatus.ACTIVE)
        .annotate(active=Exists(anything))
        .values("branch_id")
        .annotate(n=Count("pk"), idle=Count("pk", filter=Q(active=False)))
    ):
        counts[row["branch_id"]] = (row["n"], row["idle"])
    return [
        BranchUptake(
            branch=b,
            offered=offered.get(b.pk, 0),
            signed=signed.get(b.pk, 0),
            took_part=took.get(b.pk, 0),
            members=counts[b.pk][0],
            nothing=counts[b.pk][1],
        )
        for b in branches
    ]


def _count_by(queryset, key: str) -> dict[int, int]:
    return dict(
        queryset.values(key).annotate(n=Count("pk")).values_list(key, "n").order_by()
    )


def may_offer(user, unit: OrgUnit) -> bool:
    """Put an activity on a unit's menu: a writing role over the unit."""
    return unit.kind in MENU_UNIT_KINDS and scope_of(user).writable().contains(unit)


def menu_units_offerable(user) -> QuerySet[OrgUnit]:
    """The townships, grids and branches whose menu the user may add to."""
    scope = scope_of(user).writable()
    units = OrgUnit.objects.filter(kind__in=MENU_UNIT_KINDS, is_active=True)
    if scope.everything:
        return units.order_by("tree_id", "lft")
    if not scope.ranges:
        return units.none()
    return units.filter(scope.q()).order_by("tree_id", "lft")
