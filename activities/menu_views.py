"""/menu/ (活动菜单, issue 20): a branch's menu for a quarter — what it, its grid and
township offer, for whom each suits, places and sign-ups — with the members who took
part in nothing; a grid's or township's uptake per branch; one cadre's menu with a
one-tap sign-up; one activity's sign-ups and who came. Exports are scoped and logged."""

from contextlib import suppress
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grids import workbooks
from grids.downloads import report_download
from grids.forms import form_errors_from
from grids.models import UnitKind
from grids.selectors import partners_visible_to, scope_of, units_visible_to
from members.selectors import cadres_visible_to, can_edit_cadre, get_cadre_for_user

from .forms import unit_and_period
from .menu_forms import CameForm, OfferForm
from .models import Activity, Suits
from .periods import current_quarter, parse_period
from .selectors.menu import (
    MENU_UNIT_KINDS,
    branch_menu,
    branches_uptake,
    menu_activities,
    menu_for_cadre,
    menu_kinds,
    menu_units_offerable,
    took_part_in_nothing,
    uptake_by_suits,
)
from .services.menu import menu_attendance, menu_offer, menu_sign_up, menu_withdraw


def _chosen(request):
    """The unit-and-period form, and (unit, period) when valid."""
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    units = (
        units_visible_to(request.user)
        .filter(kind__in=MENU_UNIT_KINDS)
        .order_by("tree_id", "lft")
    )
    return unit_and_period(request, units)


def _offer_form(user, data=None):
    units = menu_units_offerable(user)
    if not units.exists():
        return None
    return OfferForm(
        data, units=units, kinds=menu_kinds(), partners=partners_visible_to(user)
    )


@login_required
@require_http_methods(["GET", "POST"])
def menu_page(request):
    offer = _offer_form(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if offer is None:
            raise PermissionDenied
        if offer.is_valid():
            try:
                activity = menu_offer(by=request.user, **offer.cleaned_data)
            except ValidationError as exc:
                form_errors_from(offer, exc)
            else:
                messages.success(request, _("The activity is on the menu."))
                return redirect(
                    reverse("menu:page") + "?" + urlencode({"unit": activity.unit_id})
                )
    form, chosen = _chosen(request)
    context = {"form": form, "offer": offer, "nav": "menu"}
    if chosen:
        unit, period = chosen
        if request.GET.get("format") == "xlsx":
            return _export(request, unit, period)
        if unit.kind == UnitKind.BRANCH:
            activities = branch_menu(unit, period)
            context.update(
                activities=activities, uptake=uptake_by_suits(activities),
                nothing=took_part_in_nothing(unit, period),
            )  # fmt: skip
        else:
            activities = list(menu_activities([unit.pk], period.start, period.end))
            context.update(activities=activities, branches=branches_uptake(unit, period))
        context.update(
            unit=unit, period=period,
            export="?" + urlencode({"unit": unit.pk, "period": period.label, "format": "xlsx"}),
        )  # fmt: skip
        if (
            offer is not None
            and not offer.is_bound
            and unit in offer.fields["unit"].queryset
        ):
            offer.initial["unit"] = unit.pk
    status = 400 if (offer is not None and offer.errors) or not chosen else 200
    return render(request, "activities/menu.html", context, status=status)


def _export(request, unit, period):
    if unit.kind == UnitKind.BRANCH:
        activities = branch_menu(unit, period)
        nothing = took_part_in_nothing(unit, period)
        sheets = [
            _menu_sheet(activities, above=f"{unit.name} {period.label} 活动菜单"),
            workbooks.Sheet(
                "按适合对象", ["适合对象", "活动数", "名额", "报名", "参加"],
                ([u.label, u.offered, "不限" if u.places is None else u.places, u.signed,
                  u.took_part] for u in uptake_by_suits(activities)),
            ),
            workbooks.Sheet(
                "本季度未参加任何活动", ["姓名", "居住社区", "行动能力"],
                ([c.name, c.residence_unit.name if c.residence_unit_id else "",
                  c.get_mobility_display()] for c in nothing),
            ),
        ]  # fmt: skip
        detail = _("%(unit)s %(period)s: %(n)d activities, %(idle)d members took part in nothing") % {
            "unit": unit.name, "period": period.label, "n": len(activities), "idle": len(nothing),
        }  # fmt: skip
    else:
        rows = branches_uptake(unit, period)
        sheets = [
            workbooks.Sheet(
                "按支部", ["支部", "自办活动", "报名", "参加", "党员数", "未参加任何活动"],
                ([r.branch.name, r.offered, r.signed, r.took_part, r.members, r.nothing]
                 for r in rows),
                above=[[f"{unit.name} {period.label} 活动菜单"]],
            ),
            _menu_sheet(list(menu_activities([unit.pk], period.start, period.end))),
        ]  # fmt: skip
        detail = _("%(unit)s %(period)s: %(n)d branches") % {
            "unit": unit.name, "period": period.label, "n": len(rows),
        }  # fmt: skip
    return report_download(
        request, sheets=sheets, filename=f"活动菜单-{unit.name}-{period.label}.xlsx",
        object_type="menu", object_id=unit.pk, detail=detail,
    )  # fmt: skip


def _menu_sheet(activities, above=None):
    return workbooks.Sheet(
        "活动", ["日期", "活动", "类别", "主办", "共建单位", "适合对象", "名额", "报名", "参加"],
        ([f"{a.starts_at:%Y-%m-%d %H:%M}", a.topic, a.kind.name, a.unit.name,
          a.offered_by.name if a.offered_by_id else "", a.get_suits_display(),
          a.capacity if a.capacity is not None else "不限", a.signed, a.took_part_count]
         for a in activities),
        above=[[above]] if above else None,
    )  # fmt: skip


@login_required
def menu_cadre(request, pk):
    """One cadre's menu: what suits them first, a one-tap sign-up for each."""
    cadre = get_cadre_for_user(request.user, pk)
    error, text = None, request.GET.get("period", "")
    try:
        period = parse_period(text) if text else current_quarter(timezone.localdate())
    except ValueError as exc:
        error, period = str(exc), current_quarter(timezone.localdate())
    return render(request, "activities/menu_cadre.html", {
        "cadre": cadre, "choices": menu_for_cadre(cadre, period), "period": period,
        "error": error, "may_sign": can_edit_cadre(request.user, cadre),
        "interests": cadre.interest_labels(), "nav": "cadres",
    }, status=400 if error else 200)  # fmt: skip


def _activity(request, pk):
    """A menu activity the user sees: on the menu of a unit inside their scope or
    above it (a township's menu is each branch's too)."""
    activity = get_object_or_404(
        Activity.objects.exclude(suits="").select_related("unit", "kind", "offered_by"),
        pk=pk,
    )
    scope = scope_of(request.user)
    unit = activity.unit
    if not (
        scope.everything
        or scope.contains(unit)
        or any(
            r.tree_id == unit.tree_id and r.lft >= unit.lft and r.rght <= unit.rght
            for r in scope.ranges
        )
    ):
        raise PermissionDenied
    return activity


@login_required
@require_http_methods(["GET", "POST"])
def menu_activity(request, pk):
    """One activity: its sign-ups (the cadres the user sees) and who came."""
    activity = _activity(request, pk)
    visible = cadres_visible_to(request.user)
    signed = list(
        activity.signups.filter(cadre__in=visible).select_related(
            "cadre__branch", "cadre__residence_unit", "created_by"
        )
    )
    mine = [s.cadre for s in signed if can_edit_cadre(request.user, s.cadre)]
    came_form = CameForm(request.POST or None, cadres=mine) if mine else None
    if request.method == "POST":
        if came_form is None:
            raise PermissionDenied
        if came_form.is_valid():
            try:
                took = menu_attendance(
                    by=request.user,
                    activity=activity,
                    came=set(came_form.cleaned_data["came"]),
                )
            except ValidationError as exc:
                form_errors_from(came_form, exc)
            else:
                messages.success(
                    request, _("Attendance recorded: %(n)d took part.") % {"n": took}
                )
                return redirect("menu:activity", pk=activity.pk)
    elif came_form is not None:
        came_form.initial["came"] = list(
            activity.attendances.filter(
                cadre__in=[c.pk for c in mine], status__in=("present", "at_home")
            ).values_list("cadre_id", flat=True)
        )
    return render(request, "activities/menu_activity.html", {
        "activity": activity, "signed": signed, "came_form": came_form,
        "places_left": None if activity.capacity is None
        else max(activity.capacity - activity.signups.count(), 0),
        "home": activity.suits == Suits.HOME, "nav": "menu",
    }, status=400 if came_form is not None and came_form.errors else 200)  # fmt: skip


def _signup_target(request, pk):
    activity = _activity(request, pk)
    cadre = get_cadre_for_user(request.user, request.POST.get("cadre"), write=True)
    return activity, cadre


def _back(request, cadre):
    if request.POST.get("next", "") == "activity":
        return redirect("menu:activity", pk=request.resolver_match.kwargs["pk"])
    target = reverse("menu:cadre", args=[cadre.pk])
    with suppress(ValueError):  # back to the period the menu showed
        target += "?" + urlencode(
            {"period": parse_period(request.POST.get("period", "")).label}
        )
    return redirect(target)


@login_required
@require_POST
def menu_signup(request, pk):
    activity, cadre = _signup_target(request, pk)
    try:
        menu_sign_up(by=request.user, activity=activity, cadre=cadre)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(name)s is signed up for “%(topic)s”.")
            % {"name": cadre.name, "topic": activity.topic},
        )  # fmt: skip
    return _back(request, cadre)


@login_required
@require_POST
def menu_cancel(request, pk):
    activity, cadre = _signup_target(request, pk)
    try:
        withdrawn = menu_withdraw(by=request.user, activity=activity, cadre=cadre)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if withdrawn:
            messages.success(request, _("The sign-up has been taken back."))
    return _back(request, cadre)
