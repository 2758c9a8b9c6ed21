import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gridparty.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder into an empty database (DATABASE_URL) and empty file "
        "folders, then verify the rows of every table, the tree and every stored file."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            report = restore(directory, passphrase=os.environ.get("BACKUP_PASSPHRASE"))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        if report.problems:
            raise CommandError(
                f"restored, but {len(report.problems)} checks failed: do not use this copy"
            )
        self.stdout.write(
            f"restored {directory}: {len(report.counts)} tables and "
            f"{sum(report.counts.values()):,} rows as in the manifest, the tree sound, "
            f"{report.files} files present and opening"
        )
