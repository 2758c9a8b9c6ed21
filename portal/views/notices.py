"""Notices and study material: the cadre reads them at /my/notices/; staff publish
them to a subtree and see who has read them (/portal/staff/notices/)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from grids.forms import form_errors_from
from grids.selectors import scope_of
from grids.uploads import stored_path

from ..forms import NoticeForm
from ..models import NoticeFile
from ..notices import (
    notice_for_cadre,
    notices_for,
    notices_visible_to,
    publishable_units,
    read_receipts,
)
from ..services import notice_publish, notice_read
from .access import portal_required


def _render(request, template: str, context: dict):
    return render(request, template, {"site_name": settings.PORTAL_SITE_NAME, **context})


@portal_required
def my_notices(request):
    cadre = request.portal.cadre
    page = Paginator(notices_for(cadre), 20).get_page(request.GET.get("page"))
    return _render(request, "portal/notices.html", {"page": page})


@portal_required
def my_notice(request, pk: int):
    notice = notice_for_cadre(request.portal.cadre, pk)
    if notice is None:
        raise Http404
    notice_read(notice=notice, cadre=request.portal.cadre)
    return _render(request, "portal/notice.html",
                   {"notice": notice, "study_counts": settings.PORTAL_STUDY_COUNTS})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def staff_notices(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    units = publishable_units(request.user)
    form = None
    if units.exists():
        form = NoticeForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                notice = notice_publish(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Published: the cadres of %(unit)s see it on "
                                            "their own pages.") % {"unit": notice.unit.name})  # fmt: skip
                return redirect("portal_staff:notice", notice.pk)
    page = Paginator(notices_visible_to(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/staff_notices.html",
                  {"form": form, "page": page, "nav": "notices"})  # fmt: skip


def _file_response(stored) -> FileResponse:
    try:
        path = stored_path(settings.PORTAL_FILE_DIR, stored.stored_file)
    except ValueError:
        raise Http404 from None
    if not path.exists():
        raise Http404
    response = FileResponse(open(path, "rb"), content_type=stored.content_type)  # noqa: SIM115
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@portal_required
def my_notice_file(request, pk: int):
    """A notice's photo or PDF, for a cadre the notice reaches."""
    stored = NoticeFile.objects.filter(pk=pk).first()
    if stored is None or notice_for_cadre(request.portal.cadre, stored.notice_id) is None:
        raise Http404
    return _file_response(stored)


@login_required
def staff_notice_file(request, pk: int):
    stored = NoticeFile.objects.filter(
        pk=pk, notice__in=notices_visible_to(request.user)
    ).first()
    if stored is None:
        raise Http404
    return _file_response(stored)


@login_required
def staff_notice(request, pk: int):
    notice = notices_visible_to(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return render(request, "portal/staff_notice.html",
                  {"notice": notice, "receipts": read_receipts(notice), "nav": "notices"})  # fmt: skip
