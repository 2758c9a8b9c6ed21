import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from grids.models import OrgUnit, UnitKind
from grids.services import (
    orgunit_activate,
    orgunit_create,
    orgunit_deactivate,
    orgunit_move,
    orgunit_rename,
    tree_problems,
)
from members.models import Cadre
from tests.factories import make_cadre, make_unit


def test_check_tree_is_clean_on_a_fresh_tree(tree, capsys):
    call_command("check_tree")
    assert "tree OK" in capsys.readouterr().out


def test_moving_a_grid_with_its_subtree_keeps_the_tree_sound_and_cadres_attached(tree):
    other = make_unit("另一个镇", UnitKind.TOWNSHIP)
    cadres = [
        make_cadre(branch=tree["branch_A"]),
        make_cadre(branch=tree["village_branch_A"], residence_unit=tree["community_A"]),
    ]
    before = {c.pk: (c.branch_id, c.residence_unit_id) for c in cadres}

    orgunit_move(unit=tree["grid_A"], new_parent=other)

    assert tree_problems() == []
    call_command("check_tree")
    grid = OrgUnit.objects.get(pk=tree["grid_A"].pk)
    assert grid.parent == other
    assert set(grid.get_descendants().values_list("pk", flat=True)) == {
        tree["community_A"].pk,
        tree["village_A"].pk,
        tree["branch_A"].pk,
        tree["village_branch_A"].pk,
    }
    branch = OrgUnit.objects.get(pk=tree["branch_A"].pk)
    assert branch.get_root() == other
    after = {
        c.pk: (c.branch_id, c.residence_unit_id)
        for c in Cadre.objects.filter(pk__in=before)
    }
    assert after == before
    # The old township no longer contains the grid; the new one does.
    township = OrgUnit.objects.get(pk=tree["township"].pk)
    assert not township.get_descendants().filter(pk=grid.pk).exists()
    other.refresh_from_db()
    assert other.get_descendants().filter(pk=branch.pk).exists()


def test_corrupting_one_lft_makes_check_tree_fail(tree):
    OrgUnit.objects.filter(pk=tree["community_A"].pk).update(lft=999)
    assert tree_problems()
    with pytest.raises(CommandError):
        call_command("check_tree")


def test_check_tree_fix_rebuilds_a_corrupted_tree(tree, capsys):
    OrgUnit.objects.filter(pk=tree["branch_B"].pk).update(rght=1)
    call_command("check_tree", "--fix")
    assert tree_problems() == []


def test_check_tree_exits_non_zero_from_the_command_line(tree):
    OrgUnit.objects.filter(pk=tree["grid_B"].pk).update(level=5)
    with pytest.raises(SystemExit) as exc:
        from django.core.management import ManagementUtility

        ManagementUtility(["manage.py", "check_tree"]).execute()
    assert exc.value.code != 0


def test_a_branch_under_a_township_is_refused_with_a_clear_message(tree):
    with pytest.raises(ValidationError) as exc:
        orgunit_create(name="错误支部", kind=UnitKind.BRANCH, parent=tree["township"])
    message = exc.value.message_dict["parent"][0]
    assert message == "党支部不能设在镇「测试镇」之下：党支部只能设在社区、村之下。"
    assert not OrgUnit.objects.filter(name="错误支部").exists()


def test_other_disallowed_parents_are_refused(tree):
    cases = [
        (UnitKind.PARTY_GROUP, tree["community_A"]),
        (UnitKind.GRID, None),
        (UnitKind.COMMUNITY, tree["branch_A"]),
        (UnitKind.TOWNSHIP, tree["grid_A"]),
    ]
    for kind, parent in cases:
        with pytest.raises(ValidationError):
            orgunit_create(name="x", kind=kind, parent=parent)
    group = orgunit_create(
        name="第一党小组", kind=UnitKind.PARTY_GROUP, parent=tree["branch_A"]
    )
    assert group.parent == tree["branch_A"]


def test_moving_a_unit_under_its_own_subtree_or_a_wrong_parent_is_refused(tree):
    with pytest.raises(ValidationError):
        orgunit_move(unit=tree["grid_A"], new_parent=tree["community_A"])
    with pytest.raises(ValidationError):
        orgunit_move(unit=tree["branch_A"], new_parent=tree["grid_B"])
    assert tree_problems() == []


def test_official_codes_are_unique_when_given(tree):
    make_unit("甲村", UnitKind.VILLAGE, tree["grid_A"], code="310114103201")
    make_unit("乙村", UnitKind.VILLAGE, tree["grid_A"])
    make_unit("丙村", UnitKind.VILLAGE, tree["grid_A"], code="  ")  # blank = none
    with pytest.raises(ValidationError):
        make_unit("丁村", UnitKind.VILLAGE, tree["grid_B"], code="310114103201")


def test_renaming_keeps_the_tree_sound(tree):
    orgunit_rename(unit=tree["community_A"], name="  新名字社区 ")
    assert OrgUnit.objects.get(pk=tree["community_A"].pk).name == "新名字社区"
    assert tree_problems() == []


def test_a_unit_with_active_cadres_cannot_be_closed(tree):
    make_cadre(branch=tree["branch_A"])
    with pytest.raises(ValidationError) as exc:
        orgunit_deactivate(unit=tree["grid_A"])
    assert "1 名在册老干部" in exc.value.messages[0]
    assert OrgUnit.objects.get(pk=tree["grid_A"].pk).is_active


def test_closing_a_unit_closes_its_subtree_and_reopening_needs_an_open_parent(tree):
    orgunit_deactivate(unit=tree["grid_B"])
    closed = OrgUnit.objects.get(pk=tree["grid_B"].pk).get_descendants(include_self=True)
    assert not closed.filter(is_active=True).exists()
    with pytest.raises(ValidationError):
        orgunit_activate(unit=tree["community_B"])
    orgunit_activate(unit=tree["grid_B"])
    orgunit_activate(unit=tree["community_B"])
    assert OrgUnit.objects.get(pk=tree["community_B"].pk).is_active


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_under_one_parent_keep_the_tree_consistent():
    if connection.vendor != "postgresql":
        pytest.skip("the concurrency test needs PostgreSQL (SQLite serializes writers)")
    township = orgunit_create(name="并发镇", kind=UnitKind.TOWNSHIP)
    grid = orgunit_create(name="并发网格", kind=UnitKind.GRID, parent=township)
    per_thread = 50
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def insert(prefix: str) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                orgunit_create(
                    name=f"{prefix}{i:02d}村", kind=UnitKind.VILLAGE, parent=grid
                )
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=insert, args=(p,)) for p in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert OrgUnit.objects.get(pk=grid.pk).get_children().count() == 2 * per_thread
    assert tree_problems() == []
    call_command("check_tree")
