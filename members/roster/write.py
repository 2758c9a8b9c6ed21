"""Set-based writes for the roster import: a fixed number of statements per batch.

A batch is prepared in memory first (`prepare`: the rows' values in column order and
their history entries as JSON text), then stored (`Prepared.store`), which may run on
the import's writer thread while the next batch is read.

PostgreSQL: new cadres get their ids from the table's sequence in one query and are
COPied straight into the table; changed cadres are COPied into a temporary table and
applied with one UPDATE … FROM. History rows are COPied too. Elsewhere (SQLite in
tests): bulk_create / bulk_update and batched inserts.
"""

import zlib
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connection
from django.utils import timezone

from grids.audit import serialize_changes
from grids.bulk import columns, load_rows, staging_table

from ..models import Cadre

CREATE_FIELDS = [
    "name", "name_initials", "id_number", "sex", "birth_date", "ethnicity", "phone", "phone2",
    "address",
    "category", "lixiu_period", "original_rank", "benefit_level", "original_work_unit",
    "retirement_date", "native_place", "marital_status", "education", "work_started_on",
    "is_party_member", "joined_party_on", "joined_party_precision",
    "full_member_on", "full_member_precision", "member_status", "branch_id", "party_group_id",
    "residence_unit_id", "living_situation", "mobility", "critically_ill",
    "disabled_or_cognitive", "in_hardship", "health_status", "requests", "medical_insurance",
    "designated_hospital", "designated_hospital2", "long_term_medicines", "monthly_pension",
    "status",
    "archive_reason", "transferred_to", "archive_note", "on_roster_since", "created_at",
    "updated_at",
]  # fmt: skip
UPDATE_FIELDS = [f for f in CREATE_FIELDS if f not in (
    "id_number", "status", "archive_reason", "transferred_to", "archive_note", "created_at",
    "on_roster_since",
)]  # fmt: skip
DEFAULTS = {"archive_reason": "", "transferred_to": "", "archive_note": ""}
# A record's values in column order, picked at C speed.
_create_values = itemgetter(*CREATE_FIELDS)
_UPDATE_TABLE = "roster_changed"


def created_changes(record: dict) -> dict:
    """What the history keeps of a created cadre: its non-blank values."""
    return {
        k: v
        for k, v in record.items()
        if v not in ("", None) and k not in ("created_at", "updated_at")
    }


@dataclass
class Prepared:
    """One batch, ready to store."""

    creates: list[tuple] = field(default_factory=list)  # CREATE_FIELDS order
    create_history: list[str] = field(default_factory=list)
    updates: list[tuple] = field(default_factory=list)  # update_fields order, pk
    update_history: list[str] = field(default_factory=list)
    # The fields any row of the batch changes (and updated_at): only these are
    # written, so a re-import that changes one column moves one column.
    update_fields: list[str] = field(default_factory=list)

    def store(self, bulk=None) -> None:
        """Write the batch, and its history rows into `bulk` (a BulkRecorder)."""
        if self.creates:
            ids = _store_creates(self.creates)
            if bulk is not None:
                for pk, text in zip(ids, self.create_history, strict=True):
                    bulk.add_serialized("cadre", pk, "create", text)
        if self.updates:
            _store_updates(self.updates, self.update_fields)
            if bulk is not None:
                for values, text in zip(self.updates, self.update_history, strict=True):
                    bulk.add_serialized("cadre", values[-1], "update", text)


def prepare(creates: list[dict], updates: list[tuple[dict, dict]]) -> Prepared:
    """`creates`: records holding every field of CREATE_FIELDS (the archive fields may
    be left out); `updates`: (record with every UPDATE_FIELDS field and its pk, changes
    {field: (old, new)}). No query."""
    batch = Prepared()
    today = timezone.localdate()
    for r in creates:
        for key, value in DEFAULTS.items():
            r.setdefault(key, value)
        r.setdefault("on_roster_since", today)
        batch.creates.append(_create_values(r))
        batch.create_history.append(serialize_changes(created_changes(r)))
    changed = {name for _r, changes in updates for name in changes}
    if "name" in changed:
        changed.add("name_initials")
    batch.update_fields = [f for f in UPDATE_FIELDS if f in changed or f == "updated_at"]
    pick = itemgetter(*batch.update_fields, "pk")
    for r, changes in updates:
        batch.updates.append(pick(r))
        batch.update_history.append(
            serialize_changes({k: [a, b] for k, (a, b) in changes.items()})
        )
    return batch


def _reserve_ids(count: int) -> list[int]:
    table = Cadre._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(nextval(pg_get_serial_sequence(%s, 'id'))) "
            "FROM generate_series(1, %s)",
            [table, count],
        )
        return cursor.fetchone()[0]


def _store_creates(rows: list[tuple]) -> list[int]:
    if connection.vendor != "postgresql":
        objects = Cadre.objects.bulk_create(
            [Cadre(**dict(zip(CREATE_FIELDS, values, strict=True))) for values in rows],
            batch_size=2_000,
        )
        return [o.pk for o in objects]
    ids = _reserve_ids(len(rows))
    load_rows(
        Cadre._meta.db_table,
        ["id", *columns(Cadre, CREATE_FIELDS)],
        ((pk, *values) for pk, values in zip(ids, rows, strict=True)),
        binary=True,
    )
    return ids


def _store_updates(rows: list[tuple], fields: list[str]) -> None:
    if connection.vendor != "postgresql":
        objects = [
            Cadre(pk=values[-1], **dict(zip(fields, values[:-1], strict=True)))
            for values in rows
        ]
        Cadre.objects.bulk_update(objects, fields, batch_size=2_000)
        return
    cols = columns(Cadre, fields)
    # A temporary table per set of changed columns (most imports have one), emptied
    # for each batch: creating a table per batch churns the catalog.
    table = f"{_UPDATE_TABLE}_{zlib.crc32(','.join(cols).encode()):x}"
    staging_table(table, Cadre, cols, extra="target bigint", reuse=True)
    load_rows(table, [*cols, "target"], rows, binary=True)
    assignments = ", ".join(f"{c} = t.{c}" for c in cols)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Cadre._meta.db_table} AS c SET {assignments} "
            f"FROM {table} AS t WHERE c.id = t.target"
        )
