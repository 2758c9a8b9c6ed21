"""The campaign pages' forms (issue 20)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import bounded_date_field
from members.models import Mobility

from .models import RoleKind


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=150)
    unit = forms.ModelChoiceField(label=_("organizing unit"), queryset=None)
    start_on = bounded_date_field("planned", label=_("start date"))
    end_on = bounded_date_field("planned", label=_("end date"), required=False)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    standard_roles = forms.BooleanField(
        label=_("Start with the three roles 调查摸底, 宣传发动, 督导巡查"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: "　" * u.level + u.name

    def clean(self):
        data = super().clean()
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("The end date is before the start date."))
        return data


class RoleForm(forms.Form):
    name = forms.CharField(label=_("role"), max_length=50)
    kind = forms.ChoiceField(label=_("kind of role"), choices=RoleKind.choices)
    needs = forms.ChoiceField(
        label=_("needs"), choices=Mobility.choices, initial=Mobility.NEARBY
    )


class ServeForm(forms.Form):
    role = forms.ModelChoiceField(label=_("role"), queryset=None)
    name = forms.CharField(
        label=_("cadre"),
        max_length=50,
        help_text=_("The name, or its pinyin initials"),
    )
    place = forms.ModelChoiceField(
        label=_("community or village"), queryset=None, required=False,
        help_text=_("Only needed when several cadres have the name"),
    )  # fmt: skip
    start_on = bounded_date_field("event", label=_("serving since"), required=False)

    def __init__(self, *args, roles, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = roles
        self.fields["place"].queryset = places


class EntryForm(forms.Form):
    service = forms.ChoiceField(label=_("who"))
    on = bounded_date_field("event", label=_("date"), initial=timezone.localdate)
    hours = forms.DecimalField(
        label=_("hours"), min_value=Decimal("0.5"), max_value=24, decimal_places=1,
        max_digits=4, widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )  # fmt: skip
    done = forms.CharField(label=_("what was done"), max_length=200)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.services = {str(s.pk): s for s in services}
        self.fields["service"].choices = [
            (str(s.pk), f"{s.cadre.name} · {s.role.name}") for s in services
        ]

    def clean_service(self):
        return self.services[self.cleaned_data["service"]]
