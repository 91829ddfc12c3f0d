"""Everything a periodic report shows, gathered once for all three documents.

The HTML report (the notebook), the Excel annex and the Word draft read the
same :class:`ReportData`, so their numbers cannot disagree.

Kinds of report: a regular report for a quarter, a half-year or a year, and
a review (``so-ket`` for a preliminary review, ``tong-ket`` for the final
one) over a span of quarters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ..common.errors import UsageError
from ..common.periods import Period, Span, parse_period, parse_span
from ..common.project import ProcessedFiles, is_sample
from ..common.text import lower_first
from ..forms.template import catalog_checksum
from ..ingest.consolidate import counted, files_at
from ..metrics import Metrics, Quarters, compute, trend
from ..metrics.status import current_tables
from ..reference.catalog import Catalog
from ..reference.pending import PendingTask, pending_events
from ..reference.source import SOURCE_NAME, section_titles

__all__ = ["KIND_TITLES", "RESULT_COLUMNS", "REVIEW_KINDS", "ReportData", "gather", "results_table"]

REVIEW_KINDS = ("so-ket", "tong-ket")
KIND_TITLES = {
    "regular": "Báo cáo kết quả thực hiện",
    "so-ket": "Báo cáo sơ kết việc thực hiện",
    "tong-ket": "Báo cáo tổng kết việc thực hiện",
}


@dataclass
class ReportData:
    """What a report says, computed once.

    ``period`` is the reported period (for a review: the span's last
    quarter, with ``span`` the whole span); ``metrics`` its metrics at
    ``as_of`` (with the previous period's for the changes); ``trend`` the
    rates quarter by quarter (over the span for a review, else from the
    program's first quarter); ``texts`` the units' difficulties and
    proposals for the period; ``results`` every (unit, task, quarter) of the
    period or span whose answer carries any text (:func:`results_table`);
    ``issues`` and ``files`` the data-quality
    appendix; ``inputs`` the provenance (files and hashes, ``as_of``,
    catalogue checksum). ``sample`` is true for the demo's data.
    ``pending`` lists the tasks waiting for an event at ``as_of``
    (:func:`~nq28_analysis.reference.pending.pending_events`).
    """

    catalog: Catalog
    kind: str
    period: Period
    span: Span | None
    as_of: date
    metrics: Metrics
    trend: pd.DataFrame
    consistent: list[str]
    texts: pd.DataFrame
    issues: pd.DataFrame
    files: pd.DataFrame
    inputs: dict
    sample: bool = False
    notes: list[str] = field(default_factory=list)
    results: pd.DataFrame = field(default_factory=lambda: results_table(None, None, []))
    pending: list[PendingTask] = field(default_factory=list)

    @property
    def is_review(self) -> bool:
        return self.kind in REVIEW_KINDS

    @property
    def period_label(self) -> str:
        """``Quý II năm 2024`` or, for a review, ``từ quý IV năm 2022 đến quý II năm 2024``."""
        if self.span is not None:
            return self.span.label_vi
        return self.period.label_vi

    @property
    def title(self) -> str:
        """The document title (Vietnamese), citing the program."""
        what = KIND_TITLES["regular" if not self.is_review else self.kind]
        program = self.catalog.settings.program_citation
        return f"{what} {program}, {lower_first(self.period_label)}"

    @property
    def slug(self) -> str:
        """The folder name of the outputs: ``2024-Q2`` or ``2022-Q4..2024-Q4-so-ket``."""
        if self.span is not None:
            return f"{self.span.id}-{self.kind}"
        return self.period.id


def _texts(catalog: Catalog, submissions: pd.DataFrame, quarters: list[str]) -> pd.DataFrame:
    columns = ["period", "unit_id", "unit_name", "task_id", "difficulties", "proposals"]
    if submissions.empty:
        return pd.DataFrame(columns=columns)
    chosen = submissions[submissions["period"].isin(quarters)].copy()
    said = (chosen["difficulties"].fillna("") != "") | (chosen["proposals"].fillna("") != "")
    chosen = chosen[said]
    chosen["unit_name"] = chosen["unit_id"].map(lambda u: catalog.unit(u).name_vi)
    order = chosen["unit_id"].map(lambda u: catalog.unit(u).order)
    chosen = chosen.assign(_order=order).sort_values(["_order", "unit_id", "period", "task_id"])
    return chosen[columns].fillna("").reset_index(drop=True)


#: The columns of :func:`results_table`, in order.
RESULT_COLUMNS = [
    "section",
    "section_title",
    "task_id",
    "task_order",
    "period",
    "unit_id",
    "unit_name",
    "unit_order",
    "status",
    "completed_on",
    "result",
    "evidence",
    "difficulties",
    "proposals",
]
_TEXTS = ("result", "evidence", "difficulties", "proposals")


def results_table(
    catalog: Catalog | None, submissions: pd.DataFrame | None, quarters: list[str]
) -> pd.DataFrame:
    """The answers of ``quarters`` that say anything (a result, evidence,
    difficulties or proposals), one row per (unit, task, quarter), with the
    task's program section and its heading (``III.2.2``, «Ban Tổ chức Tỉnh
    ủy»), in the program's order: by task, then quarter, then the units'
    official order. ``submissions`` are the answers that count (one version
    per period, unit and task). A task no longer in the catalogue comes last,
    under no section; texts are kept verbatim (empty, never missing)."""
    if catalog is None or submissions is None or submissions.empty:
        return pd.DataFrame(columns=RESULT_COLUMNS)
    chosen = submissions[submissions["period"].isin(quarters)]
    texts = chosen[list(_TEXTS)].fillna("").astype(str)
    chosen = chosen[(texts.apply(lambda c: c.str.strip()) != "").any(axis=1)]
    frame = pd.DataFrame({"task_id": chosen["task_id"], "period": chosen["period"]})
    tasks, units = catalog.tasks, catalog.units
    known = {t: (task.section, task.order) for t, task in tasks.items()}
    frame["section"] = frame["task_id"].map(lambda t: known.get(t, ("", 10**6))[0])
    frame["task_order"] = frame["task_id"].map(lambda t: known.get(t, ("", 10**6))[1])
    titles = section_titles(catalog.folder / SOURCE_NAME)
    frame["section_title"] = frame["section"].map(titles).fillna("")
    frame["unit_id"] = chosen["unit_id"]
    frame["unit_name"] = (
        chosen["unit_id"]
        .map({u: unit.name_vi for u, unit in units.items()})
        .fillna(chosen["unit_id"])
    )
    frame["unit_order"] = chosen["unit_id"].map({u: unit.order for u, unit in units.items()})
    frame["unit_order"] = frame["unit_order"].fillna(10**6).astype(int)
    frame["status"] = chosen["status"].fillna("")
    frame["completed_on"] = chosen["completed_on"]
    for column in _TEXTS:
        frame[column] = texts.loc[frame.index, column]
    frame = frame.sort_values(
        ["task_order", "task_id", "period", "unit_order", "unit_id"], kind="stable"
    )
    return frame[RESULT_COLUMNS].reset_index(drop=True)


def gather(
    catalog: Catalog,
    raw: Path,
    processed: Path,
    period: str,
    kind: str | None = None,
    start: str | None = None,
    as_of: date | None = None,
    sample: bool | None = None,
    verdicts: pd.DataFrame | None = None,
) -> ReportData:
    """Compute everything a report of ``period`` (and ``kind``) shows.

    ``kind`` is ``None`` for a regular report, or ``so-ket`` / ``tong-ket``
    for a review over ``start`` (default: the program's first quarter) to
    ``period``. The processed tables are rebuilt first when an input changed.
    ``sample`` (default: whether ``raw`` holds ``nq28 demo``'s marker) marks
    everything rendered as sample data. ``verdicts`` are the Board's
    verdicts read from the worklists (none when not given).
    """
    if sample is None:
        sample = is_sample(raw)
    first = catalog.settings.first_period
    chosen = parse_period(period, first=first)
    span = None
    if kind is not None:
        if kind not in REVIEW_KINDS:
            raise UsageError(f"Loại báo cáo «{kind}» không hợp lệ: dùng so-ket hoặc tong-ket.")
        span = parse_span(f"{start or first.id}..{chosen.last_quarter.id}", first=first)
        chosen = span.last
    tables = current_tables(raw, processed, catalog)
    judged = Quarters(catalog, tables.submissions, tables.manifest, verdicts)
    scope = span if span is not None else chosen
    metrics = compute(catalog, tables.submissions, tables.manifest, scope, as_of, quarters=judged)
    trend_span = span if span is not None else Span(first, chosen.last_quarter)
    trend_frame, consistent = trend(
        catalog, tables.submissions, tables.manifest, trend_span, metrics.as_of, judged
    )
    ids = [q.id for q in scope.quarters()]
    # What was there at as_of: files received later, and their problems, are
    # left out (listed in metrics.left_out).
    known = files_at(tables.manifest, metrics.as_of)
    issues = pd.read_csv(
        ProcessedFiles(processed).issues, encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    later = set(tables.manifest["file"]) - set(known["file"])
    in_period = issues["file"].str.split("/").str[0].isin(ids) & ~issues["file"].isin(later)
    files = known[known["period"].isin(ids) | known["file"].str.split("/").str[0].isin(ids)]
    inputs = {
        **tables.inputs(metrics.as_of),
        "as_of": metrics.as_of.isoformat(),
        "catalog_checksum": catalog_checksum(catalog),
        "files": [(f, s) for f, s in zip(files["file"], files["sha256"], strict=True)],
    }
    answers = counted(tables.submissions, metrics.as_of)
    return ReportData(
        catalog=catalog,
        kind=kind or "regular",
        period=chosen if span is None else span.last,
        span=span,
        as_of=metrics.as_of,
        metrics=metrics,
        trend=trend_frame,
        consistent=consistent,
        texts=_texts(catalog, answers, [chosen.last_quarter.id] if span is None else ids),
        results=results_table(catalog, answers, ids),
        issues=issues[in_period].reset_index(drop=True),
        files=files.reset_index(drop=True),
        inputs=inputs,
        sample=sample,
        pending=pending_events(catalog, metrics.as_of, scope),
    )
