"""Dates known to the day, month or year, and whole-year counts (age, 党龄)."""

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


def whole_years(start: datetime.date, on: datetime.date) -> int:
    """Completed years from `start` to `on` (周岁). Born on 29 February, the
    anniversary in a common year falls on 1 March."""
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def add_years(start: datetime.date, years: int) -> datetime.date:
    """The date `years` whole years after `start` (29 February → 1 March)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return datetime.date(start.year + years, 3, 1)
