"""The daily scan: each rule's due items, one row per recipient, written with COPY
and ON CONFLICT DO NOTHING (a second scan makes nothing)."""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from grids.bulk import load_rows, staging_table

from ..models import (
    Reminder,
    ReminderScan,
)
from .recipients import Recipients
from .rules import INSERT_BATCH, enabled_rules


def reminders_scan(*, today: datetime.date | None = None) -> dict[str, int]:
    """Make the rows of every due reminder; return how many each rule made. Safe to
    run again (the unique constraint drops what exists)."""
    today = today or timezone.localdate()
    recipients = Recipients()
    created: dict[str, int] = {}
    for rule in enabled_rules():
        with transaction.atomic():
            # The rule's queries run to the end first: the COPY below holds the
            # connection, so nothing may query while it streams.
            found = list(rule.due(today))
            rows = (
                (
                    rule.key,
                    due.subject_type,
                    due.subject_id,
                    due.due_on,
                    user,
                    due.text[:300],
                    due.link,
                )  # fmt: skip
                for due in found
                for user in recipients.of(due.unit_id, rule.township_wide)
            )
            created[rule.key] = _insert_new(rows)
    ReminderScan.objects.create(day=today, created=created)
    return created


_COLUMNS = [
    "rule",
    "subject_type",
    "subject_id",
    "due_on",
    "recipient_id",
    "text",
    "link",
]


def _insert_new(rows) -> int:
    """Insert the rows that are not there yet; return how many were new. PostgreSQL:
    COPY into a temporary table, then one INSERT … ON CONFLICT DO NOTHING."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        before = Reminder.objects.count()
        batch: list[Reminder] = []
        for row in rows:
            batch.append(Reminder(**dict(zip(_COLUMNS, row, strict=True))))
            if len(batch) >= INSERT_BATCH:
                Reminder.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        Reminder.objects.bulk_create(batch, ignore_conflicts=True)
        return Reminder.objects.count() - before
    table = Reminder._meta.db_table
    staging_table("reminder_scan", Reminder, _COLUMNS)
    load_rows("reminder_scan", _COLUMNS, rows)
    columns = ", ".join(_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, created_at) "
            f"SELECT {columns}, %s FROM reminder_scan "
            "ON CONFLICT (rule, subject_type, subject_id, due_on, recipient_id) DO NOTHING",
            [now],
        )
        return cursor.rowcount


# ---- delivery ---------------------------------------------------------------------------
