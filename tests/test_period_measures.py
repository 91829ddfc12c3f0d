"""Measures of the period itself, spans judged over every quarter, and "no
data" kept apart from 0% (docs/design.md §6 and §8)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from nq28_analysis.common.periods import parse_period, parse_span
from nq28_analysis.metrics import classify, compute, empty_submissions
from nq28_analysis.reference.catalog import load_catalog
from nq28_analysis.reports.present import ranking
from tests.helpers import set_unit

BATO = "huyen-uy-ba-to"
Q = parse_period


def subs(*rows) -> pd.DataFrame:
    """Submissions rows: (period, unit, task, status, completed_on)."""
    frame = pd.DataFrame(rows, columns=["period", "unit_id", "task_id", "status", "completed_on"])
    return frame.astype({"status": "object"})


def manifest(*rows) -> pd.DataFrame:
    """Manifest rows: (period, unit, submitted_on ISO)."""
    return pd.DataFrame(
        [
            {
                "file": f"{p}/{u}-{i}.xlsx",
                "sha256": "",
                "unit_id": u,
                "period": p,
                "submitted_on": d,
                "disposition": "used",
                "reason": "",
            }
            for i, (p, u, d) in enumerate(rows)
        ]
    )


def _recurring(catalog, unit: str, quarter: str) -> list[str]:
    table = classify(catalog, empty_submissions(), Q(quarter), Q(quarter).end)
    mine = table[(table["unit_id"] == unit) & (table["deadline_kind"] == "recurring")]
    return list(mine["task_id"])


def test_a_half_year_recurring_rate_counts_both_quarters(catalog):
    tasks = _recurring(catalog, BATO, "2024-Q2")
    assert len(tasks) >= 2
    s = subs(
        *[("2024-Q1", BATO, t, "in_progress", None) for t in tasks],  # results in Q1
        *[("2024-Q2", BATO, t, "not_started", None) for t in tasks],  # none in Q2
    )
    m = manifest(("2024-Q1", BATO, "2024-04-05"), ("2024-Q2", BATO, "2024-07-05"))
    half = compute(catalog, s, m, Q("2024-H1"), date(2024, 7, 10))
    q2 = compute(catalog, s, m, Q("2024-Q2"), date(2024, 7, 10))
    bato = half.units.set_index("unit_id").loc[BATO]
    assert bato["recurring_reported"] == len(tasks)  # the first quarter's
    assert bato["recurring_pairs"] == 2 * len(tasks)
    assert bato["recurring_rate"] == pytest.approx(0.5)
    assert q2.units.set_index("unit_id").loc[BATO, "recurring_rate"] == 0.0
    # Every (unit, recurring task, quarter) of the half-year, not the last quarter's.
    assert half.summary.recurring_pairs == 2 * q2.summary.recurring_pairs
    assert half.summary.recurring_reported_pairs == len(tasks)
    # Reporting counts (unit, quarter) pairs: Ba Tơ twice, out of twice the units.
    assert half.summary.expected_submissions == 2 * q2.summary.expected_submissions
    assert (half.summary.received_submissions, half.summary.quarters) == (2, 2)
    assert (bato["quarters_expected"], bato["quarters_reported"]) == (2, 2)


def test_period_measures_of_a_constructed_quarter(catalog):
    s = subs(
        ("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 1)),  # done in the quarter
        ("2023-Q2", BATO, "III.2.9.1", "completed", date(2023, 2, 20)),  # done before it
        ("2023-Q2", "van-phong", "IV.2", "in_progress", None),  # fell due, not done
    )
    m = manifest(("2023-Q2", BATO, "2023-07-05"), ("2023-Q2", "van-phong", "2023-07-05"))
    result = compute(catalog, s, m, Q("2023-Q2"), date(2023, 7, 10))
    table = result.table
    assert result.summary.completed_in_period == 1
    fell_due = table[
        (pd.to_datetime(table["due_date"]).dt.date.between(date(2023, 4, 1), date(2023, 6, 30)))
        & (table["deadline_kind"] != "recurring")
    ]
    assert len(fell_due) > 34  # IV.2 of every unit, and the Board's own tasks of Q2/2023
    assert result.summary.overdue_new_in_period == len(fell_due) - 1  # all but Ba Tơ's IV.2
    # A year later nothing new falls due: the cumulative overdue count stays, the
    # period's own measure says what moved.
    later = compute(catalog, s, m, Q("2024-Q2"), date(2024, 7, 10))
    assert later.summary.overdue_new_in_period == 0
    assert later.summary.completed_in_period == 0
    assert later.summary.overdue_count > 0 or later.summary.received_submissions == 0


def test_nobody_reported_means_no_data_in_every_row(catalog):
    s = subs(("2024-Q1", BATO, "IV.2", "completed", date(2023, 6, 1)))
    m = manifest(("2024-Q1", BATO, "2024-04-05"), ("2024-Q1", "van-phong", "2024-04-05"))
    result = compute(catalog, s, m, Q("2024-Q2"), date(2024, 7, 10))
    assert not result.summary.has_data
    units = result.units
    assert units["completion_rate"].isna().all() and units["recurring_rate"].isna().all()
    assert units["lag_score"].isna().all() and units["lag_rank"].isna().all()
    assert not units["lagging"].any()
    rows = ranking(result).frame(("rank", "completion_rate", "lag_score"))
    assert set(rows.iloc[:, 0]) <= {"", "—"} and "0%" not in set(rows.iloc[:, 1])
    # The previous quarter had data, but this one has none: no change is shown.
    assert result.previous.summary.has_data
    assert result.units["lag_score_change"].isna().all()
    # And against a previous quarter without data, no change either.
    after = compute(
        catalog, s, manifest(("2024-Q3", BATO, "2024-10-05")), Q("2024-Q3"), date(2024, 10, 10)
    )
    assert after.summary.has_data and not after.previous.summary.has_data
    assert after.units["lag_score_change"].isna().all()
    assert after.units["lag_rank_previous"].isna().all()


@pytest.fixture
def closing(project):
    """The shipped registry with Ba Tơ closing on 31/03/2024, Sơn Hà its heir."""
    set_unit(project, BATO, valid_to="2024-03-31", successor="huyen-uy-son-ha")
    return load_catalog(project / "data/reference")


def test_a_review_shows_a_unit_that_closed_mid_span(closing):
    span = parse_span("2023-Q1..2024-Q4")
    s = subs(
        ("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 1)),
        ("2024-Q4", "huyen-uy-son-ha", "IV.2", "completed", date(2023, 6, 20)),
    )
    quarters = [q.id for q in span.quarters()]
    m = manifest(
        *[(q, BATO, f"{Q(q).end.year}-{Q(q).end.month:02}-28") for q in quarters[:5]],
        ("2024-Q4", "huyen-uy-son-ha", "2025-01-05"),
    )
    review = compute(closing, s, m, span, date(2025, 1, 10))
    units = review.units.set_index("unit_id")
    assert BATO in units.index  # closed in the span, still in the review
    bato = units.loc[BATO]
    assert bato["closed_on"] == date(2024, 3, 31)
    assert bato["successor_name"] == "Huyện ủy Sơn Hà"
    # Expected 2023-Q1..2024-Q1 (it sent its 2024-Q1 report before the deadline
    # though it closed before it): five quarters, all reported.
    assert (bato["quarters_expected"], bato["quarters_reported"]) == (5, 5)
    # Judged on its deadline tasks as it stood when it closed.
    pairs = review.table[review.table["unit_id"] == BATO].set_index("task_id")
    assert pairs.loc["IV.2", "classification"] == "done_on_time"
    words = ranking(review).frame(("unit",)).iloc[:, 0]
    assert any(
        w == "Huyện ủy Ba Tơ (kết thúc hoạt động sau ngày 31/03/2024; kế thừa: Huyện ủy Sơn Hà)"
        for w in words
    )
    # A closed unit that sent nothing for the quarter it closed in is not expected for it.
    silent = compute(closing, s, m[~m["period"].eq("2024-Q1")], span, date(2025, 1, 10))
    row = silent.units.set_index("unit_id").loc[BATO]
    assert (row["quarters_expected"], row["quarters_reported"]) == (4, 4)
