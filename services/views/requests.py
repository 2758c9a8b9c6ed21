"""/requests/ (issue 20): needs recorded (点单), assigned (派单), accepted (接单) and
done, each step by the right role, with their history; overdue ones marked."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from grids.datebounds import bounded_date_field
from grids.forms import form_errors_from
from grids.models import RESIDENCE_KINDS, StaffAssignment
from grids.selectors import WRITE_ROLES, scope_of, units_visible_to
from members.models import CadreStatus, Talent
from members.selectors import cadres_visible_to

from ..models import RequestKind, RequestStatus
from ..requests import is_overdue, requests_visible_to, steps_for
from ..selectors.partners import partners_visible_to
from ..services.requests import request_create, request_move


class RequestForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("community or village"), queryset=None
    )
    cadre = forms.ModelChoiceField(
        label=gettext_lazy("cadre"), queryset=None, required=False,
        help_text=gettext_lazy("Empty for a community's own need"),
    )  # fmt: skip
    kind = forms.ChoiceField(
        label=gettext_lazy("kind of need"), choices=RequestKind.choices
    )
    need = forms.CharField(label=gettext_lazy("what is needed"), max_length=200)
    due_on = bounded_date_field(
        "planned", label=gettext_lazy("needed by"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        writable = scope_of(user).writable()
        self.fields["unit"].queryset = (
            units_visible_to(user).filter(kind__in=RESIDENCE_KINDS).filter(writable.q())
            .order_by("tree_id", "lft")
        )  # fmt: skip
        self.fields["cadre"].queryset = (
            cadres_visible_to(user)
            .filter(status=CadreStatus.ACTIVE)
            .order_by("name_initials")
        )


@login_required
@require_http_methods(["GET", "POST"])
def request_list(request):
    user = request.user
    if scope_of(user).is_empty:
        raise PermissionDenied
    form = RequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = request_create(by=user, **data)
        except ValidationError as exc:
            form_errors_from(form, exc)
        except PermissionDenied:  # a cadre of another community than the user's
            form.add_error("cadre", _("You may record needs only in your own area."))
        else:
            messages.success(request, _("The need is recorded."))
            return redirect("requests:detail", pk=made.pk)
    status = request.GET.get("status", "open")
    shown = requests_visible_to(user)
    if status == "open":
        shown = shown.filter(status__in=["requested", "assigned", "accepted"])
    elif status in RequestStatus.values:
        shown = shown.filter(status=status)
    today = timezone.localdate()
    rows = [(r, is_overdue(r, today)) for r in shown[:300]]
    return render(request, "services/requests.html", {
        "rows": rows, "form": form if form.fields["unit"].queryset.exists() else None,
        "status": status, "statuses": RequestStatus.choices, "nav": "campaigns",
    }, status=400 if form.errors else 200)  # fmt: skip


def _doers(user):
    """Who a dispatcher may assign: staff with a writing role inside their scope,
    willing cadres of the talent pool they see, partners paired inside it."""
    staff = (
        get_user_model()
        .objects.filter(
            is_active=True,
            pk__in=StaffAssignment.objects.filter(
                role__in=WRITE_ROLES, unit__in=units_visible_to(user)
            ).values("user_id"),
        )
        .order_by("username")
    )
    talents = (
        Talent.objects.filter(willing=True, cadre__in=cadres_visible_to(user),
                              cadre__status=CadreStatus.ACTIVE)
        .select_related("cadre", "skill").order_by("cadre__name_initials")
    )  # fmt: skip
    return staff, talents, partners_visible_to(user)


@login_required
def request_detail(request, pk):
    care_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    steps = steps_for(request.user, care_request)
    staff, talents, partners = (
        _doers(request.user) if "assigned" in steps else ([], [], [])
    )
    return render(request, "services/request_detail.html", {
        "r": care_request, "steps": steps, "history": care_request.steps.select_related("by"),
        "overdue": is_overdue(care_request), "staff": staff, "talents": talents,
        "partners": partners, "nav": "campaigns",
    })  # fmt: skip


@login_required
@require_POST
def request_step(request, pk):
    care_request = get_object_or_404(requests_visible_to(request.user), pk=pk)
    status = request.POST.get("status", "")
    post = request.POST
    doer = {}
    try:
        if status == RequestStatus.ASSIGNED:
            # Only the doers the page offers (an id from elsewhere is not found).
            staff, talents, partners = _doers(request.user)
            for key, choices in (("user", staff), ("cadre", cadres_visible_to(request.user)),
                                 ("partner", partners)):  # fmt: skip
                if post.get(key):
                    doer[key] = choices.get(pk=int(post[key]))
        request_move(by=request.user, request=care_request, status=status,
                     note=post.get("note", ""), partner_person=post.get("partner_person", ""),
                     **doer)  # fmt: skip
    except (ValueError, ObjectDoesNotExist, ValidationError) as exc:
        messages.error(
            request,
            "；".join(getattr(exc, "messages", [])) or _("Choose from the lists."),
        )
    else:
        messages.success(
            request, _("The request is now: %s") % RequestStatus(status).label
        )
    return redirect("requests:detail", pk=care_request.pk)
