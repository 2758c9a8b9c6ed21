"""Pages that combine apps: the home page and the tree browser with cadre counts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grids.models import UnitKind
from grids.selectors import can_write, is_officer, scope_of, units_visible_to
from members.models import Cadre

from .dashboard import charts_for
from .health import last_scan, scan_is_late


@login_required
def home(request):
    scope = scope_of(request.user)
    # The counts, the to-do panel and the charts, kept per user and refreshed in the
    # background (the page says when they were made).
    dashboard = charts_for(request.user) if not scope.is_empty else None
    # Officers are told when the daily reminder scan has not run (beat or the worker
    # is down): nobody else would notice that reminders stopped.
    scan_late, scan_last = False, None
    if is_officer(request.user):
        scan_last = last_scan()
        scan_late = scan_is_late(scan_last)
    return render(
        request,
        "gridparty/home.html",
        {
            "nav": "home",
            "counts": dashboard["counts"] if dashboard else {},
            "can_write": can_write(request.user),
            "no_scope": scope.is_empty,
            "dashboard": dashboard,
            "todos": dashboard["todos"] if dashboard else [],
            "scan_late": scan_late,
            "scan_last": scan_last,
        },
    )


@login_required
def units(request):
    """The units in the user's scope with cadre counts: one query for the units, one
    aggregate query for the counts (grouped by residence and branch)."""
    units = list(units_visible_to(request.user).order_by("tree_id", "lft"))
    unit_ids = [u.pk for u in units]
    residents: dict[int, int] = {}
    members: dict[int, int] = {}
    groups = (
        Cadre.objects.active()
        .filter(Q(residence_unit_id__in=unit_ids) | Q(branch_id__in=unit_ids))
        .values_list("residence_unit_id", "branch_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    in_scope = set(unit_ids)
    for residence_id, branch_id, n in groups:
        if residence_id in in_scope:
            residents[residence_id] = residents.get(residence_id, 0) + n
        if branch_id in in_scope:
            members[branch_id] = members.get(branch_id, 0) + n
    # Roll resident counts up the tree: in reverse (tree_id, lft) order every unit
    # comes after all of its descendants.
    totals = {u.pk: residents.get(u.pk, 0) for u in units}
    for unit in reversed(units):
        if unit.parent_id in totals:
            totals[unit.parent_id] += totals[unit.pk]
    base_level = min((u.level for u in units), default=0)
    rows = [
        {
            "unit": u,
            "indent": u.level - base_level,
            "is_branch": (branch := u.kind in (UnitKind.BRANCH, UnitKind.PARTY_GROUP)),
            "count": members.get(u.pk, 0) if branch else totals[u.pk],
        }
        for u in units
    ]
    return render(request, "gridparty/units.html", {"nav": "units", "rows": rows})


@login_required
def password_changed(request):
    messages.success(request, _("Your password was changed."))
    return redirect("home")
