import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from services.reminders import reminders_deliver, reminders_scan


class Command(BaseCommand):
    help = "Run the daily reminder scan now (the same service Celery beat runs)."

    def add_arguments(self, parser):
        parser.add_argument("--on", help="scan as on this day (YYYY-MM-DD)")
        parser.add_argument(
            "--json", action="store_true", dest="as_json", help="one line of JSON"
        )
        parser.add_argument(
            "--deliver", action="store_true", help="also deliver what the scan made"
        )

    def handle(self, *args, on=None, as_json=False, deliver=False, **options):
        try:
            today = datetime.date.fromisoformat(on) if on else None
        except ValueError:
            raise CommandError(
                _("--on takes a date written YYYY-MM-DD, not “%s”.") % on
            ) from None
        created = reminders_scan(today=today)
        if deliver:
            reminders_deliver()
        total = sum(created.values())
        if as_json:
            self.stdout.write(json.dumps({"created": created, "total": total}))
        else:
            for rule, n in created.items():
                self.stdout.write(f"{rule}: {n}")
            self.stdout.write(f"total: {total}")
