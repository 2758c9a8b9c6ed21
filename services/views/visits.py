"""Care pages: log a visit (on a phone), edit it, its photos, "my visits", hospital
stays and the tier override; and the visit section of the cadre profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from activities.selectors.study import study_to_deliver
from grids.forms import form_errors_from
from grids.selectors import is_officer
from members.models import Cadre
from members.selectors import cadres_visible_to, get_cadre_for_user

from .. import selectors
from ..forms import AdmitForm, DischargeForm, TierForm, VisitForm
from ..models import CareVisit, Hospitalization, VisitPhoto, VisitPlan
from ..photos import photo_path
from ..queue import sections_for
from ..requests import requests_waiting_on
from ..services import (
    VISIT_EDIT_FIELDS,
    follow_up_done,
    hospitalization_discharge,
    hospitalization_record,
    visit_log,
    visit_plan_override,
    visit_update,
)

QUEUE_PAGE_SIZE = 50  # most overdue first; a phone scrolls 50 rows comfortably


def _visitable(request, pk) -> Cadre:
    cadre = get_cadre_for_user(request.user, pk)
    if not selectors.can_visit(request.user, cadre):
        raise PermissionDenied
    return cadre


def _next(request, default: str) -> str:
    """Where to go back to: only a path on this site (never an open redirect)."""
    target = request.POST.get("next", "")
    # A path of this site ("/visits/mine/"), never a view name or a bare word that
    # redirect() would try to reverse.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
@require_http_methods(["GET", "POST"])
def visit_new(request, cadre_pk):
    """The visit form: seconds to fill on a phone. The idempotency key makes a second
    send (a double tap, a resend once the network is back) record nothing new."""
    cadre = _visitable(request, cadre_pk)
    household = [
        c for c in selectors.household_of(cadre) if selectors.can_visit(request.user, c)
    ]
    meeting = request.GET.get("meeting", "")
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        cadre=cadre,
        household=household,
        user=request.user,
        # From the queue's "study to deliver": the meeting and 送学上门 chosen.
        initial={"meeting": meeting, "kinds": ["study"]} if meeting.isdigit() else {},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = visit_log(
                cadres=form.chosen_cadres(),
                kinds=data["kinds"],
                visited_on=data["visited_on"],
                outcome=data["outcome"],
                visitors=[request.user, *data["visitors"]],
                by=request.user,
                client_key=data["client_key"],
                photo=data.get("photo") or None,
                partner=data["partner"],
                partner_staff=data["partner_staff"],
                notes=data["notes"],
                follow_up=data["follow_up"],
                follow_up_due=data["follow_up_due"],
                meeting=data.get("meeting"),
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            target = reverse("members:cadre_detail", args=[cadre.pk])
            # The confirmation shows on the next page, sent by the phone's script or not.
            messages.success(request, _("The visit is recorded."))
            if _wants_json(request):
                return JsonResponse({"ok": True, "visit": visit.pk, "next": target})
            return redirect(target)
    if request.method == "POST" and _wants_json(request):
        return JsonResponse(
            {"ok": False, "errors": form.errors.get_json_data()}, status=400
        )
    return render(
        request,
        "services/visit_form.html",
        {
            "form": form,
            "cadre": cadre,
            "household": household,
            "admit_form": AdmitForm(),
            "in_hospital": cadre.hospitalizations.filter(
                discharged_on__isnull=True
            ).first(),
            "nav": "visits",
        },
        status=400 if form.errors else 200,
    )


def _visit_for_user(request, pk) -> CareVisit:
    visit = get_object_or_404(
        selectors.visits_visible_to(request.user).select_related("partner"), pk=pk
    )
    return visit


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    """The author may correct a visit for 24 hours; afterwards an officer (the change
    history keeps who changed what)."""
    visit = _visit_for_user(request, pk)
    if not selectors.can_edit_visit(request.user, visit):
        raise PermissionDenied
    links = list(visit.visited.select_related("cadre", "cadre__residence_unit"))
    cadre = links[0].cadre
    others = [link.cadre for link in links[1:]]
    initial = {
        "kinds": list(visit.kinds.values_list("kind", flat=True)),
        "cadres": [str(link.cadre_id) for link in links],
        "visited_on": visit.visited_on,
        "outcome": visit.outcome,
        "visitors": list(visit.visitors.all()),
        "partner": visit.partner,
        "partner_staff": visit.partner_staff,
        "notes": visit.notes,
        "follow_up": visit.follow_up,
        "follow_up_due": visit.follow_up_due,
    }
    form = VisitForm(
        request.POST or None,
        request.FILES or None,
        cadre=cadre,
        household=others,
        user=request.user,
        initial=initial,
    )
    # The idempotency key belongs to a new visit's form; an edit has its visit.
    del form.fields["client_key"]
    form.fields["cadres"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit_update(
                visit=visit,
                by=request.user,
                kinds=data["kinds"],
                visitors=data["visitors"],
                photo=data.get("photo") or None,
                **{name: data[name] for name in VISIT_EDIT_FIELDS},
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("The visit is updated."))
            return redirect("members:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "services/visit_form.html",
        {"form": form, "cadre": cadre, "visit": visit, "nav": "visits"},
        status=400 if form.errors else 200,
    )


@login_required
def visit_photo(request, pk):
    """A visit photo, only for those who may see one of the visit's cadres."""
    photo = get_object_or_404(VisitPhoto.objects.select_related("visit"), pk=pk)
    if not selectors.visits_visible_to(request.user).filter(pk=photo.visit_id).exists():
        raise Http404
    path = photo_path(photo)
    if not path.exists():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=photo.content_type)  # noqa: SIM115
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def follow_up_mark_done(request, pk):
    """A follow-up done: one tap in "my visits" by anyone who may visit its cadres."""
    visit = _visit_for_user(request, pk)
    cadres = [link.cadre for link in visit.visited.select_related("cadre")]
    if not any(selectors.can_visit(request.user, c) for c in cadres):
        raise PermissionDenied
    try:
        follow_up_done(visit=visit)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("The follow-up is marked done."))
    return redirect("visits:mine")


@login_required
def my_visits(request):
    queue = selectors.visit_queue(request.user)
    study = study_to_deliver(cadres_visible_to(request.user))
    page = Paginator(queue["due"], QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.label_plans(page.object_list, queue["today"])
    for plan in page.object_list:
        plan.cadre_url = reverse("members:cadre_detail", args=[plan.cadre_id])
        plan.new_url = reverse("visits:new", args=[plan.cadre_id])
    return render(
        request,
        "services/my_visits.html",
        {**queue, "page": page, "nav": "visits", "study": study,
         "requests": requests_waiting_on(request.user), "sections": sections_for(request)},
    )  # fmt: skip


def _form_problems(form) -> str:
    """A short form's errors as one message (the form sits on another page)."""
    return "；".join(
        f"{form.fields[name].label}：{' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
def hospital_admit(request, cadre_pk):
    cadre = _visitable(request, cadre_pk)
    form = AdmitForm(request.POST)
    if form.is_valid():
        try:
            hospitalization_record(cadre=cadre, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request, _("The hospital stay is recorded: a visit is due within a day.")
            )
    else:
        messages.error(request, _form_problems(form))
    return redirect(_next(request, reverse("members:cadre_detail", args=[cadre.pk])))


@login_required
@require_POST
def hospital_discharge(request, pk):
    stay = get_object_or_404(Hospitalization.objects.select_related("cadre"), pk=pk)
    cadre = _visitable(request, stay.cadre_id)
    form = DischargeForm(request.POST)
    if form.is_valid():
        try:
            hospitalization_discharge(hospitalization=stay, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(
                request, _("The discharge is recorded: a visit is due within a week.")
            )
    else:
        messages.error(request, _form_problems(form))
    return redirect(_next(request, reverse("members:cadre_detail", args=[cadre.pk])))


@login_required
@require_POST
def plan_tier(request, cadre_pk):
    cadre = get_cadre_for_user(request.user, cadre_pk)
    if not is_officer(request.user):
        raise PermissionDenied
    form = TierForm(request.POST)
    if form.is_valid():
        try:
            visit_plan_override(
                cadre=cadre,
                tier=form.cleaned_data["tier"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("The visit tier is saved."))
    return redirect("members:cadre_detail", pk=cadre.pk)


def visit_section(request, cadre) -> dict | None:
    """The profile's visit section: plan, hospital stay, timeline (registered with
    members.profile by this app)."""
    # The profile fetched the cadre through get_cadre_for_user: visible already.
    plan = VisitPlan.objects.filter(cadre=cadre).first()
    stay = cadre.hospitalizations.filter(discharged_on__isnull=True).first()
    timeline = selectors.visit_timeline(cadre)
    for visit in timeline:
        visit.editable = selectors.can_edit_visit(request.user, visit)
    return {
        "title": _("Visits and care"),
        "template": "services/profile_visits.html",
        "plan": plan,
        "stay": stay,
        "timeline": timeline,
        "can_visit": selectors.can_visit(request.user, cadre),
        "officer": is_officer(request.user),
        "admit_form": AdmitForm(),
        "discharge_form": DischargeForm(),
        "tier_form": TierForm(
            initial={"tier": plan.override_tier, "reason": plan.override_reason}
            if plan
            else None
        ),
    }
