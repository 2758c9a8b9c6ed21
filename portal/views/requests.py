"""我要办事: a cadre asks for a service on their own pages (点单, issue 20's requests)
and follows it — assigned, accepted, done — with each step kept."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grids.forms import form_errors_from
from services.models import CareRequest, RequestKind, RequestStep
from services.services.requests import request_create_own

from .access import portal_required

# What a cadre asks for themselves (a lecture or a mediation is a community's need).
OWN_KINDS = [
    (k, v) for k, v in RequestKind.choices if k in ("ride", "home_help", "other")
]


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What do you need?"), choices=OWN_KINDS,
                             widget=forms.RadioSelect)  # fmt: skip
    need = forms.CharField(
        label=gettext_lazy("Say a little more (when, where)"), max_length=200
    )


@portal_required
@require_http_methods(["GET", "POST"])
def my_requests(request):
    session = request.portal
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = session.contact
        try:
            request_create_own(cadre=session.cadre, kind=form.cleaned_data["kind"],
                               need=form.cleaned_data["need"],
                               asked_by=f"{contact.name}（{contact.relation}）" if contact else "")  # fmt: skip
        except ValidationError as exc:
            form_errors_from(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Your community is not recorded: please tell your "
                                   "community worker in person."))  # fmt: skip
        else:
            messages.success(request, _("Asked. You can follow it here."))
            return redirect("portal:requests")
    mine = (
        CareRequest.objects.filter(cadre=session.cadre)
        .select_related("assigned_user", "assigned_cadre", "assigned_partner")
        .prefetch_related(
            Prefetch("steps", queryset=RequestStep.objects.order_by("at", "pk"))
        )
        .order_by("-created_at", "-pk")[:30]
    )
    return render(request, "portal/requests.html", {
        "form": form, "mine": mine, "site_name": settings.PORTAL_SITE_NAME,
    })  # fmt: skip
