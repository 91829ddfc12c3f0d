"""Reminder letters (công văn đôn đốc): the Organization Board chases the
units that lag (Action Program IV.3, docs/design.md §17).

:func:`reminders` decides, from the metrics of a quarter, what each expected
unit owes: its report for the quarter when none was accepted or it came
after the deadline, and its pairs classified ``overdue``, ``not_reported``
or ``recurring_silent`` (the Board's verdicts already applied: a completion
the Board did not accept is ``overdue`` again). :func:`write_reminders`
writes one Word letter per open unit that owes something,
``don-doc-<unit_id>-<P>.docx``, laid out as a Party document
(:mod:`~nq28_analysis.reports.party`), and the list ``don-doc-<P>.xlsx`` of
every expected unit with what its letter asks (empty where no letter was
written). A unit closed by the letters' date gets none.

The letters are dated ``as_of``, the date their facts stand at; the unit
answers within ``reminder_answer_days`` (a setting) of it. The number and
the signer are left for the Board to fill in. The same metrics always give
the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from docx import Document

from ..common.errors import UsageError
from ..common.files import text_workbook, write_file
from ..common.formatting import as_date, day, is_missing, number
from ..common.periods import Period
from ..common.text import lower_first
from ..forms.worklist import VERDICT_LABELS
from ..metrics import CLASSIFICATION_LABELS, Metrics
from ..reference.catalog import BLANK, Catalog, Settings
from .annex import DEADLINE_KIND_WORDS
from .party import (
    BLOCK_STYLE,
    BODY_PT,
    RED,
    TEXT_WIDTH_CM,
    bullet_lines,
    clean,
    date_line,
    grid,
    header_block,
    para,
    run,
    set_properties,
    setup_page,
    shorten,
    signature,
    write_docx,
)
from .present import SAMPLE_BANNER, closing_words, submission_state, submission_words

__all__ = [
    "CHASED",
    "FOLDER",
    "LETTER_HEADERS",
    "LIST_HEADERS",
    "LIST_SHEET",
    "QUARTERS_ONLY",
    "SUBJECT",
    "Owed",
    "Reminder",
    "Written",
    "answer_by",
    "letter_name",
    "list_name",
    "reminders",
    "request",
    "write_reminders",
]

#: The classifications a letter chases.
CHASED = ("overdue", "not_reported", "recurring_silent")
#: The reports a letter chases (keys of ``present.SUBMISSION_WORDS``).
_REPORT_CHASED = ("missing", "late")
#: The default folder of the letters, inside ``reports/<P>/``.
FOLDER = "don-doc"
#: Letters answer for a quarter.
QUARTERS_ONLY = "Thư đôn đốc làm theo quý: dùng mã quý, ví dụ 2025-Q2."
#: The letter's subject line («trích yếu»), under its number.
SUBJECT = "V/v đôn đốc thực hiện Chương trình hành động thực hiện Nghị quyết số 28-NQ/TW"
#: The columns of a letter's table of what the unit owes.
LETTER_HEADERS = ("TT", "Nhiệm vụ", "Tình trạng", "Hạn", "Số ngày quá hạn")
_LETTER_WIDTHS = (1.0, 6.5, 3.9, 2.7, TEXT_WIDTH_CM - 14.1)
#: The sheet of the list, and its columns.
LIST_SHEET = "Đôn đốc"
LIST_HEADERS = (
    "TT",
    "Đơn vị",
    "Nộp báo cáo",
    "Ngày nhận báo cáo",
    "Nhiệm vụ quá hạn",
    "Nhiệm vụ không báo cáo",
    "Nhiệm vụ thường xuyên không có kết quả",
    "Nhiệm vụ được đôn đốc",
    "Nội dung đề nghị",
    "Hạn trả lời",
    "Thư đôn đốc",
    "Ghi chú",
)
_LIST_WIDTHS = (5, 30, 18, 12, 10, 11, 13, 26, 50, 12, 34, 30)


def letter_name(unit_id: str, period: Period) -> str:
    """``don-doc-huyen-uy-ba-to-2025-Q2.docx``."""
    return f"don-doc-{unit_id}-{period.id}.docx"


def list_name(period: Period) -> str:
    """``don-doc-2025-Q2.xlsx``."""
    return f"don-doc-{period.id}.xlsx"


def answer_by(settings: Settings, as_of: date) -> date:
    """The date by which a unit answers a letter dated ``as_of``."""
    return as_of + timedelta(days=settings.reminder_answer_days)


# --- what each unit owes -------------------------------------------------------------


@dataclass(frozen=True)
class Owed:
    """One (unit, task) pair a letter chases: its classification, due date,
    days overdue (``overdue`` pairs only, docs/design.md §8) and, for a
    completion the Board did not accept, the verdict and its reason."""

    task_id: str
    text: str
    deadline_kind: str
    classification: str
    due_date: date | None
    days_overdue: int | None
    verdict: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Reminder:
    """What one expected unit owes for the quarter: how its report came in
    (``report``: a key of ``present.SUBMISSION_WORDS``), the pairs it owes,
    and whether it closed by the letters' date (``closed_on``, with its heir)."""

    unit_id: str
    unit_name: str
    report: str
    submitted_on: date | None
    deadline: date
    owed: tuple[Owed, ...]
    closed_on: date | None = None
    successor_name: str = ""

    @property
    def report_chased(self) -> bool:
        """Whether the report itself is chased: none accepted, or it came late."""
        return self.report in _REPORT_CHASED

    @property
    def owes(self) -> bool:
        """Whether the unit owes anything for the quarter."""
        return self.report_chased or bool(self.owed)

    @property
    def gets_letter(self) -> bool:
        """An open unit that owes something gets a letter; a closed one never."""
        return self.owes and self.closed_on is None

    def count(self, classification: str) -> int:
        return sum(o.classification == classification for o in self.owed)


def _int(value: object) -> int | None:
    return None if is_missing(value) else int(value)


def _owed(catalog: Catalog, pairs) -> tuple[Owed, ...]:
    chased = pairs[pairs["classification"].isin(CHASED)].sort_values("task_order", kind="stable")
    return tuple(
        Owed(
            task_id=p.task_id,
            text=catalog.task(p.task_id).text_vi if p.task_id in catalog.tasks else "",
            deadline_kind=p.deadline_kind,
            classification=p.classification,
            due_date=as_date(p.due_date),
            days_overdue=_int(p.days_overdue),
            verdict="" if is_missing(p.verdict) else str(p.verdict),
            reason="" if is_missing(p.verdict_reason) else str(p.verdict_reason),
        )
        for p in chased.itertuples(index=False)
    )


def reminders(metrics: Metrics, catalog: Catalog) -> list[Reminder]:
    """One :class:`Reminder` per unit expected for the quarter of ``metrics``
    (as ``metrics.reports`` lists them), in official order. A unit whose last
    day (``valid_to``) is on or before ``as_of`` is closed: listed, never
    written to."""
    if not isinstance(metrics.period, Period) or metrics.period.kind != "Q":
        raise UsageError(QUARTERS_ONLY)
    table = metrics.table
    by_unit = dict(iter(table.groupby("unit_id", sort=False)))
    found = []
    for r in metrics.reports.itertuples(index=False):
        unit = catalog.units[r.unit_id]
        closed = unit.valid_to if unit.valid_to and unit.valid_to <= metrics.as_of else None
        heirs = catalog.heirs(r.unit_id) if closed else []
        pairs = by_unit.get(r.unit_id)
        found.append(
            Reminder(
                unit_id=r.unit_id,
                unit_name=unit.name_vi,
                report=submission_state(bool(r.reported), bool(r.on_time_report), r.submitted_on),
                submitted_on=as_date(r.submitted_on) if r.reported else None,
                deadline=as_date(r.submission_deadline),
                owed=_owed(catalog, pairs) if pairs is not None else (),
                closed_on=closed,
                successor_name=", ".join(catalog.units[h].name_vi for h in heirs),
            )
        )
    found.sort(key=lambda m: (catalog.units[m.unit_id].order, m.unit_id))
    return found


# --- the words of a letter -----------------------------------------------------------


def _period_words(metrics: Metrics) -> str:
    return lower_first(metrics.period.label_vi)


def _report_words(reminder: Reminder, metrics: Metrics, settings: Settings) -> str:
    """The sentence about the quarter's report: missing, or late by how much."""
    period = _period_words(metrics)
    if reminder.report == "missing":
        return (
            f"Đến ngày {day(metrics.as_of)}, {settings.issuer_in_text or BLANK} chưa nhận được "
            f"báo cáo {period} của đơn vị (hạn nộp {day(reminder.deadline)})."
        )
    said = submission_words(True, False, reminder.submitted_on, reminder.deadline)
    return (
        f"Báo cáo {period} của đơn vị nhận ngày {day(reminder.submitted_on)}, "
        f"{lower_first(said)} (hạn nộp {day(reminder.deadline)})."
    )


def _state_words(owed: Owed, settings: Settings) -> str:
    """The «Tình trạng» cell: the classification's label, and for a completion
    the Board did not accept, that verdict and its reason."""
    words = CLASSIFICATION_LABELS[owed.classification]
    if owed.verdict == "not_accepted":
        words += (
            f"; đơn vị báo cáo đã hoàn thành, {settings.issuer_in_text or BLANK} kết luận "
            f"«{VERDICT_LABELS['not_accepted']}»"
            + (f": {clean(owed.reason).strip()}" if clean(owed.reason).strip() else "")
        )
    return words


def _due_words(owed: Owed) -> str:
    if owed.due_date is not None:
        return day(owed.due_date)
    return (
        DEADLINE_KIND_WORDS.get(owed.deadline_kind, "") if owed.deadline_kind == "recurring" else ""
    )


def _letter_rows(reminder: Reminder, settings: Settings) -> list[tuple[str, ...]]:
    return [
        (
            number(i),
            f"{o.task_id}. {shorten(o.text)}" if o.text else o.task_id,
            _state_words(o, settings),
            _due_words(o),
            number(o.days_overdue) if o.days_overdue is not None else "",
        )
        for i, o in enumerate(reminder.owed, start=1)
    ]


def _and(parts: Sequence[str]) -> str:
    """``a, b và c``."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} và {parts[-1]}"


def request(reminder: Reminder, metrics: Metrics, settings: Settings) -> str:
    """What the letter asks, by when: «khẩn trương gửi báo cáo quý II năm 2025
    và chỉ đạo thực hiện, báo cáo kết quả các nhiệm vụ nêu trên về Ban Tổ chức
    Tỉnh ủy trước ngày 14/08/2025»; "" when the unit owes nothing."""
    if not reminder.owes:
        return ""
    asks = []
    if reminder.report == "missing":
        asks.append(f"khẩn trương gửi báo cáo {_period_words(metrics)}")
    if reminder.owed:
        asks.append("chỉ đạo thực hiện, báo cáo kết quả các nhiệm vụ nêu trên")
    if reminder.report == "late":
        asks.append("báo cáo rõ nguyên nhân nộp báo cáo trễ hạn")
    return (
        f"{_and(asks)} về {settings.issuer_in_text or BLANK} trước ngày "
        f"{day(answer_by(settings, metrics.as_of))}"
    )


# --- the letter ----------------------------------------------------------------------


def _letter(reminder: Reminder, metrics: Metrics, catalog: Catalog, sample: bool):
    """The Word letter to one unit: head, what it owes, the request, signature."""
    settings = catalog.settings
    document = Document()
    setup_page(document)
    set_properties(
        document,
        settings,
        metrics.as_of,
        title=SUBJECT,
        subject=clean(reminder.unit_name),
        keywords="đôn đốc" + ("; dữ liệu mẫu" if sample else ""),
        comments=SAMPLE_BANNER if sample else "Dự thảo",
        category="Công văn",
    )
    _head(document, reminder, metrics, settings, sample)
    _owes(document, reminder, metrics, settings)
    para(document, f"Đề nghị {reminder.unit_name} {request(reminder, metrics, settings)}.")
    if reminder.report_chased:
        para(
            document,
            "Các kỳ sau, đề nghị đơn vị gửi báo cáo đúng thời hạn (chậm nhất "
            f"{number(settings.submission_deadline_days)} ngày sau ngày cuối quý).",
        )
    signature(document, settings.board, bullet_lines(settings.reminder_recipient_names))
    return document


def _head(document, reminder: Reminder, metrics: Metrics, settings: Settings, sample: bool):
    """Issuer, number and subject, place and date; the sample banner; «Kính gửi»."""
    header_block(
        document,
        settings.board,
        f"Số …-CV/{settings.issuer_code or BLANK}",
        date_line(settings, metrics.as_of),
        about=(SUBJECT,),
    )
    if sample:
        para(
            document,
            SAMPLE_BANNER,
            style=BLOCK_STYLE,
            before=12,
            bold=True,
            color=RED,
            size=BODY_PT,
        )
    to = para(document, style=BLOCK_STYLE, before=18, after=12)
    run(to, "Kính gửi: ")
    run(to, reminder.unit_name, bold=True)


def _owes(document, reminder: Reminder, metrics: Metrics, settings: Settings) -> None:
    """The opening, then 1. the report (missing or late) and 2. the tasks owed."""
    para(
        document,
        f"Thực hiện nhiệm vụ theo dõi, đôn đốc việc thực hiện {settings.program_citation}, "
        f"{settings.issuer_in_text or BLANK} đã tổng hợp báo cáo {_period_words(metrics)} của "
        f"các đơn vị. Tính đến ngày {day(metrics.as_of)}, {reminder.unit_name} còn những nội "
        "dung sau:",
    )
    point = 0
    if reminder.report_chased:
        point += 1
        para(document, f"{point}. Về việc nộp báo cáo", bold=True, keep=True)
        para(document, _report_words(reminder, metrics, settings))
    if not reminder.owed:
        return
    point += 1
    para(document, f"{point}. Về việc thực hiện nhiệm vụ", bold=True, keep=True)
    para(
        document,
        f"Đơn vị còn {number(len(reminder.owed))} nhiệm vụ chưa hoàn thành hoặc chưa báo cáo "
        "kết quả:",
        keep=True,
    )
    rows = _letter_rows(reminder, settings)
    grid(document, LETTER_HEADERS, rows, _LETTER_WIDTHS, centred=(0, 3, 4))
    para(document, "", after=0)


# --- the list ------------------------------------------------------------------------


def _note(reminder: Reminder) -> str:
    """Why a unit has no letter: it closed (when, and its heir), or it owes nothing."""
    if reminder.closed_on is not None:
        closing = closing_words(reminder).strip().removeprefix("(").removesuffix(")")
        return f"Không gửi thư: đơn vị {closing}"
    if not reminder.owes:
        return "Không có nội dung phải đôn đốc"
    return ""


def _list_formats(book) -> dict[str, object]:
    """The list's cell formats, by name: Times New Roman 12 pt like the letters."""
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True}
    cell = {**base, "border": 1}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 14, "text_wrap": False}),
        "note": book.add_format({**base, "italic": True, "text_wrap": False}),
        "banner": book.add_format(
            {**base, "bold": True, "font_color": "#C00000", "text_wrap": False}
        ),
        "header": book.add_format(
            {**cell, "bold": True, "align": "center", "valign": "vcenter", "bg_color": "#DCE6F1"}
        ),
        "text": book.add_format(cell),
        "centre": book.add_format({**cell, "align": "center"}),
        "date": book.add_format({**cell, "align": "center", "num_format": "dd/mm/yyyy"}),
    }


def _list_row(
    index: int, reminder: Reminder, letter: str, metrics: Metrics, settings: Settings
) -> tuple[tuple[object, str], ...]:
    """One unit's row of the list: (value, format name) per column of :data:`LIST_HEADERS`."""
    m = reminder
    asked = request(m, metrics, settings) if m.gets_letter else ""
    reported, on_time = m.report != "missing", m.report == "on_time"
    came = submission_words(reported, on_time, m.submitted_on, m.deadline)
    return (
        (index, "centre"),
        (m.unit_name, "text"),
        (came, "text"),
        (m.submitted_on, "date"),
        (m.count("overdue"), "centre"),
        (m.count("not_reported"), "centre"),
        (m.count("recurring_silent"), "centre"),
        ("; ".join(o.task_id for o in m.owed), "text"),
        (asked[:1].upper() + asked[1:], "text"),
        (answer_by(settings, metrics.as_of) if asked else None, "date"),
        (letter, "text"),
        (_note(m), "text"),
    )


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` wraps to in a column ``width`` units wide
    (a unit is a digit of Times New Roman 12; a letter is a little narrower):
    LibreOffice and Excel do not grow a row for wrapped text by themselves."""
    room = max(1, int((width - 1) / 0.95))
    total = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0
        for word in paragraph.split(" "):
            if used and used + 1 + len(word) > room:
                count, used = count + 1, 0
            used += (1 if used else 0) + len(word)
        total += count
    return total


def _row_height(row: Sequence[tuple[object, str]], widths: Sequence[float]) -> float:
    """Points for the tallest wrapped cell of ``row`` (12 pt text)."""
    lines = max(
        _lines(value, width) if isinstance(value, str) else 1
        for (value, _), width in zip(row, widths, strict=True)
    )
    return round(lines * 12 * 1.27 + 3, 1)


def _put(sheet, r: int, c: int, value: object, style) -> None:
    """A cell by its type; text only ever as a string (never a formula or link)."""
    if value is None or value == "":
        sheet.write_blank(r, c, None, style)
    elif isinstance(value, date):
        sheet.write_datetime(r, c, datetime.combine(value, time()), style)
    elif isinstance(value, int):
        sheet.write_number(r, c, value, style)
    else:
        sheet.write_string(r, c, clean(value), style)


def _write_list(
    found: list[Reminder],
    written: dict[str, str],
    metrics: Metrics,
    catalog: Catalog,
    path: Path,
    sample: bool,
) -> Path:
    """``don-doc-<P>.xlsx``: every expected unit, with what its letter asks;
    A4 landscape, one page wide, the header row repeated on every page."""

    settings = catalog.settings
    buffer = io.BytesIO()
    book = text_workbook(
        buffer, default_format_properties={"font_name": "Times New Roman", "font_size": 12}
    )
    book.set_properties(
        {
            "title": f"Danh sách đôn đốc, {_period_words(metrics)}",
            "subject": metrics.period.label_vi,
            "author": settings.issuer_name or "nq28",
            "comments": SAMPLE_BANNER if sample else "",
            "created": datetime.combine(metrics.as_of, time()),
        }
    )
    formats = _list_formats(book)
    sheet = book.add_worksheet(LIST_SHEET)
    for column, width in enumerate(_LIST_WIDTHS):
        sheet.set_column(column, column, width)
    r = 0
    if sample:
        sheet.write_string(r, 0, SAMPLE_BANNER, formats["banner"])
        r += 1
    heading = f"DANH SÁCH ĐÔN ĐỐC CÁC ĐƠN VỊ, {metrics.period.label_vi.upper()}"
    sheet.write_string(r, 0, heading, formats["title"])
    letters = sum(1 for m in found if m.gets_letter)
    sheet.write_string(
        r + 1,
        0,
        f"Số liệu tính đến ngày {day(metrics.as_of)}; {number(letters)}/{number(len(found))} "
        f"đơn vị có thư đôn đốc, hạn trả lời {day(answer_by(settings, metrics.as_of))}.",
        formats["note"],
    )
    top = r = r + 3
    for column, label in enumerate(LIST_HEADERS):
        sheet.write_string(r, column, label, formats["header"])
    sheet.set_row(r, _row_height([(label, "") for label in LIST_HEADERS], _LIST_WIDTHS))
    for index, m in enumerate(found, start=1):
        r += 1
        row = _list_row(index, m, written.get(m.unit_id, ""), metrics, settings)
        sheet.set_row(r, _row_height(row, _LIST_WIDTHS))
        for column, (value, style) in enumerate(row):
            _put(sheet, r, column, value, formats[style])
    sheet.freeze_panes(top + 1, 2)
    sheet.autofilter(top, 0, r, len(LIST_HEADERS) - 1)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top)
    sheet.set_footer("&CTrang &P/&N")
    book.close()
    return write_file(path, buffer.getvalue())


# --- writing everything ----------------------------------------------------------------


@dataclass
class Written:
    """What :func:`write_reminders` did: the letters and the list it wrote,
    every expected unit's :class:`Reminder`, and the stale letters it removed."""

    letters: list[Path]
    table: Path
    reminders: list[Reminder]
    removed: list[Path]

    @property
    def paths(self) -> list[Path]:
        """The letters, then the list."""
        return [*self.letters, self.table]


def write_reminders(metrics: Metrics, catalog: Catalog, out: Path, sample: bool = False) -> Written:
    """Write the letters and the list of the quarter of ``metrics`` into ``out``.

    A letter of this quarter left in ``out`` by an earlier run, for a unit
    that gets none now, is removed: it would be sent by mistake."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    found = reminders(metrics, catalog)
    letters, written = [], {}
    for m in found:
        if not m.gets_letter:
            continue
        name = letter_name(m.unit_id, metrics.period)
        letters.append(write_docx(_letter(m, metrics, catalog, sample), out / name, metrics.as_of))
        written[m.unit_id] = name
    removed = []
    for stale in sorted(out.glob(f"don-doc-*-{metrics.period.id}.docx")):
        if stale.name not in written.values():
            stale.unlink()
            removed.append(stale)
    table = _write_list(found, written, metrics, catalog, out / list_name(metrics.period), sample)
    return Written(letters, table, found, removed)
