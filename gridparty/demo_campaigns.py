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
