"""Honours pages: the year's 光荣在党50年 list, where officers mark each member
awarded or declined (the list itself is prepared on 1 April by
`activities.services.honours_50_prepare`, which the reminder scan calls)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.selectors import is_officer

from .models import HonourStatus
from .selectors import honours_50_list, honours_visible_to
from .services import honour_set_status


@login_required
def honours_50(request, year):
    if not is_officer(request.user):
        raise PermissionDenied
    return render(request, "activities/honours_50.html", {
        "year": year, "honours": honours_50_list(request.user, year), "nav": "inbox",
        "statuses": HonourStatus.choices,
    })  # fmt: skip


@login_required
@require_POST
def honour_status(request, pk):
    if not is_officer(request.user):
        raise PermissionDenied
    honour = get_object_or_404(honours_visible_to(request.user), pk=pk)
    status = request.POST.get("status")
    if status not in HonourStatus.values:
        raise Http404
    honour_set_status(honour=honour, status=status,
                      awarded_on=timezone.localdate() if status == HonourStatus.AWARDED else None)  # fmt: skip
    messages.success(request, _("%(name)s: %(status)s") % {
        "name": honour.cadre.name, "status": honour.get_status_display()})  # fmt: skip
    return redirect("honours:list", year=honour.year)
