"""Issue 17, part 2: the yearly review — the one-third rule on 优秀, the follow-up
of 不合格, the lock of a submitted review, the officer's unlock with a reason, and the
review counted as the year's 民主评议党员."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from activities.models import Grade, MeetingRule, ReviewStatus
from activities.periods import parse_period
from activities.selectors.partylife import branches_in, compliance
from activities.selectors.reviews import review_progress, review_sheets
from activities.services import (
    review_members_update,
    review_start,
    review_submit,
    review_unlock,
)

from ..factories import make_cadre

YEAR = 2026


@pytest.fixture
def review(cast):
    branch = cast.tree["branch_A"]
    for i in range(4):  # six members with 张三丰 and 王五常
        make_cadre(branch=branch, name=f"党员{i}")
    return review_start(branch=branch, year=YEAR)


def grades(review, *values):
    sheets = list(review.members.order_by("pk"))
    return {s.pk: {"grade": g, "follow_up": "谈心谈话，加强教育" if g == Grade.FAIL else ""}
            for s, g in zip(sheets, values, strict=False)}  # fmt: skip


def test_excellent_for_more_than_a_third_is_refused(review):
    assert review.members.count() == 6
    with pytest.raises(ValidationError, match="三分之一"):
        review_members_update(
            review=review, changes=grades(review, *[Grade.EXCELLENT] * 3)
        )
    review_members_update(
        review=review, changes=grades(review, Grade.EXCELLENT, Grade.EXCELLENT)
    )


def test_a_fail_needs_its_follow_up(review):
    sheet = review.members.first()
    with pytest.raises(ValidationError, match="教育"):
        review_members_update(review=review, changes={sheet.pk: {"grade": Grade.FAIL}})
    review_members_update(review=review, changes={
        sheet.pk: {"grade": Grade.FAIL, "follow_up": "先教育帮助，再视情况组织处置"}})  # fmt: skip


def test_submitting_locks_and_counts_as_the_years_democratic_review(cast, review):
    with pytest.raises(ValidationError, match="评定等次"):
        review_submit(review=review)
    review_members_update(review=review, changes=grades(
        review, Grade.EXCELLENT, Grade.PASS, Grade.PASS, Grade.PASS, Grade.BASIC, Grade.FAIL))  # fmt: skip
    review_submit(review=review)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    with pytest.raises(ValidationError, match="已提交"):
        review_members_update(review=review, changes=grades(review, Grade.PASS))
    MeetingRule.objects.exclude(kind__code="democratic_review").update(is_active=False)
    (result,) = compliance(branches_in(cast.tree["branch_A"]),
                           parse_period(str(datetime.date.today().year)))  # fmt: skip
    assert not any("民主评议" in kind for kind, _w in result.missing + result.due)
    progress = {
        r["branch"]["name"]: r for r in review_progress(cast.tree["township"], YEAR)
    }
    assert progress["社区A党支部"]["status"] == ReviewStatus.SUBMITTED
    assert progress["社区A党支部"]["grades"][Grade.PASS] == 3
    assert progress["社区B党支部"]["status"] == "not_started"
    # Only an officer unlocks, with a reason.
    with pytest.raises(ValidationError):
        review_unlock(review=review, reason="更正", by=cast.secretary)
    with pytest.raises(ValidationError):
        review_unlock(review=review, reason=" ", by=cast.officer)
    review_unlock(review=review, reason="误将党员甲评为不合格", by=cast.officer)
    review.refresh_from_db()
    assert review.status == ReviewStatus.IN_PROGRESS and review.unlock_reason


def test_the_sheets_gather_the_members_year(review):
    sheets = review_sheets(review)
    assert len(sheets) == 6 and all(hasattr(s, "facts") for s in sheets)


def test_a_township_may_use_three_grades(review, settings):
    settings.REVIEW_BASIC_PASS = False
    with pytest.raises(ValidationError):
        review_members_update(review=review, changes=grades(review, Grade.BASIC))


def test_the_review_pages_within_scope(client, cast):
    from django.urls import reverse

    for i in range(1):
        make_cadre(branch=cast.tree["branch_A"], name=f"党员{i}")
    url = reverse("reviews:branch", args=[cast.tree["branch_A"].pk, YEAR])
    client.force_login(cast.secretary)
    assert client.post(url, {"action": "start"}).status_code == 302
    page = client.get(url).content.decode()
    assert "张三丰" in page and "王五常" in page
    from activities.models import BranchReview

    review = BranchReview.objects.get()
    sheets = list(review.members.order_by("pk"))
    data = {"action": "submit"}
    for sheet, grade in zip(sheets, ["excellent", "pass", "pass"], strict=True):
        data[f"grade_{sheet.pk}"] = grade
        data[f"peer_pass_{sheet.pk}"] = "2"
    assert client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.locked and review.members.filter(peer_pass=2).count() == 3
    # Locked: the secretary cannot change it; an officer unlocks with a reason.
    refused = client.post(url, {"action": "unlock", "reason": "x"})
    assert "只有镇组织科可以解锁" in refused.content.decode()
    review.refresh_from_db()
    assert review.locked
    client.force_login(cast.officer)
    progress = client.get(reverse("reviews:progress"), {"year": YEAR}).content.decode()
    assert "社区A党支部" in progress and "已提交" in progress and "未开始" in progress
    client.post(url, {"action": "unlock", "reason": "等次录入有误"})
    review.refresh_from_db()
    assert not review.locked
    # Outside the scope, and read-only roles.
    client.force_login(cast.grid_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.leader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "save"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(reverse("reviews:progress")).status_code == 403


def test_ranking_and_progress_cost_the_same_queries_whatever_the_data(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from activities.models import PointsItem, PointsScheme
    from activities.services import points_recompute

    scheme = PointsScheme.objects.create(unit=cast.tree["township"], year=YEAR)
    PointsItem.objects.create(scheme=scheme, name="参加", source="took_part", points=2)
    client.force_login(cast.officer)
    pages = [(reverse("points:ranking"), {"branch": cast.tree["branch_A"].pk, "year": YEAR}),
             (reverse("reviews:progress"), {"unit": cast.tree["township"].pk, "year": YEAR})]  # fmt: skip

    def cost():
        counts = []
        for url, query in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, query).status_code == 200
            counts.append(len(captured))
        return counts

    review_start(branch=cast.tree["village_branch_B"], year=YEAR)  # not the empty case
    client.get(*pages[0])
    few = cost()
    ids = [make_cadre(branch=cast.tree["branch_A"], name=f"新{i}").pk for i in range(5)]
    points_recompute(ids, YEAR)
    for branch in ("branch_A", "branch_B", "village_branch_A"):
        review_start(branch=cast.tree[branch], year=YEAR)
    assert cost() == few
