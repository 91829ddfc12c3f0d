"""Rates, reporting, ageing and the lag ranking of classified pairs, for one
period (:func:`compute`) or quarter by quarter over a span (:func:`trend`).

The definitions are contracts (docs/design.md §2, "Rates") and the readings we
decided in §8; each function says which one it computes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from datetime import date

import pandas as pd

from ..common.periods import Period, Span
from ..ingest.consolidate import ACCEPTED, arrived_after, counted, files_at
from ..ingest.verdicts import verdicts_at
from ..reference.catalog import Catalog
from ..reference.deadlines import expected_units
from .classify import (
    CLASSIFICATION_COLUMNS,
    CLASSIFICATIONS,
    DONE_CODES,
    age_bucket,
    as_of_source,
    classify,
    default_as_of,
)

__all__ = [
    "LAGGING_SCORE",
    "LAG_WEIGHTS",
    "OVERDUE_CAP",
    "RATES",
    "Metrics",
    "Quarters",
    "Summary",
    "compute",
    "kind_rollup",
    "reporting",
    "rollup",
    "summary",
    "trend",
    "unit_rates",
    "within_kind",
]

#: A unit whose lag score reaches this is called lagging (see :func:`unit_rates`).
LAGGING_SCORE = 25.0

#: Weights of the lag score (they add up to 100): the shortfall of the completion
#: rate and of the recurring rate, a missing report, and the overdue or due but
#: unreported pairs, counted up to :data:`OVERDUE_CAP`.
LAG_WEIGHTS = {"completion": 40, "recurring": 20, "no_report": 30, "overdue": 10}
OVERDUE_CAP = 10

# --- reporting ------------------------------------------------------------------

_REPORT_COLUMNS = [
    "unit_id",
    "reported",
    "submitted_on",
    "submission_deadline",
    "on_time_report",
    "quarters_expected",
    "quarters_reported",
    "quarters_on_time",
]


def reporting(catalog: Catalog, manifest: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Who reported for ``period`` (its last quarter), and when, by the files
    of ``manifest`` (pass :func:`~nq28_analysis.ingest.consolidate.files_at`
    for a point in time).

    One row per expected unit: ``reported`` (an accepted workbook exists:
    used, partly superseded or superseded), ``submitted_on`` (the date of the
    first accepted workbook; empty when none is known), ``submission_deadline``
    and ``on_time_report`` (the first accepted workbook came by the deadline;
    ``False`` when its date is unknown: timeliness that cannot be shown is not
    assumed), and the counts over the quarters the unit was expected
    (``quarters_expected`` 1 here; :func:`compute` sums them over a span).

    A unit that closes before the submission deadline is expected only if it
    submitted (docs/design.md §6): otherwise its heirs answer.
    """
    quarter = period.last_quarter
    deadline = quarter.submission_deadline(catalog.settings.submission_deadline_days)
    if manifest.empty:
        accepted = pd.DataFrame(columns=["unit_id", "submitted_on"])
    else:
        chosen = (manifest["period"] == quarter.id) & manifest["disposition"].isin(ACCEPTED)
        accepted = manifest[chosen]
    first: dict[str, date | None] = {}
    for unit_id, day in zip(accepted["unit_id"], accepted["submitted_on"], strict=True):
        parsed = _iso(day)
        known = first.get(unit_id)
        if unit_id not in first or (parsed is not None and (known is None or parsed < known)):
            first[unit_id] = parsed
    rows = []
    for unit_id in expected_units(catalog, quarter):
        closes = catalog.units[unit_id].valid_to
        if closes is not None and closes < deadline and unit_id not in first:
            continue
        day = first.get(unit_id)
        on_time = unit_id in first and day is not None and day <= deadline
        rows.append(
            {
                "unit_id": unit_id,
                "reported": unit_id in first,
                "submitted_on": day,
                "submission_deadline": deadline,
                "on_time_report": on_time,
                "quarters_expected": 1,
                "quarters_reported": int(unit_id in first),
                "quarters_on_time": int(on_time),
            }
        )
    return pd.DataFrame(rows, columns=_REPORT_COLUMNS)


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
    undefined), the counts behind them and the measures of the period itself.
    ``summary.json`` is :meth:`as_json`."""

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
    completed_in_period: int
    overdue_new_in_period: int
    due_in_period: int
    due_years: tuple[int, int] | None
    quarters: int
    verdict_counts: dict[str, int]

    def rate(self, name: str) -> float | None:
        """One of :data:`RATES` by name."""
        if name not in RATES:
            raise KeyError(name)
        return getattr(self, name)

    @property
    def has_data(self) -> bool:
        """Whether any unit reported: without a report there is no data to
        rate the work by ("chưa có số liệu"), which is not 0%."""
        return self.received_submissions > 0

    def as_json(self) -> dict:
        """The fields as JSON values (``as_of`` ISO, rates as floats or null)."""
        document = {f.name: getattr(self, f.name) for f in fields(self)}
        document["as_of"] = self.as_of.isoformat()
        document["classification_counts"] = dict(self.classification_counts)
        document["due_years"] = list(self.due_years) if self.due_years else None
        document["verdict_counts"] = dict(self.verdict_counts)
        return document

    @property
    def cumulative_still(self) -> bool:
        """Whether nothing fell due in the period, so that the cumulative
        completion rates say little of it: reports then lead with the
        period's own measures."""
        return self.has_data and self.due_in_period == 0


def summary(
    table: pd.DataFrame,
    reports: pd.DataFrame,
    as_of: date,
    period: Period | Span | None = None,
    recurring: pd.DataFrame | None = None,
) -> Summary:
    """``summary.json``: the five rates (fractions 0–1 or ``None``) and counts.

    * completion rate = due pairs completed (on time or late) / due pairs;
    * on-time rate = due pairs completed by their due date / due pairs;
    * recurring rate = ``recurring_reported`` / recurring pairs, those with
      nothing to do in the quarter (``recurring_no_occurrence``) left out;
      over a span, every (unit, recurring task, quarter) of it (``recurring``,
      default the recurring pairs of ``table``);
    * reporting rate = (unit, quarter) pairs with an accepted workbook /
      (unit, quarter) pairs expected — for one quarter, units;
    * on-time reporting rate = the same pairs whose first accepted workbook
      came by the submission deadline / expected pairs.

    Measures of the period (``period``, default none): ``completed_in_period``
    counts pairs whose completion date falls in it, ``overdue_new_in_period``
    pairs whose due date falls in it (and by ``as_of``) that are not completed.

    A rate whose denominator is empty is ``None``. When no unit reported at
    all, the three work rates are ``None`` too: there is no data, which is
    not the same as 0%. Each rate's counts are kept too, for the sentences
    and notes that quote them ("12/34 đơn vị").
    """
    due = table[table["due"]]
    if recurring is None:
        recurring = table
    recurring = recurring[
        (recurring["deadline_kind"] == "recurring")
        & (recurring["classification"] != "recurring_no_occurrence")
    ]
    counts = table["classification"].value_counts()
    expected = int(reports["quarters_expected"].sum())
    received = int(reports["quarters_reported"].sum())
    on_time_reports = int(reports["quarters_on_time"].sum())
    if received == 0:
        # Nobody reported: there is no data to rate the work by ("chưa có số
        # liệu"), only the fact that nobody reported.
        due = due.iloc[0:0]
        recurring = recurring.iloc[0:0]
    completed = int(due["classification"].isin(DONE_CODES).sum())
    on_time = int((due["classification"] == "done_on_time").sum())
    recurring_reported = int((recurring["classification"] == "recurring_reported").sum())
    in_period, new_overdue, due_here = _period_measures(table, period, as_of)
    due_dates = pd.to_datetime(due["due_date"])
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
        completed_in_period=in_period,
        overdue_new_in_period=new_overdue,
        due_in_period=due_here,
        due_years=(int(due_dates.min().year), int(due_dates.max().year)) if len(due) else None,
        quarters=len(period.quarters()) if period is not None else 1,
        verdict_counts={
            code: int((table.get("verdict", pd.Series(dtype=str)) == code).sum())
            for code in ("accepted", "not_accepted", "corrected")
        },
    )


def _period_measures(
    table: pd.DataFrame, period: Period | Span | None, as_of: date
) -> tuple[int, int, int]:
    """(pairs completed in ``period``, pairs falling due in it by ``as_of``
    and not completed, pairs falling due in it by ``as_of``)."""
    if period is None or table.empty:
        return 0, 0, 0
    start, end = pd.Timestamp(period.start), pd.Timestamp(min(period.end, as_of))
    done_on = pd.to_datetime(table["completed_on"])
    due_on = pd.to_datetime(table["due_date"])
    done = table["classification"].isin(DONE_CODES)
    completed = done & done_on.between(start, pd.Timestamp(period.end))
    due_here = (table["deadline_kind"] != "recurring") & due_on.between(start, end)
    fell_due = (due_here & ~done) & table["classification"].isin(
        ["overdue", "not_reported", "pending_on_time"]
    )
    return int(completed.sum()), int(fell_due.sum()), int(due_here.sum())


def unit_rates(
    table: pd.DataFrame, reports: pd.DataFrame, recurring: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Per expected unit: counts, rates and the lag score and rank.

    Lag score (0–100, higher is worse), with the weights of :data:`LAG_WEIGHTS`:

        40 × (1 − completion rate) + 20 × (1 − recurring rate)
        + 30 × (share of the unit's expected quarters without an accepted workbook)
        + 10 × min(overdue + due pairs not reported, 10) / 10

    (for one quarter the third term is 30 when the unit sent nothing).
    An undefined rate adds nothing (nothing was due). A due pair the unit
    did not report lowers the completion rate and counts in the last term
    exactly like an overdue pair, so silence never pays. Rank 1 is the most
    lagging; ties go to more overdue-or-unreported pairs, then the lower
    completion rate, then official display order. A unit is *lagging* when
    its score reaches :data:`LAGGING_SCORE`. When no unit reported at all
    there is no data: the rates, score and rank are empty, never 0%.
    ``recurring`` (a span's recurring pairs of every quarter) replaces the
    recurring pairs of ``table`` for the recurring counts.
    """
    frame = _counts(table, "unit_id", recurring)
    if frame.empty:
        return frame
    first = table.drop_duplicates("unit_id").set_index("unit_id")
    for column in ("unit_name", "unit_kind", "unit_level", "unit_order"):
        frame.insert(1, column, frame["unit_id"].map(first[column]))
    frame["unit_order"] = frame["unit_order"].astype(int)
    frame = frame.merge(reports, on="unit_id", how="left")
    frame["reported"] = frame["reported"].fillna(False).astype(bool)
    frame["on_time_report"] = frame["on_time_report"].fillna(False).astype(bool)
    for column in ("quarters_expected", "quarters_reported", "quarters_on_time"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["lag_count"] = frame["overdue"] + frame["not_reported_due"]
    if not frame["quarters_reported"].any():
        for rate in ("completion_rate", "on_time_rate", "recurring_rate"):
            frame[rate] = None
        frame["lag_score"] = float("nan")
        frame["lag_rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame["lagging"] = False
        return frame.sort_values(["unit_order", "unit_id"]).reset_index(drop=True)
    frame["lag_score"] = [_lag_score(r) for r in frame.itertuples(index=False)]
    ordered = frame.assign(_completion=frame["completion_rate"].fillna(1.0)).sort_values(
        ["lag_score", "lag_count", "_completion", "unit_order", "unit_id"],
        ascending=[False, False, True, True, True],
        kind="stable",
    )
    frame.loc[ordered.index, "lag_rank"] = range(1, len(frame) + 1)
    frame["lag_rank"] = frame["lag_rank"].astype(int).astype("Int64")
    frame["lagging"] = frame["lag_score"] >= LAGGING_SCORE
    return frame.sort_values("lag_rank").reset_index(drop=True)


def _counts(table: pd.DataFrame, by: str, recurring: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pair counts and the three pair rates per value of ``by``, in bulk;
    the recurring counts from ``recurring`` when given (a span's quarters)."""
    code = table["classification"]
    due = table["due"].astype(bool)
    flags = pd.DataFrame(
        {
            by: table[by],
            "pairs": 1,
            "due_pairs": due,
            "completed": due & code.isin(DONE_CODES),
            "completed_on_time": due & (code == "done_on_time"),
            "overdue": code == "overdue",
            "not_reported_due": due & (code == "not_reported"),
        }
    )
    sums = flags.groupby(by, sort=False).sum().astype(int).reset_index()
    source = table if recurring is None else recurring
    kind, rcode = source["deadline_kind"], source["classification"]
    # A quarter with nothing of the kind to do is outside the recurring rate.
    counted = (kind == "recurring") & (rcode != "recurring_no_occurrence")
    said = pd.DataFrame(
        {
            by: source[by],
            "recurring_pairs": counted,
            "recurring_reported": counted & (rcode == "recurring_reported"),
        }
    )
    said = said.groupby(by, sort=False).sum().astype(int)
    for column in ("recurring_pairs", "recurring_reported"):
        sums[column] = sums[by].map(said[column]).fillna(0).astype(int)

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
    unreported = 1 - row.quarters_reported / row.quarters_expected if row.quarters_expected else 0
    score = (
        w["completion"] * missing(row.completion_rate)
        + w["recurring"] * missing(row.recurring_rate)
        + w["no_report"] * unreported
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


# --- units of the same kind ------------------------------------------------------------

#: The per-unit counts a kind of unit sums (columns of :func:`unit_rates`).
KIND_SUMS = (
    "due_pairs",
    "completed",
    "completed_on_time",
    "overdue",
    "not_reported_due",
    "recurring_pairs",
    "recurring_reported",
    "quarters_expected",
    "quarters_reported",
    "quarters_on_time",
)


def _kind_order(units: pd.DataFrame) -> pd.Series:
    """Each unit's kind's place: kinds in the official order of their first unit."""
    first = units.groupby("unit_kind", sort=False)["unit_order"].transform("min")
    return first


def within_kind(units: pd.DataFrame) -> pd.DataFrame:
    """The units of :func:`unit_rates` compared with the units of their own kind
    (district-level committees with each other, party delegations with each
    other…): ``kind_rank`` is the unit's place among them by the lag ranking
    (1 = the most lagging of its kind; empty when there is no data), ``kind_units``
    how many units of that kind are expected. Sorted by kind (in the official
    order of each kind's first unit), then ``kind_rank``, then official order."""
    if units.empty:
        return units.assign(kind_rank=pd.Series(dtype="Int64"), kind_units=pd.Series(dtype=int))
    frame = units.assign(_kind_order=_kind_order(units))
    frame = frame.sort_values(
        ["_kind_order", "lag_rank", "unit_order", "unit_id"], na_position="last", kind="stable"
    )
    ranked = frame["lag_rank"].notna()
    place = frame[ranked].groupby("unit_kind", sort=False).cumcount() + 1
    frame["kind_rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    frame.loc[ranked, "kind_rank"] = place.astype("Int64")
    frame["kind_units"] = frame.groupby("unit_kind", sort=False)["unit_id"].transform("size")
    return frame.drop(columns="_kind_order").reset_index(drop=True)


def kind_rollup(units: pd.DataFrame) -> pd.DataFrame:
    """One row per kind of unit, in the official order of its first unit: how
    many units, how many lag, the counts of :data:`KIND_SUMS` summed over its
    units, and the same rates as a summary's computed on those sums
    (``completion_rate``, ``on_time_rate``, ``recurring_rate``,
    ``reporting_rate`` over the (unit, quarter) pairs expected; ``None`` when
    nothing is counted), with the mean lag score (one groupby of
    :func:`unit_rates`' rows)."""
    columns = [
        "unit_kind",
        "units",
        "lagging_units",
        *KIND_SUMS,
        "completion_rate",
        "on_time_rate",
        "recurring_rate",
        "reporting_rate",
        "on_time_reporting_rate",
        "mean_lag_score",
    ]
    if units.empty:
        return pd.DataFrame(columns=columns)
    grouped = units.groupby("unit_kind", sort=False)
    frame = grouped[list(KIND_SUMS)].sum().astype(int)
    frame["units"] = grouped.size()
    frame["lagging_units"] = grouped["lagging"].sum().astype(int)
    frame["mean_lag_score"] = grouped["lag_score"].mean()
    frame["_order"] = grouped["unit_order"].min()
    frame = frame.sort_values("_order", kind="stable").reset_index()

    def rate(numerator: str, denominator: str) -> list[float | None]:
        return [_rate(n, d) for n, d in zip(frame[numerator], frame[denominator], strict=True)]

    frame["completion_rate"] = rate("completed", "due_pairs")
    frame["on_time_rate"] = rate("completed_on_time", "due_pairs")
    frame["recurring_rate"] = rate("recurring_reported", "recurring_pairs")
    frame["reporting_rate"] = rate("quarters_reported", "quarters_expected")
    frame["on_time_reporting_rate"] = rate("quarters_on_time", "quarters_expected")
    if not units["quarters_reported"].any():  # nobody reported: no data, never 0%
        for column in ("completion_rate", "on_time_rate", "recurring_rate"):
            frame[column] = None
    return frame[columns]


# --- everything for one period, and trends over a span --------------------------------


@dataclass
class Metrics:
    """The metrics of one period (or a review's span) at one ``as_of``.

    ``as_of_set_by`` names the file whose submission (or verdict) date set a
    default ``as_of`` past the submission deadline (empty otherwise);
    ``left_out`` lists the accepted files received after ``as_of`` (manifest
    rows), which are not counted; ``verdicts`` the Board's verdicts that
    count at ``as_of`` (one per unit and task), ``verdicts_left_out`` those
    dated after it.
    """

    period: Period | Span
    as_of: date
    table: pd.DataFrame
    reports: pd.DataFrame
    summary: Summary
    units: pd.DataFrame
    previous: Metrics | None = None
    as_of_set_by: str = ""
    left_out: pd.DataFrame = field(default_factory=pd.DataFrame)
    verdicts: pd.DataFrame = field(default_factory=pd.DataFrame)
    verdicts_left_out: pd.DataFrame = field(default_factory=pd.DataFrame)

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


@dataclass
class _Quarter:
    """One quarter judged at one date: its pairs and who reported."""

    table: pd.DataFrame
    reports: pd.DataFrame


class Quarters:
    """Quarters judged at points in time, each computed once and kept: a
    report's period, its previous period and its trend ask for the same
    quarters."""

    def __init__(
        self,
        catalog: Catalog,
        submissions: pd.DataFrame,
        manifest: pd.DataFrame,
        verdicts: pd.DataFrame | None = None,
    ):
        self.catalog, self.submissions, self.manifest = catalog, submissions, manifest
        self.verdicts = verdicts
        self._seen: dict[tuple[str, date], _Quarter] = {}

    def as_of(self, quarter: Period, cap: date | None) -> date:
        """``quarter``'s own default ``as_of``, no later than ``cap``."""
        own = default_as_of(self.catalog, quarter, self.manifest, self.verdicts)
        return min(own, cap) if cap is not None else own

    def judged(self, quarter: Period, as_of: date) -> _Quarter:
        key = (quarter.id, as_of)
        if key not in self._seen:
            files = files_at(self.manifest, as_of)
            reports = reporting(self.catalog, files, quarter)
            said = verdicts_at(self.verdicts, as_of)[0] if self.verdicts is not None else None
            table = classify(self.catalog, counted(self.submissions, as_of), quarter, as_of, said)
            table = table[table["unit_id"].isin(reports["unit_id"])].reset_index(drop=True)
            self._seen[key] = _Quarter(table, reports)
        return self._seen[key]


def compute(
    catalog: Catalog,
    submissions: pd.DataFrame,
    manifest: pd.DataFrame,
    period: Period | Span,
    as_of: date | None = None,
    with_previous: bool = True,
    quarters: Quarters | None = None,
    verdicts: pd.DataFrame | None = None,
) -> Metrics:
    """Classification, reporting, rates and ranking of ``period`` (a quarter,
    half-year, year or a review's :class:`Span`) at ``as_of`` (default
    :func:`default_as_of`). Only what was submitted by ``as_of`` counts
    (docs/design.md §6), so the same ``as_of`` gives the same numbers
    whatever arrives later.

    Over several quarters, every unit expected in any of them is judged: on
    its deadline tasks as of the last quarter it was expected (at that
    quarter's own ``as_of``, no later than ``as_of``), on its recurring tasks
    and its reporting in every quarter it was expected. With
    ``with_previous``, the previous period of the same kind (at its own
    default ``as_of``, no later than ``as_of``) gives the change columns; a
    review has none. The Board's ``verdicts`` (every one read,
    :func:`~nq28_analysis.ingest.verdicts.read_verdicts`) apply as of their
    date; those dated after ``as_of`` are listed in ``verdicts_left_out``.
    """
    quarters = quarters or Quarters(catalog, submissions, manifest, verdicts)
    verdicts = quarters.verdicts
    set_by = ""
    if as_of is None:
        as_of, set_by = as_of_source(catalog, period, manifest, verdicts)
    table, reports, recurring = _judge(quarters, period, as_of)
    units = _closings(catalog, unit_rates(table, reports, recurring), as_of)
    result = Metrics(
        period,
        as_of,
        table,
        reports,
        summary(table, reports, as_of, period, recurring),
        units,
        as_of_set_by=set_by,
        left_out=arrived_after(manifest, as_of, period.last_quarter),
    )
    if verdicts is not None:
        result.verdicts, result.verdicts_left_out = verdicts_at(verdicts, as_of)
    old = None
    if with_previous and isinstance(period, Period):
        previous_period = period.previous()
        if previous_period.end >= catalog.settings.first_period.end:
            result.previous = compute(
                catalog,
                submissions,
                manifest,
                previous_period,
                quarters.as_of(previous_period.last_quarter, as_of),
                with_previous=False,
                quarters=quarters,
            )
            if result.previous.summary.has_data and not result.previous.units.empty:
                old = result.previous.units.set_index("unit_id")
    # Always present: empty where there is no previous period with data.
    if old is not None and not units.empty and result.summary.has_data:
        units["lag_rank_previous"] = units["unit_id"].map(old["lag_rank"]).astype("Int64")
        units["lag_score_change"] = units["lag_score"] - units["unit_id"].map(old["lag_score"])
    else:
        units["lag_rank_previous"] = pd.array([pd.NA] * len(units), dtype="Int64")
        units["lag_score_change"] = pd.Series([float("nan")] * len(units), dtype="float64")
    return result


def _closings(catalog: Catalog, units: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """``closed_on`` (the unit's last day, when it closed by ``as_of``),
    ``successor`` and ``successor_name`` (the units that took over its tasks,
    by ``successor`` or transfer, ids joined by ";" and names by ", ")."""
    if units.empty:
        return units.assign(closed_on=None, successor="", successor_name="")
    rows = [catalog.units[u] for u in units["unit_id"]]
    closed = [bool(u.valid_to and u.valid_to <= as_of) for u in rows]
    units["closed_on"] = [u.valid_to if c else None for u, c in zip(rows, closed, strict=True)]
    heirs = [catalog.heirs(u.unit_id) if c else [] for u, c in zip(rows, closed, strict=True)]
    units["successor"] = [";".join(h) for h in heirs]
    units["successor_name"] = [", ".join(catalog.units[u].name_vi for u in h) for h in heirs]
    return units


def _judge(
    quarters: Quarters, period: Period | Span, as_of: date
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """The pairs (one per unit and task), the units' reporting and, over
    several quarters, the recurring pairs of every quarter."""
    chosen = period.quarters()
    last = quarters.judged(chosen[-1], as_of)
    if len(chosen) == 1:
        return last.table, last.reports, None
    tables, reports, recurring = [last.table], [last.reports], [last.table]
    seen = set(last.reports["unit_id"])
    for quarter in reversed(chosen[:-1]):
        judged = quarters.judged(quarter, quarters.as_of(quarter, as_of))
        reports.append(judged.reports)
        if judged.reports["quarters_reported"].any():
            recurring.append(judged.table)
        gone = judged.table[~judged.table["unit_id"].isin(seen)]
        tables.append(gone)
        seen |= set(judged.reports["unit_id"])
    table = pd.concat(tables, ignore_index=True).sort_values(
        ["unit_order", "unit_id", "task_order"], kind="stable"
    )
    recurring_pairs = pd.concat(recurring, ignore_index=True)
    recurring_pairs = recurring_pairs[recurring_pairs["deadline_kind"] == "recurring"]
    return table.reset_index(drop=True), _span_reports(reports), recurring_pairs


def _span_reports(reports: list[pd.DataFrame]) -> pd.DataFrame:
    """Per unit over a span: its last expected quarter's row, with the
    quarter counts summed over every quarter it was expected. ``reports`` is
    newest first."""
    every = pd.concat(reports, ignore_index=True)
    sums = every.groupby("unit_id", sort=False)[
        ["quarters_expected", "quarters_reported", "quarters_on_time"]
    ].sum()
    latest = every.drop_duplicates("unit_id", keep="first").set_index("unit_id")
    latest[sums.columns] = sums
    return latest.reset_index()[_REPORT_COLUMNS]


def trend(
    catalog: Catalog,
    submissions: pd.DataFrame,
    manifest: pd.DataFrame,
    span: Span,
    as_of: date | None = None,
    quarters: Quarters | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Every rate quarter by quarter over ``span`` (each at its own default
    ``as_of``, no later than ``as_of``), and the units that reported in every
    quarter of the span in which they were expected ("consistently
    reporting", as DHIS2 calls it).
    """
    quarters = quarters or Quarters(catalog, submissions, manifest)
    rows = []
    expected_in: dict[str, int] = {}
    reported_in: dict[str, int] = {}
    for quarter in span.quarters():
        # The rates only: no unit ranking, no previous period.
        when = quarters.as_of(quarter, as_of)
        judged = quarters.judged(quarter, when)
        reports = judged.reports
        s = summary(judged.table, reports, when, quarter)
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
                        "completed_in_period",
                        "overdue_new_in_period",
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
