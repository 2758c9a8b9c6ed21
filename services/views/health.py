"""Health pages: the check-ups due (/health/due/) and a cadre's full health record
(/health/<cadre>/), which only the roles of REVEAL_ROLES["health"] open, each time
written to the access log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grids.audit import access_log_record
from grids.datebounds import shift
from grids.forms import form_errors_from
from grids.models import AccessAction
from grids.selectors import scope_of
from members.selectors import can_reveal, get_cadre_for_user

from ..forms import HealthCheckForm
from ..selectors import health
from ..selectors.visits import can_visit
from ..services import health_check_record

DUE_PAGE_SIZE = 50


@login_required
def health_due_page(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    today = timezone.localdate()
    page = Paginator(health.health_due(request.user, today), DUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    health.label_due(page.object_list, today)
    cadres_url = reverse("members:cadre_list")
    return render(
        request,
        "services/health_due.html",
        {"page": page, "today": today, "cadres_url": cadres_url, "nav": "health"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def health_record(request, cadre_pk):
    cadre = get_cadre_for_user(request.user, cadre_pk)
    if not can_reveal(request.user, cadre, "health"):
        raise PermissionDenied
    form = HealthCheckForm(request.POST or None)
    if request.method == "POST":
        if not can_visit(request.user, cadre):
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                health_check_record(cadre=cadre, by=request.user, **data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The check-up is recorded."))
                return redirect("health:record", cadre_pk=cadre.pk)
    access_log_record(
        request=request,
        action=AccessAction.VIEW,
        object_type="health_record",
        object_id=cadre.pk,
        fields="health",
        detail=cadre.name,
    )
    series = health.health_series(cadre)
    today = timezone.localdate()
    last = series[-1].checked_on if series else None
    due = health.next_check_due(last, today)
    return render(
        request,
        "services/health_record.html",
        {
            "cadre": cadre,
            "series": list(reversed(series)),
            "chart": health.pressure_chart(series),
            "due": due,
            "overdue": due < today,
            "form": form if can_visit(request.user, cadre) else None,
            "nav": "health",
        },
        status=400 if form.errors else 200,
    )


def health_section(request, cadre) -> dict | None:
    """The profile's health section: only "due" or "overdue", and the way to the full
    record for those who may open it (members.profile)."""
    today = timezone.localdate()
    due = health.next_check_due(health.last_check_of(cadre), today)
    return {
        "title": _("Health check-ups"),
        "template": "services/profile_health.html",
        "due": due,
        "overdue": due < today,
        "soon": due <= shift(today, 30),
        "may_open": can_reveal(request.user, cadre, "health"),
    }
