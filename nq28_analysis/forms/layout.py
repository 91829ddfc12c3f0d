"""Finding the task table in a sheet, whatever the unit did to the layout.

The header row may sit anywhere in the first rows, under title lines; it may
be followed by a row of column numbers ``(1) (2) …``; columns are matched by
meaning (synonyms, abbreviations, missing diacritics, any order); a column
the template does not have is reported, not fatal. Label cells above the
table (``Đơn vị:``, ``Kỳ báo cáo:``, ``Ngày báo cáo:``) are read too.

>>> grid = [["BÁO CÁO"], ["Đơn vị: Huyện ủy Ba Tơ"], [],
...         ["TT", "Mã NV", "Nội dung", "Tiến độ", "Thời gian hoàn thành"], ["(1)", "(2)"],
...         [1, "2.2.9", "…", "HT", "05/07/2024"]]
>>> found = find_table(grid)
>>> found.header_row, found.columns["status"], found.labels["unit"][0]
(3, 3, 'Huyện ủy Ba Tơ')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..common.text import key, nfc
from .values import parse_task_id

__all__ = ["FIELD_LABELS", "META_SHEET", "TASK_SHEET", "Layout", "find_table", "header_field"]

#: The template's sheets: the task table, and the hidden machine-readable metadata.
TASK_SHEET = "Báo cáo"
META_SHEET = "_nq28"

#: Field → the template's header label (docs/design.md §3).
FIELD_LABELS = {
    "stt": "STT",
    "task_id": "Mã nhiệm vụ",
    "task_text": "Nội dung nhiệm vụ",
    "deadline": "Thời hạn",
    "status": "Tình trạng",
    "completed_on": "Ngày hoàn thành",
    "result": "Kết quả thực hiện",
    "evidence": "Văn bản, minh chứng",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Kiến nghị, đề xuất",
}
#: Fields a unit fills in; a row with any of them is an answer.
INPUT_FIELDS = ("status", "completed_on", "result", "evidence", "difficulties", "proposals")

# Header synonyms by matching key, after abbreviations are expanded.
_SYNONYMS = {
    "stt": ("stt", "tt", "so tt", "so thu tu", "thu tu"),
    "task_id": ("ma nhiem vu", "ma so nhiem vu", "ma so", "ma", "so hieu nhiem vu", "ma muc", "id"),
    "task_text": (
        "noi dung nhiem vu",
        "noi dung",
        "nhiem vu",
        "ten nhiem vu",
        "noi dung cong viec",
        "nhiem vu giai phap",
        "noi dung nhiem vu giai phap",
    ),
    "deadline": ("thoi han", "han", "thoi han hoan thanh", "thoi gian thuc hien"),
    "status": (
        "tinh trang",
        "tien do",
        "trang thai",
        "tinh hinh thuc hien",
        "tinh trang thuc hien",
        "tien do thuc hien",
        "muc do hoan thanh",
        "tinh trang hoan thanh",
    ),
    "completed_on": (
        "ngay hoan thanh",
        "thoi gian hoan thanh",
        "ngay thang hoan thanh",
        "ngay hoan thanh thuc te",
        "thoi diem hoan thanh",
    ),
    "result": (
        "ket qua thuc hien",
        "ket qua",
        "ket qua trien khai",
        "ket qua dat duoc",
        "ket qua trien khai thuc hien",
    ),
    "evidence": (
        "van ban minh chung",
        "minh chung",
        "van ban",
        "tai lieu minh chung",
        "so ky hieu van ban",
        "van ban tai lieu minh chung",
    ),
    "difficulties": (
        "kho khan vuong mac",
        "kho khan",
        "vuong mac",
        "kho khan han che",
        "han che kho khan",
        "kho khan vuong mac neu co",
    ),
    "proposals": (
        "kien nghi de xuat",
        "kien nghi",
        "de xuat",
        "de xuat kien nghi",
        "kien nghi de xuat neu co",
    ),
}
_ABBREVIATIONS = {
    "nv": "nhiem vu",
    "th": "thuc hien",
    "ht": "hoan thanh",
    "vb": "van ban",
    "kn": "kien nghi",
    "dx": "de xuat",
    "kq": "ket qua",
    "nd": "noi dung",
    "tg": "thoi gian",
}
_BY_KEY = {syn: name for name, words in _SYNONYMS.items() for syn in words}
_NUMBER_CELL = re.compile(r"^\(?\s*\d{1,2}\s*\)?$")
_LABELS = {"unit": "don vi", "period": "ky bao cao", "report_date": "ngay bao cao"}


def _header_key(text: object) -> str:
    words = key(str(text).replace("/", " ")).replace(".", " ").split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


@lru_cache(maxsize=4096)
def _field_of(k: str) -> str | None:
    if k in _BY_KEY:
        return _BY_KEY[k]
    # "Tình trạng (chọn trong danh sách)": the longest synonym the header starts with.
    best = max((s for s in _BY_KEY if k.startswith(s + " ")), key=len, default=None)
    return _BY_KEY[best] if best else None


def header_field(text: object) -> str | None:
    """The field a header cell stands for, or ``None``.

    >>> header_field("Tiến độ"), header_field("Thời gian HT"), header_field("Mã NV")
    ('status', 'completed_on', 'task_id')
    """
    return _field_of_text(text if isinstance(text, str) else str(text))


@lru_cache(maxsize=1 << 14)
def _field_of_text(text: str) -> str | None:
    k = _header_key(text)
    return _field_of(k) if k else None


@dataclass
class Layout:
    """Where the table is: 0-based header row, field → 0-based column, the
    first data row, extra columns, and label values found above the table
    (``labels[name] = (value, row, col)``)."""

    header_row: int
    columns: dict[str, int]
    headers: dict[int, str]
    first_data_row: int
    extra_columns: list[int] = field(default_factory=list)
    duplicate_columns: list[int] = field(default_factory=list)
    labels: dict[str, tuple[object, int, int]] = field(default_factory=dict)


#: A header cell is short; longer text is a title or a task, never a header.
_MAX_HEADER = 80


class _PerRow:
    """A function of a row's cells, remembered by content: templates repeat
    their title, label and header rows in every file, so each is worked out
    once. Results must not be changed by the caller."""

    #: Longer rows (a stray mark far right pads every row) are not remembered.
    WIDTH = 64

    def __init__(self, function, size: int = 4096):
        self.function, self.size = function, size
        self.results: dict[tuple, object] = {}

    def __call__(self, row: list):
        if len(row) > self.WIDTH:
            return self.function(row)
        # Text as it is, other values with their type: 1, 1.0 and True are
        # equal in Python but not in a cell.
        key = tuple(v if type(v) is str else (type(v), v) for v in row)
        try:
            return self.results[key]
        except KeyError:
            pass
        except TypeError:  # a value that cannot be a key
            return self.function(row)
        if len(self.results) >= self.size:
            self.results.clear()
        found = self.results[key] = self.function(row)
        return found


def _match_row(row: list) -> tuple[dict[str, int], list[int], list[int]]:
    columns, extra, duplicate = _match_cells(row)
    return dict(columns), list(extra), list(duplicate)


@_PerRow
def _match_cells(row: list) -> tuple[dict[str, int], list[int], list[int]]:
    columns: dict[str, int] = {}
    extra: list[int] = []
    duplicate: list[int] = []
    for col, cell in enumerate(row):
        text = nfc(cell) if isinstance(cell, str) and len(cell) <= 3 * _MAX_HEADER else ""
        if not text or len(text) > _MAX_HEADER:
            if text:
                extra.append(col)
            continue
        name = header_field(text)
        if name is None:
            extra.append(col)
        elif name in columns:
            duplicate.append(col)
        else:
            columns[name] = col
    return columns, extra, duplicate


def _labels(grid: list[list], above: int) -> dict[str, tuple[object, int, int]]:
    found: dict[str, tuple[object, int, int]] = {}
    for r in range(above):
        for name, value, c in _row_labels(grid[r]):
            found.setdefault(name, (value, r, c))
    return found


@_PerRow
def _row_labels(row: list) -> list[tuple[str, object, int]]:
    """Labels in a row, in order: (name, value, column of the value)."""
    hits = []
    for c, cell in enumerate(row):
        text = nfc(cell) if isinstance(cell, str) else ""
        if not text:
            continue
        k = key(text)
        for name, label in _LABELS.items():
            if not k.startswith(label):
                continue
            after = text.split(":", 1)[1].strip() if ":" in text else ""
            if after:
                hits.append((name, after, c))
                continue
            for c2 in range(c + 1, len(row)):
                value = row[c2]
                if value is not None and nfc(value) != "":
                    hits.append((name, value, c2))
                    break
    return hits


def _id_column_by_content(grid: list[list], start: int, columns: dict[str, int]) -> int | None:
    width = max((len(r) for r in grid[start : start + 200]), default=0)
    for col in range(width):
        if col in columns.values():
            continue
        values = [r[col] for r in grid[start : start + 200] if col < len(r) and nfc(r[col])]
        if values and sum(parse_task_id(v) is not None for v in values) >= 0.6 * len(values):
            return col
    return None


def find_table(grid: list[list], search_rows: int = 40) -> Layout | None:
    """Find the task table in ``grid`` (rows of cell values), or ``None``.

    The header is the row among the first ``search_rows`` that matches the
    most known columns (at least three, one of them the status or the task
    id). When no header names the task id, a column whose values are mostly
    task ids is taken for it.
    """
    best: tuple[int, int] | None = None
    for r, row in enumerate(grid[:search_rows]):
        if sum(1 for cell in row if isinstance(cell, str) and cell) < 3:
            continue
        columns, _, _ = _match_row(row)
        score = len(columns)
        usable = score >= 3 and bool({"status", "task_id"} & set(columns))
        if usable and (best is None or score > best[1]):
            best = (r, score)
        if usable and score >= 6:
            break  # a header this complete is the one; no need to read further
    if best is None:
        return None
    header_row = best[0]
    columns, extra, duplicate = _match_row(grid[header_row])
    first = header_row + 1
    if first < len(grid):
        cells = [nfc(c) for c in grid[first] if nfc(c)]
        if cells and sum(bool(_NUMBER_CELL.match(c)) for c in cells) >= max(2, len(cells) // 2):
            first += 1
    if "task_id" not in columns:
        # "Nhiệm vụ" may head the ids when there is no separate id column.
        guess = _id_column_by_content(grid, first, {})
        if guess is not None:
            owner = next((f for f, c in columns.items() if c == guess), None)
            if owner:
                del columns[owner]
            if guess in extra:
                extra.remove(guess)
            columns["task_id"] = guess
    headers = {c: nfc(v) for c, v in enumerate(grid[header_row]) if nfc(v)}
    return Layout(
        header_row=header_row,
        columns=columns,
        headers=headers,
        first_data_row=first,
        extra_columns=extra,
        duplicate_columns=duplicate,
        labels=_labels(grid, header_row),
    )
