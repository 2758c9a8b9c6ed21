"""Issue 16, part 2: meeting records from a township's 台账 (import_meetings and the
/imports/ flow): a messy file gives row errors in Chinese and writes nothing; the
corrected file imports."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from activities.models import Activity, Attendance
from activities.models import AttendanceStatus as S
from members.models import Mobility

from ..factories import make_cadre
from ..members.roster_files import write_roster

D = datetime.date
HEADER = ["所属支部", "会议类型", "召开日期", "主题", "主持人", "出席", "请假", "缺席",
          "送学上门", "远程参加", "因病不计"]  # fmt: skip


@pytest.fixture
def branch_people(cast):
    branch = cast.tree["branch_A"]
    people = {
        "wang1": make_cadre(branch=branch, name="王建国"),
        "wang2": make_cadre(branch=branch, name="王建国", birth=D(1946, 1, 2)),
        "li": make_cadre(branch=branch, name="李红", male=False),
        "zhao": make_cadre(branch=branch, name="赵六", mobility=Mobility.HOME),
    }
    return branch, people


def tails(people):
    return people["wang1"].id_number[-4:], people["wang2"].id_number[-4:]


def run(path, *args, user="officer"):
    out = io.StringIO()
    try:
        call_command("import_meetings", str(path), "--json", "--user", user, *args,
                     stdout=out)  # fmt: skip
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(out.getvalue())


def test_a_messy_ledger_gives_row_errors_and_writes_nothing(
    tmp_path, cast, branch_people
):
    t1, t2 = tails(branch_people[1])
    path = write_roster(tmp_path / "t.xlsx", HEADER, [
        # names with ID tails in both bracket kinds; 张三丰, 王五常 and 赵六 unlisted
        ["社区A党支部", "主题党日", "2026-07-01", "七一", "书记",
         f"王建国({t1})、王建国（{t2}）", "李红", None, None, None, None],
        ["社区A党支部", "支部党员大会", "2026-08-15", "大会", None,
         "王建国 无名氏", None, None, None, None, None],  # shared name, unknown name
        ["社区A党支部", "支部党员大会", "2026-13-40", "大会", None, "李红", None, None, None, None, None],
        ["社区A党支部", "茶话会", "2026-09-01", "茶话", None, "李红", None, None, None, None, None],
    ])  # fmt: skip
    code, result = run(path)
    assert code == 1
    errors = {(e["row"], e["column"]) for e in result["errors"]}
    assert errors == {(3, "出席"), (4, "召开日期"), (5, "会议类型")}
    messages = " ".join(e["message"] for e in result["errors"])
    assert "(0012)" in messages and "无名氏" in messages and "未知的会议类型" in messages
    assert not Activity.objects.exists() and not Attendance.objects.exists()


def test_the_corrected_ledger_imports_with_warnings_for_the_unlisted(
    tmp_path, cast, branch_people
):
    branch, people = branch_people
    t1, t2 = tails(people)
    rows = [
        ["社区A党支部", "主题党日", "2026-07-01", "七一", "书记",
         f"王建国({t1})、王建国（{t2}）", "李红", None, None, None, None],
        ["社区A党支部", "支部党员大会", "2026-08-15", "大会", None,
         f"王建国({t1})", None, f"王建国({t2})", "赵六", "李红", None],
    ]  # fmt: skip
    path = write_roster(tmp_path / "t.xlsx", HEADER, rows)
    code, dry = run(path, "--dry-run")
    assert code == 0 and dry["created"] == 2 and not Activity.objects.exists()
    code, result = run(path)
    assert code == 0 and result["created"] == 2
    warned = " ".join(w["value"] for w in result["warnings"])
    assert "张三丰（缺席）" in warned and "赵六（因病不计）" in warned
    july = Activity.objects.get(starts_at__month=7)
    statuses = dict(july.attendances.values_list("cadre__name", "status"))
    assert statuses["赵六"] == S.UNABLE and statuses["李红"] == S.ON_LEAVE
    assert statuses["张三丰"] == S.ABSENT
    assert (july.expected_count, july.took_part_count) == (5, 2)
    august = Activity.objects.get(starts_at__month=8)
    row = august.attendances.get(cadre=people["zhao"])
    assert row.status == S.AT_HOME
    # Imported again: nothing is recorded twice.
    code, again = run(path)
    assert code == 0 and again["created"] == 0 and again["skipped"] == 2
    assert Activity.objects.count() == 2


def test_the_import_stays_inside_the_users_scope(tmp_path, cast, branch_people):
    path = write_roster(tmp_path / "t.xlsx", HEADER, [
        ["社区B党支部", "主题党日", "2026-07-01", "七一", None, "李四光", None, None, None, None, None],
    ])  # fmt: skip
    code, result = run(path, user="secretary_a")
    assert code == 1 and result["errors"][0]["column"] == "所属支部"
    assert not Activity.objects.exists()


def test_the_ledger_goes_through_the_imports_page_with_its_template(
    client, cast, branch_people, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from members.imports.models import ImportJob, ImportStatus

    client.force_login(cast.secretary)
    page = client.get(reverse("imports:home")).content.decode()
    assert 'value="meetings"' in page and 'value="tree"' not in page
    template = client.get(reverse("imports:template", args=["meetings"]))
    assert template.status_code == 200
    rows = [["社区A党支部", "主题党日", "2026-07-01", "七一", None, "李红", None, None,
             None, None, None],
            ["社区B党支部", "主题党日", "2026-07-01", "七一", None, "李四光", None, None,
             None, None, None]]  # fmt: skip
    data = write_roster(tmp_path / "t.xlsx", HEADER, rows).read_bytes()
    client.post(reverse("imports:home"), {
        "kind": "meetings", "mode": "create", "file": SimpleUploadedFile("台账.xlsx", data)})  # fmt: skip
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED
    (error,) = job.preview["errors"]  # branch B lies outside the secretary's branch
    assert error["row"] == 3 and error["column"] == "所属支部"
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert not Activity.objects.exists()  # all or nothing
    # The leader (read-only) and an outsider may not import at all.
    for user in (cast.leader, cast.outsider):
        client.force_login(user)
        assert client.get(reverse("imports:template", args=["meetings"])).status_code in (
            403,
            404,
        )
