"""/care-funds/ (困难帮扶 / 慰问金, issue 21): the ledger of money and goods given,
the funds' balances per source (officers), the 离休 members not yet visited for this
Spring Festival, and recording a gift; amounts shown only to those who may read them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from grids.datebounds import bounded_date_field
from grids.forms import form_errors_from
from grids.selectors import scope_of
from members.selectors import get_cadre_for_user

from ..funds import (
    AmountRule,
    fund_balances,
    funds_to_draw,
    gifts_visible_to,
    spring_unvisited,
    this_spring_festival,
)
from ..models import GiftKind
from ..services.funds import gift_record


class GiftForm(forms.Form):
    cadre = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=GiftKind.choices)
    amount = forms.DecimalField(label=gettext_lazy("amount (yuan)"), min_value=0,
                                max_digits=9, decimal_places=2, required=False)  # fmt: skip
    goods = forms.CharField(label=gettext_lazy("goods"), max_length=100, required=False)
    fund = forms.ModelChoiceField(label=gettext_lazy("fund source"), queryset=None,
                                  required=False)  # fmt: skip
    given_on = bounded_date_field(
        "event", label=gettext_lazy("date"), initial=timezone.localdate
    )
    handed_by = forms.CharField(label=gettext_lazy("handed over by"), max_length=100)

    def __init__(self, *args, funds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds


@login_required
@require_http_methods(["GET", "POST"])
def care_funds_page(request):
    if scope_of(request.user).is_empty:
        raise PermissionDenied
    today = timezone.localdate()
    funds = funds_to_draw(request.user)
    form = GiftForm(request.POST or None, funds=funds)
    if request.method == "POST":
        cadre = get_cadre_for_user(request.user, request.POST.get("cadre"), write=True)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "cadre"}
            try:
                gift_record(by=request.user, cadre=cadre, **data)
            except ValidationError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("Recorded for %(name)s.") % {"name": cadre.name}
                )
                return redirect("care_funds")
    target = None
    if request.method == "GET" and request.GET.get("cadre"):
        target = get_cadre_for_user(request.user, request.GET.get("cadre"), write=True)
        form = GiftForm(funds=funds, initial={
            "cadre": target.pk, "kind": request.GET.get("kind") or GiftKind.HARDSHIP,
            "handed_by": request.user.first_name or request.user.username,
        })  # fmt: skip
    elif request.method == "POST":
        target = cadre
    rule = AmountRule(request.user)
    gifts = list(gifts_visible_to(request.user)[:200])
    for gift in gifts:
        gift.amount_shown = rule.allows(gift)
    year, start, end = this_spring_festival(today)
    return render(request, "services/care_funds.html", {
        "gifts": gifts, "balances": fund_balances(request.user, today.year),
        "unvisited": spring_unvisited(request.user, today), "spring": (year, start, end),
        "form": form if target else None, "target": target, "nav": "visits",
        "year": today.year,
    }, status=400 if form.errors else 200)  # fmt: skip
