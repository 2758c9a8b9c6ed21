"""The dues rule for retired party members (党费), in one place.

Source: 中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号),
第二条: 离退休干部、职工按月以实际领取的离退休费总额或养老金总额为计算基数, 5000元以下
（含5000元）的按0.5%交纳党费, 5000元以上的按1%交纳. The 1 % applies to the whole
amount above the line (5,000.01 → 50.00), not to the part above it.

A township whose local rule narrows the base (allowances not counted) records the
yuan to deduct in its `DuesPolicy`; the rule itself is never changed. Amounts are to
the fen, rounded half up. `DUES_SQL` is the same rule for the set-based year opening,
in integer fen so that PostgreSQL and SQLite round alike.
"""

from decimal import ROUND_HALF_UP, Decimal

LINE = Decimal("5000")
LOW_RATE, HIGH_RATE = Decimal("0.005"), Decimal("0.01")
FEN = Decimal("0.01")


def dues_base(pension: Decimal | None, deduction: Decimal = Decimal(0)) -> Decimal | None:
    """The base: the monthly pension actually received, less what a local rule
    excludes (never below zero); None when the pension is not recorded."""
    if pension is None:
        return None
    return max(Decimal(pension) - Decimal(deduction or 0), Decimal(0))


def monthly_dues(
    pension: Decimal | None, deduction: Decimal = Decimal(0)
) -> Decimal | None:
    """The monthly dues of a retired member, to the fen, rounded half up."""
    base = dues_base(pension, deduction)
    if base is None:
        return None
    rate = LOW_RATE if base <= LINE else HIGH_RATE
    return (base * rate).quantize(FEN, rounding=ROUND_HALF_UP)


# The same in SQL over a base expression in yuan (numeric): the base in fen, then
# 0.5 % or 1 % rounded half up in integer arithmetic (fen × 5 + 500) ÷ 1000.
def dues_sql(base: str) -> str:
    fen = f"CAST(ROUND(({base}) * 100) AS BIGINT)"
    return (
        f"(CASE WHEN {fen} <= 500000 THEN ({fen} * 5 + 500) / 1000 "
        f"ELSE ({fen} * 10 + 500) / 1000 END) / 100.0"
    )
