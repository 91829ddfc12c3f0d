"""Plotly figure builders: order, colours, labels and Vietnamese text, read off the figures."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pandas as pd
import plotly.io as pio
import pytest

from nq28_analysis.common.errors import Nq28Error, UsageError
from nq28_analysis.metrics import AGE_BUCKETS, CLASSIFICATION_LABELS, CLASSIFICATIONS
from nq28_analysis.reports import charts

UNITS = {  # unit_id: (unit_name, unit_kind, unit_level, unit_order)
    "huyen-a": ("Huyện ủy Ba Tơ", "cap-uy-huyen", "huyen", 20),
    "huyen-b": ("Huyện ủy Sơn Hà", "cap-uy-huyen", "huyen", 21),
    "ban-tc": ("Ban Tổ chức Tỉnh ủy", "co-quan-tham-muu", "tinh", 10),
    "ban-tg": ("Ban Tuyên giáo Tỉnh ủy", "co-quan-tham-muu", "tinh", 11),
}
OFFICIAL = ["ban-tc", "ban-tg", "huyen-a", "huyen-b"]

TASKS = {  # task_id: (task_order, section, deadline_kind, due_date)
    "IV.1": (4, "IV", "recurring", None),
    "III.2.10.1": (3, "III.2.10", "fixed", date(2024, 6, 14)),
    "III.2.9.1": (2, "III.2.9", "fixed", date(2024, 11, 16)),
    "III.1.1": (1, "III.1", "none", None),
}
CATALOGUE = ["III.1.1", "III.2.9.1", "III.2.10.1", "IV.1"]
SECTIONS = ["III.1", "III.2.9", "III.2.10", "IV"]

# (unit, task): (classification, completed_on, days_overdue); as of 31/12/2024.
PAIRS = {
    ("ban-tc", "III.1.1"): ("no_deadline", None, None),
    ("ban-tc", "III.2.9.1"): ("done_on_time", date(2024, 10, 1), None),
    ("ban-tc", "III.2.10.1"): ("done_late", date(2024, 7, 1), None),
    ("ban-tc", "IV.1"): ("recurring_reported", None, None),
    ("ban-tg", "III.1.1"): ("no_deadline", None, None),
    ("ban-tg", "III.2.9.1"): ("overdue", None, 45),
    ("ban-tg", "III.2.10.1"): ("pending_on_time", None, None),
    ("ban-tg", "IV.1"): ("recurring_silent", None, None),
    ("huyen-a", "III.1.1"): ("no_deadline", None, None),
    ("huyen-a", "III.2.9.1"): ("overdue", None, 10),
    ("huyen-a", "III.2.10.1"): ("overdue", None, 200),
    ("huyen-a", "IV.1"): ("not_reported", None, None),
    ("huyen-b", "III.1.1"): ("not_triggered", None, None),
    ("huyen-b", "III.2.9.1"): ("done_on_time", date(2024, 11, 1), None),
    # ("huyen-b", "III.2.10.1") is not a pair: its cell stays blank.
    ("huyen-b", "IV.1"): ("recurring_no_occurrence", None, None),
}


def unit_columns(unit_id: str, units: dict = UNITS) -> dict:
    name, kind, level, order = units[unit_id]
    return {
        "unit_id": unit_id,
        "unit_name": name,
        "unit_kind": kind,
        "unit_level": level,
        "unit_order": order,
    }


def make_classification(pairs: dict = PAIRS, units: dict = UNITS) -> pd.DataFrame:
    rows = []
    for (unit_id, task_id), (code, completed_on, overdue_days) in pairs.items():
        order, section, kind, due = TASKS[task_id]
        rows.append(
            unit_columns(unit_id, units)
            | {
                "task_id": task_id,
                "task_order": order,
                "section": section,
                "deadline_kind": kind,
                "due_date": due,
                "status": "Đã hoàn thành" if completed_on else None,
                "completed_on": completed_on,
                "classification": code,
                "label": CLASSIFICATION_LABELS[code],
                "days_overdue": overdue_days,
            }
        )
    return pd.DataFrame(rows)


DEADLINE = date(2025, 1, 10)

# unit: completion_rate, lagging, lag_rank, reported, on_time_report, submitted_on
RATES = {
    "ban-tg": (0.5, True, 1, True, False, date(2025, 1, 15)),  # lagging, late by 5 days
    "huyen-a": (None, False, 2, False, None, None),  # undefined rate, not submitted
    "huyen-b": (1.0, False, 4, True, True, date(2025, 1, 10)),  # on the deadline
    "ban-tc": (0.855, False, 3, True, True, date(2025, 1, 8)),  # 2 days early
}


def make_unit_rates(rates: dict = RATES) -> pd.DataFrame:
    rows = []
    for unit_id, (rate, lagging, rank, reported, on_time, submitted) in rates.items():
        due = 0 if rate is None else 20
        done = round((rate or 0) * due)
        rows.append(
            unit_columns(unit_id)
            | {
                "due_pairs": due,
                "completed": done,
                "completed_on_time": done,
                "overdue": due - done,
                "not_reported_due": 0,
                "recurring_pairs": 2,
                "recurring_reported": 1,
                "completion_rate": rate,
                "on_time_rate": rate,
                "recurring_rate": 0.5,
                "reported": reported,
                "on_time_report": on_time,
                "submitted_on": submitted,
                "submission_deadline": DEADLINE,
                "lag_score": 1.0 / rank,
                "lag_rank": rank,
                "lagging": lagging,
            }
        )
    return pd.DataFrame(rows)


def make_trend() -> pd.DataFrame:
    # Out of order on purpose; the recurring rate of Q3 is missing.
    return pd.DataFrame(
        {
            "period": ["2024-Q4", "2024-Q2", "2024-Q3"],
            "period_label": ["Quý IV năm 2024", "Quý II năm 2024", "Quý III năm 2024"],
            "completion_rate": [0.9, 0.855, 0.8],
            "on_time_rate": [0.7, 0.6, 0.65],
            "recurring_rate": [0.4, 0.3, None],
            "reporting_rate": [1.0, 0.75, 0.5],
            "on_time_reporting_rate": [0.75, 0.5, 0.5],
            "overdue_count": [3, 5, 4],
        }
    )


def all_figures():
    classification, unit_rates = make_classification(), make_unit_rates()
    return {
        "scorecard": charts.scorecard(classification),
        "rates_by_unit": charts.rates_by_unit(unit_rates),
        "reporting_timeliness": charts.reporting_timeliness(unit_rates),
        "overdue_ageing": charts.overdue_ageing(classification),
        "trend": charts.trend(make_trend()),
        "by_section": charts.by_section(classification),
    }


def flat(values) -> list:
    """Strings of a trace attribute, nested lists flattened."""
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    out = []
    for v in values:
        out += flat(v) if isinstance(v, (list, tuple)) else ([v] if isinstance(v, str) else [])
    return out


def visible_text(fig) -> list[str]:
    """Everything a reader of the figure can see: titles, ticks, legend, labels, hover."""
    layout = fig.layout
    texts = [layout.title.text or "", layout.legend.title.text or ""]
    for axis in (layout.xaxis, layout.yaxis):
        texts += [axis.title.text or "", *flat(axis.ticktext)]
    texts += [a.text for a in layout.annotations]
    for trace in fig.data:
        if trace.showlegend is not False:
            texts.append(trace.name or "")
        texts += flat(trace.text) + flat(trace.hovertext)
    return [t for t in texts if t]


def trace(fig, name):
    (found,) = [t for t in fig.data if t.name == name]
    return found


def legend(fig) -> list[tuple[str, str]]:
    """(name, colour) of every legend entry, in order."""
    return [(t.name, t.marker.color) for t in fig.data if t.showlegend is not False]


EVERY_CLASSIFICATION = [
    (CLASSIFICATION_LABELS[c], charts.CLASSIFICATION_COLORS[c]) for c in CLASSIFICATIONS
]


def heatmap_color(fig, z: int) -> str:
    """The colour a discrete heat map gives to the integer ``z``."""
    heat = fig.data[0]
    position = (z - heat.zmin) / (heat.zmax - heat.zmin)
    for (low, color), (high, _) in zip(heat.colorscale[::2], heat.colorscale[1::2], strict=True):
        if low <= position <= high:
            return color
    raise AssertionError(position)


# --- every figure -------------------------------------------------------------


@pytest.mark.parametrize("name", list(all_figures()))
def test_common_layout(name):
    fig = all_figures()[name]
    assert fig.layout.template == pio.templates["plotly_white"]
    assert fig.layout.separators == ",."
    assert "Times New Roman" in fig.layout.font.family
    assert fig.layout.height >= 360
    assert fig.to_json()


@pytest.mark.parametrize("name", list(all_figures()))
def test_no_network_urls(name):
    urls = re.findall(r"https?://[^\s\"'\\]+", all_figures()[name].to_json())
    assert [u for u in urls if not re.match(r"https?://(plot\.ly|plotly\.com)/", u)] == []


VIETNAMESE_LETTER = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỷỹỵ]")

ENGLISH = re.compile(
    r"\b(nan|none|null|true|false|rate|unit|task|count|overdue|section|period|"
    r"completion|completed|submitted|deadline|days?|undefined|lagging|reported)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("name", list(all_figures()))
def test_visible_text_is_vietnamese(name):
    fig = all_figures()[name]
    texts = visible_text(fig)
    assert fig.layout.title.text
    for text in texts:
        assert unicodedata.is_normalized("NFC", text), text
        assert not ENGLISH.search(text), text
    # Every title carries Vietnamese letters.
    assert re.search(
        r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỷỹỵ]", fig.layout.title.text
    )


def test_custom_title_is_used():
    fig = charts.by_section(make_classification(), title="Quý IV năm 2024: theo mục")
    assert fig.layout.title.text == "Quý IV năm 2024: theo mục"


def test_height_grows_with_the_number_of_units():
    units = {f"u{i}": (f"Đảng ủy {i}", "dang-uy-truc-thuoc", "huyen", i) for i in range(40)}
    many = {(u, "IV.1"): ("recurring_reported", None, None) for u in units}
    small = charts.scorecard(make_classification())
    large = charts.scorecard(make_classification(many, units))
    assert large.layout.height > small.layout.height


def test_palette_covers_every_code_and_bucket_with_distinct_colours():
    assert list(charts.CLASSIFICATION_COLORS) == list(CLASSIFICATIONS)
    assert len(set(charts.CLASSIFICATION_COLORS.values())) == len(CLASSIFICATIONS)
    assert list(charts.AGE_COLORS) == [b[0] for b in AGE_BUCKETS]
    assert len(set(charts.AGE_COLORS.values())) == len(AGE_BUCKETS)


# --- scorecard ----------------------------------------------------------------


def test_scorecard_orders_units_officially_and_tasks_by_catalogue():
    fig = charts.scorecard(make_classification())
    heat = fig.data[0]
    assert list(heat.y) == OFFICIAL
    assert list(fig.layout.yaxis.categoryarray) == OFFICIAL
    assert list(fig.layout.yaxis.ticktext) == [UNITS[u][0] for u in OFFICIAL]
    assert fig.layout.yaxis.autorange == "reversed"  # first unit on top
    assert list(heat.x) == CATALOGUE


def test_scorecard_colours_each_cell_by_its_classification():
    fig = charts.scorecard(make_classification())
    heat = fig.data[0]
    for (unit, task), (code, _, _) in PAIRS.items():
        z = heat.z[list(heat.y).index(unit)][list(heat.x).index(task)]
        assert heatmap_color(fig, z) == charts.CLASSIFICATION_COLORS[code], (unit, task)
    blank = heat.z[OFFICIAL.index("huyen-b")][CATALOGUE.index("III.2.10.1")]
    assert blank is None


def test_scorecard_legend_has_every_present_classification_in_order():
    fig = charts.scorecard(make_classification())
    assert legend(fig) == [
        (CLASSIFICATION_LABELS[c], charts.CLASSIFICATION_COLORS[c]) for c in CLASSIFICATIONS
    ]
    without = {k: v for k, v in PAIRS.items() if v[0] != "not_reported"}
    names = [name for name, _ in legend(charts.scorecard(make_classification(without)))]
    assert CLASSIFICATION_LABELS["not_reported"] not in names
    assert len(names) == len(CLASSIFICATIONS) - 1


def test_scorecard_hover_names_unit_task_label_due_date_and_days_overdue():
    heat = charts.scorecard(make_classification()).data[0]
    hover = heat.hovertext[OFFICIAL.index("ban-tg")][CATALOGUE.index("III.2.9.1")]
    assert "Ban Tuyên giáo Tỉnh ủy" in hover
    assert "III.2.9.1" in hover
    assert "Chưa hoàn thành, quá hạn" in hover
    assert "16/11/2024" in hover
    assert "45 ngày" in hover
    assert heat.hovertext[OFFICIAL.index("huyen-b")][CATALOGUE.index("III.2.10.1")] is None
    no_deadline = heat.hovertext[0][0]
    assert "Không có thời hạn" in no_deadline and "Thời hạn: không có" in no_deadline


def test_scorecard_refuses_unknown_codes_missing_columns_and_duplicates():
    frame = make_classification()
    with pytest.raises(Nq28Error, match="done"):
        charts.scorecard(
            frame.assign(classification=frame["classification"].replace("done_on_time", "done"))
        )
    with pytest.raises(Nq28Error, match="due_date"):
        charts.scorecard(frame.drop(columns="due_date"))
    with pytest.raises(Nq28Error, match="lặp lại"):
        charts.scorecard(pd.concat([frame, frame.iloc[:1]]))


def test_empty_frames_give_a_figure_that_says_so():
    empty = make_classification().iloc[:0]
    for fig in (charts.scorecard(empty), charts.by_section(empty), charts.overdue_ageing(empty)):
        assert [a.text for a in fig.layout.annotations]
        assert fig.to_json()
    assert charts.overdue_ageing(empty).layout.annotations[0].text == "Không có nhiệm vụ quá hạn"


# --- rates by unit ------------------------------------------------------------


def test_rates_by_unit_sorted_worst_first_undefined_last():
    fig = charts.rates_by_unit(make_unit_rates())
    order = ["ban-tg", "ban-tc", "huyen-b", "huyen-a"]
    assert list(fig.layout.yaxis.categoryarray) == order
    assert list(fig.layout.yaxis.ticktext) == [UNITS[u][0] for u in order]
    assert fig.layout.title.text == "Tỷ lệ hoàn thành theo đơn vị"


def test_rates_by_unit_highlights_lagging_units_by_colour_and_mark():
    fig = charts.rates_by_unit(make_unit_rates())
    lagging, others = trace(fig, "Đơn vị chậm tiến độ"), trace(fig, "Các đơn vị khác")
    assert list(lagging.y) == ["ban-tg"]
    assert list(lagging.text) == ["50% ⚠"]
    assert list(others.y) == ["ban-tc", "huyen-b"]
    assert list(others.text) == ["85,5%", "100%"]
    assert lagging.marker.color != others.marker.color
    assert "⚠" in lagging.hovertext[0]


def test_rates_by_unit_lists_units_without_a_rate_without_a_bar():
    fig = charts.rates_by_unit(make_unit_rates())
    bars = [t for t in fig.data if t.type == "bar"]
    assert all("huyen-a" not in t.y for t in bars)
    (words,) = [t for t in fig.data if t.type == "scatter"]
    assert list(words.y) == ["huyen-a"]
    assert list(words.text) == ["chưa có số liệu"]


def test_rates_by_unit_hover_and_axis_are_in_percent():
    fig = charts.rates_by_unit(make_unit_rates())
    hover = trace(fig, "Các đơn vị khác").hovertext[0]
    assert "Tỷ lệ hoàn thành: 85,5%" in hover
    assert "Ban Tổ chức Tỉnh ủy" in hover
    assert list(fig.layout.xaxis.ticktext) == ["0%", "20%", "40%", "60%", "80%", "100%"]


def test_rates_by_unit_other_rates_and_unknown_rate():
    fig = charts.rates_by_unit(make_unit_rates(), rate="on_time_rate")
    assert fig.layout.title.text == "Tỷ lệ hoàn thành đúng hạn theo đơn vị"
    with pytest.raises(UsageError, match="reporting_rate"):
        charts.rates_by_unit(make_unit_rates(), rate="reporting_rate")


# --- reporting timeliness -----------------------------------------------------


def test_reporting_timeliness_order_colours_and_labels():
    fig = charts.reporting_timeliness(make_unit_rates())
    assert list(fig.layout.yaxis.categoryarray) == ["huyen-a", "ban-tg", "huyen-b", "ban-tc"]
    assert [name for name, _ in legend(fig)] == ["Chưa nộp", "Nộp trễ hạn", "Nộp đúng hạn"]
    missing, late, on_time = (trace(fig, n) for n in ("Chưa nộp", "Nộp trễ hạn", "Nộp đúng hạn"))
    assert list(missing.y) == ["huyen-a"] and list(missing.text) == ["Chưa nộp"]
    assert list(late.x) == [5] and list(late.text) == ["Muộn 5 ngày"]
    assert list(on_time.x) == [0, -2]
    assert list(on_time.text) == ["Đúng ngày hạn", "Sớm 2 ngày"]
    assert len({missing.marker.color, late.marker.color, on_time.marker.color}) == 3
    assert "Hạn nộp: 10/01/2025" in late.hovertext[0]
    assert "Ngày nộp: 15/01/2025" in late.hovertext[0]
    assert fig.layout.annotations[0].text == "Hạn nộp 10/01/2025"


def test_reporting_timeliness_trusts_the_metrics_on_time_flag():
    rates = RATES | {"ban-tc": (0.855, False, 3, True, True, date(2025, 1, 11))}
    fig = charts.reporting_timeliness(make_unit_rates(rates))
    on_time = trace(fig, "Nộp đúng hạn")
    assert "ban-tc" in on_time.y
    assert on_time.text[list(on_time.y).index("ban-tc")] == "Muộn 1 ngày"


# --- overdue ageing -----------------------------------------------------------


def test_overdue_ageing_counts_per_bucket_and_unit():
    fig = charts.overdue_ageing(make_classification())
    labels = [b[0] for b in AGE_BUCKETS]
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == labels
    assert [t.marker.color for t in bars] == [charts.AGE_COLORS[b] for b in labels]
    assert list(fig.layout.yaxis.categoryarray) == ["huyen-a", "ban-tg"]  # most overdue first
    assert [list(t.x) for t in bars] == [[1, 0], [0, 1], [1, 0]]
    assert [list(t.text) for t in bars] == [["1", None], [None, "1"], ["1", None]]
    (totals,) = [t for t in fig.data if t.type == "scatter"]
    assert list(totals.text) == ["2", "1"]
    assert "III.2.10.1" in bars[2].hovertext[0]
    assert "Huyện ủy Ba Tơ" in bars[2].hovertext[0]


def test_overdue_ageing_bucket_boundaries():
    pairs = {
        ("ban-tc", task): ("overdue", None, overdue_days)
        for task, overdue_days in zip(CATALOGUE, (30, 31, 90, 91), strict=True)
    }
    bars = [t for t in charts.overdue_ageing(make_classification(pairs)).data if t.type == "bar"]
    assert [list(t.x) for t in bars] == [[1], [2], [1]]


def test_overdue_ageing_refuses_an_overdue_pair_without_days():
    pairs = PAIRS | {("ban-tg", "III.2.9.1"): ("overdue", None, None)}
    with pytest.raises(Nq28Error, match="ban-tg"):
        charts.overdue_ageing(make_classification(pairs))


# --- trend --------------------------------------------------------------------


def test_trend_sorts_quarters_and_leaves_a_gap_for_a_missing_rate():
    fig = charts.trend(make_trend())
    assert [t.name for t in fig.data] == [charts.RATE_LABELS[r] for r in charts.RATE_LABELS][:4]
    recurring = trace(fig, "Tỷ lệ nhiệm vụ thường xuyên có kết quả")
    assert list(recurring.x) == ["Quý II năm 2024", "Quý III năm 2024", "Quý IV năm 2024"]
    assert list(recurring.y) == [0.3, None, 0.4]
    assert recurring.connectgaps is False
    assert "Quý II năm 2024<br>Tỷ lệ hoàn thành: 85,5%" in trace(fig, "Tỷ lệ hoàn thành").hovertext


def test_trend_axis_and_styles():
    fig = charts.trend(make_trend(), rates=tuple(charts.RATE_LABELS))
    assert list(fig.layout.yaxis.ticktext) == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] >= 1
    assert len({t.marker.symbol for t in fig.data}) == len(fig.data) == 5
    assert len({t.line.dash for t in fig.data}) == 5
    assert all(t.mode == "lines+markers" for t in fig.data)
    with pytest.raises(UsageError):
        charts.trend(make_trend(), rates=("overdue_count",))


# --- by section ---------------------------------------------------------------


def test_by_section_orders_sections_by_catalogue_and_stacks_classifications():
    fig = charts.by_section(make_classification())
    assert list(fig.layout.yaxis.categoryarray) == SECTIONS
    assert list(fig.layout.yaxis.ticktext) == [f"Mục {s}" for s in SECTIONS]
    assert legend(fig) == [
        (CLASSIFICATION_LABELS[c], charts.CLASSIFICATION_COLORS[c]) for c in CLASSIFICATIONS
    ]
    assert fig.layout.barmode == "stack"
    overdue = trace(fig, CLASSIFICATION_LABELS["overdue"])
    assert list(overdue.x) == [0, 2, 1, 0]
    assert list(overdue.text) == [None, "2", "1", None]
    assert "Chưa hoàn thành, quá hạn: 2/4 lượt (50%)" in overdue.hovertext[1]
    assert overdue.hovertext[0] is None  # no segment, nothing to hover
    (totals,) = [t for t in fig.data if t.type == "scatter"]
    assert list(totals.text) == ["4", "4", "3", "4"]
