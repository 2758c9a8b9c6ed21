"""The demo township of the report (XX镇), built deterministically and idempotently.

Everything is keyed on natural keys (unit name under its parent, ID number,
username), so running `load_demo` twice changes no counts.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from activities.models import Activity
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
from members.dates import DatePrecision
from members.idnumbers import check_character
from members.models import (
    ArchiveReason,
    Cadre,
    Category,
    Household,
    LivingSituation,
    LixiuPeriod,
    MemberStatus,
    RankLevel,
)
from members.services import cadre_archive, cadre_create, cadre_transfer
from services.models import CareVisit

from .demo_life import load_demo_life

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

RANKS = ["正局级", "副局级", "正处级", "副处级", "正科级", "副科级", "科员", "办事员"]

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

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏顾毛龚邵钱严戴孔汤"
)
MALE_GIVEN = [
    "建国", "国华", "志刚", "文明", "德明", "永康", "福生", "根宝", "金龙", "家富",
    "振华", "宝根", "卫东", "庆余", "伟民", "荣华", "启明", "洪涛", "国强", "雪根",
    "正祥", "鸿昌", "耀祖", "兴发", "品元",
]  # fmt: skip
FEMALE_GIVEN = [
    "秀英", "桂英", "玉兰", "凤英", "素珍", "美华", "月娥", "慧芳", "丽华", "雅琴",
    "红梅", "金妹", "彩凤", "淑芬", "翠英", "惠珍", "爱华", "佩芳", "招娣", "杏妹",
]  # fmt: skip
RELATIONS = ["儿子", "女儿", "配偶", "儿媳", "女婿", "侄子", "外甥女", "孙子"]
WORK_UNITS = [
    "XX镇人民政府", "XX镇社区事务受理服务中心", "区教育局", "区卫生健康委员会",
    "XX中学", "XX镇农业服务中心", "区供销合作社", "区水务局", "XX镇财政所",
    "上海XX机械厂", "区人民法院", "XX镇派出所",
]  # fmt: skip
ROADS = ["金沙路", "嘉星路", "华庄路", "吴淞江路", "幸福路", "红光路", "新华路", "绿一街"]
ADDRESS_CODES = ["310114", "310114", "310114", "310229", "320583", "310110"]


@dataclass
class CadreSpec:
    fields: dict
    contacts: list[dict] = field(default_factory=list)
    archive: dict | None = None
    transfer_to: str | None = None
    household_key: str | None = None


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}"


def _id_number(rng: random.Random, birth: datetime.date, male: bool, used: set) -> str:
    while True:
        seq = rng.randint(0, 499) * 2 + (1 if male else 0)
        first17 = f"{rng.choice(ADDRESS_CODES)}{birth:%Y%m%d}{seq:03d}"
        number = first17 + check_character(first17)
        if number not in used:
            used.add(number)
            return number


def _date(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))


def cadre_specs(seed: int = 2026) -> list[CadreSpec]:
    """The ~150 demo cadres, the same for the same seed."""
    rng = random.Random(seed)
    used: set[str] = set()
    specs: list[CadreSpec] = []
    places = [(name, kind) for units in GRIDS.values() for name, kind, _code in units]
    for place, kind in places:
        count = 17 if kind == UnitKind.COMMUNITY else 16
        for i in range(count):
            # 离休 cadres live in communities and are 90+ (DOMAIN.md).
            lixiu = kind == UnitKind.COMMUNITY and i < 2
            male = rng.random() < 0.6
            if lixiu:
                birth = _date(rng, rng.randint(1925, 1933))
            else:
                birth = _date(rng, rng.randint(1931, 1965))
            age = 2026 - birth.year
            member = lixiu or rng.random() < 0.88
            fields: dict = {
                "name": rng.choice(SURNAMES)
                + rng.choice(MALE_GIVEN if male else FEMALE_GIVEN),
                "id_number": _id_number(rng, birth, male, used),
                "phone": _phone(rng) if rng.random() < 0.8 else "",
                "address": f"{place}{rng.choice(ROADS)}{rng.randint(1, 300)}号"
                f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室",
                "category": Category.LIXIU if lixiu else Category.TUIXIU,
                "residence_unit": place,
                "original_work_unit": rng.choice(WORK_UNITS),
                "is_party_member": member,
            }
            if lixiu:
                fields["lixiu_period"] = (
                    LixiuPeriod.ANTI_JAPANESE_WAR
                    if birth.year <= 1927
                    else LixiuPeriod.LIBERATION_WAR
                )
                fields["retirement_date"] = _date(rng, birth.year + 60)
                rank = rng.choice(RANKS[:4])
            else:
                fields["retirement_date"] = _date(rng, birth.year + (60 if male else 55))
                rank = rng.choice(RANKS[2:])
            fields["original_rank"] = rank
            # The benefit level can be higher than the original rank.
            fields["benefit_level"] = (
                RANKS[max(0, RANKS.index(rank) - 1)] if rng.random() < 0.3 else rank
            )
            if member:
                joined = _date(rng, min(birth.year + rng.randint(20, 38), 2020))
                if lixiu:
                    joined = _date(rng, rng.randint(1944, 1950))
                    if joined <= birth:
                        joined = birth.replace(year=birth.year + 18)
                probation = rng.choice([12, 12, 12, 12, 18])
                full = joined + datetime.timedelta(days=probation * 30 + 5)
                fields.update(
                    joined_party_on=joined,
                    full_member_on=full,
                    member_status=MemberStatus.FULL,
                    branch=f"{place}党支部",
                )
                if rng.random() < 0.1:
                    fields["full_member_precision"] = DatePrecision.MONTH
                    fields["joined_party_precision"] = DatePrecision.MONTH
            # Living situation: the oldest more often alone or empty-nest.
            roll = rng.random() + (0.15 if age >= 80 else 0)
            fields["living_situation"] = (
                LivingSituation.ALONE
                if roll > 0.9
                else LivingSituation.EMPTY_NEST
                if roll > 0.6
                else LivingSituation.WITH_FAMILY
            )
            fields["can_attend"] = not (age >= 88 and rng.random() < 0.6)
            fields["critically_ill"] = age >= 85 and rng.random() < 0.08
            fields["disabled_or_cognitive"] = age >= 80 and rng.random() < 0.08
            fields["in_hardship"] = rng.random() < 0.03
            fields["health_status"] = rng.choice(
                [
                    "良好",
                    "良好",
                    "一般",
                    "高血压",
                    "糖尿病",
                    "行动不便",
                    "心脏病，需定期复查",
                ]
            )
            if rng.random() < 0.15:
                fields["requests"] = rng.choice(
                    [
                        "希望定期送学习材料上门",
                        "希望家庭医生每月上门量血压",
                        "想参加社区的集体生日会",
                        "需要帮助安装扶手",
                    ]
                )
            contacts = [
                {
                    "relation": rng.choice(RELATIONS),
                    "name": rng.choice(SURNAMES) + rng.choice(MALE_GIVEN + FEMALE_GIVEN),
                    "phone": _phone(rng),
                }
                for _ in range(rng.randint(1, 3))
            ]
            specs.append(CadreSpec(fields=fields, contacts=contacts))

    # A probationary member and one out of contact (no 党龄 for the former).
    probationary = next(
        s
        for s in specs
        if s.fields["is_party_member"] and s.fields["category"] == Category.TUIXIU
    )
    probationary.fields.update(
        member_status=MemberStatus.PROBATIONARY,
        joined_party_on=datetime.date(2026, 3, 18),
        full_member_on=None,
    )
    out_of_contact = [
        s for s in specs if s.fields.get("member_status") == MemberStatus.FULL
    ][40]
    out_of_contact.fields["member_status"] = MemberStatus.OUT_OF_CONTACT
    # Two ranks that are not in the reference list: kept and flagged.
    specs[5].fields["original_rank"] = "副处级调研员"
    specs[60].fields["benefit_level"] = "享受副局级待遇"
    # Two cadres whose branch lies in another grid than their home (relocated villagers).
    for spec, home in ((specs[110], "嘉星社区"), (specs[125], "嘉华社区")):
        spec.fields["residence_unit"] = home
    # Archived: three deceased, one transferred out.
    for spec, when in (
        (specs[3], "2025-02-11"),
        (specs[70], "2025-09-30"),
        (specs[140], "2026-01-05"),
    ):
        spec.archive = {
            "reason": ArchiveReason.DECEASED,
            "on": datetime.date.fromisoformat(when),
        }
    specs[95].archive = {
        "reason": ArchiveReason.TRANSFERRED_OUT,
        "on": datetime.date(2025, 6, 1),
        "transferred_to": "上海市宝山区XX街道离退休干部党支部",
    }
    # A transfer in the history: moved from 沙河村 to 嘉星社区 after relocation.
    mover = next(
        s
        for s in specs
        if s.fields["residence_unit"] == "沙河村"
        and s.fields["is_party_member"]
        and s.archive is None
        and s.fields["member_status"] == MemberStatus.FULL
    )
    mover.fields["residence_unit"] = "嘉星社区"
    mover.transfer_to = "嘉星社区党支部"
    # Two couples sharing a home.
    for a, b in ((specs[20], specs[21]), (specs[120], specs[121])):
        b.fields["address"] = a.fields["address"]
        b.fields["residence_unit"] = a.fields["residence_unit"]
        a.household_key = b.household_key = a.fields["address"]
        a.fields["living_situation"] = b.fields["living_situation"] = (
            LivingSituation.EMPTY_NEST
        )
    return specs


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
    for spec in cadre_specs():
        fields = dict(spec.fields)
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
    for order, name in enumerate(RANKS, start=1):
        RankLevel.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    units = _build_tree()
    _build_partners(units)
    _build_users(units)
    _build_cadres(units)
    load_demo_life(units[TOWNSHIP])
    return {
        "units": OrgUnit.objects.count(),
        "partners": PartnerUnit.objects.count(),
        "cadres": Cadre.objects.count(),
        "activities": Activity.objects.count(),
        "visits": CareVisit.objects.count(),
        "users": get_user_model().objects.count(),
    }
