import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings

from grids.models import (
    OrgUnit,
    Pairing,
    PairingService,
    PartnerUnit,
    StaffAssignment,
    UnitKind,
)
from grids.services import tree_problems
from members.models import BranchTransfer, Cadre, Category, FamilyContact, Household

pytestmark = pytest.mark.django_db

MODELS = [
    OrgUnit,
    PartnerUnit,
    Pairing,
    PairingService,
    StaffAssignment,
    Cadre,
    FamilyContact,
    BranchTransfer,
    Household,
    get_user_model(),
]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def test_load_demo_is_idempotent(demo):
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first


class TheDemoTownship(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())

    def test_load_demo_builds_the_report_township(self):
        township = OrgUnit.objects.get(name="XX镇", kind=UnitKind.TOWNSHIP)
        grids = {
            g.name: sorted(c.name for c in g.get_children())
            for g in township.get_children()
        }
        assert grids == {
            "第一网格": sorted(["金桥社区", "绿一社区", "幸福村"]),
            "第二网格": sorted(["嘉星社区", "嘉华社区", "沙河村"]),
            "第三网格": sorted(["华庄村", "红光村", "新华村"]),
        }
        for place in OrgUnit.objects.filter(
            kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE]
        ):
            assert place.get_children().filter(name=f"{place.name}党支部").exists()
        assert tree_problems() == []
        assert set(PartnerUnit.objects.values_list("name", flat=True)) >= {
            "社区卫生服务中心",
            "上海造币有限公司冲光班组",
            "康德莱集团",
        }
        assert PartnerUnit.objects.filter(kind="village_community").exists()
        assert Pairing.objects.count() == 4

    def test_load_demo_cadres_are_plausible(self):
        cadres = list(Cadre.objects.select_related("branch", "residence_unit"))
        assert 140 <= len(cadres) <= 160
        lixiu = [c for c in cadres if c.category == Category.LIXIU]
        assert lixiu and all(c.age() >= 90 for c in lixiu)
        assert all(60 <= c.age() <= 101 for c in cadres)
        assert any(c.living_situation == "alone" for c in cadres)
        assert sum(1 for c in cadres if (c.party_age() or 0) >= 50) >= 10
        archived = [c for c in cadres if c.status == "archived"]
        assert {c.archive_reason for c in archived} == {"deceased", "transferred_out"}
        assert any(c.member_status == "probationary" for c in cadres)
        assert FamilyContact.objects.count() >= len(cadres)
        assert BranchTransfer.objects.count() >= 1

        def grid_of(unit):
            return unit.get_ancestors().get(kind=UnitKind.GRID)

        different = [
            c
            for c in cadres
            if c.branch and grid_of(c.branch) != grid_of(c.residence_unit)
        ]
        assert len(different) == 2

    def test_load_demo_creates_the_demo_logins(self):
        expected = {
            "admin": "administrator",
            "township": "township_officer",
            "leader": "leader",
            "grid1": "grid_worker",
            "grid2": "grid_worker",
            "jinqiao": "community_worker",
            "xingfu": "community_worker",
            "secretary": "branch_secretary",
        }
        for username, role in expected.items():
            user = get_user_model().objects.get(username=username)
            assert user.check_password("Demo-2026")
            assert user.assignments.filter(role=role).exists()
        assert StaffAssignment.objects.get(user__username="grid1").unit.name == "第一网格"
        assert (
            StaffAssignment.objects.get(user__username="secretary").unit.name
            == "金桥社区党支部"
        )


def test_load_demo_refuses_to_run_under_prod_settings():
    with override_settings(DEMO_DATA_ALLOWED=False), pytest.raises(CommandError):
        call_command("load_demo")
    assert not OrgUnit.objects.exists()


def test_the_prod_settings_forbid_demo_data(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    monkeypatch.setenv("ALLOWED_HOSTS", "gridparty.example")
    import importlib

    import gridparty.settings.prod as prod

    prod = importlib.reload(prod)
    assert prod.DEMO_DATA_ALLOWED is False
    assert prod.DEBUG is False
    assert prod.SESSION_COOKIE_SECURE and prod.CSRF_COOKIE_SECURE
