"""The cross-field rules of a dossier live in one module (issue 15): change one and
the model (forms, admin, services) and the roster import follow together."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from members import rules
from members.models import Cadre, Category, MemberStatus
from members.roster.importer import import_roster
from members.services import cadre_create
from tests.factories import make_id_number

from .roster_files import id_number, write_roster

HEADER = ["姓名", "身份证号", "所属支部", "入党时间", "类别", "参加革命时期"]


def _import(tmp_path, cast, rows):
    path = write_roster(tmp_path / "r.xlsx", HEADER, rows)
    return import_roster(path, user=cast.officer)


def _form_path(cast, **fields):
    data = {
        "name": "表单", "id_number": make_id_number(), "category": Category.TUIXIU,
        "is_party_member": True, "member_status": "", "branch": cast.tree["branch_A"],
        "residence_unit": cast.tree["community_A"],
    }  # fmt: skip
    data.update(fields)
    return cadre_create(**data)


def test_the_default_status_follows_one_rule_in_both_paths(tmp_path, cast, monkeypatch):
    joined = timezone.localdate() - datetime.timedelta(days=4 * 365)
    # Under the usual three years, 入党 four years ago without 转正 means full.
    assert _form_path(cast, joined_party_on=joined).member_status == MemberStatus.FULL
    result = _import(
        tmp_path, cast, [["导一", id_number(), "社区A党支部", joined.isoformat(), "", ""]]
    )
    assert result.errors == [] and Cadre.objects.get(name="导一").member_status == "full"
    # One change of the rule: five years of probation by default.
    monkeypatch.setattr(rules, "PROBATION_DEFAULT_DAYS", 5 * 365)
    form = _form_path(cast, joined_party_on=joined, name="表单二")
    assert form.member_status == MemberStatus.PROBATIONARY
    result = _import(
        tmp_path, cast, [["导二", id_number(), "社区A党支部", joined.isoformat(), "", ""]]
    )
    assert result.errors == []
    assert Cadre.objects.get(name="导二").member_status == MemberStatus.PROBATIONARY


def test_a_new_rule_is_enforced_by_both_paths(tmp_path, cast, monkeypatch):
    def lixiu_needs_period(values):
        if values.get("category") == Category.LIXIU and not values.get("lixiu_period"):
            yield "lixiu_period", "离休干部须填写参加革命时期。"

    monkeypatch.setattr(
        rules, "DOSSIER_RULES", [*rules.DOSSIER_RULES, lixiu_needs_period]
    )
    with pytest.raises(ValidationError) as refused:
        _form_path(cast, category=Category.LIXIU)
    assert refused.value.message_dict["lixiu_period"] == ["离休干部须填写参加革命时期。"]
    result = _import(
        tmp_path, cast, [["离一", id_number(), "社区A党支部", "", "离休", ""]]
    )
    (issue,) = result.errors
    assert (issue.row, issue.column, issue.message) == (
        2,
        "参加革命时期",
        "离休干部须填写参加革命时期。",
    )
    assert not Cadre.objects.filter(name="离一").exists()


def test_the_same_message_from_both_paths(tmp_path, cast):
    """An existing rule: the revolution period only for 离休 cadres."""
    with pytest.raises(ValidationError) as refused:
        _form_path(cast, lixiu_period="liberation")
    (message,) = refused.value.message_dict["lixiu_period"]
    result = _import(
        tmp_path, cast, [["退一", id_number(), "社区A党支部", "", "退休", "解放战争时期"]]
    )
    assert [e.message for e in result.errors] == [message]
