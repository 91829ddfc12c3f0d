"""Pre-filled Excel templates that units fill in and send back (docs/design.md §3).

One workbook per expected unit and period: an instructions sheet, the task
sheet with the contract's label cells and header, and a hidden sheet of
machine-readable metadata (unit, period, template version, catalogue
checksum). Task ids and texts are protected; the input cells are not.

>>> from nq28_analysis import find_project, load_catalog, parse_period
>>> catalog = load_catalog(find_project().reference)
>>> rows = template_rows(catalog, "huyen-uy-ba-to", parse_period("2024-Q2"))
>>> rows[0]["task_id"], rows[0]["deadline"]
('III.1.1', 'Không có thời hạn')
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..common.files import text_workbook, write_file
from ..common.periods import Period
from ..reference.catalog import Catalog
from ..reference.deadlines import (
    DUE,
    NOT_TRIGGERED,
    RECURRING,
    assignment_rows,
    expected_units,
    obligation,
)
from ..reference.phrases import describe_rule
from .layout import FIELD_LABELS, META_SHEET, TASK_SHEET
from .values import DAY, STATUS_LABELS, partial_date_text

__all__ = [
    "CARRIED_DATE",
    "HEADERS",
    "LABELS",
    "META_SHEET",
    "STATUS_CHOICES",
    "TASK_SHEET",
    "TEMPLATE_VERSION",
    "catalog_checksum",
    "template_name",
    "template_rows",
    "write_template",
    "write_templates",
]

TEMPLATE_VERSION = "1"
GUIDE_SHEET = "Hướng dẫn"

#: The contract's header labels, in order (``Thời hạn`` is the read-only extra).
HEADERS = tuple(FIELD_LABELS.values())
#: The dropdown of ``Tình trạng`` (docs/design.md §3).
STATUS_CHOICES = tuple(STATUS_LABELS.values())
#: Label cells above the table; the value sits in the cell to the right.
LABELS = ("Đơn vị:", "Kỳ báo cáo:", "Ngày báo cáo:")

#: Key prefix, in the hidden metadata, of a month- or quarter-only completion
#: date the template is pre-filled with: ``carried_completed_on:IV.2`` →
#: ``tháng 6/2023``. The reader does not warn again about that date.
CARRIED_DATE = "carried_completed_on:"

_WIDTHS = (5, 12, 60, 26, 17, 14, 40, 24, 28, 28)
_FIRST_TABLE_ROW = 7  # 0-based row of the header (Excel row 8)


def _date_rule(title: str) -> dict:
    """Excel's date validation of a date cell, with its Vietnamese prompts."""
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


def catalog_checksum(catalog: Catalog) -> str:
    """A short fingerprint of the tasks (ids, texts, deadlines) a template was made from."""
    digest = hashlib.sha256()
    for task in catalog.tasks.values():
        digest.update(f"{task.task_id}\x1f{task.text_vi}\x1f{task.deadline_text}\x1e".encode())
    return digest.hexdigest()[:16]


def template_name(unit_id: str, period: Period) -> str:
    """``huyen-uy-ba-to_2024-Q2.xlsx``."""
    return f"{unit_id}_{period.id}.xlsx"


def _deadline_words(catalog: Catalog, row: dict, unit_id: str, period: Period) -> str:
    task = catalog.task(row["task_id"])
    seen = obligation(
        catalog, task.task_id, unit_id, period, period.end, level=row["level"] or None
    )
    if seen.state == DUE:
        # The source's own words (the unit's level's clause of a staggered
        # deadline), then the last day we judge by.
        words = _source_words(task, row["level"]) or describe_rule(task.rule)
        return f"{upper_first(words)} (hạn cuối: {seen.due:%d/%m/%Y})"
    if seen.state == NOT_TRIGGERED:
        return f"{describe_rule(task.rule)} (chưa phát sinh)"
    if seen.state == RECURRING and task.read_over_phrase:
        # The program's words (a plan already in force), then how we read them.
        return f"{upper_first(task.deadline_phrase)} (báo cáo kết quả mỗi kỳ)"
    return describe_rule(task.rule)


_LEVEL_NAMES = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "co-so": "cấp cơ sở"}


def _source_words(task, level: str | None) -> str:
    """The deadline as the program words it: the whole phrase, or for a level
    of a staggered deadline that level's clause ("cấp huyện hoàn thành trong
    tháng 01/2023"); empty when the program gives a task no phrase of its own
    and a triggered task's date comes from an event."""
    if task.rule.kind in ("on_request", "after_guidance", "per_plan", "term"):
        return ""
    phrase = task.deadline_text.strip()
    if task.rule.kind != "staggered" or not level:
        return phrase
    name = _LEVEL_NAMES.get(level, "")
    for clause in phrase.split(";"):
        at = clause.lower().find(name) if name else -1
        if at >= 0:
            return clause[at:].strip()
    return phrase


def upper_first(text: str) -> str:
    """``hoàn thành trong quý II/2023`` → ``Hoàn thành trong quý II/2023``."""
    return text[:1].upper() + text[1:]


def template_rows(catalog: Catalog, unit_id: str, period: Period) -> list[dict]:
    """The rows of a unit's template: its assigned tasks in catalogue order,
    each with its deadline in words for this unit and period."""
    rows = []
    for pair in (p for p in assignment_rows(catalog, period) if p["unit_id"] == unit_id):
        task = catalog.task(pair["task_id"])
        words = _deadline_words(catalog, pair, unit_id, period)
        if pair["inherited_from"]:
            names = [catalog.unit(u).name_vi for u in pair["inherited_from"].split(";")]
            words += f" — tiếp nhận từ {', '.join(names)}"
        rows.append({"task_id": task.task_id, "text_vi": task.text_vi, "deadline": words})
    return rows


@dataclass(frozen=True)
class Prefill:
    """An answer written into a template: a completion the unit already
    reported (``nq28 template``), or a whole synthetic answer (``nq28 demo``).
    Values are written as a unit would type them: ``completed_on`` may be a
    date or text. ``precision`` says how precisely a date ``completed_on`` was
    given (``day``, ``month``, ``quarter``): a month or a quarter is written
    back as such (``tháng 6/2023``), never as its last day."""

    status: str = "Hoàn thành"
    completed_on: date | str | None = None
    result: str = ""
    evidence: str = ""
    difficulties: str = ""
    proposals: str = ""
    precision: str = DAY

    @property
    def partial_date(self) -> str | None:
        """The month- or quarter-only date as written into the template, else None."""
        if isinstance(self.completed_on, date) and self.precision != DAY:
            return partial_date_text(self.completed_on, self.precision)
        return None


def _carried(kind: str, answer: Prefill, period: Period) -> bool:
    """Whether a completion reported earlier is pre-filled: never for recurring
    tasks, and for annual tasks only within the same calendar year."""
    if kind == "recurring":
        return False
    if kind == "annual":
        done = answer.completed_on
        return isinstance(done, date) and done.year == period.end.year
    return True


def _write_answer(sheet, r: int, answer: Prefill | None, fmt: dict) -> None:
    if answer is None:
        sheet.write_blank(r, 4, None, fmt["input"])
        sheet.write_blank(r, 5, None, fmt["input_date"])
        texts = ("", "", "", "")
    else:
        if answer.status:
            sheet.write_string(r, 4, answer.status, fmt["input"])
        else:
            sheet.write_blank(r, 4, None, fmt["input"])
        if answer.partial_date:
            sheet.write_string(r, 5, answer.partial_date, fmt["input_date"])
        elif isinstance(answer.completed_on, date):
            day = datetime.combine(answer.completed_on, datetime.min.time())
            sheet.write_datetime(r, 5, day, fmt["input_date"])
        elif answer.completed_on:
            sheet.write_string(r, 5, answer.completed_on, fmt["input_date"])
        else:
            sheet.write_blank(r, 5, None, fmt["input_date"])
        texts = (answer.result, answer.evidence, answer.difficulties, answer.proposals)
    for col, text in enumerate(texts, start=6):
        if text:
            sheet.write_string(r, col, text, fmt["input"])
        else:
            sheet.write_blank(r, col, None, fmt["input"])


def _row_height(row: dict) -> float:
    """Points needed to show the wrapped task text and deadline (Excel does not
    grow a row on opening a file, and LibreOffice prints it cut)."""
    lines = max(
        -(-len(row["text_vi"]) // int(_WIDTHS[2] * 1.05)),
        -(-len(row["deadline"]) // int(_WIDTHS[3] * 1.05)),
        2,
    )
    return 15.5 * lines + 4


def _formats(book) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
    border = {**base, "border": 1}
    return {
        "title": book.add_format(
            {**base, "bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        ),
        "note": book.add_format({**base, "italic": True, "align": "center"}),
        "label": book.add_format({**base, "bold": True, "text_wrap": False}),
        "value": book.add_format({**base, "text_wrap": False}),
        "date_in": book.add_format(
            {
                **base,
                "num_format": "dd/mm/yyyy",
                "locked": False,
                "bg_color": "#FFF9DB",
                "border": 1,
                "align": "left",
            }
        ),
        "header": book.add_format(
            {**border, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#DCE6F1"}
        ),
        "number": book.add_format({**border, "italic": True, "align": "center", "font_size": 10}),
        "locked": book.add_format({**border}),
        "locked_center": book.add_format({**border, "align": "center"}),
        "input": book.add_format({**border, "locked": False, "bg_color": "#FFF9DB"}),
        "input_date": book.add_format(
            {
                **border,
                "locked": False,
                "bg_color": "#FFF9DB",
                "num_format": "dd/mm/yyyy",
                "align": "center",
            }
        ),
        "guide": book.add_format({**base, "text_wrap": True}),
        "guide_title": book.add_format({**base, "bold": True, "font_size": 14}),
    }


def _guide(book, fmt: dict, unit_name: str, period: Period, deadline: date) -> None:
    sheet = book.add_worksheet(GUIDE_SHEET)
    sheet.set_column(0, 0, 110)
    lines = [
        ("guide_title", "HƯỚNG DẪN ĐIỀN BIỂU MẪU"),
        ("guide", f"Đơn vị: {unit_name}. Kỳ báo cáo: {period.label_vi}."),
        ("guide", f"Hạn gửi báo cáo: {deadline:%d/%m/%Y}."),
        ("guide", ""),
        (
            "guide",
            "1. Điền vào trang «Báo cáo»; chỉ sửa các ô nền vàng. Không thêm, xóa hay "
            "đổi thứ tự cột; không sửa mã và nội dung nhiệm vụ.",
        ),
        ("guide", "2. Ô «Ngày báo cáo»: ngày ký báo cáo, dạng dd/mm/yyyy (ví dụ 05/07/2024)."),
        (
            "guide",
            "3. Cột «Tình trạng»: chọn trong danh sách — Hoàn thành / Đang thực hiện / "
            "Chưa thực hiện. Nhiệm vụ «Không phát sinh» trong kỳ: chọn «Chưa thực hiện» "
            "và ghi rõ ở cột «Kết quả thực hiện».",
        ),
        (
            "guide",
            "4. Cột «Ngày hoàn thành»: bắt buộc khi «Hoàn thành» — ngày hoàn thành thực tế, "
            "dạng dd/mm/yyyy. Nếu bỏ trống, ngày gửi báo cáo được dùng thay.",
        ),
        (
            "guide",
            "5. Nhiệm vụ thường xuyên: mỗi kỳ ghi kết quả của kỳ đó; chọn «Hoàn thành» hoặc "
            "«Đang thực hiện» khi có kết quả trong kỳ.",
        ),
        (
            "guide",
            "6. Nhiệm vụ đã báo cáo hoàn thành ở kỳ trước được điền sẵn; chỉ sửa nếu có thay đổi.",
        ),
        (
            "guide",
            "7. Cột «Văn bản, minh chứng»: số, ký hiệu, ngày của văn bản (ví dụ "
            "«Kế hoạch số 25-KH/HU ngày 10/01/2023»).",
        ),
        (
            "guide",
            "8. Gửi lại đúng tệp này (định dạng .xlsx), không đặt mật khẩu, không đổi tên "
            "trang. Nếu gửi bổ sung, gửi cả tệp; báo cáo gửi sau thay thế báo cáo trước "
            "theo từng nhiệm vụ.",
        ),
    ]
    for row, (style, text) in enumerate(lines):
        sheet.write_string(row, 0, text, fmt[style])


def write_template(
    catalog: Catalog,
    unit_id: str,
    period: Period,
    out_dir: Path | str,
    prefill: dict[str, Prefill] | None = None,
    generated_on: date | None = None,
    *,
    answers: dict[str, Prefill] | None = None,
    reported_on: date | None = None,
    sample: bool = False,
    file_name: str | None = None,
) -> Path:
    """Write the unit's template for ``period`` into ``out_dir``; return its path.

    ``prefill`` maps task ids of deadline tasks the unit already reported
    completed to that answer; recurring tasks are never pre-filled.
    ``generated_on`` (default: the period's end) is recorded in the metadata;
    it is a parameter so that the same inputs give the same file.

    ``answers``, ``reported_on``, ``sample`` and ``file_name`` fill the
    template as a unit would (the demo data): every answer is written as
    given, recurring tasks included, and a sample workbook says so in its
    title and metadata.
    """
    unit = catalog.unit(unit_id)
    rows = template_rows(catalog, unit_id, period)
    # A completion filed under a task's other id pre-fills the task itself
    # (one filed under the task's own id wins); an id no longer known is dropped.
    given = sorted((prefill or {}).items(), key=lambda item: item[0] in catalog.tasks)
    current = {catalog.current_task_id(t): answer for t, answer in given}
    written = {
        task_id: answer
        for task_id, answer in current.items()
        if task_id and _carried(catalog.task(task_id).deadline_kind, answer, period)
    }
    written.update(answers or {})
    out = Path(out_dir) / (file_name or template_name(unit_id, period))
    deadline = period.submission_deadline(catalog.settings.submission_deadline_days)
    stamp = datetime.combine(generated_on or period.end, datetime.min.time())

    buffer = io.BytesIO()
    book = text_workbook(buffer)
    book.set_properties(
        {
            "title": f"Báo cáo thực hiện Chương trình 28-NQ/TW — {period.label_vi}",
            "author": catalog.settings.issuer_name or "nq28",
            "created": stamp,
        }
    )
    fmt = _formats(book)
    sheet = book.add_worksheet(TASK_SHEET)
    _guide(book, fmt, unit.name_vi, period, deadline)
    sheet.activate()

    _heading(sheet, fmt, (unit.name_vi, period.label_vi), reported_on, sample)
    _tasks(sheet, fmt, rows, written)
    _page(sheet)
    carried = {  # the month- or quarter-only dates pre-filled, in the sheet's order
        row["task_id"]: text
        for row in rows
        if row["task_id"] in written
        and row["task_id"] not in (answers or {})
        and (text := written[row["task_id"]].partial_date)
    }
    _metadata(book, catalog, unit_id, period, stamp, sample, carried)
    book.close()
    return write_file(out, buffer.getvalue())


def _heading(sheet, fmt: dict, names: tuple[str, str], reported_on, sample: bool) -> None:
    """The title, the note and the three label cells above the table."""
    last_col = len(HEADERS) - 1
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        ("DỮ LIỆU MẪU — KHÔNG PHẢI BÁO CÁO THẬT. " if sample else "")
        + "BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH HÀNH ĐỘNG THỰC HIỆN NGHỊ QUYẾT SỐ 28-NQ/TW",
        fmt["title"],
    )
    sheet.set_row(0, 36)
    sheet.merge_range(1, 0, 1, last_col, "(Chỉ điền vào các ô nền vàng)", fmt["note"])
    for offset, (label, value) in enumerate(zip(LABELS, (*names, None), strict=True)):
        row = 2 + offset
        sheet.merge_range(row, 0, row, 1, label, fmt["label"])
        if value is None and reported_on:
            day = datetime.combine(reported_on, datetime.min.time())
            sheet.write_datetime(row, 2, day, fmt["date_in"])
        elif value is None:
            sheet.write_blank(row, 2, None, fmt["date_in"])
        else:
            sheet.write_string(row, 2, value, fmt["value"])
    sheet.data_validation(4, 2, 4, 2, _date_rule("Ngày báo cáo"))


def _tasks(sheet, fmt: dict, rows: list[dict], written: dict[str, Prefill]) -> None:
    """The header, the column numbers and one row per task, with the answers'
    dropdown and date validation."""
    header_row = _FIRST_TABLE_ROW
    for col, (label, width) in enumerate(zip(HEADERS, _WIDTHS, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(header_row, col, label, fmt["header"])
        sheet.write_string(header_row + 1, col, f"({col + 1})", fmt["number"])
    first = header_row + 2
    for i, row in enumerate(rows):
        r = first + i
        sheet.set_row(r, _row_height(row))
        sheet.write_number(r, 0, i + 1, fmt["locked_center"])
        sheet.write_string(r, 1, row["task_id"], fmt["locked_center"])
        sheet.write_string(r, 2, row["text_vi"], fmt["locked"])
        sheet.write_string(r, 3, row["deadline"], fmt["locked"])
        _write_answer(sheet, r, written.get(row["task_id"]), fmt)
    last = first + max(len(rows), 1) - 1
    sheet.data_validation(
        first,
        4,
        last,
        4,
        {
            "validate": "list",
            "source": list(STATUS_CHOICES),
            "input_title": "Tình trạng",
            "input_message": "Chọn trong danh sách",
            "error_title": "Tình trạng không hợp lệ",
            "error_message": f"Chọn: {', '.join(STATUS_CHOICES[:-1])} hoặc {STATUS_CHOICES[-1]}.",
        },
    )
    sheet.data_validation(first, 5, last, 5, _date_rule("Ngày hoàn thành"))
    sheet.freeze_panes(first, 3)


def _page(sheet) -> None:
    """A4 landscape, the header rows repeated, one page wide, protected headers."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.repeat_rows(_FIRST_TABLE_ROW, _FIRST_TABLE_ROW + 1)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer("&CTrang &P/&N")
    sheet.protect(
        "",
        {
            "format_columns": True,
            "format_rows": True,
            "select_locked_cells": True,
            "select_unlocked_cells": True,
        },
    )


def _metadata(
    book,
    catalog: Catalog,
    unit_id: str,
    period: Period,
    stamp,
    sample: bool,
    carried: dict[str, str],
) -> None:
    """The very hidden sheet the reader checks the workbook's identity by, and
    the month- or quarter-only dates it was pre-filled with (``carried``)."""
    meta = book.add_worksheet(META_SHEET)
    for r, (name, value) in enumerate(
        (
            ("unit_id", unit_id),
            ("period", period.id),
            ("template_version", TEMPLATE_VERSION),
            ("catalog_checksum", catalog_checksum(catalog)),
            ("generated_on", stamp.date().isoformat()),
            ("sample", "yes" if sample else "no"),
            *((f"{CARRIED_DATE}{task_id}", text) for task_id, text in carried.items()),
        )
    ):
        meta.write_string(r, 0, name)
        meta.write_string(r, 1, value)
    meta.very_hidden()


def write_templates(
    catalog: Catalog,
    period: Period,
    out_dir: Path | str,
    units: list[str] | None = None,
    prefill: dict[str, dict[str, Prefill]] | None = None,
) -> list[Path]:
    """Templates for ``units`` (default: every unit expected for ``period``)."""
    chosen = units or expected_units(catalog, period)
    prefill = prefill or {}
    return [write_template(catalog, uid, period, out_dir, prefill.get(uid)) for uid in chosen]
