import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gridparty.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump, custom format) and the uploaded files into a new "
        "folder, with a manifest of counts and checksums; encrypted when BACKUP_PASSPHRASE "
        "is set (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help="refuse to run unless BACKUP_PASSPHRASE is set (for scheduled jobs)",
        )

    def handle(self, *args, directory, encrypt, **options):
        passphrase = os.environ.get("BACKUP_PASSPHRASE") or None
        if encrypt and not passphrase:
            raise CommandError("--encrypt: BACKUP_PASSPHRASE is not set")
        try:
            report = backup(directory, passphrase=passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"backup {directory}: {len(report.counts)} tables, "
            f"{sum(report.counts.values()):,} rows, {report.files} files"
            + (", encrypted" if report.encrypted else ", NOT encrypted")
        )
