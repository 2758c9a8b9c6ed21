from django import forms
from django.utils.translation import gettext_lazy as _

from grids.models import OrgUnit, UnitKind

from .engines import ENGINES
from .models import ImportKind

MODE_LABELS = {
    "create": _("Add new only (rows whose ID number exists are skipped)"),
    "update": _("Update: overwrite with the file's values, blanks included"),
    "fill": _("Fill in: only fill values that are blank, never overwrite"),
}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=())
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Use the template's columns; title rows above the header are fine."),
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=(), initial="create")
    default_unit = forms.ModelChoiceField(
        label=_("Community or village for rows that name none"), required=False,
        queryset=OrgUnit.objects.none(),
        help_text=_("Rosters only. Rows whose address names one community or village of "
                    "yours go there; the others go here. Party members also get its branch "
                    "when it has only one."),
    )  # fmt: skip
    default_branch = forms.ModelChoiceField(
        label=_("Branch for party members who name none"), required=False,
        queryset=OrgUnit.objects.none(),
    )  # fmt: skip
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"),
        required=False,
        help_text=_("Otherwise nothing is imported until every row is correct."),
    )

    def __init__(self, *args, kinds: list[str], units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            places = units.filter(kind__in=[UnitKind.COMMUNITY, UnitKind.VILLAGE])
            self.fields["default_unit"].queryset = places
            self.fields["default_branch"].queryset = units.filter(kind=UnitKind.BRANCH)
            for name in ("default_unit", "default_branch"):
                self.fields[name].label_from_instance = lambda u: "　" * u.level + u.name
        labels = dict(ImportKind.choices)
        self.fields["kind"].choices = [(k, labels[k]) for k in kinds]
        modes = {m for k in kinds for m in ENGINES[k].modes}
        self.fields["mode"].choices = [
            (m, MODE_LABELS[m]) for m in MODE_LABELS if m in modes
        ]
        self.fields["file"].widget.attrs["accept"] = (
            ".xlsx,.xls,.ods,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )

    def clean(self):
        data = super().clean()
        kind, mode = data.get("kind"), data.get("mode")
        if kind and mode and mode not in ENGINES[kind].modes:
            self.add_error("mode", _("This kind of import offers no such mode."))
        return data
