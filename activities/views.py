"""Honours pages: the year's 光荣在党50年 list (with the members carried over from
earlier years), where each member moves eligible → recommended → approved → awarded
by the right roles; the certificates as one PDF; the 七一 invitation list."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.params import FIRST_YEAR, year_from, year_or_refuse
from grids.selectors import scope_of

from .models import HonourStatus
from .selectors import honours_50_list, honours_visible_to
from .services import honour_move, honour_moves_for


@login_required
def honours_50(request, year):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    year_or_refuse(year)
    honours = list(
        honours_50_list(request.user, year).select_related("cadre__residence_unit")
    )
    labels = dict(HonourStatus.choices)
    for honour in honours:
        honour.moves = [(s, labels[s]) for s in honour_moves_for(request.user, honour)]
        honour.carried = honour.year < year
    counts = {s: sum(h.status == s for h in honours) for s in HonourStatus.values}
    return render(request, "activities/honours_50.html", {
        "year": year, "honours": honours, "nav": "honours", "counts": counts,
        "statuses": HonourStatus.choices, "today": timezone.localdate(),
        "previous": year - 1 if year > FIRST_YEAR else None,
        "next": year + 1 if year <= timezone.localdate().year else None,
    })  # fmt: skip


@login_required
@require_POST
def honour_status(request, pk):
    honour = get_object_or_404(
        honours_visible_to(request.user).select_related(
            "cadre__branch", "cadre__residence_unit"
        ),
        pk=pk,
    )
    status = request.POST.get("status", "")
    try:
        awarded_on = datetime.date.fromisoformat(request.POST.get("awarded_on") or "")
    except ValueError:
        awarded_on = timezone.localdate() if status == HonourStatus.AWARDED else None
    try:
        honour_move(honour=honour, status=status, by=request.user, awarded_on=awarded_on)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("%(name)s: %(status)s") % {
            "name": honour.cadre.name, "status": honour.get_status_display()})  # fmt: skip
    year = year_from(request.POST.get("year"), default=honour.year)
    return redirect("honours:list", year=year)
