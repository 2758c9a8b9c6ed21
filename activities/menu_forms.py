"""The activity menu's forms (issue 20)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import bounded_date_field
from members.models import Interest

from .models import Suits


class OfferForm(forms.Form):
    """An activity on a menu: what, when, for whom it suits and how many it takes."""

    unit = forms.ModelChoiceField(label=_("offered to"), queryset=None)
    kind = forms.ModelChoiceField(label=_("kind"), queryset=None)
    topic = forms.CharField(label=_("activity"), max_length=200)
    theme = forms.ChoiceField(
        label=_("theme"), choices=[("", "—"), *Interest.choices], required=False
    )
    day = bounded_date_field("planned", label=_("Date"))
    time = forms.TimeField(
        label=_("Time"), initial=datetime.time(9, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    place = forms.CharField(label=_("place"), max_length=150, required=False)
    suits = forms.ChoiceField(
        label=_("suits"), choices=Suits.choices, initial=Suits.NEARBY,
        widget=forms.RadioSelect(attrs={"class": "big-choice"}),
    )  # fmt: skip
    capacity = forms.IntegerField(
        label=_("capacity"), min_value=1, max_value=999, required=False,
        help_text=_("Blank: no limit."),
    )  # fmt: skip
    offered_by = forms.ModelChoiceField(
        label=_("offered by partner unit"), queryset=None, required=False
    )

    def __init__(self, *args, units, kinds, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: "　" * u.level + u.name
        self.fields["kind"].queryset = kinds
        self.fields["offered_by"].queryset = partners

    def clean(self):
        data = super().clean()
        day, time = data.pop("day", None), data.pop("time", None)
        if day and time:
            data["starts_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        return data


class CameForm(forms.Form):
    """Who came: one box per signed-up cadre (the page lists them)."""

    came = forms.TypedMultipleChoiceField(
        label=_("came"), coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "big-choice"}),
    )  # fmt: skip

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["came"].choices = [(c.pk, c.name) for c in cadres]
