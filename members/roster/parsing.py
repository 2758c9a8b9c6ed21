"""Cell values as real rosters hold them, turned into clean values or a Chinese error."""

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..dates import DatePrecision
from ..idnumbers import parse_id_number

EXCEL_EPOCH = datetime.date(1899, 12, 30)


class CellError(ValueError):
    """A value that cannot be read; its message is shown to the user (Chinese)."""


def text(value) -> str:
    """The cell as text, as written (a float that is a whole number without ".0")."""
    if value.__class__ is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def norm(value) -> str:
    """The cell as text for matching: full-width characters made half-width."""
    return _norm_text(text(value))


@lru_cache(maxsize=4096)
def _norm_text(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def is_blank(value) -> bool:
    return value is None or (value.__class__ is str and not value.strip())


_DATE_PATTERNS = [
    # 1950-03-01, 1950/3/1, 1950.3.1, 1950年3月1日
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$"), DatePrecision.DAY),
    # 1950-03, 1950/3, 1950.03, 1950年3月
    (re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$"), DatePrecision.MONTH),
    # 19500301
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), DatePrecision.DAY),
    # 195003
    (re.compile(r"^(\d{4})(\d{2})$"), DatePrecision.MONTH),
    # 1950年
    (re.compile(r"^(\d{4})年?$"), DatePrecision.YEAR),
]


def parse_date(value) -> tuple[datetime.date, str] | None:
    """A date and the precision it was given to (a partial date as its first day);
    None for a blank cell."""
    if is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if 1000 <= number <= 9999 and number.is_integer():
            return datetime.date(int(number), 1, 1), DatePrecision.YEAR
        if 100000 <= number <= 999999 and number.is_integer():  # 195003
            return parse_date(str(int(number)))
        if 10_000_000 <= number <= 99_999_999 and number.is_integer():  # 19500301
            return parse_date(str(int(number)))
        if 1 <= number < 100_000:  # an Excel serial number
            return EXCEL_EPOCH + datetime.timedelta(days=int(number)), DatePrecision.DAY
        raise CellError(_("Not a date: %s") % value)
    return _parse_date_text(norm(value).replace(" ", ""))


_date_cache: dict[str, tuple[datetime.date, str]] = {}


def _parse_date_text(raw: str) -> tuple[datetime.date, str]:
    # Rosters repeat the same dates (1970.03) thousands of times.
    cached = _date_cache.get(raw)
    if cached is not None:
        return cached
    if len(_date_cache) > 50_000:
        _date_cache.clear()
    _date_cache[raw] = result = _parse_date_uncached(raw)
    return result


def _parse_date_uncached(raw: str) -> tuple[datetime.date, str]:
    for pattern, precision in _DATE_PATTERNS:
        match = pattern.match(raw)
        if not match:
            continue
        parts = [int(p) for p in match.groups()]
        try:
            if precision == DatePrecision.DAY:
                return datetime.date(*parts), precision
            if precision == DatePrecision.MONTH:
                return datetime.date(parts[0], parts[1], 1), precision
            return datetime.date(parts[0], 1, 1), precision
        except ValueError:
            raise CellError(_("This date does not exist: %s") % raw) from None
    raise CellError(
        _("Not a date: %s (write e.g. 1950-03-01, 1950/3/1, 1950.03 or 1950年3月1日)")
        % raw
    )


_TRUE = {"是", "√", "✓", "✔", "y", "yes", "true", "1", "有", "中共党员", "党员", "对"}
_FALSE = {"否", "×", "✗", "n", "no", "false", "0", "无", "群众", "非党员", "不是"}


def parse_bool(value) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    raw = norm(value).lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise CellError(_("Write 是 or 否, not “%s”") % text(value))


# An amount as offices write it: 4850.5, 4,850.50, ￥4850, 4850元, 4850.00元/月.
_MONEY = re.compile(r"^[¥￥]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:元(?:/月|每月)?)?$")
MONEY_MAX = Decimal(1_000_000)


def parse_money(value) -> Decimal | None:
    """An amount in yuan, to the fen (two decimals)."""
    if is_blank(value):
        return None
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        match = _MONEY.match(norm(value).replace(" ", ""))
        if match is None:
            raise CellError(_("Write an amount in yuan, such as 4850.50, not “%s”")
                            % text(value))  # fmt: skip
        amount = Decimal(match[1].replace(",", "") + (match[2] or ""))
    if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
        raise CellError(_("The amount %s is out of range (0 to 1,000,000 yuan).")
                        % text(value))  # fmt: skip
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_sex(value) -> str | None:
    if is_blank(value):
        return None
    raw = norm(value)
    if raw in ("男", "男性", "M", "m"):
        return "M"
    if raw in ("女", "女性", "F", "f"):
        return "F"
    raise CellError(_("Write 男 or 女 for the sex, not “%s”") % raw)


def id_cell_text(value) -> str:
    """The ID number as text. A number cell keeps 15 digits at most: a longer one has
    lost its last digits in Excel (it holds only 15 significant digits)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = f"{value:.0f}"
        if len(digits) > 15:
            raise CellError(
                _(
                    "ID number %s was stored as a number in Excel and lost its last "
                    "digits. Format the ID column as text and enter the numbers again."
                )
                % digits
            )
        return digits
    return text(value)


def parse_id(value):
    """(normalized number, birth date, sex) or CellError with the Chinese message."""
    raw = id_cell_text(value)
    try:
        info = parse_id_number(raw)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return info
