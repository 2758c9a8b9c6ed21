"""/campaigns/ (issue 20, 作用发挥): the campaigns a user sees, one campaign's roles,
who serves in each and the hours per role and month; starting a campaign, adding a
role, giving a cadre a role and logging their service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grids import workbooks
from grids.downloads import report_download
from grids.forms import form_errors_from
from grids.models import RESIDENCE_KINDS
from grids.selectors import scope_of, units_visible_to

from .campaign_forms import CampaignForm, EntryForm, RoleForm, ServeForm
from .hooks import campaign_sections_for, figures_for
from .selectors.campaigns import (
    CAMPAIGN_UNIT_KINDS,
    campaign_overview,
    campaigns_report,
    campaigns_visible_to,
    candidates_for,
    hours_by_cadre_and_month,
    may_manage_campaign,
    may_organize,
    month_table,
    services_loggable_by,
)
from .services.campaigns import (
    campaign_entry_record,
    campaign_role_add,
    campaign_serve,
    campaign_start,
)


def _organizable(user):
    writable = scope_of(user).writable()
    return (
        units_visible_to(user)
        .filter(kind__in=CAMPAIGN_UNIT_KINDS, is_active=True)
        .filter(writable.q())
        .order_by("tree_id", "lft")
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_list(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    organizer = may_organize(request.user)
    form = None
    if organizer:
        form = CampaignForm(request.POST or None, units=_organizable(request.user))
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = campaign_start(by=request.user, **data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The campaign has been started."))
                return redirect("campaigns:detail", pk=campaign.pk)
    labels, lines = campaigns_report(request.user, campaigns_visible_to(request.user))
    if request.method == "GET" and request.GET.get("format") == "xlsx":
        return _report_export(request, labels, lines)
    return render(request, "activities/campaign_list.html", {
        "lines": lines, "labels": labels, "form": form, "nav": "campaigns",
    }, status=400 if form is not None and form.errors else 200)  # fmt: skip


def _report_export(request, labels, lines):
    sheet = workbooks.Sheet(
        "作用发挥", ["镇", "专项工作", "牵头单位", "起止", "服务干部（人）", "服务时长（小时）", *labels],
        ([line.township,
          line.campaign.name if line.campaign else "合计",
          line.campaign.unit.name if line.campaign else "",
          (f"{line.campaign.start_on:%Y-%m-%d}—{line.campaign.end_on or '进行中'}"
           if line.campaign else ""),
          line.serving, line.hours, *(line.figures[label] for label in labels)]
         for line in lines),
    )  # fmt: skip
    campaigns = [line for line in lines if line.campaign]
    return report_download(
        request, sheets=[sheet], filename="作用发挥-专项工作汇总.xlsx",
        object_type="campaign", object_id="",
        detail=_("%(n)d campaigns") % {"n": len(campaigns)},
    )  # fmt: skip


def _campaign(request, pk):
    return get_object_or_404(campaigns_visible_to(request.user), pk=pk)


def _detail(request, campaign, *, role_form=None, serve_form=None, entry_form=None,
            status=200):  # fmt: skip
    user = request.user
    overview = campaign_overview(campaign, user)
    manage = may_manage_campaign(user, campaign)
    loggable = services_loggable_by(user, campaign)
    places = (
        units_visible_to(user).filter(kind__in=RESIDENCE_KINDS).order_by("tree_id", "lft")
    )
    return render(request, "activities/campaign_detail.html", {
        "campaign": campaign, "overview": overview, "table": month_table(overview),
        "figures": _figures(request, campaign),
        "sections": campaign_sections_for(request, campaign),
        "manage": manage,
        "role_form": role_form or (RoleForm() if manage else None),
        "serve_form": serve_form or ServeForm(roles=campaign.roles.all(), places=places),
        "entry_form": entry_form or (EntryForm(services=loggable) if loggable else None),
        "nav": "campaigns",
    }, status=status)  # fmt: skip


@login_required
def campaign_detail(request, pk):
    campaign = _campaign(request, pk)
    if request.GET.get("format") == "xlsx":
        return _export(request, campaign)
    return _detail(request, campaign)


def _export(request, campaign):
    overview = campaign_overview(campaign, request.user, entries=0)
    months = [f"{m.year}年{m.month}月" for m in overview.months]
    summary = workbooks.Sheet(
        "按角色", ["角色", "人数", *months, "合计（小时）"],
        ([summary.role.name, len(summary.services), *(h for _m, h in hours), total]
         for summary, hours, total in month_table(overview)),
        above=[[f"{campaign.name}（{campaign.unit.name}）服务时长"],
               [f"{label}：{n}" for label, n in _figures(request, campaign)]],
    )  # fmt: skip
    detail = hours_by_cadre_and_month(campaign, request.user)
    people = workbooks.Sheet(
        "按人员", ["姓名", "角色", *months, "合计（小时）"],
        ([name, role, *[by_month.get(m, 0) for m in overview.months], sum(by_month.values())]
         for (name, role), by_month in detail.items()),
    )  # fmt: skip
    return report_download(
        request, sheets=[summary, people], filename=f"作用发挥-{campaign.name}.xlsx",
        object_type="campaign", object_id=campaign.pk,
        detail=_("%(name)s: %(n)d cadres serving") % {"name": campaign.name, "n": overview.serving},
    )  # fmt: skip


def _figures(request, campaign):
    labels, figures = figures_for([campaign.pk], request.user)
    return [(label, figures[campaign.pk][label]) for label in labels]


@login_required
@require_POST
def campaign_role_new(request, pk):
    campaign = _campaign(request, pk)
    if not may_manage_campaign(request.user, campaign):
        raise PermissionDenied
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            campaign_role_add(by=request.user, campaign=campaign, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The role has been added."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return _detail(request, campaign, role_form=form, status=400)


@login_required
@require_POST
def campaign_serve_new(request, pk):
    campaign = _campaign(request, pk)
    places = units_visible_to(request.user).filter(kind__in=RESIDENCE_KINDS)
    form = ServeForm(request.POST, roles=campaign.roles.all(), places=places)
    if form.is_valid():
        data = form.cleaned_data
        found = candidates_for(request.user, data["role"], name=data["name"].strip(),
                               place=data["place"])  # fmt: skip
        if not found:
            form.add_error("name", _(
                "No cadre of that name whom you may change and who can serve in this role "
                "(the role needs: %s)."
            ) % data["role"].get_needs_display())  # fmt: skip
        elif len(found) > 1:
            form.add_error("place", _("%(n)d cadres have that name: choose the community "
                                      "or village.") % {"n": len(found)})  # fmt: skip
        else:
            try:
                campaign_serve(by=request.user, role=data["role"], cadre=found[0],
                               start_on=data["start_on"])  # fmt: skip
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("%(name)s now serves as %(role)s.")
                                 % {"name": found[0].name, "role": data["role"].name})  # fmt: skip
                return redirect("campaigns:detail", pk=campaign.pk)
    return _detail(request, campaign, serve_form=form, status=400)


@login_required
@require_POST
def campaign_entry_new(request, pk):
    campaign = _campaign(request, pk)
    loggable = services_loggable_by(request.user, campaign)
    if not loggable:
        raise PermissionDenied
    form = EntryForm(request.POST, services=loggable)
    if form.is_valid():
        try:
            campaign_entry_record(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The service has been logged."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return _detail(request, campaign, entry_form=form, status=400)
