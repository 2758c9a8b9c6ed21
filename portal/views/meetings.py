"""The branch's coming meetings on the cadre's own pages, with 请假 (a reason) that
reaches the secretary and the attendance list (issue 23)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from activities.models import LeaveRequest, MeetingNotice

from ..services import portal_leave_ask
from .access import portal_required


class LeaveForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why can you not come?"), max_length=200)


def _coming(cadre):
    if not cadre.branch_id:
        return MeetingNotice.objects.none()
    return MeetingNotice.objects.filter(
        branch_id=cadre.branch_id, starts_at__gt=timezone.now()
    ).select_related("kind", "branch")


@portal_required
def my_meetings(request):
    cadre = request.portal.cadre
    notices = list(_coming(cadre).order_by("starts_at", "pk")[:20])
    mine = dict(
        LeaveRequest.objects.filter(notice__in=notices, cadre=cadre).values_list(
            "notice_id", "reason"
        )
    )
    for notice in notices:
        notice.my_leave = mine.get(notice.pk)
    return render(request, "portal/meetings.html", {
        "notices": notices, "form": LeaveForm(), "site_name": settings.PORTAL_SITE_NAME,
    })  # fmt: skip


@require_POST
@portal_required
def leave(request, pk: int):
    notice = _coming(request.portal.cadre).filter(pk=pk).first()
    if notice is None:
        raise Http404
    form = LeaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give a reason for the leave."))
        return redirect("portal:meetings")
    try:
        portal_leave_ask(
            session=request.portal, notice=notice, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(request, _("Your leave is asked: the branch's secretary has been "
                                    "told."))  # fmt: skip
    return redirect("portal:meetings")
