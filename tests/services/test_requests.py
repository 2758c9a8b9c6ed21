"""Issue 20, requests matched: 点单 → 派单 → 接单 → done, each step by the right role
with the history kept; wrong-role steps refused; a partner's completed request
counts in the partner report."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from grids.models import Pairing, PartnerUnit, StaffRole
from services.models import RequestStatus
from services.selectors.partners import partner_report
from services.services.requests import request_create, request_move
from tests.factories import UserFactory, assign

S = RequestStatus


@pytest.fixture
def worker(cast):
    """The community worker of community A (点单 and recording for doers)."""
    user = UserFactory(username="jinqiao")
    assign(user, cast.tree["community_A"], StaffRole.COMMUNITY_WORKER)
    return user


@pytest.fixture
def partner(cast):
    unit = PartnerUnit.objects.create(name="区中心医院")
    Pairing.objects.create(partner=unit, unit=cast.tree["community_A"],
                           start_on=datetime.date(2026, 1, 1))  # fmt: skip
    return unit


def test_a_request_goes_through_each_step_by_the_right_role(cast, worker, partner):
    need = request_create(by=worker, unit=None, cadre=cast.cadre_a, kind="ride",
                          need="周三去区中心医院复查，需要陪同")  # fmt: skip
    assert need.unit == cast.tree["community_A"] and need.status == S.REQUESTED
    # 派单 is the township's or the grid's, not the community worker's nor a leader's.
    for wrong in (worker, cast.leader, cast.grid_b):
        with pytest.raises(PermissionDenied):
            request_move(by=wrong, request=need, status=S.ASSIGNED, partner=partner)
    need = request_move(by=cast.grid_a, request=need, status=S.ASSIGNED, partner=partner)
    # Accepting and finishing for a partner: the community's worker records it.
    with pytest.raises(PermissionDenied):
        request_move(by=cast.leader, request=need, status=S.ACCEPTED)
    need = request_move(
        by=worker, request=need, status=S.ACCEPTED, partner_person="李医生"
    )
    need = request_move(by=worker, request=need, status=S.DONE, note="已送回家")
    assert (need.status, need.doer, need.done_on) == (
        S.DONE,
        "区中心医院（李医生）",
        timezone.localdate(),
    )
    history = [(s.status, s.by.username) for s in need.steps.all()]
    assert history == [("requested", "jinqiao"), ("assigned", "grid_a"),
                       ("accepted", "jinqiao"), ("done", "jinqiao")]  # fmt: skip
    with pytest.raises(PermissionDenied):  # done is done
        request_move(by=cast.officer, request=need, status=S.CANCELLED)


def test_a_staff_member_accepts_only_their_own(cast, worker):
    need = request_create(by=worker, unit=cast.tree["community_A"], kind="lecture",
                          need="社区健康讲座")  # fmt: skip
    need = request_move(
        by=cast.officer, request=need, status=S.ASSIGNED, user=cast.grid_a
    )
    with pytest.raises(PermissionDenied):
        request_move(by=worker, request=need, status=S.ACCEPTED)
    need = request_move(by=cast.grid_a, request=need, status=S.ACCEPTED)
    assert request_move(by=cast.grid_a, request=need, status=S.DONE).status == S.DONE


def test_a_partners_done_request_counts_in_the_partner_report(cast, worker, partner):
    before = {
        f.partner.pk: f
        for f in partner_report(
            cast.officer, datetime.date(2026, 1, 1), datetime.date(2099, 1, 1)
        )
    }[partner.pk]
    need = request_create(by=worker, unit=None, cadre=cast.cadre_a, kind="home_help",
                          need="家中水管维修")  # fmt: skip
    need = request_move(by=cast.officer, request=need, status=S.ASSIGNED, partner=partner)
    request_move(by=worker, request=need, status=S.DONE)
    after = {
        f.partner.pk: f
        for f in partner_report(
            cast.officer, datetime.date(2026, 1, 1), datetime.date(2099, 1, 1)
        )
    }[partner.pk]
    assert (after.requests, after.delivered) == (1, before.delivered + 1)
    # Outside the viewer's scope it does not count.
    grid_b = {
        f.partner.pk: f
        for f in partner_report(
            cast.grid_b, datetime.date(2026, 1, 1), datetime.date(2099, 1, 1)
        )
    }
    assert partner.pk not in grid_b or grid_b[partner.pk].requests == 0


def test_the_pages_and_the_cast(client, cast, worker, partner):
    client.force_login(worker)
    response = client.post(reverse("requests:list"), {
        "unit": cast.tree["community_A"].pk, "cadre": cast.cadre_a.pk, "kind": "ride",
        "need": "去医院复查", "due_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 302
    url = response["Location"]
    page = client.get(url).content.decode()
    assert 'id="assign-form"' not in page  # not the worker's step
    client.force_login(cast.grid_a)
    page = client.get(url).content.decode()
    assert 'id="assign-form"' in page and "区中心医院" in page
    step = url + "step/"
    client.post(step, {"status": "assigned", "partner": partner.pk})
    client.force_login(cast.grid_b)  # another grid: not found
    assert client.get(url).status_code == 404
    assert client.post(step, {"status": "done"}).status_code == 404
    client.force_login(cast.outsider)
    assert client.get(reverse("requests:list")).status_code == 403
    client.force_login(worker)
    client.post(step, {"status": "done", "partner_person": "王护士"})
    page = client.get(url).content.decode()
    assert "王护士" in page and "已完成" in page


def test_requests_waiting_on_a_worker_are_in_their_queue_overdue_first(
    client, cast, worker
):
    from services.models import CareRequest
    from services.requests import requests_waiting_on

    later = request_create(by=worker, unit=cast.tree["community_A"], kind="lecture",
                           need="下月讲座")  # fmt: skip
    late = request_create(by=worker, unit=None, cadre=cast.cadre_a, kind="home_help",
                          need="修扶手")  # fmt: skip
    CareRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    # Nothing to assign is the worker's; the grid's worker has both, the late one first.
    assert requests_waiting_on(worker) == []
    assert [(r.pk, overdue) for r, overdue in requests_waiting_on(cast.grid_a)] == [
        (late.pk, True), (later.pk, False)]  # fmt: skip
    assert requests_waiting_on(cast.grid_b) == []
    request_move(by=cast.grid_a, request=later, status=S.ASSIGNED, user=cast.grid_a)
    assert [r.pk for r, _o in requests_waiting_on(cast.grid_a)] == [late.pk, later.pk]
    client.force_login(cast.grid_a)
    page = client.get(reverse("visits:mine")).content.decode()
    assert 'id="queue-requests"' in page and "修扶手" in page and "逾期" in page


def test_an_assignment_to_someone_not_offered_is_a_message_not_an_error(
    client, cast, worker
):
    need = request_create(by=worker, unit=cast.tree["community_A"], kind="lecture",
                          need="讲座")  # fmt: skip
    step = reverse("requests:step", args=[need.pk])
    client.force_login(cast.grid_a)
    for post in (
        {"user": "999999"},
        {"cadre": "abc"},
        {"partner": "999999"},
        {"user": str(cast.community_b.pk)},
    ):  # fmt: skip  (B: outside the scope)
        response = client.post(step, {"status": "assigned", **post}, follow=True)
        assert (
            response.status_code == 200 and "请从列表中选择" in response.content.decode()
        )
    need.refresh_from_db()
    assert need.status == S.REQUESTED and need.steps.count() == 1


def test_a_need_for_a_cadre_outside_ones_area_is_refused_with_a_message(
    client, cast, worker
):
    from services.models import CareRequest

    client.force_login(worker)  # community A's worker; 李四光 lives in community B
    response = client.post(reverse("requests:list"), {
        "unit": cast.tree["community_A"].pk, "cadre": cast.cadre_b.pk, "kind": "ride",
        "need": "复查",
    })  # fmt: skip
    assert response.status_code in (200, 400)
    assert not CareRequest.objects.exists()


def test_a_cadres_volunteering_reaches_their_points(cast, worker, partner):
    from activities.models import PointsEntry, PointsItem, PointsScheme

    year = timezone.localdate().year
    scheme = PointsScheme.objects.create(unit=cast.tree["township"], year=year)
    item = PointsItem.objects.create(scheme=scheme, name="志愿服务（点单）",
                                     source="volunteer", points=3, cap_per_year=5)  # fmt: skip
    done = []
    for need in ("为社区讲一堂健康课", "调解邻里纠纷", "辅导青少年书法"):
        request = request_create(by=worker, unit=cast.tree["community_A"], cadre=None,
                                 kind="lecture", need=need)  # fmt: skip
        request = request_move(by=cast.grid_a, request=request, status=S.ASSIGNED,
                               cadre=cast.cross)  # fmt: skip
        request = request_move(by=worker, request=request, status=S.ACCEPTED)
        done.append(request_move(by=worker, request=request, status=S.DONE))
    entries = PointsEntry.objects.filter(cadre=cast.cross, item=item).order_by(
        "source_key"
    )
    # Three done requests at 3 points each, capped at 5 for the year.
    assert sorted(e.points for e in entries) == [0, 2, 3]
    assert {e.source_key for e in entries} == {f"request:{r.pk}" for r in done}
    # A partner's done request gives no cadre points.
    other = request_create(
        by=worker, unit=None, cadre=cast.cadre_a, kind="ride", need="复查"
    )
    other = request_move(
        by=cast.grid_a, request=other, status=S.ASSIGNED, partner=partner
    )
    other = request_move(by=worker, request=other, status=S.ACCEPTED)
    request_move(by=worker, request=other, status=S.DONE)
    assert not PointsEntry.objects.filter(source_key=f"request:{other.pk}").exists()
