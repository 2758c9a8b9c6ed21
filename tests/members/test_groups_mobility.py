"""Issue 16, who belongs to what: a member's 党小组 and mobility in three levels."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from grids.models import UnitKind
from members.models import Cadre, Mobility
from members.roster.export import roster_rows
from members.roster.importer import import_roster
from members.selectors import RevealRule

from ..factories import make_cadre, make_unit
from .roster_files import id_number, write_roster


@pytest.fixture
def groups(tree):
    return {
        "A1": make_unit("第一党小组", UnitKind.PARTY_GROUP, tree["branch_A"]),
        "A2": make_unit("第二党小组", UnitKind.PARTY_GROUP, tree["branch_A"]),
        "B1": make_unit("第一党小组", UnitKind.PARTY_GROUP, tree["branch_B"]),
    }


def test_a_group_must_be_one_of_the_members_own_branch(tree, groups):
    cadre = make_cadre(branch=tree["branch_A"], party_group=groups["A1"])
    assert cadre.party_group == groups["A1"]
    cadre.party_group = groups["B1"]
    with pytest.raises(ValidationError) as caught:
        cadre.full_clean()
    assert "party_group" in caught.value.message_dict
    cadre.party_group = tree["branch_A"]  # not a group at all
    with pytest.raises(ValidationError):
        cadre.full_clean()


def test_the_roster_import_reads_the_group_within_the_rows_branch(tmp_path, cast, groups):
    ok, wrong = id_number(), id_number(male=False)
    path = write_roster(
        tmp_path / "r.xlsx",
        ["姓名", "身份证号", "所属支部", "所属党小组"],
        [
            ["甲", ok, "社区B党支部", "第一党小组"],  # the name is shared: B's own
            ["乙", wrong, "社区A党支部", "第九党小组"],
        ],
    )
    result = import_roster(path, user=cast.officer)
    assert [(e.row, e.column) for e in result.errors] == [(3, "所属党小组")]
    assert "社区A党支部" in result.errors[0].message
    assert not Cadre.objects.filter(id_number=ok).exists()  # all or nothing

    path = write_roster(
        tmp_path / "r2.xlsx",
        ["姓名", "身份证号", "所属支部", "所属党小组"],
        [
            ["甲", ok, "社区B党支部", "第一党小组"],
            ["乙", wrong, "社区A党支部", "第二党小组"],
        ],
    )
    assert import_roster(path, user=cast.officer).errors == []
    assert Cadre.objects.get(id_number=ok).party_group == groups["B1"]
    assert Cadre.objects.get(id_number=wrong).party_group == groups["A2"]
    rows = {
        r["name"]: r
        for r in roster_rows(
            Cadre.objects.filter(id_number__in=[ok, wrong]),
            reveal=RevealRule(cast.officer),
        )
    }
    assert rows["甲"]["party_group"] == "第一党小组"


@pytest.mark.parametrize(
    "cell, level",
    [
        ("是", Mobility.TRAVEL),
        ("否", Mobility.HOME),
        ("能参加集中活动", Mobility.TRAVEL),
        ("只能就近参加", Mobility.NEARBY),
        ("只能在家", Mobility.HOME),
        (None, Mobility.TRAVEL),
    ],
)
def test_mobility_reads_three_levels_and_still_yes_or_no(tmp_path, cast, cell, level):
    number = id_number()
    path = write_roster(
        tmp_path / "r.xlsx",
        ["姓名", "身份证号", "所属支部", "行动能力"],
        [["甲", number, "社区A党支部", cell]],
    )
    assert import_roster(path, user=cast.officer).errors == []
    assert Cadre.objects.get(id_number=number).mobility == level


def test_an_unknown_mobility_is_a_cell_error(tmp_path, cast):
    path = write_roster(
        tmp_path / "r.xlsx",
        ["姓名", "身份证号", "所属支部", "能否参加活动"],
        [["甲", id_number(), "社区A党支部", "偶尔"]],
    )
    (issue,) = import_roster(path, user=cast.officer).errors
    assert issue.column == "能否参加活动" and "只能在家" in issue.message


def test_the_list_filters_and_badges_by_mobility(client, cast):
    make_cadre(branch=cast.tree["branch_A"], name="在家甲", mobility=Mobility.HOME)
    make_cadre(branch=cast.tree["branch_A"], name="就近乙", mobility=Mobility.NEARBY)
    client.force_login(cast.officer)
    page = client.get(reverse("members:cadre_list"), {"care": "cannot_attend"})
    text = page.content.decode()
    assert "在家甲" in text and "就近乙" not in text and "只能在家" in text
    page = client.get(reverse("members:cadre_list"), {"care": "nearby_only"})
    assert "就近乙" in page.content.decode()


def test_a_transfer_or_a_branch_change_in_the_admin_leaves_the_old_group(
    client, cast, groups
):
    import datetime

    from members.services import cadre_transfer

    cadre = make_cadre(branch=cast.tree["branch_A"], party_group=groups["A1"])
    cadre_transfer(cadre=cadre, to_branch=cast.tree["branch_B"], on=datetime.date.today())
    cadre.refresh_from_db()
    assert cadre.party_group is None
    # The edit form offers only the groups of the cadre's own branch.
    client.force_login(cast.officer)
    page = client.get(reverse("members:cadre_edit", args=[cast.cadre_a.pk]))
    choices = set(page.context["form"].fields["party_group"].queryset)
    assert choices == {groups["A1"], groups["A2"]}  # branch A's, not branch B's
