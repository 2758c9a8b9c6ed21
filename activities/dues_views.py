"""/dues/ (党费, issue 21): a branch's ledger for a month — each member's due, paid in
one tap, the arrears — the members six months in arrears, opening the year's books;
a member's account (months paid together with one receipt, 补交, a hardship reduction
or adjustment, the reason for arrears); a receipt to print; the year's summary for
publication inside the party. Only for the roles that may see pensions."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grids import workbooks
from grids.downloads import report_download
from grids.forms import form_errors_from
from grids.params import int_from

from .dues_forms import ChangeForm, CollectionForm, LedgerForm, PayForm, ReasonForm
from .models import DuesAccount, DuesBook, DuesPayment, PaidBy
from .selectors.dues import (
    due_in,
    dues_branches,
    in_arrears,
    ledger,
    may_keep_dues,
    may_open_dues,
    year_summary,
)
from .services.dues import (
    dues_arrears_reason,
    dues_change_record,
    dues_collection_set,
    dues_pay,
    dues_year_open,
)


def _ledger_url(branch_pk, year, month) -> str:
    return (
        reverse("dues:ledger")
        + "?"
        + urlencode({"branch": branch_pk, "month": f"{year}-{month:02d}"})
    )


@login_required
@require_http_methods(["GET", "POST"])
def dues_ledger(request):
    branches = dues_branches(request.user)
    if not branches.exists():
        raise PermissionDenied
    if request.method == "POST":
        return _ledger_post(request, branches)
    data = {"branch": branches.first().pk, **request.GET.dict()}
    form = LedgerForm(data, branches=branches)
    if not form.is_valid():
        return render(request, "activities/dues.html", {"form": form, "nav": "meetings"},
                      status=400)  # fmt: skip
    branch, (year, month) = form.cleaned_data["branch"], form.cleaned_data["month"]
    book = DuesBook.objects.filter(branch=branch, year=year).first()
    accounts = (
        DuesAccount.objects.filter(book=book) if book else DuesAccount.objects.none()
    )
    if request.GET.get("format") == "xlsx" and book:
        return _export(request, branch, year, month, accounts)
    rows = ledger(accounts, month)
    return render(request, "activities/dues.html", {
        "form": form, "branch": branch, "year": year, "month": month, "book": book,
        "rows": rows, "arrears": in_arrears(accounts, year, month) if book else [],
        "due_total": sum((r.due or 0 for r in rows), 0),
        "paid_total": sum((r.payment.amount for r in rows if r.payment), 0),
        "may_open": may_open_dues(request.user, branch),
        "collection_form": CollectionForm(initial={
            "collection": book.collection, "approved_on": book.quarterly_approved_on,
        }) if book else None,
        "export": _ledger_url(branch.pk, year, month) + "&format=xlsx",
        "nav": "meetings",
    })  # fmt: skip


def _ledger_post(request, branches):
    action = request.POST.get("action")
    branch = get_object_or_404(branches, pk=int_from(request.POST.get("branch"), 0))
    year, month = (
        int_from(request.POST.get("year"), 0),
        int_from(request.POST.get("month"), 0),
    )
    if not (1949 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    back = redirect(_ledger_url(branch.pk, year, month))
    if action == "open":
        added = dues_year_open(unit=branch, year=year, by=request.user)
        messages.success(
            request, _("The year's books are open: %(n)d members added.") % {"n": added}
        )
    elif action == "paid":  # one tap: this month, in cash, today
        account = get_object_or_404(DuesAccount, pk=int_from(request.POST.get("account"), 0),
                                    book__branch=branch, year=year)  # fmt: skip
        try:
            dues_pay(by=request.user, account=account, months=[month],
                     paid_on=timezone.localdate(), paid_by=PaidBy.CASH)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s: %(month)d月 paid.") % {
                "name": account.cadre.name, "month": month})  # fmt: skip
    elif action == "collection":
        book = get_object_or_404(DuesBook, branch=branch, year=year)
        form = CollectionForm(request.POST)
        if form.is_valid():
            try:
                dues_collection_set(by=request.user, book=book,
                                    collection=form.cleaned_data["collection"],
                                    approved_on=form.cleaned_data["approved_on"])  # fmt: skip
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
        else:
            messages.error(request, " ".join(m for e in form.errors.values() for m in e))
    else:
        raise Http404
    return back


def _export(request, branch, year, month, accounts):
    rows = ledger(accounts, month)
    sheet = workbooks.Sheet(
        f"{month}月", ["姓名", "月应交（元）", "本月已交（元）", "交纳日期", "方式", "收据号",
                       "本年欠交月份", "欠交金额（元）"],
        ([r.account.cadre.name, r.due, r.payment.amount if r.payment else None,
          r.payment.paid_on if r.payment else None,
          r.payment.get_paid_by_display() if r.payment else "",
          r.payment.receipt if r.payment else "",
          "、".join(f"{m}月" for m in r.unpaid), r.arrears] for r in rows),
        above=[[f"{branch.name} {year}年{month}月党费收缴"]],
    )  # fmt: skip
    return report_download(
        request, sheets=[sheet], filename=f"党费-{branch.name}-{year}-{month:02d}.xlsx",
        object_type="dues", object_id=branch.pk,
        detail=_("%(branch)s %(year)d-%(month)02d: %(n)d members") % {
            "branch": branch.name, "year": year, "month": month, "n": len(rows)},
    )  # fmt: skip


def _account(request, pk) -> DuesAccount:
    account = get_object_or_404(
        DuesAccount.objects.select_related("cadre", "book", "book__branch"), pk=pk
    )
    if not may_keep_dues(request.user, account.book.branch):
        raise PermissionDenied
    return account


@login_required
@require_http_methods(["GET", "POST"])
def dues_account(request, pk):
    account = _account(request, pk)
    forms = {"pay": None, "change": None, "reason": None}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms:
            raise Http404
        done = _account_post(request, account, action, forms)
        if done:
            return redirect("dues:account", pk=account.pk)
        status = 400
    paid = {p.month: p for p in account.payments.order_by("month")}
    months = [(m, due_in(account, m), paid.get(m)) for m in range(1, 13)]
    unpaid = [m for m, due, p in months if p is None and due]
    return render(request, "activities/dues_account.html", {
        "account": account, "months": months,
        "pay_form": forms["pay"] or PayForm(unpaid=unpaid),
        "change_form": forms["change"] or ChangeForm(),
        "reason_form": forms["reason"] or ReasonForm(initial={"arrears_reason": account.arrears_reason}),
        "changes": account.changes.select_related("recorded_by"),
        "nav": "meetings",
    }, status=status)  # fmt: skip


def _account_post(request, account, action, forms) -> bool:
    if action == "pay":
        form = PayForm(request.POST)
        forms["pay"] = form
        if form.is_valid():
            try:
                payments = dues_pay(by=request.user, account=account, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Paid: receipt %(receipt)s.") % {
                    "receipt": payments[0].receipt})  # fmt: skip
                return True
    elif action == "change":
        form = ChangeForm(request.POST)
        forms["change"] = form
        if form.is_valid():
            try:
                dues_change_record(by=request.user, account=account, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The change is recorded."))
                return True
    else:
        form = ReasonForm(request.POST)
        forms["reason"] = form
        if form.is_valid():
            dues_arrears_reason(by=request.user, account=account,
                                reason=form.cleaned_data["arrears_reason"])  # fmt: skip
            messages.success(request, _("Saved."))
            return True
    return False


@login_required
def dues_receipt(request, receipt):
    payments = list(
        DuesPayment.objects.filter(receipt=receipt)
        .select_related("account__cadre", "account__book__branch", "recorded_by")
        .order_by("month")
    )
    if not payments:
        raise Http404
    account = payments[0].account
    if not may_keep_dues(request.user, account.book.branch):
        raise PermissionDenied
    return render(request, "activities/dues_receipt.html", {
        "payments": payments, "account": account, "receipt": receipt,
        "total": sum(p.amount for p in payments), "first": payments[0],
    })  # fmt: skip


@login_required
def dues_summary(request):
    branches = dues_branches(request.user)
    branch = get_object_or_404(branches, pk=int_from(request.GET.get("branch"), 0))
    year = int_from(request.GET.get("year"), 0)
    book = get_object_or_404(DuesBook, branch=branch, year=year)
    today = timezone.localdate()
    through = 12 if year < today.year else today.month
    rows = year_summary(book.accounts.all(), through=through)
    return render(request, "activities/dues_summary.html", {
        "branch": branch, "year": year, "rows": rows, "through": through,
        "due": sum((r.due for r in rows), 0), "paid": sum((r.paid for r in rows), 0),
    })  # fmt: skip
