import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A mobile number (11 digits starting 13–19) or a landline with or without its area
# code, optionally with an extension: 13812348000, 021-59991234, 0512-57123456-802,
# 59991234 (a local number: the township's own area code is understood).
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?)$")


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s\u3000]+", "", value or "").replace("－", "-")


def validate_phone(value: str) -> None:
    if value and not PHONE_PATTERN.match(normalize_phone(value)):
        raise ValidationError(
            _(
                "%(value)s is not a phone number: a mobile number has 11 digits "
                "(e.g. 13812348000), a landline 7 or 8 digits, with or without its area "
                "code (e.g. 021-59991234)."
            )
            % {"value": value},
            code="bad_phone",
        )
