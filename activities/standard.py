"""The standard meeting kinds and the default rules of DOMAIN.md: created by the data
migration, and again by `ensure_standard_kinds` wherever a database may have been
emptied since (load_demo, seed_synthetic, a flushed test database). Existing rows
are never changed: what an administrator edited stays."""

# (code, name, who is expected, counts as study hours)
KINDS = [
    ("general_meeting", "支部党员大会", "branch", False),
    ("committee_meeting", "支委会", "committee", False),
    ("group_meeting", "党小组会", "group", False),
    ("party_lecture", "党课", "branch", True),
    ("themed_party_day", "主题党日", "branch", False),
    ("org_life_meeting", "组织生活会", "branch", False),
    ("democratic_review", "民主评议党员", "branch", False),
    ("remote_education", "远教直播课堂", "branch", True),
    ("education_film", "电教片观摩", "branch", True),
    ("volunteer_work", "志愿服务", "open", False),
    ("collective_birthday", "集体生日", "open", False),
    ("ceremony", "仪式活动", "open", False),
    ("other", "其他活动", "open", False),
]
# The default frequencies: (kind, at least, per).
RULES = [
    ("general_meeting", 1, "quarter"),
    ("committee_meeting", 1, "month"),
    ("group_meeting", 1, "month"),
    ("party_lecture", 1, "quarter"),
    ("themed_party_day", 1, "month"),
    ("org_life_meeting", 1, "year"),
    ("democratic_review", 1, "year"),
]


def ensure_standard_kinds(kind_model=None, rule_model=None) -> None:
    """Create what is missing (the models are passed by the data migration)."""
    if kind_model is None:
        from .models import MeetingKind as kind_model
        from .models import MeetingRule as rule_model
    if kind_model.objects.exists():
        return  # kinds exist: an administrator's choices, or already there
    for order, (code, name, expected, study) in enumerate(KINDS, start=1):
        kind_model.objects.get_or_create(
            code=code,
            defaults={"name": name, "expected": expected, "study_hours": study,
                      "sort_order": order * 10},
        )  # fmt: skip
    kinds = {k.code: k for k in kind_model.objects.all()}
    for code, at_least, per in RULES:
        rule_model.objects.get_or_create(
            kind=kinds[code], per=per, applies_to="all",
            defaults={"at_least": at_least, "note": "默认频次"},
        )  # fmt: skip
