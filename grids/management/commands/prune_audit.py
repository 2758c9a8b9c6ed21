import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from grids.models import AccessLog, BulkChange


class Command(BaseCommand):
    help = (
        "Delete access-log, change-history and bulk-change rows older than --days "
        "(default AUDIT_RETENTION_DAYS). Never younger than 6 months (Cybersecurity "
        "Law Art. 21)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = days or settings.AUDIT_RETENTION_DAYS
        minimum = settings.AUDIT_MINIMUM_RETENTION_DAYS
        if days < minimum:
            raise CommandError(
                f"Audit records are kept at least {minimum} days (6 months); "
                f"--days {days} would delete younger ones."
            )
        cutoff = timezone.now() - datetime.timedelta(days=days)
        targets = {
            "access log": AccessLog.objects.filter(at__lt=cutoff),
            "change history": LogEntry.objects.filter(timestamp__lt=cutoff),
            "bulk changes": BulkChange.objects.filter(at__lt=cutoff),
        }
        with transaction.atomic():
            for name, queryset in targets.items():
                if dry_run:
                    self.stdout.write(
                        f"{name}: {queryset.count()} rows older than {cutoff:%Y-%m-%d}"
                    )
                    continue
                if queryset.model is AccessLog:
                    # The access log refuses deletes through the ORM; pruning is the
                    # one sanctioned way, done with a raw delete.
                    deleted = queryset._raw_delete(queryset.db)
                else:
                    deleted, _ = queryset.delete()
                self.stdout.write(
                    f"{name}: deleted {deleted} rows older than {cutoff:%Y-%m-%d}"
                )
