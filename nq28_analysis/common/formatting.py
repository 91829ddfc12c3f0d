"""Vietnamese formatting of numbers, rates and dates for charts, reports and the CLI.

Vietnamese writes a decimal comma and a thousands dot, dates as dd/mm/yyyy,
and a minus sign (U+2212) rather than a hyphen. Rounding is half up on the
number as written, so 0.855 is 85,5% and not 85,4% through binary floats.

>>> percent(0.855)
'85,5%'
>>> percent(1.0)
'100%'
>>> percent(float("nan"))
'chưa có số liệu'
>>> number(1234567)
'1.234.567'
>>> number(1234.5, digits=1)
'1.234,5'
>>> number(None)
'—'
>>> day(date(2024, 12, 31))
'31/12/2024'
>>> days(45)
'45 ngày'
>>> change(0.052)
'+5,2 điểm %'
>>> change(-0.1)
'−10,0 điểm %'
>>> change(0)
'0,0 điểm %'
>>> change(0.25, points=False)
'+25,0%'

Missing values (``None``, NaN, ``pandas.NA``, ``NaT``) never raise: each
function says what it shows for them.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "MINUS",
    "NO_DATA",
    "NO_VALUE",
    "as_date",
    "change",
    "day",
    "days",
    "is_missing",
    "number",
    "percent",
]

#: The minus sign of negative numbers (U+2212).
MINUS = "\u2212"

#: What :func:`percent` shows for a rate whose denominator is 0.
NO_DATA = "chưa có số liệu"

#: What :func:`number` and :func:`change` show for a missing value.
NO_VALUE = "—"

# Python groups with "," and separates decimals with "."; Vietnamese swaps them.
_SWAP = str.maketrans({",": ".", ".": ","})


def as_date(value: object) -> date | None:
    """A cell as a date: a date, a datetime or Timestamp (its day) or ISO text;
    ``None`` when missing or not a date.

    >>> as_date("2024-06-30T00:00:00"), as_date(float("nan")), as_date("sai")
    (datetime.date(2024, 6, 30), None, None)
    """
    if is_missing(value):
        return None
    if isinstance(value, datetime):  # pandas.Timestamp too
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def is_missing(value: object) -> bool:
    """Return True for ``None``, NaN, ``pandas.NA`` and ``NaT``.

    >>> [is_missing(v) for v in (None, float("nan"), 0, "", date(2024, 1, 1))]
    [True, True, False, False, False]
    """
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:  # pandas.NA refuses to be a bool
        return True


def _decimal(value: float | int) -> Decimal:
    """``value`` as a Decimal of its shortest decimal spelling (0.855 stays 0.855)."""
    return Decimal(value) if isinstance(value, int) else Decimal(str(value))


def _fixed(value: Decimal, digits: int, plus: bool = False) -> str:
    """``value`` rounded half up to ``digits`` decimals, Vietnamese separators, signed."""
    if digits < 0:
        raise ValueError(f"Số chữ số thập phân phải không âm: {digits}")
    if value.is_infinite():
        body = "∞"
    else:
        value = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
        body = f"{abs(value):,.{digits}f}".translate(_SWAP)
    # A value that rounds to zero (even -0.0) is neither negative nor positive.
    if value < 0:
        return MINUS + body
    return "+" + body if plus and value > 0 else body


def percent(value: float | None, digits: int = 1) -> str:
    """A rate between 0 and 1 as a Vietnamese percentage.

    A fraction of zeros is dropped (1.0 gives "100%", 0.5 gives "50%");
    a missing rate gives :data:`NO_DATA`.

    >>> percent(0.5), percent(0.12345, digits=2), percent(0.9996)
    ('50%', '12,35%', '100%')
    """
    if is_missing(value):
        return NO_DATA
    text = _fixed(_decimal(value) * 100, digits)
    whole, _, fraction = text.partition(",")
    return (whole if not fraction.strip("0") else text) + "%"


def number(value: int | float | None, digits: int = 0) -> str:
    """A number with a thousands dot and ``digits`` decimals after a comma.

    >>> number(-1234.567, digits=2), number(0.5), number(float("nan"))
    ('−1.234,57', '1', '—')
    """
    if is_missing(value):
        return NO_VALUE
    return _fixed(_decimal(value), digits)


def day(value: date | datetime | None) -> str:
    """A date (or the date of a datetime) as dd/mm/yyyy; missing gives "".

    >>> day(datetime(2025, 1, 5, 14, 30)), day(None)
    ('05/01/2025', '')
    """
    if is_missing(value):
        return ""
    if not isinstance(value, date):
        raise TypeError(f"Không phải ngày tháng: {value!r}")
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def days(n: int | None) -> str:
    """A number of days, e.g. "45 ngày"; missing gives "".

    >>> days(1234), days(-3), days(None)
    ('1.234 ngày', '−3 ngày', '')
    """
    if is_missing(n):
        return ""
    return f"{number(n)} ngày"


def change(value: float | None, digits: int = 1, points: bool = True) -> str:
    """A change, always signed; missing gives :data:`NO_VALUE`.

    With ``points`` (the default) ``value`` is the difference of two rates and
    is shown in percentage points ("+5,2 điểm %"); without, it is a relative
    change shown as a percentage ("+5,2%"). The fraction is always written,
    and a change that rounds to zero has no sign.

    >>> change(-0.00004), change(None)
    ('0,0 điểm %', '—')
    """
    if is_missing(value):
        return NO_VALUE
    return _fixed(_decimal(value) * 100, digits, plus=True) + (" điểm %" if points else "%")
