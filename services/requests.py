"""Requests matched (issue 20), as pages read them: which requests a user sees (those
of a community or village in their scope), who may take which step."""

from django.db.models import F, QuerySet
from django.utils import timezone

from grids.models import StaffRole
from grids.selectors import has_role_over, scope_of

from .models import CareRequest, RequestStatus

S = RequestStatus
# Assigning (派单) is the township's or the grid's.
DISPATCHERS = (StaffRole.TOWNSHIP_OFFICER, StaffRole.ADMINISTRATOR, StaffRole.GRID_WORKER)
OPEN_STATUSES = (S.REQUESTED, S.ASSIGNED, S.ACCEPTED)


def requests_visible_to(user) -> QuerySet[CareRequest]:
    scope = scope_of(user)
    if scope.is_empty:
        return CareRequest.objects.none()
    return CareRequest.objects.filter(scope.q("unit__")).select_related(
        "unit",
        "cadre",
        "assigned_user",
        "assigned_cadre",
        "assigned_partner",
        "requested_by",
    )


def may_request(user, unit) -> bool:
    """点单: a writing role over the community or village."""
    return scope_of(user).writable().contains(unit)


def may_assign(user, request: CareRequest) -> bool:
    return has_role_over(user, [request.unit], DISPATCHERS)


def may_record_for_doer(user, request: CareRequest) -> bool:
    """Accept or finish: a staff member their own; for a cadre or a partner, a worker
    over the community or village records it."""
    if request.assigned_user_id:
        return request.assigned_user_id == user.pk
    return scope_of(user).writable().contains(request.unit)


def steps_for(user, request: CareRequest) -> list[str]:
    """The statuses this user may move the request to now."""
    steps = []
    if request.status == S.REQUESTED and may_assign(user, request):
        steps.append(S.ASSIGNED)
    if request.status == S.ASSIGNED and may_record_for_doer(user, request):
        steps.append(S.ACCEPTED)
    if request.status in (S.ASSIGNED, S.ACCEPTED) and may_record_for_doer(user, request):
        steps.append(S.DONE)
    if request.status in OPEN_STATUSES and (
        may_assign(user, request) or request.requested_by_id == user.pk
    ):
        steps.append(S.CANCELLED)
    return steps


def is_overdue(request: CareRequest, today=None) -> bool:
    today = today or timezone.localdate()
    return (
        request.status in OPEN_STATUSES
        and bool(request.due_on)
        and request.due_on < today
    )


def requests_waiting_on(user, limit: int = 30) -> list[tuple[CareRequest, bool]]:
    """The open requests whose next step is the user's (to assign, accept or finish),
    overdue first, then by the date needed: (request, overdue). One query."""
    today = timezone.localdate()
    candidates = (
        requests_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .order_by(F("due_on").asc(nulls_last=True), "created_at")[:500]
    )
    waiting = [
        (r, is_overdue(r, today)) for r in candidates
        if set(steps_for(user, r)) - {S.CANCELLED}
    ]  # fmt: skip
    waiting.sort(key=lambda pair: not pair[1])  # overdue first, order kept otherwise
    return waiting[:limit]


def volunteering(cadre_ids: list[int], year: int):
    """The points source of volunteering (registered with activities' points): each
    request a cadre did for others, done in `year` — a row per request."""
    rows = CareRequest.objects.filter(
        assigned_cadre_id__in=cadre_ids, status=RequestStatus.DONE,
        done_on__year=year,
    ).values_list("pk", "assigned_cadre_id", "done_on", "need")  # fmt: skip
    for pk, cadre, done_on, need in rows:
        yield cadre, f"request:{pk}", done_on, 1, need[:100]
