"""/visits/lost-contact/ (失联党员, issue 21): the members inside the user's scope
proposed as out of contact (six months with no visit met, phone contact, meeting or
activity taken part in, or dues paid) and those out of contact who have been in
contact since, with the secretary's decision for each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grids.selectors import scope_of
from members.models import CadreStatus, MemberStatus
from members.selectors import cadres_visible_to, can_edit_cadre, get_cadre_for_user

from ..contact import LOST_AFTER_MONTHS, lost_contact_proposals
from ..services.contact import lost_contact_restore, lost_contact_set


@login_required
@require_http_methods(["GET", "POST"])
def lost_contact_page(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    if request.method == "POST":
        cadre = get_cadre_for_user(request.user, request.POST.get("cadre"), write=True)
        decide = {"set": lost_contact_set, "restore": lost_contact_restore}.get(
            request.POST.get("action")
        )
        if decide is None:
            raise PermissionDenied
        try:
            decide(by=request.user, cadre=cadre)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(name)s: saved.") % {"name": cadre.name})
        return redirect("visits:lost_contact")
    proposals = lost_contact_proposals(request.user, timezone.localdate())
    for p in proposals:
        p.may_decide = can_edit_cadre(request.user, p.cadre)
    out = (
        cadres_visible_to(request.user)
        .filter(status=CadreStatus.ACTIVE, member_status=MemberStatus.OUT_OF_CONTACT)
        .select_related("branch", "residence_unit")
        .order_by("lost_contact_since", "pk")
    )
    return render(request, "services/lost_contact.html", {
        "to_set": [p for p in proposals if not p.restore],
        "to_restore": [p for p in proposals if p.restore],
        "out": out, "months": LOST_AFTER_MONTHS, "nav": "visits",
    })  # fmt: skip
