"""Plotly figures shared by the notebooks and the report.

Every builder takes frames produced by :mod:`nq28_analysis.metrics` and
returns a :class:`plotly.graph_objects.Figure`. Nothing is read, written or
fetched; a title that needs a date or a period is passed in by the caller.
Everything a reader sees (titles, axes, legends, bar labels, hover text) is
Vietnamese, and every number is written by :mod:`nq28_analysis.common.formatting`.

Colours come from the Okabe–Ito palette (Okabe & Ito, *Color Universal
Design*, 2008), whose eight colours stay distinguishable with protanopia,
deuteranopia and tritanopia, plus two greys for the pairs that are not yet
due or have no deadline. Colour is never the only cue: every trace is named
in the legend, bars carry text labels, hover text names the classification,
lagging units carry "⚠", and the lines of :func:`trend` also differ by
marker and dash.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from ..common.errors import Nq28Error, UsageError
from ..common.formatting import as_date, day, days, is_missing, number, percent
from ..metrics import (
    AGE_BUCKETS,
    CLASSIFICATION_LABELS,
    CLASSIFICATIONS,
    LAGGING_SCORE,
    age_bucket,
    within_kind,
)
from .present import (
    AGE_COLORS,
    CLASSIFICATION_COLORS,
    RATE_LABELS,
    SUBMISSION_WORDS,
    kind_rank_words,
    kind_words,
    text_color,
)

__all__ = [
    "AGE_COLORS",
    "CLASSIFICATION_COLORS",
    "FONT_FAMILY",
    "RATE_LABELS",
    "by_section",
    "kind_comparison",
    "overdue_ageing",
    "rates_by_unit",
    "reporting_timeliness",
    "scorecard",
    "text_color",
    "trend",
]

#: A font family with Vietnamese glyphs on office machines.
FONT_FAMILY = "Times New Roman, Arial, sans-serif"

_UNIT_RATES = ("completion_rate", "on_time_rate", "recurring_rate")

# Counts shown in the hover text of rates_by_unit, per rate.
_RATE_COUNTS: dict[str, tuple[tuple[str, str], ...]] = {
    "completion_rate": (("due_pairs", "Nhiệm vụ đến hạn"), ("completed", "Đã hoàn thành")),
    "on_time_rate": (
        ("due_pairs", "Nhiệm vụ đến hạn"),
        ("completed_on_time", "Hoàn thành đúng hạn"),
        ("overdue", "Chưa hoàn thành, quá hạn"),
    ),
    "recurring_rate": (
        ("recurring_pairs", "Nhiệm vụ thường xuyên"),
        ("recurring_reported", "Có kết quả trong kỳ"),
    ),
}

# Line colour, marker symbol and dash of each rate in trend().
_RATE_STYLES: dict[str, tuple[str, str, str]] = {
    "completion_rate": ("#0072B2", "circle", "solid"),
    "on_time_rate": ("#009E73", "square", "dash"),
    "recurring_rate": ("#E69F00", "diamond", "dot"),
    "reporting_rate": ("#CC79A7", "triangle-up", "dashdot"),
    "on_time_reporting_rate": ("#56B4E9", "x", "longdash"),
}

_LAGGING = "⚠"
_LAGGING_COLOR = "#D55E00"  # vermillion
_OTHER_COLOR = "#0072B2"  # blue

# Submission status: legend name, colour, marker symbol (None: drawn as a bar).
_SUBMISSION: dict[str, tuple[str, str, str | None]] = {
    "missing": (SUBMISSION_WORDS["missing"], "#000000", "x"),
    "undated": (SUBMISSION_WORDS["undated"], "#999999", "circle-open"),
    "late": (SUBMISSION_WORDS["late"], "#D55E00", None),
    "on_time": (SUBMISSION_WORDS["on_time"], "#009E73", None),
}

_UNIT_COLUMNS = ("unit_id", "unit_name", "unit_order")
_PAIR_COLUMNS = (*_UNIT_COLUMNS, "task_id", "task_order", "section", "classification")


# --- shared helpers -----------------------------------------------------------


def _require(frame: pd.DataFrame, columns: Iterable[str], name: str) -> pd.DataFrame:
    """``frame`` if it has ``columns``; an error naming the missing ones otherwise."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise Nq28Error(f"Bảng «{name}» thiếu cột: {', '.join(missing)}")
    return frame


def _pairs(classification: pd.DataFrame, extra: Sequence[str] = ()) -> pd.DataFrame:
    """The classification frame, checked: required columns, known codes."""
    frame = _require(classification, (*_PAIR_COLUMNS, *extra), "classification")
    unknown = sorted(set(frame["classification"].dropna()) - set(CLASSIFICATIONS))
    if unknown or frame["classification"].isna().any():
        shown = ", ".join(unknown) or "(trống)"
        raise Nq28Error(f"Mã phân loại không có trong danh mục: {shown}")
    return frame


def _rate_label(rate: str, allowed: Sequence[str]) -> str:
    """The Vietnamese name of ``rate``, which must be one of ``allowed``."""
    if rate not in allowed:
        raise UsageError(f"Không có tỷ lệ «{rate}»; chọn một trong: {', '.join(allowed)}")
    return RATE_LABELS[rate]


def _flag(value: object) -> bool:
    """A boolean cell, missing counted as False."""
    return not is_missing(value) and bool(value)


def _height(rows: int) -> int:
    """Figure height in pixels for ``rows`` categories (units, sections)."""
    return max(360, 200 + 28 * rows)


def _percent_axis(top: float = 1.05) -> dict:
    """A 0–100% axis for rates held as 0–1, ticks written "85%"."""
    ticks = [i / 5 for i in range(6)]
    return {
        "range": [0, top],
        "tickmode": "array",
        "tickvals": ticks,
        "ticktext": [percent(t, 0) for t in ticks],
    }


def _category_axis(ids: Sequence[str], names: Sequence[str], title: str = "") -> dict:
    """A category axis in the given order, first on top, showing ``names``."""
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(ids),
        "tickmode": "array",
        "tickvals": list(ids),
        "ticktext": list(names),
        "autorange": "reversed",
        "title": {"text": title},
        "automargin": True,
    }


def _finish(fig: go.Figure, title: str, rows: int = 0, height: int | None = None) -> go.Figure:
    """The layout every figure shares: template, Vietnamese font and separators."""
    fig.update_layout(
        template="plotly_white",
        title={"text": title, "x": 0, "xanchor": "left", "automargin": True},
        font={"family": FONT_FAMILY, "size": 13},
        hoverlabel={"font": {"family": FONT_FAMILY}},
        separators=",.",
        height=height or _height(rows),
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
        margin={"l": 20, "r": 40, "t": 110, "b": 60},
    )
    return fig


def _no_data(title: str, message: str) -> go.Figure:
    """An empty figure that says why it is empty."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _finish(fig, title)


def _totals(y: Sequence[str], totals: Sequence[int]) -> go.Scatter:
    """Text labels "N" at the end of stacked horizontal bars."""
    return go.Scatter(
        x=list(totals),
        y=list(y),
        mode="text",
        text=[number(t) for t in totals],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )


def _units(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of ``frame``, in official order."""
    units = frame.drop_duplicates("unit_id")
    return units.sort_values(["unit_order", "unit_name"], kind="stable")


# --- scorecard ----------------------------------------------------------------


def _pair_hover(row: pd.Series) -> str:
    """Hover text of one (unit, task) cell."""
    code = row["classification"]
    lines = [
        f"<b>{row['unit_name']}</b>",
        f"Nhiệm vụ: {row['task_id']} (mục {row['section']})",
        f"Phân loại: {CLASSIFICATION_LABELS[code]}",
        f"Thời hạn: {day(row['due_date']) or 'không có'}",
    ]
    if not is_missing(row["days_overdue"]):
        lines.append(f"Quá hạn: {days(row['days_overdue'])}")
    return "<br>".join(lines)


def _legend_square(code: str) -> go.Scatter:
    """A legend-only entry: a square of the classification's colour and its label."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={"symbol": "square", "size": 14, "color": CLASSIFICATION_COLORS[code]},
        name=CLASSIFICATION_LABELS[code],
        showlegend=True,
        hoverinfo="skip",
    )


def _discrete_colorscale() -> list[list]:
    """A step colour scale: integer ``i`` gets the colour of CLASSIFICATIONS[i]."""
    n = len(CLASSIFICATIONS)
    scale = []
    for i, code in enumerate(CLASSIFICATIONS):
        color = CLASSIFICATION_COLORS[code]
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def _grid(frame: pd.DataFrame, units: list[str], tasks: list[str]) -> tuple[list, list]:
    """Rows = units, columns = tasks: classification indexes and hover texts (None: no pair)."""
    index = {code: i for i, code in enumerate(CLASSIFICATIONS)}
    cells = frame.assign(
        code=frame["classification"].map(index), hover=frame.apply(_pair_hover, axis=1)
    )
    cells = cells.set_index(["unit_id", "task_id"])
    cells = cells.reindex(pd.MultiIndex.from_product([units, tasks]))
    z = [None if is_missing(v) else int(v) for v in cells["code"]]
    hover = [None if is_missing(v) else v for v in cells["hover"]]
    width = len(tasks)
    return (
        [z[i : i + width] for i in range(0, len(z), width)],
        [hover[i : i + width] for i in range(0, len(hover), width)],
    )


def scorecard(classification: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Units (rows, official order) × tasks (columns, catalogue order), by classification.

    A heat map with a discrete colour scale (code ``i`` of
    ``metrics.CLASSIFICATIONS`` is drawn in its colour), plus one legend
    entry per classification present. A cell without a pair is left blank.
    """
    title = title or "Bảng theo dõi kết quả thực hiện nhiệm vụ của các đơn vị"
    frame = _pairs(classification, ("due_date", "days_overdue"))
    if frame.empty:
        return _no_data(title, "Không có dữ liệu")
    if frame.duplicated(["unit_id", "task_id"]).any():
        raise Nq28Error("Bảng «classification» có cặp đơn vị – nhiệm vụ lặp lại")
    units = _units(frame)
    tasks = frame.drop_duplicates("task_id").sort_values(["task_order", "task_id"])
    z, hover = _grid(frame, list(units["unit_id"]), list(tasks["task_id"]))
    fig = go.Figure(
        go.Heatmap(
            x=list(tasks["task_id"]),
            y=list(units["unit_id"]),
            z=z,
            hovertext=hover,
            hoverinfo="text",
            hoverongaps=False,
            colorscale=_discrete_colorscale(),
            zmin=-0.5,
            zmax=len(CLASSIFICATIONS) - 0.5,
            showscale=False,
            xgap=1,
            ygap=1,
            name="",
            showlegend=False,
        )
    )
    present = set(frame["classification"])
    fig.add_traces([_legend_square(c) for c in CLASSIFICATIONS if c in present])
    fig.update_yaxes(_category_axis(units["unit_id"], units["unit_name"]))
    fig.update_xaxes(type="category", title={"text": "Nhiệm vụ"}, tickangle=-90, automargin=True)
    return _finish(fig, title, rows=len(units))


# --- rates by unit ------------------------------------------------------------


def _rate_hover(row: pd.Series, rate: str) -> str:
    """Hover text of one unit in rates_by_unit."""
    lines = [f"<b>{row['unit_name']}</b>", f"{RATE_LABELS[rate]}: {percent(row[rate])}"]
    lines += [f"{label}: {number(row[column])}" for column, label in _RATE_COUNTS[rate]]
    lines.append(f"Thứ hạng chậm tiến độ: {number(row['lag_rank'])}")
    if _flag(row["lagging"]):
        lines.append(f"{_LAGGING} Đơn vị chậm tiến độ")
    return "<br>".join(lines)


def _rate_text(row: pd.Series, rate: str) -> str:
    """Bar label: "85,5%" or "chưa có số liệu", with "⚠" for a lagging unit."""
    text = percent(row[rate])
    return f"{text} {_LAGGING}" if _flag(row["lagging"]) else text


def _rate_bars(rows: pd.DataFrame, rate: str, name: str, color: str) -> go.Bar:
    """One bar trace of rates_by_unit."""
    return go.Bar(
        orientation="h",
        x=list(rows[rate]),
        y=list(rows["unit_id"]),
        name=name,
        marker={"color": color},
        text=[_rate_text(r, rate) for _, r in rows.iterrows()],
        textposition="outside",
        cliponaxis=False,
        hovertext=[_rate_hover(r, rate) for _, r in rows.iterrows()],
        hoverinfo="text",
    )


def _no_rate(rows: pd.DataFrame, rate: str) -> go.Scatter:
    """Units whose rate is undefined: no bar, only the words "chưa có số liệu"."""
    return go.Scatter(
        x=[0] * len(rows),
        y=list(rows["unit_id"]),
        mode="text",
        text=[_rate_text(r, rate) for _, r in rows.iterrows()],
        textposition="middle right",
        name="Chưa có số liệu",
        showlegend=False,
        hovertext=[_rate_hover(r, rate) for _, r in rows.iterrows()],
        hoverinfo="text",
        cliponaxis=False,
    )


def rates_by_unit(
    unit_rates: pd.DataFrame, rate: str = "completion_rate", title: str | None = None
) -> go.Figure:
    """One horizontal bar per unit, worst first; lagging units in vermillion with "⚠".

    Units with an undefined rate (denominator 0) are listed last, with the
    words "chưa có số liệu" and no bar. Ties go to the more lagging unit,
    then to official order.
    """
    label = _rate_label(rate, _UNIT_RATES)
    title = title or f"{label} theo đơn vị"
    columns = (*_UNIT_COLUMNS, rate, "lag_rank", "lagging", *(c for c, _ in _RATE_COUNTS[rate]))
    frame = _require(unit_rates, columns, "unit_rates")
    if frame.empty:
        return _no_data(title, "Không có dữ liệu")
    frame = frame.assign(**{rate: pd.to_numeric(frame[rate], errors="coerce")})
    frame = frame.sort_values([rate, "lag_rank", "unit_order"], na_position="last", kind="stable")
    defined = frame[rate].notna()
    lagging = frame["lagging"].map(_flag).astype(bool)
    fig = go.Figure()
    for rows, name, color in (
        (frame[defined & lagging], "Đơn vị chậm tiến độ", _LAGGING_COLOR),
        (frame[defined & ~lagging], "Các đơn vị khác", _OTHER_COLOR),
    ):
        if not rows.empty:
            fig.add_trace(_rate_bars(rows, rate, name, color))
    if (~defined).any():
        fig.add_trace(_no_rate(frame[~defined], rate))
    fig.update_yaxes(_category_axis(frame["unit_id"], frame["unit_name"]))
    fig.update_xaxes(_percent_axis(top=1.2), title={"text": label})
    fig.update_layout(barmode="overlay")
    return _finish(fig, title, rows=len(frame))


# --- reporting timeliness -----------------------------------------------------


def _submission(row: pd.Series) -> str:
    """Submission status of one unit: missing, undated, late or on_time.

    The metrics' ``on_time_report`` decides between late and on time; only
    when it is missing does the sign of the delay decide.
    """
    if not _flag(row["reported"]):
        return "missing"
    if is_missing(row["delay"]):
        return "undated"
    if not is_missing(row["on_time_report"]):
        return "on_time" if bool(row["on_time_report"]) else "late"
    return "on_time" if row["delay"] <= 0 else "late"


def _delay_text(delay: int | None) -> str:
    """ "Sớm 3 ngày", "Đúng ngày hạn", "Muộn 5 ngày"; "" when unknown."""
    if is_missing(delay):
        return ""
    if delay == 0:
        return "Đúng ngày hạn"
    return f"{'Muộn' if delay > 0 else 'Sớm'} {days(abs(delay))}"


def _submission_hover(row: pd.Series) -> str:
    """Hover text of one unit in reporting_timeliness."""
    lines = [
        f"<b>{row['unit_name']}</b>",
        f"Hạn nộp: {day(row['deadline'])}",
        f"Ngày nộp: {day(row['submitted']) or 'chưa có'}",
        _SUBMISSION[row["status"]][0],
        _delay_text(row["delay"]),
    ]
    return "<br>".join(line for line in lines if line)


def _submission_trace(rows: pd.DataFrame, status: str) -> go.Bar | go.Scatter:
    """Bars for units that submitted on a known date, markers for the others."""
    name, color, symbol = _SUBMISSION[status]
    hover = [_submission_hover(r) for _, r in rows.iterrows()]
    if symbol is None:
        return go.Bar(
            orientation="h",
            x=list(rows["delay"]),
            y=list(rows["unit_id"]),
            name=name,
            marker={"color": color},
            text=[_delay_text(d) for d in rows["delay"]],
            textposition="outside",
            cliponaxis=False,
            hovertext=hover,
            hoverinfo="text",
        )
    return go.Scatter(
        x=[0] * len(rows),
        y=list(rows["unit_id"]),
        mode="markers+text",
        marker={"symbol": symbol, "size": 11, "color": color},
        text=[name] * len(rows),
        textposition="middle right",
        name=name,
        hovertext=hover,
        hoverinfo="text",
        cliponaxis=False,
    )


def _with_delays(unit_rates: pd.DataFrame) -> pd.DataFrame:
    """unit_rates with deadline, submitted, delay (days, negative = early) and status."""
    frame = unit_rates.assign(
        deadline=unit_rates["submission_deadline"].map(as_date),
        submitted=unit_rates["submitted_on"].map(as_date),
    )
    delays = [
        None if s is None or d is None else (s - d).days
        for s, d in zip(frame["submitted"], frame["deadline"], strict=True)
    ]
    frame = frame.assign(delay=pd.Series(delays, index=frame.index, dtype=object))
    frame = frame.assign(status=frame.apply(_submission, axis=1))
    rank = frame["status"].map({"missing": 0, "undated": 1}).fillna(2)
    late_first = frame["delay"].map(lambda d: 0 if d is None else -d)
    order = frame.assign(_rank=rank, _late=late_first)
    return order.sort_values(["_rank", "_late", "unit_order"], kind="stable")


def reporting_timeliness(unit_rates: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Days between the submission deadline and the submission, per unit.

    Negative is early. Bars are coloured on time / late; units that did not
    submit are listed first with an "x" and the words "Chưa nộp"; then the
    latest submissions, down to the earliest.
    """
    title = title or "Thời gian nộp báo cáo của các đơn vị so với hạn nộp"
    columns = (*_UNIT_COLUMNS, "reported", "on_time_report", "submitted_on", "submission_deadline")
    frame = _require(unit_rates, columns, "unit_rates")
    if frame.empty:
        return _no_data(title, "Không có dữ liệu")
    frame = _with_delays(frame)
    fig = go.Figure()
    for status in _SUBMISSION:
        rows = frame[frame["status"] == status]
        if not rows.empty:
            fig.add_trace(_submission_trace(rows, status))
    known = [d for d in frame["delay"] if d is not None] + [0]
    pad = max(5, 0.3 * (max(known) - min(known)))
    deadlines = {d for d in frame["deadline"] if d is not None}
    mark = "Hạn nộp" + (f" {day(next(iter(deadlines)))}" if len(deadlines) == 1 else "")
    fig.add_vline(x=0, line={"color": "#555555", "dash": "dot"}, annotation_text=mark)
    fig.update_yaxes(_category_axis(frame["unit_id"], frame["unit_name"]))
    fig.update_xaxes(
        range=[min(known) - pad, max(known) + pad],
        title={"text": "Số ngày so với hạn nộp (số âm: nộp trước hạn)"},
        zeroline=False,
    )
    fig.update_layout(barmode="overlay")
    return _finish(fig, title, rows=len(frame))


# --- overdue ageing -----------------------------------------------------------


def _ageing_counts(overdue: pd.DataFrame) -> pd.DataFrame:
    """Per unit: count and task ids per bucket, the total; most overdue first."""
    labels = [b[0] for b in AGE_BUCKETS]
    counts = pd.crosstab(overdue["unit_id"], overdue["bucket"]).reindex(
        columns=labels, fill_value=0
    )
    units = _units(overdue).set_index("unit_id")[["unit_name", "unit_order"]]
    table = units.join(counts).assign(_total=counts.sum(axis=1))
    keys = ["_total", *reversed(labels), "unit_order"]
    table = table.sort_values(keys, ascending=[False] * (len(keys) - 1) + [True], kind="stable")
    return table.reset_index()


def _ageing_hover(overdue: pd.DataFrame, unit: pd.Series, label: str) -> str | None:
    """Hover text of one segment: unit, bucket, count, task ids (None: empty segment)."""
    if not unit[label]:
        return None
    rows = overdue[(overdue["unit_id"] == unit["unit_id"]) & (overdue["bucket"] == label)]
    tasks = ", ".join(rows.sort_values("task_order")["task_id"])
    return "<br>".join(
        [
            f"<b>{unit['unit_name']}</b>",
            f"Quá hạn {label}: {number(unit[label])} nhiệm vụ",
            f"Nhiệm vụ: {tasks}",
        ]
    )


def overdue_ageing(classification: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Overdue pairs per unit, stacked by how long they are overdue.

    One horizontal bar per unit with at least one overdue pair, most overdue
    first (ties: more old pairs first, then official order); one segment per
    bucket of ``metrics.AGE_BUCKETS`` with its count; the total at the end.
    """
    title = title or "Nhiệm vụ chưa hoàn thành, quá hạn theo đơn vị và số ngày quá hạn"
    frame = _pairs(classification, ("days_overdue",))
    overdue = frame[frame["classification"] == "overdue"]
    if overdue.empty:
        return _no_data(title, "Không có nhiệm vụ quá hạn")
    overdue = overdue.assign(bucket=overdue["days_overdue"].map(age_bucket))
    if overdue["bucket"].isna().any():
        bad = overdue[overdue["bucket"].isna()].iloc[0]
        raise Nq28Error(
            f"Cặp quá hạn không có số ngày quá hạn hợp lệ: {bad['unit_id']} – {bad['task_id']}"
        )
    table = _ageing_counts(overdue)
    fig = go.Figure()
    for label, color in AGE_COLORS.items():
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=list(table[label]),
                y=list(table["unit_id"]),
                name=label,
                marker={"color": color},
                text=[number(n) if n else None for n in table[label]],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_color(color)},
                hovertext=[_ageing_hover(overdue, u, label) for _, u in table.iterrows()],
                hoverinfo="text",
            )
        )
    fig.add_trace(_totals(table["unit_id"], table["_total"]))
    fig.update_yaxes(_category_axis(table["unit_id"], table["unit_name"]))
    fig.update_xaxes(title={"text": "Số nhiệm vụ quá hạn"}, rangemode="tozero")
    if table["_total"].max() <= 10:  # small counts: whole-number ticks (never 0,2 nhiệm vụ)
        fig.update_xaxes(tick0=0, dtick=1)
    fig.update_layout(barmode="stack", legend_title_text="Số ngày quá hạn:")
    return _finish(fig, title, rows=len(table))


# --- trend --------------------------------------------------------------------


def _trend_line(frame: pd.DataFrame, rate: str) -> go.Scatter:
    """One rate across quarters; a missing value is a gap (None), not 0."""
    color, symbol, dash = _RATE_STYLES[rate]
    values = [None if is_missing(v) else float(v) for v in frame[rate]]
    return go.Scatter(
        x=list(frame["period_label"]),
        y=values,
        mode="lines+markers",
        name=RATE_LABELS[rate],
        line={"color": color, "dash": dash},
        marker={"symbol": symbol, "size": 9, "color": color},
        connectgaps=False,
        hovertext=[
            f"{p}<br>{RATE_LABELS[rate]}: {percent(v)}"
            for p, v in zip(frame["period_label"], values, strict=True)
        ],
        hoverinfo="text",
    )


def trend(
    trend: pd.DataFrame,
    rates: Sequence[str] = ("completion_rate", "on_time_rate", "recurring_rate", "reporting_rate"),
    title: str | None = None,
) -> go.Figure:
    """Rates across quarters: one line per rate, differing in colour, marker and dash."""
    title = title or "Diễn biến các tỷ lệ qua các quý"
    for rate in rates:
        _rate_label(rate, tuple(RATE_LABELS))
    frame = _require(trend, ("period", "period_label", *rates), "trend")
    if frame.empty:
        return _no_data(title, "Không có dữ liệu")
    frame = frame.sort_values("period", kind="stable")
    fig = go.Figure([_trend_line(frame, rate) for rate in rates])
    fig.update_yaxes(_percent_axis(), title={"text": "Tỷ lệ"})
    fig.update_xaxes(type="category", title={"text": "Kỳ báo cáo"})
    return _finish(fig, title, height=480)


# --- by section ---------------------------------------------------------------


def _section_hover(section: str, label: str, count: int, total: int) -> str | None:
    """Hover text of one segment of by_section (None: empty segment)."""
    if not count:
        return None
    share = percent(count / total) if total else percent(None)
    return f"<b>Mục {section}</b><br>{label}: {number(count)}/{number(total)} lượt ({share})"


def by_section(classification: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Pairs per program section (catalogue order), stacked by classification.

    One segment per classification present, in the order and colours of
    ``metrics.CLASSIFICATIONS``, labelled with its count; totals at the end.
    """
    title = title or "Kết quả thực hiện nhiệm vụ theo mục của Chương trình"
    frame = _pairs(classification)
    if frame.empty:
        return _no_data(title, "Không có dữ liệu")
    order = frame.groupby("section")["task_order"].min().sort_values(kind="stable")
    sections = list(order.index)
    counts = pd.crosstab(frame["section"], frame["classification"]).reindex(sections)
    totals = counts.sum(axis=1)
    fig = go.Figure()
    for code in (c for c in CLASSIFICATIONS if c in counts.columns):
        label, color = CLASSIFICATION_LABELS[code], CLASSIFICATION_COLORS[code]
        column = counts[code]
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=list(column),
                y=sections,
                name=label,
                marker={"color": color},
                text=[number(n) if n else None for n in column],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_color(color)},
                hovertext=[
                    _section_hover(s, label, n, t)
                    for s, n, t in zip(sections, column, totals, strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.add_trace(_totals(sections, totals))
    fig.update_yaxes(_category_axis(sections, [f"Mục {s}" for s in sections]))
    fig.update_xaxes(title={"text": "Số lượt nhiệm vụ của các đơn vị"}, rangemode="tozero")
    fig.update_layout(barmode="stack")
    return _finish(fig, title, rows=len(sections))


# --- units of the same kind ------------------------------------------------------

#: One Okabe–Ito colour per kind of unit, in the order the kinds come.
_KIND_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")


def _kind_hover(row: pd.Series) -> str:
    place = kind_rank_words(row["kind_rank"], row["kind_units"])
    lines = [
        f"<b>{row['unit_name']}</b>",
        f"{kind_words(row['unit_kind'])}: hạng {place}",
        f"Điểm chậm: {number(row['lag_score'], 1)}",
    ]
    lines += [f"{RATE_LABELS[r]}: {percent(row[r])}" for r in _UNIT_RATES]
    lines.append(f"Quá hạn: {number(row['overdue'])}")
    if _flag(row["lagging"]):
        lines.append(f"{_LAGGING} Đơn vị chậm tiến độ")
    return "<br>".join(lines)


def _kind_text(row: pd.Series) -> str:
    """Bar label: "hạng 2/13 · 22,3", with "⚠" for a lagging unit."""
    text = f"hạng {kind_rank_words(row['kind_rank'], row['kind_units'])} · "
    text += number(row["lag_score"], 1)
    return f"{text} {_LAGGING}" if _flag(row["lagging"]) else text


def kind_comparison(
    unit_rates: pd.DataFrame, kind: str | None = None, title: str | None = None
) -> go.Figure:
    """The units compared within their kind: one horizontal bar per unit (its lag
    score, 0–100), grouped kind by kind in official order and, inside a kind,
    the most lagging first; one trace per kind (its colour, named in the legend,
    and its name in every bar's hover text), bars labelled with the place in the
    kind and the score, "⚠" for a lagging unit, a dotted line at the lagging
    threshold. ``kind`` keeps one kind only."""
    title = title or "So sánh điểm chậm giữa các đơn vị cùng loại"
    columns = (*_UNIT_COLUMNS, "unit_kind", "lag_score", "lag_rank", "lagging", "overdue")
    frame = _require(unit_rates, (*columns, *_UNIT_RATES), "unit_rates")
    if kind is not None:
        frame = frame[frame["unit_kind"] == kind]
    frame = within_kind(frame)
    frame = frame[frame["lag_score"].notna()]
    if frame.empty:
        return _no_data(title, "Chưa có số liệu")
    fig = go.Figure()
    for index, (code, rows) in enumerate(frame.groupby("unit_kind", sort=False)):
        fig.add_trace(
            go.Bar(
                orientation="h",
                x=list(rows["lag_score"]),
                y=list(rows["unit_id"]),
                name=kind_words(code),
                marker={
                    "color": _KIND_COLORS[index % len(_KIND_COLORS)],
                    "line": {"color": "#333333", "width": 0.5},
                },
                text=[_kind_text(r) for _, r in rows.iterrows()],
                textposition="outside",
                cliponaxis=False,
                hovertext=[_kind_hover(r) for _, r in rows.iterrows()],
                hoverinfo="text",
            )
        )
    fig.add_vline(
        x=LAGGING_SCORE,
        line={"color": _LAGGING_COLOR, "dash": "dot", "width": 1.5},
        annotation_text=f"Ngưỡng chậm tiến độ ({number(LAGGING_SCORE)})",
        annotation_position="bottom right",
    )
    fig.update_yaxes(_category_axis(frame["unit_id"], frame["unit_name"]))
    fig.update_xaxes(range=[0, 118], title={"text": "Điểm chậm (0–100, càng cao càng chậm)"})
    fig.update_layout(barmode="overlay")
    return _finish(fig, title, rows=len(frame))
