"""The roster import: read, validate in memory against pre-loaded lookups, write
set-based, and record one history event. All-or-nothing unless asked otherwise."""

import datetime
import hashlib
import logging
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from pathlib import Path

from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.audit import bulk_change
from grids.datebounds import date_bound_error
from grids.models import RESIDENCE_KINDS, OrgUnit, UnitKind
from grids.selectors import scope_of

from ..dates import DatePrecision, truncate
from ..models import (
    Cadre,
    CadreStatus,
    Category,
    LivingSituation,
    LixiuPeriod,
    MemberStatus,
    RankLevel,
)
from ..pinyin import name_initials
from ..validators import PHONE_PATTERN, normalize_phone
from .columns import BY_KEY
from .parsing import (
    CellError,
    is_blank,
    norm,
    parse_bool,
    parse_date,
    parse_id,
    parse_sex,
    text,
)
from .reader import RosterSheet, open_roster
from .units import UnitLookup
from .write import Prepared, prepare

logger = logging.getLogger(__name__)

MODES = ("create", "update", "fill")
LOOKUP_BATCH = 5_000
PROGRESS_EVERY = 500  # rows read between two progress reports
MEMO_SIZE = 50_000  # distinct texts remembered per kind of value
_UNSEEN = object()

CATEGORY = {
    "离休": Category.LIXIU,
    "离休干部": Category.LIXIU,
    "退休": Category.TUIXIU,
    "退休干部": Category.TUIXIU,
}
PERIOD = {
    "抗日战争时期": LixiuPeriod.ANTI_JAPANESE_WAR,
    "抗日战争": LixiuPeriod.ANTI_JAPANESE_WAR,
    "解放战争时期": LixiuPeriod.LIBERATION_WAR,
    "解放战争": LixiuPeriod.LIBERATION_WAR,
}
STATUS = {
    "正式党员": MemberStatus.FULL,
    "正式": MemberStatus.FULL,
    "预备党员": MemberStatus.PROBATIONARY,
    "预备": MemberStatus.PROBATIONARY,
    "失联党员": MemberStatus.OUT_OF_CONTACT,
    "失联": MemberStatus.OUT_OF_CONTACT,
    "停止党籍": MemberStatus.SUSPENDED,
}
LIVING = {"独居": LivingSituation.ALONE, "空巢": LivingSituation.EMPTY_NEST, "与家人同住": LivingSituation.WITH_FAMILY,
          "与子女同住": LivingSituation.WITH_FAMILY, "同住": LivingSituation.WITH_FAMILY}  # fmt: skip

# The cadre fields an import writes, and their value when the file leaves them blank.
FIELDS = {
    "name": "", "sex": "", "birth_date": None, "ethnicity": "汉族", "phone": "", "address": "",
    "category": Category.TUIXIU, "lixiu_period": "", "original_rank": "", "benefit_level": "",
    "original_work_unit": "", "retirement_date": None, "is_party_member": False,
    "joined_party_on": None, "joined_party_precision": DatePrecision.DAY, "full_member_on": None,
    "full_member_precision": DatePrecision.DAY, "member_status": "", "branch_id": None,
    "residence_unit_id": None, "living_situation": LivingSituation.WITH_FAMILY,
    "can_attend": True, "critically_ill": False, "disabled_or_cognitive": False,
    "in_hardship": False, "health_status": "", "requests": "",
}  # fmt: skip
# Which file column governs which field (for update/fill: only columns in the file).
GOVERNED_BY = {
    "joined_party_precision": "joined_party_on", "full_member_precision": "full_member_on",
    "branch_id": "branch", "residence_unit_id": "residence_unit",
    "living_situation": ("living_situation", "lives_alone"),
}  # fmt: skip


@dataclass
class Issue:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    written: bool = False
    rows_read: int = 0
    rows_validated: int = 0
    rows_written: int = 0
    sheet: RosterSheet | None = None
    raw_rows: dict[int, list] = field(default_factory=dict)  # the rows with errors
    source: object = None

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
        }

    def progress(self) -> dict:
        return {
            "total": self.sheet.estimated_rows if self.sheet else 0,
            "read": self.rows_read,
            "validated": self.rows_validated,
            "written": self.rows_written,
        }

    @property
    def error_rows(self) -> set[int]:
        return {e.row for e in self.errors}


@dataclass(slots=True)
class Row:
    number: int
    values: dict | None  # column key → cell value as read (dropped once checked)
    cells: list | None = None  # the cells as read (kept for rows with errors)
    warning: "Issue | None" = None
    data: dict = field(default_factory=dict)  # field → clean value
    errors: list[Issue] = field(default_factory=list)
    id_number: str = ""
    existing: dict | None = None
    action: str = ""
    changes: dict = field(default_factory=dict)


class _RollBack(Exception):
    """Undo the import's transaction (dry run, or refused rows)."""


class _Writer:
    """Writes each checked batch on a second thread while the next batch is read and
    checked, so that PostgreSQL's work (COPY, index upkeep) overlaps Python's. The
    thread uses this thread's connection, inside the same transaction; the two never
    use it at once: `wait()` comes before every other use of the database."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.pool = ThreadPoolExecutor(1, "roster-write") if enabled else None
        self.pending: Future | None = None
        self.connection = connections[DEFAULT_DB_ALIAS]

    def __enter__(self) -> "_Writer":
        if self.enabled:
            self.connection.inc_thread_sharing()
        return self

    def submit(self, func, *args) -> None:
        self.wait()
        if not self.enabled:
            func(*args)
            return
        self.pending = self.pool.submit(self._bound, func, *args)

    def _bound(self, func, *args) -> None:
        connections[DEFAULT_DB_ALIAS] = self.connection
        try:
            func(*args)
        finally:
            del connections[DEFAULT_DB_ALIAS]  # never close the shared connection

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()  # re-raises the write's error here

    def __exit__(self, exc_type, exc, tb) -> None:
        if not self.enabled:
            return
        try:
            if exc_type is None:
                self.wait()
            elif self.pending is not None:
                wait_futures([self.pending])  # failing anyway: just let it finish
        finally:
            self.pool.shutdown(wait=True)
            self.connection.dec_thread_sharing()


class RosterImport:
    def __init__(self, *, user, mode: str = "create", unit: OrgUnit | None = None,
                 progress=None):  # fmt: skip
        """`progress`, if given, is called now and then with a dict of counts (rows
        read, validated, written, and the sheet's estimated total) from either of the
        import's threads."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.user = user
        self.mode = mode
        self.units = UnitLookup(scope=scope_of(user), limit=unit)
        self.ranks = set(
            RankLevel.objects.filter(is_active=True).values_list("name", flat=True)
        )
        self.today = timezone.localdate()
        self.progress = progress
        self._header_cache: dict[str, str] = {}
        self._memo: defaultdict = defaultdict(dict)  # parser → raw text → answer
        self.governed: dict[str, bool] = {}

    # ---- reading and checking each row -------------------------------------------

    def _header(self, sheet: RosterSheet, key: str) -> str:
        cache = self._header_cache
        if key not in cache:
            cache[key] = next(
                (sheet.headers[i] for i, c in sheet.columns.items() if c.key == key),
                BY_KEY[key].header,
            )
        return cache[key]

    def _parse(self, row: Row, header) -> None:
        v, data = row.values, row.data

        def error(key: str, message: str) -> None:
            row.errors.append(Issue(row.number, header(key), text(v.get(key)), message))

        memo = self._memo

        def read(key: str, parser):
            raw = v.get(key)
            if raw is None:
                return None
            if raw.__class__ is str and parser is not parse_id:
                # Rosters repeat the same texts (1970.03, 是, 男) thousands of times:
                # each is read once; an ID number is unique, so never kept.
                answers = memo[parser]
                answer = answers.get(raw, _UNSEEN)
                if answer is _UNSEEN:
                    answer = _answer(parser, raw)
                    if len(answers) < MEMO_SIZE:
                        answers[raw] = answer
            else:
                answer = _answer(parser, raw)
            if answer.__class__ is CellError:
                error(key, str(answer))
                return None
            return answer

        name = text(v.get("name"))
        if not name:
            error("name", _("The name is missing."))
        data["name"] = name
        if is_blank(v.get("id_number")):
            error("id_number", _("The ID number is missing."))
            info = None
        else:
            info = read("id_number", parse_id)
        if info:
            row.id_number = info.number
            data["birth_date"], data["sex"] = info.birth_date, info.sex
            entered = read("birth_date", parse_date)
            if entered and not _same_to_precision(entered, info.birth_date):
                error("birth_date", _("The birth date %(entered)s disagrees with the ID number, which gives %(derived)s.")
                      % {"entered": text(v.get("birth_date")), "derived": info.birth_date.isoformat()})  # fmt: skip
            sex = read("sex", parse_sex)
            if sex and sex != info.sex:
                error("sex", _("The sex disagrees with the ID number, which gives %s.")
                      % ("男" if info.sex == "M" else "女"))  # fmt: skip
        for key in ("ethnicity", "address", "original_rank", "benefit_level", "original_work_unit",
                    "health_status", "requests"):  # fmt: skip
            if key in v:
                data[key] = text(v[key])
        if "phone" in v:
            raw = v["phone"]
            if raw.__class__ is str and raw.isascii() and raw.isdigit():
                phone = raw  # the usual 13812348000: nothing to normalize
            else:
                phone = normalize_phone(norm(raw))
            if phone and not PHONE_PATTERN.match(phone):
                error(
                    "phone",
                    _(
                        "Not a phone number: a mobile has 11 digits, a landline its area code."
                    ),
                )
            data["phone"] = phone
        for key, table, label in (("category", CATEGORY, "离休/退休"), ("lixiu_period", PERIOD, "抗日战争时期/解放战争时期"),
                                  ("member_status", STATUS, "正式/预备/失联/停止党籍"), ("living_situation", LIVING, "独居/空巢/与家人同住")):  # fmt: skip
            if key in v and not is_blank(v[key]):
                value = table.get(norm(v[key]))
                if value is None:
                    error(key, _("Choose one of: %s") % label)
                data[key] = value or FIELDS[key]
            elif key in v:
                data[key] = FIELDS[key]
        if "lives_alone" in v and not is_blank(v["lives_alone"]):
            alone = read("lives_alone", parse_bool)
            if alone:
                data["living_situation"] = LivingSituation.ALONE
            elif alone is False and data.get("living_situation") == LivingSituation.ALONE:
                data["living_situation"] = LivingSituation.WITH_FAMILY
        for key in (
            "can_attend",
            "critically_ill",
            "disabled_or_cognitive",
            "in_hardship",
            "is_party_member",
        ):
            if key in v:
                value = read(key, parse_bool)
                data[key] = FIELDS[key] if value is None else value
        for key in ("joined_party_on", "full_member_on", "retirement_date"):
            if key in v:
                parsed = read(key, parse_date)
                if parsed and (
                    problem := date_bound_error(parsed[0], "event", self.today)
                ):
                    error(key, problem)
                    parsed = None
                # parse_date gives a partial date as its first day already.
                data[key] = parsed[0] if parsed else None
                if key != "retirement_date":
                    data[key.replace("_on", "_precision")] = (
                        parsed[1] if parsed else DatePrecision.DAY
                    )
        for key, kinds in (
            ("branch", (UnitKind.BRANCH,)),
            ("residence_unit", RESIDENCE_KINDS),
        ):
            if key in v and not is_blank(v[key]):
                try:
                    data[f"{key}_id"] = self.units.find(text(v[key]), kinds).pk
                except ValueError as exc:
                    error(key, str(exc))
                    data[f"{key}_id"] = None
            elif key in v:
                data[f"{key}_id"] = None
        if (
            data.get("original_rank")
            and self.ranks
            and data["original_rank"] not in self.ranks
        ):
            row.warning = Issue(row.number, header("original_rank"), data["original_rank"],
                                _("Not in the list of ranks: kept as written, please check."))  # fmt: skip

    def _complete(self, row: Row, header) -> None:
        """The whole record as it would be stored, and the rules across fields."""
        final = dict(FIELDS)
        if row.existing is None:
            final.update(row.data)  # a new cadre: what the file says, else defaults
        else:
            final.update(row.existing)
        governed = self.governed
        for name, value in row.data.items() if row.existing is not None else ():
            if name not in FIELDS:
                continue
            if self.mode in ("update", "create"):
                if governed.get(name, True):
                    final[name] = value
            elif (
                self.mode == "fill"
                and governed.get(name, True)
                and row.existing.get(name) in ("", None)
                and value not in ("", None)
            ):
                final[name] = value
        if row.existing is None:
            # Defaults that follow from other values.
            if "is_party_member" not in row.values or is_blank(
                row.values.get("is_party_member")
            ):
                final["is_party_member"] = bool(
                    final["branch_id"] or final["joined_party_on"]
                )
            if final["is_party_member"] and not final["member_status"]:
                final["member_status"] = (
                    MemberStatus.PROBATIONARY
                    if final["joined_party_on"] and not final["full_member_on"] and
                    (self.today - final["joined_party_on"]).days < 3 * 365
                    else MemberStatus.FULL
                )  # fmt: skip
            if not final["residence_unit_id"] and final["branch_id"]:
                final["residence_unit_id"] = self.units.units[
                    final["branch_id"]
                ].parent_id
        if not final["is_party_member"]:
            final["member_status"] = ""
        row.data = final

        def error(key: str, message: str) -> None:
            row.errors.append(
                Issue(row.number, header(key), text(row.values.get(key)), message)
            )

        if final["is_party_member"]:
            if not final["branch_id"] and not any(
                i.column == header("branch") for i in row.errors
            ):
                error("branch", _("A party member needs the branch (所属支部)."))
            if (
                final["member_status"] == MemberStatus.PROBATIONARY
                and final["full_member_on"]
            ):
                error(
                    "full_member_on",
                    _("A probationary member has no full-membership date yet."),
                )
            if final["joined_party_on"] and final["full_member_on"]:
                # Compared only to the coarser of the two precisions given.
                joined = truncate(final["joined_party_on"], _coarser(final))
                full = truncate(final["full_member_on"], _coarser(final))
                if full < joined:
                    error(
                        "full_member_on",
                        _("Full membership (转正) cannot come before admission (入党)."),
                    )
        else:
            for key in ("branch_id", "joined_party_on", "full_member_on"):
                if final[key]:
                    error(
                        key.replace("_id", ""),
                        _("Only party members have party data; clear this field."),
                    )
        if not final["residence_unit_id"] and not any(
            i.column == header("residence_unit") for i in row.errors
        ):
            error(
                "residence_unit",
                _("The community or village of residence (居住社区/村) is missing."),
            )
        if final["lixiu_period"] and final["category"] != Category.LIXIU:
            error("lixiu_period", _("Only lixiu cadres have a revolution period."))

    # ---- the whole file ---------------------------------------------------------

    def run(self, source, *, dry_run: bool = False, skip_invalid: bool = False,
            file_name: str = "") -> ImportResult:  # fmt: skip
        sheet = open_roster(source)
        result = ImportResult(sheet=sheet, source=source)
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
                    if dry_run or (result.errors and not skip_invalid):
                        raise _RollBack
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
        seen: dict[str, int] = {}
        batch: list[Row] = []
        for number, cells in sheet.rows():
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
                self._flush(batch, header, result, bulk, skip_invalid, writer)
                batch = []
        self._flush(batch, header, result, bulk, skip_invalid, writer)

    def _flush(self, batch, header, result, bulk, skip_invalid, writer) -> None:
        writer.wait()  # the previous batch is written: the connection is free
        self._settle(batch, header, result)
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

    def _tell(self, result: ImportResult) -> None:
        if self.progress is not None:
            self.progress(result.progress())

    def _settle(self, batch: list[Row], header, result: ImportResult) -> None:
        """Check a batch of rows against the stored cadres and decide each row's
        action; then drop what was read, so memory holds only the clean data."""
        existing = self._existing(
            [r.id_number for r in batch if r.id_number and not r.errors]
        )
        for row in batch:
            stored = existing.get(row.id_number)
            if not row.errors and stored is not None:
                if self.mode != "create" and not self._may_change(stored):
                    row.errors.append(Issue(row.number, header("id_number"), row.id_number,
                                            _("This cadre is outside the part of the tree you may change.")))  # fmt: skip
                else:
                    row.existing = stored
            if not row.errors:
                self._complete(row, header)
            if row.errors:
                result.errors.extend(row.errors)
                result.raw_rows[row.number] = row.cells
                row.values = row.cells = None
                continue
            row.values = row.cells = None  # checked: only the clean data is kept
            if row.existing is None:
                row.action = "create"
                continue
            row.changes = {k: (row.existing.get(k), row.data[k]) for k in FIELDS
                           if row.existing.get(k) != row.data[k]}  # fmt: skip
            row.existing = {"pk": row.existing["pk"]}
            if not row.changes:
                row.action = "unchanged"
            else:
                # create: a row whose ID exists is skipped, never changes the record.
                row.action = "skip" if self.mode == "create" else "update"

    def _existing(self, numbers: list[str]) -> dict[str, dict]:
        names = ["pk", "id_number", *FIELDS]
        found: dict[str, dict] = {}
        for start in range(0, len(numbers), LOOKUP_BATCH):
            batch = numbers[start : start + LOOKUP_BATCH]
            if connection.vendor == "postgresql":
                # One array parameter instead of thousands of placeholders.
                matches = Cadre.objects.extra(
                    where=["id_number = ANY(%s)"], params=[batch]
                )
            else:
                matches = Cadre.objects.filter(id_number__in=batch)
            for values in matches.values(*names):
                found[values["id_number"]] = values
        return found

    def _may_change(self, stored: dict) -> bool:
        scope = self.units.scope.writable()
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
                            status=CadreStatus.ACTIVE, created_at=now, updated_at=now)  # fmt: skip
                creates.append(data)
            elif row.action == "update":
                data.update(pk=row.existing["pk"], name_initials=name_initials(data["name"]),
                            updated_at=now)  # fmt: skip
                updates.append((data, row.changes))
            row.data = row.changes = None
        return prepare(creates, updates)


def _set_constraints(mode: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS ALL {mode}")


def _answer(parser, raw):
    """The parsed value of a cell (None when blank), or the CellError it raises."""
    if is_blank(raw):
        return None
    try:
        return parser(raw)
    except CellError as exc:
        return exc


def _coarser(final: dict) -> str:
    order = ["day", "month", "year"]
    return max(
        final["joined_party_precision"], final["full_member_precision"], key=order.index
    )


def _same_to_precision(
    entered: tuple[datetime.date, str], derived: datetime.date
) -> bool:
    value, precision = entered
    if precision == DatePrecision.YEAR:
        return value.year == derived.year
    if precision == DatePrecision.MONTH:
        return (value.year, value.month) == (derived.year, derived.month)
    return value == derived


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
                  file_name: str = "", progress=None) -> ImportResult:  # fmt: skip
    return RosterImport(user=user, mode=mode, unit=unit, progress=progress).run(
        source, dry_run=dry_run, skip_invalid=skip_invalid, file_name=file_name
    )
