"""The words every report output uses for the same facts.

The HTML page, the Excel annex, the Word draft, the exploration notebook and
``nq28 status`` show the same facts: who ranks where, who reported late, what
a rate is called, what is sample data. This module builds those facts once,
as :class:`Section` values (typed rows under Vietnamese column labels) and as
words; the writers only lay them out (which columns fit the page, fonts,
colours, Excel number formats).

>>> from datetime import date
>>> submission_words(True, False, date(2024, 7, 13), date(2024, 7, 10))
'Nộp trễ hạn 3 ngày'
>>> show(0.855, "rate"), show(date(2024, 12, 31), "date")
('85,5%', '31/12/2024')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..common.errors import PeriodError
from ..common.formatting import NO_DATA, NO_VALUE, as_date, change, day, is_missing, number, percent
from ..common.periods import parse_period, roman
from ..common.problems import SEVERITY_WORDS, WARNING
from ..common.text import lower_first
from ..forms.values import STATUS_LABELS
from ..forms.worklist import VERDICT_LABELS
from ..ingest.consolidate import DISPOSITION_WORDS
from ..metrics import (
    AGE_BUCKETS,
    CLASSIFICATION_LABELS,
    CLASSIFICATIONS,
    LAG_WEIGHTS,
    LAGGING_SCORE,
    OVERDUE_CAP,
    RATES,
    Metrics,
    Summary,
    kind_rollup,
    rollup,
    within_kind,
)
from ..metrics.classify import AS_OF_WARNING_DAYS
from ..reference.catalog import UNIT_KINDS, Catalog
from ..reference.pending import PendingTask
from .data import ReportData

__all__ = [
    "AGE_COLORS",
    "CLASSIFICATION_COLORS",
    "LAGGING_MARK",
    "RANKING_KEYS",
    "RATE_LABELS",
    "SAMPLE_BANNER",
    "SECTION_COLUMNS",
    "SEVERITY_WORDS",
    "SUBMISSION_WORDS",
    "Column",
    "Section",
    "attribution",
    "by_section",
    "classification_counts",
    "consistent",
    "console_table",
    "headline",
    "key_figures",
    "kind_rank_words",
    "kind_ranking",
    "kind_words",
    "kinds",
    "lag_formula",
    "lag_reasons",
    "lagging",
    "overdue",
    "pending",
    "pending_lines",
    "period_words",
    "quality",
    "quarter_words",
    "ranking",
    "recurring",
    "results",
    "section_words",
    "short_text",
    "show",
    "sources",
    "submission_state",
    "submission_words",
    "text_color",
    "texts",
    "trend",
]

#: Every rendered output of the demo's data carries this line.
SAMPLE_BANNER = "DỮ LIỆU MẪU — KHÔNG PHẢI SỐ LIỆU THẬT"

#: Vietnamese names of the rates (summary keys, ``unit_rates`` and ``trend`` columns).
RATE_LABELS: dict[str, str] = {
    "completion_rate": "Tỷ lệ hoàn thành",
    "on_time_rate": "Tỷ lệ hoàn thành đúng hạn",
    "recurring_rate": "Tỷ lệ nhiệm vụ thường xuyên có kết quả",
    "reporting_rate": "Tỷ lệ đơn vị nộp báo cáo",
    "on_time_reporting_rate": "Tỷ lệ đơn vị nộp báo cáo đúng hạn",
}

#: How a unit's report for the period came in, by :func:`submission_state`.
SUBMISSION_WORDS: dict[str, str] = {
    "on_time": "Nộp đúng hạn",
    "late": "Nộp trễ hạn",
    "undated": "Đã nộp, không rõ ngày nộp",
    "missing": "Chưa nộp",
}

#: Marks a lagging unit (beside its name, or in its own column); never colour alone.
LAGGING_MARK = "⚠"

#: One Okabe–Ito colour (or grey) per classification code.
CLASSIFICATION_COLORS: dict[str, str] = {
    "done_on_time": "#009E73",  # bluish green
    "done_late": "#F0E442",  # yellow
    "pending_on_time": "#56B4E9",  # sky blue
    "overdue": "#D55E00",  # vermillion
    "recurring_reported": "#0072B2",  # blue
    "recurring_silent": "#E69F00",  # orange
    "recurring_no_occurrence": "#A6CEE3",  # pale blue
    "not_triggered": "#DDDDDD",  # light grey
    "no_deadline": "#999999",  # grey
    "not_reported": "#CC79A7",  # reddish purple
}

#: Overdue ageing buckets (labels of ``AGE_BUCKETS``): yellow, orange,
#: vermillion, darker as the pairs get older.
AGE_COLORS: dict[str, str] = dict(
    zip((b[0] for b in AGE_BUCKETS), ("#F0E442", "#E69F00", "#D55E00"), strict=True)
)


def text_color(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG)."""
    channels = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def submission_state(reported: bool, on_time: bool, submitted: object) -> str:
    """``on_time``, ``late``, ``undated`` or ``missing``: a key of :data:`SUBMISSION_WORDS`."""
    if not reported:
        return "missing"
    if on_time:
        return "on_time"
    return "late" if as_date(submitted) is not None else "undated"


def submission_words(reported: bool, on_time: bool, submitted: object, deadline: object) -> str:
    """How the unit's report came in, with the days late when they are known."""
    state = submission_state(reported, on_time, submitted)
    words = SUBMISSION_WORDS[state]
    got, due = as_date(submitted), as_date(deadline)
    if state == "late" and due is not None:
        return f"{words} {number((got - due).days)} ngày"
    return words


def lag_formula() -> str:
    """The lag score's formula and threshold in one Vietnamese paragraph,
    written from the weights the score is computed with."""
    w = LAG_WEIGHTS
    return (
        f"Điểm chậm (0–100, càng cao càng chậm) = {w['completion']} × (1 − tỷ lệ hoàn thành) "
        f"+ {w['recurring']} × (1 − tỷ lệ nhiệm vụ thường xuyên có kết quả) + "
        f"{w['no_report']} nếu chưa nộp báo cáo + {w['overdue']} × min(số nhiệm vụ quá hạn và "
        f"đến hạn chưa báo cáo, {OVERDUE_CAP})/{OVERDUE_CAP}. Đơn vị có điểm từ "
        f"{number(LAGGING_SCORE)} trở lên là đơn vị chậm ({LAGGING_MARK})."
    )


# --- sections: typed rows under Vietnamese labels -------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a section: a stable ``key`` (writers choose and size
    columns by it), the Vietnamese ``label``, and the ``kind`` of its values
    (``text``, ``int``, ``rate``, ``score``, ``date``)."""

    key: str
    label: str
    kind: str = "text"


@dataclass
class Section:
    """A table every output shows: typed ``rows`` (a rate is a fraction or
    ``None``, a date a :class:`~datetime.date`), ``marked`` rows to stand out
    (lagging units), what to say when there is no row, and notes."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple]
    empty: str
    notes: tuple[str, ...] = ()
    marked: list[bool] = field(default_factory=list)

    def column(self, key: str) -> list:
        """The values of one column, by key."""
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def frame(self, keys: Sequence[str] | None = None) -> pd.DataFrame:
        """The rows as display strings (Vietnamese formats), under their labels;
        only the columns ``keys`` when given, in that order."""
        chosen = [c for c in self.columns if keys is None or c.key in keys]
        if keys is not None:
            chosen.sort(key=lambda c: list(keys).index(c.key))
        indexes = [self.columns.index(c) for c in chosen]
        return pd.DataFrame(
            [[show(row[i], self.columns[i].kind) for i in indexes] for row in self.rows],
            columns=[c.label for c in chosen],
        )


def show(value: object, kind: str) -> str:
    """A value as a Vietnamese reader sees it: ``85,5%``, ``31/12/2024``, ``1.048``."""
    if kind == "figure":  # a rate (fraction or None: no data) or a count (int)
        if isinstance(value, int) and not isinstance(value, bool):
            return number(value)
        kind = "rate"
    if kind == "rate":
        return percent(None if is_missing(value) else float(value))
    if kind == "date":
        return day(as_date(value)) or ""
    if is_missing(value):
        return NO_VALUE if kind in ("int", "score") else ""
    if kind == "int":
        return number(int(value))
    if kind == "score":
        return number(float(value), 1)
    return str(value)


RANKING_COLUMNS = (
    Column("rank", "Hạng", "int"),
    Column("unit", "Đơn vị"),
    Column("submitted_on", "Ngày nộp", "date"),
    Column("submission", "Nộp báo cáo"),
    Column("due_pairs", "Số nhiệm vụ đến hạn", "int"),
    Column("completed", "Số nhiệm vụ hoàn thành", "int"),
    Column("completion_rate", "Tỷ lệ hoàn thành", "rate"),
    Column("on_time_rate", "Tỷ lệ hoàn thành đúng hạn", "rate"),
    Column("recurring_rate", "Tỷ lệ thường xuyên có kết quả", "rate"),
    Column("overdue", "Quá hạn", "int"),
    Column("not_reported_due", "Đến hạn chưa báo cáo", "int"),
    Column("lag_score", "Điểm chậm", "score"),
    Column("lagging", f"Chậm ({LAGGING_MARK})"),
    Column("previous_rank", "Hạng kỳ trước", "int"),
)


#: The ranking's columns on a page or in the notebook: all but the counts behind the rates.
RANKING_KEYS = (
    "rank",
    "unit",
    "lagging",
    "submitted_on",
    "submission",
    "completion_rate",
    "on_time_rate",
    "recurring_rate",
    "overdue",
    "not_reported_due",
    "lag_score",
    "previous_rank",
)


def closing_words(unit) -> str:
    """`` (kết thúc hoạt động từ 30/06/2025; kế thừa: …)`` for a unit (a row of
    ``Metrics.units``) that closed by the report's date, else ""."""
    closed = getattr(unit, "closed_on", None)
    if is_missing(closed):
        return ""
    heir = getattr(unit, "successor_name", "") or ""
    return f" (kết thúc hoạt động sau ngày {day(closed)}" + (f"; kế thừa: {heir})" if heir else ")")


def ranking(metrics: Metrics) -> Section:
    """The units of the period, most lagging first (rank 1), with the words
    for how their report came in; lagging units are ``marked``."""
    rows, marked = [], []
    units = metrics.units
    previous = units.get("lag_rank_previous")
    for i, u in enumerate(units.itertuples(index=False)):
        before = None if previous is None or is_missing(previous.iloc[i]) else previous.iloc[i]
        rows.append(
            (
                None if is_missing(u.lag_rank) else int(u.lag_rank),
                u.unit_name + closing_words(u),
                as_date(u.submitted_on) if u.reported else None,
                submission_words(
                    bool(u.reported), bool(u.on_time_report), u.submitted_on, u.submission_deadline
                ),
                int(u.due_pairs),
                int(u.completed),
                None if is_missing(u.completion_rate) else float(u.completion_rate),
                None if is_missing(u.on_time_rate) else float(u.on_time_rate),
                None if is_missing(u.recurring_rate) else float(u.recurring_rate),
                int(u.overdue),
                int(u.not_reported_due),
                None if is_missing(u.lag_score) else float(u.lag_score),
                LAGGING_MARK if u.lagging else "",
                None if before is None else int(before),
            )
        )
        marked.append(bool(u.lagging))
    return Section(
        title="XẾP HẠNG CÁC ĐƠN VỊ THEO MỨC ĐỘ CHẬM THỰC HIỆN",
        columns=RANKING_COLUMNS,
        rows=rows,
        empty="Không có đơn vị nào phải báo cáo trong kỳ.",
        notes=(
            lag_formula(),
            "Hạng 1 là đơn vị chậm nhất. Ô tỷ lệ để trống: không có nhiệm vụ để tính "
            "(chưa có số liệu).",
        ),
        marked=marked,
    )


TREND_COLUMNS = (
    Column("period", "Quý"),
    *(Column(key, RATE_LABELS[key], "rate") for key in RATES),
    Column("overdue_count", "Số nhiệm vụ quá hạn", "int"),
    Column("expected_submissions", "Số đơn vị phải báo cáo", "int"),
    Column("received_submissions", "Số đơn vị đã nộp", "int"),
    Column("completed_in_period", "Hoàn thành trong quý (lượt)", "int"),
    Column("overdue_new_in_period", "Đến hạn trong quý, chưa hoàn thành (lượt)", "int"),
)


#: At which date each quarter of a trend is judged.
TREND_AS_OF = (
    "mỗi quý tính đến hạn nộp báo cáo của quý, hoặc đến ngày nhận báo cáo sau cùng của quý "
    "nếu muộn hơn, nhưng không quá ngày tính số liệu của báo cáo"
)


def trend(frame: pd.DataFrame) -> Section:
    """The rates quarter by quarter (a ``metrics.trend`` frame), each quarter
    at its own submission deadline."""
    rows = [
        tuple(
            row["period_label"]
            if c.key == "period"
            else (None if is_missing(row[c.key]) else row[c.key])
            for c in TREND_COLUMNS
        )
        for row in frame.to_dict("records")
    ]
    return Section(
        title="DIỄN BIẾN CÁC CHỈ TIÊU THEO TỪNG QUÝ",
        columns=TREND_COLUMNS,
        rows=rows,
        empty="Không có quý nào trong kỳ.",
        notes=(f"{TREND_AS_OF[0].upper()}{TREND_AS_OF[1:]}; ô tỷ lệ để trống: chưa có số liệu.",),
    )


#: What each rate counts, for the "how it is counted" column: numerator and
#: denominator fields of the summary, and the word for what is counted.
_RATE_BASIS = {
    "reporting_rate": ("received_submissions", "expected_submissions", "đơn vị"),
    "on_time_reporting_rate": ("on_time_submissions", "expected_submissions", "đơn vị"),
    "completion_rate": ("completed_pairs", "due_pairs", "nhiệm vụ đến hạn"),
    "on_time_rate": ("completed_on_time_pairs", "due_pairs", "nhiệm vụ đến hạn"),
    "recurring_rate": (
        "recurring_reported_pairs",
        "recurring_pairs",
        "lượt nhiệm vụ thường xuyên",
    ),
}
OVERDUE_FIGURE = "Số nhiệm vụ quá hạn (lượt đơn vị – nhiệm vụ)"


#: The period's own measures (``summary.json`` keys) and their Vietnamese names.
PERIOD_FIGURES = {
    "completed_in_period": "Số lượt nhiệm vụ hoàn thành trong kỳ",
    "overdue_new_in_period": "Số lượt nhiệm vụ đến hạn trong kỳ mà chưa hoàn thành",
}


def cumulative_words(s: Summary) -> str:
    """When nothing fell due in the period, what the cumulative rates are about
    ("" otherwise)."""
    if not s.cumulative_still or not s.due_years:
        return ""
    first, last = s.due_years
    years = f"năm {first}" if first == last else f"các năm {first}–{last}"
    return (
        "Trong kỳ không có nhiệm vụ nào đến hạn: tỷ lệ hoàn thành và tỷ lệ hoàn thành đúng "
        f"hạn là số cộng dồn của {number(s.due_pairs)} lượt nhiệm vụ đến hạn trong {years}; "
        "kết quả của riêng kỳ là các số lượt hoàn thành trong kỳ và đến hạn trong kỳ."
    )


def own_measures(s: Summary) -> str:
    """The period's own measures in one clause."""
    return (
        f"trong kỳ hoàn thành {number(s.completed_in_period)} lượt nhiệm vụ, "
        f"{number(s.overdue_new_in_period)} lượt đến hạn trong kỳ mà chưa hoàn thành"
    )


def key_figures(metrics: Metrics) -> Section:
    """The five rates, the overdue count and the period's own measures, now and
    in the previous period, with the change (percentage points; a count's
    difference) and what each counts. A rate is a fraction or ``None`` (no
    data); a count an ``int``: the column kind ``figure`` shows each as it is.
    When nothing fell due in the period, its own measures come first."""
    s = metrics.summary
    before = metrics.previous.summary if metrics.previous is not None else None
    rows = []
    for key in RATES:
        now = s.rate(key)
        old = before.rate(key) if before is not None else None
        moved = change(now - old) if now is not None and old is not None else NO_VALUE
        top, bottom, what = _RATE_BASIS[key]
        basis = (
            f"{number(getattr(s, top))}/{number(getattr(s, bottom))} {what}"
            if now is not None
            else ""
        )
        rows.append((RATE_LABELS[key], now, old, moved, basis))
    old = before.overdue_count if before is not None else None
    moved = NO_VALUE if old is None else change_count(s.overdue_count - old)
    rows.append((OVERDUE_FIGURE, s.overdue_count, old, moved, "Chưa hoàn thành, đã quá hạn"))
    own = []
    for key, label in PERIOD_FIGURES.items():
        now = getattr(s, key) if s.has_data else None
        old = getattr(before, key) if before is not None and before.has_data else None
        moved = NO_VALUE if now is None or old is None else change_count(now - old)
        own.append((label, now, old, moved, "Lượt đơn vị – nhiệm vụ, ngày trong kỳ"))
    rows = own + rows if s.cumulative_still else rows + own
    previous = metrics.previous.period.label_vi if metrics.previous is not None else "không có"
    notes = [
        "Thay đổi: chênh lệch so với kỳ trước, tính bằng điểm phần trăm. "
        f"«{NO_DATA}»: không có nhiệm vụ (hoặc đơn vị) để tính tỷ lệ."
    ]
    if cumulative_words(s):
        notes.insert(0, cumulative_words(s))
    return Section(
        title="CÁC CHỈ TIÊU CHÍNH",
        columns=(
            Column("figure", "Chỉ tiêu"),
            Column("now", f"Kỳ này ({metrics.period.label_vi})", "figure"),
            Column("before", f"Kỳ trước ({previous})", "figure"),
            Column("change", "Thay đổi"),
            Column("basis", "Cách tính"),
        ),
        rows=rows,
        empty="",
        notes=tuple(notes),
    )


def change_count(delta: int) -> str:
    """A count's change: ``+3``, ``0``, ``−2``."""
    return ("+" if delta > 0 else "") + number(delta)


def classification_counts(metrics: Metrics) -> Section:
    """How many pairs have each classification, and their share."""
    counts, pairs = metrics.summary.classification_counts, metrics.summary.pairs
    return Section(
        title="Phân loại các lượt đơn vị – nhiệm vụ",
        columns=(
            Column("classification", "Phân loại"),
            Column("count", "Số lượt đơn vị – nhiệm vụ", "int"),
            Column("share", "Tỷ lệ", "rate"),
        ),
        rows=[
            (CLASSIFICATION_LABELS[code], counts.get(code, 0), counts.get(code, 0) / pairs)
            if pairs
            else (CLASSIFICATION_LABELS[code], 0, None)
            for code in CLASSIFICATIONS
        ],
        empty="",
    )


OVERDUE_COLUMNS = (
    Column("number", "TT", "int"),
    Column("unit", "Đơn vị"),
    Column("task_id", "Mã nhiệm vụ"),
    Column("task", "Nội dung nhiệm vụ"),
    Column("due_date", "Hạn", "date"),
    Column("days_overdue", "Số ngày quá hạn", "int"),
    Column("age", "Nhóm"),
    Column("verdict", "Thẩm định"),
)


def overdue(metrics: Metrics, catalog: Catalog) -> Section:
    """The overdue pairs, oldest first, with the task's text and ageing bucket."""
    late = metrics.overdue()
    rows = [
        (
            i,
            p.unit_name,
            p.task_id,
            catalog.task(p.task_id).text_vi if p.task_id in catalog.tasks else "",
            as_date(p.due_date),
            None if is_missing(p.days_overdue) else int(p.days_overdue),
            p.age if isinstance(p.age, str) else "",
            verdict_mark(p),
        )
        for i, p in enumerate(late.itertuples(index=False), start=1)
    ]
    return Section(
        title="CÁC NHIỆM VỤ CHƯA HOÀN THÀNH, ĐÃ QUÁ HẠN",
        columns=OVERDUE_COLUMNS,
        rows=rows,
        empty="Không có nhiệm vụ nào quá hạn.",
        notes=(
            f"Có {number(len(rows))} lượt đơn vị – nhiệm vụ quá hạn, xếp theo số ngày quá hạn "
            "giảm dần (quá hạn lâu nhất trước).",
        ),
    )


def verdict_mark(pair) -> str:
    """What the Board said of a pair (a row of ``Metrics.table``), for every
    table it appears in: "" without a verdict."""
    verdict = getattr(pair, "verdict", "") or ""
    if verdict == "not_accepted":
        reason = getattr(pair, "verdict_reason", "") or ""
        return "Chưa chấp nhận hoàn thành" + (f": {reason}" if reason else "")
    return VERDICT_LABELS.get(verdict, "") if verdict else ""


VERDICT_COLUMNS = (
    Column("number", "TT", "int"),
    Column("unit", "Đơn vị"),
    Column("task_id", "Mã nhiệm vụ"),
    Column("verdict", "Kết luận"),
    Column("correction", "Sửa thành"),
    Column("reason", "Lý do"),
    Column("classification", "Phân loại sau thẩm định"),
    Column("reviewer", "Người thẩm định"),
    Column("reviewed_on", "Ngày thẩm định", "date"),
)


def verdicts(metrics: Metrics) -> Section:
    """The Board's verdicts that count at ``as_of``, on the period's pairs:
    how many completions were checked, accepted, not accepted (with the
    reasons) and corrected, and the verdicts dated after ``as_of``."""
    table = metrics.table[metrics.table["verdict"].fillna("") != ""]
    said = metrics.verdicts
    if not said.empty:
        said = said.set_index(["unit_id", "task_id"])
    rows = []
    for i, p in enumerate(table.itertuples(index=False), start=1):
        record = said.loc[(p.unit_id, p.task_id)] if not said.empty else None
        correction = ""
        if p.verdict == "corrected" and record is not None:
            parts = []
            if isinstance(record["status"], str) and record["status"]:
                parts.append(STATUS_LABELS.get(record["status"], record["status"]))
            if not is_missing(record["completed_on"]):
                parts.append(f"ngày {day(record['completed_on'])}")
            correction = ", ".join(parts)
        rows.append(
            (
                i,
                p.unit_name,
                p.task_id,
                VERDICT_LABELS[p.verdict],
                correction,
                p.verdict_reason or "",
                p.label,
                record["reviewer"] if record is not None else "",
                as_date(record["reviewed_on"]) if record is not None else None,
            )
        )
    counts = metrics.summary.verdict_counts
    notes = []
    if rows:
        notes.append(
            f"Đã thẩm định {number(len(rows))} lượt nhiệm vụ đơn vị báo cáo hoàn thành: "
            f"chấp nhận {number(counts['accepted'])}, chưa chấp nhận "
            f"{number(counts['not_accepted'])} (không tính là hoàn thành), sửa "
            f"{number(counts['corrected'])}."
        )
    later = metrics.verdicts_left_out
    if len(later):
        notes.append(
            f"{number(len(later))} kết luận có ngày thẩm định sau ngày {day(metrics.as_of)} "
            "(ngày tính số liệu) chưa được tính."
        )
    return Section(
        title="KẾT QUẢ THẨM ĐỊNH CÁC NHIỆM VỤ ĐƠN VỊ BÁO CÁO HOÀN THÀNH",
        columns=VERDICT_COLUMNS,
        rows=rows,
        empty="Chưa có kết luận thẩm định nào (lập bảng thẩm định bằng lệnh «nq28 review»).",
        notes=tuple(notes),
    )


PENDING_COLUMNS = (
    Column("number", "TT", "int"),
    Column("task_id", "Mã nhiệm vụ"),
    Column("task", "Nội dung nhiệm vụ"),
    Column("waits_for", "Chờ sự kiện"),
    Column("units", "Số đơn vị phải thực hiện", "int"),
    Column("state", "Hiện tính"),
    Column("line", "Dòng thêm vào events.csv khi có sự kiện"),
)

#: How a task waiting for an event is counted meanwhile, by ``PendingTask.state``.
PENDING_STATE_WORDS = {
    "not_triggered": "Chưa phát sinh",
    "recurring": "Nhiệm vụ thường xuyên (báo cáo kết quả mỗi kỳ) cho đến khi ghi mốc",
}

#: How to record an event, for every output that lists the tasks waiting for one.
PENDING_HOW = (
    "Khi Trung ương có yêu cầu, ban hành quy định, hướng dẫn, khi kế hoạch có mốc thời gian "
    "hoặc khi ngày bầu cử được ấn định: thêm dòng gợi ý vào tệp events.csv (thư mục "
    "data/reference/), thay các ô trong dấu <…> bằng ngày (dd/mm/yyyy) và văn bản thật; "
    "nhiệm vụ có hạn từ ngày của sự kiện."
)


_SAME_LINE = "Cùng dòng với nhiệm vụ"


def _pending_state(task: PendingTask) -> str:
    said = PENDING_STATE_WORDS[task.state]
    if task.recorded:
        event_id, when = task.recorded
        said += f"; đã ghi sự kiện «{event_id}» ngày {day(when)}, tính từ ngày đó"
    return said


def pending(tasks: Sequence[PendingTask], as_of) -> Section:
    """The tasks waiting for an event at ``as_of``
    (:func:`~nq28_analysis.reference.pending.pending_events`): what each waits
    for, how many units it binds, how it counts meanwhile, and the line to add
    to ``events.csv`` (a line two tasks share is written once)."""
    rows, first = [], {}
    for i, t in enumerate(tasks, start=1):
        if t.recorded:
            line = ""
        elif t.line in first:
            line = f"{_SAME_LINE} {first[t.line]}"
        else:
            line, first[t.line] = t.line, t.task_id
        state = _pending_state(t)
        rows.append((i, t.task_id, t.text_vi, t.waits_for, t.expected_units, state, line))
    notes = []
    if rows:
        notes.append(
            f"Tính đến ngày {day(as_of)}, có {number(len(rows))} nhiệm vụ chờ sự kiện (yêu cầu, "
            "quy định, hướng dẫn của Trung ương, mốc thời gian của kế hoạch, ngày bầu cử): thời "
            "hạn của các nhiệm vụ này chỉ phát sinh khi có sự kiện."
        )
        notes.append(PENDING_HOW)
    return Section(
        title="NHIỆM VỤ CHỜ SỰ KIỆN",
        columns=PENDING_COLUMNS,
        rows=rows,
        empty="Không có nhiệm vụ nào chờ sự kiện.",
        notes=tuple(notes),
    )


def pending_lines(tasks: Sequence[PendingTask], as_of) -> list[str]:
    """The tasks waiting for an event as console lines (``nq28 status``)."""
    section = pending(tasks, as_of)
    if not section.rows:
        return [f"Nhiệm vụ chờ sự kiện: {lower_first(section.empty)}"]
    lines = [f"Nhiệm vụ chờ sự kiện. {section.notes[0]}"]
    keys = [c.key for c in section.columns]
    for row in section.rows:
        r = dict(zip(keys, row, strict=True))
        lines.append(
            f"  {r['task_id']} — chờ {r['waits_for']}; {number(r['units'])} đơn vị phải thực "
            f"hiện; hiện tính: {lower_first(r['state'])}"
        )
        if r["line"].startswith(_SAME_LINE):
            lines.append(f"    {r['line']} (chỉ thêm một lần)")
        elif r["line"]:
            lines.append(f"    Thêm vào events.csv: {r['line']}")
    lines.append(section.notes[1])
    return lines


TEXT_COLUMNS = (
    Column("period", "Kỳ"),
    Column("unit", "Đơn vị"),
    Column("task_id", "Nhiệm vụ"),
    Column("difficulties", "Khó khăn, vướng mắc"),
    Column("proposals", "Kiến nghị, đề xuất"),
)


def texts(data: ReportData) -> Section:
    """The units' difficulties and proposals, verbatim, by unit then quarter."""
    rows = [
        (period_words(t.period), t.unit_name, t.task_id, t.difficulties, t.proposals)
        for t in data.texts.itertuples(index=False)
    ]
    return Section(
        title="KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT CỦA CÁC ĐƠN VỊ",
        columns=TEXT_COLUMNS,
        rows=rows,
        empty="Không có đơn vị nào nêu khó khăn, vướng mắc hoặc kiến nghị, đề xuất.",
        notes=("Nguyên văn như các đơn vị đã ghi trong báo cáo.",),
    )


def period_words(period_id: object) -> str:
    """``Quý II năm 2024`` for ``2024-Q2``; a period we cannot read as written."""
    try:
        return parse_period(str(period_id)).label_vi
    except PeriodError:
        return "" if is_missing(period_id) else str(period_id)


def consistent(data: ReportData) -> Section:
    """The units that reported in every quarter of the span they were expected in."""
    names = [data.catalog.unit(u).name_vi for u in data.consistent]
    return Section(
        title="CÁC ĐƠN VỊ NỘP BÁO CÁO ĐỦ CÁC KỲ",
        columns=(Column("number", "STT", "int"), Column("unit", "Đơn vị")),
        rows=[(i, name) for i, name in enumerate(names, start=1)],
        empty="Không có đơn vị nào nộp báo cáo đủ các kỳ.",
        notes=(f"Có {number(len(names))} đơn vị nộp báo cáo ở mọi quý phải báo cáo trong kỳ.",),
    )


QUALITY_COLUMNS = (
    Column("file", "Tệp"),
    Column("unit", "Đơn vị"),
    Column("period", "Kỳ"),
    Column("submitted_on", "Ngày nộp", "date"),
    Column("disposition", "Kết quả"),
    Column("errors", SEVERITY_WORDS["error"], "int"),
    Column("warnings", SEVERITY_WORDS["warning"], "int"),
    Column("reason", "Lý do"),
    Column("problems", "Vấn đề phát hiện trong tệp"),
    Column("sha256", "SHA-256"),
)


def _problem_lines(issues: pd.DataFrame) -> dict[str, str]:
    """Per file: one line per problem code, with its count and the first message."""
    lines: dict[str, list[str]] = {}
    if issues.empty:
        return {}
    grouped = issues.groupby(["file", "severity", "code"], sort=True, dropna=False)
    for (file, severity, code), group in grouped:
        level = SEVERITY_WORDS.get(severity, severity)
        message = group["message"].iloc[0]
        lines.setdefault(file, []).append(f"{level} [{code}] × {len(group)}: {message}")
    return {file: "\n".join(said) for file, said in lines.items()}


def quality(data: ReportData) -> Section:
    """Every file of the period: what became of it and the problems found in it;
    then the files the problems or hashes name that the file list does not."""
    catalog, issues = data.catalog, data.issues
    said = _problem_lines(issues)
    severity = issues.groupby(["file", "severity"]).size() if not issues.empty else {}
    hashes = dict(data.inputs.get("files", []))

    def count(file: str, level: str) -> int:
        return int(severity.get((file, level), 0)) if len(severity) else 0

    def unit_name(unit_id: object) -> str:
        if not isinstance(unit_id, str) or not unit_id:
            return ""
        unit = catalog.units.get(unit_id)
        return unit.name_vi if unit is not None else unit_id

    rows, seen = [], set()
    for f in data.files.itertuples(index=False):
        seen.add(f.file)
        rows.append(
            (
                f.file,
                unit_name(f.unit_id),
                period_words(f.period) if isinstance(f.period, str) and f.period else "",
                as_date(f.submitted_on),
                DISPOSITION_WORDS.get(f.disposition, f.disposition),
                count(f.file, "error"),
                count(f.file, "warning"),
                f.reason,
                said.get(f.file, ""),
                hashes.get(f.file, f.sha256),
            )
        )
    for file in sorted((set(said) | set(hashes)) - seen):
        rows.append(
            (
                file,
                "",
                "",
                None,
                "",
                count(file, "error"),
                count(file, "warning"),
                "",
                said.get(file, ""),
                hashes.get(file, ""),
            )
        )
    rejected = sum(1 for f in data.files["disposition"] if f == "rejected")
    w = DISPOSITION_WORDS
    return Section(
        title="CHẤT LƯỢNG VÀ NGUỒN GỐC DỮ LIỆU",
        columns=QUALITY_COLUMNS,
        rows=rows,
        empty="Không có tệp báo cáo nào của kỳ.",
        notes=(
            f"{number(len(data.files))} tệp, {number(rejected)} tệp bị từ chối.",
            f"Các tệp báo cáo của kỳ. Kết quả: «{w['used']}» — mọi dòng được dùng; "
            f"«{w['partly-superseded']}» — một số dòng được thay bằng tệp gửi sau; "
            f"«{w['superseded']}»; «{w['rejected']}» — không đọc được hoặc không xác định được "
            "đơn vị, kỳ. Vấn đề: mức độ, [mã vấn đề], số lần và ví dụ đầu tiên.",
        ),
    )


LEFT_OUT_COLUMNS = (
    Column("file", "Tệp"),
    Column("unit", "Đơn vị"),
    Column("period", "Kỳ báo cáo"),
    Column("submitted_on", "Ngày nhận", "date"),
)


def left_out(metrics: Metrics, catalog: Catalog) -> Section:
    """The accepted files received after ``as_of``: not counted in this report
    (a report is a point in time), listed so that nobody thinks them lost."""
    rows = [
        (
            f.file,
            catalog.unit(f.unit_id).name_vi if f.unit_id in catalog.units else f.unit_id,
            period_words(f.period),
            as_date(f.submitted_on),
        )
        for f in metrics.left_out.itertuples(index=False)
    ]
    return Section(
        title="TỆP NHẬN SAU NGÀY TÍNH, CHƯA ĐƯỢC TÍNH",
        columns=LEFT_OUT_COLUMNS,
        rows=rows,
        empty="",
        notes=(
            f"{number(len(rows))} tệp nhận sau ngày {day(metrics.as_of)} (ngày tính số liệu) "
            "không được tính trong báo cáo này; báo cáo lập tại một ngày sau đó sẽ tính.",
        )
        if rows
        else (),
    )


def as_of_words(metrics: Metrics, catalog: Catalog) -> str:
    """Why the report is dated ``as_of`` when a late report set it, else "";
    with a warning when that is more than
    :data:`~nq28_analysis.metrics.classify.AS_OF_WARNING_DAYS` days past the
    deadline."""
    if not metrics.as_of_set_by:
        return ""
    deadline = metrics.period.last_quarter.submission_deadline(
        catalog.settings.submission_deadline_days
    )
    late = (metrics.as_of - deadline).days
    said = (
        f"Ngày tính số liệu {day(metrics.as_of)} là ngày nhận tệp «{metrics.as_of_set_by}», "
        f"tệp nhận sau cùng của kỳ (hạn nộp {day(deadline)})."
    )
    if late > AS_OF_WARNING_DAYS:
        said = (
            f"{SEVERITY_WORDS[WARNING]}: ngày tính số liệu mặc định {day(metrics.as_of)} sau hạn "
            f"nộp {day(deadline)} {number(late)} ngày, do tệp «{metrics.as_of_set_by}» nhận "
            f"ngày đó. Nếu cần số liệu tại ngày khác, dùng --as-of (ví dụ --as-of "
            f"{day(deadline)})."
        )
    return said


def lag_reasons(unit, overdue_tasks: Sequence[str]) -> list[str]:
    """Why a unit (a row of ``Metrics.units``) lags, in words, worst first."""
    said = []
    if not unit.reported:
        said.append("chưa nộp báo cáo")
    elif not unit.on_time_report:
        said.append(SUBMISSION_WORDS["late"].lower())
    if unit.overdue:
        tasks = f" ({', '.join(overdue_tasks)})" if overdue_tasks else ""
        said.append(f"{number(int(unit.overdue))} nhiệm vụ quá hạn{tasks}")
    if unit.not_reported_due:
        said.append(f"{number(int(unit.not_reported_due))} nhiệm vụ đến hạn chưa báo cáo")
    if not is_missing(unit.completion_rate) and unit.completion_rate < 1:
        said.append(f"tỷ lệ hoàn thành {percent(unit.completion_rate)}")
    if not is_missing(unit.recurring_rate) and unit.recurring_rate < 1:
        said.append(f"nhiệm vụ thường xuyên có kết quả {percent(unit.recurring_rate)}")
    return said


def lagging(metrics: Metrics) -> Section:
    """The lagging units, worst first: score, rank (and the previous one), reasons."""
    units = metrics.units
    chosen = units[units["lagging"]] if not units.empty else units
    late = metrics.overdue()
    by_unit = late.groupby("unit_id", sort=False)["task_id"].apply(list).to_dict()
    rows = []
    for u in chosen.itertuples(index=False):
        rank = f"hạng {number(int(u.lag_rank))}/{number(len(units))}"
        if not is_missing(u.lag_rank_previous):
            rank += f", kỳ trước hạng {number(int(u.lag_rank_previous))}"
        reasons = "; ".join(lag_reasons(u, by_unit.get(u.unit_id, [])))
        rows.append((u.unit_name, float(u.lag_score), rank, reasons or "chưa xác định nguyên nhân"))
    return Section(
        title="Đơn vị chậm tiến độ",
        columns=(
            Column("unit", "Đơn vị"),
            Column("lag_score", "Điểm chậm", "score"),
            Column("rank", "Hạng"),
            Column("reasons", "Nguyên nhân"),
        ),
        rows=rows,
        empty="Trong kỳ không có đơn vị nào chậm tiến độ.",
        notes=(
            f"Có {number(len(rows))}/{number(len(units))} đơn vị chậm tiến độ (xếp theo mức "
            "độ chậm):",
        ),
    )


def recurring(metrics: Metrics) -> Section:
    """Per recurring task: how many units reported results, reported none, had
    nothing to do, or did not answer; the share with results (the quarters
    with nothing to do left out)."""
    table = metrics.table
    rec = table[table["deadline_kind"] == "recurring"]
    rows = []
    grouped = rec.groupby(["task_id", "task_order"], sort=False)["classification"]
    for (task_id, _), codes in sorted(grouped, key=lambda item: item[0][1]):
        counts = codes.value_counts()
        nothing = int(counts.get("recurring_no_occurrence", 0))
        reported = int(counts.get("recurring_reported", 0))
        owed = len(codes) - nothing
        rows.append(
            (
                task_id,
                reported,
                int(counts.get("recurring_silent", 0)),
                nothing,
                int(counts.get("not_reported", 0)),
                reported / owed if owed else None,
            )
        )
    return Section(
        title="Nhiệm vụ thường xuyên",
        columns=(
            Column("task_id", "Nhiệm vụ"),
            Column("reported", "Có kết quả", "int"),
            Column("silent", "Không có kết quả", "int"),
            Column("no_occurrence", "Không phát sinh", "int"),
            Column("not_reported", "Không báo cáo", "int"),
            Column("rate", "Tỷ lệ có kết quả", "rate"),
        ),
        rows=rows,
        empty="Không có nhiệm vụ thường xuyên.",
        notes=(
            "«Không phát sinh»: trong kỳ không có việc thuộc nhiệm vụ này; không tính vào tỷ lệ.",
        ),
    )


def headline(metrics: Metrics) -> str:
    """The period's key figures in one Vietnamese paragraph (terminal, notebook)."""
    s = metrics.summary
    own = f"{own_measures(s)}; " if s.has_data else ""
    return (
        f"{metrics.period.label_vi}, tính đến ngày {day(metrics.as_of)}: {own}"
        f"{number(s.received_submissions)}/{number(s.expected_submissions)} đơn vị nộp báo cáo "
        f"({percent(s.reporting_rate)}, đúng hạn {percent(s.on_time_reporting_rate)}); "
        f"hoàn thành {percent(s.completion_rate)} nhiệm vụ đến hạn (đúng hạn "
        f"{percent(s.on_time_rate)}); nhiệm vụ thường xuyên có kết quả "
        f"{percent(s.recurring_rate)}; {number(s.overdue_count)} nhiệm vụ quá hạn."
    )


def console_table(metrics: Metrics, limit: int | None = None) -> str:
    """The ranking for a terminal (``nq28 status``): worst units first, full names."""
    section = ranking(metrics)
    keys = (
        "rank",
        "lagging",
        "unit",
        "submission",
        "completion_rate",
        "on_time_rate",
        "recurring_rate",
        "overdue",
        "lag_score",
    )
    frame = section.frame(keys)
    if limit:
        frame = frame.head(limit)
    header = list(frame.columns)
    lines = [list(map(str, row)) for row in frame.itertuples(index=False)]
    widths = [
        max(len(h), *(len(r[i]) for r in lines)) if lines else len(h) for i, h in enumerate(header)
    ]
    left = {keys.index("unit"), keys.index("submission")}

    def fmt(cells) -> str:
        return "  ".join(
            c.ljust(w) if i in left else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *map(fmt, lines)])


# --- results and evidence by section and task --------------------------------------------


def short_text(text: object, limit: int) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with `` …``."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:.") + " …"


def quarter_words(period_id: object) -> str:
    """``quý II/2024`` for ``2024-Q2`` (the short form an attribution uses);
    another period as :func:`period_words` writes it."""
    text = str(period_id)
    try:
        period = parse_period(text)
    except PeriodError:
        return period_words(period_id)
    if period.kind != "Q":
        return lower_first(period.label_vi)
    year, quarter = text.split("-Q")
    return f"quý {roman(int(quarter))}/{year}"


def attribution(unit_name: str, period_id: object) -> str:
    """Who said it, and when: ``(Huyện ủy Ba Tơ, quý II/2024)``."""
    return sources([(unit_name, period_id)])


def sources(said: Sequence[tuple[str, object]]) -> str:
    """Who said the same words, and when, units in the order given: ``(Huyện
    ủy Ba Tơ, quý II/2024)``, ``(Huyện ủy Ba Tơ, quý II, III/2024, quý I/2025;
    Huyện ủy Lý Sơn, quý II/2024)``."""
    by_unit: dict[str, list[str]] = {}
    for unit, period in said:
        quarters = by_unit.setdefault(unit, [])
        if str(period) not in quarters:
            quarters.append(str(period))
    return "(" + "; ".join(f"{u}, {_quarters_words(q)}" for u, q in by_unit.items()) + ")"


def _quarters_words(period_ids: Sequence[str]) -> str:
    """``quý II, III/2024, quý I/2025`` for quarter ids (others as they read)."""
    by_year: dict[str, list[str]] = {}
    others = []
    for period_id in sorted(set(period_ids)):
        if "-Q" in period_id and period_id.split("-Q")[1].isdigit():
            year, quarter = period_id.split("-Q")
            by_year.setdefault(year, []).append(roman(int(quarter)))
        else:
            others.append(quarter_words(period_id))
    return ", ".join([*(f"quý {', '.join(q)}/{y}" for y, q in by_year.items()), *others])


def section_words(section: str, title: str = "") -> str:
    """A program section as a heading: ``III.2.2. Ban Tổ chức Tỉnh ủy``; a task
    outside the catalogue's sections: «Nhiệm vụ khác»."""
    if not section:
        return "Nhiệm vụ khác"
    return f"{section}. {title}" if title else f"{section}."


RESULT_COLUMNS = (
    Column("section", "Mục"),
    Column("task_id", "Mã nhiệm vụ"),
    Column("task", "Nội dung nhiệm vụ"),
    Column("period", "Kỳ"),
    Column("unit", "Đơn vị"),
    Column("status", "Tình trạng"),
    Column("completed_on", "Ngày hoàn thành", "date"),
    Column("result", "Kết quả thực hiện"),
    Column("evidence", "Văn bản, minh chứng"),
    Column("difficulties", "Khó khăn, vướng mắc"),
    Column("proposals", "Kiến nghị, đề xuất"),
)

#: The texts a unit writes on a task, in the template's order (keys of RESULT_COLUMNS).
RESULT_TEXTS = ("result", "evidence", "difficulties", "proposals")


def results(frame: pd.DataFrame, catalog: Catalog) -> Section:
    """Every (unit, task, quarter) whose answer says anything (a
    :func:`~nq28_analysis.reports.data.results_table` frame), by program
    section, task, quarter and unit, the texts verbatim. ``section`` holds the
    section's heading (:func:`section_words`), ``period`` the quarter's label."""
    headings = {
        s: section_words(s, t)
        for s, t in frame[["section", "section_title"]].drop_duplicates().itertuples(index=False)
    }
    texts = {t: task.text_vi for t, task in catalog.tasks.items()}
    rows = [
        (
            headings[section],
            task_id,
            texts.get(task_id, ""),
            period_words(period),
            unit,
            STATUS_LABELS.get(status, status),
            as_date(completed),
            result,
            evidence,
            difficulties,
            proposals,
        )
        for section, task_id, period, unit, status, completed, result, evidence, difficulties, (
            proposals
        ) in zip(
            frame["section"],
            frame["task_id"],
            frame["period"],
            frame["unit_name"],
            frame["status"],
            frame["completed_on"],
            frame["result"],
            frame["evidence"],
            frame["difficulties"],
            frame["proposals"],
            strict=True,
        )
    ]
    return Section(
        title="KẾT QUẢ THỰC HIỆN VÀ MINH CHỨNG THEO TỪNG NHIỆM VỤ",
        columns=RESULT_COLUMNS,
        rows=rows,
        empty="Các đơn vị không ghi kết quả, minh chứng nào trong kỳ.",
        notes=(
            "Nguyên văn như các đơn vị đã ghi trong báo cáo, theo mục của Chương trình, từng "
            "nhiệm vụ, từng quý và từng đơn vị; chỉ các nhiệm vụ đơn vị có ghi nội dung.",
        ),
    )


# --- units of the same kind --------------------------------------------------------------


def kind_words(kind: object) -> str:
    """The Vietnamese name of a kind of unit (``units.csv``'s ``kind``)."""
    return UNIT_KINDS.get(str(kind), str(kind))


KIND_COLUMNS = (
    Column("kind", "Loại đơn vị"),
    Column("units", "Số đơn vị", "int"),
    Column("reporting_rate", RATE_LABELS["reporting_rate"], "rate"),
    Column("completion_rate", RATE_LABELS["completion_rate"], "rate"),
    Column("on_time_rate", RATE_LABELS["on_time_rate"], "rate"),
    Column("recurring_rate", "Tỷ lệ thường xuyên có kết quả", "rate"),
    Column("overdue", "Quá hạn", "int"),
    Column("not_reported_due", "Đến hạn chưa báo cáo", "int"),
    Column("mean_lag_score", "Điểm chậm bình quân", "score"),
    Column("lagging_units", f"Số đơn vị chậm ({LAGGING_MARK})", "int"),
)


def _value(value: object) -> object:
    return None if is_missing(value) else value


def kinds(metrics: Metrics) -> Section:
    """One row per kind of unit: its units' counts summed and the rates on those
    sums (:func:`~nq28_analysis.metrics.rates.kind_rollup`)."""
    frame = kind_rollup(metrics.units)
    rows = [
        (
            kind_words(r.unit_kind),
            int(r.units),
            _value(r.reporting_rate),
            _value(r.completion_rate),
            _value(r.on_time_rate),
            _value(r.recurring_rate),
            int(r.overdue),
            int(r.not_reported_due),
            None if is_missing(r.mean_lag_score) else float(r.mean_lag_score),
            int(r.lagging_units),
        )
        for r in frame.itertuples(index=False)
    ]
    return Section(
        title="SO SÁNH THEO LOẠI ĐƠN VỊ",
        columns=KIND_COLUMNS,
        rows=rows,
        empty="Không có đơn vị nào phải báo cáo trong kỳ.",
        notes=(
            "Mỗi loại đơn vị: số đơn vị phải báo cáo, các tỷ lệ tính trên tổng số nhiệm vụ "
            "(hoặc lượt nộp báo cáo) của các đơn vị cùng loại, điểm chậm bình quân và số đơn "
            "vị chậm tiến độ.",
        ),
    )


KIND_RANKING_COLUMNS = (
    Column("kind", "Loại đơn vị"),
    Column("kind_rank", "Hạng trong loại"),
    Column("unit", "Đơn vị"),
    Column("submission", "Nộp báo cáo"),
    Column("completion_rate", "Tỷ lệ hoàn thành", "rate"),
    Column("on_time_rate", "Tỷ lệ hoàn thành đúng hạn", "rate"),
    Column("recurring_rate", "Tỷ lệ thường xuyên có kết quả", "rate"),
    Column("overdue", "Quá hạn", "int"),
    Column("not_reported_due", "Đến hạn chưa báo cáo", "int"),
    Column("lag_score", "Điểm chậm", "score"),
    Column("lagging", f"Chậm ({LAGGING_MARK})"),
    Column("rank", "Hạng chung", "int"),
)


def kind_rank_words(rank: object, size: object) -> str:
    """``2/13``: the place among the units of the same kind ("" without data)."""
    if is_missing(rank):
        return ""
    return f"{number(int(rank))}/{number(int(size))}"


def kind_ranking(metrics: Metrics, kind: str | None = None) -> Section:
    """The units ranked within their kind (1 = the most lagging of its kind), kind
    by kind in official order (:func:`~nq28_analysis.metrics.rates.within_kind`);
    only the kind ``kind`` when given. Lagging units are ``marked``."""
    frame = within_kind(metrics.units)
    if kind is not None:
        frame = frame[frame["unit_kind"] == kind]
    rows, marked = [], []
    for u in frame.itertuples(index=False):
        rows.append(
            (
                kind_words(u.unit_kind),
                kind_rank_words(u.kind_rank, u.kind_units),
                u.unit_name + closing_words(u),
                submission_words(
                    bool(u.reported), bool(u.on_time_report), u.submitted_on, u.submission_deadline
                ),
                _value(u.completion_rate),
                _value(u.on_time_rate),
                _value(u.recurring_rate),
                int(u.overdue),
                int(u.not_reported_due),
                None if is_missing(u.lag_score) else float(u.lag_score),
                LAGGING_MARK if u.lagging else "",
                None if is_missing(u.lag_rank) else int(u.lag_rank),
            )
        )
        marked.append(bool(u.lagging))
    return Section(
        title="XẾP HẠNG TRONG TỪNG LOẠI ĐƠN VỊ",
        columns=KIND_RANKING_COLUMNS,
        rows=rows,
        empty="Không có đơn vị nào phải báo cáo trong kỳ.",
        notes=(
            "Mỗi đơn vị được so sánh với các đơn vị cùng loại theo điểm chậm: hạng 1 trong "
            "loại là đơn vị chậm nhất của loại đó; «Hạng chung» là hạng trong toàn bộ các "
            "đơn vị.",
        ),
        marked=marked,
    )


# --- by section of the program ------------------------------------------------------

SECTION_COLUMNS = (
    Column("section", "Mục của Chương trình"),
    Column("due_pairs", "Số lượt nhiệm vụ đến hạn", "int"),
    Column("completed", "Số lượt hoàn thành", "int"),
    Column("completion_rate", "Tỷ lệ hoàn thành", "rate"),
    Column("overdue", "Quá hạn", "int"),
    Column("recurring_rate", "Tỷ lệ thường xuyên có kết quả", "rate"),
)


def by_section(metrics: Metrics, titles: dict[str, str]) -> Section:
    """One row per section of the program that holds pairs, in the program's
    order: its due deadline pairs, how many are completed and the rate,
    overdue pairs, and the recurring rate of the period's last quarter
    (:func:`~nq28_analysis.metrics.rates.rollup` by ``section``). ``titles``
    name the sections (:func:`~nq28_analysis.reference.source.section_titles`)."""
    table = metrics.table
    empty = "Không có nhiệm vụ nào trong kỳ."
    if table.empty or not metrics.summary.has_data:
        return Section("KẾT QUẢ THEO MỤC CỦA CHƯƠNG TRÌNH", SECTION_COLUMNS, [], empty)
    frame = rollup(table, "section")
    order = table.groupby("section")["task_order"].min()
    frame = frame.assign(_order=frame["section"].map(order)).sort_values("_order", kind="stable")
    rows = [
        (
            section_words(r.section, titles.get(r.section, "")),
            int(r.due_pairs),
            int(r.completed),
            _value(r.completion_rate),
            int(r.overdue),
            _value(r.recurring_rate),
        )
        for r in frame.itertuples(index=False)
    ]
    return Section(
        title="KẾT QUẢ THEO MỤC CỦA CHƯƠNG TRÌNH",
        columns=SECTION_COLUMNS,
        rows=rows,
        empty=empty,
        notes=(
            "Theo từng mục của Chương trình: số lượt (đơn vị, nhiệm vụ) có thời hạn đã đến "
            "hạn, số lượt hoàn thành và tỷ lệ, số lượt quá hạn; tỷ lệ nhiệm vụ thường xuyên có "
            f"kết quả tính trong {lower_first(metrics.period.last_quarter.label_vi)}.",
        ),
    )
