"""Opinions (我有话说): a cadre writes one at /my/opinions/ and sees the answer; the
workers of their community find it in their queue and answer it."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from grids.forms import form_errors_from
from grids.selectors import scope_of

from ..forms import AnswerForm, OpinionForm
from ..opinions import may_answer, opinions_of, opinions_visible_to, opinions_waiting_on
from ..services import opinion_answer, opinion_send
from .access import portal_required

QUEUE_SHOWN = 20


@portal_required
@require_http_methods(["GET", "POST"])
def my_opinions(request):
    form = OpinionForm(request.POST or None, initial={"client_key": uuid.uuid4()})
    if request.method == "POST" and form.is_valid():
        try:
            opinion_send(session=request.portal, text=form.cleaned_data["text"],
                         client_key=form.cleaned_data["client_key"])  # fmt: skip
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Sent. Your community's workers will answer you "
                                        "here."))  # fmt: skip
            return redirect("portal:opinions")
    page = Paginator(opinions_of(request.portal.cadre), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "portal/opinions.html",
                  {"form": form, "page": page, "site_name": settings.PORTAL_SITE_NAME})  # fmt: skip


def opinion_queue_section(request) -> dict | None:
    """The worker's queue (registered with services.queue): opinions waiting for
    their answer, oldest first."""
    waiting = opinions_waiting_on(request.user)
    count = waiting.count()
    if not count:
        return None
    return {
        "title": _("Opinions waiting for an answer"),
        "template": "portal/queue_opinions.html",
        "count": count,
        "opinions": list(waiting[:QUEUE_SHOWN]),
    }


@login_required
def staff_opinions(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    waiting = request.GET.get("show") != "all"
    opinions = opinions_visible_to(request.user)
    if waiting:
        opinions = opinions.filter(answered_at__isnull=True).order_by("sent_at", "pk")
    page = Paginator(opinions, 30).get_page(request.GET.get("page"))
    for opinion in page.object_list:
        opinion.answerable = may_answer(request.user, opinion)
    return render(request, "portal/staff_opinions.html",
                  {"page": page, "waiting": waiting, "nav": "notices",
                   "answer_form": AnswerForm()})  # fmt: skip


@login_required
@require_POST
def staff_answer(request, pk: int):
    opinion = opinions_visible_to(request.user).filter(pk=pk).first()
    if opinion is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the answer first."))
    else:
        opinion_answer(
            by=request.user, opinion=opinion, answer=form.cleaned_data["answer"]
        )
        messages.success(request, _("Answered: the cadre sees it on their own page."))
    return redirect("portal_staff:opinions")
