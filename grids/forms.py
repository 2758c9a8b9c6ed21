"""What every app's forms share."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def form_errors_from(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: each message on its field when
    the form has that field, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class UnknownFieldErrorsToTop:
    """A form mixin: a model's validation may name a field the form does not show (a
    branch, which the edit form leaves to transfers; a field the role may not reveal).
    Django would raise on such an error; here it goes to the top of the form."""

    def add_error(self, field, error):
        if (
            field is None
            and isinstance(error, ValidationError)
            and hasattr(error, "error_dict")
        ):
            known: dict = {}
            for name, errors in error.error_dict.items():
                key = (
                    name
                    if name in self.fields or name == NON_FIELD_ERRORS
                    else NON_FIELD_ERRORS
                )
                known.setdefault(key, []).extend(errors)
            error = ValidationError(known)
        elif field is not None and field not in self.fields and field != NON_FIELD_ERRORS:
            field = None
        super().add_error(field, error)
