"""Issue 20, the activity menu (活动菜单): what suits a cadre first and never a
trip for one who cannot travel; capacity; one-tap sign-up; who came; the members
who took part in nothing this quarter on a fixed data set; uptake by suitability;
each page and write refused to the wrong member of the cast."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities.models import Activity, Attendance, MeetingKind, SignUp
from activities.models import AttendanceStatus as S
from activities.periods import current_quarter, parse_period
from activities.selectors.menu import (
    branch_menu,
    branches_uptake,
    menu_for_cadre,
    took_part_in_nothing,
    uptake_by_suits,
)
from activities.services import meeting_record
from activities.services.menu import (
    menu_attendance,
    menu_offer,
    menu_sign_up,
    menu_withdraw,
)
from grids.models import AccessLog
from members.models import Interest, Mobility
from tests.factories import make_cadre

D = datetime.date
Q2 = parse_period("2026Q2")


def at(day: datetime.date, hour: int = 9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def soon(days: int = 1) -> datetime.datetime:
    """A time a little ahead (sign-ups are for activities not yet begun)."""
    return timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)


def quarter_of(moment: datetime.datetime):
    return current_quarter(timezone.localtime(moment).date())


def offer(cast, unit, topic, suits, *, when=None, capacity=None, theme="", kind="other"):
    return menu_offer(
        by=cast.officer, unit=unit, kind=MeetingKind.objects.get(code=kind), topic=topic,
        starts_at=when or soon(), suits=suits, capacity=capacity, theme=theme,
    )  # fmt: skip


@pytest.fixture
def menu(cast):
    """Branch A's menu: a trip, a talk nearby and a film at home (the grid's), and
    a cadre at home only who likes films."""
    tree = cast.tree
    when = soon(2)
    items = {
        "trip": offer(cast, tree["branch_A"], "参观嘉定革命历史陈列馆", "travel",
                      when=when, capacity=2, theme=Interest.RED_SITES),
        "talk": offer(cast, tree["branch_A"], "冬季养生讲座", "nearby",
                      when=when + datetime.timedelta(hours=1), theme=Interest.HEALTH),
        "film": offer(cast, tree["grid_A"], "送电影上门《长津湖》", "home",
                      when=when + datetime.timedelta(hours=2), theme=Interest.FILM),
        "craft": offer(cast, tree["branch_A"], "居家剪纸", "home",
                       when=when + datetime.timedelta(hours=3), theme=Interest.HANDICRAFT),
    }  # fmt: skip
    home = make_cadre(branch=tree["branch_A"], name="钱居家", mobility=Mobility.HOME,
                      interests=[Interest.FILM])  # fmt: skip
    return items, home, quarter_of(when)


def test_the_menu_for_a_cadre_at_home_lists_at_home_activities_first(cast, menu):
    items, home, period = menu
    choices = menu_for_cadre(home, period)
    topics = [c.activity.topic for c in choices]
    # At home first (the film they like before the papercut), then what does not suit.
    assert topics[:2] == ["送电影上门《长津湖》", "居家剪纸"]
    suitable = {c.activity.topic for c in choices if c.suitable}
    assert suitable == {"送电影上门《长津湖》", "居家剪纸"}
    assert not any(c.open for c in choices if c.activity.suits != "home")
    assert choices[0].liked and not choices[1].liked


def test_a_trip_is_never_signed_up_for_a_cadre_who_cannot_travel(cast, menu):
    items, home, _period = menu
    with pytest.raises(ValidationError, match="不适合"):
        menu_sign_up(by=cast.secretary, activity=items["trip"], cadre=home)
    with pytest.raises(ValidationError, match="不适合"):
        menu_sign_up(by=cast.secretary, activity=items["talk"], cadre=home)
    menu_sign_up(by=cast.secretary, activity=items["film"], cadre=home)
    assert SignUp.objects.filter(cadre=home).count() == 1


def test_the_capacity_is_enforced_and_a_second_tap_is_no_second_place(cast, menu):
    items, _home, _period = menu
    trip = items["trip"]
    first = menu_sign_up(by=cast.secretary, activity=trip, cadre=cast.cadre_a)
    assert menu_sign_up(by=cast.secretary, activity=trip, cadre=cast.cadre_a) == first
    menu_sign_up(by=cast.secretary, activity=trip, cadre=cast.cross)
    third = make_cadre(branch=cast.tree["branch_A"], name="孙满员")
    with pytest.raises(ValidationError, match="已满"):
        menu_sign_up(by=cast.secretary, activity=trip, cadre=third)
    assert trip.signups.count() == 2
    assert menu_withdraw(by=cast.secretary, activity=trip, cadre=cast.cross)
    menu_sign_up(by=cast.secretary, activity=trip, cadre=third)
    assert set(trip.signups.values_list("cadre__name", flat=True)) == {"张三丰", "孙满员"}


def test_only_the_cadres_own_menu_and_only_by_who_may_change_them(cast, menu):
    items, _home, _period = menu
    with pytest.raises(PermissionDenied):  # grid B's worker: not their cadre
        menu_sign_up(by=cast.grid_b, activity=items["talk"], cadre=cast.cadre_a)
    with pytest.raises(PermissionDenied):  # the leader reads only
        menu_sign_up(by=cast.leader, activity=items["talk"], cadre=cast.cadre_a)
    with pytest.raises(ValidationError, match="不在"):  # branch A's menu, a B cadre
        menu_sign_up(by=cast.officer, activity=items["talk"], cadre=cast.cadre_b)
    with pytest.raises(PermissionDenied):  # a branch secretary offers only for theirs
        offer_by = cast.secretary
        menu_offer(by=offer_by, unit=cast.tree["grid_A"],
                   kind=MeetingKind.objects.get(code="other"), topic="x",
                   starts_at=soon(), suits="nearby")  # fmt: skip


def test_meetings_are_not_offered_on_the_menu(cast):
    with pytest.raises(ValidationError):
        offer(cast, cast.tree["branch_A"], "主题党日", "nearby", kind="themed_party_day")


def test_a_sign_up_closes_when_the_activity_has_begun(cast):
    begun = offer(cast, cast.tree["branch_A"], "已开始", "nearby",
                  when=timezone.now() - datetime.timedelta(minutes=5))  # fmt: skip
    with pytest.raises(ValidationError, match="已经开始"):
        menu_sign_up(by=cast.secretary, activity=begun, cadre=cast.cadre_a)


@pytest.fixture
def quarter(cast):
    """A fixed second quarter: branch A has four members — 张三丰 came to the
    meeting, 王五常 (absent there) to the trip, 钱居家 took part at home, and 周未到
    was absent from the meeting, signed up for the trip and did not come."""
    tree = cast.tree
    branch = tree["branch_A"]
    home = make_cadre(branch=branch, name="钱居家", mobility=Mobility.HOME)
    idle = make_cadre(branch=branch, name="周未到")
    meeting_record(
        branch=branch, kind="themed_party_day", starts_at=at(D(2026, 5, 8)), topic="五月",
        statuses={cast.cadre_a.pk: S.PRESENT, cast.cross.pk: S.ABSENT, home.pk: S.UNABLE,
                  idle.pk: S.ABSENT},
    )  # fmt: skip
    trip = offer(cast, branch, "红色寻访", "travel", when=at(D(2026, 6, 2)), capacity=10)
    at_home = offer(cast, tree["grid_A"], "送学上门", "home", when=at(D(2026, 6, 9)))
    july = offer(cast, branch, "七月观影", "nearby", when=at(D(2026, 7, 3)))
    for activity, cadre in (
        (trip, cast.cross),
        (trip, idle),
        (at_home, home),
        (july, idle),
    ):
        SignUp.objects.create(activity=activity, cadre=cadre)
    menu_attendance(by=cast.secretary, activity=trip, came={cast.cross.pk})
    menu_attendance(by=cast.secretary, activity=at_home, came={home.pk})
    menu_attendance(by=cast.secretary, activity=july, came={idle.pk})  # next quarter
    return {"trip": trip, "home_study": at_home, "home": home, "idle": idle}


def test_took_part_in_nothing_this_quarter_on_a_fixed_data_set(cast, quarter):
    branch = cast.tree["branch_A"]
    assert [c.name for c in took_part_in_nothing(branch, Q2)] == ["周未到"]
    # In the third quarter only the July film was attended.
    q3 = [c.name for c in took_part_in_nothing(branch, parse_period("2026Q3"))]
    assert sorted(q3) == sorted(["张三丰", "王五常", "钱居家"])
    assert Attendance.objects.get(activity=quarter["home_study"]).status == S.AT_HOME
    assert (
        Attendance.objects.get(activity=quarter["trip"], cadre=quarter["idle"]).status
        == S.ABSENT
    )


def test_menu_attendance_does_not_count_in_meeting_participation(cast, quarter):
    from activities.selectors.partylife import participation_by_member

    rates = participation_by_member([cast.tree["branch_A"].pk], Q2)
    # Only the themed party day counts: 王五常 was absent there, the trip is not a meeting.
    assert rates[cast.cross.pk].took_part == 0


def test_uptake_by_suitability_and_per_branch(cast, quarter):
    activities = branch_menu(cast.tree["branch_A"], Q2)
    assert [a.topic for a in activities] == ["红色寻访", "送学上门"]
    rows = {u.suits: u for u in uptake_by_suits(activities)}
    assert (rows["travel"].offered, rows["travel"].places, rows["travel"].signed,
            rows["travel"].took_part) == (1, 10, 2, 1)  # fmt: skip
    assert (rows["home"].offered, rows["home"].places, rows["home"].took_part) == (
        1,
        None,
        1,
    )
    assert rows["nearby"].offered == 0
    per_branch = {r.branch.name: r for r in branches_uptake(cast.tree["township"], Q2)}
    a = per_branch["社区A党支部"]
    assert (a.offered, a.signed, a.took_part, a.members, a.nothing) == (1, 3, 2, 4, 1)
    b = per_branch["社区B党支部"]
    assert (b.offered, b.members, b.nothing) == (0, 1, 1)


def test_the_branch_page_and_its_export(client, cast, quarter):
    client.force_login(cast.secretary)
    url = reverse("menu:page") + f"?unit={cast.tree['branch_A'].pk}&period=2026Q2"
    page = client.get(url).content.decode()
    assert "红色寻访" in page and "送学上门" in page and "七月观影" not in page
    nothing = page.split('id="took-part-in-nothing"')[1].split("</ul>")[0]
    assert "周未到" in nothing and "张三丰" not in nothing
    response = client.get(url + "&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert [[c.value for c in r] for r in book["本季度未参加任何活动"].iter_rows()][1][
        0
    ] == "周未到"
    log = AccessLog.objects.get(object_type="menu")
    assert log.user == cast.secretary and log.action == "export"


def test_the_township_page_shows_each_branch(client, cast, quarter):
    client.force_login(cast.officer)
    url = reverse("menu:page") + f"?unit={cast.tree['township'].pk}&period=2026Q2"
    page = client.get(url).content.decode()
    assert 'id="branches-table"' in page and "社区A党支部" in page


def test_one_tap_sign_up_from_the_cadres_menu(client, cast, menu):
    items, home, period = menu
    client.force_login(cast.secretary)
    menu_url = reverse("menu:cadre", args=[home.pk]) + f"?period={period.label}"
    page = client.get(menu_url).content.decode()
    assert page.index("送电影上门") < page.index("参观嘉定")
    response = client.post(reverse("menu:signup", args=[items["film"].pk]),
                           {"cadre": home.pk})  # fmt: skip
    assert response.status_code == 302 and response.url.startswith(
        reverse("menu:cadre", args=[home.pk])
    )
    assert SignUp.objects.filter(activity=items["film"], cadre=home).exists()
    refused = client.post(reverse("menu:signup", args=[items["trip"].pk]), {"cadre": home.pk},
                          follow=True).content.decode()  # fmt: skip
    assert "不适合" in refused
    assert not SignUp.objects.filter(activity=items["trip"], cadre=home).exists()


def test_offering_on_the_page(client, cast):
    client.force_login(cast.secretary)
    when = soon(3)
    response = client.post(reverse("menu:page"), {
        "unit": cast.tree["branch_A"].pk, "kind": MeetingKind.objects.get(code="other").pk,
        "topic": "书法交流", "theme": Interest.CALLIGRAPHY, "day": f"{timezone.localtime(when):%Y-%m-%d}",
        "time": "14:30", "place": "活动室", "suits": "nearby", "capacity": "12",
    })  # fmt: skip
    assert response.status_code == 302
    activity = Activity.objects.get(topic="书法交流")
    assert (activity.suits, activity.capacity, activity.unit) == (
        "nearby",
        12,
        cast.tree["branch_A"],
    )
    bad = client.post(reverse("menu:page"), {
        "unit": cast.tree["branch_A"].pk, "kind": MeetingKind.objects.get(code="other").pk,
        "topic": "x", "day": "2026-02-30", "time": "25:00", "suits": "fly", "capacity": "0",
    })  # fmt: skip
    assert bad.status_code == 400
    assert Activity.objects.filter(topic="x").count() == 0


def test_attendance_on_the_activity_page(client, cast, menu):
    items, home, _period = menu
    client.force_login(cast.secretary)
    menu_sign_up(by=cast.secretary, activity=items["talk"], cadre=cast.cadre_a)
    page = client.get(reverse("menu:activity", args=[items["talk"].pk]))
    assert page.status_code == 200 and "张三丰" in page.content.decode()
    # Not yet begun: attendance waits.
    early = client.post(reverse("menu:activity", args=[items["talk"].pk]),
                        {"came": [cast.cadre_a.pk]})  # fmt: skip
    assert early.status_code == 400 and not Attendance.objects.exists()


@pytest.mark.parametrize(
    "who, status",
    [("outsider", 403), ("grid_b", 200), ("leader", 200), ("secretary", 200)],
)
def test_the_menu_page_by_cast(client, cast, who, status):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("menu:page")).status_code == status


def test_the_wrong_cast_member_is_refused(client, cast, menu):
    items, home, _period = menu
    client.force_login(cast.grid_b)
    assert client.get(reverse("menu:cadre", args=[home.pk])).status_code == 404
    assert (
        client.get(reverse("menu:activity", args=[items["talk"].pk])).status_code == 403
    )
    assert client.post(reverse("menu:signup", args=[items["film"].pk]),
                       {"cadre": home.pk}).status_code == 403  # fmt: skip
    client.force_login(cast.leader)  # reads, never writes
    assert client.get(reverse("menu:cadre", args=[home.pk])).status_code == 200
    assert client.post(reverse("menu:signup", args=[items["film"].pk]),
                       {"cadre": home.pk}).status_code == 403  # fmt: skip
    assert client.post(reverse("menu:page"), {"topic": "x"}).status_code == 403
    client.force_login(cast.outsider)
    assert (
        client.get(reverse("menu:activity", args=[items["talk"].pk])).status_code == 403
    )
    assert not SignUp.objects.exists()


def test_interests_are_a_dossier_field(client, cast):
    from members.services import cadre_update

    cadre_update(cadre=cast.cadre_a, interests=[Interest.CALLIGRAPHY, Interest.FILM])
    cast.cadre_a.refresh_from_db()
    assert cast.cadre_a.interest_labels() == ["书画", "观影"]
    client.force_login(cast.secretary)
    page = client.get(
        reverse("members:cadre_detail", args=[cast.cadre_a.pk])
    ).content.decode()
    assert "书画" in page and reverse("menu:cadre", args=[cast.cadre_a.pk]) in page
