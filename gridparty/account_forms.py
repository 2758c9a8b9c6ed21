"""Forms of one's own account and of the staff pages."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from grids.models import GRANTABLE_ROLES, OrgUnit, StaffRole

PHONE = RegexValidator(
    r"^[0-9+\-() ]{5,30}$",
    _("Enter a phone number: digits, with - or spaces if you like."),
)
USERNAME = RegexValidator(
    r"^[A-Za-z0-9_.\-]{3,30}$",
    _(
        "3 to 30 letters, digits, '.', '-' or '_' (used to log in; no spaces, no Chinese)."
    ),
)


def _role_choices():
    return [(r.value, r.label) for r in StaffRole if r.value in GRANTABLE_ROLES]


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{'　' * unit.level}{unit.name}（{unit.get_kind_display()}）"


class AccountForm(forms.Form):
    first_name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False,
        help_text=_("For the daily digest of the reminders you choose below."),
    )  # fmt: skip
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            validators=[PHONE])  # fmt: skip


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices)
    unit = UnitField(label=_("Unit"), queryset=OrgUnit.objects.none(),
                     help_text=_("A grid worker works for a grid, a community worker for a "
                                 "community or village, a secretary for a branch."))  # fmt: skip

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class StaffCreateForm(RoleForm):
    username = forms.CharField(
        label=_("Login name"), max_length=30, validators=[USERNAME]
    )
    first_name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            validators=[PHONE])  # fmt: skip
    email = forms.EmailField(label=_("E-mail"), required=False)
    field_order = ["username", "first_name", "phone", "email", "role", "unit"]
