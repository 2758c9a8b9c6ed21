"""Issue 16: 送学上门 follows the meeting — the frail and the hospitalized appear in
the community worker's queue for 30 days; a 送学上门 visit naming the meeting marks
them as having taken part at home; undelivered after 30 days it is listed as missed
on the branch page."""

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from activities.models import AttendanceStatus as S
from activities.selectors.study import study_missed
from activities.services import meeting_record
from members.models import Mobility
from services.services import hospitalization_discharge, hospitalization_record
from tests.factories import make_cadre

TODAY = timezone.localdate()


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def test_study_owed_reaches_the_queue_and_a_visit_delivers_it(client, cast):
    branch = cast.tree["branch_A"]
    frail = make_cadre(branch=branch, name="卧床甲", mobility=Mobility.HOME)
    ill = make_cadre(branch=branch, name="住院乙")
    day = TODAY - datetime.timedelta(days=10)
    stay = hospitalization_record(cadre=ill, hospital="瑞金医院",
                                  admitted_on=day - datetime.timedelta(days=2))  # fmt: skip
    hospitalization_discharge(hospitalization=stay, discharged_on=day)
    meeting = meeting_record(branch=branch, kind="themed_party_day", starts_at=at(day),
                             topic="学习", statuses={cast.cadre_a.pk: S.ABSENT})  # fmt: skip
    assert (meeting.expected_count, meeting.took_part_count) == (2, 1)
    client.force_login(cast.grid_a)
    page = client.get(reverse("visits:mine")).content.decode()
    queue = page.split('id="queue-study"')[1].split("</ul>")[0]
    assert "卧床甲" in queue and "住院乙" in queue
    assert "张三丰" not in queue  # absent, but can travel: nothing to deliver
    form = client.get(reverse("visits:new", args=[frail.pk]), {"meeting": meeting.pk})
    assert 'name="meeting"' in form.content.decode()
    response = client.post(reverse("visits:new", args=[frail.pk]), {
        "client_key": str(uuid.uuid4()), "kinds": ["study"], "cadres": [str(frail.pk)],
        "visited_on": TODAY.isoformat(), "outcome": "met", "meeting": meeting.pk,
    })  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.attendances.get(cadre=frail).status == S.AT_HOME
    assert (meeting.expected_count, meeting.took_part_count) == (3, 2)
    queue = (
        client.get(reverse("visits:mine")).content.decode().split('id="queue-study"')[1]
    )
    assert "卧床甲" not in queue.split("</ul>")[0] and "住院乙" in queue.split("</ul>")[0]
    # The visit counts as the cadre's contact.
    assert frail.visits_received.filter(met=True).exists()


def test_undelivered_after_30_days_is_missed_on_the_branch_page(client, cast):
    branch = cast.tree["branch_A"]
    make_cadre(branch=branch, name="卧床甲", mobility=Mobility.HOME)
    old = TODAY - datetime.timedelta(days=40)
    meeting_record(
        branch=branch, kind="themed_party_day", starts_at=at(old), topic="学习"
    )
    (missed,) = study_missed([branch.pk], old, TODAY)
    assert missed.cadre.name == "卧床甲"
    client.force_login(cast.officer)
    period = f"{old.isoformat()}..{TODAY.isoformat()}"
    page = client.get(reverse("compliance"), {"unit": branch.pk, "period": period})
    assert "卧床甲" in page.content.decode().split('id="study-missed"')[1]
    client.force_login(cast.grid_a)
    page = client.get(reverse("visits:mine")).content.decode()
    assert 'id="queue-study"' not in page  # past 30 days: no longer in the queue


def test_on_the_20th_the_secretary_hears_of_a_monthly_meeting_not_yet_held(cast):
    from activities.models import MeetingRule
    from services.models import Reminder
    from services.reminders import reminders_scan

    MeetingRule.objects.exclude(kind__code="themed_party_day", per="month").update(
        is_active=False
    )
    day = datetime.date(2026, 8, 20)
    meeting_record(branch=cast.tree["village_branch_A"], kind="themed_party_day",
                   starts_at=at(datetime.date(2026, 8, 3)), topic="学习")  # fmt: skip
    assert (
        reminders_scan(today=day - datetime.timedelta(days=1)).get("meeting_due", 0) == 0
    )
    reminders_scan(today=day)
    reminders = Reminder.objects.filter(rule="meeting_due")
    by_branch = {r.subject_id: r for r in reminders}
    assert cast.tree["village_branch_A"].pk not in by_branch  # held on the 3rd
    assert by_branch[cast.tree["branch_A"].pk].recipient == cast.secretary
    assert "主题党日" in by_branch[cast.tree["branch_A"].pk].text
    # No secretary in branch B: its community worker.
    assert by_branch[cast.tree["branch_B"].pk].recipient == cast.community_b
