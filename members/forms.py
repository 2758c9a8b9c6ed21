from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grids.audit import ACCESS_KINDS
from grids.datebounds import bounded_date_field
from grids.forms import UnknownFieldErrorsToTop
from grids.models import RESIDENCE_KINDS, AccessAction, OrgUnit, UnitKind

from .idnumbers import mask_id_number, mask_phone
from .models import (
    ArchiveReason,
    Cadre,
    Category,
    FamilyContact,
    Interest,
    LivingSituation,
    MemberStatus,
)
from .selectors import REVEAL_FIELDS


class UnitChoiceField(forms.ModelChoiceField):
    """Units shown with their place in the tree (indented by level)."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "\u3000" * max(obj.level - 1, 0) + obj.name


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


AGE_CHOICES = [("", _("any age")), ("80", _("80 and over")), ("90", _("90 and over"))]
CARE_CHOICES = [
    ("", _("any")),
    ("critically_ill", _("critically ill")),
    ("disabled", _("disabled or cognitively impaired")),
    ("hardship", _("in hardship")),
    ("cannot_attend", _("at home only")),
    ("nearby_only", _("nearby only")),
]
PARTY_CHOICES = [
    ("", _("any")),
    ("member", _("party members")),
    ("non_member", _("not party members")),
    *MemberStatus.choices,
]
STATUS_CHOICES = [
    ("active", _("on the roster")),
    ("archived", _("archived")),
    ("all", _("all")),
]
SORT_CHOICES = [
    ("name", _("full name")),
    ("-age", _("oldest first")),
    ("age", _("youngest first")),
    ("unit", _("place of residence")),
]


class CadreFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"placeholder": _("name, pinyin initials or last digits of the ID")}
        ),
    )
    unit = UnitChoiceField(
        label=_("unit"), queryset=OrgUnit.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("category"), choices=[("", _("any")), *Category.choices], required=False
    )
    age = forms.ChoiceField(label=_("age"), choices=AGE_CHOICES, required=False)
    living = forms.ChoiceField(
        label=_("living situation"),
        choices=[("", _("any")), *LivingSituation.choices],
        required=False,
    )
    care = forms.ChoiceField(label=_("care"), choices=CARE_CHOICES, required=False)
    party = forms.ChoiceField(
        label=_("party status"), choices=PARTY_CHOICES, required=False
    )
    status = forms.ChoiceField(label=_("roster"), choices=STATUS_CHOICES, required=False)
    sort = forms.ChoiceField(label=_("sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units.exclude(
                kind=UnitKind.PARTY_GROUP
            ).order_by("tree_id", "lft")

    def describe(self) -> str:
        """The filters chosen, as the page says them (for the access log): "类别：离休；
        年龄：80岁及以上". The search text itself is not repeated (it may be digits of
        an ID number)."""
        parts = []
        for name, value in self.cleaned_data.items():
            if not value or name == "sort":
                continue
            field = self.fields[name]
            if name == "q":
                shown = _("a search")
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                shown = dict(field.choices).get(value, value)
            else:
                shown = getattr(value, "name", value)
            parts.append(f"{field.label}：{shown}")
        return "；".join(str(p) for p in parts)


CADRE_FIELDS = [
    "name",
    "id_number",
    "sex",
    "birth_date",
    "ethnicity",
    "phone",
    "phone2",
    "address",
    "category",
    "lixiu_period",
    "original_rank",
    "benefit_level",
    "original_work_unit",
    "retirement_date",
    "work_started_on",
    "native_place",
    "marital_status",
    "education",
    "is_party_member",
    "joined_party_on",
    "joined_party_precision",
    "full_member_on",
    "full_member_precision",
    "member_status",
    "branch",
    "party_group",
    "residence_unit",
    "living_situation",
    "on_roster_since",
    "mobility",
    "critically_ill",
    "disabled_or_cognitive",
    "in_hardship",
    "interests",
    *REVEAL_FIELDS["health"],  # the notes, the requests, then the medical fields
    *REVEAL_FIELDS["pension"],
]


class CadreForm(UnknownFieldErrorsToTop, forms.ModelForm):
    """Create or edit a dossier. The branch is chosen on creation only: later
    changes are transfers (their own confirmed action, with history)."""

    interests = forms.MultipleChoiceField(
        label=_("interests"), choices=Interest.choices, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "big-choice"}),
        help_text=_("What the cadre likes to take part in: their activity menu shows it first."),
    )  # fmt: skip

    class Meta:
        model = Cadre
        fields = CADRE_FIELDS
        widgets = {
            "birth_date": DateInput(),
            "retirement_date": DateInput(),
            "on_roster_since": DateInput(),
            "work_started_on": DateInput(),
            "joined_party_on": DateInput(),
            "full_member_on": DateInput(),
            "requests": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def clean_on_roster_since(self):
        value = self.cleaned_data.get("on_roster_since")
        return value or self.instance.on_roster_since or timezone.localdate()

    def __init__(
        self, *args, branches=None, places=None, groups=None, locked=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        # Fields the user may not reveal (REVEAL_FIELDS of the locked groups) leave
        # the form: they are shown masked beside it and cannot be changed blindly.
        self.locked = []
        for name in settings.DOSSIER_HIDDEN_FIELDS:  # a field this township does not keep
            self.fields.pop(name, None)
        for group in locked:
            for name in REVEAL_FIELDS[group]:
                field = self.fields.pop(name, None)
                if field is not None:
                    self.locked.append((field.label, _masked(group, self.instance, name)))
        self.fields["birth_date"].required = False
        self.fields["birth_date"].help_text = _(
            "Filled in from the ID number when left blank"
        )
        self.fields["sex"].required = False
        # Left blank: today for a new dossier, unchanged for an existing one.
        self.fields["on_roster_since"].required = False
        self.fields["branch"] = UnitChoiceField(
            label=_("party branch"),
            queryset=branches if branches is not None else OrgUnit.objects.none(),
            required=False,
        )
        self.fields["residence_unit"] = UnitChoiceField(
            label=_("community or village of residence"),
            queryset=places
            if places is not None
            else OrgUnit.objects.filter(kind__in=RESIDENCE_KINDS),
        )
        # A group of the cadre's branch (of any branch in scope for a new dossier;
        # the model checks it is the cadre's own).
        if groups is None:
            groups = OrgUnit.objects.none()
        if self.instance.pk:
            groups = groups.filter(parent_id=self.instance.branch_id)
        self.fields["party_group"] = UnitChoiceField(
            label=_("party group"), queryset=groups.order_by("tree_id", "lft"),
            required=False,
        )  # fmt: skip
        if (
            not self.fields["party_group"].queryset.exists()
            and not self.instance.party_group_id
        ):
            del self.fields["party_group"]
        if self.instance.pk:
            del self.fields["branch"]


def _masked(group: str, cadre: Cadre, name: str) -> str:
    value = getattr(cadre, name) or ""
    if not value:
        return "—"
    if group == "id_number":
        return mask_id_number(value)
    if group == "phone":
        return mask_phone(value)
    return str(_("hidden"))


FamilyContactFormSet = inlineformset_factory(
    Cadre,
    FamilyContact,
    fields=["relation", "name", "phone", "phone2", "may_act"],
    extra=1,
    max_num=FamilyContact.MAX_PER_CADRE,
    validate_max=True,
    can_delete=True,
    widgets={
        "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        "phone2": forms.TextInput(attrs={"inputmode": "tel"}),
    },
)


class ArchiveForm(forms.Form):
    reason = forms.ChoiceField(label=_("archive reason"), choices=ArchiveReason.choices)
    on = bounded_date_field("event", label=_("date"), initial=timezone.localdate)
    transferred_to = forms.CharField(
        label=_("transferred to"),
        required=False,
        max_length=150,
        help_text=_("Only for a transfer out"),
    )
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def cleaned_data_for_service(self) -> dict:
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "on": data["on"],
            "transferred_to": data.get("transferred_to", ""),
            "note": data.get("note", ""),
        }


class TransferForm(forms.Form):
    to_branch = UnitChoiceField(label=_("to branch"), queryset=OrgUnit.objects.none())
    on = bounded_date_field("event", label=_("date"), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), required=False, max_length=200)

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if branches is not None:
            self.fields["to_branch"].queryset = branches


def _kind_choices():
    return [("", _("All kinds"))] + [
        (k, label) for k, (label, _c) in ACCESS_KINDS.items()
    ]


class AccessLogFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), required=False, choices=_kind_choices)
    action = forms.ChoiceField(
        label=_("action"), required=False,
        choices=[("", _("All actions")), *AccessAction.choices],
    )  # fmt: skip
    user = forms.CharField(label=_("user"), required=False, max_length=50)
    cadre = forms.CharField(label=_("cadre"), required=False, max_length=50)
    date_from = bounded_date_field("period", label=_("from"), required=False)
    date_to = bounded_date_field("period", label=_("to"), required=False)
