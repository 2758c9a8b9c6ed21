"""/my/: the cadres' own pages — signing in, the home page, signing out."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grids.audit import client_ip
from members.models import Cadre, FamilyContact

from ..forms import CodeForm, PhoneForm
from ..models import SignInMethod
from ..selectors import COOKIE, Identity, home_facts, mobile, session_for
from ..services import (
    PortalRefused,
    portal_code_check,
    portal_code_send,
    portal_link_use,
    portal_session_end,
    portal_session_start,
)
from .access import PENDING, get_step, portal_required, set_session_cookie, set_step


def _render(request, template: str, context: dict, status: int = 200):
    return render(request, template, {"site_name": settings.PORTAL_SITE_NAME, **context},
                  status=status)  # fmt: skip


def _signed_in(request, identity: Identity, method: str):
    key = portal_session_start(
        identity=identity, method=method, address=client_ip(request)
    )
    response = redirect("portal:home")
    set_session_cookie(response, key)
    response.delete_cookie(PENDING, path="/my/")
    return response


@require_http_methods(["GET", "POST"])
def signin(request):
    """Step 1: the mobile number; a code is sent to it."""
    if session_for(request.COOKIES.get(COOKIE, "")):
        return redirect("portal:home")
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_code_send(phone=form.cleaned_data["phone"], address=client_ip(request))
        except PortalRefused as refused:
            form.add_error("phone", refused.message)
        else:
            response = redirect("portal:code")
            set_step(response, {"phone": mobile(form.cleaned_data["phone"])})
            return response
    return _render(request, "portal/signin.html", {"form": form})


@require_http_methods(["GET", "POST"])
def code(request):
    """Step 2: the code from the message (no time limit on the form itself)."""
    phone = get_step(request).get("phone")
    if not phone:
        return redirect("portal:signin")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = portal_code_check(phone=phone, code=form.cleaned_data["code"])
        except PortalRefused as refused:
            form.add_error("code", refused.message)
        else:
            if len(found) == 1:
                return _signed_in(request, found[0], SignInMethod.CODE)
            response = redirect("portal:choose")
            set_step(response, {"choose": [i.key for i in found]})
            return response
    masked = f"{phone[:3]}****{phone[-4:]}"
    return _render(request, "portal/code.html", {"form": form, "masked": masked})


def _identity(key: str) -> Identity | None:
    cadre_pk, _sep, contact_pk = key.partition(":")
    cadre = Cadre.objects.filter(pk=cadre_pk).first()
    if cadre is None:
        return None
    if not contact_pk:
        return Identity(cadre)
    contact = FamilyContact.objects.filter(pk=contact_pk, cadre=cadre).first()
    return Identity(cadre, contact) if contact else None


@require_http_methods(["GET", "POST"])
def choose(request):
    """Step 3, when one number belongs to two people (a couple): who is signing in."""
    keys = get_step(request).get("choose") or []
    found = [i for i in map(_identity, keys) if i]
    if not found:
        return redirect("portal:signin")
    if request.method == "POST":
        chosen = next((i for i in found if i.key == request.POST.get("who")), None)
        if chosen is not None:
            return _signed_in(request, chosen, SignInMethod.CODE)
        messages.error(request, _("Please choose who is signing in."))
    return _render(request, "portal/choose.html", {"found": found})


@require_http_methods(["GET", "POST"])
def link(request, token: str):
    """A printed sign-in link: shown first, used by the button (a link preview that
    fetches the page does not use it up)."""
    if request.method == "POST":
        try:
            identity = portal_link_use(token=token)
        except PortalRefused as refused:
            return _render(request, "portal/link.html", {"refused": refused.message}, 410)
        return _signed_in(request, identity, SignInMethod.LINK)
    return _render(request, "portal/link.html", {})


@portal_required
def home(request):
    return _render(
        request, "portal/home.html", {"me": request.portal, **home_facts(request.portal)}
    )


@require_POST
@portal_required
def signout(request):
    portal_session_end(session=request.portal)
    response = redirect("portal:signin")
    response.delete_cookie(COOKIE, path="/my/")
    messages.success(request, _("You have signed out."))
    return response
