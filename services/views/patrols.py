"""Patrol pages (issue 20): a campaign's patrols — monthly counts, open findings,
the latest patrols — the phone form that logs one (kept on the phone without
network, sent once), following a finding up to closed, and a patrol photo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities.selectors.campaigns import campaigns_visible_to
from grids.forms import form_errors_from

from ..forms import FindingForm, PatrolForm
from ..models import FindingStatus, PatrolPhoto
from ..patrols import (
    may_follow_up,
    patrol_overview,
    patrol_photo_path,
    patrols_by_team,
    patrols_visible,
    team_loggable_by,
)
from ..services.patrols import finding_update, patrol_log


def _campaign(request, pk):
    return get_object_or_404(campaigns_visible_to(request.user), pk=pk)


@login_required
def patrol_list(request, campaign_pk):
    campaign = _campaign(request, campaign_pk)
    overview = patrol_overview(campaign, request.user)
    return render(request, "services/patrols.html", {
        "campaign": campaign, **overview,
        "may_log": bool(team_loggable_by(request.user, campaign)),
        "followable": {p.pk for p in overview["open"] if may_follow_up(request.user, p)},
        "nav": "campaigns",
    })  # fmt: skip


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_http_methods(["GET", "POST"])
def patrol_new(request, campaign_pk):
    campaign = _campaign(request, campaign_pk)
    team = team_loggable_by(request.user, campaign)
    if not team:
        raise PermissionDenied
    form = PatrolForm(request.POST or None, request.FILES or None, team=team)
    target = reverse("patrols:list", args=[campaign.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patrol_log(
                by=request.user, campaign=campaign, patrolled_at=form.patrolled_at(),
                place=data["place"], members=data["members"],
                finding_kind=data["finding_kind"], notes=data["notes"],
                passed_to=data["passed_to"], client_key=data["client_key"],
                photos=data["photos"],
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The patrol is recorded."))
            if _wants_json(request):
                return JsonResponse({"ok": True, "next": target})
            return redirect(target)
    if request.method == "POST" and _wants_json(request):
        return JsonResponse(
            {"ok": False, "errors": form.errors.get_json_data()}, status=400
        )
    return render(request, "services/patrol_form.html", {
        "campaign": campaign, "form": form, "nav": "campaigns",
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
@require_POST
def finding_follow_up(request, pk):
    patrol = get_object_or_404(
        patrols_visible(request.user), pk=pk, status=FindingStatus.OPEN
    )
    form = FindingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            finding_update(by=request.user, patrol=patrol, passed_to=data["passed_to"],
                           resolution=data["resolution"], close=data["close"],
                           closed_on=data["closed_on"])  # fmt: skip
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The finding is closed.") if data["close"]
                             else _("The finding is updated."))  # fmt: skip
    else:
        messages.error(request, _("Check the dates you entered."))
    return redirect("patrols:list", campaign_pk=patrol.campaign_id)


@login_required
def patrol_photo(request, pk):
    photo = get_object_or_404(PatrolPhoto.objects.select_related("patrol"), pk=pk)
    if not patrols_visible(request.user).filter(pk=photo.patrol_id).exists():
        raise Http404
    path = patrol_photo_path(photo)
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), content_type=photo.content_type)


def campaign_patrol_section(request, campaign) -> dict | None:
    """The campaign page's patrols (registered with activities.hooks): patrols per
    team and month and the open findings, when the campaign has a patrol team."""
    teams, months, rows = patrols_by_team(campaign, request.user)
    if not teams:
        return None
    overview = patrol_overview(campaign, request.user)
    return {
        "title": _("Patrols"),
        "template": "services/campaign_patrols.html",
        "campaign": campaign, "months": months, "rows": rows, "open": overview["open"],
    }  # fmt: skip
