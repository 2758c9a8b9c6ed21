"""Forms of organizational life: recording a meeting (phone-first), choosing a unit
and a period for compliance and participation."""

import uuid

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.datebounds import bounded_date_field
from grids.models import PartnerUnit, UnitKind

from .models import AttendanceStatus, Expected, MeetingKind
from .periods import current_quarter, parse_period
from .services.attachments import check_attachment


class MeetingStartForm(forms.Form):
    """Step one: which branch, what kind, which day (and which group)."""

    branch = forms.ModelChoiceField(label=_("Party branch"), queryset=None)
    kind = forms.ModelChoiceField(
        label=_("Meeting kind"), queryset=MeetingKind.objects.filter(is_active=True)
    )
    day = bounded_date_field("event", label=_("Date held"))
    party_group = forms.ModelChoiceField(
        label=_("Party group"), queryset=None, required=False,
        help_text=_("For a party group meeting."),
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = units.filter(kind=UnitKind.BRANCH).order_by(
            "tree_id", "lft"
        )
        self.fields["party_group"].queryset = units.filter(
            kind=UnitKind.PARTY_GROUP
        ).order_by("tree_id", "lft")
        self.fields["party_group"].label_from_instance = lambda u: (
            f"{u.parent.name if u.parent_id else ''} · {u.name}"
        )

    def clean(self):
        data = super().clean()
        kind, branch, group = (
            data.get("kind"),
            data.get("branch"),
            data.get("party_group"),
        )
        if kind and kind.expected == Expected.GROUP and branch:
            if group is None or group.parent_id != branch.pk:
                self.add_error(
                    "party_group", _("Choose the party group of this branch that met.")
                )
        elif group is not None:
            data["party_group"] = None
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class MeetingDetailsForm(forms.Form):
    """Step two: what happened (the attendance comes as a<id>/n<id> fields)."""

    topic = forms.CharField(label=_("topic"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=150, required=False)
    host = forms.CharField(label=_("host"), max_length=50, required=False)
    recorder = forms.CharField(label=_("recorder"), max_length=50, required=False)
    duration_minutes = forms.IntegerField(
        label=_("duration (minutes)"), min_value=1, max_value=1440, required=False
    )
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea, required=False)
    decisions = forms.CharField(
        label=_("decisions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partner units involved"),
        queryset=PartnerUnit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    files = MultipleFileField(
        label=_("Photos or PDF (sign-in sheet, minutes)"), required=False
    )
    token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, branch=None, **kwargs):
        super().__init__(*args, **kwargs)
        if branch is not None:
            # The partners paired with the branch's community or village, or above.
            places = branch.get_ancestors()
            self.fields["partners"].queryset = (
                PartnerUnit.objects.filter(
                    pairings__unit__in=places, pairings__end_on__isnull=True
                )
                .distinct()
                .order_by("name")
            )
        if not self.fields["partners"].queryset.exists():
            del self.fields["partners"]

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        for upload in files:
            check_attachment(upload)  # the content, not the name
        return files


def attendance_from(post, cadre_ids) -> tuple[dict[int, str], dict[int, str]]:
    """The statuses (a<id>) and notes (n<id>) posted for the expected members; a
    missing or unknown status keeps the proposal."""
    statuses, notes = {}, {}
    for pk in cadre_ids:
        status = post.get(f"a{pk}")
        if status in AttendanceStatus.values:
            statuses[pk] = status
        note = (post.get(f"n{pk}") or "").strip()[:200]
        if note:
            notes[pk] = note
    return statuses, notes


class PeriodForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    period = forms.CharField(
        label=_("Period"), max_length=40, required=False,
        help_text=_("2026-08, 2026Q3, 2026 or 2026-07-01..2026-09-30"),
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: "　" * u.level + u.name

    def clean_period(self):
        text = (
            self.cleaned_data.get("period") or current_quarter(timezone.localdate()).label
        )
        try:
            return parse_period(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def unit_and_period(request, units):
    """The unit-and-period form over `units` from the query (the first unit when
    none is asked), and (unit, period) when it is valid; 403 without any unit."""
    top = units.first()
    if top is None:
        raise PermissionDenied
    data = {"unit": top.pk, **{k: v for k, v in request.GET.items() if k != "format"}}
    form = PeriodForm(data, units=units)
    if not form.is_valid():
        return form, None
    return form, (form.cleaned_data["unit"], form.cleaned_data["period"])
