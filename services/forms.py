import calendar
import datetime
import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from activities.forms import MultipleFileField, MultipleFileInput
from activities.models import Activity
from activities.selectors.study import study_to_deliver
from grids.datebounds import bounded_date_field, date_bounds
from grids.forms import UnknownFieldErrorsToTop
from grids.models import PartnerUnit, StaffAssignment
from grids.selectors import WRITE_ROLES
from members.models import Cadre

from .models import (
    FindingKind,
    HealthCheck,
    Hospitalization,
    VisitKind,
    VisitOutcome,
    VisitTier,
)
from .photos import check_photo


class VisitForm(forms.Form):
    client_key = forms.UUIDField(widget=forms.HiddenInput)
    kinds = forms.MultipleChoiceField(
        label=_("What was done"),
        choices=VisitKind.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "big-choice"}),
        error_messages={"required": _("Choose at least one kind of visit or service.")},
    )
    cadres = forms.MultipleChoiceField(
        label=_("Cadres visited"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "big-choice"}),
        error_messages={"required": _("Choose at least one cadre who was visited.")},
    )
    visited_on = bounded_date_field("event", label=_("Date"))
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=VisitOutcome.choices,
        initial=VisitOutcome.MET,
        widget=forms.RadioSelect(attrs={"class": "big-choice"}),
    )
    visitors = forms.ModelMultipleChoiceField(
        label=_("Fellow visitors"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "big-choice"}),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner unit"), queryset=PartnerUnit.objects.none(), required=False
    )
    partner_staff = forms.CharField(
        label=_("Visitors from the partner unit"), max_length=200, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(label=_("Follow-up"), max_length=200, required=False)
    follow_up_due = bounded_date_field("planned", label=_("Follow-up by"), required=False)
    meeting = forms.ModelChoiceField(
        label=_("Meeting studied"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("送学上门: the meeting whose study you delivered."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*", "capture": "environment"}
        ),
    )

    def __init__(self, *args, cadre, household, user, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_key", uuid.uuid4())
        kwargs["initial"].setdefault("visited_on", timezone.localdate())
        kwargs["initial"].setdefault("cadres", [str(cadre.pk)])
        super().__init__(*args, **kwargs)
        # The meetings whose study this cadre is owed (送学上门 follows the meeting).
        owed = [
            o.activity.pk for o in study_to_deliver(Cadre.objects.filter(pk=cadre.pk))
        ]
        self.fields["meeting"].queryset = Activity.objects.filter(
            pk__in=owed
        ).select_related("kind")
        self.fields["meeting"].label_from_instance = lambda a: (
            f"{a.starts_at:%Y-%m-%d} {a.kind.name}：{a.topic}"
        )
        if not owed:
            del self.fields["meeting"]
        self.cadre_objects = {str(c.pk): c for c in [cadre, *household]}
        self.fields["cadres"].choices = [
            (pk, c.name if c.pk == cadre.pk else gettext("%s (same household)") % c.name)
            for pk, c in self.cadre_objects.items()
        ]
        units = [u for u in (cadre.residence_unit, cadre.branch) if u]
        ancestors = {a.pk for u in units for a in u.get_ancestors(include_self=True)}
        colleagues = (
            StaffAssignment.objects.filter(unit_id__in=ancestors, role__in=WRITE_ROLES)
            .exclude(user=user)
            .values("user_id")
        )
        self.fields["visitors"].queryset = (
            get_user_model()
            .objects.filter(pk__in=colleagues, is_active=True)
            .order_by("username")
        )
        self.fields["visitors"].label_from_instance = lambda u: u.first_name or u.username
        self.fields["partner"].queryset = PartnerUnit.objects.filter(
            is_active=True, pairings__unit_id__in=ancestors
        ).distinct()

    def clean(self):
        data = super().clean()
        if data.get("follow_up_due") and not data.get("follow_up"):
            self.add_error(
                "follow_up", _("Say what the follow-up is when giving its due date.")
            )
        return data

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            check_photo(photo)  # a Chinese message on the field, before anything is saved
        return photo

    def chosen_cadres(self):
        return [self.cadre_objects[pk] for pk in self.cleaned_data["cadres"]]


class AdmitForm(forms.Form):
    admitted_on = bounded_date_field("event", label=_("Admitted on"))
    hospital = forms.CharField(label=_("Hospital"), max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("admitted_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class DischargeForm(forms.Form):
    discharged_on = bounded_date_field("event", label=_("Discharged on"))

    def __init__(self, *args, stay: Hospitalization | None = None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("discharged_on", timezone.localdate())
        super().__init__(*args, **kwargs)


class TierForm(forms.Form):
    tier = forms.ChoiceField(
        label=_("Tier"),
        choices=[("", _("By the rules"))] + list(VisitTier.choices),
        required=False,
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class CoverageForm(forms.Form):
    PERIODS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("custom", _("Custom range")),
    ]
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, initial="quarter")
    year = forms.IntegerField(label=_("Year"), min_value=1949)
    number = forms.IntegerField(
        label=_("Month or quarter"), min_value=1, max_value=12, required=False
    )
    start = bounded_date_field("period", label=_("From"), required=False)
    end = bounded_date_field("period", label=_("To"), required=False)
    cut = forms.ChoiceField(
        label=_("Who"),
        required=False,
        choices=[
            ("all", _("All cadres")),
            ("lixiu", _("Lixiu cadres")),
            ("aged80", _("Aged 80 and over")),
            ("alone", _("Living alone")),
        ],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        # Periods from 1949 to ten years ahead (grids.datebounds).
        latest_year = date_bounds("period")[1].year
        self.fields["year"].max_value = latest_year
        self.fields["year"].validators.append(MaxValueValidator(latest_year))
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: "　" * u.level + u.name

    def clean(self):
        data = super().clean()
        period, year, number = data.get("period"), data.get("year"), data.get("number")
        if period == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both dates of the range."))
            if end < start:
                raise forms.ValidationError(_("The range ends before it begins."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("The range may span three years at most."))
        elif year:
            if period == "year":
                start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            elif period == "quarter":
                q = min(max(number or 1, 1), 4)
                start = datetime.date(year, 3 * q - 2, 1)
                end = datetime.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
            else:
                m = number or 1
                start = datetime.date(year, m, 1)
                end = datetime.date(year, m, calendar.monthrange(year, m)[1])
        else:
            return data
        data["start"], data["end"] = start, end
        return data


class HealthCheckForm(UnknownFieldErrorsToTop, forms.ModelForm):
    class Meta:
        model = HealthCheck
        fields = ["checked_on", "provider", "partner", "systolic", "diastolic",
                  "fasting_glucose", "height_cm", "weight_kg", "findings", "advice",
                  "follow_up"]  # fmt: skip
        widgets = {
            "checked_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "findings": forms.Textarea(attrs={"rows": 2}),
            "advice": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("checked_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = PartnerUnit.objects.filter(is_active=True)


class PatrolForm(forms.Form):
    """A patrol in a few taps on a phone (issue 20)."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)
    day = bounded_date_field("event", label=_("Date"))
    time = forms.TimeField(
        label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Route or spot"), max_length=120)
    members = forms.MultipleChoiceField(
        label=_("Who went"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "big-choice"}),
    )
    finding_kind = forms.ChoiceField(
        label=_("What was found"), choices=FindingKind.choices,
        widget=forms.RadioSelect(attrs={"class": "big-choice"}), initial=FindingKind.NONE,
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    passed_to = forms.CharField(
        label=_("Passed on to"), max_length=100, required=False,
        help_text=_("e.g. the village committee, the river chief's office"),
    )  # fmt: skip
    photos = MultipleFileField(
        label=_("Photos"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )  # fmt: skip

    def __init__(self, *args, team, **kwargs):
        kwargs.setdefault("initial", {})
        now = timezone.localtime()
        kwargs["initial"].setdefault("client_key", uuid.uuid4())
        kwargs["initial"].setdefault("day", now.date())
        kwargs["initial"].setdefault("time", now.strftime("%H:%M"))
        super().__init__(*args, **kwargs)
        self.team = {str(c.pk): c for c in team}
        self.fields["members"].choices = [
            (str(c.pk), f"{c.name}（{c.residence_unit.name}）") for c in team
        ]

    def clean_members(self):
        return [self.team[pk] for pk in self.cleaned_data["members"]]

    def patrolled_at(self):
        day, time = self.cleaned_data["day"], self.cleaned_data["time"]
        return timezone.make_aware(datetime.datetime.combine(day, time))


class FindingForm(forms.Form):
    passed_to = forms.CharField(label=_("Passed on to"), max_length=100, required=False)
    resolution = forms.CharField(label=_("How it was resolved"), max_length=200,
                                 required=False)  # fmt: skip
    closed_on = bounded_date_field("event", label=_("Closed on"), required=False)
    close = forms.BooleanField(label=_("Close the finding"), required=False)
