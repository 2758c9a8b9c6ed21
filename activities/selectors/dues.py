"""Party dues as the pages and the command read them (issue 21): who may keep a
branch's dues (the roles that may see pensions: the amount reveals the pension),
each member's due for a month after recorded changes, the month's ledger with the
arrears, the members six months in arrears, and a year's summary for publication."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from grids.models import OrgUnit, UnitKind
from members.selectors import reveal_unit_ids

from ..models import DuesAccount, DuesChange, DuesPayment

ARREARS_MONTHS = 6  # 连续6个月不交纳党费 — listed for the secretary, people decide
MAKE_UP_MONTHS = 6  # 补交 further back than this needs a note


def may_keep_dues(user, branch: OrgUnit) -> bool:
    """Dues reveal the pension (0.5 % or 1 % of it): kept by the roles that may see
    pensions over the branch (township officer, administrator, branch secretary)."""
    if branch is None or branch.kind != UnitKind.BRANCH:
        return False
    units = reveal_unit_ids(user, "pension")
    return units is None or branch.pk in units


def may_open_dues(user, unit: OrgUnit) -> bool:
    """Open a year's books for a unit's branches: a pension-seeing role over it."""
    units = reveal_unit_ids(user, "pension")
    return units is None or unit.pk in units


def dues_branches(user) -> QuerySet[OrgUnit]:
    units = reveal_unit_ids(user, "pension")
    branches = OrgUnit.objects.filter(kind=UnitKind.BRANCH, is_active=True)
    if units is not None:
        branches = branches.filter(pk__in=units)
    return branches.order_by("tree_id", "lft")


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def due_in(account: DuesAccount, month: int) -> Decimal | None:
    """What the member owes for a month of the account's year: the latest recorded
    change from that month on, else the amount fixed at opening; 0 outside the
    months the member belonged (None: no pension recorded)."""
    if month < account.first_month or (account.last_month and month > account.last_month):
        return Decimal(0)
    due = account.monthly_due
    for change in account.changes.all():  # prefetched, by from_month
        if change.from_month <= month:
            due = change.monthly_due
    return due


def accounts_with_history(accounts: QuerySet[DuesAccount]) -> QuerySet[DuesAccount]:
    return accounts.select_related("cadre", "book", "book__branch").prefetch_related(
        Prefetch("changes", queryset=DuesChange.objects.order_by("from_month", "pk")),
        Prefetch("payments", queryset=DuesPayment.objects.order_by("month")),
    )


@dataclass
class LedgerRow:
    account: DuesAccount
    due: Decimal | None
    payment: DuesPayment | None
    unpaid: list[int] = field(default_factory=list)  # months of the year up to now
    reduced: bool = False

    @property
    def arrears(self) -> Decimal:
        return sum(
            (due_in(self.account, m) or Decimal(0) for m in self.unpaid), Decimal(0)
        )


def ledger(accounts: QuerySet[DuesAccount], month: int) -> list[LedgerRow]:
    """Each account's due and payment for the month and its unpaid months of the year
    up to it: three queries whatever the number of members."""
    rows = []
    for account in accounts_with_history(accounts).order_by("cadre__name_initials", "pk"):
        paid = {p.month: p for p in account.payments.all()}
        unpaid = [
            m for m in range(1, month + 1)
            if m not in paid and (due_in(account, m) or 0) > 0
        ]  # fmt: skip
        rows.append(LedgerRow(
            account=account, due=due_in(account, month), payment=paid.get(month),
            unpaid=unpaid, reduced=any(c.kind == "hardship" for c in account.changes.all()),
        ))  # fmt: skip
    return rows


def in_arrears(accounts: QuerySet[DuesAccount], year: int, month: int) -> list[tuple]:
    """(cadre, unpaid months as (year, month)) of the members who paid nothing for the
    six months up to `month` of `year` while owing, with no reason recorded — the
    accounts of this year and the year before are read."""
    window = [
        divmod(month_index(year, month) - k, 12)
        for k in range(ARREARS_MONTHS - 1, -1, -1)
    ]
    wanted = {y for y, _m in window}
    cadres = accounts.filter(year=year).values("cadre_id")
    both = accounts_with_history(
        DuesAccount.objects.filter(cadre_id__in=cadres, year__in=wanted)
    )
    by_cadre = defaultdict(dict)
    for account in both:
        by_cadre[account.cadre_id][account.year] = account
    listed = []
    for books in by_cadre.values():
        unpaid = []
        for y, m0 in window:
            account = books.get(y)
            if account is None:
                continue
            due = due_in(account, m0 + 1) or 0
            if due > 0 and not any(p.month == m0 + 1 for p in account.payments.all()):
                unpaid.append((y, m0 + 1))
        current = books.get(year)
        if len(unpaid) >= ARREARS_MONTHS and current and not current.arrears_reason:
            listed.append((current.cadre, unpaid))
    return sorted(listed, key=lambda row: (row[0].name_initials, row[0].pk))


def needs_note(year: int, month: int, paid_on: datetime.date) -> bool:
    """补交 further back than six months needs a note."""
    return (
        month_index(paid_on.year, paid_on.month) - month_index(year, month)
        > MAKE_UP_MONTHS
    )


@dataclass
class SummaryRow:
    cadre: object
    months_paid: int
    due: Decimal
    paid: Decimal


def year_summary(accounts: QuerySet[DuesAccount], through: int = 12) -> list[SummaryRow]:
    """Per member: months paid, owed and paid over the year's months up to `through`
    (收缴情况公布)."""
    rows = []
    for account in accounts_with_history(accounts).order_by("cadre__name_initials", "pk"):
        payments = list(account.payments.all())
        rows.append(SummaryRow(
            cadre=account.cadre, months_paid=len(payments),
            due=sum((due_in(account, m) or Decimal(0) for m in range(1, through + 1)),
                    Decimal(0)),
            paid=sum((p.amount for p in payments), Decimal(0)),
        ))  # fmt: skip
    return rows
