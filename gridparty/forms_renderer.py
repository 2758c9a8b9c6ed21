"""The form renderer: Django's own, with <select> written in Python.

Django renders every <option> through two template includes (the option and its
attributes): a list of the ~480 units of a township took 24 ms to render, on each of
the coverage, compliance and roster pages. The markup written here is exactly the
markup of Django's templates (tests/project/test_forms_renderer.py compares them);
a select whose options use another template goes through the templates as before."""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """As `{{ value|stringformat:'s' }}` prints it: a string, escaped unless safe."""
    return conditional_escape(value if isinstance(value, SafeData) else str(value))


def _attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html prints them."""
    return "".join(
        ""
        if value is False
        else f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
    )


def _select(widget: dict) -> str:
    parts = [
        f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>'
    ]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the file's newline
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class Renderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and all(
            option["template_name"] == OPTION
            for _name, options, _index in context["widget"]["optgroups"]
            for option in options
        ):
            return mark_safe(_select(context["widget"]))
        return super().render(template_name, context, request)
