"""Build .xlsx rosters for tests the way townships make them."""

import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from members.idnumbers import check_character

_serial = iter(range(1, 10**6))


def id_number(birth=datetime.date(1945, 5, 6), male=True) -> str:
    n = next(_serial)
    area = 320000 + n // 499
    first17 = f"{area:06d}{birth:%Y%m%d}{(n % 499) * 2 + (1 if male else 0):03d}"
    return first17 + check_character(first17)


def write_roster(
    path: Path,
    header: list,
    rows: list[list],
    *,
    titles: list[list] | None = None,
    blank_tail: int = 0,
    text_columns: tuple[int, ...] = (),
) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for title in titles or []:
        sheet.append(title)
    if titles:
        sheet.merge_cells(
            start_row=1, start_column=1, end_row=1, end_column=max(len(header), 2)
        )
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        for index in text_columns:
            sheet.cell(row=sheet.max_row, column=index + 1).number_format = "@"
    last = sheet.max_row
    for offset in range(1, blank_tail + 1):
        # Formatted but empty rows, as Excel leaves them after a deletion.
        sheet.cell(row=last + offset, column=1).font = Font(bold=True)
    workbook.save(path)
    return path
