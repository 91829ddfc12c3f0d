"""The sections of the HTML report, each one call from the report notebook.

Every method returns an :class:`IPython.display.HTML` built here: tables and
text are escaped (a submission's ``<script>`` stays text), charts are plotly
``<div>``s that draw with the plotly.js the exported page embeds once.

    view = report_view(period="2024-Q2", ...)
    view.title()           # then view.key_figures(), view.ranking(), ...
"""

from __future__ import annotations

import html
import pickle
from pathlib import Path

import pandas as pd
from IPython.display import HTML

from ..common.formatting import day, number
from ..common.project import find_project
from ..common.tables import parse_date
from ..reference.catalog import load_catalog
from . import charts, present
from .data import ReportData, gather
from .present import RANKING_KEYS, SAMPLE_BANNER, ranking

__all__ = ["ReportView", "report_view"]

#: The trend's columns on the page.
_TREND_KEYS = (
    "period",
    "reporting_rate",
    "completion_rate",
    "on_time_rate",
    "recurring_rate",
    "overdue_count",
    "completed_in_period",
    "overdue_new_in_period",
)


#: The results' columns on the page (the section and the task head each group),
#: and their widths in per cent of the page.
_RESULT_KEYS = (
    "period",
    "unit",
    "status",
    "result",
    "evidence",
    "difficulties",
    "proposals",
)
_RESULT_WIDTHS = (9, 13, 9, 25, 16, 14, 14)
#: A task with at most this many rows of results is shown open, others collapsed.
_OPEN_ROWS = 3
#: Characters of a task's text in the line that opens its results.
_TASK_CHARS = 160


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(frame: pd.DataFrame, css: str = "") -> str:
    """An escaped HTML table of a DataFrame of display strings."""
    head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return f'<table class="data {css}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _figure(fig) -> HTML:
    return HTML(
        fig.to_html(
            full_html=False,
            include_plotlyjs=False,
            config={"displaylogo": False, "responsive": True},
        )
    )


class ReportView:
    """The report's sections for one :class:`ReportData`."""

    def __init__(self, data: ReportData):
        self.data = data
        self.metrics = data.metrics

    # --- header ---------------------------------------------------------------------

    def title(self) -> HTML:
        d = self.data
        issuer = d.catalog.settings.issuer_of(d.kind)
        parent = f"{_e(issuer.parent)}<br>" if issuer.parent else ""
        banner = f'<div class="sample">{_e(SAMPLE_BANNER)}</div>' if d.sample else ""
        return HTML(
            f"{banner}<div class='issuer'>{parent}<b>{_e(issuer.name)}</b>"
            f"</div><h1>{_e(d.title)}</h1><p class='asof'>Số liệu tính đến ngày "
            f"{_e(day(d.as_of))}.</p>"
        )

    def key_figures(self) -> HTML:
        figures = present.key_figures(self.metrics)
        notes = "".join(f"<p class='note'>{_e(n)}</p>" for n in figures.notes)
        return HTML(_table(figures.frame(), "figures") + notes)

    # --- results ----------------------------------------------------------------------

    def classification(self) -> HTML:
        return HTML(_table(present.classification_counts(self.metrics).frame()))

    def by_section_chart(self) -> HTML:
        return _figure(charts.by_section(self.metrics.table))

    def ranking(self) -> HTML:
        section = ranking(self.metrics)
        frame = section.frame(RANKING_KEYS)
        notes = "".join(f"<p class='note'>{_e(n)}</p>" for n in section.notes)
        return HTML(_table(frame, "ranking") + notes)

    def rates_chart(self) -> HTML:
        return _figure(charts.rates_by_unit(self.metrics.units, "completion_rate"))

    def lagging(self) -> HTML:
        section = present.lagging(self.metrics)
        missing = self.metrics.missing_units()
        parts = [f"<p>{_e(present.lag_formula())}</p>"]
        if not section.rows:
            parts.append(f"<p>{_e(section.empty)}</p>")
        else:
            items = "".join(
                f"<li><b>{_e(unit)}</b> (điểm {_e(number(score, 1))}; {_e(rank)}): "
                f"{_e(reasons)}.</li>"
                for unit, score, rank, reasons in section.rows
            )
            parts.append(f"<p>{_e(section.notes[0])}</p><ul>{items}</ul>")
        if not missing.empty:
            names = ", ".join(_e(n) for n in missing["unit_name"])
            parts.append(f"<p>Các đơn vị chưa nộp báo cáo: {names}.</p>")
        return HTML("".join(parts))

    def timeliness_chart(self) -> HTML:
        return _figure(charts.reporting_timeliness(self.metrics.units))

    def overdue(self) -> HTML:
        section = present.overdue(self.metrics, self.data.catalog)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        keys = ("unit", "task_id", "task", "due_date", "days_overdue", "age", "verdict")
        return HTML(_table(section.frame(keys), "overdue"))

    def verdicts(self) -> HTML:
        section = present.verdicts(self.metrics)
        notes = "".join(f"<p>{_e(n)}</p>" for n in section.notes)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>{notes}")
        keys = ("unit", "task_id", "verdict", "correction", "reason", "classification")
        return HTML(notes + _table(section.frame(keys)))

    def overdue_chart(self) -> HTML:
        if self.metrics.overdue().empty:
            return HTML("")
        return _figure(charts.overdue_ageing(self.metrics.table))

    def recurring(self) -> HTML:
        section = present.recurring(self.metrics)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        notes = "".join(f"<p class='note'>{_e(n)}</p>" for n in section.notes)
        return HTML(_table(section.frame()) + notes)

    def pending(self) -> HTML:
        section = present.pending(self.data.pending, self.data.as_of)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        notes = "".join(f"<p>{_e(n)}</p>" for n in section.notes)
        keys = ("task_id", "task", "waits_for", "units", "state", "line")
        return HTML(notes + _table(section.frame(keys), "pending"))

    def texts(self) -> HTML:
        section = present.texts(self.data)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        said = {c.key: c.label for c in section.columns}
        parts = []
        by_unit: dict[str, list[str]] = {}
        for row in section.rows:
            r = dict(zip((c.key for c in section.columns), row, strict=True))
            items = by_unit.setdefault(r["unit"], [])
            for key in ("difficulties", "proposals"):
                if r[key]:
                    items.append(
                        f"<li><i>{_e(said[key])} ({_e(r['task_id'])}, {_e(r['period'])}):</i> "
                        f"<q>{_e(r[key])}</q></li>"
                    )
        for unit, items in by_unit.items():
            parts.append(f"<h4>{_e(unit)}</h4><ul>{''.join(items)}</ul>")
        return HTML("".join(parts))

    # --- units of the same kind ------------------------------------------------------------

    def kinds(self) -> HTML:
        """The kinds of unit side by side: counts summed, rates on the sums."""
        section = present.kinds(self.metrics)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        notes = "".join(f"<p class='note'>{_e(n)}</p>" for n in section.notes)
        return HTML(_table(section.frame(), "kinds") + notes)

    def kinds_chart(self) -> HTML:
        return _figure(charts.kind_comparison(self.metrics.units))

    def kind_ranking(self) -> HTML:
        """The ranking within each kind, one table per kind (lagging rows marked)."""
        section = present.kind_ranking(self.metrics)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        keys = [c.key for c in section.columns if c.key != "kind"]
        frame = section.frame(keys)
        kinds = section.column("kind")
        parts = [f"<p class='note'>{_e(n)}</p>" for n in section.notes]
        start = 0
        while start < len(kinds):
            end = start
            while end < len(kinds) and kinds[end] == kinds[start]:
                end += 1
            parts.append(f"<h4>{_e(kinds[start])}</h4>")
            parts.append(_table(frame.iloc[start:end], "ranking"))
            start = end
        return HTML("".join(parts))

    # --- results and evidence by section and task -------------------------------------------

    def results(self) -> HTML:
        """Every text the units wrote on a task, by program section, then task
        (collapsed when it has more than :data:`_OPEN_ROWS` rows), then quarter and unit."""
        section = present.results(self.data.results, self.data.catalog)
        notes = "".join(f"<p class='note'>{_e(n)}</p>" for n in section.notes)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        frame = section.frame(_RESULT_KEYS)
        head = "".join(f"<th>{_e(c)}</th>" for c in frame.columns)
        cols = "".join(f'<col style="width:{w}%">' for w in _RESULT_WIDTHS)
        headings, tasks, texts, names = (
            section.column("section"),
            section.column("task_id"),
            section.column("task"),
            section.column("unit"),
        )
        cells = [
            "<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>"
            for row in frame.itertuples(index=False)
        ]
        parts, start = [notes], 0
        while start < len(tasks):
            end = start
            while end < len(tasks) and tasks[end] == tasks[start]:
                end += 1
            if start == 0 or headings[start] != headings[start - 1]:
                parts.append(f"<h3>{_e(headings[start])}</h3>")
            count = end - start
            units = len(set(names[start:end]))
            opened = " open" if count <= _OPEN_ROWS else ""
            short = present.short_text(texts[start], _TASK_CHARS)
            parts.append(
                f'<details class="task"{opened}><summary><b>{_e(tasks[start])}</b> '
                f"{_e(short)} <i>({_e(number(units))} đơn vị, "
                f"{_e(number(count))} lượt)</i></summary>"
                f'<table class="data results"><colgroup>{cols}</colgroup><thead><tr>{head}'
                f"</tr></thead><tbody>{''.join(cells[start:end])}</tbody></table></details>"
            )
            start = end
        return HTML("".join(parts))

    # --- reviews ------------------------------------------------------------------------

    def trend_chart(self) -> HTML:
        if self.data.trend.empty:
            return HTML("")
        return _figure(charts.trend(self.data.trend))

    def trend_table(self) -> HTML:
        if self.data.trend.empty:
            return HTML("")
        section = present.trend(self.data.trend)
        return HTML(_table(section.frame(_TREND_KEYS)))

    def consistent(self) -> HTML:
        section = present.consistent(self.data)
        if not section.rows:
            return HTML(f"<p>{_e(section.empty)}</p>")
        names = ", ".join(section.column("unit"))
        return HTML(f"<p>{_e(section.notes[0])}</p><p>{_e(names)}.</p>")

    # --- appendix -------------------------------------------------------------------------

    def quality(self) -> HTML:
        section = present.quality(self.data)
        keys = ("file", "unit", "disposition", "errors", "warnings", "reason")
        reverted = self.metrics.table[self.metrics.table["reverted"]]
        note = ""
        if not reverted.empty:
            pairs = ", ".join(
                f"{_e(r.unit_name)} ({_e(r.task_id)})" for r in reverted.itertuples(index=False)
            )
            note = (
                f"<p>{len(reverted)} nhiệm vụ đã báo cáo hoàn thành nhưng kỳ sau lại báo "
                f"chưa hoàn thành (vẫn tính là hoàn thành): {pairs}.</p>"
            )
        later = present.left_out(self.metrics, self.data.catalog)
        dated = present.as_of_words(self.metrics, self.data.catalog)
        if dated:
            note += f"<p>{_e(dated)}</p>"
        if later.rows:
            note += f"<p>{_e(later.notes[0])}</p>" + _table(later.frame())
        return HTML(f"<p>{_e(section.notes[0])}</p>{note}" + _table(section.frame(keys)))

    def provenance(self) -> HTML:
        i = self.data.inputs
        listing = "".join(
            f"<li><code>{_e(f)}</code> — SHA-256 <code>{_e(h)}</code></li>" for f, h in i["files"]
        )
        return HTML(
            f"<p>Tính đến ngày: {_e(day(self.data.as_of))}. Số tệp gốc: {_e(i['raw_files'])}; "
            f"dấu vân tay dữ liệu (SHA-256): <code>{_e(i['sha256'])}</code>; danh mục nhiệm vụ: "
            f"<code>{_e(i['catalog_checksum'])}</code>.</p><details><summary>Các tệp báo cáo "
            f"của kỳ</summary><ul>{listing}</ul></details>"
        )


def report_view(
    period: str,
    kind: str = "",
    start: str = "",
    as_of: str = "",
    data_dir: str = "",
    raw: str = "",
    processed: str = "",
    data_file: str = "",
) -> ReportView:
    """Gather the report's data from plain parameters (strings, empty = default).

    ``data_file`` is what ``nq28 report`` gathered once for the HTML, the
    annex and the draft alike (see :func:`~.report.render`): it is read as it
    is, so that the three cannot disagree."""
    if data_file:
        return ReportView(pickle.loads(Path(data_file).read_bytes()))
    project = find_project(data_dir or None)
    data = gather(
        load_catalog(project.reference),
        Path(raw) if raw else project.raw,
        Path(processed) if processed else project.processed,
        period,
        kind or None,
        start or None,
        parse_date(as_of) if as_of else None,
    )
    return ReportView(data)
