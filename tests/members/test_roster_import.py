"""The roster import engine and its command (issue 6)."""

import datetime
import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from grids.models import BulkChange
from members.dates import DatePrecision
from members.models import Cadre
from members.roster.importer import import_roster
from members.roster.reader import RosterUnreadable

from .roster_files import id_number, write_roster

D = datetime.date
HEADER = ["姓名", "身份证号", "所属支部", "入党时间", "转正时间", "联系电话"]


def one_error(result):
    assert len(result.errors) == 1, [e.as_dict() for e in result.errors]
    return result.errors[0]


def test_title_rows_synonyms_and_full_width_headers(tmp_path, cast):
    number = id_number()
    path = write_roster(
        tmp_path / "r.xlsx",
        [" 姓 名 ", "公民身份号码", "所在党支部", "出生年月", "是否独居", "电话："],
        [["赵一", number, "社区A党支部", "1945.05", "是", "13800000001"]],
        titles=[
            ["XX镇离退休干部花名册"],
            ["填报单位：社区A", None, "填报日期：2026年3月"],
        ],
    )
    result = import_roster(path, user=cast.officer)
    assert result.errors == [] and result.created == 1
    cadre = Cadre.objects.get(id_number=number)
    assert (cadre.name, cadre.living_situation, cadre.phone) == (
        "赵一",
        "alone",
        "13800000001",
    )
    assert cadre.branch == cast.tree["branch_A"]
    assert cadre.residence_unit == cast.tree["community_A"]
    # On the roster from the import's day: coverage counts them from the next period.
    assert cadre.on_roster_since == timezone.localdate()


@pytest.mark.parametrize(
    "cell, expected, precision",
    [
        (datetime.datetime(1970, 3, 1), D(1970, 3, 1), DatePrecision.DAY),
        (25628, D(1970, 3, 1), DatePrecision.DAY),  # an Excel serial number
        ("1970-03-01", D(1970, 3, 1), DatePrecision.DAY),
        ("1970/3/1", D(1970, 3, 1), DatePrecision.DAY),
        ("1970.03", D(1970, 3, 1), DatePrecision.MONTH),
        ("1970年3月1日", D(1970, 3, 1), DatePrecision.DAY),
        ("197003", D(1970, 3, 1), DatePrecision.MONTH),
        ("１９７０．０３", D(1970, 3, 1), DatePrecision.MONTH),
    ],
)
def test_dates_in_every_form(tmp_path, cast, cell, expected, precision):
    number = id_number()
    path = write_roster(
        tmp_path / "r.xlsx", HEADER, [["钱二", number, "社区A党支部", cell, None, None]]
    )
    result = import_roster(path, user=cast.officer)
    assert result.errors == []
    cadre = Cadre.objects.get(id_number=number)
    assert (cadre.joined_party_on, cadre.joined_party_precision) == (expected, precision)


def test_id_numbers_as_clerks_type_them(tmp_path, cast):
    plain = id_number(D(1950, 1, 2), male=False)
    lower = plain[:17] + plain[17].lower()
    full_width = id_number(D(1951, 2, 3)).translate(
        str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    )
    spaced = " " + id_number(D(1952, 3, 4)) + " "
    rows = [
        ["孙三", lower, "社区A党支部"],
        ["李四", full_width, "社区A党支部"],
        ["周五", spaced, "社区A党支部"],
        ["吴六", "110105491231002", "社区A党支部"],  # 15 digits, as text
        ["郑七", 110105491231003, "社区A党支部"],  # 15 digits in a number cell
    ]
    path = write_roster(tmp_path / "r.xlsx", HEADER[:3], rows)
    result = import_roster(path, user=cast.officer)
    assert result.errors == [] and result.created == 5
    stored = set(Cadre.objects.values_list("id_number", flat=True))
    assert "11010519491231002X" in stored
    assert plain in stored


def test_a_long_id_in_a_number_cell_lost_its_digits(tmp_path, cast):
    path = write_roster(
        tmp_path / "r.xlsx", HEADER[:3], [["王八", 320583194505060000, "社区A党支部"]]
    )
    issue = one_error(import_roster(path, user=cast.officer))
    assert (issue.row, issue.column) == (2, "身份证号")
    assert "请将身份证号列设置为文本格式后重新填写" in issue.message


def test_sex_and_yes_no_values(tmp_path, cast):
    man, woman = id_number(male=True), id_number(male=False)
    path = write_roster(
        tmp_path / "r.xlsx",
        ["姓名", "身份证号", "所属支部", "性别", "病重", "生活困难", "能否参加活动"],
        [
            ["甲", man, "社区A党支部", "男", "√", None, "否"],
            ["乙", woman, "社区A党支部", "女", "否", "是", None],
        ],
    )
    assert import_roster(path, user=cast.officer).errors == []
    a, b = Cadre.objects.get(id_number=man), Cadre.objects.get(id_number=woman)
    assert (a.critically_ill, a.in_hardship, a.mobility) == (True, False, "home")
    assert (b.critically_ill, b.in_hardship, b.mobility) == (False, True, "travel")


def test_blank_tail_and_unknown_columns(tmp_path, cast):
    path = write_roster(
        tmp_path / "r.xlsx",
        ["姓名", "身份证号", "所属支部", "鞋码", None, None],
        [["丙", id_number(), "社区A党支部", "42"]],
        blank_tail=20_000,
    )
    result = import_roster(path, user=cast.officer)
    assert result.created == 1 and result.errors == []
    unknown = [w for w in result.warnings if "鞋码" in w.value]
    assert len(unknown) == 1


def test_units_by_code_path_and_name_and_never_a_guess(tmp_path, cast):
    from grids.services import orgunit_update

    orgunit_update(unit=cast.tree["branch_B"], code="310000000999")
    rows = [
        ["码", id_number(), "310000000999"],
        ["径", id_number(), "测试镇/网格A/社区A/社区A党支部"],
        ["名", id_number(), "社区A党支部"],
        ["无", id_number(), "不存在党支部"],
    ]
    path = write_roster(tmp_path / "r.xlsx", HEADER[:3], rows)
    result = import_roster(path, user=cast.officer)
    issue = one_error(result)
    assert (issue.row, issue.column, issue.value) == (5, "所属支部", "不存在党支部")
    assert "没有找到" in issue.message
    assert (
        Cadre.objects.filter(name__in=["码", "径", "名"]).count() == 0
    )  # all-or-nothing


def test_an_ambiguous_or_out_of_scope_unit_is_a_row_error(tmp_path, cast):
    from grids.services import orgunit_create

    orgunit_create(name="同名党支部", kind="branch", parent=cast.tree["community_A"])
    orgunit_create(name="同名党支部", kind="branch", parent=cast.tree["community_B"])
    path = write_roster(
        tmp_path / "r.xlsx",
        HEADER[:3],
        [["歧", id_number(), "同名党支部"], ["外", id_number(), "社区B党支部"]],
    )
    result = import_roster(path, user=cast.grid_a)
    messages = {e.row: e.message for e in result.errors}
    assert messages[2].startswith("“同名党支部”不唯一：测试镇/")
    assert messages[2].endswith("。请填写完整路径或单位代码。")
    assert "范围" in messages[3]
    assert not Cadre.objects.filter(name__in=["歧", "外"]).exists()


def test_every_error_kind_with_row_column_and_message(tmp_path, cast):
    good = id_number()
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    rows = [
        ["校", bad_check, "社区A党支部", None, None],  # row 2
        ["日", id_number(), "社区A党支部", "1970-02-30", None],  # row 3
        ["转", id_number(), "社区A党支部", "1970-05-01", "1970-04"],  # row 4
        ["重", good, "社区A党支部", None, None],  # row 5
        ["复", good, "社区A党支部", None, None],  # row 6: duplicate of row 5
        [None, id_number(), "社区A党支部", None, None],  # row 7: name missing
        ["无", None, "社区A党支部", None, None],  # row 8: ID missing
    ]
    path = write_roster(tmp_path / "r.xlsx", HEADER[:5], rows)
    result = import_roster(path, user=cast.officer)
    found = {(e.row, e.column): e.message for e in result.errors}
    assert "校验位错误" in found[(2, "身份证号")]
    assert "日期不存在" in found[(3, "入党时间")]
    assert "转正时间不能早于入党时间" in found[(4, "转正时间")]
    assert "第 5 行" in found[(6, "身份证号")]
    assert (5, "身份证号") not in found
    assert found[(7, "姓名")] == "缺少姓名。"
    assert (8, "身份证号") in found
    assert len(result.errors) == 6
    assert not Cadre.objects.filter(name__in=["重", "转"]).exists()


def test_birth_date_and_sex_must_agree_with_the_id_to_the_precision_given(tmp_path, cast):
    number = id_number(D(1945, 5, 6), male=True)
    rows = [
        ["对", id_number(D(1945, 5, 6)), "社区A党支部", "1945.05", "男"],
        ["错", number, "社区A党支部", "1945.06", "女"],
    ]
    path = write_roster(
        tmp_path / "r.xlsx", ["姓名", "身份证号", "所属支部", "出生年月", "性别"], rows
    )
    result = import_roster(path, user=cast.officer)
    found = {(e.row, e.column) for e in result.errors}
    assert found == {(3, "出生年月"), (3, "性别")}


def test_a_rank_outside_the_reference_list_is_a_warning(tmp_path, cast):
    from members.models import RankLevel

    RankLevel.objects.create(name="正处级")
    path = write_roster(
        tmp_path / "r.xlsx",
        ["姓名", "身份证号", "所属支部", "原职级"],
        [["级", id_number(), "社区A党支部", "处级调研员"]],
    )
    result = import_roster(path, user=cast.officer)
    assert result.errors == [] and result.created == 1
    assert [w.column for w in result.warnings] == ["原职级"]


def test_one_bad_row_among_a_thousand_writes_nothing_unless_asked(tmp_path, cast):
    rows = [[f"人{i}", id_number(), "社区A党支部"] for i in range(1000)]
    rows[500][1] = "123"
    path = write_roster(tmp_path / "r.xlsx", HEADER[:3], rows)
    before = Cadre.objects.count()
    result = import_roster(path, user=cast.officer)
    assert len(result.errors) == 1 and not result.written
    assert Cadre.objects.count() == before
    error_file = tmp_path / "errors.xlsx"
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command(
            "import_roster", str(path), "--skip-invalid", "--user", "officer",
            "--error-file", str(error_file), "--json", stdout=out,
        )  # fmt: skip
    assert exc.value.code == 1
    assert json.loads(out.getvalue())["created"] == 999
    assert Cadre.objects.count() == before + 999
    sheet = load_workbook(error_file).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["姓名", "身份证号", "所属支部"]
    assert values[0][3] == "错误信息"
    assert len(values) == 2 and values[1][0] == "人500" and "第502行" in values[1][3]


def test_one_history_event_for_the_import_and_no_entry_per_cadre(tmp_path, cast):
    rows = [[f"史{i}", id_number(), "社区A党支部"] for i in range(5)]
    path = write_roster(tmp_path / "r.xlsx", HEADER[:3], rows)
    before = LogEntry.objects.count()
    import_roster(path, user=cast.officer, file_name="花名册.xlsx")
    assert LogEntry.objects.count() == before
    event = BulkChange.objects.get()
    assert (event.kind, event.rows, event.actor) == ("roster_import", 5, cast.officer)
    assert event.description.startswith("花名册.xlsx sha256:")
    assert event.row_changes.filter(action="create").count() == 5


def test_modes_create_update_fill(tmp_path, cast):
    number = cast.cadre_a.id_number
    Cadre.objects.filter(pk=cast.cadre_a.pk).update(address="", health_status="高血压")
    header = ["姓名", "身份证号", "所属支部", "家庭住址", "健康状况", "联系电话"]
    path = write_roster(
        tmp_path / "r.xlsx",
        header,
        [["张三丰", number, "社区A党支部", "新地址1号", None, "13911112222"]],
    )
    # create: the existing cadre is skipped and untouched.
    result = import_roster(path, user=cast.officer)
    assert (result.created, result.skipped) == (0, 1)
    # fill: only blanks are filled; the stored phone and health stay.
    result = import_roster(path, user=cast.officer, mode="fill")
    assert result.updated == 1
    cadre = Cadre.objects.get(pk=cast.cadre_a.pk)
    assert (cadre.address, cadre.health_status, cadre.phone) == (
        "新地址1号",
        "高血压",
        "13812348000",
    )
    # update: the dry run says what the run does, blanks included.
    dry = import_roster(path, user=cast.officer, mode="update", dry_run=True)
    assert Cadre.objects.get(pk=cast.cadre_a.pk).phone == "13812348000"
    real = import_roster(path, user=cast.officer, mode="update")
    assert dry.as_dict() == real.as_dict() and real.updated == 1
    cadre = Cadre.objects.get(pk=cast.cadre_a.pk)
    assert (cadre.phone, cadre.health_status) == ("13911112222", "")
    again = import_roster(path, user=cast.officer, mode="update")
    assert (again.updated, again.unchanged) == (0, 1)


def test_an_export_reimports_unchanged_for_a_full_value_role(tmp_path, cast):
    from members.roster.service import roster_export

    workbook, count = roster_export(user=cast.officer)
    assert count == 3
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    result = import_roster(path, user=cast.officer, mode="update")
    assert result.errors == [] and (result.unchanged, result.updated) == (3, 0)
    assert import_roster(path, user=cast.officer).unchanged == 3


def test_import_and_export_stay_inside_the_users_scope(tmp_path, cast):
    from members.roster.service import roster_export

    path = write_roster(
        tmp_path / "r.xlsx", HEADER[:3], [["越", id_number(), "社区A党支部"]]
    )
    result = import_roster(path, user=cast.grid_b)
    assert "范围" in one_error(result).message
    # Updating a cadre of grid A from grid B is refused too.
    path = write_roster(
        tmp_path / "u.xlsx",
        HEADER[:3],
        [["张三丰", cast.cadre_a.id_number, "社区B党支部"]],
    )
    result = import_roster(path, user=cast.grid_b, mode="update")
    assert result.errors and not result.written
    workbook, count = roster_export(user=cast.grid_b)
    names = (
        {row[0].value for row in list(workbook.worksheets[0].iter_rows()) if row}
        if False
        else None
    )
    del names
    assert count == 2  # 李四光 and 王五常 (who lives in grid B)
    workbook, count = roster_export(user=cast.outsider)
    workbook.save(io.BytesIO())
    assert count == 0


def test_export_masks_for_workers_logs_and_defuses_formulas(tmp_path, cast):
    from grids.models import AccessLog
    from members.roster.service import roster_export

    Cadre.objects.filter(pk=cast.cadre_a.pk).update(
        address='=HYPERLINK("http://x")', health_status="高血压", requests="想要助浴"
    )
    workbook, count = roster_export(user=cast.grid_a)
    path = tmp_path / "e.xlsx"
    workbook.save(path)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    header = rows[0]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    row = by_name["张三丰"]
    # A grid worker may reveal phones (REVEAL_ROLES), not ID numbers nor health.
    assert row["身份证号"] == "**************" + cast.cadre_a.id_number[-4:]
    assert row["联系电话"] == "13812348000"
    assert (row["健康状况"], row["本人诉求"]) == ("（无权查看）", "（无权查看）")
    assert row["家庭住址"] == '\'=HYPERLINK("http://x")'
    log = AccessLog.objects.get(action="export")
    assert (log.user, log.fields, log.detail.split()[0]) == (
        cast.grid_a,
        f"phone:{count}",
        str(count),
    )
    # The health roles of the cadre's units see those columns; a leader sees none.
    workbook, _ = roster_export(user=cast.secretary)
    rows = list(workbook_rows(workbook, tmp_path / "s.xlsx"))
    assert rows[0]["健康状况"] == "高血压" and rows[0]["身份证号"].startswith("*")
    workbook, _ = roster_export(user=cast.leader)
    row = next(
        r for r in workbook_rows(workbook, tmp_path / "l.xlsx") if r["姓名"] == "张三丰"
    )
    assert row["联系电话"] == "138****8000" and row["健康状况"] == "（无权查看）"


def workbook_rows(workbook, path):
    workbook.save(path)
    rows = [[c.value for c in row] for row in load_workbook(path).active.iter_rows()]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_the_command_json_output_and_exit_codes(tmp_path, cast):
    good = write_roster(
        tmp_path / "g.xlsx", HEADER[:3], [["码一", id_number(), "社区A党支部"]]
    )
    out = io.StringIO()
    call_command(
        "import_roster", str(good), "--user", "officer", "--json", "--dry-run", stdout=out
    )
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0]) == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": [],
        "warnings": [],
        "deceased": 0,
        "placed": [],
    }
    assert not Cadre.objects.filter(name="码一").exists()
    bad = write_roster(tmp_path / "b.xlsx", HEADER[:3], [["码二", "123", "社区A党支部"]])
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("import_roster", str(bad), "--user", "officer", "--json", stdout=out)
    assert exc.value.code == 1
    error = json.loads(out.getvalue())["errors"][0]
    assert (error["row"], error["column"], error["value"]) == (2, "身份证号", "123")
    (tmp_path / "junk.xlsx").write_bytes(b"not a spreadsheet")
    with pytest.raises(SystemExit) as exc:
        call_command(
            "import_roster",
            str(tmp_path / "junk.xlsx"),
            "--user",
            "officer",
            "--json",
            stdout=io.StringIO(),
        )
    assert exc.value.code == 2
    with pytest.raises(RosterUnreadable):
        import_roster(tmp_path / "junk.xlsx", user=cast.officer)


def test_the_list_exports_its_filtered_rows_and_offers_the_template(client, cast):
    client.force_login(cast.officer)
    response = client.get("/cadres/export/", {"q": "zsf"})
    assert response.status_code == 200
    rows = list(
        load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert [r[0] for r in rows[1:]] == ["张三丰"]
    assert rows[1][1] == cast.cadre_a.id_number  # an officer gets full values
    client.force_login(cast.grid_b)
    response = client.get("/cadres/export/")
    names = {
        r[0]
        for r in list(
            load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        )[1:]
    }
    assert names == {"李四光", "王五常"}
    template = client.get("/cadres/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert sheet["A1"].value == "姓名" and sheet["B1"].value == "身份证号"
    assert sheet["B2"].value.startswith("说明")
    assert sheet.data_validations.dataValidation  # drop-down lists where Excel has them


def test_the_template_imports_as_is_once_filled(tmp_path, cast):
    from members.roster.excel import template_workbook

    workbook = template_workbook()
    sheet = workbook.active
    sheet["A3"], sheet["B3"], sheet["R3"] = "填一", id_number(), "社区A党支部"
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    result = import_roster(path, user=cast.officer)
    # The notes row under the header is recognized and passed over.
    assert result.errors == [] and result.created == 1
    assert Cadre.objects.get(name="填一").branch == cast.tree["branch_A"]


def test_a_roster_made_like_a_real_township_file(tmp_path, cast):
    """Title rows, merged cells, synonyms, mixed dates, 15-digit IDs, a blank tail:
    exactly its bad rows are reported."""
    header = [
        "序号",
        "姓 名",
        "性别",
        "公民身份号码",
        "出生年月",
        "党组织",
        "入党时间",
        "转正时间",
        "是否独居",
        "联系电话",
        "备注",
    ]
    rows = [
        [
            1,
            "陈光明",
            "男",
            id_number(D(1938, 4, 2)),
            "1938.04",
            "社区A党支部",
            "1958-06-01",
            "1959/6/1",
            "是",
            "13800001111",
            "",
        ],
        [
            2,
            "林秀英",
            "女",
            id_number(D(1941, 7, 9), male=False),
            datetime.datetime(1941, 7, 9),
            "社区A党支部",
            "1962年3月",
            "196303",
            "否",
            "021-59991234",
            "空巢",
        ],
        [
            3,
            "黄国华",
            "男",
            "320583380402101",
            "1938年4月",
            "测试镇/网格A/村A/村A党支部",
            21916,
            22281,
            None,
            None,
            "",
        ],  # 15 digits
        [
            4,
            "错日期",
            "男",
            id_number(D(1940, 1, 1)),
            "1940-13-01",
            "社区A党支部",
            None,
            None,
            None,
            None,
            "",
        ],
        [
            5,
            "错支部",
            "女",
            id_number(D(1942, 2, 2), male=False),
            None,
            "火星党支部",
            None,
            None,
            None,
            None,
            "",
        ],
        [
            6,
            "错电话",
            "男",
            id_number(D(1943, 3, 3)),
            None,
            "社区A党支部",
            None,
            None,
            None,
            "12345",
            "",
        ],
    ]
    path = write_roster(
        tmp_path / "township.xlsx",
        header,
        rows,
        titles=[
            ["XX镇离退休干部党员花名册（2026年）"],
            ["填报单位（盖章）：", None, None, "填报人：", None, "联系电话："],
        ],
        blank_tail=3000,
    )
    result = import_roster(path, user=cast.officer)
    assert sorted((e.row, e.column) for e in result.errors) == [
        (7, "出生年月"),
        (8, "党组织"),
        (9, "联系电话"),
    ]
    assert any("序号" in w.value for w in result.warnings)
    result = import_roster(path, user=cast.officer, skip_invalid=True)
    assert result.created == 3
    huang = Cadre.objects.get(name="黄国华")
    assert huang.id_number.startswith("32058319380402101")
    assert huang.joined_party_on == D(1960, 1, 1)  # Excel serial 21916
    lin = Cadre.objects.get(name="林秀英")
    assert (lin.joined_party_on, lin.joined_party_precision) == (D(1962, 3, 1), "month")
    assert lin.requests == "空巢"


def test_many_batches_write_every_row_and_its_history(tmp_path, cast, monkeypatch):
    """Rows are checked and written a batch at a time (on PostgreSQL by a second
    thread while the next batch is read) and the history is flushed as it grows:
    every row and every history entry arrives, in one event."""
    from grids import audit
    from members.roster.importer import pipeline as importer

    monkeypatch.setattr(importer, "LOOKUP_BATCH", 3)
    monkeypatch.setattr(audit, "BULK_ROWS_FLUSH", 4)
    numbers = [id_number() for _ in range(10)]
    header = ["姓名", "身份证号", "所属支部", "入党时间", "联系电话"]
    rows = [[f"批{i}", n, "社区A党支部", "1970.03", f"1380000{i:04d}"]
            for i, n in enumerate(numbers)]  # fmt: skip
    result = import_roster(
        write_roster(tmp_path / "a.xlsx", header, rows), user=cast.officer
    )
    assert (result.created, result.errors) == (10, [])
    created = BulkChange.objects.get()
    assert created.rows == 10 and created.row_changes.count() == 10
    entry = created.row_changes.get(
        object_id=str(Cadre.objects.get(id_number=numbers[7]).pk)
    )
    assert entry.action == "create"
    assert (
        entry.changes["name"] == "批7"
        and entry.changes["joined_party_on"] == "1970-03-01"
    )
    assert entry.changes["branch_id"] == cast.tree["branch_A"].pk
    assert "address" not in entry.changes  # blank values are not history

    for row in rows[:7]:
        row[4] = "13900000000"
    result = import_roster(write_roster(tmp_path / "b.xlsx", header, rows), user=cast.officer,
                           mode="update")  # fmt: skip
    assert (result.updated, result.unchanged) == (7, 3)
    assert Cadre.objects.filter(id_number__in=numbers, phone="13900000000").count() == 7
    updated = BulkChange.objects.exclude(pk=created.pk).get()
    assert updated.rows == 7
    changes = {r.changes["phone"][1] for r in updated.row_changes.all()}
    assert changes == {"13900000000"}


def test_a_collision_at_write_time_saves_nothing_and_says_so(tmp_path, cast, monkeypatch):
    """An ID number saved by someone else after the file was checked makes the
    database refuse the batch: the whole import is rolled back with a message."""
    from members.roster.importer import pipeline as importer

    monkeypatch.setattr(importer, "LOOKUP_BATCH", 2)
    monkeypatch.setattr(importer.RosterImport, "_existing", lambda self, numbers: {})
    rows = [["甲", id_number(), "社区A党支部"], ["乙", id_number(), "社区A党支部"],
            ["张三丰", cast.cadre_a.id_number, "社区A党支部"]]  # fmt: skip
    before = Cadre.objects.count()
    result = importer.import_roster(
        write_roster(tmp_path / "r.xlsx", HEADER[:3], rows), user=cast.officer
    )
    message = one_error(result).message
    assert "数据库" in message and "没有保存" in message
    assert not result.written
    assert Cadre.objects.count() == before and not BulkChange.objects.exists()
