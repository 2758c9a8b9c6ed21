"""Rosters that other systems export as text rather than a workbook: an ".xls" that is
really an HTML table, an Excel 2003 XML spreadsheet, and CSV in UTF-8 (with or
without BOM) or GBK. Each is read into rows of cells, as a workbook's sheet would
be (merged cells leave blanks to their right and below, as in Excel)."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

XMLSS = "urn:schemas-microsoft-com:office:spreadsheet"
HEAD_BYTES = 1 << 16


def sniff(head: bytes) -> str | None:
    """'html', 'xmlss' or 'csv' for a text roster; None for anything else."""
    if not head or b"\x00" in head[:4096]:
        return None
    text = decode(head).lstrip().lower()
    if XMLSS in text:
        return "xmlss"
    if "<table" in text or text.startswith(("<html", "<!doctype html")):
        return "html" if "<table" in text else None
    if text.startswith("<"):
        return None
    first = text.split("\n", 1)[0]
    return "csv" if ("," in first or "\t" in first) else None


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped) when it is valid, else GB18030 (which reads GBK/GB2312)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def read_rows(data: bytes, kind: str) -> list[list[str]]:
    if kind == "html":
        return _html_rows(decode(data))
    if kind == "xmlss":
        return _xmlss_rows(data)
    return _csv_rows(decode(data))


def _csv_rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    dialect = "excel-tab" if first.count("\t") > first.count(",") else "excel"
    return list(csv.reader(io.StringIO(text), dialect=dialect))


class _Tables(HTMLParser):
    """The first table's rows; colspan and rowspan leave blanks, as Excel does."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.depth = 0  # nested tables are read as text of their cell
        self.done = False
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.span = 1
        self.down: dict[int, int] = {}  # column → rows still covered by a rowspan
        self.pending_down = 0

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        attrs = dict(attrs)
        if tag == "table":
            self.depth += 1
        elif self.depth == 1 and tag == "tr":
            self.row = []
            self._skip_covered()
        elif self.depth == 1 and tag in ("td", "th") and self.row is not None:
            self.cell = []
            self.span = _int(attrs.get("colspan"))
            self.pending_down = _int(attrs.get("rowspan")) - 1
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def _skip_covered(self):
        while self.down.get(len(self.row), 0) > 0:
            self.down[len(self.row)] -= 1
            self.row.append("")

    def handle_endtag(self, tag):
        if self.done:
            return
        if tag in ("td", "th") and self.depth == 1 and self.cell is not None:
            start = len(self.row)
            self.row.append(re.sub(r"\s+", " ", "".join(self.cell)).strip())
            self.row.extend([""] * (self.span - 1))
            if self.pending_down > 0:
                for column in range(start, start + self.span):
                    self.down[column] = self.pending_down
            self.cell = None
            self._skip_covered()
        elif tag == "tr" and self.depth == 1 and self.row is not None:
            self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.depth -= 1
            if self.depth == 0 and self.rows:
                self.done = True

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _int(value) -> int:
    try:
        return max(1, min(int(value), 100))
    except (TypeError, ValueError):
        return 1


def _html_rows(text: str) -> list[list[str]]:
    parser = _Tables()
    parser.feed(text)
    parser.close()
    return parser.rows


def _xmlss_rows(data: bytes) -> list[list[str]]:
    text = decode(data)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # decoded already: drop its encoding
    root = ET.fromstring(text)
    ns = {"ss": XMLSS}
    table = root.find("ss:Worksheet/ss:Table", ns)
    rows: list[list[str]] = []
    if table is None:
        return rows
    index = f"{{{XMLSS}}}Index"
    across = f"{{{XMLSS}}}MergeAcross"
    for row in table.findall("ss:Row", ns):
        if row.get(index):
            while len(rows) < int(row.get(index)) - 1:
                rows.append([])
        cells: list[str] = []
        for cell in row.findall("ss:Cell", ns):
            if cell.get(index):
                while len(cells) < int(cell.get(index)) - 1:
                    cells.append("")
            value = cell.find("ss:Data", ns)
            cells.append("".join(value.itertext()).strip() if value is not None else "")
            cells.extend([""] * int(cell.get(across) or 0))
        rows.append(cells)
    return rows
