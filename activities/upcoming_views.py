"""/meetings/upcoming/: a secretary or worker announces a branch's coming meeting;
the members see it on their own pages and may ask for leave, listed here and
proposed as "on leave" when the meeting is recorded (issue 23)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grids.forms import form_errors_from
from grids.models import OrgUnit, UnitKind
from grids.selectors import scope_of, units_visible_to

from .models import LeaveRequest, MeetingKind, MeetingNotice
from .services.upcoming import meeting_announce


class AnnounceForm(forms.Form):
    branch = forms.ModelChoiceField(queryset=None, label=gettext_lazy("party branch"))
    kind = forms.ModelChoiceField(queryset=MeetingKind.objects.filter(is_active=True),
                                  label=gettext_lazy("Meeting kind"))  # fmt: skip
    day = forms.DateField(
        label=gettext_lazy("date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    time = forms.TimeField(
        label=gettext_lazy("time"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    topic = forms.CharField(label=gettext_lazy("topic"), max_length=200)
    place = forms.CharField(label=gettext_lazy("place"), max_length=150, required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


def _branches(user):
    scope = scope_of(user).writable()
    if scope.is_empty:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(
        scope.q(), kind=UnitKind.BRANCH, is_active=True
    ).order_by("tree_id", "lft")


@login_required
@require_http_methods(["GET", "POST"])
def upcoming(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    branches = _branches(request.user)
    form = (
        AnnounceForm(request.POST or None, branches=branches)
        if branches.exists()
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            starts_at = timezone.make_aware(
                datetime.datetime.combine(data["day"], data["time"])
            )
            try:
                meeting_announce(by=request.user, branch=data["branch"], kind=data["kind"],
                                 starts_at=starts_at, topic=data["topic"],
                                 place=data["place"])  # fmt: skip
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Announced: the branch's members see it on "
                                            "their own pages."))  # fmt: skip
                return redirect("meetings:upcoming")
    notices = list(
        MeetingNotice.objects.filter(
            branch__in=units_visible_to(request.user),
            starts_at__gte=timezone.now() - datetime.timedelta(days=1),
        )
        .select_related("branch", "kind")
        .order_by("starts_at", "pk")[:200]
    )
    leaves: dict[int, list[LeaveRequest]] = {}
    for leave in LeaveRequest.objects.filter(notice__in=notices).select_related("cadre"):
        leaves.setdefault(leave.notice_id, []).append(leave)
    for notice in notices:
        notice.leave_list = leaves.get(notice.pk, [])
    return render(request, "activities/upcoming.html",
                  {"form": form, "notices": notices, "nav": "meetings"})  # fmt: skip
