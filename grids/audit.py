"""The change history (django-auditlog), access logging, and the bulk-change hook.

Per-object history: every create, change and delete of the registered models is a
django-auditlog LogEntry (who, when, old → new), registered in each app's ready().
Bulk operations (imports) must not write one entry per row: inside `bulk_change()`
auditlog is switched off and the rows' changes go, set-based, into one BulkChange
event with its BulkChangeRow rows.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .bulk import load_model
from .models import AccessLog, BulkChange, BulkChangeRow

# Every kind of thing the access log records, with the label its page shows. The kinds
# marked True name a cadre by id (the page links them and scopes them by the cadre);
# the others are reports and lists, scoped by who made them. A test checks that every
# object_type written anywhere in the code is here.
ACCESS_KINDS: dict[str, tuple] = {
    "cadre": (_("Cadre dossier"), True),
    "health_record": (_("Health record"), True),
    "handbook": (_("Member's handbook"), True),
    "cadre_search": (_("Search by ID number"), False),
    "roster": (_("Roster export"), False),
    "import_errors": (_("Import error file"), False),
    "coverage": (_("Visit coverage report"), False),
    "partner_review": (_("Partner units' review"), False),
    "compliance": (_("Meeting compliance report"), False),
    "participation": (_("Participation report"), False),
    "points": (_("Points standings"), False),
    "certificates": (_("Honour certificates"), False),
    "invitations": (_("Honour invitations"), False),
    "report": (_("Report to the district"), False),
    "campaign": (_("Campaign hours"), False),
    "menu": (_("Activity menu"), False),
    "dues": (_("Party dues ledger"), False),
    "portal_sheet": (_("Sign-in sheet for the cadre's own pages"), True),
}


# The sensitive fields an entry names (AccessLog.fields: "id_number,phone" for a
# reveal, "id_number:144,phone:144" for an export — how many rows left in full).
FIELD_LABELS = {
    "id_number": _("ID number"), "phone": _("phone"), "health": _("health"),
    "pension": _("pension"),
    "masked": _("all masked"),
}  # fmt: skip


def describe_fields(fields: str) -> str:
    """The fields of an entry as its page says them, in the user's language."""
    parts = []
    for item in filter(None, fields.split(",")):
        name, _sep, count = item.partition(":")
        label = str(FIELD_LABELS.get(name, name))
        parts.append(f"{label} {count}" if count else label)
    return "、".join(parts)


def access_kind_label(object_type: str) -> str:
    kind = ACCESS_KINDS.get(object_type)
    return str(kind[0]) if kind else object_type


def serialize_changes(changes: dict) -> str:
    """A row's changes as the JSON text stored in BulkChangeRow.changes (orjson: an
    import serializes 100,000 of these, ten times faster than the json module)."""
    return orjson.dumps(changes, default=str).decode()


# Rows are written in batches of this many, so a long import never holds them all.
BULK_ROWS_FLUSH = 5_000


@dataclass
class BulkRecorder:
    kind: str
    actor: object = None
    description: str = ""
    event: BulkChange | None = None
    count: int = 0
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def add(self, *, object_type: str, object_id, action: str, changes: dict) -> None:
        # Serialized at once: a short string holds far less memory than a dict.
        self.add_serialized(object_type, object_id, action, serialize_changes(changes))

    def add_serialized(self, object_type: str, object_id, action: str, text: str) -> None:
        """Add a row whose changes were serialized already (serialize_changes)."""
        self.rows.append((object_type, str(object_id), action, text))
        if len(self.rows) >= BULK_ROWS_FLUSH:
            self.flush()

    def event_id(self) -> int:
        """The event's id (the event is created on first need)."""
        if self.event is None:
            self.event = BulkChange.objects.create(
                kind=self.kind, actor=self.actor, description=self.description, rows=0
            )
        return self.event.pk

    def flush(self) -> None:
        """Write the rows added so far (set-based: one COPY, or batched inserts)."""
        if not self.rows:
            return
        pk = self.event_id()
        load_model(
            BulkChangeRow,
            ["bulk_id", "object_type", "object_id", "action", "changes"],
            ((pk, t, i, a, c) for t, i, a, c in self.rows),
        )
        self.count += len(self.rows)
        self.rows = []


@contextmanager
def bulk_change(
    *, kind: str, actor=None, description: str = ""
) -> Iterator[BulkRecorder]:
    """Run a bulk write as one audited event (all or nothing, with its rows).

    The rows are written as they come, a batch at a time, inside the same
    transaction: an error rolls back the event and every row with it."""
    recorder = BulkRecorder(kind=kind, actor=actor, description=description)
    with transaction.atomic(), disable_auditlog():
        yield recorder
        recorder.flush()
        pk = recorder.event_id()
        if recorder.count:
            BulkChange.objects.filter(pk=pk).update(rows=recorder.count)
        recorder.event.rows = recorder.count


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
