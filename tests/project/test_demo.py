import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import TestCase, override_settings
from django.utils import timezone

from activities.models import (
    Activity,
    Attendance,
    Campaign,
    CampaignEntry,
    CampaignRole,
    CampaignService,
    Honour,
)
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
from services.models import (
    CareVisit,
    CareVisitKind,
    HealthCheck,
    Hospitalization,
    VisitedCadre,
    VisitKind,
)

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
    Activity,
    Attendance,
    Campaign,
    CampaignRole,
    CampaignService,
    Honour,
    CareVisit,
    CareVisitKind,
    VisitedCadre,
    Hospitalization,
    HealthCheck,
]


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())


def test_load_demo_is_idempotent(demo):
    first = counts()
    assert all(first.values()), first
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

    def test_a_demo_worker_finds_reminders_in_the_inbox_without_another_command(self):
        """`make run` loads the demo and nothing else: the inbox is filled by the
        scan that load_demo runs, and the page shows what it holds."""
        from django.test import Client

        for username in ("grid1", "jinqiao", "township"):
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            response = client.get("/reminders/")
            assert response.status_code == 200
            assert len(response.context["page"].object_list) > 0, username
            assert "还没有提醒" not in response.content.decode()


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


class TheDemoTownshipsYear(TestCase):
    """A year of plausible life (issue 3)."""

    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", stdout=io.StringIO())
        cls.today = timezone.localdate()

    def test_most_branches_meet_monthly_and_quarterly_and_one_is_behind(self):
        year_ago = self.today - datetime.timedelta(days=366)
        per_branch = {
            b.name: (
                b.activities.filter(
                    kind="themed_party_day", starts_at__date__gt=year_ago
                ).count(),
                b.activities.filter(
                    kind="general_meeting", starts_at__date__gt=year_ago
                ).count(),
            )
            for b in OrgUnit.objects.filter(kind=UnitKind.BRANCH)
        }
        behind = {
            name
            for name, (days, meetings) in per_branch.items()
            if days < 11 or meetings < 4
        }
        assert behind == {"新华村党支部"}, per_branch

    def test_attendance_has_the_reports_mix(self):
        statuses = set(Attendance.objects.values_list("status", flat=True))
        assert statuses == {
            "present",
            "on_leave",
            "absent",
            "at_home",
            "remote",
            "unable",
        }
        frail = Attendance.objects.filter(cadre__mobility="home")
        assert frail.exists()
        assert set(frail.values_list("status", flat=True)) <= {"at_home", "unable"}

    def test_organizational_life_is_recorded_as_a_secretary_records_it(self):
        from activities.periods import parse_period
        from activities.selectors.partylife import participation_by_branch_month
        from activities.selectors.study import study_to_deliver
        from services.models import CareVisit

        period = parse_period(
            f"{self.today - datetime.timedelta(days=330):%Y-%m}..{self.today:%Y-%m}"
        )
        branches = {b.pk: b.name for b in OrgUnit.objects.filter(kind=UnitKind.BRANCH)}
        rates = {}
        for (branch, _month), rate in participation_by_branch_month(
            branches, period
        ).items():
            rates.setdefault(branches[branch], [0, 0])
            rates[branches[branch]][0] += rate.took_part
            rates[branches[branch]][1] += rate.expected
        lowest = min(rates, key=lambda n: rates[n][0] / rates[n][1])
        assert lowest == "沙河村党支部", rates
        # Frail members: study delivered at home by visits naming the meeting, and
        # the last weeks' still owed in the workers' queue.
        assert CareVisit.objects.filter(
            meeting__isnull=False, kinds__kind="study"
        ).exists()
        assert study_to_deliver(Cadre.objects.all(), self.today)
        # A remote-education class with its duration (study hours), group meetings.
        assert Activity.objects.filter(
            kind="remote_education", duration_minutes=90
        ).exists()
        assert Activity.objects.filter(
            kind="group_meeting", party_group__isnull=False
        ).exists()

    def test_the_campaign_has_its_three_roles_with_cadres(self):
        campaign = Campaign.objects.get(name="吴淞江北岸生态环境综合治理")
        roles = list(campaign.roles.values_list("name", flat=True))
        assert roles == ["调查摸底", "宣传发动", "督导巡查"]
        for role in campaign.roles.all():
            assert role.services.exists()
            # Service logged week by week: hours every month of the role's period.
            assert CampaignEntry.objects.filter(service__role=role).count() >= 8
        assert campaign.roles.get(name="督导巡查").needs == "travel"
        # A month of patrols with two findings, one closed.
        from services.models import Patrol

        patrols = Patrol.objects.filter(campaign=campaign)
        assert patrols.count() == 10
        assert sorted(patrols.exclude(status="none").values_list("status", flat=True)) == [
            "closed", "open"]  # fmt: skip
        # A talent pool: dozens of cadres with skills, across several skills.
        from members.models import Talent

        assert Talent.objects.count() >= 25
        assert Talent.objects.values("skill").distinct().count() >= 8
        # Three requests in different states.
        from services.models import CareRequest

        assert sorted(CareRequest.objects.values_list("status", flat=True)) == [
            "assigned", "done", "requested"]  # fmt: skip

    def test_the_cadres_own_pages_have_something_to_show(self):
        from activities.models import LeaveRequest, MeetingNotice
        from gridparty.demo_portal import demo_portal_cadre
        from members.models import FamilyContact
        from portal.models import Notice, Opinion
        from portal.notices import notices_for

        cadre = demo_portal_cadre()
        assert cadre is not None and cadre.branch.name == "金桥社区党支部"
        assert {n.kind for n in notices_for(cadre)} == {"notice", "study"}
        assert Notice.objects.count() == 2
        announced = MeetingNotice.objects.get()
        assert announced.branch == cadre.branch
        assert LeaveRequest.objects.filter(notice=announced).count() == 1
        assert FamilyContact.objects.filter(may_act=True).count() == 1
        assert sorted(o.answered_at is not None for o in Opinion.objects.all()) == [
            False,
            True,
        ]

    def test_a_quarters_menu_for_two_branches(self):
        from activities.periods import current_quarter
        from activities.selectors.menu import branch_menu, uptake_by_suits
        from grids.models import OrgUnit

        quarter = current_quarter(self.today)
        offering = set(
            Activity.objects.exclude(suits="")
            .filter(unit__kind="branch")
            .values_list("unit", flat=True)
        )
        assert len(offering) == 2
        grid_items = 0
        for branch in OrgUnit.objects.filter(pk__in=offering):
            menu = branch_menu(branch, quarter)
            # Its own six, every level of suitability (and the grid's calligraphy).
            assert len([a for a in menu if a.unit_id == branch.pk]) == 6
            grid_items += len([a for a in menu if a.unit.kind == "grid"])
            rows = {u.suits: u for u in uptake_by_suits(menu)}
            assert all(rows[s].offered for s in ("travel", "nearby", "home"))
            assert sum(u.signed for u in rows.values()) > 0
        assert grid_items >= 1
        assert Cadre.objects.exclude(interests=[]).exists()

    def test_committees_and_this_years_dues(self):
        from activities.models import DuesAccount
        from activities.selectors.dues import in_arrears
        from activities.selectors.elections import election_calendar

        stages = {r.stage for r in election_calendar(None, self.today)}
        assert {"none", "ended", "six", "ok"} <= stages
        accounts = DuesAccount.objects.filter(year=self.today.year)
        assert (
            accounts.count() >= 100 and accounts.filter(changes__kind="hardship").exists()
        )
        if self.today.month >= 7:
            assert len(in_arrears(accounts, self.today.year, self.today.month - 1)) >= 1

    def test_visits_of_every_kind_some_overdue_one_never(self):
        from django.db.models import Max

        kinds = set(CareVisitKind.objects.values_list("kind", flat=True))
        assert kinds == set(VisitKind.values)
        active = Cadre.objects.active()
        last = dict(
            active.annotate(last=Max("visits_received__visited_on")).values_list(
                "pk", "last"
            )
        )
        never = [pk for pk, day in last.items() if day is None]
        assert len(never) == 1
        overdue = [
            pk for pk, day in last.items() if day and (self.today - day).days > 100
        ]
        assert len(overdue) >= 5
        assert not CareVisit.objects.filter(visited_on__gt=self.today).exists()

    def test_a_hospitalization_check_ups_and_honours(self):
        assert Hospitalization.objects.filter(discharged_on__isnull=True).count() == 1
        assert Hospitalization.objects.filter(discharged_on__isnull=False).count() == 1
        checks = HealthCheck.objects.values("cadre").annotate(
            last=models.Max("checked_on")
        )
        overdue = [c for c in checks if (self.today - c["last"]).days > 365]
        assert overdue and len(overdue) < len(checks) / 3
        medals = Honour.objects.filter(kind="party_50_years")
        assert medals.filter(status="awarded").count() >= 3
        for honour in medals.select_related("cadre"):
            assert honour.cadre.party_age(datetime.date(honour.year, 7, 1)) >= 50
