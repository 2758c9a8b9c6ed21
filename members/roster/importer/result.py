"""What an import reports: its issues by row and column, its counts (shared with the
tree and partner imports)."""

from collections import Counter
from dataclasses import dataclass, field

from ..reader import RosterSheet


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
    # Rows that named no unit and were placed: (how — "address", "default" or
    # "default_branch" —, the unit's name) → rows.
    placed: Counter = field(default_factory=Counter)
    deceased: int = 0  # rows with a death date: archived as deceased

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": [e.as_dict() for e in self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "deceased": self.deceased,
            "placed": [{"how": how, "unit": unit, "rows": n}
                       for (how, unit), n in sorted(self.placed.items())],
        }  # fmt: skip

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
