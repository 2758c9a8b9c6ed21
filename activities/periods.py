"""Periods of organizational life: a month (2026-08), a quarter (2026Q3), a year
(2026) or a range (2026-07-01..2026-09-30, or 2026-07..2026-09), and the calendar
windows (months, quarters, years) a rule is checked in."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
FIRST_YEAR, LAST_YEAR = 1949, 2100


def month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Window:
    """One calendar month, quarter or year: a rule's unit of checking."""

    per: str  # month | quarter | year
    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        if self.per == "month":
            return f"{self.start:%Y-%m}"
        if self.per == "quarter":
            return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)


def window_of(per: str, day: datetime.date) -> Window:
    if per == "month":
        first = day.replace(day=1)
        return Window(per, first, month_end(day.year, day.month))
    if per == "quarter":
        month = (day.month - 1) // 3 * 3 + 1
        return Window(
            per, datetime.date(day.year, month, 1), month_end(day.year, month + 2)
        )
    return Window(per, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str

    def windows(self, per: str) -> tuple[list[Window], Window | None]:
        """The rule's windows lying wholly inside the period, or — when none does
        (a yearly rule over a quarter) — the one window around the period, checked
        "so far" up to the period's end."""
        inside, day = [], self.start
        while day <= self.end:
            window = window_of(per, day)
            if window.start >= self.start and window.end <= self.end:
                inside.append(window)
            day = window.end + datetime.timedelta(days=1)
        if inside:
            return inside, None
        return [], window_of(per, self.start)

    def months(self) -> list[Window]:
        return self.windows("month")[0]


def _month(year: str, month: str) -> tuple[int, int]:
    y, m = int(year), int(month)
    if not (FIRST_YEAR <= y <= LAST_YEAR and 1 <= m <= 12):
        raise ValueError
    return y, m


def _bound(text: str, *, end: bool) -> datetime.date:
    if match := _DAY.match(text):
        return datetime.date(*map(int, match.groups()))
    if match := _MONTH.match(text):
        y, m = _month(*match.groups())
        return month_end(y, m) if end else datetime.date(y, m, 1)
    raise ValueError


def parse_period(text: str) -> Period:
    """A period from 2026-08, 2026Q3, 2026 or FROM..TO; ValueError (Chinese)."""
    text = (text or "").strip().replace("－", "-").replace("．", ".")
    try:
        if ".." in text:
            first, last = (part.strip() for part in text.split("..", 1))
            start, end = _bound(first, end=False), _bound(last, end=True)
            if end < start or start.year < FIRST_YEAR or end.year > LAST_YEAR:
                raise ValueError
            return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
        if match := _MONTH.match(text):
            y, m = _month(*match.groups())
            return Period(datetime.date(y, m, 1), month_end(y, m), f"{y}-{m:02d}")
        if match := _QUARTER.match(text):
            y, q = int(match.group(1)), int(match.group(2))
            _month(str(y), "1")
            w = window_of("quarter", datetime.date(y, q * 3, 1))
            return Period(w.start, w.end, w.label)
        if match := _YEAR.match(text):
            y, _m = _month(match.group(1), "1")
            return Period(datetime.date(y, 1, 1), datetime.date(y, 12, 31), str(y))
    except ValueError:
        pass
    raise ValueError(
        _("“%s” is not a period: write 2026-08, 2026Q3, 2026 or 2026-07-01..2026-09-30.")
        % text
    )


def current_quarter(today: datetime.date) -> Period:
    w = window_of("quarter", today)
    return Period(w.start, w.end, w.label)
