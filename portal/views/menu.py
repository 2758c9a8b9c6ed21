"""活动: the activity menu suited to the cadre, with sign-up and cancel on the phone
(the menu's rules are the activities app's: suitability, capacity, not begun)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.models import Activity
from activities.periods import current_quarter
from activities.selectors.menu import menu_for_cadre
from activities.services.menu import menu_sign_up_own, menu_withdraw_own

from .access import portal_required


@portal_required
def my_menu(request):
    cadre = request.portal.cadre
    choices = menu_for_cadre(cadre, current_quarter(timezone.localdate()))
    return render(request, "portal/menu.html",
                  {"choices": choices, "cadre": cadre, "site_name": settings.PORTAL_SITE_NAME})  # fmt: skip


def _activity(pk) -> Activity:
    activity = Activity.objects.exclude(suits="").filter(pk=pk).first()
    if activity is None:
        raise Http404
    return activity


@require_POST
@portal_required
def sign_up(request, pk: int):
    activity = _activity(pk)
    try:
        menu_sign_up_own(activity=activity, cadre=request.portal.cadre)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("You are signed up for “%(topic)s”.") % {"topic": activity.topic}
        )
    return redirect("portal:menu")


@require_POST
@portal_required
def cancel(request, pk: int):
    activity = _activity(pk)
    try:
        menu_withdraw_own(activity=activity, cadre=request.portal.cadre)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("Your sign-up for “%(topic)s” is cancelled.")
                         % {"topic": activity.topic})  # fmt: skip
    return redirect("portal:menu")
