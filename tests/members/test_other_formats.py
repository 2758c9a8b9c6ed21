"""Issue 19: rosters exported by other systems — an ".xls" that is an HTML table, an
Excel 2003 XML spreadsheet, CSV in GBK or UTF-8 — read like a workbook, on the command
and through the upload page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.imports.models import ImportJob, ImportStatus
from members.models import Cadre
from members.roster.importer import import_roster
from members.roster.reader import RosterUnreadable, open_roster

from .roster_files import id_number


def html_xls(ids) -> bytes:
    """As government systems write an "Excel" export: an HTML page in GB2312, a title
    over a merged cell, IDs kept as text by a style."""
    rows = "".join(
        f"<tr><td>{name}</td><td style=\"mso-number-format:'\\@'\">{number}</td>"
        f"<td>社区A党支部</td><td>1945.05</td></tr>"
        for name, number in ids
    )
    page = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" '
        'xmlns:x="urn:schemas-microsoft-com:office:excel">'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        "</head><body><table border=1>"
        '<tr><td colspan="4" align="center">XX镇离退休干部信息表</td></tr>'
        "<tr><th>姓名</th><th>身份证号</th><th>所属支部</th><th>出生年月</th></tr>"
        f"{rows}</table></body></html>"
    )
    return page.encode("gb2312")


def xml_2003(ids) -> bytes:
    cells = "".join(
        "<Row>"
        f'<Cell><Data ss:Type="String">{name}</Data></Cell>'
        f'<Cell><Data ss:Type="String">{number}</Data></Cell>'
        # The branch one column further (ss:Index), as Excel writes a skipped cell.
        '<Cell ss:Index="4"><Data ss:Type="String">社区A党支部</Data></Cell>'
        "</Row>"
        for name, number in ids
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="Sheet1"><Table>'
        '<Row><Cell ss:MergeAcross="3"><Data ss:Type="String">离退休人员名册</Data></Cell></Row>'
        '<Row><Cell><Data ss:Type="String">姓名</Data></Cell>'
        '<Cell><Data ss:Type="String">公民身份号码</Data></Cell>'
        '<Cell><Data ss:Type="String">备注</Data></Cell>'
        '<Cell><Data ss:Type="String">所在党支部</Data></Cell></Row>'
        f"{cells}</Table></Worksheet></Workbook>"
    ).encode()


def csv_bytes(ids, encoding: str) -> bytes:
    lines = ["姓名,身份证号,所属支部,联系电话"]
    lines += [f"{name},{number},社区A党支部,13800000001" for name, number in ids]
    return "\r\n".join(lines).encode(encoding)


FILES = {
    "html.xls": html_xls,
    "xml2003.xml": xml_2003,
    "gbk.csv": lambda ids: csv_bytes(ids, "gbk"),
    "utf8-bom.csv": lambda ids: csv_bytes(ids, "utf-8-sig"),
    "utf8.csv": lambda ids: csv_bytes(ids, "utf-8"),
}


@pytest.mark.parametrize("name", FILES)
def test_each_format_imports_on_the_command_path(tmp_path, cast, name):
    ids = [("赵一", id_number()), ("钱二", id_number())]
    path = tmp_path / name
    path.write_bytes(FILES[name](ids))
    result = import_roster(path, user=cast.officer)
    assert result.errors == [] and result.created == 2
    cadre = Cadre.objects.get(id_number=ids[0][1])
    assert cadre.name == "赵一" and cadre.branch == cast.tree["branch_A"]


@pytest.mark.parametrize("name", ["html.xls", "xml2003.xml", "gbk.csv"])
def test_each_format_imports_through_the_upload_page(client, cast, name):
    ids = [("孙三", id_number())]
    client.force_login(cast.officer)
    response = client.post(reverse("imports:home"), {
        "kind": "roster", "mode": "create",
        "file": SimpleUploadedFile(f"人社局导出-{name}", FILES[name](ids)),
    })  # fmt: skip
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 1


def test_an_html_tables_merged_cells_leave_blanks_like_excel(tmp_path):
    path = tmp_path / "merged.xls"
    path.write_text(
        "<table><tr><td rowspan=2>姓名</td><td colspan=2>入党时间</td></tr>"
        "<tr><td>入党</td><td>转正</td></tr></table>", encoding="utf-8",
    )  # fmt: skip
    from members.roster import textformats

    rows = textformats.read_rows(path.read_bytes(), "html")
    assert rows == [["姓名", "入党时间", ""], ["", "入党", "转正"]]


def test_text_that_is_no_table_is_refused_in_chinese(tmp_path):
    path = tmp_path / "notes.xls"
    path.write_text("这不是表格，只是一段文字。", encoding="utf-8")
    with pytest.raises(RosterUnreadable) as refused:
        open_roster(path)
    assert "Excel" in str(refused.value)


def test_political_status_gives_party_membership(tmp_path, cast):
    """政治面貌 instead of 是否党员: 中共预备党员 becomes a probationary member; 群众 and
    the democratic parties are not members; anything else is named as an error."""
    from members.models import MemberStatus

    from .roster_files import write_roster

    rows = [["甲", id_number(), "社区A党支部", "中共党员", "1970.03", ""],
            ["乙", id_number(), "社区A党支部", "中共预备党员", "2025.10", ""],
            ["丙", id_number(), "", "群众", "", "社区A"],
            ["丁", id_number(), "", "九三学社社员", "", "社区A"],
            ["戊", id_number(), "", "党外人士？", "", "社区A"]]  # fmt: skip
    path = write_roster(tmp_path / "p.xlsx", ["姓名", "身份证号", "所属支部", "政治面貌",
                                              "入党时间", "居住社区"], rows)  # fmt: skip
    result = import_roster(path, user=cast.officer, skip_invalid=True)
    assert [e.column for e in result.errors] == ["政治面貌"]
    people = {c.name: c for c in Cadre.objects.all()}
    assert (
        people["甲"].is_party_member and people["甲"].member_status == MemberStatus.FULL
    )
    assert people["乙"].member_status == MemberStatus.PROBATIONARY
    assert not people["丙"].is_party_member and not people["丁"].is_party_member
    assert "戊" not in people


def test_headers_as_offices_decorate_them(tmp_path, cast):
    """Numbering, required marks, units in brackets, full-width spaces, and the
    office's own names for the ID and the address."""
    from .roster_files import write_roster

    number = id_number()
    path = write_roster(
        tmp_path / "office.xlsx",
        ["序号", "1.姓　名", "*身份号码", "（三）所在党支部", "4、现居住地详细地址",
         "现享受待遇级别", "月离退休费（元）"],
        [[1, "周五", number, "社区A党支部", "XX镇金桥路1号", "处级", 5200]],
    )  # fmt: skip
    result = import_roster(path, user=cast.officer)
    assert result.errors == [] and result.created == 1
    cadre = Cadre.objects.get(id_number=number)
    assert (cadre.name, cadre.address, cadre.benefit_level) == (
        "周五",
        "XX镇金桥路1号",
        "处级",
    )
    ignored = [w.value for w in result.warnings if w.row == 1 and not w.column]
    assert ignored == ["序号"]  # the pension column is read (into its reveal group)
    assert cadre.monthly_pension == 5200


def _office_rows():
    return [
        [
            "吴一",
            id_number(),
            "中共党员",
            "XX镇社区A金桥路1号",
        ],  # the address names 社区A
        ["郑二", id_number(), "群众", "外省某地"],  # nothing: the default
        ["王三", id_number(), "中共党员", "社区A与村A交界处"],  # two places: the default
    ]


def test_default_unit_and_address_on_the_command(tmp_path, cast):
    from io import StringIO

    from django.core.management import call_command

    from .roster_files import write_roster

    rows = _office_rows()
    path = write_roster(
        tmp_path / "o.xlsx", ["姓名", "身份证号码", "政治面貌", "家庭住址"], rows
    )
    refused = import_roster(path, user=cast.officer)
    assert refused.errors  # no unit, no default: every row says so
    call_command("import_roster", str(path), "--user", "officer",
                 "--default-unit", str(cast.tree["village_B"].pk), stdout=StringIO())  # fmt: skip
    people = {c.name: c for c in Cadre.objects.all()}
    assert people["吴一"].residence_unit == cast.tree["community_A"]
    assert (
        people["吴一"].branch == cast.tree["branch_A"]
    )  # where they live: its only branch
    assert (
        people["郑二"].residence_unit == cast.tree["village_B"]
        and people["郑二"].branch is None
    )
    assert people["王三"].residence_unit == cast.tree["village_B"]  # ambiguous address
    assert people["王三"].branch == cast.tree["village_branch_B"]


def test_default_unit_on_the_check_page_and_only_inside_the_scope(client, cast, tmp_path):
    from .roster_files import write_roster

    path = write_roster(tmp_path / "o.xlsx", ["姓名", "身份证号码", "政治面貌", "家庭住址"],
                        _office_rows())  # fmt: skip
    client.force_login(cast.grid_a)
    outside = client.post(reverse("imports:home"), {
        "kind": "roster", "mode": "create", "default_unit": cast.tree["village_B"].pk,
        "file": SimpleUploadedFile("o.xlsx", path.read_bytes()),
    })  # fmt: skip
    assert outside.status_code == 400 and not ImportJob.objects.exists()
    response = client.post(reverse("imports:home"), {
        "kind": "roster", "mode": "create", "default_unit": cast.tree["village_A"].pk,
        "file": SimpleUploadedFile("o.xlsx", path.read_bytes()),
    })  # fmt: skip
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.preview["errors"] == [] and job.preview["created"] == 3
    placed = {(p["how"], p["unit"]): p["rows"] for p in job.preview["placed"]}
    assert placed == {("address", "社区A"): 1, ("address", "社区A党支部"): 1,
                      ("default", "村A"): 1, ("default_branch", "村A党支部"): 1}  # fmt: skip
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert 'id="import-placed"' in page and "村A" in page


def test_a_death_date_archives_the_cadre_on_create_and_on_update(tmp_path, cast):
    """Through the archive service (history kept, the plan closed); an update import
    archives a cadre already on the roster; the record is never deleted."""
    import datetime

    from auditlog.models import LogEntry

    from members.models import ArchiveReason, CadreStatus

    from .roster_files import write_roster

    alive, dead = id_number(), id_number()
    header = ["姓名", "身份证号", "所属支部", "去世时间"]
    first = write_roster(tmp_path / "a.xlsx", header, [
        ["李活", alive, "社区A党支部", ""], ["李故", dead, "社区A党支部", "2026.03.02"],
    ])  # fmt: skip
    result = import_roster(first, user=cast.officer)
    assert result.errors == [] and result.created == 2 and result.deceased == 1
    gone = Cadre.objects.get(id_number=dead)
    assert (gone.status, gone.archive_reason, gone.archived_on) == (
        CadreStatus.ARCHIVED,
        ArchiveReason.DECEASED,
        datetime.date(2026, 3, 2),
    )
    # Later the office's roster says the other one died too: an update archives him.
    later = write_roster(tmp_path / "b.xlsx", ["姓名", "身份证号", "已故时间"],
                         [["李活", alive, "2026-05-10"]])  # fmt: skip
    checked = import_roster(later, user=cast.officer, mode="update", dry_run=True)
    assert checked.deceased == 1
    assert Cadre.objects.get(id_number=alive).status == CadreStatus.ACTIVE  # a check only
    import_roster(later, user=cast.officer, mode="update")
    cadre = Cadre.objects.get(id_number=alive)
    assert cadre.status == CadreStatus.ARCHIVED and cadre.archived_on == datetime.date(
        2026, 5, 10
    )
    assert (
        LogEntry.objects.get_for_object(cadre)
        .filter(changes__icontains="archived")
        .exists()
    )
    bad = write_roster(tmp_path / "c.xlsx", ["姓名", "身份证号", "去世时间"],
                       [["李新", id_number(), "1900-01-01"]])  # fmt: skip
    assert [e.column for e in import_roster(bad, user=cast.officer).errors] == [
        "去世时间"
    ]


def test_two_row_headers_under_merged_cells(tmp_path, cast):
    """入党时间 over 入党/转正, 联系方式 over 手机 alone, 基本信息 over 姓名/身份证号:
    each column found from its sub-cell, the two together, or the group."""
    import datetime

    from openpyxl import Workbook

    first, second = id_number(), id_number()
    book = Workbook()
    sheet = book.active
    sheet.append(["XX镇离退休干部花名册"])
    sheet.append(["基本信息", None, "所属支部", "入党时间", None, "联系方式"])
    sheet.append(["姓名", "身份证号", None, "入党", "转正", "手机"])
    sheet.append(["冯一", first, "社区A党支部", "1970.03", "1971.03", "13800000011"])
    sheet.append(["陈二", second, "社区A党支部", "1980.05", "1981.05", "13800000012"])
    for cells in ("A2:B2", "C2:C3", "D2:E2"):
        sheet.merge_cells(cells)
    path = tmp_path / "two-rows.xlsx"
    book.save(path)
    result = import_roster(path, user=cast.officer)
    assert result.errors == [] and result.created == 2
    cadre = Cadre.objects.get(id_number=first)
    assert (cadre.joined_party_on, cadre.full_member_on, cadre.phone) == (
        datetime.date(1970, 3, 1),
        datetime.date(1971, 3, 1),
        "13800000011",
    )
    assert cadre.branch == cast.tree["branch_A"]


def test_spouse_and_other_contacts_merge_by_relation_and_name_up_to_four(tmp_path, cast):
    from members.models import FamilyContact

    from .roster_files import write_roster

    number = id_number()
    header = [
        "姓名",
        "身份证号",
        "所属支部",
        "配偶姓名",
        "配偶电话",
        "子女姓名",
        "子女联系电话",
    ]
    first = write_roster(tmp_path / "a.xlsx", header,
                         [["褚一", number, "社区A党支部", "王芳", "13900000001", "褚明", "13900000002"]])  # fmt: skip
    assert import_roster(first, user=cast.officer).errors == []
    cadre = Cadre.objects.get(id_number=number)
    assert [
        (c.position, c.relation, c.name, c.phone) for c in cadre.family_contacts.all()
    ] == [(1, "配偶", "王芳", "13900000001"), (2, "子女", "褚明", "13900000002")]
    # The spouse's phone changed, a second child and an emergency contact come: the
    # spouse is updated in place, the other two added; a fifth is refused with a warning.
    update = write_roster(
        tmp_path / "b.xlsx",
        ["姓名", "身份证号", "配偶姓名", "配偶电话", "子女姓名", "子女电话", "紧急联系人", "紧急联系电话"],
        [["褚一", number, "王芳", "13900000009", "褚亮", "13900000003", "邻居李", "13900000004"]],
    )  # fmt: skip
    result = import_roster(update, user=cast.officer, mode="update")
    assert result.errors == [] and not [w for w in result.warnings if w.row == 2]
    contacts = [(c.relation, c.name, c.phone) for c in cadre.family_contacts.all()]
    assert contacts == [("配偶", "王芳", "13900000009"), ("子女", "褚明", "13900000002"),
                        ("子女", "褚亮", "13900000003"), ("紧急联系人", "邻居李", "13900000004")]  # fmt: skip
    fifth = write_roster(tmp_path / "c.xlsx", ["姓名", "身份证号", "紧急联系人", "紧急联系电话"],
                         [["褚一", number, "邻居张", "13900000005"]])  # fmt: skip
    result = import_roster(fifth, user=cast.officer, mode="update")
    assert any("四位" in w.message or "4" in w.message for w in result.warnings)
    assert FamilyContact.objects.filter(cadre=cadre).count() == 4


def test_mobile_and_landline_as_two_phones(tmp_path, cast, client):
    """手机 and 固话 as two columns: two phones on the dossier; a landline with or
    without its area code; the second phone masked like the first."""
    from .roster_files import write_roster

    first, second = id_number(), id_number()
    path = write_roster(tmp_path / "p.xlsx", ["姓名", "身份证号", "所属支部", "手机", "固话"], [
        ["蒋一", first, "社区A党支部", "13800000021", "021-59991234"],
        ["蒋二", second, "社区A党支部", "13800000022", "59991235"],
    ])  # fmt: skip
    assert import_roster(path, user=cast.officer).errors == []
    one, two = Cadre.objects.get(id_number=first), Cadre.objects.get(id_number=second)
    assert (one.phone, one.phone2, two.phone2) == (
        "13800000021",
        "021-59991234",
        "59991235",
    )
    client.force_login(cast.grid_a)  # may not reveal phones: both masked
    page = client.get(reverse("members:cadre_detail", args=[two.pk])).content.decode()
    assert "59991235" not in page and "****1235" in page
