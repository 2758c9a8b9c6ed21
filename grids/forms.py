"""What every app's forms share."""

from django.core.exceptions import ValidationError


def form_errors_from(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field when
    the form has that field, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
