"""The demo township's party administration (issue 21): each branch's committee —
most in office, one whose term ends within six months, one ended, one never
recorded — and this year's dues books with the months paid so far (a few members
behind, one six months in arrears, one hardship reduction approved)."""

import datetime
import random

from activities.models import ChangeKind, DuesAccount, DuesChange, DuesPayment, PaidBy
from activities.services.core import committee_elect
from activities.services.dues import dues_year_open
from grids.datebounds import add_months_safe
from grids.models import OrgUnit


def demo_party_admin(today: datetime.date, township: OrgUnit, branches, members_by_branch,
                     officer) -> None:  # fmt: skip
    rng = random.Random(41)
    ordered = sorted(branches, key=lambda b: b.name)
    for i, branch in enumerate(ordered):
        members = [
            c for c in members_by_branch.get(branch.pk, []) if c.status == "active"
        ]
        if i == len(ordered) - 1 or len(members) < 3:
            continue  # the last: no election recorded
        if i == 0:
            elected = add_months_safe(today, 4 - 60)  # ends within six months
        elif i == 1:
            elected = add_months_safe(today, -62)  # ended two months ago
        else:
            elected = add_months_safe(today, -rng.randint(6, 50))
        posts = ["secretary", "organization", "publicity"]
        committee_elect(branch=branch, elected_on=elected,
                        members=list(zip(members[:3], posts, strict=True)))  # fmt: skip
    if officer is None:
        return
    dues_year_open(unit=township, year=today.year, today=datetime.date(today.year, 1, 2))
    accounts = list(
        DuesAccount.objects.filter(year=today.year, monthly_due__gt=0)
        .select_related("cadre")
        .order_by("cadre__id_number")
    )
    payments = []
    for n, account in enumerate(accounts):
        behind = 6 if n == 0 else (rng.choice([0, 0, 0, 0, 1, 2]))
        last = today.month - 1 - behind if today.month > 1 else 0
        if n == 1:
            DuesChange.objects.create(
                account=account, kind=ChangeKind.HARDSHIP, from_month=1,
                monthly_due=0, reason="重病长期住院，家庭经济困难", recorded_by=officer,
                studied_on=datetime.date(today.year, 1, 8),
                approved_on=datetime.date(today.year, 1, 15), approved_by="镇党委",
            )  # fmt: skip
            continue
        quarter = rng.random() < 0.3  # some pay a quarter at a time
        for month in range(1, last + 1):
            paid_on = datetime.date(
                today.year, ((month - 1) // 3 * 3 + 1) if quarter else month, 10
            )
            payments.append(DuesPayment(
                account=account, month=month, amount=account.monthly_due, paid_on=paid_on,
                paid_by=rng.choice([PaidBy.CASH, PaidBy.TRANSFER, PaidBy.COLLECTED]),
                receipt=f"DF{today.year}-{account.pk:05d}{(month - 1) // 3 if quarter else month:02d}",
                recorded_by=officer,
            ))  # fmt: skip
    DuesPayment.objects.bulk_create(payments, batch_size=2000)
