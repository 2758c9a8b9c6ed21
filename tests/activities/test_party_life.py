"""Issue 16: the worked example (fair participation and compliance), through the
services and through `party_life_report --json`; the rules as data."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from activities.models import (
    AttendanceStatus as S,
)
from activities.models import (
    MeetingKind,
    MeetingRule,
)
from activities.periods import parse_period
from activities.selectors.partylife import (
    branches_in,
    compliance,
    participation_by_branch_month,
    participation_by_member,
)
from activities.services import attendance_proposal, meeting_record, meeting_update
from members.models import Mobility
from services.services import hospitalization_discharge, hospitalization_record

from ..factories import make_cadre

D = datetime.date
TODAY = D(2026, 12, 2)


def at(day: datetime.date, hour: int = 9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def only_rules(*codes_per):
    """Keep just these rules in force (the example's two)."""
    MeetingRule.objects.update(is_active=False)
    for code, per in codes_per:
        MeetingRule.objects.filter(kind__code=code, per=per, applies_to="all").update(
            is_active=True
        )


@pytest.fixture
def example(tree):
    branch = tree["branch_A"]
    people = {
        name: make_cadre(branch=branch, name=name, birth=D(1940, 1, i + 1))
        for i, name in enumerate("ABCDEF")
    }
    people["E"].mobility = Mobility.HOME
    people["E"].save()
    stay = hospitalization_record(cadre=people["F"], hospital="瑞金医院",
                                  admitted_on=D(2026, 8, 10))  # fmt: skip
    hospitalization_discharge(hospitalization=stay, discharged_on=D(2026, 8, 20))
    only_rules(("general_meeting", "quarter"), ("themed_party_day", "month"))
    p = {k: c.pk for k, c in people.items()}
    meeting_record(
        branch=branch, kind="themed_party_day", starts_at=at(D(2026, 7, 1)), topic="七一",
        statuses={p[k]: S.PRESENT for k in "ABCDF"},
    )  # fmt: skip
    meeting_record(
        branch=branch, kind="general_meeting", starts_at=at(D(2026, 8, 15)), topic="大会",
        statuses={p["A"]: S.PRESENT, p["B"]: S.PRESENT, p["C"]: S.ON_LEAVE,
                  p["D"]: S.ABSENT, p["E"]: S.AT_HOME},
    )  # fmt: skip
    meeting_record(
        branch=branch, kind="themed_party_day", starts_at=at(D(2026, 9, 1)), topic="九月",
        statuses={p["A"]: S.PRESENT, p["B"]: S.REMOTE, p["C"]: S.ABSENT,
                  p["D"]: S.ABSENT, p["E"]: S.AT_HOME, p["F"]: S.AT_HOME},
    )  # fmt: skip
    return branch, people


def test_the_proposal_marks_the_frail_and_the_hospitalized_unable(example):
    branch, people = example
    kind = MeetingKind.objects.get(code="general_meeting")
    proposed = {p.cadre.name: (p.status, p.reason)
                for p in attendance_proposal(branch, kind, D(2026, 8, 15))}  # fmt: skip
    assert proposed["E"] == (S.UNABLE, "只能在家")
    assert proposed["F"] == (S.UNABLE, "住院")
    assert proposed["A"] == (S.PRESENT, "")
    proposed = {p.cadre.name: p.status
                for p in attendance_proposal(branch, kind, D(2026, 9, 1))}  # fmt: skip
    assert proposed["F"] == S.PRESENT  # discharged on 08-20


def test_the_worked_example_through_the_services(example):
    branch, people = example
    q3 = parse_period("2026Q3")
    meetings = sorted(branch.activities.all(), key=lambda a: a.starts_at)
    assert [(m.expected_count, m.took_part_count) for m in meetings] == [
        (5, 5), (5, 3), (6, 4),
    ]  # fmt: skip
    months = participation_by_branch_month([branch.pk], q3)
    total = (
        sum(r.took_part for r in months.values()),
        sum(r.expected for r in months.values()),
    )
    assert total == (12, 16)
    members = participation_by_member([branch.pk], q3)
    assert {n: (members[c.pk].took_part, members[c.pk].expected)
            for n, c in people.items()} == {
        "A": (3, 3), "B": (3, 3), "C": (1, 3), "D": (1, 3), "E": (2, 2), "F": (2, 2),
    }  # fmt: skip
    (result,) = compliance(branches_in(branch), q3, TODAY)
    assert not result.compliant
    assert result.missing == [("主题党日", "2026-08")]


def test_the_worked_example_through_the_report_command(example):
    branch, _people = example
    out = io.StringIO()
    call_command("party_life_report", unit=str(branch.pk), period="2026Q3", json=True,
                 today="2026-12-02", stdout=out)  # fmt: skip
    report = json.loads(out.getvalue())
    (row,) = report["branches"]
    assert (row["took_part"], row["expected"], row["rate"]) == (12, 16, 0.75)
    assert row["compliant"] is False
    assert row["missing"] == [{"kind": "主题党日", "window": "2026-08"}]
    assert {m["name"]: (m["took_part"], m["expected"]) for m in row["members"]} == {
        "A": (3, 3), "B": (3, 3), "C": (1, 3), "D": (1, 3), "E": (2, 2), "F": (2, 2),
    }  # fmt: skip


def test_the_expected_list_is_fixed_with_the_record(example):
    branch, people = example
    people["E"].mobility = Mobility.TRAVEL  # later change to the dossier
    people["E"].save()
    out = io.StringIO()
    call_command("party_life_report", unit=branch.name, period="2026Q3", json=True,
                 today="2026-12-02", stdout=out)  # fmt: skip
    (row,) = json.loads(out.getvalue())["branches"]
    assert (row["took_part"], row["expected"]) == (12, 16)


def test_monthly_rules_are_checked_month_by_month(tree):
    branch = tree["branch_A"]
    make_cadre(branch=branch)
    only_rules(("themed_party_day", "month"))
    for day in (D(2026, 7, 3), D(2026, 7, 20), D(2026, 9, 2)):
        meeting_record(
            branch=branch, kind="themed_party_day", starts_at=at(day), topic="学"
        )
    (result,) = compliance(branches_in(branch), parse_period("2026Q3"), TODAY)
    assert result.missing == [("主题党日", "2026-08")]  # two in July do not cover August
    # A range: only the months wholly inside it are checked.
    (result,) = compliance(
        branches_in(branch), parse_period("2026-07-15..2026-09-30"), TODAY
    )
    assert result.missing == [("主题党日", "2026-08")]
    assert [w.window.label for w in result.checks[0].windows] == ["2026-08", "2026-09"]
    # The current month not yet held is due, not missed.
    (result,) = compliance(branches_in(branch), parse_period("2026-12"), TODAY)
    assert result.compliant and result.due == [("主题党日", "2026-12")]


def test_a_yearly_rule_over_a_quarter_counts_so_far(tree):
    branch = tree["branch_A"]
    make_cadre(branch=branch)
    only_rules(("org_life_meeting", "year"))
    meeting_record(branch=branch, kind="org_life_meeting", starts_at=at(D(2026, 2, 3)),
                   topic="组织生活会")  # fmt: skip
    (result,) = compliance(branches_in(branch), parse_period("2026Q3"), TODAY)
    (window,) = result.checks[0].windows
    assert (window.window.label, window.held, window.status) == ("2026", 1, "met")


def test_group_rules_skip_branches_without_groups_and_rules_are_data(tree):
    from grids.models import OrgUnit, UnitKind

    from ..factories import make_unit

    only_rules(("themed_party_day", "month"))
    group = make_unit("第一党小组", UnitKind.PARTY_GROUP, tree["branch_B"])
    make_cadre(branch=tree["branch_B"], party_group=group)
    MeetingRule.objects.filter(kind__code="group_meeting", per="month").update(
        is_active=True
    )
    period = parse_period("2026-08")
    township = OrgUnit.objects.get(pk=tree["township"].pk)  # the tree has grown
    results = {r.name: r for r in compliance(branches_in(township), period, TODAY)}
    assert ("党小组会（第一党小组）", "2026-08") in results["社区B党支部"].missing
    assert not any("党小组会" in k for k, _w in results["社区A党支部"].missing)
    # A kind and a rule added in the admin change the result without code.
    film = MeetingKind.objects.create(code="local_film", name="乡村电影", sort_order=200)
    MeetingRule.objects.create(kind=film, at_least=2, per="month", applies_to="village")
    results = {r.name: r for r in compliance(branches_in(township), period, TODAY)}
    assert ("乡村电影", "2026-08") in results["村A党支部"].missing
    assert ("乡村电影", "2026-08") not in results["社区A党支部"].missing


def test_a_meeting_sent_twice_is_recorded_once(tree):
    branch = tree["branch_A"]
    make_cadre(branch=branch)
    token = "5f0c8f4e-3a1b-4c1d-9e8f-0a1b2c3d4e5f"
    first = meeting_record(branch=branch, kind="themed_party_day",
                           starts_at=at(D(2026, 8, 1)), topic="学", client_token=token)  # fmt: skip
    again = meeting_record(branch=branch, kind="themed_party_day",
                           starts_at=at(D(2026, 8, 1)), topic="学", client_token=token)  # fmt: skip
    assert first.pk == again.pk and branch.activities.count() == 1


def test_a_correction_changes_the_counts_and_keeps_history(example):
    from auditlog.models import LogEntry

    branch, people = example
    meeting = branch.activities.get(starts_at=at(D(2026, 8, 15)))
    meeting_update(meeting, statuses={people["D"].pk: S.PRESENT})
    meeting.refresh_from_db()
    assert (meeting.expected_count, meeting.took_part_count) == (5, 4)
    row = meeting.attendances.get(cadre=people["D"])
    assert LogEntry.objects.get_for_object(row).exists()


def test_study_hours_sum_remote_classes_films_and_lectures(tree, client, settings):
    from django.urls import reverse

    from activities.selectors.partylife import study_hours_by_member

    from ..factories import UserFactory, assign

    branch = tree["branch_A"]
    a, b = make_cadre(branch=branch, name="甲"), make_cadre(branch=branch, name="乙")
    meeting_record(branch=branch, kind="remote_education", starts_at=at(D(2026, 3, 5)),
                   topic="远教", duration_minutes=90)  # fmt: skip
    meeting_record(branch=branch, kind="education_film", starts_at=at(D(2026, 5, 5)),
                   topic="电教片", duration_minutes=60, statuses={b.pk: S.ON_LEAVE})  # fmt: skip
    meeting_record(branch=branch, kind="themed_party_day", starts_at=at(D(2026, 5, 9)),
                   topic="主题党日", duration_minutes=120)  # not study  # fmt: skip
    hours = study_hours_by_member([branch.pk], parse_period("2026"))
    assert hours == {a.pk: 2.5, b.pk: 1.5}
    out = io.StringIO()
    call_command("party_life_report", unit=branch.name, period="2026", json=True,
                 stdout=out)  # fmt: skip
    (row,) = json.loads(out.getvalue())["branches"]
    assert {m["name"]: m["study_hours"] for m in row["members"]} == {"甲": 2.5, "乙": 1.5}
    # A yearly target (off by default) flags who is short of it.
    from grids.models import StaffRole

    settings.STUDY_HOURS_TARGET = 2
    officer = UserFactory(username="o")
    assign(officer, tree["township"], StaffRole.TOWNSHIP_OFFICER)
    client.force_login(officer)
    page = client.get(reverse("participation"), {"unit": branch.pk, "period": "2026"})
    assert '<span class="badge red">1.5</span>' in page.content.decode()
