"""Dates known to the day, month or year, and whole-year counts (age, 党龄)."""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")


def truncate(value: datetime.date, precision: str) -> datetime.date:
    """Store a partly known date as the first day of its month or year.

    A date known to the month counts from the first of that month: 1970年3月转正
    reaches 50 years of 党龄 in March 2020, as branches count it by month.
    """
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    return value


def format_partial(value: datetime.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year}年"
    if precision == DatePrecision.MONTH:
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def anniversary(start: datetime.date, year: int) -> datetime.date:
    """`start`'s anniversary in `year`. A 29 February falls on 28 February in common
    years (the rule the reminders use too, so age and birthday never disagree).
    Beyond the calendar's ends (a stored 9999-12-31 plus 50 years) it stops there."""
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    try:
        return start.replace(year=year)
    except ValueError:
        return datetime.date(year, 2, 28)


def whole_years(start: datetime.date, on: datetime.date) -> int:
    """Completed years from `start` to `on` (周岁, 党龄)."""
    years = on.year - start.year
    if on < anniversary(start, on.year):
        years -= 1
    return years


def add_years(start: datetime.date, years: int) -> datetime.date:
    """The date `years` whole years after `start` is reached."""
    return anniversary(start, start.year + years)


def latest_birth_date_for_age(age: int, on: datetime.date) -> datetime.date:
    """The latest birth date of someone who is at least `age` on `on`, so that an age
    filter is one indexed range on `birth_date` (and agrees with `whole_years`)."""
    cutoff = add_years(on, -age)
    if (on.month, on.day) == (2, 28) and not calendar.isleap(on.year):
        # On 28 February of a common year, those born on 29 February have their
        # anniversary today as well.
        try:
            return datetime.date(cutoff.year, 2, 29)
        except ValueError:
            return cutoff
    return cutoff
