"""Issue 21, branch elections (换届): the five-year term of a community branch,
reminders six and three months before it ends and monthly after, monthly for a
branch with no election recorded; seven full members without a committee flagged;
the calendar and recording an election, refused to the wrong member of the cast."""

import datetime

from django.urls import reverse

from activities.selectors.elections import Stage, election_calendar
from activities.services.core import committee_elect
from services.models import Reminder
from services.reminders.scan import reminders_scan
from tests.factories import make_cadre

D = datetime.date


def _elect(cast, on):
    return committee_elect(branch=cast.tree["branch_A"], elected_on=on,
                           members=[(cast.cadre_a, "secretary")])  # fmt: skip


def _election_reminders(branch):
    return list(
        Reminder.objects.filter(rule="branch_election", subject_id=branch.pk)
        .order_by("due_on")
        .values_list("due_on", flat=True)
        .distinct()
    )


def test_reminders_at_six_and_three_months_and_monthly_after(cast):
    committee = _elect(cast, D(2021, 11, 20))
    assert committee.term_years == 5 and committee.term_ends_on == D(2026, 11, 20)
    branch = cast.tree["branch_A"]
    reminders_scan(today=D(2026, 5, 19))
    assert _election_reminders(branch) == []
    reminders_scan(today=D(2026, 5, 20))  # six months before
    reminders_scan(today=D(2026, 6, 30))  # nothing new inside the same stage
    assert _election_reminders(branch) == [D(2026, 5, 20)]
    reminders_scan(today=D(2026, 8, 20))  # three months before
    assert _election_reminders(branch) == [D(2026, 5, 20), D(2026, 8, 20)]
    reminders_scan(today=D(2026, 11, 20))  # ended
    reminders_scan(today=D(2026, 12, 1))
    reminders_scan(today=D(2026, 12, 20))  # a month after
    assert _election_reminders(branch) == [
        D(2026, 5, 20), D(2026, 8, 20), D(2026, 11, 20), D(2026, 12, 20)]  # fmt: skip
    texts = Reminder.objects.filter(rule="branch_election").values_list("text", flat=True)
    assert any("换届" in t for t in texts)
    assert set(Reminder.objects.filter(rule="branch_election", subject_id=branch.pk)
               .values_list("recipient__username", flat=True)) == {"secretary_a"}  # fmt: skip


def test_a_branch_with_no_election_is_reminded_monthly(cast):
    branch = cast.tree["branch_B"]
    reminders_scan(today=D(2026, 10, 5))
    reminders_scan(today=D(2026, 10, 25))
    reminders_scan(today=D(2026, 11, 2))
    assert _election_reminders(branch) == [D(2026, 10, 1), D(2026, 11, 1)]


def test_seven_full_members_without_a_committee_are_flagged(cast):
    for i in range(5):
        make_cadre(branch=cast.tree["branch_A"], name=f"党员{i}")
    today = D(2026, 12, 1)
    rows = {r.branch.name: r for r in election_calendar(cast.tree["township"], today)}
    a = rows["社区A党支部"]
    assert (a.full_members, a.stage, a.needs_committee) == (7, Stage.NONE, True)
    assert not rows["社区B党支部"].needs_committee  # one member
    _elect(cast, D(2024, 3, 1))
    a = {r.branch.name: r for r in election_calendar(cast.tree["township"], today)}[
        "社区A党支部"
    ]
    assert (a.stage, a.needs_committee, a.ends_on) == (Stage.OK, False, D(2029, 3, 1))


def test_the_calendar_and_recording_an_election(client, cast, settings):
    client.force_login(cast.officer)
    page = client.get(reverse("elections")).content.decode()
    assert 'data-branch="社区A党支部"' in page and 'data-stage="none"' in page
    client.force_login(cast.secretary)
    url = reverse("election_record", args=[cast.tree["branch_A"].pk])
    response = client.post(url, {"elected_on": "2026-11-02", f"post_{cast.cadre_a.pk}": "secretary",
                                 f"post_{cast.cross.pk}": "organization"})  # fmt: skip
    assert response.status_code == 302
    bad = client.post(
        url, {"elected_on": "2026-11-03", f"post_{cast.cross.pk}": "deputy"}
    )
    assert bad.status_code == 400 and "书记" in bad.content.decode()
    rows = {
        r.branch.name: r for r in election_calendar(cast.tree["branch_A"], D(2026, 12, 1))
    }
    assert rows["社区A党支部"].ends_on == D(2031, 11, 2)
    for who, status in (("grid_b", 404), ("leader", 403), ("outsider", 404)):
        client.force_login(getattr(cast, who))
        assert client.post(url, {"elected_on": "2026-11-04"}).status_code == status, who
    client.force_login(cast.outsider)
    assert client.get(reverse("elections")).status_code == 403
