from django.core.management.base import BaseCommand

from activities.imports import import_meetings
from members.imports.cli import finish, unreadable
from members.management.commands.import_roster import acting_user
from members.roster.reader import RosterUnreadable


class Command(BaseCommand):
    help = (
        "Import meeting records (a 台账, .xlsx). Exit 0: every row written or skipped; "
        "1: rows refused (nothing written unless --skip-invalid); 2: the file could "
        "not be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--skip-invalid", action="store_true")
        parser.add_argument("--user", help="acting user (scope and history)")
        parser.add_argument("--error-file", help="where to write the rows with errors")
        parser.add_argument("--json", action="store_true", help="one line of JSON")

    def handle(self, *args, **options):
        user = acting_user(options["user"])
        try:
            result = import_meetings(
                options["file"], user=user, dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
            )  # fmt: skip
        except (RosterUnreadable, OSError) as exc:
            unreadable(self, exc, as_json=options["json"])
        verb = "would be" if options["dry_run"] else "were"
        finish(self, result, options,
               f"{result.created} meetings recorded, {result.skipped} already recorded "
               f"{verb} ({result.rows_read} rows read)")  # fmt: skip
