"""/elections/ (换届, issue 21): the township's election calendar — every branch's
committee, when its term ends, what is due, branches that must elect a committee —
and recording a branch's election (date, and each member's post)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grids.datebounds import bounded_date_field
from grids.models import OrgUnit, UnitKind
from grids.params import int_from
from grids.selectors import scope_of, units_visible_to
from members.selectors import branch_members_on

from .models import CommitteePost
from .selectors.core import committee_of
from .selectors.elections import election_calendar
from .services.core import committee_elect


@login_required
def election_page(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    units = (
        units_visible_to(request.user)
        .filter(kind__in=(UnitKind.TOWNSHIP, UnitKind.GRID, UnitKind.BRANCH))
        .order_by("tree_id", "lft")
    )
    unit = units.filter(pk=int_from(request.GET.get("unit"), 0)).first() or units.first()
    if unit is None:
        raise PermissionDenied
    today = timezone.localdate()
    rows = election_calendar(unit, today)
    writable = scope_of(request.user).writable()
    for row in rows:
        row.may_record = writable.contains(row.branch)
    return render(request, "activities/elections.html", {
        "rows": rows, "unit": unit, "units": units, "today": today, "nav": "meetings",
        "flagged": sum(1 for r in rows if r.needs_committee),
    })  # fmt: skip


class ElectionForm(forms.Form):
    elected_on = bounded_date_field("event", label=gettext_lazy("elected on"))
    notes = forms.CharField(label=gettext_lazy("notes"), max_length=200, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def election_record(request, branch_pk):
    branch = get_object_or_404(
        units_visible_to(request.user).filter(kind=UnitKind.BRANCH), pk=branch_pk
    )
    if not scope_of(request.user).writable().contains(branch):
        raise PermissionDenied
    today = timezone.localdate()
    members = branch_members_on(branch, today)
    form = ElectionForm(request.POST or None, initial={"elected_on": today})
    chosen = {c.pk: request.POST.get(f"post_{c.pk}", "") for c in members}
    if request.method == "POST" and form.is_valid():
        by_pk = {c.pk: c for c in members}
        picked = [(by_pk[pk], post) for pk, post in chosen.items() if post]
        try:
            committee_elect(branch=OrgUnit.objects.get(pk=branch.pk), members=picked,
                            **form.cleaned_data)  # fmt: skip
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The election of %(branch)s is recorded.") % {
                "branch": branch.name})  # fmt: skip
            return redirect("elections")
    return render(request, "activities/election_record.html", {
        "branch": branch, "form": form, "members": members, "chosen": chosen,
        "posts": CommitteePost.choices, "current": committee_of(branch, today),
        "nav": "meetings",
    }, status=400 if form.errors else 200)  # fmt: skip
