"""Request writes (issue 20): 点单 → 派单 → 接单 → done (or cancelled), each step by the
right role and kept as a RequestStep."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.services.points import points_recompute
from grids.models import RESIDENCE_KINDS
from members.models import CadreStatus

from ..models import CareRequest, RequestStatus, RequestStep
from ..requests import may_request, steps_for

S = RequestStatus


@transaction.atomic
def request_create(
    *, by, unit, kind: str, need: str, cadre=None, due_on=None
) -> CareRequest:
    """点单: a cadre's own need (in the cadre's community) or a community's."""
    if cadre is not None:
        unit = cadre.residence_unit
    if unit is None or unit.kind not in RESIDENCE_KINDS or not may_request(by, unit):
        raise PermissionDenied
    request = CareRequest(unit=unit, cadre=cadre, kind=kind, need=need.strip(),
                          due_on=due_on, requested_by=by)  # fmt: skip
    request.full_clean()
    request.save()
    RequestStep.objects.create(request=request, status=S.REQUESTED, by=by)
    return request


@transaction.atomic
def request_create_own(*, cadre, kind: str, need: str, asked_by: str = "") -> CareRequest:
    """点单 by the cadre on their own pages (issue 23), or by a family contact acting
    for them (`asked_by` names them): a need of the cadre's own, in their community,
    waiting to be assigned like any other."""
    unit = cadre.residence_unit
    if (
        cadre.status != CadreStatus.ACTIVE
        or unit is None
        or unit.kind not in RESIDENCE_KINDS
    ):
        raise PermissionDenied
    request = CareRequest(unit=unit, cadre=cadre, kind=kind, need=(need or "").strip(),
                          requested_by=None)  # fmt: skip
    request.full_clean()
    request.save()
    note = _("asked on the cadre's own pages") + (f"（{asked_by}）" if asked_by else "")
    RequestStep.objects.create(
        request=request, status=S.REQUESTED, by=None, note=note[:200]
    )
    return request


@transaction.atomic
def request_move(*, by, request: CareRequest, status: str, note: str = "", user=None,
                 cadre=None, partner=None, partner_person: str = "") -> CareRequest:  # fmt: skip
    """Move the request one step; PermissionDenied for a step the user may not take.
    Assigning names exactly one doer: a staff member, a cadre or a partner unit."""
    request = CareRequest.objects.select_for_update().get(pk=request.pk)
    if status not in steps_for(by, request):
        raise PermissionDenied
    if status == S.ASSIGNED:
        doers = [d for d in (user, cadre, partner) if d is not None]
        if len(doers) != 1:
            raise ValidationError(_("Choose one who does it: a staff member, a cadre or a "
                                    "partner unit."))  # fmt: skip
        request.assigned_user, request.assigned_cadre = user, cadre
        request.assigned_partner = partner
    if partner_person and request.assigned_partner_id:
        request.partner_person = partner_person.strip()[:50]
    if status == S.DONE:
        request.done_on = timezone.localdate()
    request.status = status
    request.full_clean()
    request.save()
    RequestStep.objects.create(
        request=request, status=status, by=by, note=note.strip()[:200]
    )
    if status == S.DONE and request.assigned_cadre_id:
        # A cadre's volunteering reaches their points (issue 17's ledger).
        points_recompute([request.assigned_cadre_id], request.done_on.year)
    return request
