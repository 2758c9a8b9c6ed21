"""Importing the organization tree (issue 7)."""

from django.core.management import call_command
from django.urls import reverse

from grids.models import BulkChange, OrgUnit, UnitKind
from grids.services import tree_problems
from members.imports.models import ImportJob, ImportStatus
from members.imports.tree import import_tree

from .roster_files import write_roster

HEADER = ["名称", "类型", "上级", "代码"]


def test_a_valid_file_builds_the_units_top_down_and_leaves_the_tree_clean(tmp_path, cast):
    rows = [
        ["网格C", "网格", "测试镇", ""],
        ["社区C", "社区", "测试镇/网格C", "C-001"],
        ["社区C党支部", "党支部", "社区C", ""],
        ["第一党小组", "党小组", "社区C党支部", ""],
        ["村C", "村", "网格C", "C-002"],
        ["社区A", "社区", "测试镇/网格A", ""],  # already there: skipped
    ]
    path = write_roster(tmp_path / "tree.xlsx", HEADER, rows)
    result = import_tree(path, user=cast.officer, file_name="tree.xlsx")
    assert result.errors == [] and (result.created, result.skipped) == (5, 1)
    branch = OrgUnit.objects.get(name="社区C党支部")
    assert branch.kind == UnitKind.BRANCH and branch.parent.code == "C-001"
    assert [a.name for a in branch.get_ancestors()] == ["测试镇", "网格C", "社区C"]
    assert OrgUnit.objects.get(name="第一党小组", parent=branch)
    assert tree_problems() == []
    call_command("check_tree")  # the command agrees: clean
    assert BulkChange.objects.get(kind="tree_import").rows == 5


def test_a_branch_under_a_township_is_refused_on_its_row(tmp_path, cast):
    rows = [
        ["网格D", "网格", "测试镇", ""],
        ["错放支部", "党支部", "测试镇", ""],
        ["孤儿", "社区", "不存在的网格", ""],
        ["重号", "社区", "网格D", "CODE-A"],
        ["重号二", "社区", "网格D", "CODE-A"],
        ["随错", "党支部", "孤儿", ""],
        ["怪类", "公司", "网格D", ""],
    ]
    path = write_roster(tmp_path / "tree.xlsx", HEADER, rows)
    before = OrgUnit.objects.count()
    result = import_tree(path, user=cast.officer)
    by_row = {e.row: e for e in result.errors}
    assert sorted(by_row) == [3, 4, 6, 7, 8]
    assert (
        by_row[3].column == "上级"
        and "党支部" in by_row[3].message
        and "社区" in by_row[3].message
    )
    assert "不存在的网格" in by_row[4].message
    assert "CODE-A" in by_row[6].message
    assert by_row[7].message == "上级单位（第 4 行）有错误。"
    assert by_row[8].column == "类型"
    assert not result.written and OrgUnit.objects.count() == before  # all or nothing
    # With skip_invalid the good rows go in, and the tree stays clean.
    result = import_tree(path, user=cast.officer, skip_invalid=True)
    assert (
        result.written and OrgUnit.objects.filter(name__in=["网格D", "重号"]).count() == 2
    )
    assert tree_problems() == []


def test_an_officer_cannot_add_units_outside_their_township(tmp_path, cast):
    from grids.services import orgunit_create

    other = orgunit_create(name="外镇", kind=UnitKind.TOWNSHIP)
    rows = [["外网格", "网格", "外镇", ""], ["新镇", "镇", "", ""]]
    result = import_tree(
        write_roster(tmp_path / "t.xlsx", HEADER, rows), user=cast.officer
    )
    messages = {e.row: e.message for e in result.errors}
    assert "范围" in messages[2] and "管理员" in messages[3]
    assert not OrgUnit.objects.filter(parent=other).exists()


def test_the_tree_import_page_is_for_officers_only(client, cast, tmp_path):
    path = write_roster(tmp_path / "t.xlsx", HEADER, [["网格E", "网格", "测试镇", ""]])
    client.force_login(cast.grid_a)
    response = client.post(
        reverse("imports:home"),
        {"kind": "tree", "mode": "create", "file": path.open("rb")},
    )
    assert response.status_code == 400 and not ImportJob.objects.exists()
    client.force_login(cast.officer)
    assert client.get(reverse("imports:template", args=["tree"])).status_code == 200
    response = client.post(
        reverse("imports:home"),
        {"kind": "tree", "mode": "create", "file": path.open("rb")},
    )
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.PREVIEWED and job.preview["created"] == 1
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert OrgUnit.objects.filter(name="网格E", parent=cast.tree["township"]).exists()
