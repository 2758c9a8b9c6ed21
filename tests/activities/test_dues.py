"""Issue 21, part 1: party dues of retired members — the rule at its boundary to the
fen (in Python and in the set-based SQL alike), the amount fixed for the year, an
approved hardship reduction, months paid with a receipt, 补交 beyond six months,
the members six months in arrears, and the machine view of a month's ledger."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from activities.dues_rule import monthly_dues
from activities.models import DuesAccount, DuesPayment, DuesPolicy
from activities.selectors.dues import in_arrears, ledger, year_summary
from activities.services.dues import (
    dues_arrears_reason,
    dues_change_record,
    dues_pay,
    dues_year_open,
)
from members.services import cadre_update
from tests.factories import make_cadre

D = datetime.date
BOUNDARY = [
    ("4999.99", "25.00"),  # 24.99995 rounds up
    ("5000.00", "25.00"),
    ("5000.01", "50.00"),  # 1 % of the whole amount
    ("12345.67", "123.46"),
    ("0", "0.00"),
]


@pytest.mark.parametrize("pension, dues", BOUNDARY)
def test_the_rule_at_the_boundary_to_the_fen(pension, dues):
    assert monthly_dues(Decimal(pension)) == Decimal(dues)
    assert str(monthly_dues(Decimal(pension))) == dues


def test_a_local_rule_narrows_the_base():
    assert monthly_dues(Decimal("5300"), Decimal("300")) == Decimal("25.00")
    assert monthly_dues(Decimal("200"), Decimal("300")) == Decimal("0.00")
    assert monthly_dues(None) is None


@pytest.fixture
def branch(cast):
    """Branch A's members with the boundary pensions (and one with none)."""
    tree = cast.tree
    people = {}
    for i, (pension, _dues) in enumerate(BOUNDARY):
        people[pension] = make_cadre(branch=tree["branch_A"], name=f"党员{i}",
                                     monthly_pension=Decimal(pension))  # fmt: skip
    people["none"] = make_cadre(branch=tree["branch_A"], name="未登记")
    return people


def test_opening_the_year_fixes_the_same_amounts_in_sql(cast, branch):
    added = dues_year_open(unit=cast.tree["township"], year=2026, by=cast.officer,
                           today=D(2026, 1, 5))  # fmt: skip
    # Branch A: the six above, 张三丰 and 王五常 (no pension); branch B: 李四光.
    assert added == 9
    for pension, dues in BOUNDARY:
        account = DuesAccount.objects.get(cadre=branch[pension], year=2026)
        assert (account.monthly_due, account.first_month) == (Decimal(dues), 1)
    assert DuesAccount.objects.get(cadre=branch["none"], year=2026).monthly_due is None
    # Opening again adds nobody; a member come later is added from this month.
    assert dues_year_open(unit=cast.tree["township"], year=2026, today=D(2026, 1, 5)) == 0
    late = make_cadre(
        branch=cast.tree["branch_A"], name="新转入", monthly_pension=Decimal(6000)
    )
    assert dues_year_open(unit=cast.tree["branch_A"], year=2026, today=D(2026, 4, 2)) == 1
    account = DuesAccount.objects.get(cadre=late)
    assert (account.monthly_due, account.first_month) == (Decimal("60.00"), 4)


def test_a_townships_local_rule_narrows_the_base_in_sql(cast, branch):
    DuesPolicy.objects.create(unit=cast.tree["township"], base_deduction=Decimal("0.02"))
    dues_year_open(unit=cast.tree["township"], year=2026)
    # 5,000.01 less 0.02 is under the line: 0.5 %.
    assert DuesAccount.objects.get(cadre=branch["5000.01"]).monthly_due == Decimal(
        "25.00"
    )


def test_the_years_amount_stays_fixed_after_a_pension_change_in_march(cast, branch):
    dues_year_open(unit=cast.tree["branch_A"], year=2026)
    cadre = branch["4999.99"]
    cadre_update(cadre=cadre, monthly_pension=Decimal("8000"))
    account = DuesAccount.objects.get(cadre=cadre, year=2026)
    assert account.monthly_due == Decimal("25.00")
    (row,) = list(ledger(DuesAccount.objects.filter(pk=account.pk), 3))
    assert row.due == Decimal("25.00")
    # Applied this year only through a recorded adjustment, from the month given.
    dues_change_record(by=cast.secretary, account=account, kind="adjustment", from_month=4,
                       pension=Decimal("8000"), reason="3月调整养老金")  # fmt: skip
    (row,) = ledger(DuesAccount.objects.filter(pk=account.pk), 4)
    assert row.due == Decimal("80.00")
    # Next year's book takes the new pension.
    dues_year_open(unit=cast.tree["branch_A"], year=2027)
    assert DuesAccount.objects.get(cadre=cadre, year=2027).monthly_due == Decimal("80.00")


def test_a_hardship_reduction_needs_the_branch_and_the_committee(cast, branch):
    dues_year_open(unit=cast.tree["branch_A"], year=2026)
    account = DuesAccount.objects.get(cadre=branch["12345.67"], year=2026)
    with pytest.raises(ValidationError):  # not yet approved above
        dues_change_record(by=cast.secretary, account=account, kind="hardship", from_month=5,
                           monthly_due=Decimal(0), reason="重病", studied_on=D(2026, 4, 20))  # fmt: skip
    with pytest.raises(ValidationError):  # more than the rule's amount is no reduction
        dues_change_record(by=cast.secretary, account=account, kind="hardship", from_month=5,
                           monthly_due=Decimal(200), reason="x", studied_on=D(2026, 4, 20),
                           approved_on=D(2026, 4, 28), approved_by="镇党委")  # fmt: skip
    dues_change_record(by=cast.secretary, account=account, kind="hardship", from_month=5,
                       monthly_due=Decimal(10), reason="重病住院，家庭困难",
                       studied_on=D(2026, 4, 20), approved_on=D(2026, 4, 28),
                       approved_by="镇党委")  # fmt: skip
    rows = {m: ledger(DuesAccount.objects.filter(pk=account.pk), m)[0] for m in (4, 5)}
    assert (rows[4].due, rows[5].due, rows[5].reduced) == (
        Decimal("123.46"),
        Decimal(10),
        True,
    )
    with pytest.raises(PermissionDenied):  # a worker does not see pensions
        dues_change_record(by=cast.grid_a, account=account, kind="adjustment", from_month=6,
                           monthly_due=Decimal(5), reason="x")  # fmt: skip


def test_months_paid_together_share_a_receipt_and_make_up_needs_a_note(cast, branch):
    dues_year_open(unit=cast.tree["branch_A"], year=2026)
    account = DuesAccount.objects.get(cadre=branch["5000.01"], year=2026)
    paid = dues_pay(by=cast.secretary, account=account, months=[1, 2, 3],
                    paid_on=D(2026, 3, 10), paid_by="cash")  # fmt: skip
    assert [p.amount for p in paid] == [Decimal("50.00")] * 3
    assert len({p.receipt for p in paid}) == 1 and paid[0].receipt.startswith("DF2026-")
    with pytest.raises(ValidationError):  # paid already
        dues_pay(by=cast.secretary, account=account, months=[3], paid_on=D(2026, 3, 10),
                 paid_by="cash")  # fmt: skip
    with pytest.raises(ValidationError, match="六个月"):  # April paid in November: 7 back
        dues_pay(by=cast.secretary, account=account, months=[4], paid_on=D(2026, 11, 2),
                 paid_by="transfer")  # fmt: skip
    dues_pay(by=cast.secretary, account=account, months=[4], paid_on=D(2026, 11, 2),
             paid_by="transfer", note="住院期间未交，出院后补交")  # fmt: skip
    # Five months back needs no note.
    dues_pay(by=cast.secretary, account=account, months=[6], paid_on=D(2026, 11, 2),
             paid_by="collected")  # fmt: skip
    with pytest.raises(ValidationError):  # no pension recorded: no amount
        dues_pay(by=cast.secretary, account=DuesAccount.objects.get(cadre=branch["none"]),
                 months=[1], paid_on=D(2026, 1, 10), paid_by="cash")  # fmt: skip
    with pytest.raises(PermissionDenied):
        dues_pay(by=cast.grid_a, account=account, months=[7], paid_on=D(2026, 7, 1),
                 paid_by="cash")  # fmt: skip
    assert DuesPayment.objects.filter(account=account).count() == 5
    (row,) = year_summary(DuesAccount.objects.filter(pk=account.pk), through=6)
    assert (row.months_paid, row.due, row.paid) == (5, Decimal(300), Decimal(250))


def test_six_months_in_arrears_are_listed_unless_a_reason_is_recorded(cast, branch):
    for year in (2025, 2026):
        dues_year_open(unit=cast.tree["branch_A"], year=year)
    paying, late = branch["5000.00"], branch["4999.99"]
    pay = {"by": cast.secretary, "paid_by": "cash", "paid_on": D(2026, 3, 1)}
    dues_pay(account=DuesAccount.objects.get(cadre=paying, year=2025), months=[10, 11, 12],
             note="补交", **pay)  # fmt: skip
    dues_pay(
        account=DuesAccount.objects.get(cadre=paying, year=2026), months=[1, 2], **pay
    )
    dues_pay(account=DuesAccount.objects.get(cadre=late, year=2025), months=range(1, 10),
             note="补交上年", **pay)  # fmt: skip
    # 4999.99 paid nothing since October 2025: six months by March 2026.
    accounts = DuesAccount.objects.filter(book__branch=cast.tree["branch_A"])
    listed = {c.name: months for c, months in in_arrears(accounts, 2026, 3)}
    assert listed[late.name] == [(2025, 10), (2025, 11), (2025, 12), (2026, 1), (2026, 2),
                                 (2026, 3)]  # fmt: skip
    assert paying.name not in listed
    # Nothing owed (pension 0) or unknown: not listed.
    assert branch["0"].name not in listed and branch["none"].name not in listed
    # Five months is not yet six.
    assert late.name not in {c.name for c, _m in in_arrears(accounts, 2026, 2)}
    dues_arrears_reason(by=cast.secretary, account=DuesAccount.objects.get(cadre=late, year=2026),
                        reason="长期住院，已谈心谈话")  # fmt: skip
    assert late.name not in {c.name for c, _m in in_arrears(accounts, 2026, 3)}


def test_the_dues_month_command(cast, branch):
    dues_year_open(unit=cast.tree["branch_A"], year=2026)
    account = DuesAccount.objects.get(cadre=branch["12345.67"])
    dues_pay(by=cast.secretary, account=account, months=[1], paid_on=D(2026, 2, 3),
             paid_by="cash")  # fmt: skip
    out = io.StringIO()
    call_command(
        "dues_month", "--unit", "社区A党支部", "--month", "2026-02", "--json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["unit"] == "社区A党支部" and data["month"] == "2026-02"
    rows = {r["name"]: r for r in data["members"]}
    assert rows[account.cadre.name] == {
        "name": account.cadre.name, "branch": "社区A党支部", "due": "123.46",
        "paid": None, "paid_on": None, "arrears": "123.46", "unpaid_months": [2],
    }  # fmt: skip
    assert rows["党员0"]["arrears"] == "50.00" and rows["未登记"]["due"] is None
    out = io.StringIO()
    call_command("dues_month", "--unit", str(cast.tree["branch_A"].pk), "--month", "2026-01",
                 "--json", stdout=out)  # fmt: skip
    jan = {r["name"]: r for r in json.loads(out.getvalue())["members"]}
    assert jan[account.cadre.name]["paid"] == "123.46"
    assert jan[account.cadre.name]["paid_on"] == "2026-02-03"


def test_the_ledger_page_one_tap_receipt_and_summary(client, cast, branch):
    from django.urls import reverse
    from django.utils import timezone

    from grids.models import AccessLog

    today = timezone.localdate()
    client.force_login(cast.secretary)
    page = client.get(reverse("dues:ledger")).content.decode()
    assert 'id="dues-closed"' in page
    branch_a = cast.tree["branch_A"]
    post = {"branch": branch_a.pk, "year": today.year, "month": today.month}
    assert (
        client.post(reverse("dues:ledger"), {"action": "open", **post}).status_code == 302
    )
    account = DuesAccount.objects.get(cadre=branch["5000.01"], year=today.year)
    assert account.first_month == 1, account.first_month
    client.post(reverse("dues:ledger"), {"action": "paid", "account": account.pk, **post})
    payment = DuesPayment.objects.get(account=account)
    assert (payment.month, payment.amount, payment.paid_by) == (
        today.month,
        Decimal(50),
        "cash",
    )
    url = (
        reverse("dues:ledger")
        + f"?branch={branch_a.pk}&month={today.year}-{today.month:02d}"
    )
    page = client.get(url).content.decode()
    assert payment.receipt in page and 'data-cadre="党员2"' in page
    receipt = client.get(reverse("dues:receipt", args=[payment.receipt])).content.decode()
    assert "党费收据" in receipt and "50.00" in receipt and "党员2" in receipt
    summary = client.get(
        reverse("dues:summary") + f"?branch={branch_a.pk}&year={today.year}"
    )
    assert summary.status_code == 200 and "收缴情况" in summary.content.decode()
    # The account page: two months together, a bad one is a message, not an error.
    earlier = [m for m in (today.month - 2, today.month - 1) if m >= 1]
    if earlier:
        response = client.post(reverse("dues:account", args=[account.pk]), {
            "action": "pay", "months": earlier, "paid_on": today.isoformat(), "paid_by": "transfer",
        })  # fmt: skip
        assert response.status_code == 302, response.context["pay_form"].errors
    bad = client.post(reverse("dues:account", args=[account.pk]), {
        "action": "pay", "months": [today.month], "paid_on": today.isoformat(), "paid_by": "cash",
    })  # fmt: skip
    assert bad.status_code == 400 and "已交" in bad.content.decode()
    export = client.get(url + "&format=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AccessLog.objects.filter(object_type="dues", user=cast.secretary).exists()


@pytest.mark.parametrize(
    "who", ["grid_a", "community_b", "leader", "outsider", "secretary"]
)
def test_dues_are_only_for_those_who_may_see_pensions(client, cast, branch, who):
    from django.urls import reverse

    dues_year_open(unit=cast.tree["township"], year=2026)
    account_b = DuesAccount.objects.get(cadre=cast.cadre_b, year=2026)  # branch B
    client.force_login(getattr(cast, who))
    assert client.get(reverse("dues:account", args=[account_b.pk])).status_code == 403
    ledger_status = client.get(reverse("dues:ledger")).status_code
    assert ledger_status == (200 if who == "secretary" else 403)
    response = client.post(reverse("dues:account", args=[account_b.pk]), {
        "action": "pay", "months": [1], "paid_on": "2026-01-05", "paid_by": "cash"})  # fmt: skip
    assert response.status_code == 403 and not DuesPayment.objects.exists()
    assert client.get(reverse("dues:summary") + f"?branch={cast.tree['branch_B'].pk}&year=2026"
                      ).status_code == 404  # fmt: skip
