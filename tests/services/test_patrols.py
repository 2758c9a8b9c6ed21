"""Issue 20, patrols (督导巡查): the team is the patrol role's roster; a patrol is
logged once however often it is sent; a finding is followed up until closed; the
monthly counts and open findings; the wrong member of the cast is refused."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities.services.campaigns import campaign_serve, campaign_start
from services.models import FindingStatus, Patrol
from services.patrols import patrol_overview, patrol_team
from services.services.patrols import finding_update, patrol_log


@pytest.fixture
def river(cast):
    start = timezone.localdate() - datetime.timedelta(days=60)
    campaign = campaign_start(by=cast.officer, name="吴淞江", unit=cast.tree["township"],
                              start_on=start)  # fmt: skip
    patrol = campaign.roles.get(kind="patrol")
    for cadre in (cast.cadre_a, cast.cadre_b):
        campaign_serve(by=cast.officer, role=patrol, cadre=cadre, start_on=start)
    return campaign


def _at(days_ago: int, hour: int = 9) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_team_is_the_patrol_roles_roster(cast, river):
    assert set(patrol_team(river)) == {cast.cadre_a, cast.cadre_b}


def test_a_patrol_sent_twice_is_one_patrol(cast, river):
    key = uuid.uuid4()
    for _ in range(2):
        patrol_log(by=cast.grid_a, campaign=river, patrolled_at=_at(1), place="北岸 3 号闸",
                   members=[cast.cadre_a], client_key=key)  # fmt: skip
    assert Patrol.objects.count() == 1
    assert Patrol.objects.get().status == FindingStatus.NONE


def test_a_finding_is_followed_up_until_closed(cast, river):
    patrol = patrol_log(by=cast.grid_a, campaign=river, patrolled_at=_at(3), place="北岸",
                        members=[cast.cadre_a], finding_kind="garbage", notes="河边堆放建筑垃圾")  # fmt: skip
    assert patrol.status == FindingStatus.OPEN
    with pytest.raises(ValidationError):  # closing needs how it was resolved
        finding_update(by=cast.grid_a, patrol=patrol, close=True)
    finding_update(by=cast.grid_a, patrol=patrol, passed_to="村委会")
    patrol = finding_update(
        by=cast.grid_a, patrol=patrol, close=True, resolution="已清运"
    )
    assert (patrol.status, patrol.passed_to, patrol.resolution, patrol.closed_by) == (
        FindingStatus.CLOSED,
        "村委会",
        "已清运",
        cast.grid_a,
    )
    with pytest.raises(ValidationError):
        finding_update(by=cast.grid_a, patrol=patrol, close=True, resolution="again")


def test_a_finding_needs_notes_and_members_of_the_team(cast, river):
    with pytest.raises(ValidationError):
        patrol_log(by=cast.officer, campaign=river, patrolled_at=_at(1), place="x",
                   members=[cast.cadre_a], finding_kind="water")  # fmt: skip
    with pytest.raises(ValidationError):
        patrol_log(
            by=cast.officer,
            campaign=river,
            patrolled_at=_at(1),
            place="x",
            members=[cast.cross],
        )  # fmt: skip  (not on the team)
    with pytest.raises(ValidationError):  # in the future
        patrol_log(by=cast.officer, campaign=river, place="x", members=[cast.cadre_a],
                   patrolled_at=timezone.now() + datetime.timedelta(days=1))  # fmt: skip
    assert not Patrol.objects.exists()


def test_monthly_counts_and_open_findings_over_what_the_user_sees(cast, river):
    patrol_log(by=cast.officer, campaign=river, patrolled_at=_at(2), place="a",
               members=[cast.cadre_a], finding_kind="building", notes="新搭棚")  # fmt: skip
    patrol_log(by=cast.officer, campaign=river, patrolled_at=_at(2, 15), place="b",
               members=[cast.cadre_a])  # fmt: skip
    patrol_log(by=cast.officer, campaign=river, patrolled_at=_at(1), place="c",
               members=[cast.cadre_b], finding_kind="water", notes="排污口")  # fmt: skip
    officer = patrol_overview(river, cast.officer)
    assert sum(n for _m, n, _f in officer["by_month"]) == 3
    assert sum(f for _m, _n, f in officer["by_month"]) == 2
    assert len(officer["open"]) == 2
    grid_a = patrol_overview(river, cast.grid_a)  # only cadre A's patrols
    assert sum(n for _m, n, _f in grid_a["by_month"]) == 2
    assert [p.place for p in grid_a["open"]] == ["a"]


def test_the_cast_is_refused(client, cast, river):
    with pytest.raises(PermissionDenied):  # a leader only reads
        patrol_log(by=cast.leader, campaign=river, patrolled_at=_at(1), place="x",
                   members=[cast.cadre_a])  # fmt: skip
    patrol = patrol_log(by=cast.grid_b, campaign=river, patrolled_at=_at(1), place="南岸",
                        members=[cast.cadre_b], finding_kind="other", notes="护栏松动")  # fmt: skip
    with pytest.raises(PermissionDenied):  # grid A did not go and may not change B's
        finding_update(by=cast.grid_a, patrol=patrol, close=True, resolution="x")
    client.force_login(cast.grid_a)
    assert client.get(reverse("patrols:new", args=[river.pk])).status_code == 200
    assert client.post(reverse("patrols:finding", args=[patrol.pk]),
                       {"close": "on", "resolution": "x"}).status_code == 404  # fmt: skip
    client.force_login(cast.leader)
    assert client.get(reverse("patrols:new", args=[river.pk])).status_code == 403
    assert client.get(reverse("patrols:list", args=[river.pk])).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(reverse("patrols:list", args=[river.pk])).status_code == 404
