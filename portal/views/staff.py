"""The staff side of the cadres' sign-in: the profile's section (sessions and links),
printing a sign-in sheet with its QR code, withdrawing a link, ending a session."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.audit import access_log_record
from grids.models import AccessAction
from members.selectors import can_edit_cadre, get_cadre_for_user

from ..models import PortalLink, PortalSession
from ..selectors import live_sessions, open_links
from ..services import portal_link_create, portal_link_revoke, portal_session_end


def portal_section(request, cadre) -> dict | None:
    """The profile's section (registered with members.profile): for who may change
    the cadre — their live portal sessions and unused printed links."""
    if not can_edit_cadre(request.user, cadre):
        return None
    return {
        "title": _("The cadre's own pages"),
        "template": "portal/profile_section.html",
        "sessions": live_sessions(cadre),
        "links": open_links(cadre),
    }


@login_required
@require_POST
def sheet(request, pk: int):
    """Print a sign-in sheet: a new single-use link and its QR code (logged)."""
    cadre = get_cadre_for_user(request.user, pk, write=True)
    token = portal_link_create(cadre=cadre, by=request.user)
    url = request.build_absolute_uri(reverse("portal:link", args=[token]))
    access_log_record(
        request=request, action=AccessAction.PRINT, object_type="portal_sheet",
        object_id=cadre.pk, detail=cadre.name,
    )  # fmt: skip
    qr = segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff")
    return render(request, "portal/sheet.html", {"cadre": cadre, "url": url, "qr": qr})


@login_required
@require_POST
def revoke(request, pk: int):
    link = get_object_or_404(PortalLink.objects.select_related("cadre"), pk=pk)
    cadre = get_cadre_for_user(request.user, link.cadre_id, write=True)
    portal_link_revoke(link=link, by=request.user)
    messages.success(request, _("The printed sign-in link no longer works."))
    return redirect("members:cadre_detail", cadre.pk)


@login_required
@require_POST
def end(request, pk: int):
    session = get_object_or_404(PortalSession.objects.select_related("cadre"), pk=pk)
    cadre = get_cadre_for_user(request.user, session.cadre_id, write=True)
    portal_session_end(session=session, by=request.user)
    messages.success(request, _("The sign-in on that phone has been ended."))
    return redirect("members:cadre_detail", cadre.pk)
