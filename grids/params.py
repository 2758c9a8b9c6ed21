"""Reading ids and numbers from a request's parameters without trusting them.

`str.isdigit()` accepts "²" and "٣", which `int()` refuses; a 40-digit number
overflows a database integer. These helpers take plain ASCII digits within bounds
and give `default` (or leave the value out) for anything else, never an error page.
"""

import re

_DIGITS = re.compile(r"[0-9]{1,18}")  # 18 digits fit a 64-bit integer
_SIGNED = re.compile(r"-?[0-9]{1,18}")


def int_from(value, default: int | None = None, *, lo: int | None = None,
             hi: int | None = None) -> int | None:  # fmt: skip
    """An integer from a parameter, clamped to [lo, hi]; `default` when not one."""
    if not isinstance(value, str) or not _SIGNED.fullmatch(value.strip()):
        return default
    number = int(value.strip())
    if lo is not None:
        number = max(number, lo)
    if hi is not None:
        number = min(number, hi)
    return number


def ids_from(values) -> list[int]:
    """The positive database ids among the values; the rest are ignored."""
    return [int(v) for v in values if isinstance(v, str) and _DIGITS.fullmatch(v)]


# The years a page of the yearly cycle (points, reviews, honours, the handbook) opens.
FIRST_YEAR = 2000


def last_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year + 1


def year_from(value, default: int) -> int:
    """A year parameter within [FIRST_YEAR, next year]; `default` for anything else."""
    return int_from(value, default=default, lo=FIRST_YEAR, hi=last_year())


def year_or_refuse(year: int) -> int:
    """A year from the URL; PermissionDenied (403) outside [FIRST_YEAR, next year]."""
    from django.core.exceptions import PermissionDenied

    if not FIRST_YEAR <= year <= last_year():
        raise PermissionDenied
    return year
