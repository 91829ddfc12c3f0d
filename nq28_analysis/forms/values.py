"""Reading the values units write: statuses, dates and task ids.

Each parser returns the value and, when the cell needs attention, the code
and Vietnamese message of a problem; it never guesses. The vocabulary is
written down here once and listed in the README (rules: docs/design.md §7).

>>> parse_status("Đã hoàn thành.")
('completed', None)
>>> parse_status("chua thuc hien")
('not_started', None)
>>> parse_status("Tốt")[0] is None
True
>>> parse_task_id("Nhiệm vụ 2.2.9")
'III.2.2.9'
>>> parse_date_precision("06/2023")[:2]
(datetime.date(2023, 6, 30), 'month')
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from ..common.periods import month_end, quarter_end, roman
from ..common.text import fold, key, nfc

__all__ = [
    "COMPLETED",
    "DAY",
    "IN_PROGRESS",
    "MONTH",
    "NOT_STARTED",
    "NO_OCCURRENCE",
    "PRECISIONS",
    "QUARTER",
    "STATUS_LABELS",
    "STATUS_WORDS",
    "CellIssue",
    "parse_cell_date",
    "parse_date_precision",
    "parse_status",
    "parse_task_id",
    "partial_date_text",
]

COMPLETED = "completed"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
#: Nothing of the kind happened in the period (no appointment, no case).
NO_OCCURRENCE = "no_occurrence"

#: Vietnamese labels of the submitted statuses.
STATUS_LABELS = {
    COMPLETED: "Hoàn thành",
    IN_PROGRESS: "Đang thực hiện",
    NOT_STARTED: "Chưa thực hiện",
    NO_OCCURRENCE: "Không phát sinh",
}

#: Every way of writing a status that is accepted (compared by matching key).
STATUS_WORDS = {
    COMPLETED: (
        "hoàn thành",
        "đã hoàn thành",
        "ht",
        "đã ht",
        "xong",
        "đã xong",
        "hoàn thành đúng hạn",
        "đã hoàn thành đúng hạn",
        "hoàn thành trước hạn",
        "hoàn thành quá hạn",
        "hoàn thành chậm",
        "đã thực hiện xong",
        "đã triển khai xong",
        "đã thực hiện hoàn thành",
        "completed",
        "done",
    ),
    IN_PROGRESS: (
        "đang thực hiện",
        "đang triển khai",
        "đang triển khai thực hiện",
        "đang th",
        "đang tiến hành",
        "đang làm",
        "đã và đang thực hiện",
        "đã và đang triển khai",
        "đang thực hiện thường xuyên",
        "thực hiện thường xuyên",
        "in progress",
    ),
    NOT_STARTED: (
        "chưa thực hiện",
        "chưa triển khai",
        "chưa th",
        "chưa bắt đầu",
        "chưa hoàn thành",
        "chưa triển khai thực hiện",
        "not started",
    ),
    NO_OCCURRENCE: (
        "không phát sinh",
        "không phát sinh trong kỳ",
        "trong kỳ không phát sinh",
        "chưa phát sinh",
        "kps",
    ),
}
_LABELS = list(STATUS_LABELS.values())
_CHOICES = f"{', '.join(_LABELS[:-1])} hoặc {_LABELS[-1]}"
_STATUS_BY_KEY = {key(word): status for status, words in STATUS_WORDS.items() for word in words}


def parse_status(value: object) -> tuple[str | None, str | None]:
    """``(status, None)`` for a known word, ``(None, None)`` for an empty cell,
    ``(None, message)`` for a word that is not in the vocabulary."""
    text = nfc(value)
    if not text:
        return None, None
    status = _STATUS_BY_KEY.get(key(text))
    if status:
        return status, None
    return None, (f"Tình trạng «{text}» không rõ; chọn {_CHOICES}.")


# --- dates ----------------------------------------------------------------------


class CellIssue:
    """A problem found in one cell's value: ``code``, ``severity``, ``message``."""

    __slots__ = ("code", "message", "severity")

    def __init__(self, code: str, message: str, severity: str = "error"):
        self.code, self.message, self.severity = code, message, severity

    def __repr__(self) -> str:
        return f"CellIssue({self.code!r}, {self.severity!r})"


_EXCEL_EPOCH = date(1899, 12, 30)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DMY = re.compile(r"^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2}),?\s*thang\s*(\d{1,2}),?\s*nam\s*(\d{4})$")
_MONTH = re.compile(r"^(?:thang\s*)?(\d{1,2})\s*(?:/|-|nam)\s*(\d{4})$")
_QUARTER = re.compile(r"^(?:quy|q)\s*(iv|iii|ii|i|[1-4])\s*(?:/|-|nam)?\s*(\d{4})$")


def _excel_serial(number: float) -> date | None:
    if not math.isfinite(number) or not 36526 <= number <= 54789:  # 2000..2049
        return None
    return _EXCEL_EPOCH + timedelta(days=int(number))


#: How precisely a date was written (``completed_on_precision`` in
#: ``submissions.parquet``): a day, or a month or a quarter alone.
DAY, MONTH, QUARTER = "day", "month", "quarter"
PRECISIONS = (DAY, MONTH, QUARTER)


def parse_cell_date(value: object) -> tuple[date | None, CellIssue | None]:
    """A date from a cell: a real Excel date, ``d/m/yyyy``, ``dd-mm-yy``, ISO,
    ``ngày 5 tháng 7 năm 2024``; a month or quarter alone gives its last day
    with a warning (a conservative reading: the latest day it can mean).

    Returns ``(None, None)`` for an empty cell and ``(None, issue)`` for
    text that is not a date or a date that does not exist.
    """
    day, _, issue = parse_date_precision(value)
    return day, issue


def parse_date_precision(value: object) -> tuple[date | None, str | None, CellIssue | None]:
    """:func:`parse_cell_date` with how precisely the cell gave the date:
    :data:`DAY`, :data:`MONTH` or :data:`QUARTER` (``None`` without a date).
    The precision travels with a completion date so that the next template
    shows it as the unit gave it (see :func:`partial_date_text`)."""
    if value is None or value == "":
        return None, None, None
    if isinstance(value, datetime):
        return value.date(), DAY, None
    if isinstance(value, date):
        return value, DAY, None
    if isinstance(value, bool | int | float):
        day = None if isinstance(value, bool) else _excel_serial(float(value))
        if day is None:
            return None, None, CellIssue("date-invalid", f"«{value}» không phải ngày (dd/mm/yyyy).")
        issue = CellIssue(
            "date-as-number",
            f"Ô chứa số {value:g}, được hiểu là ngày {day:%d/%m/%Y} theo cách đếm ngày của "
            "Excel; hãy định dạng ô là ngày (dd/mm/yyyy).",
            "warning",
        )
        return day, DAY, issue
    text = nfc(value)
    if not text:
        return None, None, None
    folded = re.sub(r"\s+", " ", fold(text)).strip().rstrip(".").strip()
    folded = re.sub(r"\s*([/-])\s*", r"\1", folded)
    parts: tuple[int, int, int] | None = None
    if m := _YMD.match(folded):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _DMY.match(folded) or _WORDS.match(folded):
        year = int(m[3])
        parts = (int(m[1]), int(m[2]), year + 2000 if year < 100 else year)
    if parts:
        day, month, year = parts
        try:
            return date(year, month, day), DAY, None
        except ValueError:
            issue = CellIssue(
                "date-impossible", f"Ngày «{text}» không có thật (kiểm tra ngày và tháng)."
            )
            return None, None, issue
    if m := _QUARTER.match(folded):
        n = m[1]
        quarter = int(n) if n.isdigit() else _ROMAN[n]
        due = quarter_end(int(m[2]), quarter)
        issue = CellIssue(
            "date-partial",
            f"Chỉ ghi quý («{text}»): tính là ngày cuối quý {due:%d/%m/%Y}; nên ghi ngày cụ thể.",
            "warning",
        )
        return due, QUARTER, issue
    if m := _MONTH.match(folded):
        month, year = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            due = month_end(year, month)
            issue = CellIssue(
                "date-partial",
                f"Chỉ ghi tháng («{text}»): tính là ngày cuối tháng {due:%d/%m/%Y}; "
                "nên ghi ngày cụ thể.",
                "warning",
            )
            return due, MONTH, issue
    issue = CellIssue(
        "date-invalid", f"«{text}» không phải ngày; ghi dạng dd/mm/yyyy, ví dụ 05/07/2024."
    )
    return None, None, issue


def partial_date_text(day: date, precision: str) -> str:
    """A date as written back to a unit with the precision it was given:
    ``tháng 6/2023`` for a month, ``quý II/2023`` for a quarter (the words the
    program and units use; never read by Excel as a day), ``dd/mm/yyyy``
    otherwise. :func:`parse_date_precision` reads the text back to the same
    date and precision.

    >>> partial_date_text(date(2023, 6, 30), MONTH), partial_date_text(date(2023, 6, 30), QUARTER)
    ('tháng 6/2023', 'quý II/2023')
    >>> parse_date_precision(partial_date_text(date(2023, 9, 30), QUARTER))[:2]
    (datetime.date(2023, 9, 30), 'quarter')
    """
    if precision == MONTH:
        return f"tháng {day.month}/{day.year}"
    if precision == QUARTER:
        return f"quý {roman((day.month - 1) // 3 + 1)}/{day.year}"
    return f"{day:%d/%m/%Y}"


# --- task ids ---------------------------------------------------------------------

_ID_PREFIX = re.compile(r"^(?:nhiem vu|nhiệm vụ|nv|muc|mục|ma|mã)\s*(?:so|số)?\s*[:.]?\s*", re.I)
_ID = re.compile(r"^(iii|iv)?\s*\.?\s*((?:\d+\s*\.\s*)*\d+)\s*\.?\s*([ab])?\s*\.?$", re.I)


def parse_task_id(value: object) -> str | None:
    """Normalise a task id as units write it: with or without ``III.``,
    trailing dots, ``Nhiệm vụ 2.2.9``, ``NV 2.2.10a``. ``None`` when the
    text is not shaped like an id (whether the task exists is checked
    elsewhere)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        value = repr(value)
    return _task_id(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=1 << 14)
def _task_id(value: str) -> str | None:
    # key() gives NFC, folded, single-spaced text; the prefix takes its own spaces.
    m = _ID.match(_ID_PREFIX.sub("", key(value.replace(",", "."))))
    if not m:
        return None
    numbers = re.sub(r"\s+", "", m[2])
    suffix = (m[3] or "").lower()
    roman = (m[1] or "").upper()
    if not roman:
        roman = "III" if numbers.split(".")[0] in {"1", "2"} and "." in numbers else ""
        if not roman:
            return None
    return f"{roman}.{numbers}{suffix}"
