"""Rates, reporting, ageing and the lag ranking of classified pairs, for one
period (:func:`compute`) or quarter by quarter over a span (:func:`trend`).

The definitions are contracts (docs/design.md §2, "Rates") and the readings we
decided in §8; each function says which one it computes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from datetime import date

import pandas as pd

from ..common.periods import Period, Span
from ..reference.catalog import Catalog
from ..reference.deadlines import expected_units
from .classify import (
    CLASSIFICATION_COLUMNS,
    CLASSIFICATIONS,
    DONE_CODES,
    age_bucket,
    classify,
    default_as_of,
)

__all__ = [
    "LAGGING_SCORE",
    "LAG_WEIGHTS",
    "OVERDUE_CAP",
    "RATES",
    "Metrics",
    "Summary",
    "compute",
    "reporting",
    "rollup",
    "summary",
    "trend",
    "unit_rates",
]

#: A unit whose lag score reaches this is called lagging (see :func:`unit_rates`).
LAGGING_SCORE = 25.0

#: Weights of the lag score (they add up to 100): the shortfall of the completion
#: rate and of the recurring rate, a missing report, and the overdue or due but
#: unreported pairs, counted up to :data:`OVERDUE_CAP`.
LAG_WEIGHTS = {"completion": 40, "recurring": 20, "no_report": 30, "overdue": 10}
OVERDUE_CAP = 10

# --- reporting ------------------------------------------------------------------

_ACCEPTED = ("used", "partly-superseded", "superseded")


def reporting(catalog: Catalog, manifest: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Who reported for ``period`` (its last quarter), and when.

    One row per expected unit: ``reported`` (an accepted workbook exists:
    used, partly superseded or superseded), ``submitted_on`` (the date of the
    first accepted workbook; empty when none is known), ``submission_deadline``
    and ``on_time_report`` (the first accepted workbook came by the deadline;
    ``False`` when its date is unknown: timeliness that cannot be shown is not
    assumed).
    """
    quarter = period.last_quarter
    deadline = quarter.submission_deadline(catalog.settings.submission_deadline_days)
    units = expected_units(catalog, quarter)
    if manifest.empty:
        accepted = pd.DataFrame(columns=["unit_id", "submitted_on"])
    else:
        chosen = (manifest["period"] == quarter.id) & manifest["disposition"].isin(_ACCEPTED)
        accepted = manifest[chosen]
    first: dict[str, date | None] = {}
    for unit_id, day in zip(accepted["unit_id"], accepted["submitted_on"], strict=True):
        parsed = _iso(day)
        known = first.get(unit_id)
        if unit_id not in first or (parsed is not None and (known is None or parsed < known)):
            first[unit_id] = parsed
    rows = []
    for unit_id in units:
        day = first.get(unit_id)
        rows.append(
            {
                "unit_id": unit_id,
                "reported": unit_id in first,
                "submitted_on": day,
                "submission_deadline": deadline,
                "on_time_report": unit_id in first and day is not None and day <= deadline,
            }
        )
    return pd.DataFrame(
        rows,
        columns=["unit_id", "reported", "submitted_on", "submission_deadline", "on_time_report"],
    )


def _iso(value) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return None


# --- rates --------------------------------------------------------------------------


def _rate(numerator: int, denominator: int) -> float | None:
    """A rate, or ``None`` (undefined, never 0) when nothing is counted."""
    return numerator / denominator if denominator else None


#: The five rates of a summary, in the order reports show them.
RATES = (
    "reporting_rate",
    "on_time_reporting_rate",
    "completion_rate",
    "on_time_rate",
    "recurring_rate",
)


@dataclass(frozen=True)
class Summary:
    """The period's figures: the five rates (fractions 0–1, or ``None`` when
    undefined) and the counts behind them. ``summary.json`` is
    :meth:`as_json`."""

    as_of: date
    expected_submissions: int
    received_submissions: int
    on_time_submissions: int
    reporting_rate: float | None
    on_time_reporting_rate: float | None
    completion_rate: float | None
    on_time_rate: float | None
    recurring_rate: float | None
    overdue_count: int
    due_pairs: int
    completed_pairs: int
    completed_on_time_pairs: int
    recurring_pairs: int
    recurring_reported_pairs: int
    pairs: int
    classification_counts: dict[str, int]

    def rate(self, name: str) -> float | None:
        """One of :data:`RATES` by name."""
        if name not in RATES:
            raise KeyError(name)
        return getattr(self, name)

    def as_json(self) -> dict:
        """The fields as JSON values (``as_of`` ISO, rates as floats or null)."""
        document = {f.name: getattr(self, f.name) for f in fields(self)}
        document["as_of"] = self.as_of.isoformat()
        document["classification_counts"] = dict(self.classification_counts)
        return document


def summary(table: pd.DataFrame, reports: pd.DataFrame, as_of: date) -> Summary:
    """``summary.json``: the five rates (fractions 0–1 or ``None``) and counts.

    * completion rate = due pairs completed (on time or late) / due pairs;
    * on-time rate = due pairs completed by their due date / due pairs;
    * recurring rate = ``recurring_reported`` / recurring pairs, those with
      nothing to do in the quarter (``recurring_no_occurrence``) left out;
    * reporting rate = expected units with an accepted workbook / expected units;
    * on-time reporting rate = units whose first accepted workbook came by the
      submission deadline / expected units.

    A rate whose denominator is empty is ``None``. When no unit reported at
    all, the three work rates are ``None`` too: there is no data, which is
    not the same as 0%. Each rate's counts are kept too, for the sentences
    and notes that quote them ("12/34 đơn vị").
    """
    due = table[table["due"]]
    recurring = table[
        (table["deadline_kind"] == "recurring")
        & (table["classification"] != "recurring_no_occurrence")
    ]
    counts = table["classification"].value_counts()
    expected = len(reports)
    received = int(reports["reported"].sum())
    on_time_reports = int(reports["on_time_report"].sum())
    if received == 0:
        # Nobody reported: there is no data to rate the work by ("chưa có số
        # liệu"), only the fact that nobody reported.
        due = due.iloc[0:0]
        recurring = recurring.iloc[0:0]
    completed = int(due["classification"].isin(DONE_CODES).sum())
    on_time = int((due["classification"] == "done_on_time").sum())
    recurring_reported = int((recurring["classification"] == "recurring_reported").sum())
    return Summary(
        as_of=as_of,
        expected_submissions=expected,
        received_submissions=received,
        on_time_submissions=on_time_reports,
        reporting_rate=_rate(received, expected),
        on_time_reporting_rate=_rate(on_time_reports, expected),
        completion_rate=_rate(completed, len(due)),
        on_time_rate=_rate(on_time, len(due)),
        recurring_rate=_rate(recurring_reported, len(recurring)),
        overdue_count=int(counts.get("overdue", 0)),
        due_pairs=len(due),
        completed_pairs=completed,
        completed_on_time_pairs=on_time,
        recurring_pairs=len(recurring),
        recurring_reported_pairs=recurring_reported,
        pairs=len(table),
        classification_counts={code: int(counts.get(code, 0)) for code in CLASSIFICATIONS},
    )


def unit_rates(table: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Per expected unit: counts, rates and the lag score and rank.

    Lag score (0–100, higher is worse), with the weights of :data:`LAG_WEIGHTS`:

        40 × (1 − completion rate) + 20 × (1 − recurring rate)
        + 30 × (1 if no accepted workbook else 0)
        + 10 × min(overdue + due pairs not reported, 10) / 10

    An undefined rate adds nothing (nothing was due). A due pair the unit
    did not report lowers the completion rate and counts in the last term
    exactly like an overdue pair, so silence never pays. Rank 1 is the most
    lagging; ties go to more overdue-or-unreported pairs, then the lower
    completion rate, then official display order. A unit is *lagging* when
    its score reaches :data:`LAGGING_SCORE`.
    """
    frame = _counts(table, "unit_id")
    if frame.empty:
        return frame
    first = table.drop_duplicates("unit_id").set_index("unit_id")
    for column in ("unit_name", "unit_kind", "unit_level", "unit_order"):
        frame.insert(1, column, frame["unit_id"].map(first[column]))
    frame["unit_order"] = frame["unit_order"].astype(int)
    frame = frame.merge(reports, on="unit_id", how="left")
    frame["reported"] = frame["reported"].fillna(False).astype(bool)
    frame["on_time_report"] = frame["on_time_report"].fillna(False).astype(bool)
    frame["lag_score"] = [_lag_score(r) for r in frame.itertuples(index=False)]
    frame["lag_count"] = frame["overdue"] + frame["not_reported_due"]
    ordered = frame.assign(_completion=frame["completion_rate"].fillna(1.0)).sort_values(
        ["lag_score", "lag_count", "_completion", "unit_order", "unit_id"],
        ascending=[False, False, True, True, True],
        kind="stable",
    )
    frame.loc[ordered.index, "lag_rank"] = range(1, len(frame) + 1)
    frame["lag_rank"] = frame["lag_rank"].astype(int)
    frame["lagging"] = frame["lag_score"] >= LAGGING_SCORE
    return frame.sort_values("lag_rank").reset_index(drop=True)


def _counts(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Pair counts and the three pair rates per value of ``by``, in bulk."""
    code = table["classification"]
    due = table["due"].astype(bool)
    # A quarter with nothing of the kind to do is outside the recurring rate.
    recurring = (table["deadline_kind"] == "recurring") & (code != "recurring_no_occurrence")
    flags = pd.DataFrame(
        {
            by: table[by],
            "pairs": 1,
            "due_pairs": due,
            "completed": due & code.isin(DONE_CODES),
            "completed_on_time": due & (code == "done_on_time"),
            "overdue": code == "overdue",
            "not_reported_due": due & (code == "not_reported"),
            "recurring_pairs": recurring,
            "recurring_reported": recurring & (code == "recurring_reported"),
        }
    )
    sums = flags.groupby(by, sort=False).sum().astype(int).reset_index()

    def rate(numerator: str, denominator: str) -> list[float | None]:
        return [_rate(n, d) for n, d in zip(sums[numerator], sums[denominator], strict=True)]

    sums["completion_rate"] = rate("completed", "due_pairs")
    sums["on_time_rate"] = rate("completed_on_time", "due_pairs")
    sums["recurring_rate"] = rate("recurring_reported", "recurring_pairs")
    return sums


def _lag_score(row) -> float:
    def missing(rate) -> float:
        return 0.0 if rate is None or (isinstance(rate, float) and math.isnan(rate)) else 1 - rate

    w = LAG_WEIGHTS
    silent = min(row.overdue + row.not_reported_due, OVERDUE_CAP) / OVERDUE_CAP
    score = (
        w["completion"] * missing(row.completion_rate)
        + w["recurring"] * missing(row.recurring_rate)
        + w["no_report"] * (0 if row.reported else 1)
        + w["overdue"] * silent
    )
    return round(score, 4)


def rollup(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Classification counts and the pair rates grouped by ``by`` (``unit_kind``,
    ``unit_level``, ``lead``, ``section`` or ``deadline_kind``)."""
    frame = _counts(table, by)
    codes = pd.crosstab(table[by], table["classification"]).reindex(
        columns=[c for c in CLASSIFICATIONS if c not in frame.columns], fill_value=0
    )
    return frame.merge(codes, left_on=by, right_index=True, how="left")


# --- everything for one period, and trends over a span --------------------------------


@dataclass
class Metrics:
    """The metrics of one period at one ``as_of``."""

    period: Period
    as_of: date
    table: pd.DataFrame
    reports: pd.DataFrame
    summary: Summary
    units: pd.DataFrame
    previous: Metrics | None = None

    def overdue(self) -> pd.DataFrame:
        """Overdue pairs, oldest first, with their ageing bucket."""
        late = self.table[self.table["classification"] == "overdue"].copy()
        late["age"] = late["days_overdue"].map(age_bucket)
        return late.sort_values(
            ["days_overdue", "unit_order", "task_order"], ascending=[False, True, True]
        )

    def missing_units(self) -> pd.DataFrame:
        """Expected units without an accepted workbook, in official order."""
        units = self.units[~self.units["reported"]]
        return units.sort_values(["unit_order", "unit_id"])

    def contract_table(self) -> pd.DataFrame:
        """``classification.csv``: the contract's columns only."""
        return self.table.loc[:, list(CLASSIFICATION_COLUMNS)]


def compute(
    catalog: Catalog,
    submissions: pd.DataFrame,
    manifest: pd.DataFrame,
    period: Period,
    as_of: date | None = None,
    with_previous: bool = True,
) -> Metrics:
    """Classification, reporting, rates and ranking of ``period`` at ``as_of``
    (default: its submission deadline); with the previous period of the same
    kind at its own default ``as_of`` for the change columns."""
    as_of = as_of or default_as_of(catalog, period)
    table = classify(catalog, submissions, period, as_of)
    reports = reporting(catalog, manifest, period)
    units = unit_rates(table, reports)
    result = Metrics(period, as_of, table, reports, summary(table, reports, as_of), units)
    previous_period = period.previous()
    old = None
    if with_previous and previous_period.end >= catalog.settings.first_period.end:
        result.previous = compute(
            catalog, submissions, manifest, previous_period, with_previous=False
        )
        if not result.previous.units.empty:
            old = result.previous.units.set_index("unit_id")
    # Always present: empty where there is no previous period (or no unit in it).
    if old is not None and not units.empty:
        units["lag_rank_previous"] = units["unit_id"].map(old["lag_rank"]).astype("Int64")
        units["lag_score_change"] = units["lag_score"] - units["unit_id"].map(old["lag_score"])
    else:
        units["lag_rank_previous"] = pd.array([pd.NA] * len(units), dtype="Int64")
        units["lag_score_change"] = pd.Series([float("nan")] * len(units), dtype="float64")
    return result


def trend(
    catalog: Catalog, submissions: pd.DataFrame, manifest: pd.DataFrame, span: Span
) -> tuple[pd.DataFrame, list[str]]:
    """Every rate quarter by quarter over ``span`` (each at its own default
    ``as_of``), and the units that reported in every quarter of the span in
    which they were expected ("consistently reporting", as DHIS2 calls it).
    """
    rows = []
    expected_in: dict[str, int] = {}
    reported_in: dict[str, int] = {}
    for quarter in span.quarters():
        # The rates only: no unit ranking, no previous period.
        as_of = default_as_of(catalog, quarter)
        reports = reporting(catalog, manifest, quarter)
        s = summary(classify(catalog, submissions, quarter, as_of), reports, as_of)
        rows.append(
            {
                "period": quarter.id,
                "period_label": quarter.label_vi,
                **{
                    k: getattr(s, k)
                    for k in (
                        "completion_rate",
                        "on_time_rate",
                        "recurring_rate",
                        "reporting_rate",
                        "on_time_reporting_rate",
                        "overdue_count",
                        "expected_submissions",
                        "received_submissions",
                    )
                },
            }
        )
        for unit_id, reported in zip(reports["unit_id"], reports["reported"], strict=True):
            expected_in[unit_id] = expected_in.get(unit_id, 0) + 1
            reported_in[unit_id] = reported_in.get(unit_id, 0) + bool(reported)
    consistent = [u for u, n in expected_in.items() if reported_in.get(u, 0) == n]
    consistent.sort(key=lambda u: (catalog.units[u].order, u))
    return pd.DataFrame(rows), consistent
