"""Issue 17, part 1: points (党员积分) — the worked example, exemption, manual awards
approved by someone else, idempotent recomputation that follows a corrected
attendance, and the lock of a submitted review."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from activities.models import (
    AttendanceStatus as S,
)
from activities.models import (
    BranchReview,
    PointsItem,
    PointsScheme,
    PointsSource,
    ReviewStatus,
)
from activities.selectors.points import points_ledger, points_ranking
from activities.services import (
    award_decide,
    award_propose,
    meeting_record,
    meeting_update,
    points_recompute,
)
from grids.models import StaffRole

from ..factories import UserFactory, assign, make_cadre

D = datetime.date
YEAR = 2026


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@pytest.fixture
def scheme(tree):
    scheme = PointsScheme.objects.create(unit=tree["township"], year=YEAR, base_score=60,
                                         exempt_age=90)  # fmt: skip
    items = {
        "took": PointsItem.objects.create(scheme=scheme, name="参加组织生活",
                                          source=PointsSource.TOOK_PART, points=2, cap_per_year=4),
        "absent": PointsItem.objects.create(scheme=scheme, name="无故缺席",
                                            source=PointsSource.ABSENT, points=-2),
        "hour": PointsItem.objects.create(scheme=scheme, name="学习（每学时）",
                                          source=PointsSource.STUDY_HOUR, points=1),
        "deed": PointsItem.objects.create(scheme=scheme, name="好人好事",
                                          source=PointsSource.MANUAL, points=5),
    }  # fmt: skip
    return scheme, items


@pytest.fixture
def worked(cast, scheme):
    branch = cast.tree["branch_A"]
    m = make_cadre(branch=branch, name="积分甲", birth=D(1950, 3, 1))
    old = make_cadre(branch=branch, name="高龄乙", birth=D(1930, 3, 1))
    meetings = [
        meeting_record(branch=branch, kind="themed_party_day", starts_at=at(D(YEAR, 3, 1)),
                       topic="学"),
        meeting_record(branch=branch, kind="general_meeting", starts_at=at(D(YEAR, 4, 1)),
                       topic="会"),
        meeting_record(branch=branch, kind="remote_education", starts_at=at(D(YEAR, 5, 1)),
                       topic="远教", duration_minutes=240),
        meeting_record(branch=branch, kind="themed_party_day", starts_at=at(D(YEAR, 6, 1)),
                       topic="学", statuses={m.pk: S.ABSENT}),
    ]  # fmt: skip
    return branch, m, old, meetings


def test_the_worked_example_scores_71_and_the_exempt_show_no_total(cast, scheme, worked):
    _scheme, items = scheme
    branch, m, old, _meetings = worked
    worker = UserFactory(username="jinqiao")
    assign(worker, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    award = award_propose(
        cadre=m, year=YEAR, item=items["deed"], reason="帮助邻居", by=worker
    )
    assert points_ledger(m, YEAR).total == 66  # not yet approved
    award_decide(award=award, approve=True, by=cast.secretary)
    ledger = points_ledger(m, YEAR)
    assert ledger.total == 60 + 4 - 2 + 4 + 5 == 71  # the cap binds: 3 meetings, +4
    capped = [e for e in ledger.entries if e.item == items["took"]]
    assert [e.points for e in capped] == [2, 2, 0]
    assert points_ledger(old, YEAR).exempt and points_ledger(old, YEAR).total is None
    _s, standings = points_ranking(branch, YEAR)
    assert standings[0].cadre == m and standings[0].rank == 1
    assert standings[-1].cadre == old and standings[-1].rank is None


def test_the_proposer_alone_cannot_approve(cast, scheme, worked):
    _scheme, items = scheme
    _branch, m, _old, _meetings = worked
    award = award_propose(
        cadre=m, year=YEAR, item=items["deed"], reason="表扬", by=cast.secretary
    )
    with pytest.raises(ValidationError, match="不能审批自己"):
        award_decide(award=award, approve=True, by=cast.secretary)
    # A secretary's proposal goes to a township officer, not to a grid worker.
    with pytest.raises(ValidationError):
        award_decide(award=award, approve=True, by=cast.grid_a)
    award_decide(award=award, approve=True, by=cast.officer)
    assert points_ledger(m, YEAR).total == 71
    with pytest.raises(ValidationError):
        award_propose(
            cadre=m, year=YEAR, item=items["deed"], reason="x", by=cast.outsider
        )


def test_recomputation_is_idempotent_and_follows_a_corrected_attendance(
    cast, scheme, worked
):
    _branch, m, _old, meetings = worked
    assert points_recompute([m.pk], YEAR) == {"created": 0, "updated": 0, "deleted": 0}
    assert points_ledger(m, YEAR).total == 66
    meeting_update(meetings[3], statuses={m.pk: S.ON_LEAVE})  # with leave after all
    assert points_ledger(m, YEAR).total == 68


def test_a_submitted_review_locks_the_years_points(cast, scheme, worked):
    _scheme, items = scheme
    branch, m, _old, meetings = worked
    BranchReview.objects.create(branch=branch, year=YEAR, status=ReviewStatus.SUBMITTED)
    meeting_update(meetings[3], statuses={m.pk: S.PRESENT})
    assert points_ledger(m, YEAR).total == 66  # locked: unchanged
    with pytest.raises(ValidationError, match="已锁定"):
        award_propose(
            cadre=m, year=YEAR, item=items["deed"], reason="x", by=cast.secretary
        )


def test_the_points_pages_rank_propose_decide_and_export_within_scope(
    client, cast, scheme, worked
):
    from django.urls import reverse

    from grids.models import AccessAction, AccessLog

    _scheme, items = scheme
    branch, m, old, _meetings = worked
    client.force_login(cast.secretary)
    page = client.get(reverse("points:ranking"), {"branch": branch.pk, "year": YEAR})
    text = page.content.decode()
    assert "积分甲" in text and "66" in text and "免于积分" in text
    response = client.post(reverse("points:ledger", args=[m.pk, YEAR]),
                           {"item": items["deed"].pk, "reason": "帮助邻居"})  # fmt: skip
    assert response.status_code == 302
    award = m.points_awards.get()
    # The secretary proposed: not theirs to decide; a township officer decides.
    client.post(reverse("points:decide", args=[award.pk]), {"approve": "1"})
    award.refresh_from_db()
    assert award.status == "proposed"
    client.force_login(cast.officer)
    page = client.get(reverse("points:ranking"), {"branch": branch.pk, "year": YEAR})
    assert 'id="points-pending"' in page.content.decode()
    client.post(reverse("points:decide", args=[award.pk]), {"approve": "1"})
    assert (
        "71" in client.get(reverse("points:ledger", args=[m.pk, YEAR])).content.decode()
    )
    client.get(
        reverse("points:ranking"), {"branch": branch.pk, "year": YEAR, "format": "xlsx"}
    )
    assert AccessLog.objects.filter(
        action=AccessAction.EXPORT, object_type="points"
    ).exists()
    # Outside the scope: no ranking, no ledger, no decision.
    client.force_login(cast.grid_b)
    assert client.get(reverse("points:ranking"), {"branch": branch.pk}).status_code in (
        200,
        403,
    )
    assert (
        "积分甲"
        not in client.get(
            reverse("points:ranking"), {"branch": branch.pk}
        ).content.decode()
    )
    assert client.get(reverse("points:ledger", args=[m.pk, YEAR])).status_code == 404
    assert client.post(reverse("points:decide", args=[award.pk])).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(reverse("points:ranking")).status_code == 403


def test_campaign_service_scores_and_the_command_recomputes_idempotently(
    cast, scheme, worked
):
    import io
    import json

    from django.core.management import call_command

    from activities.services import campaign_create, campaign_service_add

    the_scheme, _items = scheme
    branch, m, _old, _meetings = worked
    PointsItem.objects.create(scheme=the_scheme, name="参与专项工作",
                              source=PointsSource.CAMPAIGN, points=3)  # fmt: skip
    campaign = campaign_create(name="吴淞江治理", unit=cast.tree["township"],
                               start_on=D(YEAR, 2, 1), roles=["宣传发动"])  # fmt: skip
    campaign_service_add(role=campaign.roles.get(), cadre=m, start_on=D(YEAR, 2, 1))
    assert points_ledger(m, YEAR).total == 66 + 3
    out = io.StringIO()
    call_command("recompute_points", year=YEAR, json=True, stdout=out)
    assert json.loads(out.getvalue()) == {"created": 0, "updated": 0, "deleted": 0}


def test_an_award_out_of_range_is_refused_in_chinese(client, cast, scheme, worked):
    from django.urls import reverse

    _scheme, items = scheme
    _branch, m, _old, _meetings = worked
    client.force_login(cast.secretary)
    response = client.post(reverse("points:ledger", args=[m.pk, YEAR]),
                           {"item": items["deed"].pk, "reason": "表扬", "points": "99999999"})  # fmt: skip
    assert response.status_code == 200 and "100" in response.content.decode()
    assert not m.points_awards.exists()
