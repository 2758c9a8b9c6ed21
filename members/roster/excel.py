"""Writing rosters: the template, the error file, and the export (openpyxl)."""

import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from grids.workbooks import append, new_workbook, put

from .columns import Column, kept_columns

TEXT_COLUMNS = {"id_number", "phone", "phone2"}
NOTE_FILL = PatternFill("solid", fgColor="FFF4D6")
HEADER_FONT = Font(bold=True)
ERROR_HEADER = "错误信息"


def _header_row(sheet, columns: list[Column], row: int = 1) -> None:
    for index, column in enumerate(columns, start=1):
        cell = put(sheet, row, index, column.header)
        cell.font = HEADER_FONT
        sheet.column_dimensions[get_column_letter(index)].width = max(
            12, len(column.header) * 2 + 4
        )
        if column.key in TEXT_COLUMNS:
            # Text format for the whole column: long ID numbers keep their digits.
            sheet.column_dimensions[get_column_letter(index)].number_format = "@"


def template_workbook(
    columns: tuple[Column, ...] | None = None, title: str = "花名册"
) -> Workbook:
    """An import template: header, a notes row, data-validation lists (the roster's
    kept columns by default)."""
    columns = kept_columns() if columns is None else columns
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = title
    columns = list(columns)
    _header_row(sheet, columns)
    for index, column in enumerate(columns, start=1):
        note = put(
            sheet, 2, index, f"说明：{column.note}" if column.note else "说明：选填"
        )
        note.fill = NOTE_FILL
        note.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        if column.choices:
            validation = DataValidation(
                type="list",
                formula1='"' + ",".join(column.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="填写有误",
                error="请从下拉列表中选择：" + "、".join(column.choices),
            )
            validation.add(f"{letter}3:{letter}10000")
            sheet.add_data_validation(validation)
        if column.key in TEXT_COLUMNS:
            for row in range(3, 1003):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.row_dimensions[2].height = 48
    sheet.freeze_panes = "A3"
    return workbook


def error_workbook(result, *, only_bad_rows: bool) -> Workbook:
    """A copy of the uploaded sheet with an error column, ready to fix and re-upload."""
    sheet_in = result.sheet
    messages: dict[int, list[str]] = {}
    for issue in result.errors:
        label = f"{issue.column}：{issue.message}" if issue.column else issue.message
        messages.setdefault(issue.row, []).append(label)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "错误"
    out = 0
    for cells in sheet_in.title_rows:
        out += 1
        for index, value in enumerate(cells, start=1):
            put(sheet, out, index, _plain(value))
    out += 1
    width = max(sheet_in.headers) + 1 if sheet_in.headers else 1
    header_cells = sheet_in.header_cells
    for index, value in enumerate(header_cells, start=1):
        put(sheet, out, index, _plain(value)).font = HEADER_FONT
    width = max(width, len(header_cells))
    error_column = width + 1
    put(sheet, out, error_column, ERROR_HEADER).font = HEADER_FONT
    id_indexes = {i for i, c in sheet_in.columns.items() if c.key in TEXT_COLUMNS}
    if only_bad_rows:
        data = sorted(result.raw_rows.items())
    else:  # the whole sheet again, read a second time rather than held in memory
        data = sheet_in.reopen(result.source).rows()
    for number, cells in data:
        out += 1
        for index, value in enumerate(cells, start=1):
            cell = put(sheet, out, index, _plain(value, index - 1 in id_indexes))
            if index - 1 in id_indexes:
                cell.number_format = "@"
        if number in messages:
            put(sheet, out, error_column, f"第{number}行：" + "；".join(messages[number]))
    return workbook


def _plain(value, as_text: bool = False):
    if value == "":
        return None
    if as_text and isinstance(value, float) and value.is_integer():
        return f"{value:.0f}"
    return value


def export_workbook(rows) -> Workbook:
    """Cadres in the template's layout (no notes row). `rows` yields dicts by column key."""
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    columns = kept_columns()
    append(sheet, [c.header for c in columns])
    for row in rows:
        append(sheet, [_export_value(row.get(c.key)) for c in columns])
    return workbook


def _export_value(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value if value not in (None,) else ""
