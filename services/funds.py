"""Hardship help and condolences as the page reads them (issue 21): the gifts over
the cadres a user sees, whose amounts a user may read (officers, and the secretary
over the cadre's branch — and anyone, the gifts they recorded themselves), the
funds' balances per source and year, and the 离休 members not yet visited for this
Spring Festival."""

import datetime
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum

from grids.models import OrgUnit, StaffRole
from grids.selectors import scope_of
from members.models import CadreStatus, Category
from members.selectors import cadres_visible_to

from .models import (
    CareFund,
    CareGift,
    GiftKind,
    VisitedCadre,
    VisitKind,
    spring_festival_season,
)

AMOUNT_ROLES = (
    StaffRole.TOWNSHIP_OFFICER,
    StaffRole.ADMINISTRATOR,
    StaffRole.BRANCH_SECRETARY,
)
FUND_ROLES = (StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR)


def _units_with(user, roles) -> set[int] | None:
    """The ids of the units over which the user holds one of `roles` (None: all)."""
    scope = scope_of(user)
    if scope.everything:
        return None
    ranges = [r for r in scope.ranges if r.role in roles]
    if not ranges:
        return set()
    condition = Q()
    for r in ranges:
        condition |= Q(tree_id=r.tree_id, lft__gte=r.lft, rght__lte=r.rght)
    return set(OrgUnit.objects.filter(condition).values_list("pk", flat=True))


class AmountRule:
    """Who reads a gift's amount: one query per user, then a look-up per gift."""

    def __init__(self, user):
        self.user, self.units = user, _units_with(user, AMOUNT_ROLES)

    def allows(self, gift: CareGift) -> bool:
        if self.units is None or gift.recorded_by_id == self.user.pk:
            return True
        return gift.cadre.branch_id in self.units or (
            not gift.cadre.branch_id and gift.cadre.residence_unit_id in self.units
        )


def gifts_visible_to(user):
    return CareGift.objects.filter(cadre__in=cadres_visible_to(user)).select_related(
        "cadre", "fund", "recorded_by"
    )


def funds_visible_to(user):
    """The funds of the townships over which the user is an officer."""
    units = _units_with(user, FUND_ROLES)
    funds = CareFund.objects.select_related("unit")
    return funds if units is None else funds.filter(unit_id__in=units)


def funds_to_draw(user):
    """The funds a gift may be drawn from: those of the townships the user works in
    (the balances stay with the officers)."""
    scope = scope_of(user)
    funds = CareFund.objects.select_related("unit").order_by("-year", "source")
    if scope.everything:
        return funds
    return funds.filter(unit__tree_id__in={r.tree_id for r in scope.writable().ranges})


def fund_balances(user, year: int) -> list[tuple[CareFund, Decimal, Decimal]]:
    """(fund, spent, left) for the year's funds the user keeps: one query."""
    funds = funds_visible_to(user).filter(year=year).annotate(spent=Sum("gifts__amount"))
    return [
        (f, f.spent or Decimal(0), f.allocated - (f.spent or Decimal(0))) for f in funds
    ]


def this_spring_festival(
    today: datetime.date,
) -> tuple[int, datetime.date, datetime.date]:
    """The Spring Festival ahead (or under way): its year and its visiting season."""
    start, end = spring_festival_season(today.year)
    if today > end:
        return (today.year + 1, *spring_festival_season(today.year + 1))
    return today.year, start, end


def spring_unvisited(user, today: datetime.date):
    """The 离休 members on the roster the user sees not yet visited for this Spring
    Festival: no Spring Festival condolence recorded in its season and no holiday
    visit where they were met."""
    _year, start, end = this_spring_festival(today)
    gift = CareGift.objects.filter(
        cadre=OuterRef("pk"), kind=GiftKind.SPRING_FESTIVAL, given_on__range=(start, end)
    )
    visit = VisitedCadre.objects.filter(
        cadre=OuterRef("pk"), met=True, visited_on__range=(start, end),
        visit__kinds__kind=VisitKind.HOLIDAY_VISIT,
    )  # fmt: skip
    return (
        cadres_visible_to(user)
        .filter(status=CadreStatus.ACTIVE, category=Category.LIXIU)
        .filter(~Exists(gift), ~Exists(visit))
        .select_related("residence_unit")
        .order_by("residence_unit__name", "name_initials")
    )
