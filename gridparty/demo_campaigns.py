"""The demo township's work with its cadres (issue 20): the report's 吴淞江 campaign
with its three roles, who serves and their weekly service."""

import datetime
import random
from decimal import Decimal

from activities.models import CampaignEntry, RoleKind
from activities.services import campaign_create, campaign_service_add
from grids.models import OrgUnit
from members.models import CadreStatus, Mobility


def demo_campaign(
    rng: random.Random, today: datetime.date, township: OrgUnit, cadres, workers
) -> None:
    campaign = campaign_create(
        name="吴淞江北岸生态环境综合治理",
        unit=township,
        start_on=today - datetime.timedelta(days=300),
        description="老干部参与前期调查摸底、宣传发动和拆违巩固阶段的督导巡查。",
        roles=["调查摸底", "宣传发动", "督导巡查"],
    )
    villages = {"幸福村", "沙河村", "华庄村"}
    able = [
        c
        for c in cadres
        if c.residence_unit.name in villages
        and c.status == CadreStatus.ACTIVE
        and c.mobility == Mobility.TRAVEL
        and c.age(today) < 80
    ]
    kinds = (RoleKind.SURVEY, RoleKind.PUBLICITY, RoleKind.PATROL)
    for order, role in enumerate(campaign.roles.all()):
        role.kind = kinds[order]
        role.needs = (
            Mobility.TRAVEL if kinds[order] == RoleKind.PATROL else Mobility.NEARBY
        )
        role.save(update_fields=["kind", "needs"])
        begin = campaign.start_on + datetime.timedelta(days=90 * order)
        for cadre in rng.sample(able, min(4, len(able))):
            service = campaign_service_add(
                role=role,
                cadre=cadre,
                start_on=begin,
                end_on=None if order == 2 else begin + datetime.timedelta(days=80),
            )
            worker = workers.get(cadre.residence_unit.name) or next(
                iter(workers.values()), None
            )
            _service_entries(service, today, worker)
    _patrols(campaign, today, workers)
    _talents(cadres, today, workers)
    _requests(cadres, workers)


# What each role's service was, as a worker logs it.
DONE = {
    RoleKind.SURVEY: ["入户调查沿河住户", "核对违建点位", "整理摸底台账"],
    RoleKind.PUBLICITY: ["上门宣传政策", "在村务公开栏张贴通告", "召开户主会"],
    RoleKind.PATROL: ["沿河督导巡查", "复查拆违点位", "巡查河岸垃圾"],
}


def _service_entries(service, today: datetime.date, worker) -> None:
    """Weekly entries over the service's period (its own draw: the rest of the demo
    keeps its numbers)."""
    if worker is None:
        return
    rng = random.Random(service.pk)
    end = min(service.end_on or today, today)
    day = service.start_on + datetime.timedelta(days=rng.randint(0, 6))
    entries = []
    while day <= end:
        entries.append(CampaignEntry(
            service=service, on=day, hours=Decimal(rng.choice(["1.5", "2", "2.5", "3"])),
            done=rng.choice(DONE[service.role.kind]), recorded_by=worker,
        ))  # fmt: skip
        day += datetime.timedelta(days=rng.choice([6, 7, 7, 8, 14]))
    CampaignEntry.objects.bulk_create(entries)


SPOTS = ["北岸 1 号闸至 3 号闸", "北岸 3 号闸至 5 号闸", "幸福村河埠头", "沙河村段步道",
         "华庄村排涝站"]  # fmt: skip


def _patrols(campaign, today: datetime.date, workers) -> None:
    """A month of the patrol team's patrols (ten), logged by a worker of the village
    where the members live, with two findings: one closed, one still open."""
    from django.utils import timezone

    from grids.models import StaffAssignment, StaffRole
    from members.selectors import can_edit_cadre
    from services.models import FindingKind
    from services.patrols import patrol_team
    from services.services.patrols import finding_update, patrol_log

    team = list(patrol_team(campaign))
    officer = (
        StaffAssignment.objects.filter(role=StaffRole.TOWNSHIP_OFFICER)
        .select_related("user").first()
    )  # fmt: skip
    if not team or officer is None:
        return
    rng = random.Random(19)  # the same patrols on every database
    findings = [
        (FindingKind.GARBAGE, "河岸堆放建筑垃圾约两方", "村委会"),
        (FindingKind.BUILDING, "北岸新搭彩钢棚一处，疑似违建", "镇城管中队"),
    ]
    logged = []
    for days_ago in range(28, 0, -3):
        members = rng.sample(team, min(2, len(team)))
        # The members' village worker logs it, or the township's officer.
        worker = workers.get(members[0].residence_unit.name) or officer.user
        kind, notes, passed_to = (
            findings[len(logged)]
            if len(logged) < len(findings)
            else (FindingKind.NONE, "", "")
        )
        when = datetime.datetime.combine(today - datetime.timedelta(days=days_ago),
                                         datetime.time(8 + rng.randint(0, 2), 30))  # fmt: skip
        logged.append(patrol_log(
            by=worker, campaign=campaign, patrolled_at=timezone.make_aware(when),
            place=rng.choice(SPOTS), finding_kind=kind, notes=notes, passed_to=passed_to,
            members=[m for m in members if can_edit_cadre(worker, m)],
        ))  # fmt: skip
    if logged:
        finding_update(by=logged[0].recorded_by, patrol=logged[0], close=True,
                       resolution="已组织清运，复查无反弹",
                       closed_on=timezone.localtime(logged[0].patrolled_at).date()
                       + datetime.timedelta(days=2))  # fmt: skip


def _talents(cadres, today: datetime.date, workers) -> None:
    """A talent pool: one cadre in four under 85 has one or two skills, confirmed by
    their community's worker some time this year (a few a year ago or more)."""
    from members.models import STANDARD_SKILLS, Skill, Talent

    # The standard skills (a migration adds them; a flushed test database has none).
    skills = [
        Skill.objects.get_or_create(name=name, defaults={"sort_order": order * 10})[0]
        for order, name in enumerate(STANDARD_SKILLS)
    ]
    rng = random.Random(20)
    talents = []
    anyone = next(iter(workers.values()), None)
    for cadre in cadres:
        worker = workers.get(cadre.residence_unit.name) or anyone
        if (
            cadre.status != CadreStatus.ACTIVE
            or cadre.age(today) >= 85
            or rng.random() > 1 / 4
        ):
            continue
        for skill in rng.sample(skills, rng.choice([1, 1, 2])):
            talents.append(Talent(
                cadre=cadre, skill=skill, willing=rng.random() > 0.1,
                confirmed_on=today - datetime.timedelta(days=rng.randint(10, 420)),
                confirmed_by=worker,
            ))  # fmt: skip
    Talent.objects.bulk_create(talents, ignore_conflicts=True)


def _requests(cadres, workers) -> None:
    """Three requests in different states: one just recorded, one assigned to a cadre
    of the talent pool, one done by a partner unit."""
    from grids.models import PartnerUnit, StaffAssignment, StaffRole
    from members.models import Talent
    from services.services.requests import request_create, request_move

    officer = (
        StaffAssignment.objects.filter(role=StaffRole.TOWNSHIP_OFFICER)
        .select_related("user").first()
    )  # fmt: skip
    partner = PartnerUnit.objects.order_by("pk").first()
    talent = Talent.objects.filter(willing=True).select_related("cadre").first()
    people = [c for c in cadres if c.status == CadreStatus.ACTIVE
              and workers.get(c.residence_unit.name)][:3]  # fmt: skip
    if officer is None or partner is None or talent is None or len(people) < 3:
        return
    officer = officer.user
    needs = [("ride", "下周二去区中心医院复查，需要有人陪同"), ("home_help", "卫生间扶手松动，需要维修"),
             ("lecture", "想听一次防诈骗讲座")]  # fmt: skip
    made = [
        request_create(
            by=workers[c.residence_unit.name], unit=None, cadre=c, kind=kind, need=need
        )  # fmt: skip
        for c, (kind, need) in zip(people, needs, strict=True)
    ]
    request_move(by=officer, request=made[1], status="assigned", partner=partner)
    request_move(by=workers[people[1].residence_unit.name], request=made[1], status="done",
                 partner_person="王师傅", note="扶手已重新固定")  # fmt: skip
    request_move(by=officer, request=made[2], status="assigned", cadre=talent.cadre)
