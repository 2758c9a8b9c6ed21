"""<select> lists are written in Python (gridparty.forms_renderer) with exactly the
markup of Django's templates."""

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from gridparty.forms_renderer import Renderer


class _Form(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "---"), ("x", "X & <b>"), ("组", [("1", "一"), ("2", mark_safe("<i>二</i>"))])],
        required=False,
        widget=forms.Select(attrs={"disabled": False, "data-x": 'a"b', "autofocus": True}),
    )  # fmt: skip
    many = forms.MultipleChoiceField(choices=[(1, "一"), (2, "二"), (3, "三")])
    number = forms.TypedChoiceField(choices=[(10, "十"), (20, "二十")], coerce=int)


class _Radio(forms.Form):
    choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "x", "many": ["1", "3"], "number": "20"},
        {"plain": "2", "many": ["2"]},
    ],
)
def test_the_markup_is_djangos(data):
    form = _Form(data or None)
    for name in form.fields:
        widget = form.fields[name].widget
        value = form[name].value()
        attrs = {"id": f"id_{name}"}
        django = widget.render(name, value, attrs=attrs, renderer=DjangoTemplates())
        ours = widget.render(name, value, attrs=attrs, renderer=Renderer())
        assert ours == django
        assert type(ours) is type(django)


def test_other_widgets_still_go_through_the_templates():
    form = _Radio()
    widget = form.fields["choice"].widget
    assert widget.render("choice", "a", renderer=Renderer()) == widget.render(
        "choice", "a", renderer=DjangoTemplates()
    )


def test_the_project_uses_it():
    assert settings.FORM_RENDERER == "gridparty.forms_renderer.Renderer"
    assert '<option value="x" selected>X &amp; &lt;b&gt;</option>' in str(
        _Form({"plain": "x"})["plain"]
    )
