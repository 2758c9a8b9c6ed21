"""A year of plausible life for the demo township: meetings and attendance, the
吴淞江 campaign, care visits of every kind, a hospitalization, check-ups, honours.

Built once: when the demo township already has activities, nothing is added, so
`load_demo` stays idempotent. Dates are anchored on the day it runs so the demo looks
current (overdue visits are overdue today); the choices are seeded, hence repeatable.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from activities.models import (
    Activity,
    ActivityKind,
    AttendanceStatus,
    HonourKind,
    HonourStatus,
    MeetingKind,
)
from activities.services import (
    attendance_proposal,
    honour_record,
    meeting_record,
    party_50_eligible,
    study_delivered,
)
from grids.models import OrgUnit, PartnerUnit, StaffAssignment, StaffRole, UnitKind
from members.models import Cadre, CadreStatus, LivingSituation
from members.services import cadre_update
from services.models import VisitKind, VisitOutcome
from services.services import (
    health_check_record,
    hospitalization_discharge,
    hospitalization_record,
    visit_log,
)

from .demo_admin import demo_party_admin
from .demo_campaigns import demo_campaign
from .demo_menu import demo_menu

# The branch that is visibly behind on 三会一课, and the one whose members seldom come.
LAGGING_BRANCH = "新华村党支部"
LOW_PARTICIPATION_BRANCH = "沙河村党支部"
# The cadre nobody has visited (chosen deterministically below).
NEVER_VISITED_INDEX = 7

TOPICS = [
    "学习党的二十届四中全会精神",
    "重温入党誓词",
    "学习习近平新时代中国特色社会主义思想",
    "观看党员教育电教片",
    "讨论社区养老服务需求",
    "学习《中国共产党纪律处分条例》",
    "七一座谈：老党员讲党史",
    "吴淞江北岸生态环境治理情况通报",
    "重阳节敬老座谈",
    "学习基层党组织工作条例",
]


def _aware(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _groups(rng: random.Random, branches, members_by_branch) -> dict[int, list]:
    """Members of the branches with party groups join them, in turn."""
    groups: dict[int, list] = {}
    for branch in branches:
        own = list(branch.children.filter(kind=UnitKind.PARTY_GROUP).order_by("lft"))
        if not own:
            continue
        groups[branch.pk] = own
        for i, cadre in enumerate(members_by_branch.get(branch.pk, [])):
            if cadre.status == CadreStatus.ACTIVE:
                cadre_update(cadre=cadre, party_group=own[i % len(own)])
    return groups


def _statuses(rng, proposal, low: bool) -> dict[int, str]:
    """Who came: the proposal's unable stay unable (study is delivered later)."""
    present = 0.45 if low else 0.74
    statuses = {}
    for p in proposal:
        if p.status == AttendanceStatus.UNABLE:
            continue
        roll = rng.random()
        statuses[p.cadre.pk] = (
            AttendanceStatus.PRESENT if roll < present
            else AttendanceStatus.ON_LEAVE if roll < present + 0.12
            else AttendanceStatus.REMOTE if roll < present + 0.16
            else AttendanceStatus.ABSENT
        )  # fmt: skip
    return statuses


def _meetings(
    rng: random.Random, today: datetime.date, branches, members_by_branch, workers
) -> None:
    """A year of meetings, recorded as a secretary records them: the expected list
    proposed on the day, the frail as unable, most of them reached at home later by
    a 送学上门 visit naming the meeting (the last weeks' still in the worker's queue)."""
    start = today - datetime.timedelta(days=365)
    groups = _groups(rng, branches, members_by_branch)
    kinds = {k.code: k for k in MeetingKind.objects.all()}
    for branch in branches:
        lagging = branch.name == LAGGING_BRANCH
        low = branch.name == LOW_PARTICIPATION_BRANCH
        months = [
            start.replace(day=1) + datetime.timedelta(days=31 * i) for i in range(12)
        ]
        plan: list[tuple[str, datetime.date, object]] = []
        for i, month in enumerate(months):
            day = month.replace(day=min(20, 28))
            if day > today:
                continue
            # 主题党日 monthly (the lagging branch held only five of them).
            if not lagging or i % 3 == 0 or i == 11:
                plan.append((ActivityKind.THEMED_PARTY_DAY, day, None))
            # 支部党员大会 quarterly (the lagging branch: one in the year).
            if i % 3 == 1 and (not lagging or i == 1):
                plan.append(
                    (ActivityKind.GENERAL_MEETING, day + datetime.timedelta(days=3), None)
                )
            # The yearly 组织生活会 and 民主评议党员, in January (not the lagging branch).
            if month.month == 1 and not lagging:
                plan.append(
                    (
                        ActivityKind.ORG_LIFE_MEETING,
                        day - datetime.timedelta(days=10),
                        None,
                    )
                )
                plan.append(
                    (
                        ActivityKind.DEMOCRATIC_REVIEW,
                        day - datetime.timedelta(days=9),
                        None,
                    )
                )
            # 远教直播课堂 once a quarter, 党课 once a quarter (not the lagging branch).
            if i % 3 == 2 and not lagging:
                plan.append(
                    (
                        ActivityKind.REMOTE_EDUCATION,
                        day - datetime.timedelta(days=6),
                        None,
                    )
                )
                plan.append(
                    (ActivityKind.PARTY_LECTURE, day - datetime.timedelta(days=3), None)
                )
            for group in groups.get(branch.pk, []):
                if day - datetime.timedelta(days=8) <= today:
                    plan.append(
                        (
                            ActivityKind.GROUP_MEETING,
                            day - datetime.timedelta(days=8),
                            group,
                        )
                    )
        worker = workers.get(branch.parent.name)
        for code, day, group in sorted(plan, key=lambda p: p[1]):
            if day > today:
                continue
            kind = kinds[code]
            proposal = attendance_proposal(branch, kind, day, group)
            activity = meeting_record(
                branch=branch, kind=kind, party_group=group, starts_at=_aware(day),
                topic=kind.name if code == ActivityKind.GROUP_MEETING else rng.choice(TOPICS),
                place=f"{branch.parent.name}党群服务站", host=f"{branch.name}书记",
                recorder="支部组织委员",
                duration_minutes=90 if kind.study_hours else None,
                statuses=_statuses(rng, proposal, low),
            )  # fmt: skip
            owed = [p.cadre for p in proposal if p.status == AttendanceStatus.UNABLE]
            recent = (today - day).days <= 21
            reached = [c for c in owed if not recent and rng.random() < 0.8]
            if (today - day).days > 120:
                # Older records came from the paper 台账: marked, without visits.
                study_delivered(activity=activity, cadre_ids=[c.pk for c in reached])
                continue
            for cadre in reached:
                on = min(today, day + datetime.timedelta(days=rng.randint(2, 12)))
                if cadre.archived_on and cadre.archived_on < on:
                    continue  # died or moved away before the study could be delivered
                visit_log(
                    cadres=[cadre], kinds=[VisitKind.STUDY], by=worker, visited_on=on,
                    meeting=activity, notes=f"送学上门：{activity.topic}",
                )  # fmt: skip


def _tier_interval(cadre: Cadre, today: datetime.date) -> int:
    alone = cadre.living_situation in (LivingSituation.ALONE, LivingSituation.EMPTY_NEST)
    if (cadre.age(today) >= 80 and alone) or cadre.critically_ill:
        return 14
    if cadre.category == "lixiu" or cadre.disabled_or_cognitive or cadre.in_hardship:
        return 35
    return 80


def _visits(rng, today, cadres, workers, partners) -> None:
    kinds = list(VisitKind.values)
    active = [c for c in cadres if c.status == CadreStatus.ACTIVE]
    never = active[NEVER_VISITED_INDEX]
    overdue = set(rng.sample([c.pk for c in active if c.pk != never.pk], 10))
    done_households: set[int] = set()
    for cadre in cadres:
        if cadre.pk == never.pk:
            continue
        if cadre.household_id:
            if cadre.household_id in done_households:
                continue
            done_households.add(cadre.household_id)
            group = [c for c in cadres if c.household_id == cadre.household_id]
        else:
            group = [cadre]
        interval = _tier_interval(cadre, today)
        # Overdue cadres have not been seen for a good while.
        last = today - datetime.timedelta(
            days=rng.randint(120, 200)
            if cadre.pk in overdue
            else rng.randint(0, interval)
        )
        day = last
        first_day = today - datetime.timedelta(days=365)
        if cadre.status == CadreStatus.ARCHIVED:
            day = min(day, cadre.archived_on)
        while day >= first_day:
            visit_kinds = [rng.choice(kinds)]
            if rng.random() < 0.3:
                visit_kinds.append(rng.choice(kinds))
            partner = None
            if VisitKind.HOME_ROUNDS in visit_kinds or VisitKind.MEDICAL in visit_kinds:
                partner = partners.get("社区卫生服务中心")
            elif cadre.residence_unit.name == "绿一社区" and rng.random() < 0.3:
                partner = partners.get("上海造币有限公司冲光班组")
            worker = workers.get(cadre.residence_unit.name)
            visit_log(
                cadres=group,
                kinds=visit_kinds,
                visited_on=day,
                outcome=VisitOutcome.NOT_AT_HOME
                if rng.random() < 0.08
                else VisitOutcome.MET,
                visitors=[worker] if worker else [],
                partner=partner,
                partner_staff="家庭医生 张医生"
                if partner and partner.name == "社区卫生服务中心"
                else "",
                notes=rng.choice(
                    ["身体状况良好", "精神不错，关心时事", "血压偏高，已提醒按时服药", ""]
                ),
                by=worker,
                **(
                    {
                        "follow_up": "联系家属安装扶手",
                        "follow_up_due": day + datetime.timedelta(days=14),
                    }
                    if rng.random() < 0.04
                    else {}
                ),
            )
            day -= datetime.timedelta(days=max(3, int(interval * rng.uniform(0.7, 1.6))))


def _health(rng, today, cadres, partners) -> None:
    centre = partners.get("社区卫生服务中心")
    for i, cadre in enumerate(cadres):
        if cadre.status == CadreStatus.ARCHIVED:
            continue
        # Most had a check-up within the year; every seventh is overdue.
        latest = today - datetime.timedelta(
            days=rng.randint(380, 480) if i % 7 == 3 else rng.randint(10, 330)
        )
        for day in (latest - datetime.timedelta(days=rng.randint(350, 380)), latest):
            systolic = rng.randint(115, 165)
            health_check_record(
                cadre=cadre,
                checked_on=day,
                provider="社区卫生服务中心家庭医生团队"
                if cadre.residence_unit.name == "金桥社区"
                else "镇社区卫生服务中心",
                partner=centre if cadre.residence_unit.name == "金桥社区" else None,
                systolic=systolic,
                diastolic=rng.randint(65, min(100, systolic - 20)),
                fasting_glucose=Decimal(rng.randint(45, 95)) / 10,
                height_cm=Decimal(rng.randint(150, 178)),
                weight_kg=Decimal(rng.randint(45, 80)),
                findings=rng.choice(
                    ["未见明显异常", "血压偏高", "血糖偏高", "轻度骨质疏松"]
                ),
                advice=rng.choice(
                    ["低盐饮食，适量运动", "按时服药，定期复查", "注意防跌倒"]
                ),
            )


def _honours(today, cadres) -> None:
    eligible = [
        c
        for c in cadres
        if c.status == CadreStatus.ACTIVE and party_50_eligible(c, today.year - 1)
    ]
    for cadre in eligible[:5]:
        honour_record(
            cadre=cadre,
            kind=HonourKind.PARTY_50_YEARS,
            year=today.year - 1,
            status=HonourStatus.AWARDED,
            awarded_on=datetime.date(today.year - 1, 6, 28),
            awarding_body="中共XX区委",
            level="district",
        )
    declined = eligible[5:6]
    for cadre in declined:
        honour_record(
            cadre=cadre,
            kind=HonourKind.PARTY_50_YEARS,
            year=today.year - 1,
            status=HonourStatus.DECLINED,
            note="本人表示身体原因不参加颁发仪式",
        )
    for cadre in eligible[6:9]:
        honour_record(
            cadre=cadre,
            kind=HonourKind.OUTSTANDING_MEMBER,
            year=today.year - 1,
            status=HonourStatus.AWARDED,
            awarded_on=datetime.date(today.year - 1, 7, 1),
            awarding_body="中共XX镇委员会",
            level="township",
        )


def load_demo_life(township: OrgUnit, seed: int = 2026) -> None:
    # Re-read: the caller's instance has stale tree columns after the inserts.
    township = OrgUnit.objects.get(pk=township.pk)
    if Activity.objects.filter(
        unit__tree_id=township.tree_id,
        unit__lft__gte=township.lft,
        unit__rght__lte=township.rght,
    ).exists():
        return
    rng = random.Random(seed)
    today = timezone.localdate()
    subtree = township.get_descendants(include_self=True)
    branches = list(subtree.filter(kind=UnitKind.BRANCH).select_related("parent"))
    cadres = list(
        Cadre.objects.filter(residence_unit__in=subtree)
        .select_related("residence_unit", "branch")
        .order_by("pk")
    )
    members_by_branch: dict[int, list[Cadre]] = {}
    for cadre in cadres:
        if cadre.branch_id:
            members_by_branch.setdefault(cadre.branch_id, []).append(cadre)
    workers = {
        a.unit.name: a.user
        for a in StaffAssignment.objects.filter(
            role=StaffRole.COMMUNITY_WORKER
        ).select_related("unit", "user")
    }
    partners = {p.name: p for p in PartnerUnit.objects.all()}

    _meetings(rng, today, branches, members_by_branch, workers)
    demo_campaign(rng, today, township, cadres, workers)
    demo_menu(today, branches, members_by_branch, workers, partners)
    officer = StaffAssignment.objects.filter(role=StaffRole.TOWNSHIP_OFFICER).first()
    demo_party_admin(today, township, branches, members_by_branch,
                     officer.user if officer else None)  # fmt: skip
    _visits(rng, today, cadres, workers, partners)
    _health(rng, today, cadres, partners)
    # One cadre in hospital now, one discharged last month.
    in_hospital = next(
        c for c in cadres if c.status == CadreStatus.ACTIVE and c.age(today) >= 85
    )
    hospitalization_record(
        cadre=in_hospital,
        admitted_on=today - datetime.timedelta(days=2),
        hospital="区中心医院",
    )
    back_home = next(
        c
        for c in cadres
        if c.status == CadreStatus.ACTIVE and c.age(today) >= 80 and c != in_hospital
    )
    stay = hospitalization_record(
        cadre=back_home,
        admitted_on=today - datetime.timedelta(days=40),
        hospital="区中心医院",
    )
    hospitalization_discharge(
        hospitalization=stay, discharged_on=today - datetime.timedelta(days=30)
    )
    _honours(today, cadres)
