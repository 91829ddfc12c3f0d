"""The Word draft of a periodic report, laid out as a Party document.

:func:`write_draft` turns a :class:`~nq28_analysis.reports.data.ReportData`
into a ``.docx`` the Party Organization Board's staff finish by hand: the
numbers, tables and the units' own words are filled in; the Board's
assessment, the way forward, the document number and the signer are left as
yellow-highlighted placeholders.

The layout follows Hướng dẫn 36-HD/VPTW on the format of Party documents as
commonly applied: A4, margins 20/20/30/15 mm (top, bottom, left, right),
Times New Roman throughout (the East Asian font too), body text 14 pt,
justified, first line indented 1 cm; a borderless two-column header block
(issuer on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" and the place and date on
the right); the document type and subject centred in bold; the signature
block and the list of recipients side by side; page numbers at the top
centre of every page but the first. These pieces, shared with the reminder
letters, are in :mod:`~nq28_analysis.reports.party`.

Document structure:

* header block, "BÁO CÁO" and the subject line (:attr:`ReportData.title`),
  and for demo data a red "DỮ LIỆU MẪU" banner;
* I. KẾT QUẢ THỰC HIỆN: 1. reporting, 2. task results (rates with their
  change against the previous period, classification counts), 3. lagging
  units, 4. overdue tasks (at most :data:`OVERDUE_ROWS` rows, the rest in an
  annex), for a review 5. the quarter-by-quarter trend, then the units' own
  words on each task (results and evidence, difficulties, proposals) under
  their program section, each quoted once with who wrote it and when;
* II. HẠN CHẾ, KHÓ KHĂN, NGUYÊN NHÂN: the units' difficulties quoted per
  unit, then the Board's assessment (placeholder);
* III. PHƯƠNG HƯỚNG, NHIỆM VỤ, KIẾN NGHỊ: the units' proposals quoted per
  unit, then the way forward and the recommendations (placeholders);
* recipients and signature;
* PHỤ LỤC: every unit in lag-rank order, and the full overdue list when the
  body only shows part of it.

Every number is written by :mod:`nq28_analysis.common.formatting`. Text the units
submitted goes in as plain runs (python-docx escapes it). The same data
always gives the same bytes: the document properties are dated by
``data.as_of`` and the zip entries carry that date too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from ..common.formatting import as_date, change, day, is_missing, number, percent
from ..common.periods import roman
from ..common.text import lower_first
from ..forms.worklist import VERDICT_LABELS
from ..metrics import AGE_BUCKETS, CLASSIFICATION_LABELS, CLASSIFICATIONS, LAGGING_SCORE, Metrics
from ..metrics.classify import DONE_CODES
from ..reference.catalog import BLANK, Issuer, Settings
from ..reference.source import SOURCE_NAME, section_titles
from . import present
from .data import ReportData
from .party import BLOCK_STYLE as _BLOCK_STYLE
from .party import (
    BODY_PT,
    FONT,
    MARGINS_MM,
    draft_mark,
    header_block,
    recipient_lines,
    set_properties,
    setup_page,
    signature,
    write_docx,
)
from .party import RED as _RED
from .party import TASK_TEXT_CHARS as _TASK_TEXT_CHARS
from .party import cell_text as _cell_text
from .party import clean as _clean
from .party import grid as _grid
from .party import para as _para
from .party import row_flags as _row_flags
from .party import run as _run
from .party import shorten as _shorten
from .present import SAMPLE_BANNER, ranking

__all__ = [
    "FONT",
    "MARGINS_MM",
    "OVERDUE_ROWS",
    "REVIEW_PARTS",
    "SAMPLE_BANNER",
    "analyst_placeholders",
    "recipient_lines",
    "review_placeholders",
    "write_draft",
]

#: Rows of the overdue table in the body; the rest go to an annex.
OVERDUE_ROWS = 30


# The organisation's words (issuer, place, recipients, signer) are settings.
def analyst_placeholders(settings: Settings) -> tuple[str, str, str]:
    """The placeholders the Board's staff write themselves (highlighted yellow)."""
    return (
        f"[Nhận định của {settings.issuer_in_text or BLANK}: …]",
        "[Phương hướng, nhiệm vụ thời gian tới: …]",
        "[Kiến nghị, đề xuất: …]",
    )


def _report_number(issuer: Issuer) -> str:
    """``…-BC/BTCTU`` (``…-BC/TU`` for the Standing Committee): the report's
    number, left for the issuer to fill in."""
    return f"…-BC/{issuer.code or BLANK}"


_KEEP_TOGETHER = re.compile(r"\b(quý|năm|Quý|Năm) ([IV]+\b|\d{4}\b)")


def write_draft(data: ReportData, path: Path) -> Path:
    """Write the Word draft of ``data`` to ``path`` and return ``path``.

    The file is written whole or not at all (:func:`~nq28_analysis.common.files.write_file`);
    the same ``data`` always gives the same bytes.
    """
    path = Path(path)
    document = Document()
    _setup(document, data)
    _header_block(document, data)
    _title(document, data)
    _opening(document, data)
    if data.is_review:
        _review(document, data)
    else:
        _results(document, data)
        _difficulties(document, data)
        _directions(document, data)
    _signature(document, data)
    _annexes(document, data)
    return write_docx(document, path, data.as_of)


# --- page, styles, properties --------------------------------------------------------


def _setup(document: DocxDocument, data: ReportData) -> None:
    setup_page(document)
    set_properties(
        document,
        data.catalog.settings,
        data.as_of,
        title=_clean(data.title),
        subject="Nghị quyết số 28-NQ/TW",
        keywords="dự thảo" + ("; dữ liệu mẫu" if data.sample else ""),
        comments=SAMPLE_BANNER if data.sample else "Dự thảo",
        category="Báo cáo",
    )


# --- writing helpers ---------------------------------------------------------------------


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fraction(part: int, whole: int) -> str:
    return f"{number(part)}/{number(whole)}"


def _names(names: Iterable[str]) -> str:
    return ", ".join(_clean(n) for n in names)


def _quarter_short(period_id: str) -> tuple[int, str]:
    """``2024-Q2`` → ``(2024, "II")``."""
    year, quarter = period_id.split("-Q")
    return int(year), roman(int(quarter))


def _quarters_text(period_ids: Iterable[str]) -> str:
    """``quý IV/2022; quý I, II/2023`` for a set of quarter ids."""
    by_year: dict[int, list[str]] = {}
    for period_id in sorted(set(period_ids)):
        year, quarter = _quarter_short(period_id)
        by_year.setdefault(year, []).append(quarter)
    return "; ".join(f"quý {', '.join(q)}/{y}" for y, q in by_year.items())


# --- header block, title -------------------------------------------------------------


def _issuer(data: ReportData) -> Issuer:
    """Who issues this report (settings: the Board, or the Standing Committee for a review)."""
    return data.catalog.settings.issuer_of(data.kind)


def _header_block(document: DocxDocument, data: ReportData) -> None:
    settings = data.catalog.settings
    place = settings.place or "…"
    draft_mark(document)
    header_block(
        document,
        _issuer(data),
        f"Số {_report_number(_issuer(data))}",
        f"{place}, ngày … tháng … năm {data.as_of.year}",
    )


def _subject(data: ReportData) -> str:
    """The subject line: the title without its leading "Báo cáo"."""
    title = _clean(data.title)
    if title.casefold().startswith("báo cáo "):
        title = title[len("báo cáo ") :]
    # "quý IV" and "năm 2024" never split across lines.
    return _upper_first(_KEEP_TOGETHER.sub("\\1\u00a0\\2", title))


def _title(document: DocxDocument, data: ReportData) -> None:
    centre = WD_ALIGN_PARAGRAPH.CENTER
    _para(document, "BÁO CÁO", style=_BLOCK_STYLE, before=18, after=0, bold=True, size=16)
    subject = _para(document, style=_BLOCK_STYLE, align=centre, after=0)
    settings = data.catalog.settings
    blanks = []
    if not settings.program_number:
        blanks.append(settings.program_number_text)
    if settings.program_date is None:
        blanks.append(settings.program_date_text)
    text = _subject(data)
    pieces = re.split("(" + "|".join(map(re.escape, blanks)) + ")", text) if blanks else [text]
    for piece in pieces:
        if piece:
            _run(subject, piece, bold=True, highlight=piece in blanks)
    _para(document, "-----", style=_BLOCK_STYLE, after=6)
    if data.sample:
        _para(
            document,
            SAMPLE_BANNER,
            style=_BLOCK_STYLE,
            after=6,
            bold=True,
            color=_RED,
            size=BODY_PT,
        )


def _opening(document: DocxDocument, data: ReportData) -> None:
    what = "sơ kết" if data.kind == "so-ket" else "tổng kết" if data.kind == "tong-ket" else ""
    program = data.catalog.settings.program_citation
    issuer = _issuer(data).in_text or BLANK
    period = lower_first(data.period_label)
    if what:
        body = f"{issuer} báo cáo {what} việc thực hiện {program}, {period}"
    else:
        body = f"{issuer} báo cáo kết quả thực hiện {program}, {period}"
    _para(
        document,
        f"Trên cơ sở báo cáo của các đơn vị (số liệu tính đến ngày {day(data.as_of)}), "
        f"{body} như sau:",
    )
    later = present.left_out(data.metrics, data.catalog)
    if later.rows:
        _para(document, later.notes[0])


# --- I. results ---------------------------------------------------------------------


def _heading(document: DocxDocument, text: str, level: int) -> Paragraph:
    paragraph = document.add_paragraph(style=f"Heading {level}")
    _run(paragraph, text)
    return paragraph


class _Part:
    """A part of the outline (``I.``, ``II.`` …): its heading, and its
    sub-headings numbered 1., 2., … in the order they are written."""

    def __init__(self, document: DocxDocument, heading: str):
        self.count = 0
        _heading(document, heading, 1)

    def sub(self, document: DocxDocument, text: str) -> Paragraph:
        self.count += 1
        return _heading(document, f"{self.count}. {text}", 2)


def _versus(now: float | None, before: float | None, label: str) -> str:
    """`` (tăng 5,2 điểm % so với quý I năm 2024)``, or "" when not comparable."""
    if is_missing(now) or is_missing(before):
        return ""
    delta = now - before
    said = change(abs(delta)).lstrip("+")
    if said.startswith("0,0"):
        return f" (không thay đổi so với {label})"
    word = "tăng" if delta > 0 else "giảm"
    return f" ({word} {said} so với {label})"


def _said(summary: dict, before: dict | None, key: str, label: str) -> str:
    """The change of the rate ``key`` against the previous period, in words."""
    return _versus(summary.rate(key), before.rate(key) if before else None, label)


def _count_versus(now: int, before: int | None, label: str, unit: str) -> str:
    if before is None:
        return ""
    if now == before:
        return f" (không thay đổi so với {label})"
    word = "tăng" if now > before else "giảm"
    return f" ({word} {number(abs(now - before))} {unit} so với {label})"


def _results(document: DocxDocument, data: ReportData) -> None:
    """A quarter's (half-year's, year's) short outline, part I."""
    metrics = data.metrics
    part = _Part(document, "I. KẾT QUẢ THỰC HIỆN")
    _reporting(document, data, metrics, part)
    _work(document, data, metrics, part)
    _pending(document, data)
    _lagging(document, data, metrics, part)
    _overdue(document, data, metrics, part)
    _results_by_task(document, data, part)


def _during(metrics: Metrics) -> str:
    """«Trong quý II năm 2024» for a period, «Từ quý IV năm 2022 đến quý IV năm
    2024» for a review's span (its label already says «từ … đến …»)."""
    label = lower_first(metrics.period.label_vi)
    return _upper_first(label) if label.startswith("từ ") else f"Trong {label}"


def _previous(metrics: Metrics) -> tuple[dict | None, str]:
    before = metrics.previous
    if before is None:
        return None, ""
    return before.summary, lower_first(before.period.label_vi)


def _reporting(document: DocxDocument, data: ReportData, metrics: Metrics, part: _Part) -> None:
    part.sub(document, "Tình hình báo cáo của các đơn vị")
    s = metrics.summary
    before, label = _previous(metrics)
    expected, received = s.expected_submissions, s.received_submissions
    on_time = s.on_time_submissions
    reports = metrics.reports
    deadline = reports["submission_deadline"].iloc[0] if not reports.empty else None
    if expected == 0:
        _para(document, f"{_during(metrics)}, không có đơn vị nào phải báo cáo.")
        return
    _para(
        document,
        f"{_during(metrics)}, có {_fraction(received, expected)} đơn vị nộp báo cáo, đạt "
        f"{percent(s.reporting_rate)}"
        f"{_said(s, before, 'reporting_rate', label)}; "
        f"trong đó {_fraction(on_time, expected)} đơn vị nộp đúng hạn"
        + (f" (đến ngày {day(deadline)})" if deadline is not None else "")
        + f", đạt {percent(s.on_time_reporting_rate)}"
        f"{_said(s, before, 'on_time_reporting_rate', label)}.",
    )
    units = metrics.units
    if units.empty:
        return
    missing = metrics.missing_units()
    if missing.empty:
        _para(document, "Tất cả các đơn vị đã nộp báo cáo.")
    else:
        _para(
            document,
            f"Các đơn vị chưa nộp báo cáo ({number(len(missing))}): "
            f"{_names(missing['unit_name'])}.",
        )
    late = units[units["reported"] & ~units["on_time_report"]].sort_values(
        ["unit_order", "unit_id"]
    )
    if not late.empty:
        said = [
            f"{name} (ngày {day(sent)})" if not is_missing(sent) else f"{name} (chưa rõ ngày nộp)"
            for name, sent in zip(late["unit_name"], late["submitted_on"], strict=True)
        ]
        _para(
            document,
            f"Các đơn vị nộp báo cáo trễ hạn ({number(len(late))}): {_names(said)}.",
        )


def _work(document: DocxDocument, data: ReportData, metrics: Metrics, part: _Part) -> None:
    part.sub(document, "Kết quả thực hiện nhiệm vụ")
    s = metrics.summary
    before, label = _previous(metrics)
    as_of = day(metrics.as_of)
    if s.received_submissions == 0:
        _para(
            document,
            f"Tính đến ngày {as_of}, chưa có số liệu để đánh giá kết quả thực hiện nhiệm vụ "
            "vì chưa có đơn vị nào nộp báo cáo.",
        )
    else:
        own = (
            f"{_during(metrics)}, có "
            f"{number(s.completed_in_period)} lượt nhiệm vụ được hoàn thành"
            + _count_versus(
                s.completed_in_period,
                before.completed_in_period if before and before.has_data else None,
                label,
                "lượt",
            )
            + f"; {number(s.overdue_new_in_period)} lượt nhiệm vụ đến hạn trong kỳ mà chưa "
            "hoàn thành."
        )
        if s.cumulative_still:
            _para(document, own)
            _para(document, present.cumulative_words(s))
        if not s.due_pairs:
            _para(document, f"Tính đến ngày {as_of}, chưa có nhiệm vụ nào đến hạn hoàn thành.")
        else:
            _para(
                document,
                f"Tính đến ngày {as_of}, có {number(s.due_pairs)} lượt nhiệm vụ đã đến hạn "
                "hoàn thành (mỗi lượt là một nhiệm vụ của một đơn vị). Đã hoàn thành "
                f"{number(s.completed_pairs)} lượt, tỷ lệ hoàn thành "
                f"{percent(s.completion_rate)}"
                f"{_said(s, before, 'completion_rate', label)}; "
                f"trong đó hoàn thành đúng hạn {number(s.completed_on_time_pairs)} lượt, tỷ lệ "
                f"{percent(s.on_time_rate)}"
                f"{_said(s, before, 'on_time_rate', label)}.",
            )
        if not s.cumulative_still:
            _para(document, own)
        previous_overdue = before.overdue_count if before else None
        overdue = s.overdue_count
        _para(
            document,
            (
                f"Còn {number(overdue)} lượt nhiệm vụ chưa hoàn thành và đã quá hạn"
                if overdue
                else "Không có nhiệm vụ nào chưa hoàn thành và đã quá hạn"
            )
            + _count_versus(overdue, previous_overdue, label, "lượt")
            + ".",
        )
        if s.recurring_pairs:
            _para(
                document,
                f"Đối với {number(s.recurring_pairs)} lượt nhiệm vụ thường xuyên, có "
                f"{number(s.recurring_reported_pairs)} lượt có kết quả trong kỳ, đạt "
                f"{percent(s.recurring_rate)}"
                f"{_said(s, before, 'recurring_rate', label)}.",
            )
    counts = s.classification_counts
    total = sum(counts.values())
    if not total:
        return
    _para(document, "Phân loại các lượt nhiệm vụ (đơn vị – nhiệm vụ) trong kỳ:", keep=True)
    rows = [
        (
            number(i),
            CLASSIFICATION_LABELS[code],
            number(counts[code]),
            percent(counts[code] / total),
        )
        for i, code in enumerate(CLASSIFICATIONS, start=1)
    ]
    rows.append(("", "Tổng cộng", number(total), "100%"))
    _grid(
        document,
        ("TT", "Phân loại", "Số lượt", "Tỷ lệ"),
        rows,
        (1.0, 10.5, 2.5, 2.5),
        centred=(0, 2, 3),
        bold_rows=(len(rows) - 1,),
    )
    _para(document, "", after=0)
    _verdicts(document, metrics)


def _verdicts(document: DocxDocument, metrics: Metrics) -> None:
    """What the Board's verdicts changed: the counts, and each completion not
    accepted with its reason."""
    section = present.verdicts(metrics)
    for note in section.notes:
        _para(document, note)
    refused = [r for r in section.rows if r[3] == VERDICT_LABELS["not_accepted"]]
    for row in refused:
        reason = f" ({row[5]})" if row[5] else ""
        _para(document, f"- {row[1]}: nhiệm vụ {row[2]} chưa được chấp nhận hoàn thành{reason}.")


def _pending(document: DocxDocument, data: ReportData) -> None:
    """The tasks waiting for an event («Nhiệm vụ chờ sự kiện»): what each waits
    for, how many units it binds and how it counts meanwhile, in the words of
    :func:`present.pending` (the line for ``events.csv`` is the analyst's, in
    the annex and the HTML report)."""
    section = present.pending(data.pending, data.as_of)
    paragraph = _para(document, keep=bool(section.rows))
    _run(paragraph, "Nhiệm vụ chờ sự kiện: ", bold=True)
    if not section.rows:
        _run(paragraph, section.empty)
        return
    _run(paragraph, lower_first(section.notes[0]))
    keys = [c.key for c in section.columns]
    for row in section.rows:
        r = dict(zip(keys, row, strict=True))
        _para(
            document,
            f"- {r['task_id']}: chờ {r['waits_for']} ({number(r['units'])} đơn vị phải thực "
            f"hiện); hiện tính: {lower_first(r['state'])}.",
        )


def _lagging(document: DocxDocument, data: ReportData, metrics: Metrics, part: _Part) -> None:
    part.sub(document, "Đơn vị chậm tiến độ")
    _para(
        document,
        "Mức độ chậm tiến độ của mỗi đơn vị được tính theo thang điểm 0–100 (điểm càng cao "
        "càng chậm) từ tỷ lệ hoàn thành nhiệm vụ đến hạn, tỷ lệ nhiệm vụ thường xuyên có kết "
        "quả, việc nộp báo cáo và số nhiệm vụ quá hạn hoặc không báo cáo; đơn vị có điểm từ "
        f"{number(LAGGING_SCORE)} trở lên là đơn vị chậm tiến độ.",
    )
    section = present.lagging(metrics)
    if not section.rows:
        _para(document, section.empty)
        return
    _para(document, section.notes[0], keep=True)
    for unit, score, rank, reasons in section.rows:
        paragraph = _para(document)
        _run(paragraph, f"- {_clean(unit)}", bold=True)
        _run(paragraph, f" (điểm {number(score, digits=1)}; {rank}): {reasons}.")


def _task_cell(data: ReportData, task_id: str, limit: int = _TASK_TEXT_CHARS) -> str:
    try:
        text = data.catalog.task(task_id).text_vi
    except Exception:  # a task no longer in the catalogue: show its id alone
        return task_id
    return f"{task_id}. {_shorten(text, limit)}"


def _overdue_rows(data: ReportData, limit: int = _TASK_TEXT_CHARS) -> list[tuple[str, ...]]:
    """The overdue section's rows, the task's id and shortened text in one cell."""
    section = present.overdue(data.metrics, data.catalog)
    frame = section.frame(("number", "unit", "due_date", "days_overdue"))
    return [
        (shown[0], _clean(shown[1]), _task_cell(data, task_id, limit), shown[2], shown[3])
        for shown, task_id in zip(
            frame.itertuples(index=False), section.column("task_id"), strict=True
        )
    ]


_OVERDUE_HEADERS = ("TT", "Đơn vị", "Nhiệm vụ", "Hạn", "Số ngày quá hạn")  # id and text merged
_OVERDUE_WIDTHS = (1.0, 3.9, 7.0, 2.6, 2.0)
# The annexes are landscape: 297 − 30 − 15 mm = 25,2 cm of text width.
_ANNEX_OVERDUE_WIDTHS = (1.0, 5.5, 12.5, 3.0, 3.2)
_ANNEX_UNIT_WIDTHS = (1.5, 9.2, 3.0, 2.8, 2.8, 3.2, 2.7)
_ANNEX_TASK_CHARS = 220


def _overdue(document: DocxDocument, data: ReportData, metrics: Metrics, part: _Part) -> None:
    part.sub(document, "Nhiệm vụ quá hạn")
    late = metrics.overdue()
    if late.empty:
        _para(document, present.overdue(metrics, data.catalog).empty)
        return
    oldest, since, _ = AGE_BUCKETS[-1]  # the last ageing bucket: "> 90 ngày"
    old = int((late["age"] == oldest).sum())
    _para(
        document,
        f"Có {number(len(late))} lượt nhiệm vụ chưa hoàn thành và đã quá hạn"
        + (f", trong đó {number(old)} lượt quá hạn trên {since - 1} ngày" if old else "")
        + " (xếp theo số ngày quá hạn):",
        keep=True,
    )
    rows = _overdue_rows(data)
    shown = rows[:OVERDUE_ROWS]
    table = _grid(document, _OVERDUE_HEADERS, shown, _OVERDUE_WIDTHS, centred=(0, 3, 4))
    if len(rows) > OVERDUE_ROWS:
        row = table.add_row()
        _row_flags(row)
        merged = row.cells[0].merge(row.cells[-1])
        _cell_text(
            merged,
            f"… và {number(len(rows) - OVERDUE_ROWS)} lượt khác, xem Phụ lục 2.",
            italic=True,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
    _para(document, "", after=0)


#: The trend's columns that fit the draft's page.
_TREND_KEYS = (
    "period",
    "reporting_rate",
    "on_time_reporting_rate",
    "completion_rate",
    "on_time_rate",
    "recurring_rate",
    "overdue_count",
    "completed_in_period",
    "overdue_new_in_period",
)


def _trend(document: DocxDocument, data: ReportData, part: _Part) -> None:
    part.sub(document, "Diễn biến qua các quý")
    trend = data.trend
    if trend.empty:
        _para(document, "Chưa có số liệu theo quý.")
    else:
        _para(document, "Các tỷ lệ qua từng quý (" + present.TREND_AS_OF + "):")
        frame = present.trend(trend).frame(_TREND_KEYS)
        rows = [tuple(row) for row in frame.itertuples(index=False)]
        _grid(
            document,
            tuple(frame.columns),
            rows,
            (2.4, 1.75, 1.75, 1.75, 1.75, 1.75, 1.75, 1.75, 1.75),
            centred=(1, 2, 3, 4, 5, 6, 7, 8),
        )
        _para(document, "", after=0)
        first, last = trend.iloc[0], trend.iloc[-1]
        if len(trend) > 1:
            _para(
                document,
                f"Tỷ lệ hoàn thành nhiệm vụ từ {percent(first['completion_rate'])} "
                f"({lower_first(first['period_label'])}) đến "
                f"{percent(last['completion_rate'])} ({lower_first(last['period_label'])}); "
                f"tỷ lệ nộp báo cáo từ {percent(first['reporting_rate'])} đến "
                f"{percent(last['reporting_rate'])}.",
            )
    names = [data.catalog.unit(u).name_vi for u in data.consistent]
    if names:
        _para(
            document,
            f"Các đơn vị nộp báo cáo đầy đủ tất cả các quý trong kỳ ({number(len(names))}): "
            f"{_names(names)}.",
        )
    else:
        _para(document, "Không có đơn vị nào nộp báo cáo đầy đủ tất cả các quý trong kỳ.")


# --- the units' results by section and task ------------------------------------------------

#: Characters of a task's text above its quotes.
_RESULT_TASK_CHARS = 160
#: The labels of the texts quoted under a task (a result is quoted bare, its
#: evidence after it).
_TEXT_LABELS = {
    "evidence": "văn bản, minh chứng",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Kiến nghị, đề xuất",
}


def _grouped(rows, key: tuple[str, ...]) -> list[tuple[tuple[str, ...], list]]:
    """Rows with the same words under ``key`` (stripped), once each, in first order;
    rows whose words are all empty are left out."""
    groups: dict[tuple[str, ...], list] = {}
    for row in rows:
        words = tuple(_clean(getattr(row, k)).strip() for k in key)
        if any(words):
            groups.setdefault(words, []).append(row)
    return list(groups.items())


def _quote(document: DocxDocument, label: str, text: str, rows, evidence: str = "") -> None:
    """``- Label: “text” — văn bản, minh chứng: “…” (Huyện ủy Ba Tơ, quý II/2024).``"""
    paragraph = _para(document)
    _run(paragraph, f"- {label}: “" if label else "- “")
    _run(paragraph, text, italic=True)
    _run(paragraph, "”")
    if evidence:
        _run(paragraph, f" — {_TEXT_LABELS['evidence']}: “")
        _run(paragraph, evidence, italic=True)
        _run(paragraph, "”")
    said = present.sources([(_clean(r.unit_name), r.period) for r in rows])
    _run(paragraph, f" {said}.")


def _results_by_task(document: DocxDocument, data: ReportData, part: _Part) -> None:
    """What the units wrote on each task, under its program section: each result
    (with its evidence), difficulty and proposal quoted once, with the units and
    quarters that wrote it, for the Board's staff to condense."""
    part.sub(document, "Kết quả thực hiện, minh chứng theo từng nhiệm vụ")
    frame = data.results
    if frame.empty:
        _para(document, present.results(frame, data.catalog).empty)
        return
    _para(
        document,
        "Kết quả thực hiện, văn bản minh chứng, khó khăn và kiến nghị các đơn vị ghi cho "
        "từng nhiệm vụ (trích nguyên văn, theo mục của Chương trình; mỗi nội dung trích một "
        "lần, kèm đơn vị và quý báo cáo):",
        keep=True,
    )
    heading = None
    for (section, title, task_id), rows in frame.groupby(
        ["section", "section_title", "task_id"], sort=False
    ):
        if (section, title) != heading:
            heading = (section, title)
            _heading(document, present.section_words(section, title), 3)
        _para(document, _task_cell(data, task_id, _RESULT_TASK_CHARS), bold=True, keep=True)
        items = list(rows.itertuples(index=False))
        for (result, evidence), said in _grouped(items, ("result", "evidence")):
            if result:
                _quote(document, "", result, said, evidence)
            else:
                _quote(document, _upper_first(_TEXT_LABELS["evidence"]), evidence, said)
        for key in ("difficulties", "proposals"):
            for (text,), said in _grouped(items, (key,)):
                _quote(document, _TEXT_LABELS[key], text, said)


# --- a review's outline --------------------------------------------------------------------

#: The five parts of a sơ kết / tổng kết (docs/design.md §9).
REVIEW_PARTS = (
    "I. TÌNH HÌNH QUÁN TRIỆT, TRIỂN KHAI THỰC HIỆN",
    "II. KẾT QUẢ THỰC HIỆN",
    "III. ĐÁNH GIÁ CHUNG",
    "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    "V. KIẾN NGHỊ, ĐỀ XUẤT",
)

#: The section of the program that organises its implementation (the
#: units' own plans, IV.2): part I of a review gives its figures.
ORGANISING_SECTION = "IV"


def review_placeholders(issuer_in_text: str) -> dict[str, str]:
    """Where a review needs the Board's judgement: highlighted placeholders,
    never prose the tool invents."""
    who = issuer_in_text or BLANK
    return {
        "deployment": "[Công tác quán triệt, tuyên truyền; việc cụ thể hóa, ban hành văn bản "
        "lãnh đạo, chỉ đạo thực hiện Chương trình: …]",
        "strengths": "[Ưu điểm: …]",
        "weaknesses": f"[Hạn chế, khó khăn (nhận định của {who}): …]",
        "causes": "[Nguyên nhân của hạn chế (khách quan, chủ quan): …]",
        "lessons": "[Bài học kinh nghiệm: …]",
        "directions": "[Phương hướng, nhiệm vụ thời gian tới: …]",
        "proposals": "[Kiến nghị, đề xuất: …]",
    }


def _review(document: DocxDocument, data: ReportData) -> None:
    """A sơ kết / tổng kết: the five parts, figures and the units' own words
    where the tool has them, highlighted placeholders where the Board judges."""
    metrics = data.metrics
    holes = review_placeholders(_issuer(data).in_text)
    part = _Part(document, REVIEW_PARTS[0])
    _placeholder(document, holes["deployment"])
    _plans(document, data, part)
    _reporting(document, data, metrics, part)

    part = _Part(document, REVIEW_PARTS[1])
    _work(document, data, metrics, part)
    _by_section(document, data, part)
    _results_by_task(document, data, part)
    _lagging(document, data, metrics, part)
    _overdue(document, data, metrics, part)
    _trend(document, data, part)

    part = _Part(document, REVIEW_PARTS[2])
    part.sub(document, "Ưu điểm")
    _placeholder(document, holes["strengths"])
    part.sub(document, "Hạn chế, khó khăn")
    _unit_quotes(document, data, "difficulties")
    _placeholder(document, holes["weaknesses"])
    part.sub(document, "Nguyên nhân")
    _placeholder(document, holes["causes"])
    part.sub(document, "Bài học kinh nghiệm")
    _placeholder(document, holes["lessons"])

    _Part(document, REVIEW_PARTS[3])
    _still_open(document, metrics)
    _pending(document, data)
    _placeholder(document, holes["directions"])

    _Part(document, REVIEW_PARTS[4])
    _unit_quotes(document, data, "proposals")
    _placeholder(document, holes["proposals"])


def _plans(document: DocxDocument, data: ReportData, part: _Part) -> None:
    """Part I's figures: the deadline tasks of the organising section (each
    unit's own plan), how many units have done them, on time."""
    table = data.metrics.table
    chosen = table[(table["section"] == ORGANISING_SECTION) & table["due"].astype(bool)]
    part.sub(document, "Cụ thể hóa, ban hành chương trình, kế hoạch thực hiện")
    if chosen.empty:
        _para(document, "Trong kỳ không có nhiệm vụ tổ chức thực hiện nào đến hạn.")
        return
    for task_id, rows in chosen.groupby("task_id", sort=False):
        code = rows["classification"]
        done = int(code.isin(DONE_CODES).sum())
        on_time = int((code == "done_on_time").sum())
        due = day(as_date(rows["due_date"].iloc[0]))
        _para(
            document,
            f"{_task_cell(data, task_id)} (hạn {due}): {_fraction(done, len(rows))} đơn vị đã "
            f"hoàn thành ({percent(done / len(rows))}), trong đó {number(on_time)} đơn vị "
            f"đúng hạn; {number(len(rows) - done)} đơn vị chưa hoàn thành.",
        )


def _by_section(document: DocxDocument, data: ReportData, part: _Part) -> None:
    """Part II's figures by section of the program (:func:`present.by_section`)."""
    section = present.by_section(data.metrics, section_titles(data.catalog.folder / SOURCE_NAME))
    part.sub(document, "Kết quả theo từng mục của Chương trình")
    if not section.rows:
        _para(document, section.empty)
        return
    for note in section.notes:
        _para(document, note, keep=True)
    frame = section.frame()
    _grid(
        document,
        tuple(frame.columns),
        [tuple(r) for r in frame.itertuples(index=False)],
        _SECTION_WIDTHS,
        centred=tuple(range(1, len(frame.columns))),
    )
    _para(document, "", after=0)


_SECTION_WIDTHS = (6.0, 2.1, 2.1, 2.1, 1.6, 2.1)


def _still_open(document: DocxDocument, metrics: Metrics) -> None:
    """Part IV's figures: what remains to do at ``as_of``."""
    counts = metrics.summary.classification_counts
    overdue, waiting = counts.get("overdue", 0), counts.get("not_triggered", 0)
    silent = counts.get("recurring_silent", 0)
    _para(
        document,
        f"Tính đến ngày {day(metrics.as_of)}, còn {number(overdue)} lượt nhiệm vụ quá hạn chưa "
        f"hoàn thành, {number(silent)} lượt nhiệm vụ thường xuyên chưa có kết quả trong quý "
        f"cuối của kỳ và {number(waiting)} lượt nhiệm vụ chưa phát sinh (chờ yêu cầu, hướng "
        "dẫn hoặc mốc thời gian).",
    )


def _unit_quotes(document: DocxDocument, data: ReportData, column: str) -> None:
    """The units' difficulties or proposals, quoted per unit."""
    what = "Khó khăn, vướng mắc" if column == "difficulties" else "Đề xuất, kiến nghị"
    _para(document, f"{what} các đơn vị nêu trong báo cáo (trích nguyên văn):", keep=True)
    if not _quotes(document, data, column):
        none = (
            "không nêu khó khăn, vướng mắc"
            if column == "difficulties"
            else "không có đề xuất, kiến nghị"
        )
        _para(document, f"Các đơn vị {none} trong kỳ.")


# --- II, III: the units' words and the Board's placeholders ---------------------------------


def _quotes(document: DocxDocument, data: ReportData, column: str) -> int:
    """Quote ``column`` of ``data.texts`` per unit; return how many quotes."""
    texts = data.texts
    if texts.empty:
        return 0
    said = texts[texts[column].fillna("").astype(str).str.strip() != ""]
    if said.empty:
        return 0
    count = 0
    for _, chosen in said.groupby("unit_id", sort=False):
        # Same words for several tasks (or quarters): quoted once.
        groups: dict[str, tuple[list[str], list[str]]] = {}
        for text, task_id, period in zip(
            chosen[column], chosen["task_id"], chosen["period"], strict=True
        ):
            tasks, periods = groups.setdefault(_clean(text).strip(), ([], []))
            if task_id not in tasks:
                tasks.append(task_id)
            if period not in periods:
                periods.append(period)
        paragraph = _para(document)
        _run(paragraph, f"- {_clean(chosen['unit_name'].iloc[0])}: ", bold=True)
        for index, (text, (tasks, periods)) in enumerate(groups.items()):
            where = f"nhiệm vụ {', '.join(tasks)}"
            if data.is_review:
                where += f"; {_quarters_text(periods)}"
            _run(paragraph, "; “" if index else "“")
            _run(paragraph, text, italic=True)
            _run(paragraph, f"” ({where})")
            count += 1
        _run(paragraph, ".")
    return count


def _placeholder(document: DocxDocument, text: str) -> Paragraph:
    return _para(document, text, highlight=True)


def _difficulties(document: DocxDocument, data: ReportData) -> None:
    _heading(document, "II. HẠN CHẾ, KHÓ KHĂN, NGUYÊN NHÂN", 1)
    _unit_quotes(document, data, "difficulties")
    _placeholder(document, analyst_placeholders(data.catalog.settings)[0])


def _directions(document: DocxDocument, data: ReportData) -> None:
    _heading(document, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ, KIẾN NGHỊ", 1)
    _unit_quotes(document, data, "proposals")
    _placeholder(document, analyst_placeholders(data.catalog.settings)[1])
    _placeholder(document, analyst_placeholders(data.catalog.settings)[2])


# --- signature --------------------------------------------------------------------------


def _signature(document: DocxDocument, data: ReportData) -> None:
    signature(document, _issuer(data), recipient_lines(_issuer(data)))


# --- annexes ------------------------------------------------------------------------------


#: The ranking's columns that fit the draft's landscape annex.
_UNIT_KEYS = (
    "rank",
    "unit",
    "submission",
    "completion_rate",
    "on_time_rate",
    "recurring_rate",
    "overdue",
)


def _landscape(document: DocxDocument) -> None:
    """A new landscape section for the wide annex tables, numbered like the rest."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    # Its first page is numbered too (the header is the first section's).
    section.different_first_page_header_footer = False


def _annex_heading(
    document: DocxDocument, data: ReportData, label: str, subject: str, new_page: bool
) -> None:
    paragraph = _para(document, style=_BLOCK_STYLE)
    if new_page:
        paragraph.add_run().add_break(WD_BREAK.PAGE)
    _run(paragraph, label, bold=True)
    _para(document, subject, style=_BLOCK_STYLE, bold=True)
    issuer = _issuer(data)
    _para(
        document,
        f"(Kèm theo Báo cáo số {_report_number(issuer)} ngày …/…/…… của {issuer.in_text or BLANK})",
        style=_BLOCK_STYLE,
        italic=True,
    )
    if data.sample:
        _para(document, SAMPLE_BANNER, style=_BLOCK_STYLE, bold=True, color=_RED)
    _para(document, "", style=_BLOCK_STYLE)


def _annexes(document: DocxDocument, data: ReportData) -> None:
    late = data.metrics.overdue()
    two = len(late) > OVERDUE_ROWS
    _landscape(document)
    _annex_heading(
        document,
        data,
        "PHỤ LỤC 1" if two else "PHỤ LỤC",
        f"KẾT QUẢ THỰC HIỆN CỦA CÁC ĐƠN VỊ, {data.metrics.period.label_vi.upper()}",
        new_page=False,
    )
    _para(
        document,
        f"Số liệu tính đến ngày {day(data.metrics.as_of)}; xếp theo mức độ chậm tiến độ "
        "(hạng 1 là đơn vị chậm nhất); đơn vị in đậm là đơn vị chậm tiến độ.",
        italic=True,
        size=13,
    )
    section = ranking(data.metrics)
    if not section.rows:
        _para(document, section.empty)
    else:
        frame = section.frame(_UNIT_KEYS)
        rows = [tuple(_clean(v) for v in row) for row in frame.itertuples(index=False)]
        table = _grid(
            document,
            tuple(frame.columns),
            rows,
            _ANNEX_UNIT_WIDTHS,
            centred=(0, 2, 3, 4, 5, 6),
        )
        for index, lagging in enumerate(section.marked, start=1):
            if lagging:
                for run in table.rows[index].cells[1].paragraphs[0].runs:
                    run.bold = True
    if two:
        _annex_heading(
            document,
            data,
            "PHỤ LỤC 2",
            f"CÁC NHIỆM VỤ QUÁ HẠN, {data.metrics.period.label_vi.upper()}",
            new_page=True,
        )
        _grid(
            document,
            _OVERDUE_HEADERS,
            _overdue_rows(data, _ANNEX_TASK_CHARS),
            _ANNEX_OVERDUE_WIDTHS,
            centred=(0, 3, 4),
        )
