"""Password rules (MLPS 2.0) and the record of when each password was set."""

import datetime
import string

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PasswordRecord


class CharacterClassesValidator:
    """At least `min_classes` of: upper-case, lower-case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def _classes(self, password: str) -> int:
        return sum(
            [
                any(c.isupper() for c in password),
                any(c.islower() for c in password),
                any(c.isdigit() for c in password),
                any(c in string.punctuation or not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self._classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(n)d of: capital letters, small "
                    "letters, digits, symbols."
                )
                % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self):
        return _(
            "Use at least %(n)d of: capital letters, small letters, digits, symbols."
        ) % {"n": self.min_classes}


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule with a message of our own: Django 5.2 reworded it and its
    Chinese catalog has only the old wording, so users read English."""

    def get_error_message(self):
        return _("The password is too short: it must have at least %(n)d characters.") % {
            "n": self.min_length
        }

    def get_help_text(self):
        return _("At least %(n)d characters.") % {"n": self.min_length}


class PasswordChangeRecorder:
    """Not a rule: Django calls password_changed() on every validator after a user's
    password is saved, which is where the change date is recorded."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        PasswordRecord.objects.update_or_create(
            user=user, defaults={"changed_at": timezone.now(), "must_change": False}
        )

    def get_help_text(self):
        return ""


def password_expired(user, max_age_days: int) -> bool:
    """The password is too old, or was reset by an officer (to be replaced at the
    next login). One query."""
    record = (
        PasswordRecord.objects.filter(user=user)
        .values_list("changed_at", "must_change")
        .first()
    )
    if record and record[1]:
        return True
    if not max_age_days:
        return False
    reference = record[0] if record else user.date_joined
    return timezone.now() - reference > datetime.timedelta(days=max_age_days)
