"""The reminders inbox (/reminders/), and the pages reminders lead to: the monthly
collective-birthday list of a community (printable) and the year's 50-years list."""

import calendar
import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.params import ids_from
from grids.selectors import units_visible_to
from members.dates import latest_birth_date_for_age, whole_years
from members.models import CadreStatus
from members.selectors import cadres_in_unit, cadres_visible_to

from ..models import Reminder, ReminderChoice
from ..reminders import RULES
from ..services import reminder_email_choices_set, reminders_mark_read


@login_required
def inbox(request):
    rules = {r.key: r.label for r in RULES}
    # The scan puts a reminder in the inbox at once; delivery is for the other channels.
    reminders = Reminder.objects.filter(recipient=request.user)
    rule = request.GET.get("rule", "")
    if rule in rules:
        reminders = reminders.filter(rule=rule)
    page = Paginator(reminders.order_by("read_at", "-due_on", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    emailed = set(
        ReminderChoice.objects.filter(user=request.user, email=True).values_list(
            "rule", flat=True
        )
    )
    return render(request, "services/inbox.html", {
        "page": page, "rules": rules.items(), "rule": rule, "nav": "inbox",
        "emailed": emailed,
    })  # fmt: skip


@login_required
@require_POST
def mark_read(request):
    reminders_mark_read(
        user=request.user,
        # Only ids: anything else sent is ignored, never an error page.
        ids=None
        if request.POST.get("all") == "1"
        else ids_from(request.POST.getlist("reminder")),
    )
    rule = request.POST.get("rule", "")
    target = reverse("inbox")
    return redirect(f"{target}?{urlencode({'rule': rule})}" if rule else target)


@login_required
def collective_birthdays(request, unit_pk, year, month):
    """The cadres of a community or village turning 80 or more in a month: for the
    collective birthday (printable)."""
    unit = get_object_or_404(units_visible_to(request.user), pk=unit_pk)
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    cadres = (
        cadres_in_unit(cadres_visible_to(request.user), unit)
        .filter(
            status=CadreStatus.ACTIVE,
            birth_date__month=month,
            birth_date__lte=latest_birth_date_for_age(80, last),
        )  # fmt: skip
        .order_by("birth_date__day", "name")
    )
    rows = [(c, whole_years(c.birth_date, last)) for c in cadres]
    return render(request, "services/collective_birthdays.html", {
        "unit": unit, "year": year, "month": month, "rows": rows, "nav": "inbox",
    })  # fmt: skip


@login_required
@require_POST
def email_choices(request):
    """Which rules come in the user's daily e-mail digest (the inbox gets them all)."""
    chosen = reminder_email_choices_set(
        user=request.user, rules=request.POST.getlist("email")
    )
    if chosen and not request.user.email:
        messages.warning(request, _("Add your e-mail address to get the digest."))
    else:
        messages.success(request, _("Your e-mail choices are saved."))
    return redirect("account")
