from django import forms
from django.utils.translation import gettext_lazy as _

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
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows even if some rows have errors"),
        required=False,
        help_text=_("Otherwise nothing is imported until every row is correct."),
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
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
