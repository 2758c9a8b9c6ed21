"""The demo township's activity menu (活动菜单, issue 20): this quarter's menu for two
branches — a trip, a health talk a partner gives, a film brought home, handicraft, a
collective political birthday, a phone lesson at home — and one from their grid; the
cadres' interests; sign-ups, and who came to what has already taken place."""

import datetime
import random

from django.utils import timezone

from activities.models import (
    Activity,
    Attendance,
    AttendanceStatus,
    SignUp,
    Suits,
)
from activities.periods import current_quarter
from activities.selectors.menu import suits_cadre
from activities.services.meetings import activity_counts_refresh
from members.models import Cadre, CadreStatus, Interest

# (topic, kind, suits, theme, capacity, day of the quarter, place)
BRANCH_MENU = (
    ("参观嘉定革命历史陈列馆", "other", Suits.TRAVEL, Interest.RED_SITES, 15, 12, "嘉定区"),
    ("冬季养生健康讲座", "other", Suits.NEARBY, Interest.HEALTH, None, 25, "社区活动室"),
    ("送电影上门《长津湖》", "other", Suits.HOME, Interest.FILM, None, 40, "干部家中"),
    ("剪纸手工坊", "other", Suits.NEARBY, Interest.HANDICRAFT, 12, 55, "社区活动室"),
    ("集体过政治生日", "collective_birthday", Suits.NEARBY, Interest.GATHERING, None, 70,
     "党群服务站"),
    ("智能手机使用入户教学", "other", Suits.HOME, Interest.DIGITAL, 8, 80, "干部家中"),
)  # fmt: skip
GRID_MENU = (
    "书画交流笔会",
    "other",
    Suits.NEARBY,
    Interest.CALLIGRAPHY,
    20,
    33,
    "网格服务站",
)


def demo_menu(
    today: datetime.date, branches, members_by_branch, workers, partners
) -> None:
    rng = random.Random(31)
    quarter = current_quarter(today)
    # The two branches with the most members (by name on a tie): a full menu each.
    chosen = sorted(
        branches, key=lambda b: (-len(members_by_branch.get(b.pk, [])), b.name)
    )[:2]
    partner = partners[min(partners)] if partners else None
    _interests(rng, [c for b in chosen for c in members_by_branch.get(b.pk, [])])
    for branch in chosen:
        worker = workers.get(branch.parent.name) or next(iter(workers.values()), None)
        members = [
            c
            for c in members_by_branch.get(branch.pk, [])
            if c.status == CadreStatus.ACTIVE
        ]
        for topic, kind, suits, theme, capacity, day, place in BRANCH_MENU:
            offered_by = partner if theme == Interest.HEALTH else None
            activity = _offer(branch, quarter, topic, kind, suits, theme, capacity, day,
                              place, worker, offered_by)  # fmt: skip
            _sign_up(rng, activity, members, worker)
    grid = chosen[0].parent.parent if chosen and chosen[0].parent else None
    if grid is not None:
        activity = _offer(grid, quarter, *GRID_MENU[:6], GRID_MENU[6], None, None)
        members = [
            c
            for b in chosen
            if b.parent.parent_id == grid.pk
            for c in members_by_branch.get(b.pk, [])
            if c.status == CadreStatus.ACTIVE
        ]
        _sign_up(rng, activity, members, None)


def _interests(rng: random.Random, cadres) -> None:
    themes = list(Interest.values)
    for cadre in cadres:
        cadre.interests = rng.sample(themes, rng.choice([0, 1, 1, 2]))
    Cadre.objects.bulk_update(cadres, ["interests"])


def _offer(unit, quarter, topic, kind, suits, theme, capacity, day, place, worker,
           offered_by) -> Activity:  # fmt: skip
    on = min(quarter.start + datetime.timedelta(days=day), quarter.end)
    return Activity.objects.create(
        kind_id=kind, unit=unit, topic=topic, place=place, suits=suits, theme=theme,
        capacity=capacity, offered_by=offered_by, duration_minutes=90, created_by=worker,
        starts_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(9, 30))),
    )  # fmt: skip


def _sign_up(rng: random.Random, activity: Activity, members, worker) -> None:
    """Sign up some of the members it suits (the ones who like its theme first),
    within its capacity; record who came once it has taken place."""
    suitable = [c for c in members if suits_cadre(activity.suits, c.mobility)]
    suitable.sort(key=lambda c: (activity.theme not in (c.interests or ()), rng.random()))
    room = activity.capacity or len(suitable)
    chosen = suitable[: min(room, max(1, len(suitable) * 2 // 3))]
    SignUp.objects.bulk_create(
        [SignUp(activity=activity, cadre=c, created_by=worker) for c in chosen]
    )
    if activity.starts_at >= timezone.now():
        return
    took = (
        AttendanceStatus.AT_HOME
        if activity.suits == Suits.HOME
        else AttendanceStatus.PRESENT
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                activity=activity, cadre=c,
                # A cadre at home only is there when it comes to their door.
                status=took if rng.random() < 0.85 or c.mobility == Suits.HOME
                else AttendanceStatus.ABSENT,
            )
            for c in chosen
        ]
    )  # fmt: skip
    activity_counts_refresh([activity])
