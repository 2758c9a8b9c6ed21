from django.core.management.base import BaseCommand

from grids import workbooks
from members.management.commands.import_roster import acting_user, scope_unit
from members.roster.service import roster_export


class Command(BaseCommand):
    help = "Export the cadres in the user's scope (within --unit) as a roster .xlsx."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--unit")
        parser.add_argument("--user")

    def handle(self, *args, file, unit=None, user=None, **options):
        user = acting_user(user)
        workbook, count = roster_export(user=user, unit=scope_unit(unit), label=file)
        workbooks.save(workbook, file)
        self.stdout.write(f"exported {count} cadres to {file}")
