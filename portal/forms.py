from django import forms
from django.utils.translation import gettext_lazy as _

from .models import NoticeKind


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Your mobile number"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The six-digit code in the message"), max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip


class NoticeForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=None, label=_("Publish to (and every unit under it)")
    )
    kind = forms.ChoiceField(choices=NoticeKind.choices, label=_("kind"))
    title = forms.CharField(label=_("title"), max_length=100)
    body = forms.CharField(label=_("text"), max_length=10_000, widget=forms.Textarea)
    link = forms.URLField(label=_("link (an article or a video)"), required=False,
                          assume_scheme="https")  # fmt: skip
    study_minutes = forms.IntegerField(
        label=_("study minutes it counts for"), required=False, min_value=1, max_value=600,
        help_text=_("Study material only: where the township counts reading on the cadres' "
                    "own pages as study, each reading adds this much."),
    )  # fmt: skip

    attachment = forms.FileField(
        label=_("a photo or a PDF (optional)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )  # fmt: skip

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("What would you like to say?"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 5}))  # fmt: skip
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
