"""Progress metrics: classification of every pair, rates, ageing, lag ranking.

Definitions are contracts (DESIGN §2) and are written out in the README's
"Metrics" section; each function says which one it computes. Everything
takes ``period`` and ``as_of`` explicitly and works on DataFrames, in bulk
(a national table of millions of pairs classifies in seconds).

>>> from nq28_analysis import find_project, load_catalog, parse_period
>>> catalog = load_catalog(find_project().reference)
>>> table = classify(catalog, empty_submissions(), parse_period("2023-Q3"), date(2023, 10, 10))
>>> int((table["classification"] == "not_reported").sum()) > 0
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .catalog import Catalog
from .deadlines import (
    CANCELLED,
    DUE,
    NO_DEADLINE,
    NOT_TRIGGERED,
    RECURRING,
    assignment_rows,
    expected_units,
    obligation,
)
from .periods import Period, Span

__all__ = [
    "AGE_BUCKETS",
    "CLASSIFICATIONS",
    "CLASSIFICATION_COLUMNS",
    "CLASSIFICATION_LABELS",
    "LAGGING_SCORE",
    "Metrics",
    "age_bucket",
    "classify",
    "compute",
    "default_as_of",
    "empty_submissions",
    "reporting",
    "rollup",
    "summary",
    "trend",
    "unit_rates",
]

#: Classification codes, in the order reports list them (DESIGN §2, contract).
CLASSIFICATIONS = (
    "done_on_time",
    "done_late",
    "pending_on_time",
    "overdue",
    "recurring_reported",
    "recurring_silent",
    "not_triggered",
    "no_deadline",
    "not_reported",
)

#: Vietnamese labels of the classification codes (DESIGN §2, contract).
CLASSIFICATION_LABELS = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "pending_on_time": "Chưa hoàn thành, còn trong hạn",
    "overdue": "Chưa hoàn thành, quá hạn",
    "recurring_reported": "Thường xuyên — có kết quả trong kỳ",
    "recurring_silent": "Thường xuyên — không có kết quả trong kỳ",
    "not_triggered": "Chưa phát sinh (chưa có yêu cầu, hướng dẫn hoặc mốc thời gian)",
    "no_deadline": "Không có thời hạn",
    "not_reported": "Đơn vị không báo cáo nhiệm vụ này",
}

#: Overdue ageing buckets: (label, lowest days, highest days or None).
AGE_BUCKETS = (
    ("≤ 30 ngày", 1, 30),
    ("31–90 ngày", 31, 90),
    ("> 90 ngày", 91, None),
)

#: The columns of ``classification.csv`` (DESIGN §3, contract).
CLASSIFICATION_COLUMNS = (
    "unit_id",
    "task_id",
    "deadline_kind",
    "due_date",
    "status",
    "completed_on",
    "classification",
    "days_overdue",
)

#: A unit whose lag score reaches this is called lagging (see :func:`unit_rates`).
LAGGING_SCORE = 25.0

_DONE = ("done_on_time", "done_late")
_RECURRING_CODES = ("recurring_reported", "recurring_silent")
_SUBMISSION_COLUMNS = ("period", "unit_id", "task_id", "status", "completed_on")


def default_as_of(catalog: Catalog, period: Period | Span) -> date:
    """The default ``as_of``: the period's submission deadline (DESIGN §3)."""
    return period.end + timedelta(days=catalog.settings.submission_deadline_days)


def empty_submissions() -> pd.DataFrame:
    """A submissions table with no rows (a period nobody reported on)."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in _SUBMISSION_COLUMNS})


def age_bucket(days: object) -> str | None:
    """The ageing bucket label of an overdue pair's age in days (``None`` for
    a missing age: ``None``, NaN or ``pandas.NA``)."""
    if days is None or pd.isna(days):
        return None
    for label, low, high in AGE_BUCKETS:
        if days >= low and (high is None or days <= high):
            return label
    return None


# --- classification -------------------------------------------------------------


def _pairs(catalog: Catalog, quarter: Period) -> pd.DataFrame:
    rows = assignment_rows(catalog, quarter)
    frame = pd.DataFrame(rows, columns=["unit_id", "task_id", "level", "inherited_from"])
    units, tasks = catalog.units, catalog.tasks
    frame["unit_name"] = frame["unit_id"].map(lambda u: units[u].name_vi)
    frame["unit_kind"] = frame["unit_id"].map(lambda u: units[u].kind)
    frame["unit_level"] = frame["unit_id"].map(lambda u: units[u].level)
    frame["unit_order"] = frame["unit_id"].map(lambda u: units[u].order)
    frame["task_order"] = frame["task_id"].map(lambda t: tasks[t].order)
    frame["section"] = frame["task_id"].map(lambda t: tasks[t].section)
    frame["lead"] = frame["task_id"].map(lambda t: ";".join(tasks[t].lead))
    frame["deadline_kind"] = frame["task_id"].map(lambda t: tasks[t].deadline_kind)
    return frame


def _obligations(catalog: Catalog, pairs: pd.DataFrame, period: Period, as_of: date):
    """State and due date of every pair. Computed once per (task, level), and
    per unit only where an event names that unit."""
    general = []
    for task_id, level in pairs[["task_id", "level"]].drop_duplicates().itertuples(index=False):
        seen = obligation(catalog, task_id, "", period, as_of, level=level or None)
        general.append((task_id, level, seen.state, seen.due))
    frame = pd.DataFrame(general, columns=["task_id", "level", "state", "due_date"])
    merged = pairs[["task_id", "level"]].merge(frame, on=["task_id", "level"], how="left")
    states = merged["state"].tolist()
    dues = merged["due_date"].tolist()
    # Events that name one unit: recompute those few pairs.
    documents = {t.task_id: t.rule.document for t in catalog.tasks.values()}
    for event in catalog.events:
        if not event["unit_id"]:
            continue
        hit = (pairs["unit_id"] == event["unit_id"]) & (
            (pairs["task_id"] == event["target"])
            | (pairs["task_id"].map(documents) == event["target"])
        )
        for index in hit[hit].index:
            row = pairs.loc[index]
            seen = obligation(
                catalog, row["task_id"], row["unit_id"], period, as_of, level=row["level"] or None
            )
            states[index], dues[index] = seen.state, seen.due
    return states, dues


def _answers(submissions: pd.DataFrame, quarter: Period) -> pd.DataFrame:
    """Accepted answers up to ``quarter`` with a status (empty status: no answer)."""
    frame = submissions.loc[:, list(_SUBMISSION_COLUMNS)]
    frame = frame[frame["status"].notna() & (frame["status"] != "")]
    return frame[frame["period"] <= quarter.id]


def classify(
    catalog: Catalog,
    submissions: pd.DataFrame,
    period: Period,
    as_of: date,
) -> pd.DataFrame:
    """Classify every (expected unit, assigned task) pair of ``period`` at ``as_of``.

    A half-year or year is judged on its last quarter's pairs and
    submissions; annual tasks are judged for the calendar year ``period``
    ends in. Rules, in order (DESIGN §2):

    1. no obligation yet (untriggered ``on_request``, ``after_guidance``,
       ``per_plan``, ``term``) → ``not_triggered``; a ``none`` task, or one
       whose obligation an event cancelled → ``no_deadline``;
    2. a deadline task takes the unit's answers from every quarter up to
       this one (a successor's also its predecessor's): once completed it
       stays completed, dated by the most recent answer that says so →
       ``done_on_time`` / ``done_late``; else ``pending_on_time`` or, when
       ``as_of`` is after the due date, ``overdue``; never answered →
       ``not_reported``;
    3. a recurring task takes only this quarter's row: completed or in
       progress → ``recurring_reported``; not started or an empty status →
       ``recurring_silent``; no row → ``not_reported``.

    Returns one row per pair with the ``classification.csv`` columns plus
    unit and task attributes, ``label``, ``due`` (whether the pair is a due
    pair) and ``reverted`` (a completion followed by a later "not
    completed", which does not undo it).
    """
    quarter = period.last_quarter
    pairs = _pairs(catalog, quarter)
    states, dues = _obligations(catalog, pairs, quarter, as_of)
    pairs["state"] = states
    pairs["due_date"] = dues

    answers = _answers(submissions, quarter)
    # Annual tasks: only the calendar year's own quarters count.
    annual = {t.task_id for t in catalog.tasks.values() if t.deadline_kind == "annual"}
    if annual:
        year = str(period.end.year)
        keep = ~answers["task_id"].isin(annual) | answers["period"].str.startswith(year)
        answers = answers[keep]
    # A successor answers for its predecessor's history too.
    heirs = pairs[pairs["inherited_from"] != ""][["unit_id", "task_id", "inherited_from"]]
    if not heirs.empty:
        borrowed = answers.merge(
            heirs.rename(columns={"unit_id": "holder", "inherited_from": "unit_id"}),
            on=["unit_id", "task_id"],
        )
        borrowed["unit_id"] = borrowed["holder"]
        answers = pd.concat([answers, borrowed.drop(columns="holder")], ignore_index=True)
    answers = answers.sort_values(["unit_id", "task_id", "period"], kind="stable")

    key = ["unit_id", "task_id"]
    completed = answers[answers["status"] == "completed"].groupby(key, sort=False).tail(1)
    completed = completed.rename(columns={"completed_on": "done_on", "period": "done_period"})[
        [*key, "done_on", "done_period"]
    ]
    latest = answers.groupby(key, sort=False).tail(1)
    latest = latest.rename(columns={"status": "latest_status", "period": "latest_period"})
    latest = latest[[*key, "latest_status", "latest_period"]]
    this_quarter = submissions.loc[
        submissions["period"] == quarter.id, ["unit_id", "task_id", "status"]
    ].rename(columns={"status": "quarter_status"})
    this_quarter["quarter_row"] = True

    table = pairs.merge(completed, on=key, how="left").merge(latest, on=key, how="left")
    table = table.merge(this_quarter, on=key, how="left")
    table["quarter_row"] = table["quarter_row"].fillna(False).astype(bool)

    _apply_rules(table, as_of)
    done_period = table["done_period"].fillna("").astype(str)
    latest_period = table["latest_period"].fillna("").astype(str)
    table["reverted"] = (
        (done_period != "") & table["latest_status"].ne("completed") & (latest_period > done_period)
    )
    table["period"] = period.id
    table["as_of"] = as_of
    columns = [
        *CLASSIFICATION_COLUMNS,
        "label",
        "due",
        "reverted",
        "unit_name",
        "unit_kind",
        "unit_level",
        "unit_order",
        "task_order",
        "section",
        "lead",
        "level",
        "inherited_from",
        "period",
        "as_of",
    ]
    table = table[columns].sort_values(["unit_order", "unit_id", "task_order"], kind="stable")
    return table.reset_index(drop=True)


def _apply_rules(table: pd.DataFrame, as_of: date) -> None:
    """The classification rules of :func:`classify`, on whole columns."""
    state = table["state"]
    recurring = (state == RECURRING).to_numpy()
    untriggered = (state == NOT_TRIGGERED).to_numpy()
    nothing_due = state.isin([NO_DEADLINE, CANCELLED]).to_numpy()
    dated = (state == DUE).to_numpy()
    row_here = table["quarter_row"].to_numpy()
    quarter_status = table["quarter_status"].where(table["quarter_status"].notna(), None)
    reported_here = quarter_status.isin(["completed", "in_progress"]).to_numpy()
    done = table["done_period"].fillna("").astype(str).ne("").to_numpy()
    answered = table["latest_status"].fillna("").astype(str).ne("").to_numpy()
    due = pd.to_datetime(table["due_date"]).to_numpy()
    finished = pd.to_datetime(table["done_on"]).to_numpy()
    today = pd.Timestamp(as_of).to_datetime64()
    on_time = finished <= due  # NaT compares False
    late = today > due
    rules = [
        (recurring & row_here & reported_here, "recurring_reported"),
        (recurring & row_here & ~reported_here, "recurring_silent"),
        (recurring & ~row_here, "not_reported"),
        (untriggered, "not_triggered"),
        (nothing_due, "no_deadline"),
        (dated & done & on_time, "done_on_time"),
        (dated & done & ~on_time, "done_late"),
        (dated & ~answered, "not_reported"),
        (dated & late, "overdue"),
    ]
    code = np.select([c for c, _ in rules], [v for _, v in rules], default="pending_on_time")
    table["classification"] = code
    latest = table["latest_status"].where(table["latest_status"].notna(), None)
    table["status"] = np.where(
        recurring, quarter_status, np.where(dated & done, "completed", latest)
    )
    table["status"] = table["status"].where(table["status"].notna(), None)
    keeps_date = (dated & done) | (nothing_due & done)
    table["completed_on"] = [
        d if k else None for d, k in zip(table["done_on"], keeps_date, strict=True)
    ]
    overdue = code == "overdue"
    days = (today - due).astype("timedelta64[D]").astype("float")
    table["days_overdue"] = pd.array(np.where(overdue, days, np.nan)).astype("Int64")
    table["label"] = table["classification"].map(CLASSIFICATION_LABELS)
    table["due"] = dated & (table["deadline_kind"] != "recurring").to_numpy() & (due <= today)


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


def summary(table: pd.DataFrame, reports: pd.DataFrame, as_of: date) -> dict:
    """``summary.json``: the five rates (fractions 0–1 or ``None``) and counts.

    * completion rate = due pairs completed (on time or late) / due pairs;
    * on-time rate = due pairs completed by their due date / due pairs;
    * recurring rate = ``recurring_reported`` / recurring pairs;
    * reporting rate = expected units with an accepted workbook / expected units;
    * on-time reporting rate = units whose first accepted workbook came by the
      submission deadline / expected units.

    A rate whose denominator is empty is ``None``. When no unit reported at
    all, the three work rates are ``None`` too: there is no data, which is
    not the same as 0%. Each rate's counts are kept too, for the sentences
    and notes that quote them ("12/34 đơn vị").
    """
    due = table[table["due"]]
    recurring = table[table["deadline_kind"] == "recurring"]
    counts = table["classification"].value_counts()
    expected = len(reports)
    received = int(reports["reported"].sum())
    on_time_reports = int(reports["on_time_report"].sum())
    if received == 0:
        # Nobody reported: there is no data to rate the work by ("chưa có số
        # liệu"), only the fact that nobody reported.
        due = due.iloc[0:0]
        recurring = recurring.iloc[0:0]
    completed = int(due["classification"].isin(_DONE).sum())
    on_time = int((due["classification"] == "done_on_time").sum())
    recurring_reported = int((recurring["classification"] == "recurring_reported").sum())
    return {
        "as_of": as_of.isoformat(),
        "expected_submissions": expected,
        "received_submissions": received,
        "on_time_submissions": on_time_reports,
        "reporting_rate": _rate(received, expected),
        "on_time_reporting_rate": _rate(on_time_reports, expected),
        "completion_rate": _rate(completed, len(due)),
        "on_time_rate": _rate(on_time, len(due)),
        "recurring_rate": _rate(recurring_reported, len(recurring)),
        "overdue_count": int(counts.get("overdue", 0)),
        "due_pairs": len(due),
        "completed_pairs": completed,
        "completed_on_time_pairs": on_time,
        "recurring_pairs": len(recurring),
        "recurring_reported_pairs": recurring_reported,
        "pairs": len(table),
        "classification_counts": {code: int(counts.get(code, 0)) for code in CLASSIFICATIONS},
    }


def unit_rates(table: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """Per expected unit: counts, rates and the lag score and rank.

    Lag score (0–100, higher is worse):

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
    recurring = table["deadline_kind"] == "recurring"
    flags = pd.DataFrame(
        {
            by: table[by],
            "pairs": 1,
            "due_pairs": due,
            "completed": due & code.isin(_DONE),
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

    silent = min(row.overdue + row.not_reported_due, 10) / 10
    score = (
        40 * missing(row.completion_rate)
        + 20 * missing(row.recurring_rate)
        + 30 * (0 if row.reported else 1)
        + 10 * silent
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
    summary: dict
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
    if with_previous and previous_period.end >= catalog.settings.first_period.end:
        before = compute(catalog, submissions, manifest, previous_period, with_previous=False)
        result.previous = before
        if not units.empty and not before.units.empty:
            old = before.units.set_index("unit_id")
            units["lag_rank_previous"] = units["unit_id"].map(old["lag_rank"]).astype("Int64")
            units["lag_score_change"] = units["lag_score"] - units["unit_id"].map(old["lag_score"])
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
                    k: s[k]
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
