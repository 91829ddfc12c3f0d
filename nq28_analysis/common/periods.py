"""Reporting periods: quarters, half-years, years and spans.

Ids (docs/design.md §2): ``2024-Q2``, ``2024-H1``, ``2024`` and spans
``2022-Q4..2024-Q4``.

>>> p = parse_period("2024-Q2")
>>> p.label_vi, p.start.isoformat(), p.end.isoformat()
('Quý II năm 2024', '2024-04-01', '2024-06-30')
>>> [q.id for q in parse_period("2024-H1").quarters()]
['2024-Q1', '2024-Q2']
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import total_ordering

from .errors import PeriodError
from .text import lower_first

__all__ = [
    "Period",
    "Span",
    "check_not_after",
    "check_not_before",
    "month_end",
    "parse_period",
    "parse_span",
    "period_from_label",
    "quarter_end",
    "quarter_of",
    "roman",
]

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_FROM_ROMAN = {v: k for k, v in _ROMAN.items()}

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})-H([12])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")


def roman(n: int) -> str:
    """Roman numeral of a quarter number 1–4."""
    return _ROMAN[n]


def month_end(year: int, month: int) -> date:
    """Last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> date:
    """Last day of a quarter: ``quarter_end(2023, 2)`` → 30/06/2023."""
    return month_end(year, quarter * 3)


def quarter_of(day: date) -> Period:
    """The quarter that holds ``day``."""
    return Period("Q", day.year, (day.month - 1) // 3 + 1)


@total_ordering
@dataclass(frozen=True)
class Period:
    """A quarter (``kind="Q"``), half-year (``"H"``) or year (``"Y"``, ``n=0``).

    Periods order by end date, the shorter first when two end together, so
    that ``sorted()`` gives chronological order.
    """

    kind: str
    year: int
    n: int = 0

    def __post_init__(self) -> None:
        limits = {"Q": (1, 4), "H": (1, 2), "Y": (0, 0)}
        if self.kind not in limits:
            raise PeriodError(f"Loại kỳ không hợp lệ: {self.kind!r}")
        low, high = limits[self.kind]
        if not low <= self.n <= high or not 1900 <= self.year <= 2999:
            raise PeriodError(f"Kỳ không hợp lệ: {self.kind} {self.year} {self.n}")

    @property
    def id(self) -> str:
        if self.kind == "Q":
            return f"{self.year}-Q{self.n}"
        if self.kind == "H":
            return f"{self.year}-H{self.n}"
        return f"{self.year}"

    def __str__(self) -> str:
        return self.id

    @property
    def label_vi(self) -> str:
        """``Quý II năm 2024``, ``6 tháng đầu năm 2024``, ``Năm 2024``."""
        if self.kind == "Q":
            return f"Quý {roman(self.n)} năm {self.year}"
        if self.kind == "H":
            half = "đầu" if self.n == 1 else "cuối"
            return f"6 tháng {half} năm {self.year}"
        return f"Năm {self.year}"

    @property
    def first_month(self) -> int:
        return {"Q": 3 * self.n - 2, "H": 6 * self.n - 5, "Y": 1}[self.kind]

    @property
    def last_month(self) -> int:
        return {"Q": 3 * self.n, "H": 6 * self.n, "Y": 12}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        return month_end(self.year, self.last_month)

    def quarters(self) -> list[Period]:
        """The quarters of this period, in order."""
        first = (self.first_month - 1) // 3 + 1
        last = self.last_month // 3
        return [Period("Q", self.year, q) for q in range(first, last + 1)]

    @property
    def last_quarter(self) -> Period:
        """The quarter whose submissions judge this period (docs/design.md §2)."""
        return self.quarters()[-1]

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        if self.kind == "Y":
            return Period("Y", self.year - 1)
        count = 4 if self.kind == "Q" else 2
        if self.n > 1:
            return Period(self.kind, self.year, self.n - 1)
        return Period(self.kind, self.year - 1, count)

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        if self.kind == "Y":
            return Period("Y", self.year + 1)
        count = 4 if self.kind == "Q" else 2
        if self.n < count:
            return Period(self.kind, self.year, self.n + 1)
        return Period(self.kind, self.year + 1, 1)

    def submission_deadline(self, days_after_end: int) -> date:
        """The day by which a unit's workbook for this period is on time."""
        return self.end + timedelta(days=days_after_end)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def _sort_key(self) -> tuple[date, timedelta]:
        return (self.end, self.end - self.start)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._sort_key() < other._sort_key()


@dataclass(frozen=True)
class Span:
    """A span of quarters ``start..end`` (both included), for reviews."""

    first: Period
    last: Period

    def __post_init__(self) -> None:
        if self.first.kind != "Q" or self.last.kind != "Q":
            raise PeriodError("Một khoảng kỳ phải đi từ quý đến quý, ví dụ 2022-Q4..2024-Q4.")
        if self.last.end < self.first.end:
            raise PeriodError(f"Khoảng kỳ {self.first.id}..{self.last.id} có kỳ đầu sau kỳ cuối.")

    @property
    def id(self) -> str:
        return f"{self.first.id}..{self.last.id}"

    def __str__(self) -> str:
        return self.id

    @property
    def label_vi(self) -> str:
        first, last = self.first.label_vi, self.last.label_vi
        return f"Từ {lower_first(first)} đến {lower_first(last)}"

    @property
    def start(self) -> date:
        return self.first.start

    @property
    def end(self) -> date:
        return self.last.end

    @property
    def last_quarter(self) -> Period:
        """The span's last quarter (as :attr:`Period.last_quarter`)."""
        return self.last

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def quarters(self) -> list[Period]:
        out = [self.first]
        while out[-1] != self.last:
            out.append(out[-1].next())
        return out


def parse_period(text: str, first: Period | None = None) -> Period:
    """Parse ``2024-Q2``, ``2024-H1`` or ``2024``.

    With ``first`` (the program's first quarter), a period that ends before
    it is an error. Raises :class:`PeriodError` with a Vietnamese message.
    """
    value = str(text).strip()
    period: Period | None = None
    if m := _QUARTER.match(value):
        period = Period("Q", int(m[1]), int(m[2]))
    elif m := _HALF.match(value):
        period = Period("H", int(m[1]), int(m[2]))
    elif m := _YEAR.match(value):
        period = Period("Y", int(m[1]))
    if period is None:
        raise PeriodError(
            f"Mã kỳ «{value}» không hợp lệ: dùng 2024-Q2 (quý), 2024-H1 (6 tháng) hoặc 2024 (năm)."
        )
    if first is not None:
        check_not_before(period, first)
    return period


def parse_span(text: str, first: Period | None = None) -> Span:
    """Parse ``2022-Q4..2024-Q4``; each end may also be a half-year or year
    (``2023..2024`` runs from 2023-Q1 to 2024-Q4)."""
    value = str(text).strip()
    if ".." not in value:
        raise PeriodError(f"Khoảng kỳ «{value}» không hợp lệ: dùng dạng 2022-Q4..2024-Q4.")
    left, right = value.split("..", 1)
    start = parse_period(left, first).quarters()[0]
    end = parse_period(right, first).quarters()[-1]
    if first is not None and start.end < first.end:
        start = first
    return Span(start, end)


def check_not_before(period: Period, first: Period) -> None:
    """Raise :class:`PeriodError` when ``period`` ends before the program's first quarter."""
    if period.end < first.end:
        raise PeriodError(
            f"Kỳ {period.id} ({period.label_vi}) ở trước kỳ đầu tiên của Chương trình "
            f"({first.id}, {first.label_vi})."
        )


def check_not_after(period: Period | Span, last: Period | None) -> None:
    """Raise :class:`PeriodError` when ``period`` ends after the program's last
    quarter (``last``, when the program has ended)."""
    if last is not None and period.end > last.end:
        raise PeriodError(
            f"Kỳ {period.id} ({period.label_vi}) ở sau quý cuối cùng của Chương trình "
            f"({last.id}, {last.label_vi}): Chương trình đã kết thúc (thiết lập last_period "
            "trong settings.csv)."
        )


def period_from_label(text: str) -> Period | None:
    """Read a period from how people write it: ``Quý II năm 2024``,
    ``Quý II/2024``, ``quý 2/2024``, ``Q2/2024``, ``6 tháng đầu năm 2024``,
    ``Năm 2024``. Returns ``None`` when the text names no period."""
    try:
        return _period_from_label(text)
    except PeriodError:  # a year out of range: no period
        return None


def _period_from_label(text: str) -> Period | None:
    from .text import fold

    value = fold(text)
    if m := re.search(r"\b(?:quy|q)\s*([1-4]|iv|iii|ii|i)\b\s*(?:nam|/|-|\s)\s*(\d{4})", value):
        n = m[1]
        number = int(n) if n.isdigit() else _FROM_ROMAN[n.upper()]
        return Period("Q", int(m[2]), number)
    if m := re.search(r"6 thang (dau|cuoi) nam\s*(\d{4})", value):
        return Period("H", int(m[2]), 1 if m[1] == "dau" else 2)
    if m := re.search(r"\bnam\s*(\d{4})\b", value):
        return Period("Y", int(m[1]))
    return None
