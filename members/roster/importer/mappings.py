"""What the roster's cells mean: modes, the choice words, the fields and the
columns that govern them."""

from ...dates import DatePrecision
from ...models import (
    Category,
    LivingSituation,
    LixiuPeriod,
    MaritalStatus,
    MemberStatus,
    Mobility,
)

MODES = ("create", "update", "fill")
PROGRESS_EVERY = 500  # rows read between two progress reports
MEMO_SIZE = 50_000  # distinct texts remembered per kind of value
_UNSEEN = object()

CATEGORY = {
    "离休": Category.LIXIU,
    "离休干部": Category.LIXIU,
    "退休": Category.TUIXIU,
    "退休干部": Category.TUIXIU,
}
PERIOD = {
    "抗日战争时期": LixiuPeriod.ANTI_JAPANESE_WAR,
    "抗日战争": LixiuPeriod.ANTI_JAPANESE_WAR,
    "解放战争时期": LixiuPeriod.LIBERATION_WAR,
    "解放战争": LixiuPeriod.LIBERATION_WAR,
}
# 政治面貌 as offices write it: (a party member?, their status).
MEMBER, PROBATIONARY = (True, MemberStatus.FULL), (True, MemberStatus.PROBATIONARY)
NOT_MEMBER = (False, "")
POLITICAL = {
    "中共党员": MEMBER, "中国共产党党员": MEMBER, "共产党员": MEMBER, "党员": MEMBER,
    "正式党员": MEMBER, "中共预备党员": PROBATIONARY, "预备党员": PROBATIONARY,
    "群众": NOT_MEMBER, "共青团员": NOT_MEMBER, "无党派人士": NOT_MEMBER,
    "无党派": NOT_MEMBER, "无": NOT_MEMBER,
}  # fmt: skip
# The eight democratic parties, however the member is called (民盟盟员, 九三学社社员 …).
DEMOCRATIC_PARTIES = ("民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟")


def political_status(value: str) -> tuple[bool, str] | None:
    if value in POLITICAL:
        return POLITICAL[value]
    if value.startswith(DEMOCRATIC_PARTIES) or "民主党派" in value:
        return NOT_MEMBER
    return None


MARITAL = {
    "已婚": MaritalStatus.MARRIED, "初婚": MaritalStatus.MARRIED, "再婚": MaritalStatus.MARRIED,
    "复婚": MaritalStatus.MARRIED, "有配偶": MaritalStatus.MARRIED,
    "丧偶": MaritalStatus.WIDOWED, "离异": MaritalStatus.DIVORCED, "离婚": MaritalStatus.DIVORCED,
    "未婚": MaritalStatus.SINGLE,
}  # fmt: skip

STATUS = {
    "正式党员": MemberStatus.FULL,
    "正式": MemberStatus.FULL,
    "预备党员": MemberStatus.PROBATIONARY,
    "预备": MemberStatus.PROBATIONARY,
    "失联党员": MemberStatus.OUT_OF_CONTACT,
    "失联": MemberStatus.OUT_OF_CONTACT,
    "停止党籍": MemberStatus.SUSPENDED,
}
LIVING = {"独居": LivingSituation.ALONE, "空巢": LivingSituation.EMPTY_NEST, "与家人同住": LivingSituation.WITH_FAMILY,
          "与子女同住": LivingSituation.WITH_FAMILY, "同住": LivingSituation.WITH_FAMILY}  # fmt: skip

# Mobility's three levels; 是/否 (the old yes/no column) still read: 否 is at home only.
MOBILITY = {"能参加集中活动": Mobility.TRAVEL, "能参加": Mobility.TRAVEL, "能": Mobility.TRAVEL,
            "只能就近参加": Mobility.NEARBY, "就近参加": Mobility.NEARBY, "就近": Mobility.NEARBY,
            "只能在家": Mobility.HOME, "在家": Mobility.HOME, "不能": Mobility.HOME,
            "卧床": Mobility.HOME}  # fmt: skip

# The cadre fields an import writes, and their value when the file leaves them blank.
FIELDS = {
    "name": "", "sex": "", "birth_date": None, "ethnicity": "汉族", "phone": "", "phone2": "", "address": "",
    "category": Category.TUIXIU, "lixiu_period": "", "original_rank": "", "benefit_level": "",
    "original_work_unit": "", "retirement_date": None, "native_place": "", "marital_status": "",
    "education": "", "work_started_on": None, "is_party_member": False,
    "joined_party_on": None, "joined_party_precision": DatePrecision.DAY, "full_member_on": None,
    "full_member_precision": DatePrecision.DAY, "member_status": "", "branch_id": None, "party_group_id": None,
    "residence_unit_id": None, "living_situation": LivingSituation.WITH_FAMILY,
    "mobility": Mobility.TRAVEL, "critically_ill": False, "disabled_or_cognitive": False,
    "in_hardship": False, "health_status": "", "requests": "", "medical_insurance": "",
    "designated_hospital": "", "designated_hospital2": "", "long_term_medicines": "",
    "monthly_pension": None,
}  # fmt: skip
# Which file column governs which field (for update/fill: only columns in the file).
GOVERNED_BY = {
    "joined_party_precision": "joined_party_on", "full_member_precision": "full_member_on",
    "branch_id": "branch", "party_group_id": "party_group", "residence_unit_id": "residence_unit",
    "living_situation": ("living_situation", "lives_alone"),
}  # fmt: skip
