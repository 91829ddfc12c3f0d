"""The Board's worklist (thẩm định): the completions units claim, for an analyst
to accept, refuse or correct (docs/design.md §16).

``nq28 review`` writes ``tham-dinh-<period>.xlsx``: one row per (unit,
deadline task) whose completion is claimed up to the period and has no
verdict yet, with what the unit said, and the analyst's columns — ``Kết
luận`` (a list), ``Tình trạng đúng`` (the template's status words), ``Ngày
hoàn thành đúng``, ``Lý do``, ``Người thẩm định``, ``Ngày thẩm định``. The
columns are found back by their labels (:data:`WORKLIST_HEADERS`), so a
worklist re-saved by another spreadsheet program, its rows sorted or
deleted, still reads (:mod:`nq28_analysis.ingest.verdicts`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from ..common.files import text_workbook, write_file
from ..common.periods import Period
from .values import STATUS_LABELS

__all__ = [
    "ANALYST_COLUMNS",
    "VERDICT_LABELS",
    "WORKLIST_HEADERS",
    "WORKLIST_SHEET",
    "Claim",
    "worklist_name",
    "write_worklist",
]

#: Verdict codes (``verdicts.csv``, ``classification.csv``'s ``verdict``) and
#: the words an analyst picks.
VERDICT_LABELS = {
    "accepted": "Chấp nhận",
    "not_accepted": "Chưa chấp nhận",
    "corrected": "Sửa",
}

WORKLIST_SHEET = "Thẩm định"

#: Column key → header label, in the order written. The first group is the
#: unit's claim (locked), the second the analyst's (open, yellow).
CLAIM_COLUMNS = {
    "number": "STT",
    "unit_id": "Mã đơn vị",
    "unit": "Đơn vị",
    "task_id": "Mã nhiệm vụ",
    "task": "Nội dung nhiệm vụ",
    "due_date": "Hạn",
    "claimed_on": "Ngày hoàn thành đơn vị báo",
    "claimed_in": "Báo cáo kỳ",
    "result": "Kết quả thực hiện (đơn vị báo)",
    "evidence": "Văn bản, minh chứng (đơn vị báo)",
}
ANALYST_COLUMNS = {
    "verdict": "Kết luận",
    "status": "Tình trạng đúng",
    "completed_on": "Ngày hoàn thành đúng",
    "reason": "Lý do",
    "reviewer": "Người thẩm định",
    "reviewed_on": "Ngày thẩm định",
}
WORKLIST_HEADERS = {**CLAIM_COLUMNS, **ANALYST_COLUMNS}
_WIDTHS = {
    "number": 5,
    "unit_id": 14,
    "unit": 24,
    "task_id": 11,
    "task": 46,
    "due_date": 11,
    "claimed_on": 12,
    "claimed_in": 12,
    "result": 40,
    "evidence": 30,
    "verdict": 15,
    "status": 15,
    "completed_on": 12,
    "reason": 30,
    "reviewer": 18,
    "reviewed_on": 12,
}
_HEADER_ROW = 4  # 0-based: the title, the period line, the instructions, a blank row


@dataclass(frozen=True)
class Claim:
    """One claimed completion awaiting a verdict."""

    unit_id: str
    unit: str
    task_id: str
    task: str
    due_date: date | None
    claimed_on: date | None
    claimed_in: str  # the quarter's label whose report first said completed
    result: str
    evidence: str


def worklist_name(period: Period, number: int = 1) -> str:
    """``tham-dinh-2024-Q2.xlsx``; the ``number``-th one ``tham-dinh-2024-Q2-2.xlsx``."""
    suffix = "" if number == 1 else f"-{number}"
    return f"tham-dinh-{period.id}{suffix}.xlsx"


def _date_rule(title: str) -> dict:
    return {
        "validate": "date",
        "criteria": "between",
        "minimum": date(2020, 1, 1),
        "maximum": date(2035, 12, 31),
        "input_title": title,
        "input_message": "Nhập ngày dạng dd/mm/yyyy",
        "error_title": "Ngày không hợp lệ",
        "error_message": "Nhập ngày dạng dd/mm/yyyy.",
    }


def _list_rule(title: str, choices: Sequence[str]) -> dict:
    return {
        "validate": "list",
        "source": list(choices),
        "input_title": title,
        "input_message": "Chọn trong danh sách",
        "error_title": f"{title} không hợp lệ",
        "error_message": f"Chọn: {', '.join(choices[:-1])} hoặc {choices[-1]}.",
    }


def write_worklist(
    claims: Sequence[Claim], period: Period, path: Path, as_of: date, sample: bool = False
) -> Path:
    """Write the worklist of ``claims`` for ``period`` to ``path`` (same claims,
    same bytes: the workbook is dated ``as_of``)."""

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    book = text_workbook(buffer)
    book.set_properties({"created": datetime.combine(as_of, time())})
    base = {"font_name": "Times New Roman", "font_size": 11, "valign": "top", "text_wrap": True}
    cell = book.add_format({**base, "border": 1})
    centre = book.add_format({**base, "border": 1, "align": "center"})
    day_cell = book.add_format({**base, "border": 1, "align": "center", "num_format": "dd/mm/yyyy"})
    header = book.add_format(
        {**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter"}
        | {"bg_color": "#DCE6F1"}
    )
    mine = book.add_format(
        {**base, "bold": True, "border": 1, "align": "center", "valign": "vcenter"}
        | {"bg_color": "#FFE699"}
    )
    open_cell = book.add_format({**base, "border": 1, "locked": False, "bg_color": "#FFF9DB"})
    open_day = book.add_format(
        {**base, "border": 1, "locked": False, "bg_color": "#FFF9DB", "num_format": "dd/mm/yyyy"}
    )
    title = book.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False})
    note = book.add_format({**base, "italic": True, "text_wrap": False})
    sheet = book.add_worksheet(WORKLIST_SHEET)
    keys = list(WORKLIST_HEADERS)
    sheet.write_string(0, 0, "DANH SÁCH THẨM ĐỊNH KẾT QUẢ HOÀN THÀNH NHIỆM VỤ", title)
    sheet.write_string(
        1,
        0,
        f"{period.label_vi} — các nhiệm vụ đơn vị báo cáo đã hoàn thành, chưa được thẩm định"
        + (" (DỮ LIỆU MẪU)" if sample else ""),
        note,
    )
    sheet.write_string(
        2,
        0,
        "Cán bộ thẩm định điền các cột nền vàng: Kết luận «Chấp nhận», «Chưa chấp nhận» (hoàn "
        "thành không được tính, ghi Lý do) hoặc «Sửa» (ghi Tình trạng đúng và/hoặc Ngày hoàn "
        "thành đúng); luôn ghi Ngày thẩm định. Dòng để trống Kết luận là chưa thẩm định.",
        note,
    )
    for col, key in enumerate(keys):
        sheet.set_column(col, col, _WIDTHS[key])
        style = mine if key in ANALYST_COLUMNS else header
        sheet.write_string(_HEADER_ROW, col, WORKLIST_HEADERS[key], style)
    first = _HEADER_ROW + 1
    for i, claim in enumerate(claims):
        r = first + i
        values = {
            "number": i + 1,
            "unit_id": claim.unit_id,
            "unit": claim.unit,
            "task_id": claim.task_id,
            "task": claim.task,
            "due_date": claim.due_date,
            "claimed_on": claim.claimed_on,
            "claimed_in": claim.claimed_in,
            "result": claim.result,
            "evidence": claim.evidence,
        }
        for col, key in enumerate(keys):
            if key in ANALYST_COLUMNS:
                style = open_day if key in ("completed_on", "reviewed_on") else open_cell
                sheet.write_blank(r, col, None, style)
                continue
            value = values[key]
            if isinstance(value, date):
                sheet.write_datetime(r, col, datetime.combine(value, time()), day_cell)
            elif isinstance(value, int):
                sheet.write_number(r, col, value, centre)
            elif value is None or value == "":
                sheet.write_blank(r, col, None, cell)
            else:
                sheet.write_string(r, col, str(value), cell)
    last = first + max(len(claims), 1) - 1
    where = {key: keys.index(key) for key in ANALYST_COLUMNS}
    sheet.data_validation(
        first,
        where["verdict"],
        last,
        where["verdict"],
        _list_rule("Kết luận", list(VERDICT_LABELS.values())),
    )
    sheet.data_validation(
        first,
        where["status"],
        last,
        where["status"],
        _list_rule("Tình trạng đúng", list(STATUS_LABELS.values())),
    )
    for key, label in (("completed_on", "Ngày hoàn thành đúng"), ("reviewed_on", "Ngày thẩm định")):
        sheet.data_validation(first, where[key], last, where[key], _date_rule(label))
    sheet.freeze_panes(first, 4)
    sheet.autofilter(_HEADER_ROW, 0, last, len(keys) - 1)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(_HEADER_ROW)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&CTrang &P/&N")
    sheet.protect(
        "",
        {
            "format_columns": True,
            "format_rows": True,
            "autofilter": True,
            "sort": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )
    meta = book.add_worksheet("_nq28")
    for r, (name, value) in enumerate((("kind", "worklist"), ("period", period.id))):
        meta.write_string(r, 0, name)
        meta.write_string(r, 1, value)
    meta.very_hidden()
    book.close()
    return write_file(path, buffer.getvalue())
