"""/imports/: upload, check, confirm, follow the progress, see the result."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from grids.audit import access_log_record
from grids.downloads import xlsx_file_response, xlsx_response
from grids.models import AccessAction

from ..selectors import writable_units
from . import demo_roster as demo
from . import services
from .engines import ENGINES
from .files import UploadRefused
from .forms import UploadForm
from .models import ImportJob, ImportKind

RECENT_JOBS = 20


def _kinds(request) -> list[str]:
    kinds = services.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    return kinds


def _job(request, pk) -> ImportJob:
    """The user's own import, or 404: nobody sees another person's file or errors."""
    _kinds(request)
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    if not services.may_import(request.user, job.kind):
        raise Http404
    if services.imports_unstick(job_id=job.pk):  # its worker or thread died
        job.refresh_from_db()
    return job


@login_required
@require_http_methods(["GET", "POST"])
def imports_home(request):
    kinds = _kinds(request)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        kinds=kinds,
        units=writable_units(request.user),
        initial={"kind": request.GET.get("kind") or kinds[0]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                user=request.user,
                uploaded=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                mode=form.cleaned_data["mode"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                default_unit=form.cleaned_data["default_unit"],
                default_branch=form.cleaned_data["default_branch"],
            )
        except UploadRefused as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("imports:detail", pk=job.pk)
    jobs = ImportJob.objects.filter(user=request.user)[:RECENT_JOBS]
    return render(
        request,
        "members/imports/home.html",
        {
            "form": form,
            "jobs": jobs,
            "templates": [(k, ENGINES[k].template_name) for k in kinds],
            "demo": settings.DEMO_DATA_ALLOWED,
            "nav": "imports",
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_detail(request, pk):
    job = _job(request, pk)
    summary = job.result or job.preview or {}
    # Several columns could be one field: the question, field by field.
    question = [
        {"key": key, "field": summary.get("fields", {}).get(key, key), "columns": columns}
        for key, columns in summary.get("choose", {}).items()
    ] if job.status == "choosing" else []  # fmt: skip
    if question:
        summary = {}
    return render(
        request,
        "members/imports/detail.html",
        {
            "job": job,
            "summary": summary,
            "progress": services.progress_of(job),
            "more_errors": max(
                summary.get("error_count", 0) - len(summary.get("errors", [])), 0
            ),
            "nav": "imports",
            "question": question,
        },
    )


@login_required
def import_progress(request, pk):
    job = _job(request, pk)
    return JsonResponse(services.progress_of(job))


@login_required
@require_POST
def import_confirm(request, pk):
    job = services.import_job_confirm(job=_job(request, pk), user=request.user)
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def import_choose(request, pk):
    """The answer to "which column is this field?": the file is checked again."""
    job = _job(request, pk)
    question = (job.preview or {}).get("choose") or {}
    try:
        job = services.import_job_choose(
            job=job, user=request.user,
            chosen={key: request.POST.get(f"column-{key}", "") for key in question},
        )  # fmt: skip
    except services.ChoiceRefused as exc:
        messages.error(request, str(exc))
    return redirect("imports:detail", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    job = services.import_job_cancel(job=_job(request, pk), user=request.user)
    return redirect("imports:detail", pk=job.pk)


@login_required
def import_error_file(request, pk):
    job = _job(request, pk)
    path = services.error_file_path(job, request.user)
    if path is None or not path.exists():
        raise Http404
    access_log_record(
        request=request,
        action=AccessAction.EXPORT,
        object_type="import_errors",
        object_id=job.pk,
        detail=job.file_name,
    )
    name = f"错误-{job.file_name.rsplit('.', 1)[0]}.xlsx"
    return xlsx_file_response(path, name)


@login_required
def import_template(request, kind):
    if kind not in ImportKind.values or kind not in _kinds(request):
        raise Http404
    engine = ENGINES[kind]
    return xlsx_response(engine.template(), str(engine.template_name))


@login_required
def demo_roster(request):
    """The demo's messy roster (or, with ?corrected=1, the same file corrected): for
    trying the import. Never offered where demo data is not allowed (production)."""
    if not settings.DEMO_DATA_ALLOWED:
        raise Http404
    _kinds(request)
    corrected = request.GET.get("corrected") == "1"
    name = "示例花名册（已改正）.xlsx" if corrected else "示例花名册（含错误）.xlsx"
    return xlsx_response(demo.workbook(corrected=corrected), name)
