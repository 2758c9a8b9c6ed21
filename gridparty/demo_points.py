"""The demo township's points and reviews: a scheme for this year and the last (the
ledgers computed from the year of meetings), last year's review submitted by two
branches and this year's begun by one. Idempotent: nothing is added twice."""

import random

from django.utils import timezone

from activities.models import Grade, PointsItem, PointsScheme, PointsSource
from activities.services import review_members_update, review_start, review_submit
from activities.services.points import points_recompute_unit
from grids.models import OrgUnit, UnitKind

ITEMS = [
    ("参加组织生活（含送学上门）", PointsSource.TOOK_PART, 2, 24),
    ("参加远教、电教、党课学习", PointsSource.STUDY_CLASS, 1, 12),
    ("无故缺席", PointsSource.ABSENT, -2, None),
    ("学习（每学时）", PointsSource.STUDY_HOUR, 1, 20),
    ("参与专项工作", PointsSource.CAMPAIGN, 3, 9),
    ("志愿服务（承接点单）", PointsSource.VOLUNTEER, 2, 10),
    ("好人好事", PointsSource.MANUAL, 5, 15),
    ("违反纪律", PointsSource.MANUAL, -5, None),
]


def load_demo_points(township: OrgUnit, seed: int = 2026) -> None:
    if PointsScheme.objects.filter(unit=township).exists():
        return
    rng = random.Random(seed)
    this = timezone.localdate().year
    for year in (this - 1, this):
        scheme = PointsScheme.objects.create(
            unit=township, year=year, base_score=60, exempt_age=90,
            note="镇党委组织科：离退休党员积分管理办法（试行）",
        )  # fmt: skip
        for order, (name, source, points, cap) in enumerate(ITEMS):
            PointsItem.objects.create(scheme=scheme, name=name, source=source, points=points,
                                      cap_per_year=cap, sort_order=order)  # fmt: skip
        points_recompute_unit(township, year)
    branches = list(
        OrgUnit.objects.filter(
            tree_id=township.tree_id, kind=UnitKind.BRANCH, is_active=True
        ).order_by("lft")
    )
    for branch in branches[:2]:  # last year's review, submitted
        review = review_start(branch=branch, year=this - 1)
        sheets = list(review.members.order_by("pk"))
        excellent = len(sheets) // 4
        changes = {}
        for i, sheet in enumerate(sheets):
            grade = Grade.EXCELLENT if i < excellent else Grade.PASS
            if i == len(sheets) - 1 and rng.random() < 0.5:
                grade = Grade.BASIC
            votes = len(sheets) - 1
            changes[sheet.pk] = {
                "self_mark": Grade.PASS, "grade": grade,
                "peer_pass": votes, "vote_pass": votes,
            }  # fmt: skip
        review_members_update(review=review, changes=changes)
        review_submit(review=review)
    if len(branches) > 2:
        review_start(branch=branches[2], year=this)  # this year's, begun
