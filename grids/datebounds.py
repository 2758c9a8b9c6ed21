"""Bounds on every date the system accepts, and date arithmetic that cannot overflow.

Without bounds a check-up dated 9999-12-31 is stored and then every page computing
"next due" from it fails. Each date a form, a filter or an import accepts is of one
of four kinds, each with its bounds (relative to today) and a Chinese message:

- birth: from 1880 to today;
- event (something that happened: visits, check-ups, hospital stays, meetings, party
  dates, retirement, death, transfers): from 1900 to today;
- planned (follow-ups, due dates, terms and periods of pairings or campaigns): from
  1900 to ten years ahead;
- period (a period or range asked for in a filter or a report): from 1949 to ten years
  ahead.

Model fields carry `DateBound(kind)` as a validator (so the admin, model forms and
services' `full_clean` apply it); plain forms use `bounded_date_field`; the imports
call `date_bound_error`. Pages that compute with stored dates use `shift` and
`add_years_safe`, which stop at the calendar's ends instead of raising.
"""

import calendar
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

KINDS = ("birth", "event", "planned", "period")
YEARS_AHEAD = 10
EARLIEST = {
    "birth": datetime.date(1880, 1, 1),
    "event": datetime.date(1900, 1, 1),
    "planned": datetime.date(1900, 1, 1),
    "period": datetime.date(1949, 1, 1),
}


def _today() -> datetime.date:
    return timezone.localdate()


def date_bounds(kind: str, today: datetime.date | None = None):
    """(earliest, latest) accepted for a date of this kind."""
    today = today or _today()
    latest = today if kind in ("birth", "event") else add_years_safe(today, YEARS_AHEAD)
    return EARLIEST[kind], latest


def date_bound_error(value, kind: str, today: datetime.date | None = None) -> str | None:
    """The Chinese message when `value` lies outside its kind's bounds, else None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    earliest, latest = date_bounds(kind, today)
    if value < earliest:
        return _(
            "%(value)s is too early: the earliest accepted date is %(earliest)s."
        ) % {
            "value": value.isoformat(),
            "earliest": earliest.isoformat(),
        }
    if value > latest:
        if kind in ("birth", "event"):
            return _("%(value)s lies in the future: this date cannot be after today.") % {
                "value": value.isoformat()
            }
        return _(
            "%(value)s is too far ahead: at most %(years)d years from today (%(latest)s)."
        ) % {
            "value": value.isoformat(),
            "years": YEARS_AHEAD,
            "latest": latest.isoformat(),
        }
    return None


@deconstructible
class DateBound:
    """A field validator: the value must lie within the bounds of `kind`."""

    def __init__(self, kind: str):
        if kind not in KINDS:
            raise ValueError(kind)
        self.kind = kind

    def __call__(self, value) -> None:
        message = date_bound_error(value, self.kind)
        if message:
            raise ValidationError(message, code=f"date_{self.kind}")

    def __eq__(self, other) -> bool:
        return isinstance(other, DateBound) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(("DateBound", self.kind))


def bounded_date_field(kind: str, **kwargs):
    """A form DateField accepting only dates of `kind`'s bounds, with the browser's
    date picker limited likewise (computed at each rendering: today moves)."""

    class BoundedDateInput(forms.DateInput):
        input_type = "date"

        def __init__(self, **widget_kwargs):
            super().__init__(format="%Y-%m-%d", **widget_kwargs)

        def get_context(self, name, value, attrs):
            earliest, latest = date_bounds(kind)
            attrs = {
                **(attrs or {}),
                "min": earliest.isoformat(),
                "max": latest.isoformat(),
            }
            return super().get_context(name, value, attrs)

    kwargs.setdefault("widget", BoundedDateInput())
    field = forms.DateField(**kwargs)
    field.validators.append(DateBound(kind))
    return field


def shift(value: datetime.date, days: int) -> datetime.date:
    """value + days, stopping at the calendar's ends (date.min, date.max)."""
    try:
        return value + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def add_months_safe(value: datetime.date, months: int) -> datetime.date:
    """The same day `months` later or earlier (31 August − 6 months → 28 February)."""
    year, month = divmod(value.year * 12 + value.month - 1 + months, 12)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return datetime.date.max if months > 0 else datetime.date.min
    return datetime.date(
        year, month + 1, min(value.day, calendar.monthrange(year, month + 1)[1])
    )


def add_years_safe(value: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February → 28 February), stopping at the ends."""
    year = value.year + years
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return value.replace(year=year)
    except ValueError:
        return value.replace(year=year, day=28)
