"""What the exploration notebook shows: the ranking, then one unit in depth.

    view = explore("2024-Q2")
    view.ranking()                       # the units, worst first
    detail = view.unit("Ba Tơ")          # any id, name or alias
    detail.overdue, detail.texts, detail.trend
    detail.results                       # its results and evidence, task by task
    view.kind_comparison(detail.unit_id) # its place among the units of its kind

Every table has Vietnamese column names and values formatted the Vietnamese
way; the numbers come from :mod:`.metrics`, nothing is computed here twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..common.errors import UsageError
from ..common.formatting import change, day, days, is_missing, number, percent
from ..common.periods import parse_period
from ..common.project import find_project, sample_reference
from ..common.tables import parse_date
from ..common.text import lower_first
from ..ingest.consolidate import counted
from ..metrics import Metrics, Quarters, compute
from ..metrics.status import current_tables
from ..reference.catalog import Catalog, load_catalog
from .data import results_table
from .present import RANKING_KEYS, headline, kind_ranking, ranking, results, submission_words

__all__ = ["Exploration", "UnitView", "explore"]


@dataclass
class UnitView:
    """One unit in depth: its pairs, overdue tasks, own words and trend; its
    results and evidence task by task over the quarters; its kind."""

    unit_id: str
    name: str
    row: pd.Series
    pairs: pd.DataFrame
    overdue: pd.DataFrame
    texts: pd.DataFrame
    trend: pd.DataFrame
    results: pd.DataFrame = field(default_factory=pd.DataFrame)
    kind: str = ""

    def summary(self) -> str:
        """Two Vietnamese sentences on the unit."""
        r = self.row
        words = submission_words(
            bool(r["reported"]),
            bool(r["on_time_report"]),
            r["submitted_on"],
            r["submission_deadline"],
        )
        when = day(r["submitted_on"]) if r["reported"] else ""
        submitted = lower_first(words) + (f" (ngày {when})" if when else "")
        rank = (
            "chưa xếp hạng (chưa có số liệu)"
            if is_missing(r["lag_rank"])
            else f"hạng {int(r['lag_rank'])} về mức chậm (điểm {number(r['lag_score'], 1)})"
        )
        return (
            f"{self.name}: {rank}, {submitted}. Hoàn thành "
            f"{percent(r['completion_rate'])}, đúng hạn "
            f"{percent(r['on_time_rate'])}, thường xuyên "
            f"{percent(r['recurring_rate'])}; {int(r['overdue'])} nhiệm vụ quá hạn."
        )


@dataclass
class Exploration:
    """A period's metrics, ready for the notebook."""

    catalog: Catalog
    metrics: Metrics
    submissions: pd.DataFrame
    history: list[Metrics] = field(default_factory=list)

    def headline(self) -> str:
        """The period's key figures in one Vietnamese paragraph."""
        return headline(self.metrics)

    def ranking(self) -> pd.DataFrame:
        """Units worst first, with the report's column labels and formatted values."""
        return ranking(self.metrics).frame(RANKING_KEYS).set_index("Hạng")

    def most_lagging(self) -> str:
        """The id of the unit ranked first."""
        return str(self.metrics.units.iloc[0]["unit_id"])

    def unit(self, text: str) -> UnitView:
        """One unit (its id, name or alias) in depth."""
        unit_id = text if text in self.catalog.units else self.catalog.find_unit(text)
        units = self.metrics.units.set_index("unit_id")
        if unit_id is None or unit_id not in units.index:
            raise UsageError(f"Không có đơn vị «{text}» trong các đơn vị phải báo cáo kỳ này.")
        table = self.metrics.table
        mine = table[table["unit_id"] == unit_id]
        pairs = pd.DataFrame(
            {
                "Nhiệm vụ": mine["task_id"],
                "Phân loại": mine["label"],
                "Hạn": mine["due_date"].map(day),
                "Ngày hoàn thành": mine["completed_on"].map(day),
                "Số ngày quá hạn": mine["days_overdue"].map(
                    lambda d: days(None if pd.isna(d) else d)
                ),
            }
        ).reset_index(drop=True)
        late = self.metrics.overdue()
        late = late[late["unit_id"] == unit_id]
        overdue = pd.DataFrame(
            {
                "Nhiệm vụ": late["task_id"],
                "Nội dung": late["task_id"].map(lambda t: self.catalog.task(t).text_vi),
                "Hạn": late["due_date"].map(day),
                "Số ngày quá hạn": late["days_overdue"].map(lambda d: days(int(d))),
                "Nhóm": late["age"],
            }
        ).reset_index(drop=True)
        return UnitView(
            unit_id,
            self.catalog.unit(unit_id).name_vi,
            units.loc[unit_id],
            pairs,
            overdue,
            self._texts(unit_id),
            self._trend(unit_id),
            self._results(unit_id),
            self.catalog.unit(unit_id).kind,
        )

    def _results(self, unit_id: str) -> pd.DataFrame:
        """What the unit wrote on each task, quarter by quarter up to the period
        (the report's words and order: by section, task, then quarter)."""
        subs = self.submissions
        last = self.metrics.period.last_quarter.id
        mine = subs[(subs["unit_id"] == unit_id) & (subs["period"] <= last)] if len(subs) else subs
        quarters = sorted(set(mine["period"])) if len(mine) else []
        section = results(results_table(self.catalog, mine, quarters), self.catalog)
        return section.frame(_UNIT_RESULT_KEYS)

    def kind_comparison(self, unit: str) -> pd.DataFrame:
        """The units of the same kind as ``unit`` (an id, name or alias), the most
        lagging of the kind first, with the report's labels and formats."""
        unit_id = unit if unit in self.catalog.units else self.catalog.find_unit(unit)
        if unit_id is None:
            raise UsageError(f"Không có đơn vị «{unit}».")
        section = kind_ranking(self.metrics, self.catalog.unit(unit_id).kind)
        keys = [c.key for c in section.columns if c.key != "kind"]
        return section.frame(keys).set_index("Hạng trong loại")

    def _texts(self, unit_id: str) -> pd.DataFrame:
        """What the unit wrote under difficulties and proposals, newest first."""
        subs = self.submissions
        if subs.empty:
            return pd.DataFrame(
                columns=["Kỳ", "Nhiệm vụ", "Khó khăn, vướng mắc", "Kiến nghị, đề xuất"]
            )
        mine = subs[
            (subs["unit_id"] == unit_id) & (subs["period"] <= self.metrics.period.last_quarter.id)
        ]
        said = mine[(mine["difficulties"].fillna("") != "") | (mine["proposals"].fillna("") != "")]
        said = said.sort_values(["period", "task_id"], ascending=[False, True])
        return pd.DataFrame(
            {
                "Kỳ": said["period"].map(lambda p: parse_period(p).label_vi),
                "Nhiệm vụ": said["task_id"],
                "Khó khăn, vướng mắc": said["difficulties"].fillna(""),
                "Kiến nghị, đề xuất": said["proposals"].fillna(""),
            }
        ).reset_index(drop=True)

    def _trend(self, unit_id: str) -> pd.DataFrame:
        """The unit's rates quarter by quarter (the columns charts.trend takes)."""
        rows = []
        for result in self.history:
            units = result.units.set_index("unit_id")
            if unit_id not in units.index:
                continue
            r = units.loc[unit_id]
            rows.append(
                {
                    "period": result.period.id,
                    "period_label": result.period.label_vi,
                    "completion_rate": _value(r["completion_rate"]),
                    "on_time_rate": _value(r["on_time_rate"]),
                    "recurring_rate": _value(r["recurring_rate"]),
                    "reporting_rate": 1.0 if r["reported"] else 0.0,
                    "on_time_reporting_rate": 1.0 if r["on_time_report"] else 0.0,
                    "overdue_count": int(r["overdue"]),
                }
            )
        return pd.DataFrame(rows)

    def change_line(self) -> str:
        """How the key rates moved against the previous period."""
        previous = self.metrics.previous
        if previous is None:
            return "Không có kỳ trước để so sánh."
        now, before = self.metrics.summary, previous.summary
        parts = []
        for key, name in (
            ("completion_rate", "hoàn thành"),
            ("reporting_rate", "nộp báo cáo"),
            ("recurring_rate", "thường xuyên"),
        ):
            if now.rate(key) is None or before.rate(key) is None:
                parts.append(f"{name}: chưa có số liệu để so sánh")
            else:
                parts.append(f"{name} {change(now.rate(key) - before.rate(key))}")
        return f"So với {previous.period.label_vi}: " + "; ".join(parts) + "."


#: The columns of a unit's results in the notebook (the unit is the one shown).
_UNIT_RESULT_KEYS = (
    "section",
    "task_id",
    "period",
    "status",
    "completed_on",
    "result",
    "evidence",
    "difficulties",
    "proposals",
)


def _value(value):
    return None if value is None or (isinstance(value, float) and value != value) else value


def explore(
    period: str,
    as_of: str | None = None,
    data_dir: str | Path | None = None,
    raw: str | Path | None = None,
    processed: str | Path | None = None,
) -> Exploration:
    """Load (and ingest if needed) the project's data and compute the period.

    ``as_of`` is an ISO or dd/mm/yyyy date (default: the submission
    deadline, or the latest report of the period received after it); ``raw``
    and ``processed`` default to the project's folders. The demo's
    submissions are read with the demo's own registry, as the commands do.
    """
    project = find_project(data_dir)
    raw = Path(raw) if raw else project.raw
    catalog = load_catalog(sample_reference(raw) or project.reference)
    chosen = parse_period(period, first=catalog.settings.first_period)
    when = parse_date(as_of) if as_of else None
    tables = current_tables(raw, Path(processed) if processed else project.processed, catalog)
    judged = Quarters(catalog, tables.submissions, tables.manifest)
    metrics = compute(catalog, tables.submissions, tables.manifest, chosen, when, quarters=judged)
    history = []
    quarter = catalog.settings.first_period
    while quarter.end <= chosen.last_quarter.end:
        at = judged.as_of(quarter, metrics.as_of)
        history.append(
            compute(
                catalog,
                tables.submissions,
                tables.manifest,
                quarter,
                at,
                with_previous=False,
                quarters=judged,
            )
        )
        quarter = quarter.next()
    return Exploration(catalog, metrics, counted(tables.submissions, metrics.as_of), history)
