"""Issue 19: an .xlsx saved by WPS 表格 behaves like Excel's. WPS writes the parts of a
workbook its own way: inline strings instead of a shared-string table for some
cells, no <dimension>, a custom date format (yyyy/m/d) on serial-number dates, a
formula cell with its cached text, a custom document property (KSOProductBuildVer)
and a 0-based "sheet1" relationship id. The file here is written part by part the
way WPS writes it."""

import datetime
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.imports.models import ImportJob, ImportStatus
from members.models import Cadre
from members.roster.importer import import_roster

from .roster_files import id_number

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _serial(day: datetime.date) -> int:
    return (day - datetime.date(1899, 12, 30)).days


def wps_xlsx(people) -> bytes:
    """people: (name, ID number, birth date, joined date)."""
    shared = [
        "姓名",
        "身份证号",
        "出生日期",
        "所属支部",
        "入党时间",
        "联系电话",
        "社区A党支部",
    ]
    rows = [
        '<row r="1" spans="1:6"><c r="A1" s="0" t="inlineStr"><is><t>XX镇离退休干部名册（WPS）</t></is></c></row>',
        '<row r="2" spans="1:6">'
        + "".join(f'<c r="{col}2" s="2" t="s"><v>{i}</v></c>' for i, col in enumerate("ABCDEF"))
        + "</row>",
    ]  # fmt: skip
    for n, (name, number, born, joined) in enumerate(people, start=3):
        rows.append(
            f'<row r="{n}" spans="1:6">'
            f'<c r="A{n}" t="inlineStr"><is><t>{name}</t></is></c>'
            f'<c r="B{n}" s="3" t="inlineStr"><is><t>{number}</t></is></c>'
            f'<c r="C{n}" s="1"><v>{_serial(born)}</v></c>'
            f'<c r="D{n}" t="s"><v>6</v></c>'
            f'<c r="E{n}" s="1"><v>{_serial(joined)}</v></c>'
            f'<c r="F{n}" s="3" t="str"><f>"1380000"&amp;"{n:04d}"</f><v>1380000{n:04d}</v></c>'
            "</row>"
        )  # fmt: skip
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{NS}" xmlns:r="{REL}">'
        '<sheetPr/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultColWidth="9" defaultRowHeight="13.5"/>'
        f"<sheetData>{''.join(rows)}</sheetData>"
        '<mergeCells count="1"><mergeCell ref="A1:F1"/></mergeCells>'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
        "</worksheet>"
    )  # fmt: skip
    strings = "".join(f"<si><t>{s}</t></si>" for s in shared)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/extended-properties" Target="docProps/app.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/custom-properties" Target="docProps/custom.xml"/>'
            "</Relationships>"
        ),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>WPS 表格</Application></Properties>"
        ),
        "docProps/custom.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer">'
            "<vt:lpwstr>2052-12.1.0.16388</vt:lpwstr></property></Properties>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><workbookPr/>'
            '<bookViews><workbookView windowWidth="28800" windowHeight="12300"/></bookViews>'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets>'
            '<calcPr calcId="144525"/></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<styleSheet xmlns="{NS}">'
            '<numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d;@"/></numFmts>'
            '<fonts count="1"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="176" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>"
        ),
        "xl/sharedStrings.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<sst xmlns="{NS}" count="{len(shared)}" uniqueCount="{len(shared)}">{strings}</sst>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


PEOPLE = [
    ("钱九", datetime.date(1944, 2, 3), datetime.date(1968, 7, 1)),
    ("孙十", datetime.date(1946, 11, 20), datetime.date(1972, 3, 15)),
]


def test_a_wps_workbook_is_read_like_excels(tmp_path, cast):
    people = [
        (name, id_number(birth=born), born, joined) for name, born, joined in PEOPLE
    ]
    path = tmp_path / "WPS名册.xlsx"
    path.write_bytes(wps_xlsx(people))
    result = import_roster(path, user=cast.officer)
    assert result.errors == [] and result.created == 2
    for n, (name, number, born, joined) in enumerate(people, start=3):
        cadre = Cadre.objects.get(id_number=number)
        assert (cadre.name, cadre.birth_date, cadre.joined_party_on) == (
            name,
            born,
            joined,
        )
        assert cadre.branch == cast.tree["branch_A"]
        assert cadre.phone == f"1380000{n:04d}"  # the formula's cached text


def test_a_wps_workbook_through_the_upload_page(client, cast, import_files):
    people = [
        (name, id_number(birth=born), born, joined) for name, born, joined in PEOPLE
    ]
    client.force_login(cast.officer)
    client.post(reverse("imports:home"), {
        "kind": "roster", "mode": "create",
        "file": SimpleUploadedFile("WPS名册.xlsx", wps_xlsx(people)),
    })  # fmt: skip
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 2
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert Cadre.objects.filter(id_number__in=[p[1] for p in people]).count() == 2
