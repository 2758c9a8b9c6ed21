"""Party dues writes (issue 21): opening a year's books set-based (the amounts fixed
from the pensions in one INSERT … SELECT), recording months paid with one receipt,
a hardship reduction or an adjustment, the reason for arrears, quarterly collection.
Each checks who may."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.models import OrgUnit, UnitKind
from members.models import Cadre, CadreStatus

from ..dues_rule import dues_sql, monthly_dues
from ..models import (
    ChangeKind,
    Collection,
    DuesAccount,
    DuesBook,
    DuesChange,
    DuesPayment,
    DuesPolicy,
)
from ..selectors.dues import due_in, may_keep_dues, may_open_dues, needs_note


@transaction.atomic
def dues_year_open(*, unit: OrgUnit, year: int, by=None,
                   today: datetime.date | None = None) -> int:  # fmt: skip
    """Open the year's books of every branch in the unit's subtree and fix each
    member's monthly dues from their pension (less the township's local deduction).
    Set-based: a book per branch, then the accounts in one INSERT … SELECT. Opening
    again adds only the members not yet in — from this month, when the year is the
    current one. Returns the accounts added."""
    unit = OrgUnit.objects.get(pk=unit.pk)  # its place as stored now
    if by is not None and not may_open_dues(by, unit):
        raise PermissionDenied
    today = today or timezone.localdate()
    started = timezone.now()
    DuesBook.objects.bulk_create(
        [DuesBook(branch_id=pk, year=year) for pk in _branches(unit).values_list("pk", flat=True)],
        ignore_conflicts=True, batch_size=2000,
    )  # fmt: skip
    later = today.month if year == today.year else 1
    q = connection.ops.quote_name
    account, book = q(DuesAccount._meta.db_table), q(DuesBook._meta.db_table)
    cadre, org, policy = (
        q(Cadre._meta.db_table),
        q(OrgUnit._meta.db_table),
        q(DuesPolicy._meta.db_table),
    )
    base = "GREATEST(c.monthly_pension - COALESCE(pol.base_deduction, 0), 0)"
    if connection.vendor == "sqlite":
        base = "MAX(c.monthly_pension - COALESCE(pol.base_deduction, 0), 0)"
    sql = f"""
        INSERT INTO {account} (book_id, cadre_id, year, base, monthly_due, first_month,
                               last_month, arrears_reason)
        SELECT b.id, c.id, %s, {base},
               CASE WHEN c.monthly_pension IS NULL THEN NULL ELSE {dues_sql(base)} END,
               CASE WHEN b.opened_at >= %s THEN 1 ELSE %s END, NULL, ''
        FROM {cadre} c
        JOIN {book} b ON b.branch_id = c.branch_id AND b.year = %s
        JOIN {org} u ON u.id = c.branch_id
        LEFT JOIN (SELECT t.tree_id, t.lft, t.rght, p.base_deduction
                   FROM {policy} p JOIN {org} t ON t.id = p.unit_id) pol
               ON pol.tree_id = u.tree_id AND pol.lft <= u.lft AND pol.rght >= u.rght
        WHERE c.is_party_member AND c.status = %s
          AND u.tree_id = %s AND u.lft >= %s AND u.rght <= %s
          AND NOT EXISTS (SELECT 1 FROM {account} a WHERE a.cadre_id = c.id AND a.year = %s)
    """
    with connection.cursor() as cursor:
        stamp = connection.ops.adapt_datetimefield_value(started)
        cursor.execute(sql, [year, stamp, later, year, CadreStatus.ACTIVE,
                             unit.tree_id, unit.lft, unit.rght, year])  # fmt: skip
        return cursor.rowcount


def _branches(unit: OrgUnit):
    return OrgUnit.objects.filter(
        kind=UnitKind.BRANCH, tree_id=unit.tree_id, lft__gte=unit.lft, rght__lte=unit.rght
    ).order_by("lft")


def _check(by, account: DuesAccount) -> None:
    if not may_keep_dues(by, account.book.branch):
        raise PermissionDenied


@transaction.atomic
def dues_pay(*, by, account: DuesAccount, months: list[int], paid_on: datetime.date,
             paid_by: str, note: str = "") -> list[DuesPayment]:  # fmt: skip
    """Record months paid together, each at its due, under one receipt number. 补交
    further back than six months needs a note; a month paid already, outside the
    member's months or with no amount known is refused."""
    _check(by, account)
    account = DuesAccount.objects.select_for_update().get(pk=account.pk)
    months = sorted(set(months))
    if not months:
        raise ValidationError(_("Choose the months paid."))
    paid = set(account.payments.values_list("month", flat=True))
    payments = []
    for month in months:
        due = due_in(account, month)
        if month in paid:
            raise ValidationError(_("%(month)d月 is already paid.") % {"month": month})
        if due is None:
            raise ValidationError(
                _("No pension is recorded for %(name)s: record it in the dossier, then an "
                  "adjustment.") % {"name": account.cadre.name}
            )  # fmt: skip
        if due == 0 and (month < account.first_month
                         or (account.last_month and month > account.last_month)):  # fmt: skip
            raise ValidationError(
                _("%(month)d月 is outside the months %(name)s belonged to the branch.")
                % {"month": month, "name": account.cadre.name}
            )  # fmt: skip
        if needs_note(account.year, month, paid_on) and not note.strip():
            raise ValidationError(
                _("%(year)d年%(month)d月 is more than six months back: say why in the note.")
                % {"year": account.year, "month": month}
            )  # fmt: skip
        payments.append(DuesPayment(
            account=account, month=month, amount=due, paid_on=paid_on, paid_by=paid_by,
            note=note.strip()[:200], recorded_by=by, receipt="",
        ))  # fmt: skip
    for payment in payments:
        payment.full_clean(exclude=["receipt", "account"])
    created = DuesPayment.objects.bulk_create(payments)
    first = min(p.pk for p in created) if created[0].pk else None
    if first is None:  # a database that does not return ids on bulk insert
        created = list(account.payments.filter(month__in=months, receipt=""))
        first = min(p.pk for p in created)
    receipt = f"DF{account.year}-{first:07d}"
    DuesPayment.objects.filter(pk__in=[p.pk for p in created]).update(receipt=receipt)
    for p in created:
        p.receipt = receipt
    return created


@transaction.atomic
def dues_change_record(*, by, account: DuesAccount, kind: str, from_month: int,
                       monthly_due: Decimal | None = None, reason: str,
                       studied_on=None, approved_on=None, approved_by: str = "",
                       pension: Decimal | None = None) -> DuesChange:  # fmt: skip
    """From a month on, another amount: a hardship reduction (less than the rule's,
    or nothing) only once the branch has studied it and the next-level committee has
    approved it; an adjustment gives the amount, or the new pension to compute it."""
    _check(by, account)
    if kind == ChangeKind.ADJUSTMENT and monthly_due is None and pension is not None:
        monthly_due = monthly_dues(pension, _deduction(account))
    if monthly_due is None:
        raise ValidationError({"monthly_due": _("Give the new monthly amount.")})
    if kind == ChangeKind.HARDSHIP:
        missing = {}
        if studied_on is None:
            missing["studied_on"] = _("A reduction needs the date the branch studied it.")
        if approved_on is None or not approved_by.strip():
            missing["approved_on"] = _(
                "A reduction needs the next-level party committee's approval and its date."
            )
        if missing:
            raise ValidationError(missing)
        standard = due_in(account, from_month)
        if standard is not None and monthly_due > standard:
            raise ValidationError(
                {"monthly_due": _("A reduction is less than the %(due)s yuan due.") % {
                    "due": standard}}
            )  # fmt: skip
    change = DuesChange(
        account=account, kind=kind, from_month=from_month, monthly_due=monthly_due,
        reason=reason, studied_on=studied_on, approved_on=approved_on,
        approved_by=approved_by.strip(), recorded_by=by,
    )  # fmt: skip
    change.full_clean()
    change.save()
    return change


def _deduction(account: DuesAccount) -> Decimal:
    branch = account.book.branch
    policy = DuesPolicy.objects.filter(
        unit__tree_id=branch.tree_id,
        unit__lft__lte=branch.lft,
        unit__rght__gte=branch.rght,
    ).first()
    return policy.base_deduction if policy else Decimal(0)


def dues_arrears_reason(*, by, account: DuesAccount, reason: str) -> DuesAccount:
    _check(by, account)
    account.arrears_reason = reason.strip()[:200]
    account.save(update_fields=["arrears_reason"])
    return account


def dues_collection_set(*, by, book: DuesBook, collection: str,
                        approved_on: datetime.date | None = None) -> DuesBook:  # fmt: skip
    if not may_keep_dues(by, book.branch):
        raise PermissionDenied
    book.collection = collection
    book.quarterly_approved_on = (
        approved_on if collection == Collection.QUARTERLY else None
    )
    book.full_clean()
    book.save(update_fields=["collection", "quarterly_approved_on"])
    return book


def dues_member_left(cadre: Cadre, by=None) -> None:
    """Registered with members' archive hooks: a member who died or left pays through
    the month they left (no dues from the next month; later years' unpaid books
    dropped); restored, they owe again."""
    if cadre.status == CadreStatus.ACTIVE:
        DuesAccount.objects.filter(cadre=cadre).update(last_month=None)
        return
    if cadre.archived_on is None:
        return
    left = cadre.archived_on
    DuesAccount.objects.filter(cadre=cadre, year=left.year).update(last_month=left.month)
    DuesAccount.objects.filter(
        cadre=cadre, year__gt=left.year, payments__isnull=True
    ).delete()
