"""The roster import: read, validate in memory against pre-loaded lookups, write
set-based, and record one history event. All-or-nothing unless asked otherwise."""

import datetime
import hashlib
import logging
from collections import Counter, defaultdict
from operator import itemgetter
from pathlib import Path

from django.db import (
    IntegrityError,
    connection,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.audit import bulk_change
from grids.bulk import columns
from grids.models import OrgUnit
from grids.selectors import scope_of

from ...models import (
    ArchiveReason,
    Cadre,
    CadreStatus,
    RankLevel,
)
from ...pinyin import name_initials
from ...services import cadre_archive
from ..columns import BY_KEY
from ..parsing import (
    text,
)
from ..reader import RosterSheet, open_roster
from ..units import UnitLookup
from ..write import Prepared, prepare
from .contacts import merge_contacts
from .mappings import FIELDS, GOVERNED_BY, MODES, PROGRESS_EVERY
from .result import ImportResult, Issue
from .rows import Row, RowChecks
from .writer import _RollBack, _set_constraints, _Writer

logger = logging.getLogger(__name__)
# Rows settled, looked up and written together (memory holds one batch).
LOOKUP_BATCH = 2_500
_pick_fields = itemgetter(*FIELDS)
# The stored record's columns, in the order of ["pk", "id_number", "status", *FIELDS].
_EXISTING_COLUMNS = ["id", *columns(Cadre, ["id_number", "status", *FIELDS])]


class RosterImport(RowChecks):
    def __init__(self, *, user, mode: str = "create", unit: OrgUnit | None = None,
                 progress=None, default_unit: OrgUnit | None = None,
                 default_branch: OrgUnit | None = None,
                 column_map: dict[str, str] | None = None):  # fmt: skip
        """`progress`, if given, is called now and then with a dict of counts (rows
        read, validated, written, and the sheet's estimated total) from either of the
        import's threads."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.user = user
        self.mode = mode
        self.column_map = column_map or {}
        self.units = UnitLookup(scope=scope_of(user), limit=unit)
        self.default_residence, self.default_branch = self.units.defaults(
            default_unit, default_branch
        )
        self.placed: Counter = Counter()
        self.deaths: list[tuple[str, datetime.date]] = []  # (ID number, date of death)
        self.contacts: list[tuple[str, int, list]] = []  # (ID number, row, contacts)
        self.ranks = set(
            RankLevel.objects.filter(is_active=True).values_list("name", flat=True)
        )
        self.today = timezone.localdate()
        self.progress = progress
        self._header_cache: dict[str, str] = {}
        self._memo: defaultdict = defaultdict(dict)  # parser → raw text → answer
        self.governed: dict[str, bool] = {}
        self._writable = None  # the writable part of the user's scope, once

    # ---- reading and checking each row -------------------------------------------

    def _header(self, sheet: RosterSheet, key: str) -> str:
        cache = self._header_cache
        if key not in cache:
            cache[key] = next(
                (sheet.headers[i] for i, c in sheet.columns.items() if c.key == key),
                BY_KEY[key].header,
            )
        return cache[key]

    def run(self, source, *, dry_run: bool = False, skip_invalid: bool = False,
            file_name: str = "") -> ImportResult:  # fmt: skip
        sheet = open_roster(source, self.column_map)
        sheet.refuse_ambiguity()  # nothing is read until the user chose
        result = ImportResult(sheet=sheet, source=source)
        self.placed = result.placed
        header = lambda key: self._header(sheet, key)  # noqa: E731
        unknown = [h for h in sheet.unknown if h]
        if unknown:
            result.warnings.append(Issue(sheet.header_row, "", "、".join(unknown),
                                         _("These columns are not known and were ignored.")))  # fmt: skip
        present = {c.key for c in sheet.columns.values()}
        for name in FIELDS:
            governing = GOVERNED_BY.get(name, name)
            columns = governing if isinstance(governing, tuple) else (governing,)
            self.governed[name] = any(c in present for c in columns)
        mapping = list(sheet.columns.items())
        name = file_name or getattr(source, "name", "") or str(source)
        description = f"{Path(name).name} sha256:{_digest(source)[:16]}"
        try:
            # One transaction: each checked batch of rows is written at once, so only
            # a batch is ever held in memory; a refused row (unless skip_invalid) or
            # a dry run rolls everything back, so the counts are exactly what happens.
            postgresql = connection.vendor == "postgresql"
            with transaction.atomic():
                if postgresql:
                    # Foreign keys checked as each batch is written (on the writer
                    # thread, while Python reads on) rather than all at commit.
                    _set_constraints("IMMEDIATE")
                with bulk_change(
                    kind="roster_import", actor=self.user, description=description
                ) as bulk:
                    with _Writer(enabled=postgresql) as writer:
                        self._stream(
                            sheet, mapping, header, result, bulk, skip_invalid, writer
                        )
                    if self.contacts and (skip_invalid or not result.errors):
                        merge_contacts(self.contacts, bulk, result, header)
                    if dry_run or (result.errors and not skip_invalid):
                        raise _RollBack
                self._archive_deceased()
                if postgresql:
                    _set_constraints("DEFERRED")  # Django's default for its keys
        except _RollBack:
            return result
        except IntegrityError as exc:
            # The rows were checked against what was stored when they were read; a
            # concurrent import or edit can still collide (the same ID number saved
            # meanwhile). Everything is rolled back; the user imports again.
            logger.warning(
                "roster import refused by the database: %s", type(exc).__name__
            )
            result.errors.append(Issue(sheet.header_row, "", "", _(
                "The database refused the rows: the same cadres may have been saved "
                "meanwhile by another import or edit. Nothing was saved; please import "
                "the file again.")))  # fmt: skip
            return result
        result.written = True
        return result

    def _stream(self, sheet, mapping, header, result, bulk, skip_invalid, writer) -> None:
        """Read and check the rows batch by batch. A batch's look-up of the stored
        cadres is queued on the writer as soon as it is read, before the previous
        batch's write (a file's ID numbers are unique: a batch never looks up what
        the one before it writes); the previous batch is then settled and its write
        queued, and the next batch read, while the database works."""
        seen: dict[str, int] = {}
        batch: list[Row] = []
        waiting = None  # (batch, future of its stored cadres)
        args = (header, result, bulk, skip_invalid, writer)
        keys = [column.key for _i, column in mapping]
        pick = itemgetter(*[i for i, _column in mapping]) if len(mapping) > 1 else None
        last = max((i for i, _column in mapping), default=0)
        for number, cells in sheet.rows():
            if pick is not None and len(cells) > last:
                values = dict(zip(keys, pick(cells), strict=True))  # at C speed
            else:
                width = len(cells)
                values = {
                    column.key: (cells[i] if i < width else None) for i, column in mapping
                }
            row = Row(number, values, cells)
            self._parse(row, header)
            if row.warning:
                result.warnings.append(row.warning)
            if row.id_number:
                if row.id_number in seen:
                    row.errors.append(Issue(number, header("id_number"), text(values.get("id_number")),
                                            _("The same ID number is already on row %d of this file.") % seen[row.id_number]))  # fmt: skip
                else:
                    seen[row.id_number] = number
            result.rows_read += 1
            if self.progress and result.rows_read % PROGRESS_EVERY == 0:
                self._tell(result)
            batch.append(row)
            if len(batch) >= LOOKUP_BATCH:
                waiting = self._flush(batch, waiting, *args)
                batch = []
        waiting = self._flush(batch, waiting, *args)
        self._flush([], waiting, *args)

    def _flush(self, batch, waiting, header, result, bulk, skip_invalid, writer):
        """Queue `batch`'s look-up, then settle and queue the write of the batch
        `waiting` with its look-up; return what now waits."""
        numbers = [r.id_number for r in batch if r.id_number and not r.errors]
        queued = (batch, writer.submit(self._existing, numbers)) if batch else None
        if waiting is not None:
            self._write(*waiting, header, result, bulk, skip_invalid, writer)
        return queued

    def _write(self, batch, lookup, header, result, bulk, skip_invalid, writer) -> None:
        self._settle(batch, header, result, lookup.result())
        result.rows_validated += len(batch)
        self._tell(result)
        good = [r for r in batch if not r.errors]
        for row in good:
            if row.action == "create":
                result.created += 1
            elif row.action == "update":
                result.updated += 1
            elif row.action == "unchanged":
                result.unchanged += 1
            elif row.action == "skip":
                result.skipped += 1
        if result.errors and not skip_invalid:
            return  # everything will be rolled back: keep checking, stop writing
        writer.submit(self._store, self._prepare(good), bulk, len(good), result)

    def _store(self, prepared: Prepared, bulk, count: int, result: ImportResult) -> None:
        prepared.store(bulk)
        result.rows_written += count
        self._tell(result)

    def _archive_deceased(self) -> None:
        """The rows with a death date, archived as deceased on it through the same
        service as the profile (plans closed, history kept): deaths are few."""
        for id_number, on in self.deaths:
            cadre = Cadre.objects.get(id_number=id_number)
            if cadre.status == CadreStatus.ACTIVE:
                cadre_archive(cadre=cadre, reason=ArchiveReason.DECEASED, on=on, by=self.user,
                              note=_("Date of death from a roster import"))  # fmt: skip

    def _tell(self, result: ImportResult) -> None:
        if self.progress is not None:
            self.progress(result.progress())

    def _settle(self, batch: list[Row], header, result: ImportResult, existing) -> None:
        """Check a batch of rows against the stored cadres (`existing`, by ID number)
        and decide each row's action; then drop what was read, so memory holds only
        the clean data."""
        for row in batch:
            stored = existing.get(row.id_number)
            if not row.errors and stored is not None:
                if self.mode != "create" and not self._may_change(stored):
                    row.errors.append(Issue(row.number, header("id_number"), row.id_number,
                                            _("This cadre is outside the part of the tree you may change.")))  # fmt: skip
                else:
                    row.existing = stored
            same = False
            if not row.errors:
                # Every value the file gives is what is stored (a re-import's usual
                # row): the stored record stays as it was checked when saved.
                same = row.existing is not None and _nothing_new(row.data, row.existing)
                if not same:
                    self._complete(row, header)
            if row.errors:
                result.errors.extend(row.errors)
                result.raw_rows[row.number] = row.cells
                row.values = row.cells = None
                continue
            row.values = row.cells = None  # checked: only the clean data is kept
            if row.contacts and (row.existing is None or self.mode != "create"):
                self.contacts.append((row.id_number, row.number, row.contacts))
            if row.death_on and (row.existing is None or (
                self.mode != "create" and row.existing.get("status") == CadreStatus.ACTIVE
            )):  # fmt: skip
                self.deaths.append((row.id_number, row.death_on))
                result.deceased += 1
            if row.existing is None:
                row.action = "create"
                continue
            if same:
                row.action, row.data, row.existing = "unchanged", None, None
                continue
            # Compared as two tuples picked at C speed; field by field only when they
            # differ (most rows of a re-import are unchanged).
            old, new = _pick_fields(row.existing), _pick_fields(row.data)
            row.changes = {} if old == new else {
                k: (a, b) for k, a, b in zip(FIELDS, old, new, strict=True) if a != b
            }  # fmt: skip
            row.existing = {"pk": row.existing["pk"]}
            if not row.changes:
                row.action = "unchanged"
            else:
                # create: a row whose ID exists is skipped, never changes the record.
                row.action = "skip" if self.mode == "create" else "update"

    def _existing(self, numbers: list[str]) -> dict[str, dict]:
        names = ["pk", "id_number", "status", *FIELDS]
        found: dict[str, dict] = {}
        for start in range(0, len(numbers), LOOKUP_BATCH):
            batch = numbers[start : start + LOOKUP_BATCH]
            if connection.vendor == "postgresql":
                # One array parameter instead of thousands of placeholders, and the
                # rows as psycopg gives them (dates, decimals, booleans): building
                # 5,000 dicts through values() costs more than the query.
                select = ", ".join(_EXISTING_COLUMNS)
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT {select} FROM {Cadre._meta.db_table} "
                        "WHERE id_number = ANY(%s)",
                        [batch],
                    )
                    for values in cursor.fetchall():
                        record = dict(zip(names, values, strict=True))
                        found[record["id_number"]] = record
                continue
            for values in Cadre.objects.filter(id_number__in=batch).values(*names):
                found[values["id_number"]] = values
        return found

    def _may_change(self, stored: dict) -> bool:
        scope = self._writable
        if scope is None:
            scope = self._writable = self.units.scope.writable()
        if scope.everything:
            return True
        unit = self.units.units.get(stored["branch_id"] or stored["residence_unit_id"])
        return unit is not None and self.units.allowed(unit)

    def _prepare(self, rows: list[Row]) -> Prepared:
        """The batch's rows as written, with their history (this thread: the
        connection is free); the writer thread only stores them."""
        creates, updates = [], []
        now = timezone.now()
        # The rows' own dicts are completed in place: no copy of 100k records.
        for row in rows:
            data = row.data
            if row.action == "create":
                data.update(id_number=row.id_number, name_initials=name_initials(data["name"]),
                            status=CadreStatus.ACTIVE, created_at=now, updated_at=now,
                            on_roster_since=self.today)  # fmt: skip
                creates.append(data)
            elif row.action == "update":
                data.update(pk=row.existing["pk"], name_initials=name_initials(data["name"]),
                            updated_at=now)  # fmt: skip
                updates.append((data, row.changes))
            row.data = row.changes = None
        return prepare(creates, updates)


def _nothing_new(data: dict, stored: dict) -> bool:
    """Whether each value read from a row equals the stored one (a re-import's usual
    row): then the row changes nothing, whatever the mode."""
    for key, value in data.items():
        if key not in stored or stored[key] != value:
            return False
    return True


def _digest(source) -> str:
    digest = hashlib.sha256()
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    elif hasattr(source, "seek"):
        source.seek(0)
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_roster(source, *, user, mode: str = "create", dry_run: bool = False,
                  skip_invalid: bool = False, unit: OrgUnit | None = None,
                  file_name: str = "", progress=None, default_unit: OrgUnit | None = None,
                  default_branch: OrgUnit | None = None,
                  column_map: dict[str, str] | None = None) -> ImportResult:  # fmt: skip
    """Import a roster. Rows that name no community or village take the one their
    address names (when exactly one in scope does), else `default_unit`; party
    members without a branch take `default_branch`, or the default unit's branch when
    it has exactly one. `column_map` (header as written → field key, "" for not
    used) settles the columns the file leaves ambiguous (ColumnsAmbiguous)."""
    return RosterImport(
        user=user,
        mode=mode,
        unit=unit,
        progress=progress,
        default_unit=default_unit,
        default_branch=default_branch,
        column_map=column_map,
    ).run(source, dry_run=dry_run, skip_invalid=skip_invalid, file_name=file_name)
