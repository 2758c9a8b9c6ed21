"""The dues pages' forms (issue 21)."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import bounded_date_field

from .models import ChangeKind, Collection, PaidBy

MONTH_CHOICES = [(m, f"{m}月") for m in range(1, 13)]
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class LedgerForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Party branch"), queryset=None)
    month = forms.CharField(label=_("month"), max_length=7, required=False,
                            help_text=_("YYYY-MM, e.g. 2026-03"))  # fmt: skip

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches

    def clean_month(self):
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            today = timezone.localdate()
            return today.year, today.month
        match = _MONTH.match(text)
        if (
            not match
            or not 1 <= int(match.group(2)) <= 12
            or not 1949 <= int(match.group(1)) <= 2100
        ):
            raise forms.ValidationError(_("Write the month as YYYY-MM, e.g. 2026-03."))
        return int(match.group(1)), int(match.group(2))


class PayForm(forms.Form):
    months = forms.TypedMultipleChoiceField(
        label=_("months paid"), choices=MONTH_CHOICES, coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "big-choice"}),
    )  # fmt: skip
    paid_on = bounded_date_field("event", label=_("paid on"), initial=timezone.localdate)
    paid_by = forms.ChoiceField(
        label=_("how"), choices=PaidBy.choices, initial=PaidBy.CASH
    )
    note = forms.CharField(
        label=_("note"), max_length=200, required=False,
        help_text=_("Needed when paying for a month more than six months back."),
    )  # fmt: skip

    def __init__(self, *args, unpaid=None, **kwargs):
        super().__init__(*args, **kwargs)
        if unpaid is not None:
            self.fields["months"].choices = [(m, f"{m}月") for m in unpaid]


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ChangeKind.choices)
    from_month = forms.TypedChoiceField(
        label=_("from month"), choices=MONTH_CHOICES, coerce=int
    )
    monthly_due = forms.DecimalField(
        label=_("new monthly dues (yuan)"), min_value=0, max_digits=8, decimal_places=2,
        required=False,
    )  # fmt: skip
    pension = forms.DecimalField(
        label=_("or the new monthly pension (yuan)"), min_value=0, max_digits=9,
        decimal_places=2, required=False,
    )  # fmt: skip
    reason = forms.CharField(label=_("reason"), max_length=200)
    studied_on = bounded_date_field(
        "event", label=_("studied by the branch on"), required=False
    )
    approved_on = bounded_date_field(
        "event", label=_("approved by the next-level committee on"), required=False
    )
    approved_by = forms.CharField(
        label=_("approving committee"), max_length=100, required=False
    )


class ReasonForm(forms.Form):
    arrears_reason = forms.CharField(
        label=_("reason for arrears"), max_length=200, required=False
    )


class CollectionForm(forms.Form):
    collection = forms.ChoiceField(label=_("collected"), choices=Collection.choices)
    approved_on = bounded_date_field(
        "event", label=_("quarterly collection approved by the branch on"), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("collection") == Collection.QUARTERLY and not data.get("approved_on"):
            self.add_error(
                "approved_on",
                _("Quarterly collection needs the date the branch approved it."),
            )
        return data
