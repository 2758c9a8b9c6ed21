"""The demo township of the report (XX镇), built deterministically and idempotently.

Everything is keyed on natural keys (unit name under its parent, ID number,
username), so running `load_demo` twice changes no counts.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from activities.models import Activity
from activities.standard import ensure_standard_kinds
from grids.models import (
    Frequency,
    OrgUnit,
    Pairing,
    PairingService,
    PartnerKind,
    PartnerUnit,
    ServiceKind,
    StaffAssignment,
    StaffRole,
    UnitKind,
)
from grids.services import orgunit_create
from members.models import (
    Cadre,
    Household,
    RankLevel,
)
from members.services import cadre_archive, cadre_create, cadre_transfer
from services.models import CareVisit
from services.reminders.scan import reminders_scan

from .demo_cadres import RANKS, cadre_specs
from .demo_life import load_demo_life
from .demo_points import load_demo_points
from .demo_portal import load_demo_portal

DEMO_PASSWORD = "Demo-2026"
TOWNSHIP = "XX镇"
TOWNSHIP_CODE = "310114103000"

# grid -> [(name, kind, code)]
GRIDS = {
    "第一网格": [
        ("金桥社区", UnitKind.COMMUNITY, "310114103001"),
        ("绿一社区", UnitKind.COMMUNITY, "310114103002"),
        ("幸福村", UnitKind.VILLAGE, "310114103201"),
    ],
    "第二网格": [
        ("嘉星社区", UnitKind.COMMUNITY, "310114103003"),
        ("嘉华社区", UnitKind.COMMUNITY, "310114103004"),
        ("沙河村", UnitKind.VILLAGE, "310114103202"),
    ],
    "第三网格": [
        ("华庄村", UnitKind.VILLAGE, "310114103203"),
        ("红光村", UnitKind.VILLAGE, "310114103204"),
        ("新华村", UnitKind.VILLAGE, "310114103205"),
    ],
}
PARTY_GROUPS = {
    "金桥社区党支部": ["第一党小组", "第二党小组"],
    "红光村党支部": ["第一党小组"],
}


# username -> (role, unit name, is_superuser)
USERS = {
    "admin": (StaffRole.ADMINISTRATOR, TOWNSHIP, True),
    "township": (StaffRole.TOWNSHIP_OFFICER, TOWNSHIP, False),
    "leader": (StaffRole.LEADER, TOWNSHIP, False),
    "grid1": (StaffRole.GRID_WORKER, "第一网格", False),
    "grid2": (StaffRole.GRID_WORKER, "第二网格", False),
    "jinqiao": (StaffRole.COMMUNITY_WORKER, "金桥社区", False),
    "xingfu": (StaffRole.COMMUNITY_WORKER, "幸福村", False),
    "secretary": (StaffRole.BRANCH_SECRETARY, "金桥社区党支部", False),
}
USER_NAMES = {
    "admin": "系统管理员",
    "township": "组织科 周敏",
    "leader": "镇领导 陈建华",
    "grid1": "第一网格 网格长 陆晓东",
    "grid2": "第二网格 网格长 钱丽",
    "jinqiao": "金桥社区 党务工作者 沈佳",
    "xingfu": "幸福村 党务工作者 顾伟",
    "secretary": "金桥社区党支部 书记 朱国平",
}


def _unit(name: str, kind: str, parent: OrgUnit | None, code: str | None) -> OrgUnit:
    existing = OrgUnit.objects.filter(parent=parent, name=name).first()
    if existing:
        return existing
    return orgunit_create(name=name, kind=kind, parent=parent, code=code)


def _build_tree() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    township = _unit(TOWNSHIP, UnitKind.TOWNSHIP, None, TOWNSHIP_CODE)
    units[TOWNSHIP] = township
    for grid_name, places in GRIDS.items():
        grid = _unit(grid_name, UnitKind.GRID, township, None)
        units[grid_name] = grid
        for name, kind, code in places:
            place = _unit(name, kind, grid, code)
            units[name] = place
            branch_name = f"{name}党支部"
            branch = _unit(branch_name, UnitKind.BRANCH, place, None)
            units[branch_name] = branch
            for group in PARTY_GROUPS.get(branch_name, []):
                _unit(group, UnitKind.PARTY_GROUP, branch, None)
    return units


def _build_partners(units: dict[str, OrgUnit]) -> None:
    partners = [
        (
            "社区卫生服务中心",
            PartnerKind.INSTITUTIONAL,
            "家庭医生服务团队上门为老干部检查身体",
            None,
            "金桥社区",
            [
                (ServiceKind.MEDICAL, Frequency.YEARLY, 1, "上门体检"),
                (ServiceKind.HOME_ROUNDS, Frequency.MONTHLY, 1, "家庭巡诊，高龄老人优先"),
            ],
        ),
        (
            "上海造币有限公司冲光班组",
            PartnerKind.REGIONAL,
            "结对关爱独居老干部，共同照顾",
            None,
            "绿一社区",
            [(ServiceKind.CARE_PAIRING, Frequency.WEEKLY, 1, "结对关爱独居老干部")],
        ),
        (
            "沙河村村民委员会",
            PartnerKind.VILLAGE_COMMUNITY,
            "村居联动，协调动迁村民、社区居民事宜",
            "沙河村",
            "嘉星社区",
            [(ServiceKind.JOINT_ACTIVITY, Frequency.QUARTERLY, 1, "村居联席会议")],
        ),
        (
            "康德莱集团",
            PartnerKind.NEW_ORGANIZATION,
            "为离退休干部提供生日蛋糕；康复培训中心组织护理培训",
            None,
            "嘉华社区",
            [
                (ServiceKind.GREETINGS, Frequency.MONTHLY, 1, "集体生日蛋糕"),
                (ServiceKind.TRAINING, Frequency.QUARTERLY, 1, "康复、护理培训"),
            ],
        ),
    ]
    for name, kind, description, linked, paired_with, services in partners:
        partner, _ = PartnerUnit.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "description": description,
                "contact_person": {"社区卫生服务中心": "张医生"}.get(name, "联络员"),
                "phone": "021-5999" + str(1000 + len(name)),
                "linked_unit": units.get(linked) if linked else None,
            },
        )
        pairing, created = Pairing.objects.get_or_create(
            partner=partner,
            unit=units[paired_with],
            defaults={"start_on": datetime.date(2019, 1, 1)},
        )
        if created:
            for service_kind, frequency, times, notes in services:
                PairingService.objects.create(
                    pairing=pairing,
                    kind=service_kind,
                    frequency=frequency,
                    times_per_period=times,
                    notes=notes,
                )


def _build_users(units: dict[str, OrgUnit]) -> None:
    User = get_user_model()
    for username, (role, unit_name, superuser) in USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": USER_NAMES[username],
                "is_staff": superuser,
                "is_superuser": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        StaffAssignment.objects.get_or_create(user=user, unit=units[unit_name], role=role)


def _build_cadres(units: dict[str, OrgUnit]) -> None:
    existing = set(Cadre.objects.values_list("id_number", flat=True))
    for spec in cadre_specs(GRIDS):
        fields = dict(spec.fields)
        # The demo township's roster was first entered then (coverage counts from it).
        fields.setdefault("on_roster_since", datetime.date(2020, 1, 1))
        if fields["id_number"] in existing:
            continue
        fields["residence_unit"] = units[fields["residence_unit"]]
        if fields.get("branch"):
            # A transfer in the history starts from the original branch.
            fields["branch"] = units[fields["branch"]]
        if spec.household_key:
            fields["household"], _ = Household.objects.get_or_create(
                address=spec.household_key
            )
        cadre = cadre_create(family_contacts=spec.contacts, **fields)
        if spec.transfer_to:
            cadre_transfer(
                cadre=cadre,
                to_branch=units[spec.transfer_to],
                on=datetime.date(2024, 5, 20),
                note="动迁后转入居住地社区党支部",
            )
        if spec.archive:
            cadre_archive(cadre=cadre, **spec.archive)


@transaction.atomic
def load_demo() -> dict[str, int]:
    ensure_standard_kinds()  # after a flush, the migration's rows are gone
    for order, name in enumerate(RANKS, start=1):
        RankLevel.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    units = _build_tree()
    _build_partners(units)
    _build_users(units)
    _build_cadres(units)
    load_demo_life(units[TOWNSHIP])
    load_demo_points(OrgUnit.objects.get(pk=units[TOWNSHIP].pk))
    load_demo_portal(units[TOWNSHIP])
    # Today's reminders, as the daily scan makes them: a demo login finds its inbox
    # filled without running another command.
    reminders = sum(reminders_scan().values())
    return {
        "units": OrgUnit.objects.count(),
        "partners": PartnerUnit.objects.count(),
        "cadres": Cadre.objects.count(),
        "activities": Activity.objects.count(),
        "visits": CareVisit.objects.count(),
        "users": get_user_model().objects.count(),
        "reminders": reminders,
    }
