"""What the tree and partner imports share: open the sheet, warn of unknown
columns, and walk its rows with their cells by column key and their issues."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..roster.importer import ImportResult, Issue
from ..roster.parsing import text
from ..roster.reader import open_sheet

PROGRESS_EVERY = 50  # rows between two progress reports (these sheets are short)


@dataclass
class SheetRow:
    number: int  # the Excel row number
    cells: list
    values: dict  # column key → cell
    headers: dict  # column key → header as written in the file
    errors: list[Issue] = field(default_factory=list)

    def error(self, key: str, message: str) -> None:
        self.errors.append(
            Issue(
                self.number,
                self.headers.get(key, key),
                text(self.values.get(key)),
                message,
            )
        )


def sheet_rows(
    source, index, required, *, progress=None
) -> tuple[ImportResult, Iterator[SheetRow]]:
    """The result to fill and the sheet's rows. After each row the caller handled,
    the loop counts it validated, keeps its issues (and its cells, for the error
    file) in the result, and reports progress now and then."""
    sheet = open_sheet(source, index, required)
    result = ImportResult(sheet=sheet, source=source)
    headers = {c.key: sheet.headers[i] for i, c in sheet.columns.items()}
    for columns in sheet.ambiguous.values():
        result.warnings.append(Issue(sheet.header_row, columns[0], "、".join(columns[1:]),
                                     _("These columns repeat this one: only the first was read.")))  # fmt: skip
    if sheet.unknown:
        result.warnings.append(Issue(sheet.header_row, "", "、".join(sheet.unknown),
                                     _("These columns are not known and were ignored.")))  # fmt: skip

    def rows() -> Iterator[SheetRow]:
        for number, cells in sheet.rows():
            result.rows_read += 1
            values = {
                c.key: cells[i] if i < len(cells) else None
                for i, c in sheet.columns.items()
            }
            row = SheetRow(number, cells, values, headers)
            yield row
            if row.errors:
                result.errors.extend(row.errors)
                result.raw_rows[number] = list(cells)
            result.rows_validated += 1
            if progress and result.rows_read % PROGRESS_EVERY == 0:
                progress(result.progress())

    return result, rows()


def write_plans(result, plans, *, kind: str, user, file_name: str, write) -> None:
    """Write the checked rows in one transaction, recorded as one bulk change:
    `write(plan, bulk)` for each; counts them and marks the result written."""
    from django.db import transaction

    from grids.audit import bulk_change

    with (
        transaction.atomic(),
        bulk_change(kind=kind, actor=user, description=file_name) as bulk,
    ):
        for plan in plans:
            write(plan, bulk)
            result.rows_written += 1
    result.written = True
