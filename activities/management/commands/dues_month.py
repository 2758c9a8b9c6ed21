import json
import re

from django.core.management.base import BaseCommand, CommandError

from activities.management.commands.party_life_report import unit_from
from activities.models import DuesAccount
from activities.selectors.dues import ledger

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


class Command(BaseCommand):
    help = (
        "A month of the dues ledger of a unit's branches: each member's due, what was "
        "paid and when, and the arrears of the year up to the month (a machine view "
        "of the ledger). Exit 0 on success, 1 on a bad unit or month."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="id, code or unique name")
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--json", action="store_true", help="JSON on stdout")

    def handle(self, *args, **options):
        unit = unit_from(options["unit"])
        match = MONTH.match(options["month"].strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise CommandError(f"{options['month']!r} is not a month: write YYYY-MM")
        year, month = int(match.group(1)), int(match.group(2))
        accounts = DuesAccount.objects.filter(
            year=year, book__branch__tree_id=unit.tree_id,
            book__branch__lft__gte=unit.lft, book__branch__rght__lte=unit.rght,
        )  # fmt: skip
        members = [
            {
                "name": row.account.cadre.name,
                "branch": row.account.book.branch.name,
                "due": _money(row.due),
                "paid": _money(row.payment.amount) if row.payment else None,
                "paid_on": row.payment.paid_on.isoformat() if row.payment else None,
                "arrears": _money(row.arrears),
                "unpaid_months": row.unpaid,
            }
            for row in ledger(accounts, month)
        ]
        if options["json"]:
            self.stdout.write(json.dumps(
                {"unit": unit.name, "month": f"{year}-{month:02d}", "members": members},
                ensure_ascii=False,
            ))  # fmt: skip
            return
        self.stdout.write(f"{unit.name} {year}年{month}月党费：{len(members)} 人")
        for m in members:
            self.stdout.write(
                f"{m['branch']}\t{m['name']}\t应交 {m['due'] or '未登记'}\t"
                f"已交 {m['paid'] or '—'}\t欠交 {m['arrears']}"
            )
