"""Every workbook the system writes goes through here: templates, exports, error
files and reports. Text that a user or an import supplied (names of cadres, units,
partners, notes, the cells of an uploaded sheet) must never reach Excel as a formula
(formula or CSV injection, as OWASP describes): a text beginning with `=`, `+`, `-`,
`@`, a tab or a carriage return is written with a leading apostrophe, so that Excel
shows it as text.

Writers add rows with `append` and cells with `put`; `save` (used by every download
and every file written to disk) checks the finished workbook once more and
neutralizes any cell openpyxl would store as a formula, so that a writer that forgot
the helpers still cannot emit one.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Font

# Excel evaluates a cell beginning with these (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value):
    """The value as Excel must see it: text that could be read as a formula gets the
    quote prefix; anything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def append(sheet, values) -> None:
    """Add one row to a sheet (normal or write-only), each value neutralized."""
    sheet.append([neutralize(v) for v in values])


def put(sheet, row: int, column: int, value):
    """Write one cell, neutralized; returns the cell for styling."""
    return sheet.cell(row=row, column=column, value=neutralize(value))


def _guard(workbook: Workbook) -> None:
    # A write-only workbook's cells went out through `append` already.
    if getattr(workbook, "write_only", False):
        return
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.value = neutralize(cell.value)
                    cell.data_type = "s"


def save(workbook: Workbook, target) -> None:
    """Write the workbook to a path or a file object, with no formula from text."""
    _guard(workbook)
    workbook.save(target)


@dataclass
class Sheet:
    """One sheet of a report: a bold header over its rows, title lines above it."""

    title: str
    header: list
    rows: Iterable[list]
    above: list[list] = field(default_factory=list)


def report_workbook(sheets: Iterable[Sheet]) -> Workbook:
    """A report as a workbook (the coverage and partner exports): every cell through
    `append`, so no text from users becomes a formula."""
    workbook = new_workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])  # Excel's limit on sheet names
        for line in spec.above:
            append(sheet, line)
        append(sheet, spec.header)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            append(sheet, row)
    return workbook
