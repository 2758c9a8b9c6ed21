"""Points pages (issue 17): a branch's ranking for a year with its export and the
proposals waiting for a decision; a member's ledger with the form to propose
manual points."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids import workbooks
from grids.downloads import report_download
from grids.models import UnitKind
from grids.params import int_from, year_from, year_or_refuse
from grids.selectors import scope_of, units_visible_to
from members.selectors import cadres_visible_to

from .models import AwardStatus, PointsAward, PointsSource
from .selectors.points import points_ledger, points_ranking
from .services import award_decide, award_propose, may_decide


def _year(request) -> int:
    return year_from(request.GET.get("year"), default=timezone.localdate().year)


@login_required
def ranking(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    branches = (
        units_visible_to(request.user)
        .filter(kind=UnitKind.BRANCH)
        .order_by("tree_id", "lft")
    )
    year = _year(request)
    chosen = int_from(request.GET.get("branch"), default=0)
    branch = branches.filter(pk=chosen).first() if chosen else branches.first()
    if branch is None:
        raise PermissionDenied
    scheme, standings = points_ranking(branch, year)
    if request.GET.get("format") == "xlsx":
        sheet = workbooks.Sheet(
            "积分排名", ["名次", "姓名", "积分"],
            ([s.rank or "", s.cadre.name, "免于积分" if s.exempt else s.total]
             for s in standings),
            above=[[f"{branch.name} {year} 年党员积分"]],
        )  # fmt: skip
        return report_download(
            request, sheets=[sheet], filename=f"党员积分-{branch.name}-{year}.xlsx",
            object_type="points", object_id=branch.pk, detail=_("%(year)s: %(n)d members") % {"year": year, "n": len(standings)},
        )  # fmt: skip
    pending = [
        a for a in PointsAward.objects.filter(
            cadre__branch=branch, year=year, status=AwardStatus.PROPOSED
        ).select_related("cadre", "cadre__branch", "item", "proposed_by")
        if may_decide(request.user, a)
    ]  # fmt: skip
    return render(request, "activities/points_ranking.html", {
        "branch": branch, "branches": branches, "year": year, "scheme": scheme,
        "standings": standings, "pending": pending, "nav": "meetings",
    })  # fmt: skip


@login_required
def ledger(request, cadre_pk, year):
    cadre = get_object_or_404(
        cadres_visible_to(request.user).select_related("branch"), pk=cadre_pk
    )
    year_or_refuse(year)
    standing = points_ledger(cadre, year)
    manual = (
        [i for i in standing.scheme.items.all() if i.source == PointsSource.MANUAL]
        if standing.scheme else []
    )  # fmt: skip
    if request.method == "POST":
        item = next((i for i in manual if str(i.pk) == request.POST.get("item")), None)
        try:
            if item is None:
                raise ValidationError(_("Choose the item."))
            points = request.POST.get("points", "").strip()
            award_propose(cadre=cadre, year=year, item=item, by=request.user,
                          reason=request.POST.get("reason", ""),
                          points=int(points) if points.lstrip("-").isdigit() else None)  # fmt: skip
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("The proposal waits for approval."))
            return redirect("points:ledger", cadre_pk=cadre.pk, year=year)
    awards = cadre.points_awards.filter(year=year).select_related(
        "item", "proposed_by", "decided_by"
    )
    return render(request, "activities/points_ledger.html", {
        "cadre": cadre, "year": year, "standing": standing, "manual": manual,
        "awards": awards, "nav": "meetings",
    })  # fmt: skip


@login_required
@require_POST
def decide(request, pk):
    award = get_object_or_404(
        PointsAward.objects.filter(
            cadre__in=cadres_visible_to(request.user).values("pk")
        ).select_related("cadre", "cadre__branch"),
        pk=pk,
    )
    try:
        award_decide(
            award=award, approve=request.POST.get("approve") == "1", by=request.user
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request, _("Decided: %(status)s") % {"status": award.get_status_display()}
        )
    return redirect(
        f"{reverse('points:ranking')}?branch={award.cadre.branch_id}&year={award.year}"
    )
