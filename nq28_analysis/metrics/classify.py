"""Classification of every (unit, task) pair of a period at an ``as_of`` date.

The codes and the order of the rules are contracts (docs/design.md §2,
"Classification"); :mod:`.rates` turns the classified pairs into rates and
rankings. Everything takes ``period`` and ``as_of`` explicitly and works on
DataFrames, in bulk (a national table of millions of pairs classifies in
seconds).

>>> from nq28_analysis import find_project, load_catalog, parse_period
>>> catalog = load_catalog(find_project().reference)
>>> table = classify(catalog, empty_submissions(), parse_period("2023-Q3"), date(2023, 10, 10))
>>> int((table["classification"] == "not_reported").sum()) > 0
True
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from ..common.periods import Period, Span
from ..ingest.consolidate import latest_accepted
from ..reference.catalog import Catalog
from ..reference.deadlines import (
    CANCELLED,
    DUE,
    NO_DEADLINE,
    NOT_TRIGGERED,
    RECURRING,
    assignment_rows,
    obligation,
)

__all__ = [
    "AGE_BUCKETS",
    "AS_OF_WARNING_DAYS",
    "CLASSIFICATIONS",
    "CLASSIFICATION_COLUMNS",
    "CLASSIFICATION_LABELS",
    "DONE_CODES",
    "age_bucket",
    "as_of_source",
    "classify",
    "default_as_of",
    "empty_submissions",
]

#: Classification codes, in the order reports list them (docs/design.md §2, contract).
CLASSIFICATIONS = (
    "done_on_time",
    "done_late",
    "pending_on_time",
    "overdue",
    "recurring_reported",
    "recurring_silent",
    "recurring_no_occurrence",
    "not_triggered",
    "no_deadline",
    "not_reported",
)

#: Vietnamese labels of the classification codes (docs/design.md §2, contract).
CLASSIFICATION_LABELS = {
    "done_on_time": "Hoàn thành đúng hạn",
    "done_late": "Hoàn thành quá hạn",
    "pending_on_time": "Chưa hoàn thành, còn trong hạn",
    "overdue": "Chưa hoàn thành, quá hạn",
    "recurring_reported": "Thường xuyên — có kết quả trong kỳ",
    "recurring_silent": "Thường xuyên — không có kết quả trong kỳ",
    "recurring_no_occurrence": "Thường xuyên — không phát sinh trong kỳ",
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

#: The columns of ``classification.csv`` (docs/design.md §3, contract).
CLASSIFICATION_COLUMNS = (
    "unit_id",
    "task_id",
    "deadline_kind",
    "due_date",
    "status",
    "completed_on",
    "classification",
    "days_overdue",
    "verdict",
)


DONE_CODES = ("done_on_time", "done_late")
_RECURRING_CODES = ("recurring_reported", "recurring_silent")
_SUBMISSION_COLUMNS = ("period", "unit_id", "task_id", "status", "completed_on")


#: A default ``as_of`` more than this many days past the submission deadline
#: is printed with a warning naming the file that set it (docs/design.md §6).
AS_OF_WARNING_DAYS = 60


def default_as_of(
    catalog: Catalog,
    period: Period | Span,
    manifest: pd.DataFrame | None = None,
    verdicts: pd.DataFrame | None = None,
) -> date:
    """The default ``as_of`` (docs/design.md §8): the later of the submission
    deadline of the period's last quarter, the latest submission date among
    that quarter's accepted files (``manifest``) and the latest verdict of the
    Board on a worklist of that quarter (``verdicts``), so that late reports
    and verdicts are in the default report and the default depends only on
    the inputs."""
    return as_of_source(catalog, period, manifest, verdicts)[0]


def as_of_source(
    catalog: Catalog,
    period: Period | Span,
    manifest: pd.DataFrame | None = None,
    verdicts: pd.DataFrame | None = None,
) -> tuple[date, str]:
    """:func:`default_as_of` and the file that set it past the deadline ("" when
    the deadline did)."""
    quarter = period.last_quarter
    best = (quarter.submission_deadline(catalog.settings.submission_deadline_days), "")
    latest = latest_accepted(manifest, quarter) if manifest is not None else None
    if latest and latest[0] > best[0]:
        best = latest
    if verdicts is not None and not verdicts.empty:
        mine = verdicts[verdicts["period"] == quarter.id]
        if not mine.empty:
            last = (
                mine.assign(_day=pd.to_datetime(mine["reviewed_on"]))
                .sort_values(["_day", "file", "row"])
                .iloc[-1]
            )
            if last["reviewed_on"] > best[0]:
                best = (last["reviewed_on"], last["file"])
    return best


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


def _owed(catalog: Catalog, pairs: pd.DataFrame) -> pd.DataFrame:
    """The pairs a unit owes: an obligation that fell due before the unit
    opened, and that it did not inherit, is no pair (docs/design.md §6)."""
    opened = pairs["unit_id"].map(lambda u: catalog.units[u].valid_from)
    if opened.isna().all():
        return pairs
    due = pd.to_datetime(pairs["due_date"])
    before = (
        (pairs["state"] == DUE) & (due < pd.to_datetime(opened)) & (pairs["inherited_from"] == "")
    )
    return pairs[~before].reset_index(drop=True)


def _answers(submissions: pd.DataFrame, quarter: Period) -> pd.DataFrame:
    """Accepted answers up to ``quarter`` with a status (empty status: no answer)."""
    frame = submissions.loc[:, list(_SUBMISSION_COLUMNS)].copy()
    # A table made before the flag existed: every date reads as given by the unit.
    filled = submissions.get("completed_on_filled")
    frame["completed_on_filled"] = (
        False if filled is None else filled.astype("boolean").fillna(False).astype(bool)
    )
    frame = frame[frame["status"].notna() & (frame["status"] != "")]
    return frame[frame["period"] <= quarter.id]


def classify(
    catalog: Catalog,
    submissions: pd.DataFrame,
    period: Period,
    as_of: date,
    verdicts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Classify every (expected unit, assigned task) pair of ``period`` at ``as_of``.

    A half-year or year is judged on its last quarter's pairs and
    submissions; annual tasks are judged for the calendar year ``period``
    ends in. Rules, in order (docs/design.md §2):

    1. no obligation yet (untriggered ``on_request``, ``after_guidance``,
       ``per_plan``, ``term``) → ``not_triggered``; a ``none`` task, or one
       whose obligation an event cancelled → ``no_deadline``;
    2. a deadline task takes the unit's answers from every quarter up to
       this one (a successor's also its predecessor's): once completed it
       stays completed from the earliest quarter that says so, dated by the
       earliest answer with an explicit date (else by the earliest answer,
       its date filled from a submission date) →
       ``done_on_time`` / ``done_late``; else ``pending_on_time`` or, when
       ``as_of`` is after the due date, ``overdue``; never answered →
       ``not_reported``;
    3. a recurring task takes only this quarter's row: completed or in
       progress → ``recurring_reported``; "Không phát sinh" (nothing of the
       kind happened) → ``recurring_no_occurrence``, outside the recurring
       rate; not started or an empty status → ``recurring_silent``; no row →
       ``not_reported``. On a deadline task "Không phát sinh" counts as not
       started (ingest warns).

    The Board's verdicts (``verdicts``: the one that counts per unit and
    task at ``as_of``, :func:`~nq28_analysis.ingest.verdicts.verdicts_at`)
    apply to deadline tasks before the rules: "Chưa chấp nhận" takes the
    claimed completion away (the pair is judged as in progress), "Sửa"
    replaces the status and/or the completion date, "Chấp nhận" records that
    it was checked; ``verdict`` says which.

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
    pairs = _owed(catalog, pairs)

    answers = _answers(submissions, quarter)
    # Annual tasks: only the calendar year's own quarters count.
    annual = {t.task_id for t in catalog.tasks.values() if t.deadline_kind == "annual"}
    if annual:
        year = str(period.end.year)
        keep = ~answers["task_id"].isin(annual) | answers["period"].str.startswith(year)
        answers = answers[keep]
    # An heir answers for its predecessors' history too (every unit the
    # obligation came through); ``answered_by`` keeps whose answer it was.
    answers["answered_by"] = answers["unit_id"]
    heirs = pairs[pairs["inherited_from"] != ""][["unit_id", "task_id", "inherited_from"]]
    heirs = heirs.assign(inherited_from=heirs["inherited_from"].str.split(";")).explode(
        "inherited_from"
    )
    if not heirs.empty:
        borrowed = answers.merge(
            heirs.rename(columns={"unit_id": "holder", "inherited_from": "unit_id"}),
            on=["unit_id", "task_id"],
        )
        borrowed["unit_id"] = borrowed["holder"]
        answers = pd.concat([answers, borrowed.drop(columns="holder")], ignore_index=True)
    answers = answers.sort_values(["unit_id", "task_id", "period"], kind="stable")

    key = ["unit_id", "task_id"]
    completed = _completions(answers, key)
    latest = answers.groupby(key, sort=False).tail(1)
    latest = latest.rename(columns={"status": "latest_status", "period": "latest_period"})
    latest = latest[[*key, "latest_status", "latest_period"]]
    # The last answer of the unit that said completed (for an heir, the
    # predecessor whose answer it was: another predecessor's "not completed"
    # does not revert it).
    own = answers.groupby([*key, "answered_by"], sort=False).tail(1)
    own = own.rename(
        columns={"answered_by": "done_by", "status": "own_status", "period": "own_period"}
    )[[*key, "done_by", "own_status", "own_period"]]
    this_quarter = submissions.loc[
        submissions["period"] == quarter.id, ["unit_id", "task_id", "status"]
    ].rename(columns={"status": "quarter_status"})
    this_quarter["quarter_row"] = True

    table = pairs.merge(completed, on=key, how="left").merge(latest, on=key, how="left")
    table = table.merge(own, on=[*key, "done_by"], how="left").drop(columns="done_by")
    table = table.merge(this_quarter, on=key, how="left")
    table["quarter_row"] = table["quarter_row"].fillna(False).astype(bool)
    table = _apply_verdicts(table, verdicts)

    _apply_rules(table, as_of)
    done_period = table["done_period"].fillna("").astype(str)
    own_period = table["own_period"].fillna("").astype(str)
    # Only a deadline task can be "completed, then said not completed" (by the
    # unit that said completed): a recurring or undated task is answered anew
    # every quarter.
    table["reverted"] = (
        (table["state"] == DUE)
        & (done_period != "")
        & (done_period != "verdict")
        & table["own_status"].ne("completed")
        & (own_period > done_period)
    )
    table["period"] = period.id
    table["as_of"] = as_of
    columns = [
        *CLASSIFICATION_COLUMNS,
        "label",
        "due",
        "reverted",
        "verdict_reason",
        "done_period",
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


def _completions(answers: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """Per (unit, task): ``done_period``, the earliest quarter whose answer says
    completed, ``done_by``, whose answer that was (an heir's may be a
    predecessor's), and ``done_on``, the completion date — the earliest
    explicit one, an explicit date beating one filled from a submission date;
    a later quarter's different date does not move it (ingest warns).
    ``answers`` are sorted by unit, task and quarter."""
    said = answers[answers["status"] == "completed"]
    first = said.groupby(key, sort=False).head(1)
    first = first.rename(
        columns={"completed_on": "done_on", "period": "done_period", "answered_by": "done_by"}
    )
    first = first[[*key, "done_on", "done_period", "done_by"]]
    explicit = said[~said["completed_on_filled"] & said["completed_on"].notna()]
    dated = explicit.groupby(key, sort=False).head(1)[[*key, "completed_on"]]
    first = first.merge(dated, on=key, how="left")
    first["done_on"] = first["completed_on"].where(first["completed_on"].notna(), first["done_on"])
    return first.drop(columns="completed_on")


def _apply_verdicts(table: pd.DataFrame, verdicts: pd.DataFrame | None) -> pd.DataFrame:
    """The Board's verdicts on deadline tasks (see :func:`classify`)."""
    table["verdict"] = ""
    table["verdict_reason"] = ""
    if verdicts is None or verdicts.empty:
        return table
    said = verdicts[["unit_id", "task_id", "verdict", "status", "completed_on", "reason"]]
    said = said.rename(
        columns={
            "verdict": "_verdict",
            "status": "_status",
            "completed_on": "_on",
            "reason": "_reason",
        }
    )
    table = table.merge(said, on=["unit_id", "task_id"], how="left")
    applies = table["_verdict"].notna() & (table["state"] != RECURRING)
    table["done_period"] = table["done_period"].astype(object)
    table["done_on"] = table["done_on"].astype(object)
    for index in table.index[applies]:
        verdict, status, on = table.at[index, "_verdict"], table.at[index, "_status"], None
        status = status if isinstance(status, str) and status else None
        if isinstance(table.at[index, "_on"], date):
            on = table.at[index, "_on"]
        claimed = table.at[index, "done_on"]
        if verdict == "corrected" and status is None and on is not None:
            status = "completed"
        if verdict == "not_accepted" or (verdict == "corrected" and status != "completed"):
            table.at[index, "done_period"] = None
            table.at[index, "done_on"] = None
            table.at[index, "latest_status"] = status if verdict == "corrected" else "in_progress"
        elif verdict == "corrected":
            if not isinstance(table.at[index, "done_period"], str):
                table.at[index, "done_period"] = "verdict"  # done by the Board's word
            table.at[index, "done_on"] = on if on is not None else claimed
        table.at[index, "verdict"] = verdict
        reason = table.at[index, "_reason"]
        table.at[index, "verdict_reason"] = reason if isinstance(reason, str) else ""
    return table.drop(columns=["_verdict", "_status", "_on", "_reason"])


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
    nothing_happened = (quarter_status == "no_occurrence").to_numpy()
    done = table["done_period"].fillna("").astype(str).ne("").to_numpy()
    answered = table["latest_status"].fillna("").astype(str).ne("").to_numpy()
    due = pd.to_datetime(table["due_date"]).to_numpy()
    finished = pd.to_datetime(table["done_on"]).to_numpy()
    today = pd.Timestamp(as_of).to_datetime64()
    on_time = finished <= due  # NaT compares False
    late = today > due
    rules = [
        (recurring & row_here & reported_here, "recurring_reported"),
        (recurring & row_here & nothing_happened, "recurring_no_occurrence"),
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
