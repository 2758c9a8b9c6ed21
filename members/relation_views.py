"""/cadres/relations/ (组织关系转接, issue 21): the transfers out and in inside the
user's scope with the return slips still out (late ones marked), recording a return
slip, a transfer in (the member placed in a branch); a member's transfer out and
the printable letter of introduction with its return slip."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grids.datebounds import bounded_date_field
from grids.forms import form_errors_from
from grids.models import UnitKind
from grids.params import int_from
from grids.selectors import scope_of, unit_ids_in

from .idnumbers import mask_id_number
from .models import Category, Direction, MemberStatus, RelationTransfer
from .selectors import can_reveal, get_cadre_for_user, writable_units
from .services import (
    relation_receipt_received,
    relation_transfer_in,
    relation_transfer_out,
)


class OutForm(forms.Form):
    to = forms.CharField(
        label=gettext_lazy("receiving party organization"), max_length=150
    )
    on = bounded_date_field(
        "event", label=gettext_lazy("date"), initial=timezone.localdate
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200, required=False,
                             help_text=gettext_lazy("e.g. moved to live with children"))  # fmt: skip
    valid_days = forms.IntegerField(label=gettext_lazy("valid for (days)"), min_value=1,
                                    max_value=90, initial=30)  # fmt: skip


class InForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("full name"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=18)
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=20, required=False)
    category = forms.ChoiceField(label=gettext_lazy("category"), choices=Category.choices,
                                 initial=Category.TUIXIU)  # fmt: skip
    member_status = forms.ChoiceField(label=gettext_lazy("member status"),
                                      choices=MemberStatus.choices[:2],
                                      initial=MemberStatus.FULL)  # fmt: skip
    branch = forms.ModelChoiceField(label=gettext_lazy("party branch"), queryset=None)
    origin = forms.CharField(
        label=gettext_lazy("from party organization"), max_length=150
    )
    their_number = forms.CharField(label=gettext_lazy("their letter number"), max_length=40,
                                   required=False)  # fmt: skip
    on = bounded_date_field(
        "event", label=gettext_lazy("date"), initial=timezone.localdate
    )
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200, required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


def _transfers(user):
    scope = scope_of(user)
    transfers = RelationTransfer.objects.select_related("cadre", "branch")
    if scope.everything:
        return transfers
    return transfers.filter(Q(branch_id__in=unit_ids_in(user)))


@login_required
@require_http_methods(["GET", "POST"])
def relations_page(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    branches = (
        writable_units(request.user)
        .filter(kind=UnitKind.BRANCH)
        .order_by("tree_id", "lft")
    )
    may_write = branches.exists()
    form = InForm(request.POST or None, branches=branches) if may_write else None
    if request.method == "POST":
        if request.POST.get("action") == "receipt":
            transfer = get_object_or_404(
                _transfers(request.user), pk=int_from(request.POST.get("transfer"), 0)
            )
            relation_receipt_received(
                by=request.user, transfer=transfer, on=timezone.localdate()
            )
            messages.success(request, _("The return slip is recorded."))
            return redirect("members:relations")
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                transfer = relation_transfer_in(by=request.user, **data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("%(name)s is placed in %(branch)s.") % {
                    "name": transfer.cadre.name, "branch": transfer.branch.name})  # fmt: skip
                return redirect("members:cadre_detail", pk=transfer.cadre_id)
    today = timezone.localdate()
    transfers = list(_transfers(request.user)[:200])
    for t in transfers:
        t.late = (
            t.direction == Direction.OUT and not t.receipt_on and t.receipt_due_on < today
        )
    return render(request, "members/relations.html", {
        "transfers": transfers, "form": form, "nav": "cadres",
        "late": sum(1 for t in transfers if t.late),
    }, status=400 if form is not None and form.errors else 200)  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def relation_out(request, pk):
    cadre = get_cadre_for_user(request.user, pk, write=True)
    form = OutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = relation_transfer_out(
                by=request.user, cadre=cadre, **form.cleaned_data
            )
        except ValidationError as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, _("Transferred out: letter %(number)s.") % {
                "number": transfer.letter_number})  # fmt: skip
            return redirect("members:relation_letter", pk=transfer.pk)
    return render(request, "members/relation_out.html", {
        "cadre": cadre, "form": form, "nav": "cadres",
    }, status=400 if form.errors else 200)  # fmt: skip


@login_required
def relation_letter(request, pk):
    transfer = get_object_or_404(_transfers(request.user), pk=pk, direction=Direction.OUT)
    cadre = transfer.cadre
    id_number = (
        cadre.id_number if can_reveal(request.user, cadre, "id_number")
        else mask_id_number(cadre.id_number)
    )  # fmt: skip
    return render(request, "members/relation_letter.html", {
        "t": transfer, "cadre": cadre, "id_number": id_number,
        "age": cadre.age(transfer.on), "nav": "cadres",
    })  # fmt: skip
