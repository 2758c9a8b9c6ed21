"""Meeting pages (issue 16): record a meeting on a phone (/meetings/new/), see one
with its attendance, correct it; a branch's meetings."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from grids.forms import form_errors_from
from grids.selectors import is_officer, scope_of, units_visible_to
from grids.uploads import stored_path

from .forms import MeetingDetailsForm, MeetingStartForm, attendance_from
from .models import Activity, AttendanceStatus, MeetingAttachment, RecordStatus
from .selectors.core import meeting_history
from .selectors.dues import dues_branches
from .services import attendance_proposal, meeting_attach, meeting_record, meeting_update

STATUS_CHOICES = AttendanceStatus.choices


def _writable_units(user):
    scope = scope_of(user).writable()
    if scope.is_empty:
        raise PermissionDenied
    return units_visible_to(user).filter(scope.q())


def _meetings_visible_to(user):
    return Activity.objects.filter(scope_of(user).q("unit__"))


@login_required
def meeting_new(request):
    units = _writable_units(request.user)
    source = request.POST if request.method == "POST" else request.GET
    start = MeetingStartForm(source or None, units=units)
    if (
        request.method == "GET"
        and source
        and not start.is_valid()
        and all(
            e.code == "required"
            for errors in start.errors.as_data().values()
            for e in errors
        )
    ):
        # A link that names the branch only (from the compliance page): the form,
        # filled in so far, without errors for what is still to choose.
        start = MeetingStartForm(initial=source.dict(), units=units)
        return render(request, "activities/meeting_new.html",
                      {"start": start, "nav": "meetings"})  # fmt: skip
    if not start.is_valid():
        return render(request, "activities/meeting_new.html",
                      {"start": start, "nav": "meetings"},
                      status=400 if source else 200)  # fmt: skip
    chosen = start.cleaned_data
    branch, kind, day, group = (chosen["branch"], chosen["kind"], chosen["day"],
                                chosen["party_group"])  # fmt: skip
    proposal = attendance_proposal(branch, kind, day, group)
    details = MeetingDetailsForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial={"topic": kind.name, "place": f"{branch.parent.name}党群服务站"},
        branch=branch,
    )
    if request.method == "POST" and details.is_valid():
        statuses, notes = attendance_from(request.POST, [p.cadre.pk for p in proposal])
        data = details.cleaned_data
        try:
            activity = meeting_record(
                branch=branch, kind=kind, party_group=group,
                starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
                topic=data["topic"], place=data["place"], host=data["host"],
                recorder=data["recorder"], duration_minutes=data["duration_minutes"],
                minutes=data["minutes"], decisions=data["decisions"],
                statuses=statuses, notes=notes, client_token=data["token"],
                attachments=data["files"], partners=data.get("partners") or (),
                submit=request.POST.get("action") != "draft", by=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            form_errors_from(details, exc)
        else:
            messages.success(request, _("The meeting was recorded."))
            return redirect("meetings:detail", pk=activity.pk)
    for p in proposal:
        p.chosen = request.POST.get(f"a{p.cadre.pk}", p.status)
        p.note = request.POST.get(f"n{p.cadre.pk}", p.reason)
    return render(request, "activities/meeting_new.html", {
        "start": start, "details": details, "proposal": proposal, "branch": branch,
        "kind": kind, "day": day, "group": group, "statuses": STATUS_CHOICES,
        "nav": "meetings",
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def _may_change(user, activity) -> bool:
    """Drafts: whoever may write in the branch; a submitted record: officers."""
    if activity.status == RecordStatus.SUBMITTED:
        return is_officer(user)
    return scope_of(user).writable().contains(activity.unit)


@login_required
def meeting_detail(request, pk):
    activity = get_object_or_404(
        _meetings_visible_to(request.user).select_related("kind", "unit", "party_group"),
        pk=pk,
    )
    rows = list(
        activity.attendances.select_related("cadre").order_by(
            "cadre__name_initials", "cadre_id"
        )
    )
    may_change = _may_change(request.user, activity)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        statuses, notes = attendance_from(request.POST, [r.cadre_id for r in rows])
        submit = {"submit": True, "draft": False}.get(request.POST.get("action"))
        try:
            with transaction.atomic():
                meeting_update(activity, statuses=statuses, notes=notes, submit=submit)
                uploads = request.FILES.getlist("files")
                if uploads:
                    meeting_attach(activity=activity, uploads=uploads)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("The record was saved."))
            return redirect("meetings:detail", pk=activity.pk)
    return render(request, "activities/meeting_detail.html", {
        "activity": activity, "rows": rows, "may_change": may_change,
        "attachments": activity.attachments.all(),
        "history": list(meeting_history(activity)) if is_officer(request.user) else None,
        "statuses": STATUS_CHOICES, "nav": "meetings",
    })  # fmt: skip


@login_required
def meeting_file(request, pk):
    """A meeting's photo or PDF, only for those who see the meeting."""
    attachment = get_object_or_404(
        MeetingAttachment.objects.filter(
            activity__in=_meetings_visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    try:
        path = stored_path(settings.MEETING_FILE_DIR, attachment.stored_file)
    except ValueError:
        raise Http404 from None
    if not path.exists():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=attachment.content_type)  # noqa: SIM115
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def meeting_list(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    meetings = (
        _meetings_visible_to(request.user)
        .select_related("kind", "unit", "party_group")
        .order_by("-starts_at", "-pk")
    )
    branch = request.GET.get("branch")
    if branch and branch.isdigit():
        meetings = meetings.filter(unit_id=int(branch))
    return render(request, "activities/meeting_list.html", {
        "meetings": meetings[:200], "nav": "meetings",
        "may_dues": dues_branches(request.user).exists(),
        "may_record": not scope_of(request.user).writable().is_empty,
    })  # fmt: skip
