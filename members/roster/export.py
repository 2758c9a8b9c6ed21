"""Export cadres as a roster that the import reads back unchanged."""

from collections import Counter

from grids.selectors import unit_paths

from ..dates import DatePrecision
from ..idnumbers import mask_id_number, mask_phone
from ..selectors import RevealRule

SEX = {"M": "男", "F": "女"}
CATEGORY = {"lixiu": "离休", "tuixiu": "退休"}
PERIOD = {"anti_japanese": "抗日战争时期", "liberation": "解放战争时期"}
STATUS = {
    "full": "正式党员",
    "probationary": "预备党员",
    "out_of_contact": "失联党员",
    "suspended": "停止党籍",
}
LIVING = {"alone": "独居", "empty_nest": "空巢", "with_family": "与家人同住"}
MOBILITY_LABELS = {
    "travel": "能参加集中活动",
    "nearby": "只能就近参加",
    "home": "只能在家",
}


def _partial(value, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.MONTH:
        return f"{value.year}.{value.month:02d}"
    if precision == DatePrecision.YEAR:
        return f"{value.year}年"
    return value.isoformat()


# What a role refused the health reveal sees in the health columns.
HIDDEN = "（无权查看）"


def roster_rows(queryset, *, reveal: RevealRule, tally: Counter | None = None):
    """One dict per cadre, by column key; streams (iterator, one query per chunk).
    Each sensitive field follows the per-field reveal rule for that cadre, as on the
    profile; `tally` counts the rows shown in full per field."""
    paths = unit_paths()
    tally = tally if tally is not None else Counter()
    for c in queryset.order_by(
        "residence_unit__tree_id", "residence_unit__lft", "name_initials", "pk"
    ).iterator(chunk_size=2000):
        shown = reveal.fields_for(c)
        tally.update(shown)
        full_id, full_phone, health, pension = (
            f in shown for f in ("id_number", "phone", "health", "pension")
        )
        yield {
            "name": c.name,
            "id_number": c.id_number if full_id else mask_id_number(c.id_number),
            "sex": SEX.get(c.sex, ""),
            "birth_date": c.birth_date,
            "ethnicity": c.ethnicity,
            "phone": c.phone if full_phone else mask_phone(c.phone) if c.phone else "",
            "phone2": c.phone2
            if full_phone
            else mask_phone(c.phone2)
            if c.phone2
            else "",
            "address": c.address,
            "category": CATEGORY.get(c.category, ""),
            "lixiu_period": PERIOD.get(c.lixiu_period, ""),
            "original_rank": c.original_rank,
            "benefit_level": c.benefit_level,
            "original_work_unit": c.original_work_unit,
            "retirement_date": c.retirement_date,
            "native_place": c.native_place,
            "marital_status": c.get_marital_status_display() if c.marital_status else "",
            "education": c.education,
            "work_started_on": c.work_started_on,
            "is_party_member": c.is_party_member,
            "joined_party_on": _partial(c.joined_party_on, c.joined_party_precision),
            "full_member_on": _partial(c.full_member_on, c.full_member_precision),
            "member_status": STATUS.get(c.member_status, ""),
            "branch": paths.get(c.branch_id, ""),
            "party_group": paths.get(c.party_group_id, "/").rsplit("/", 1)[-1],
            "residence_unit": paths.get(c.residence_unit_id, ""),
            "living_situation": LIVING.get(c.living_situation, ""),
            "lives_alone": None,
            "mobility": MOBILITY_LABELS.get(c.mobility, ""),
            "critically_ill": c.critically_ill,
            "disabled_or_cognitive": c.disabled_or_cognitive,
            "in_hardship": c.in_hardship,
            "health_status": c.health_status if health or not c.health_status else HIDDEN,
            "requests": c.requests if health or not c.requests else HIDDEN,
            **{
                name: value if health or not value else HIDDEN
                for name, value in (
                    ("medical_insurance", c.medical_insurance),
                    ("designated_hospital", c.designated_hospital),
                    ("designated_hospital2", c.designated_hospital2),
                    ("long_term_medicines", c.long_term_medicines),
                )
            },
            "monthly_pension": c.monthly_pension
            if pension or c.monthly_pension is None
            else HIDDEN,
        }
