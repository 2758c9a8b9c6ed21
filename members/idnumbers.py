"""Chinese resident ID numbers (GB 11643-1999), see DOMAIN.md.

18 characters: 6-digit address code, birth date YYYYMMDD, 3-digit sequence (odd =
male, even = female), one check character. Old 15-digit numbers (YYMMDD, no check
character) are upgraded. Address codes are never checked against a list: they change
over the years.
"""

import datetime
import re
import unicodedata
from operator import mul
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"
EARLIEST_BIRTH_YEAR = 1880
_RECENT = datetime.date(2020, 1, 1)  # before this, no birth date is in the future

_WHITESPACE = re.compile(r"\s+")


class IDNumberInfo(NamedTuple):  # a tuple: an import builds 100,000 of these
    number: str
    birth_date: datetime.date
    sex: str  # "M" or "F"
    upgraded_from_15: bool


_WEIGHT_SUM_OF_ZEROS = ord("0") * sum(WEIGHTS)


def check_character(first17: str) -> str:
    if len(first17) != 17:
        raise ValueError("check_character needs the first 17 digits")
    # The digits' character codes weighted at C speed, less the weighted code of "0".
    total = sum(map(mul, first17.encode("ascii"), WEIGHTS)) - _WEIGHT_SUM_OF_ZEROS
    return CHECK_CHARACTERS[total % 11]


def _clean_text(raw: str) -> str:
    raw = str(raw)
    if raw.isascii():  # the usual case: nothing to normalize but spaces and case
        return "".join(raw.split()).upper()
    # NFKC turns full-width digits and letters (１２３Ｘ) into ASCII; spaces of any
    # kind (including the full-width space) may appear anywhere a clerk typed them.
    text = unicodedata.normalize("NFKC", raw)
    return _WHITESPACE.sub("", text).upper()


def parse_id_number(raw: str, *, today: datetime.date | None = None) -> IDNumberInfo:
    """Normalize and validate an ID number; raise ValidationError in Chinese if bad."""
    text = _clean_text(raw)
    if not text:
        raise ValidationError(_("The ID number is empty."), code="empty")
    upgraded = False
    if len(text) == 15:
        if not (text.isascii() and text.isdigit()):
            raise ValidationError(
                _("A 15-digit ID number may contain digits only: %(value)s")
                % {"value": text},
                code="bad_characters",
            )
        first17 = text[:6] + "19" + text[6:]
        text = first17 + check_character(first17)
        upgraded = True
    if len(text) != 18:
        raise ValidationError(
            _(
                "An ID number has 18 characters (or 15 for an old one); this one has %(n)d."
            )
            % {"n": len(text)},
            code="bad_length",
        )
    if not (text.isascii() and text[:17].isdigit()) or not (
        text[17].isdigit() or text[17] == "X"
    ):
        raise ValidationError(
            _(
                "An ID number is 17 digits followed by a digit or X; "
                "%(value)s contains other characters."
            )
            % {"value": text},
            code="bad_characters",
        )
    try:
        birth_date = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date in the ID number (%(value)s) is not a real date.")
            % {"value": text[6:14]},
            code="bad_date",
        ) from None
    if birth_date.year < EARLIEST_BIRTH_YEAR or (
        # Only a recent date can lie in the future: today is not looked up otherwise.
        (today is not None or birth_date >= _RECENT)
        and birth_date > (today or datetime.date.today())
    ):
        raise ValidationError(
            _("The birth date in the ID number (%(value)s) is impossible.")
            % {"value": birth_date.isoformat()},
            code="bad_date",
        )
    expected = check_character(text[:17])
    if not upgraded and text[17] != expected:
        raise ValidationError(
            _(
                "The check character of ID number %(value)s is wrong: it should be "
                "%(expected)s, not %(actual)s. Please check the number for a typing error."
            )
            % {"value": text, "expected": expected, "actual": text[17]},
            code="bad_check",
        )
    sex = "M" if text[16] in "13579" else "F"
    return IDNumberInfo(text, birth_date, sex, upgraded)


def normalize_id_number(raw: str) -> str:
    return parse_id_number(raw).number


def validate_id_number(value: str) -> None:
    parse_id_number(value)


def mask_id_number(value: str) -> str:
    """**************1234: no more than the last four characters (DOMAIN.md). The
    address code and birth date stay hidden: with the birth date shown elsewhere and
    the local address code common knowledge, they would give most of the number."""
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def mask_phone(value: str) -> str:
    """138****8000."""
    digits = value.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    if len(digits) <= 8:  # a local landline: its first digits would say too much
        return "*" * (len(digits) - 4) + digits[-4:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


class IDNumberField(models.CharField):
    """A CharField that normalizes an ID number before any other check runs, so a
    full-width, lowercase or 15-digit number is stored (and compared) in its one
    canonical 18-character form."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return value
        try:
            return parse_id_number(value).number
        except ValidationError:
            return _clean_text(value)

    def run_validators(self, value):
        if value in self.empty_values:
            return
        # The Chinese message about the number says more than "too long".
        parse_id_number(value)
        super().run_validators(value)
