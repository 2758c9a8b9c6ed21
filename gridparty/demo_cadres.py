"""The demo township's cadres, generated from a seed (names, dates, flags)."""

import datetime
import decimal
import random
from dataclasses import dataclass, field

from grids.models import UnitKind
from members.dates import DatePrecision
from members.idnumbers import check_character
from members.models import (
    ArchiveReason,
    Category,
    LivingSituation,
    LixiuPeriod,
    MemberStatus,
    Mobility,
)

RANKS = ["正局级", "副局级", "正处级", "副处级", "正科级", "副科级", "科员", "办事员"]
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


def cadre_specs(places: dict, seed: int = 2026) -> list[CadreSpec]:
    """The ~150 demo cadres for `places` ({grid: [(name, kind, code)]}), the same for
    the same seed."""
    rng = random.Random(seed)
    used: set[str] = set()
    specs: list[CadreSpec] = []
    places = [(name, kind) for units in places.values() for name, kind, _code in units]
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
            frail = age >= 88 and rng.random() < 0.6
            fields["mobility"] = (
                Mobility.HOME
                if frail
                else Mobility.NEARBY
                if age >= 85 and rng.random() < 0.4
                else Mobility.TRAVEL
            )
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
            _benefits(fields, random.Random(len(specs)))  # its own draw: same demo
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


HOSPITALS = ["区中心医院", "区人民医院", "区中医院", "镇卫生院", "市第一人民医院"]
MEDICINES = [
    "硝苯地平缓释片",
    "二甲双胍",
    "阿司匹林肠溶片",
    "阿托伐他汀钙片",
    "速效救心丸",
]


def _benefits(fields: dict, rng: random.Random) -> None:
    """Issue 19's sensitive fields: insurance, designated hospitals, medicines and
    the monthly pension (a 离休 cadre's is higher), as offices send them."""
    lixiu = fields.get("category") == Category.LIXIU
    fields["medical_insurance"] = "离休干部医疗统筹" if lixiu else "城镇职工医保"
    first, second = rng.sample(HOSPITALS, 2)
    fields["designated_hospital"] = first
    if rng.random() < 0.5:
        fields["designated_hospital2"] = second
    if fields.get("health_status") not in ("良好", "一般"):
        fields["long_term_medicines"] = "、".join(
            rng.sample(MEDICINES, rng.randint(1, 2))
        )
    base = rng.randint(7500, 11000) if lixiu else rng.randint(3800, 7200)
    fields["monthly_pension"] = decimal.Decimal(f"{base}.{rng.randint(0, 99):02d}")
