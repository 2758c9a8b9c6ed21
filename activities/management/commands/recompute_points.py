import json

from django.core.management.base import BaseCommand

from activities.management.commands.party_life_report import unit_from
from activities.services.points import points_recompute_unit
from grids.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Recompute the members' points ledgers for a year from their sources (idempotent; "
        "years locked by a submitted review are left as they are)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument(
            "--unit", help="id, code or unique name (default: every tree)"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, year, unit=None, **options):
        units = (
            [unit_from(unit)]
            if unit
            else list(OrgUnit.objects.filter(parent__isnull=True))
        )
        total = {"created": 0, "updated": 0, "deleted": 0}
        for root in units:
            for key, value in points_recompute_unit(root, year).items():
                total[key] += value
        if options["json"]:
            self.stdout.write(json.dumps(total))
        else:
            self.stdout.write(
                f"{year}: {total['created']} created, {total['updated']} updated, "
                f"{total['deleted']} deleted"
            )
