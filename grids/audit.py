"""The change history (django-auditlog), access logging, and the bulk-change hook.

Per-object history: every create, change and delete of the registered models is a
django-auditlog LogEntry (who, when, old → new), registered in each app's ready().
Bulk operations (imports) must not write one entry per row: inside `bulk_change()`
auditlog is switched off and the rows' changes go, set-based, into one BulkChange
event with its BulkChangeRow rows.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from django.db import transaction

from .bulk import load_model
from .models import AccessLog, BulkChange, BulkChangeRow


@dataclass
class BulkRecorder:
    kind: str
    actor: object = None
    description: str = ""
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, *, object_type: str, object_id, action: str, changes: dict) -> None:
        # Serialized at once: a short string holds far less memory than a dict.
        text = json.dumps(changes, ensure_ascii=False, default=str)
        self.rows.append((object_type, str(object_id), action, text))


@contextmanager
def bulk_change(
    *, kind: str, actor=None, description: str = ""
) -> Iterator[BulkRecorder]:
    """Run a bulk write as one audited event (all or nothing, with its rows)."""
    recorder = BulkRecorder(kind=kind, actor=actor, description=description)
    with transaction.atomic(), disable_auditlog():
        yield recorder
        event = BulkChange.objects.create(
            kind=kind, actor=actor, description=description, rows=len(recorder.rows)
        )
        # Set-based: one COPY (PostgreSQL) or batched inserts, never a row at a time.
        load_model(
            BulkChangeRow,
            ["bulk_id", "object_type", "object_id", "action", "changes"],
            ((event.pk, t, i, a, c) for t, i, a, c in recorder.rows),
        )


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def access_log_record(
    *,
    request=None,
    user=None,
    action: str,
    object_type: str,
    object_id,
    fields: str = "",
    detail: str = "",
) -> AccessLog:
    """One access-log row: who looked at or exported what, when, from where.

    From a request the user, address and browser come from it; from a command pass
    `user` (the address is then empty and the browser names the command)."""
    if request is not None:
        user = request.user if request.user.is_authenticated else None
        ip, agent = client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:300]
    else:
        ip, agent = None, "manage.py"
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        fields=fields,
        detail=detail,
        ip_address=ip,
        user_agent=agent,
    )
