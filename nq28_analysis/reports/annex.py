"""The Excel annex (phụ lục) of a periodic report.

One workbook, every sheet in Vietnamese, from the same :class:`ReportData`
as the HTML report and the Word draft:

* «Tổng hợp» — the key figures with their change against the previous period;
* «Đơn vị» — every expected unit in lag-rank order, lagging ones highlighted;
* «Quá hạn» — overdue (unit, task) pairs, oldest first;
* «Nộp báo cáo» — who submitted, when, and who did not;
* «Chi tiết phân loại» — every pair with its classification, coloured;
* «Khó khăn, kiến nghị» — what the units wrote;
* «Kết quả theo nhiệm vụ» — one row per (unit, task, quarter) with any text:
  result, evidence, difficulties, proposals, by program section and task;
* «So sánh theo loại» and «Xếp hạng trong loại» — the kinds of unit side by
  side, with a chart of their rates, and each unit's place among the units of its kind;
* «Thẩm định» — the Board's verdicts, when any counts or was left out;
* «Nhiệm vụ chờ sự kiện» — the tasks waiting for an event, with the line to
  add to ``events.csv``, when any task waits;
* for a review: «Diễn biến theo quý» and «Báo cáo đủ các kỳ»;
* «Chất lượng dữ liệu» — the files, their problems, and the provenance.

Rates are real numbers with a percent format and dates real Excel dates, so
that the analysts can sort and filter. Text that came from a submission is
written with ``write_string`` only: a difficulty that starts with ``=`` stays
text, never a formula, and nothing becomes a hyperlink. The same data give
the same bytes (the workbook's date is ``as_of``, never the clock).
"""

from __future__ import annotations

import functools
import io
import math
import numbers
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path

from ..common.files import text_workbook, write_file
from ..common.formatting import NO_DATA, NO_VALUE, as_date, day, is_missing, number
from ..forms.values import STATUS_LABELS
from ..ingest.consolidate import DISPOSITION_WORDS
from ..metrics import CLASSIFICATION_LABELS, CLASSIFICATIONS
from . import present
from .data import ReportData
from .present import (
    AGE_COLORS,
    CLASSIFICATION_COLORS,
    RATE_LABELS,
    SAMPLE_BANNER,
    Section,
    ranking,
    submission_words,
    text_color,
)

__all__ = [
    "CONSISTENT_SHEET",
    "DEADLINE_KIND_WORDS",
    "DETAIL_SHEET",
    "DISPOSITION_WORDS",
    "KINDS_SHEET",
    "KIND_RANKING_SHEET",
    "OVERDUE_SHEET",
    "PENDING_SHEET",
    "QUALITY_SHEET",
    "REPORTING_SHEET",
    "RESULTS_SHEET",
    "SAMPLE_BANNER",
    "STATUS_WORDS",
    "SUMMARY_SHEET",
    "TEXTS_SHEET",
    "TREND_SHEET",
    "UNITS_SHEET",
    "sheet_names",
    "write_annex",
]

SUMMARY_SHEET = "Tổng hợp"
UNITS_SHEET = "Đơn vị"
OVERDUE_SHEET = "Quá hạn"
REPORTING_SHEET = "Nộp báo cáo"
DETAIL_SHEET = "Chi tiết phân loại"
TEXTS_SHEET = "Khó khăn, kiến nghị"
RESULTS_SHEET = "Kết quả theo nhiệm vụ"
KINDS_SHEET = "So sánh theo loại"
KIND_RANKING_SHEET = "Xếp hạng trong loại"
TREND_SHEET = "Diễn biến theo quý"
CONSISTENT_SHEET = "Báo cáo đủ các kỳ"
QUALITY_SHEET = "Chất lượng dữ liệu"
VERDICTS_SHEET = "Thẩm định"
PENDING_SHEET = "Nhiệm vụ chờ sự kiện"

#: The banner of an annex made from the demo's data.

#: Vietnamese words for the deadline kinds of the catalogue.
DEADLINE_KIND_WORDS = {
    "fixed": "Có thời hạn",
    "staggered": "Theo từng cấp",
    "recurring": "Thường xuyên",
    "annual": "Hằng năm",
    "term": "Theo nhiệm kỳ",
    "on_request": "Theo yêu cầu của Trung ương",
    "after_guidance": "Sau khi có hướng dẫn",
    "per_plan": "Theo kế hoạch",
    "none": "Không có thời hạn",
}

#: The reported status, as the template's dropdown says it.
STATUS_WORDS = STATUS_LABELS


_FONT = "Times New Roman"
_SIZE = 12
_HEADER_FILL = "#DCE6F1"
_LAGGING_FILL = "#FCE4D6"
_WARN_COLOR = "#C00000"
_BANNER_FILL = "#FFF2CC"
_DATE_FORMAT = "dd/mm/yyyy"
_NUMBER_FORMATS = {"int": "0", "rate": "0.0%", "score": "0.0", "date": _DATE_FORMAT}
_CENTERED = {"center", "int", "rate", "score", "date"}


def sheet_names(data: ReportData) -> list[str]:
    """The annex's sheets, in order (the trend sheets only for a review)."""
    names = [SUMMARY_SHEET, UNITS_SHEET, OVERDUE_SHEET, REPORTING_SHEET, DETAIL_SHEET]
    names += [TEXTS_SHEET, RESULTS_SHEET, KINDS_SHEET, KIND_RANKING_SHEET]
    if (data.metrics.table["verdict"].fillna("") != "").any() or len(
        data.metrics.verdicts_left_out
    ):
        names.append(VERDICTS_SHEET)
    if data.pending:
        names.append(PENDING_SHEET)
    if data.is_review:
        names += [TREND_SHEET, CONSISTENT_SHEET]
    return [*names, QUALITY_SHEET]


# --- the layout of a sheet: text lines and tables, written top to bottom ------------


@dataclass(frozen=True)
class _Col:
    """A table column: header, kind (text, center, int, rate, score, date), the
    narrowest and widest it may be, the sheet columns it spans, its font size."""

    header: str
    kind: str = "text"
    most: float = 40
    least: float = 6
    span: int = 1
    size: int = _SIZE


@dataclass(frozen=True)
class _Cell:
    """A value with its own fill, text colour, boldness or kind."""

    value: object
    bg: str | None = None
    fg: str | None = None
    bold: bool = False
    kind: str | None = None  # instead of the column's


@dataclass
class _Table:
    columns: list[_Col]
    rows: list[list]
    fills: list[str | None] = field(default_factory=list)  # a fill per row, or none
    empty: str = ""  # said on one row when there are no rows
    filter: bool = False
    freeze: bool = False

    @property
    def span(self) -> int:
        return sum(c.span for c in self.columns)


@dataclass(frozen=True)
class _Beside:
    """Tables side by side, sharing their header row (one empty column between)."""

    tables: tuple[_Table, ...]


@dataclass(frozen=True)
class _Chart:
    """A column chart of the table just above it, drawn under it: one series
    per column headed ``values``, the categories the column headed
    ``categories``; rates on a 0–100% axis."""

    title: str
    categories: str
    values: tuple[str, ...]
    rows: int = 18  # the sheet rows it covers


@dataclass(frozen=True)
class _Line:
    text: str
    style: str  # banner, title, subtitle, note, caption, gap


_GAP = _Line("", "gap")
_LINE_STYLES = {  # font size, bold
    "banner": (13, True),
    "title": (14, True),
    "subtitle": (12, False),
    "note": (11, False),
    "caption": (12, True),
}


def _coloured(value: object, background: str) -> _Cell:
    return _Cell(value, bg=background, fg=text_color(background))


# Advance widths of Times New Roman, in thousandths of an em (a digit is 500).
_EM: dict[str, int] = {
    ch: width
    for chars, width in (
        (" ,.", 250),
        ("ijlt:;/\\", 278),
        ("frI()[]-!'", 333),
        ("sJ", 389),
        ("acez?", 444),
        ("FPS", 556),
        ("+<=>×−", 564),
        ("ELTZ", 611),
        ("BCR", 667),
        ("ADGHKNOQUVXYwĐ", 722),
        ("m&", 778),
        ("%", 833),
        ("M", 889),
        ("@", 921),
        ("W", 944),
        ("—…⚠", 1000),
    )
    for ch in chars
}


class _Advance(dict):
    """The advance width of any character, looked up once: a letter with marks
    is as wide as its base letter (ư → u, Ủ → U)."""

    def __missing__(self, ch: str) -> int:
        width = _EM.get(unicodedata.normalize("NFD", ch)[0], 500)
        self[ch] = width
        return width


_ADVANCE = _Advance()


def _measure(text: str, size: float = _SIZE, bold: bool = False) -> float:
    """The width of one line of ``text`` in column units (a unit is one digit
    of Times New Roman 12, the workbook's default font), with a little to spare."""
    total = sum(map(_ADVANCE.__getitem__, text))
    return total / 500 * size / _SIZE * (1.08 if bold else 1.0) * 1.04


@functools.lru_cache(maxsize=1 << 16)
def _word(word: str) -> int:
    """A word's advance in thousandths of an em (words, Vietnamese syllables above
    all, come back again and again)."""
    return sum(map(_ADVANCE.__getitem__, word))


def _lines(text: str, width: float, size: float = _SIZE, bold: bool = False) -> int:
    """The lines ``text`` wraps to in a cell ``width`` units wide (greedy, by words)."""
    room = max(1.0, width - 0.8)
    if "\n" not in text and _measure(text, size, bold) <= room:
        return 1  # most cells: one line, measured at once
    scale = _measure("0", size, bold) / 500  # column units per thousandth of an em
    space = _measure(" ", size, bold)
    total = 0
    for paragraph in text.split("\n"):
        count, used = 1, 0.0
        for word in paragraph.split(" "):
            size_ = _word(word) * scale
            if used and used + space + size_ > room:
                count, used = count + 1, 0.0
            if size_ > room:  # a word longer than the line is broken
                extra = math.ceil(size_ / room) - 1
                count, used = count + extra, size_ - extra * room
            else:
                used += (space if used else 0.0) + size_
        total += count
    return total


def _height(lines: int, size: float = _SIZE) -> float:
    """Points for ``lines`` lines of text of ``size`` points."""
    return round(lines * size * 1.27 + 3, 1)


def _shown(value: object, col: _Col) -> float:
    """The width a value takes on screen (for the column widths)."""
    kind = col.kind
    if isinstance(value, _Cell):
        kind = value.kind or kind
        value = value.value
    if is_missing(value):
        return 0.0
    if isinstance(value, datetime | date):
        return 10.0
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        if kind == "rate":
            return 6.5
        if kind == "score":
            return len(f"{float(value):.1f}")
        return len(str(value))
    return max(_measure(line, col.size) for line in str(value).split("\n"))


class _Writer:
    """Formats (made once each) and the writing of one sheet's blocks."""

    def __init__(self, book, sample: bool) -> None:
        self.book = book
        self.sample = sample
        self._cache: dict[tuple, object] = {}

    def fmt(self, style: str, kind: str = "text", bg=None, fg=None, bold=False, size=_SIZE):
        key = (style, kind, bg, fg, bold, size)
        if key in self._cache:
            return self._cache[key]
        props: dict = {"font_name": _FONT, "font_size": size, "valign": "top", "text_wrap": True}
        if style == "cell":
            props["border"] = 1
            if kind in _CENTERED:
                props["align"] = "center"
            if kind in _NUMBER_FORMATS:
                props["num_format"] = _NUMBER_FORMATS[kind]
        elif style == "header":
            props.update(border=1, bold=True, align="center", valign="vcenter")
            props["bg_color"] = _HEADER_FILL
        elif style == "banner":
            props.update(bold=True, align="center", valign="vcenter", border=2)
            props.update(font_color=_WARN_COLOR, bg_color=_BANNER_FILL)
        elif style == "title":
            props.update(bold=True, align="center", valign="vcenter")
        elif style == "subtitle":
            props.update(italic=True, align="center")
        elif style == "note":
            props.update(italic=True)
        elif style == "caption":
            props.update(bold=True, valign="bottom")
        if style in _LINE_STYLES:
            props["font_size"] = _LINE_STYLES[style][0]
        if bg:
            props["bg_color"] = bg
        if fg:
            props["font_color"] = fg
        if bold:
            props["bold"] = True
        made = self.book.add_format(props)
        self._cache[key] = made
        return made

    # --- one cell --------------------------------------------------------------

    def put(self, sheet, r: int, c: int, value: object, col: _Col, row_fill=None) -> None:
        """Write one cell by its type: text with ``write_string`` only, numbers,
        real dates, blanks for missing values."""
        bg = fg = None
        bold = False
        kind = col.kind
        if isinstance(value, _Cell):
            bg, fg, bold, kind = value.bg, value.fg, value.bold, value.kind or kind
            value = value.value
        bg = bg or row_fill
        # Only a real date is written as a date; text stays text, whatever it looks like.
        day_ = as_date(value) if isinstance(value, datetime | date) else None
        if day_ is not None:
            kind = "date"
        elif kind == "date":
            kind = "center"
        fmt = self.fmt("cell", kind, bg, fg, bold, col.size)
        if col.span > 1:
            sheet.merge_range(r, c, r, c + col.span - 1, "", fmt)
        if is_missing(value) or (isinstance(value, str) and value == ""):
            sheet.write_blank(r, c, None, fmt)
        elif day_ is not None:
            sheet.write_datetime(r, c, datetime.combine(day_, time()), fmt)
        elif isinstance(value, numbers.Real) and not isinstance(value, bool):
            if isinstance(value, float) and math.isinf(value):
                sheet.write_string(r, c, str(value), fmt)
            else:
                sheet.write_number(r, c, float(value), fmt)
        else:
            sheet.write_string(r, c, str(value), fmt)

    # --- a whole sheet ---------------------------------------------------------

    def sheet(self, name: str, blocks: list, repeat: bool = True, one_page: bool = False):
        """Write ``blocks`` (lines, tables, tables side by side) top to bottom.

        The header of the table marked ``freeze`` is frozen and, with
        ``repeat``, printed on every page; the first table marked ``filter``
        gets the autofilter.
        """
        sheet = self.book.add_worksheet(name)
        if self.sample:
            blocks = [_Line(SAMPLE_BANNER, "banner"), *blocks]
        placed = [self._place(b) for b in blocks if not isinstance(b, _Line | _Chart)]
        ncols = max([off + t.span for group in placed for t, off in group] or [1])
        widths = self._widths([p for group in placed for p in group], ncols)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)

        r, header_row, filtered, above = 0, None, False, None
        groups = iter(placed)
        for block in blocks:
            if isinstance(block, _Line):
                r = self._line(sheet, r, block, widths)
                continue
            if isinstance(block, _Chart):
                r = self._chart(sheet, name, r, block, above)
                continue
            group = next(groups)
            top = r
            above = (top, group[0])
            r = self._tables(sheet, r, group, widths)
            if any(t.freeze for t, _ in group) and header_row is None:
                header_row = top
                sheet.freeze_panes(top + 1, 0)
            for table, off in group:
                if table.filter and not filtered:
                    bottom = top + len(table.rows)  # the header alone when there are no rows
                    sheet.autofilter(top, off, bottom, off + table.span - 1)
                    filtered = True
        self._page(sheet, header_row if repeat else None, one_page)

    def _chart(self, sheet, name: str, r: int, chart: _Chart, above) -> int:
        """``chart`` of the table written from row ``above[0]`` (none when it has
        no rows); return the row after it."""
        if above is None or not above[1][0].rows:
            return r
        top, (table, off) = above
        starts, c = {}, off
        for col in table.columns:
            starts[col.header] = c
            c += col.span
        first, last = top + 1, top + len(table.rows)
        kind = starts[chart.categories]
        drawn = self.book.add_chart({"type": "column"})
        for header in chart.values:
            col = starts[header]
            drawn.add_series(
                {
                    "name": [name, top, col],
                    "categories": [name, first, kind, last, kind],
                    "values": [name, first, col, last, col],
                    "data_labels": {"value": True, "num_format": "0%"},
                }
            )
        font = {"name": "Times New Roman"}
        drawn.set_title({"name": chart.title, "name_font": {**font, "size": 12}})
        drawn.set_y_axis(
            {"min": 0, "max": 1, "num_format": "0%", "num_font": font, "major_gridlines": {}}
        )
        drawn.set_x_axis({"num_font": font})
        drawn.set_legend({"position": "bottom", "font": font})
        drawn.set_size({"width": 760, "height": 340})
        sheet.insert_chart(r + 1, 0, drawn, {"object_position": 1})
        return r + 1 + chart.rows

    @staticmethod
    def _place(block) -> list[tuple[_Table, int]]:
        tables = block.tables if isinstance(block, _Beside) else (block,)
        out, off = [], 0
        for table in tables:
            out.append((table, off))
            off += table.span + 1
        return out

    @staticmethod
    def _widths(placed: list[tuple[_Table, int]], ncols: int) -> list[float]:
        widths = [0.0] * ncols
        for table, off in placed:
            c = off
            for j, col in enumerate(table.columns):
                if col.span == 1:
                    content = max([_shown(row[j], col) for row in table.rows] or [0.0])
                    words = max(_measure(w, bold=True) for w in col.header.split())
                    header = max(words, _measure(col.header, bold=True) / 3)
                    want = min(col.most, max(content, header) + 1.5)
                    widths[c] = max(widths[c], round(max(col.least, want, words + 1.5), 1))
                c += col.span
        return [w or 3.0 for w in widths]

    def _line(self, sheet, r: int, line: _Line, widths: list[float]) -> int:
        if line.style == "gap":
            sheet.set_row(r, 8)
            return r + 1
        fmt = self.fmt(line.style)
        if len(widths) > 1:
            sheet.merge_range(r, 0, r, len(widths) - 1, "", fmt)
        sheet.write_string(r, 0, line.text, fmt)
        size, bold = _LINE_STYLES[line.style]
        pad = {"title": 6, "banner": 8}.get(line.style, 0)
        sheet.set_row(r, _height(_lines(line.text, sum(widths), size, bold), size) + pad)
        return r + 1

    def _tables(self, sheet, r: int, group: list[tuple[_Table, int]], widths) -> int:
        """Tables side by side from row ``r``: one header row, then their rows."""
        header_fmt = self.fmt("header")
        lines = 1
        layouts = []
        for table, off in group:
            starts, c = [], off
            for col in table.columns:
                starts.append(c)
                c += col.span
            pairs = zip(starts, table.columns, strict=True)
            room = [sum(widths[s : s + col.span]) for s, col in pairs]
            layouts.append((table, off, starts, room))
            for col, start, width in zip(table.columns, starts, room, strict=True):
                if col.span > 1:
                    sheet.merge_range(r, start, r, start + col.span - 1, "", header_fmt)
                sheet.write_string(r, start, col.header, header_fmt)
                lines = max(lines, _lines(col.header, width, bold=True))
        sheet.set_row(r, _height(lines) + 2)
        depth = max(len(t.rows) or (1 if t.empty else 0) for t, _ in group)
        for i in range(depth):
            row_r = r + 1 + i
            lines = 1
            for table, off, starts, room in layouts:
                if not table.rows and i == 0 and table.empty:
                    fmt = self.fmt("cell")
                    if table.span > 1:
                        sheet.merge_range(row_r, off, row_r, off + table.span - 1, "", fmt)
                    sheet.write_string(row_r, off, table.empty, fmt)
                    lines = max(lines, _lines(table.empty, sum(room)))
                    continue
                if i >= len(table.rows):
                    continue
                fill = table.fills[i] if table.fills else None
                cells = zip(table.rows[i], table.columns, starts, room, strict=True)
                for value, col, start, width in cells:
                    self.put(sheet, row_r, start, value, col, fill)
                    shown = value.value if isinstance(value, _Cell) else value
                    if isinstance(shown, str):
                        bold = isinstance(value, _Cell) and value.bold
                        lines = max(lines, _lines(shown, width, col.size, bold))
            if lines > 1:
                sheet.set_row(row_r, _height(lines))
        return r + 1 + depth

    def _page(self, sheet, repeat: int | None, one_page: bool) -> None:
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.6)
        sheet.fit_to_pages(1, 1 if one_page else 0)
        sheet.center_horizontally()
        if repeat is not None:
            sheet.repeat_rows(repeat)
        if self.sample:
            sheet.set_header(f'&C&"{_FONT},Bold"&11{SAMPLE_BANNER}')
        sheet.set_footer(f'&C&"{_FONT},Regular"&10Trang &P/&N')


# --- the sheets -------------------------------------------------------------------


def _heading(data: ReportData, title: str) -> list[_Line]:
    return [
        _Line(title, "title"),
        _Line(f"{data.period_label} — tính đến ngày {day(data.as_of)}", "subtitle"),
    ]


_FIGURES_LAYOUT = {
    "figure": _Col("", "text", most=44, least=30),
    "now": _Col("", "rate", least=17),
    "before": _Col("", "rate", least=17),
    "change": _Col("", "center", least=14),
    "basis": _Col("", "text", most=40, least=22),
}
_COUNTS_LAYOUT = {
    "classification": _Col("", "text", most=44),
    "count": _Col("", "int"),
    "share": _Col("", "rate"),
}


def _figure_cell(value: object, now: bool) -> object:
    """A key figure: a count as an integer, a rate as a fraction, no data as words."""
    if isinstance(value, int) and not isinstance(value, bool):
        return _Cell(value, kind="int")
    if value is None:
        return NO_DATA if now else None
    return value


def _summary(data: ReportData) -> list:
    m = data.metrics
    figures = present.key_figures(m)
    figures.rows = [
        (label, _figure_cell(now, True), _figure_cell(old, False), moved, basis)
        for label, now, old, moved, basis in figures.rows
    ]
    key_table = _section_table(figures, _FIGURES_LAYOUT, filter=True, freeze=True)
    counts = present.classification_counts(m)
    counts.rows = [
        (_coloured(label, CLASSIFICATION_COLORS[code]), n, share)
        for code, (label, n, share) in zip(CLASSIFICATIONS, counts.rows, strict=True)
    ]
    classes = _section_table(counts, _COUNTS_LAYOUT)
    contents = [
        (UNITS_SHEET, "Xếp hạng các đơn vị theo điểm chậm; đơn vị chậm được tô nền và đánh dấu ⚠."),
        (OVERDUE_SHEET, "Các nhiệm vụ chưa hoàn thành đã quá hạn, quá hạn lâu nhất trước."),
        (REPORTING_SHEET, "Tình hình nộp báo cáo của từng đơn vị; các đơn vị chưa nộp."),
        (DETAIL_SHEET, "Phân loại từng nhiệm vụ của từng đơn vị."),
        (TEXTS_SHEET, "Khó khăn, vướng mắc và kiến nghị, đề xuất của các đơn vị."),
        (
            RESULTS_SHEET,
            "Kết quả, văn bản minh chứng, khó khăn và kiến nghị các đơn vị ghi cho từng nhiệm "
            "vụ, theo mục của Chương trình, từng quý.",
        ),
        (KINDS_SHEET, "So sánh các loại đơn vị: các tỷ lệ, số nhiệm vụ quá hạn, điểm chậm."),
        (KIND_RANKING_SHEET, "Xếp hạng từng đơn vị trong số các đơn vị cùng loại."),
    ]
    if data.is_review:
        contents += [
            (TREND_SHEET, "Các tỷ lệ qua từng quý của kỳ sơ kết, tổng kết."),
            (CONSISTENT_SHEET, "Các đơn vị nộp báo cáo đủ ở mọi quý phải báo cáo."),
        ]
    contents.append(
        (QUALITY_SHEET, "Các tệp đã nhận, các vấn đề phát hiện trong tệp, nguồn gốc số liệu.")
    )
    blocks: list = [
        _Line(data.title, "title"),
        _Line(data.period_label, "subtitle"),
        _Line(f"Tính đến ngày {day(data.as_of)}", "subtitle"),
    ]
    if data.is_review:
        blocks.append(
            _Line(
                f"Các chỉ tiêu dưới đây tính cho quý cuối của kỳ ({m.period.label_vi}); diễn "
                f"biến từng quý ở trang «{TREND_SHEET}».",
                "note",
            )
        )
    blocks += [
        _GAP,
        key_table,
        *(_Line(note, "note") for note in figures.notes),
        _GAP,
        _Line(counts.title, "caption"),
        classes,
        _GAP,
        _Line("Các trang của phụ lục", "caption"),
        _Table([_Col("Trang", "text", most=30), _Col("Nội dung", "text", span=4)], contents),
    ]
    return blocks


#: Column layout of the ranking in the annex, by the section's column keys.
_RANKING_LAYOUT = {
    "rank": _Col("", "int", least=7),
    "unit": _Col("", "text", most=44, least=24),
    "submitted_on": _Col("", "date", least=13),
    "submission": _Col("", "center", most=24, least=14),
    "due_pairs": _Col("", "int", least=11),
    "completed": _Col("", "int", least=11),
    "completion_rate": _Col("", "rate", least=11),
    "on_time_rate": _Col("", "rate", least=11),
    "recurring_rate": _Col("", "rate", least=12),
    "overdue": _Col("", "int", least=9),
    "not_reported_due": _Col("", "int", least=11),
    "lag_score": _Col("", "score", least=9),
    "lagging": _Col("", "center", least=8),
    "previous_rank": _Col("", "int", least=9),
}


def _section_table(section: Section, layout: dict[str, _Col], **options) -> _Table:
    """The section's columns that ``layout`` sizes, under their labels, in the
    section's order; the lagging mark in red, marked rows filled."""
    shown = [i for i, c in enumerate(section.columns) if c.key in layout]
    columns = [
        replace(layout[section.columns[i].key], header=section.columns[i].label) for i in shown
    ]
    rows = [
        [
            _Cell(row[i], fg=_WARN_COLOR, bold=True)
            if section.columns[i].key == "lagging" and row[i]
            else row[i]
            for i in shown
        ]
        for row in section.rows
    ]
    fills = [_LAGGING_FILL if m else None for m in section.marked]
    return _Table(columns, rows, fills=fills, empty=section.empty, **options)


def _section_sheet(data: ReportData, section: Section, layout: dict[str, _Col]) -> list:
    """A sheet that holds one section: its title, its notes, its table."""
    return [
        *_heading(data, section.title),
        *(_Line(note, "note") for note in section.notes),
        _section_table(section, layout, filter=True, freeze=True),
    ]


def _units(data: ReportData) -> list:
    return _section_sheet(data, ranking(data.metrics), _RANKING_LAYOUT)


_OVERDUE_LAYOUT = {
    "unit": _Col("", "text", most=42, least=20),
    "task_id": _Col("", "center", least=12),
    "task": _Col("", "text", most=70, least=40),
    "due_date": _Col("", "date", least=12),
    "days_overdue": _Col("", "int", least=10),
    "age": _Col("", "center", least=12),
    "verdict": _Col("", "text", most=30, least=14),
}


def _overdue(data: ReportData) -> list:
    section = present.overdue(data.metrics, data.catalog)
    age = [c.key for c in section.columns].index("age")
    section.rows = [
        (*row[:age], _coloured(row[age], AGE_COLORS[row[age]]), *row[age + 1 :])
        if row[age] in AGE_COLORS
        else row
        for row in section.rows
    ]
    return _section_sheet(data, section, _OVERDUE_LAYOUT)


_VERDICTS_LAYOUT = {
    "number": _Col("", "int", least=5),
    "unit": _Col("", "text", most=40, least=20),
    "task_id": _Col("", "center", least=12),
    "verdict": _Col("", "center", least=14),
    "correction": _Col("", "text", most=24, least=14),
    "reason": _Col("", "text", most=46, least=20),
    "classification": _Col("", "text", most=30, least=18),
    "reviewer": _Col("", "text", most=24, least=14),
    "reviewed_on": _Col("", "date", least=12),
}


def _verdicts(data: ReportData) -> list:
    return _section_sheet(data, present.verdicts(data.metrics), _VERDICTS_LAYOUT)


_PENDING_LAYOUT = {
    "number": _Col("", "int", least=5),
    "task_id": _Col("", "center", least=12),
    "task": _Col("", "text", most=60, least=36),
    "waits_for": _Col("", "text", most=30, least=20),
    "units": _Col("", "int", least=11),
    "state": _Col("", "text", most=30, least=16),
    "line": _Col("", "text", most=60, least=36),
}


def _pending(data: ReportData) -> list:
    return _section_sheet(data, present.pending(data.pending, data.as_of), _PENDING_LAYOUT)


def _reporting(data: ReportData) -> list:
    catalog = data.catalog
    reports = data.metrics.reports.copy()
    reports["_order"] = reports["unit_id"].map(lambda u: catalog.unit(u).order)
    reports = reports.sort_values(["_order", "unit_id"], kind="stable")
    rows, fills = [], []
    for r in reports.itertuples(index=False):
        reported = bool(r.reported)
        rows.append(
            [
                catalog.unit(r.unit_id).name_vi,
                "Có" if reported else _Cell("Không", fg=_WARN_COLOR, bold=True),
                as_date(r.submitted_on),
                as_date(r.submission_deadline),
                submission_words(
                    reported, bool(r.on_time_report), r.submitted_on, r.submission_deadline
                )
                if reported
                else "",
            ]
        )
        fills.append(None if reported else _LAGGING_FILL)
    status = _Table(
        [
            _Col("Đơn vị", "text", most=46, least=26),
            _Col("Đã nộp", "center", least=9),
            _Col("Ngày nộp", "date", least=12),
            _Col("Hạn nộp", "date", least=12),
            _Col("Đúng hạn", "center", most=24, least=14),
        ],
        rows,
        fills=fills,
        empty="Không có đơn vị nào phải báo cáo trong kỳ.",
        filter=True,
        freeze=True,
    )
    missing = reports[~reports["reported"].astype(bool)]
    absent = _Table(
        [
            _Col("STT", "int", least=6),
            _Col(f"Đơn vị chưa nộp báo cáo ({number(len(missing))})", "text", most=42, least=26),
        ],
        [[i, catalog.unit(u).name_vi] for i, u in enumerate(missing["unit_id"], start=1)],
        empty="Tất cả các đơn vị đã nộp báo cáo.",
    )
    s = data.metrics.summary
    quarter = data.metrics.period.last_quarter
    deadline = quarter.submission_deadline(catalog.settings.submission_deadline_days)
    return [
        *_heading(data, f"TÌNH HÌNH NỘP BÁO CÁO {data.metrics.period.label_vi.upper()}"),
        _Line(
            f"Đã nộp: {number(s.received_submissions)}/{number(s.expected_submissions)} "
            f"đơn vị. Hạn nộp: {day(deadline)}. Ngày nộp là ngày của tệp báo cáo đầu tiên "
            "được chấp nhận.",
            "note",
        ),
        _Beside((status, absent)),
    ]


def _detail(data: ReportData) -> list:
    rows = []
    for p in data.metrics.table.itertuples(index=False):
        code = p.classification
        colour = CLASSIFICATION_COLORS.get(code)
        label = p.label if isinstance(p.label, str) else CLASSIFICATION_LABELS.get(code, code)
        status = p.status if isinstance(p.status, str) else ""
        rows.append(
            [
                p.unit_name,
                p.task_id,
                p.section,
                DEADLINE_KIND_WORDS.get(p.deadline_kind, p.deadline_kind),
                as_date(p.due_date),
                STATUS_WORDS.get(status, status),
                as_date(p.completed_on),
                _coloured(label, colour) if colour else label,
            ]
        )
    table = _Table(
        [
            _Col("Đơn vị", "text", most=42, least=20),
            _Col("Mã nhiệm vụ", "center", least=12),
            _Col("Mục", "center", least=9),
            _Col("Loại thời hạn", "text", most=28, least=14),
            _Col("Hạn", "date", least=12),
            _Col("Tình trạng báo cáo", "text", least=16),
            _Col("Ngày hoàn thành", "date", least=12),
            _Col("Phân loại", "text", most=56, least=30),
        ],
        rows,
        empty="Không có nhiệm vụ nào được giao trong kỳ.",
        filter=True,
        freeze=True,
    )
    return [
        *_heading(data, "PHÂN LOẠI TỪNG NHIỆM VỤ CỦA TỪNG ĐƠN VỊ"),
        _Line(
            "Mỗi dòng là một lượt đơn vị – nhiệm vụ. «Tình trạng báo cáo»: tình trạng đơn vị "
            "báo cáo gần nhất; ô trống: đơn vị không báo cáo nhiệm vụ này.",
            "note",
        ),
        table,
    ]


_TEXTS_LAYOUT = {
    "period": _Col("", "center", least=14, most=18),
    "unit": _Col("", "text", most=42, least=20),
    "task_id": _Col("", "center", least=11),
    "difficulties": _Col("", "text", most=55, least=30),
    "proposals": _Col("", "text", most=55, least=30),
}


def _texts(data: ReportData) -> list:
    return _section_sheet(data, present.texts(data), _TEXTS_LAYOUT)


_RESULTS_LAYOUT = {
    "section": _Col("", "text", most=24, least=18),
    "task_id": _Col("", "center", least=12),
    "task": _Col("", "text", most=34, least=30, size=11),
    "period": _Col("", "center", least=13, most=16),
    "unit": _Col("", "text", most=30, least=20),
    "status": _Col("", "center", least=14, most=16),
    "completed_on": _Col("", "date", least=12),
    "result": _Col("", "text", most=50, least=40),
    "evidence": _Col("", "text", most=36, least=24),
    "difficulties": _Col("", "text", most=36, least=24),
    "proposals": _Col("", "text", most=36, least=24),
}
#: Characters of a task's text in the results sheet (the whole text is in the
#: catalogue; a row as tall as the program's longest bullet would hide the results).
_RESULT_TASK_CHARS = 120


def _results(data: ReportData) -> list:
    section = present.results(data.results, data.catalog)
    task = [c.key for c in section.columns].index("task")
    section.rows = [
        (*row[:task], present.short_text(row[task], _RESULT_TASK_CHARS), *row[task + 1 :])
        for row in section.rows
    ]
    return _section_sheet(data, section, _RESULTS_LAYOUT)


_KINDS_LAYOUT = {
    "kind": _Col("", "text", most=40, least=26),
    "units": _Col("", "int", least=9),
    "reporting_rate": _Col("", "rate", least=12),
    "completion_rate": _Col("", "rate", least=12),
    "on_time_rate": _Col("", "rate", least=12),
    "recurring_rate": _Col("", "rate", least=12),
    "overdue": _Col("", "int", least=9),
    "not_reported_due": _Col("", "int", least=11),
    "mean_lag_score": _Col("", "score", least=11),
    "lagging_units": _Col("", "int", least=11),
}


def _kinds(data: ReportData) -> list:
    """The kinds side by side, and a chart of their rates under the table."""
    section = present.kinds(data.metrics)
    labels = {c.key: c.label for c in section.columns}
    chart = _Chart(
        "Các tỷ lệ theo loại đơn vị",
        labels["kind"],
        tuple(labels[k] for k in ("reporting_rate", "completion_rate", "recurring_rate")),
    )
    return [*_section_sheet(data, section, _KINDS_LAYOUT), chart]


_KIND_RANKING_LAYOUT = {
    "kind": _Col("", "text", most=30, least=20),
    "kind_rank": _Col("", "center", least=9),
    "unit": _Col("", "text", most=44, least=24),
    "submission": _Col("", "center", most=24, least=14),
    "completion_rate": _Col("", "rate", least=11),
    "on_time_rate": _Col("", "rate", least=11),
    "recurring_rate": _Col("", "rate", least=12),
    "overdue": _Col("", "int", least=9),
    "not_reported_due": _Col("", "int", least=11),
    "lag_score": _Col("", "score", least=9),
    "lagging": _Col("", "center", least=8),
    "rank": _Col("", "int", least=9),
}


def _kind_ranking(data: ReportData) -> list:
    return _section_sheet(data, present.kind_ranking(data.metrics), _KIND_RANKING_LAYOUT)


_TREND_LAYOUT = {
    "period": _Col("", "center", least=16),
    **{key: _Col("", "rate", least=13, most=16) for key in RATE_LABELS},
    "overdue_count": _Col("", "int", least=11),
    "expected_submissions": _Col("", "int", least=11),
    "received_submissions": _Col("", "int", least=11),
    "completed_in_period": _Col("", "int", least=12),
    "overdue_new_in_period": _Col("", "int", least=12),
}


def _trend(data: ReportData) -> list:
    return _section_sheet(data, present.trend(data.trend), _TREND_LAYOUT)


_CONSISTENT_LAYOUT = {
    "number": _Col("", "int", least=6),
    "unit": _Col("", "text", most=60, least=56),
}


def _consistent(data: ReportData) -> list:
    return _section_sheet(data, present.consistent(data), _CONSISTENT_LAYOUT)


_QUALITY_LAYOUT = {
    "file": _Col("", "text", most=40, least=24),
    "unit": _Col("", "text", most=42, least=16),
    "period": _Col("", "center", least=13, most=16),
    "submitted_on": _Col("", "date", least=11),
    "disposition": _Col("", "center", least=11, most=18),
    "reason": _Col("", "text", most=30, least=18),
    "problems": _Col("", "text", most=46, least=24),
    "sha256": _Col("", "text", most=26, least=26, size=9),
}


def _quality(data: ReportData) -> list:
    section = present.quality(data)
    table = _section_table(section, _QUALITY_LAYOUT, filter=True, freeze=True)
    inputs = data.inputs
    as_of = as_date(inputs.get("as_of")) or data.as_of
    raw_files = inputs.get("raw_files")
    return [
        *_heading(data, section.title),
        _Line(
            f"Nguồn gốc số liệu: tính đến ngày {day(as_of)}; mã kiểm tra danh mục nhiệm vụ "
            f"{inputs.get('catalog_checksum', '')}; "
            f"{number(raw_files) if raw_files is not None else NO_VALUE} tệp trong thư mục "
            f"dữ liệu gốc; SHA-256 của toàn bộ đầu vào: {inputs.get('sha256', '')}.",
            "note",
        ),
        *(_Line(note, "note") for note in section.notes[1:]),
        *(_Line(note, "note") for note in _as_of_notes(data)),
        table,
    ]


def _as_of_notes(data: ReportData) -> list[str]:
    """The sentences on the numbers' date, and one line per file received after it."""
    later = present.left_out(data.metrics, data.catalog)
    lines = [present.as_of_words(data.metrics, data.catalog), *later.notes]
    lines += [f"– {r[0]} ({r[1]}, {r[2]}), nhận ngày {day(r[3])}." for r in later.rows]
    return [line for line in lines if line]


def write_annex(data: ReportData, path: Path) -> Path:
    """Write the annex of ``data`` to ``path`` (an .xlsx); return ``path``.

    The same ``data`` give the same bytes: the workbook's creation date is
    ``data.as_of``.
    """

    path = Path(path)
    buffer = io.BytesIO()
    book = text_workbook(
        buffer,
        default_format_properties={"font_name": _FONT, "font_size": _SIZE},
        default_row_height=21,
    )
    book.set_properties(
        {
            "title": f"Phụ lục — {data.title}",
            "subject": data.period_label,
            "author": data.catalog.settings.issuer_name or "nq28",
            "comments": SAMPLE_BANNER if data.sample else "",
            "created": datetime.combine(data.as_of, time()),
        }
    )
    writer = _Writer(book, data.sample)
    builders = {
        SUMMARY_SHEET: _summary,
        UNITS_SHEET: _units,
        OVERDUE_SHEET: _overdue,
        REPORTING_SHEET: _reporting,
        DETAIL_SHEET: _detail,
        TEXTS_SHEET: _texts,
        RESULTS_SHEET: _results,
        KINDS_SHEET: _kinds,
        KIND_RANKING_SHEET: _kind_ranking,
        TREND_SHEET: _trend,
        CONSISTENT_SHEET: _consistent,
        QUALITY_SHEET: _quality,
        VERDICTS_SHEET: _verdicts,
        PENDING_SHEET: _pending,
    }
    for name in sheet_names(data):
        summary = name == SUMMARY_SHEET
        writer.sheet(name, builders[name](data), repeat=not summary, one_page=summary)
    book.close()
    return write_file(path, buffer.getvalue())
