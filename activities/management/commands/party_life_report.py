import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from activities.periods import parse_period
from activities.selectors.report import party_life_report
from grids.models import OrgUnit


def unit_from(text: str) -> OrgUnit:
    """A unit by id, official code or unique name."""
    query = Q(code=text) | Q(name=text)
    if text.isdigit():
        query |= Q(pk=int(text))
    found = list(OrgUnit.objects.filter(query)[:3])
    if not found:
        raise CommandError(f"no unit {text!r} (give its id, code or unique name)")
    if len(found) > 1:
        raise CommandError(f"{text!r} names several units: give its id or code")
    return found[0]


class Command(BaseCommand):
    help = (
        "Organizational life of a unit for a period: per branch the meeting rules met "
        "and missed, participation counts and rate, and per member expected / took "
        "part. Exit 0 on success, 1 on a bad unit or period."
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="id, code or unique name")
        parser.add_argument(
            "--period", required=True, help="2026Q3, 2026-08, 2026 or FROM..TO"
        )
        parser.add_argument("--json", action="store_true", help="JSON on stdout")
        parser.add_argument(
            "--today", help="judge as on this date (YYYY-MM-DD); default today"
        )

    def handle(self, *args, **options):
        unit = unit_from(options["unit"])
        try:
            period = parse_period(options["period"])
            today = (
                datetime.date.fromisoformat(options["today"])
                if options["today"]
                else None
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        report = party_life_report(unit, period, today)
        if options["json"]:
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(
            f"{unit.name} {period.label}：参与率 {self._pct(report)}"
            f"（实参 {report['took_part']} / 应到 {report['expected']}）"
        )
        for branch in report["branches"]:
            missing = "、".join(f"{m['kind']} {m['window']}" for m in branch["missing"])
            self.stdout.write(
                f"  {branch['name']}：{'达标' if branch['compliant'] else '未达标'}"
                f"{'（缺 ' + missing + '）' if missing else ''}，参与率 {self._pct(branch)}"
                f"（{branch['took_part']}/{branch['expected']}）"
            )

    @staticmethod
    def _pct(row: dict) -> str:
        return "—" if row["rate"] is None else f"{row['rate'] * 100:.0f}%"
