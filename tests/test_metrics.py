"""Metrics with answers computed by hand, every classification code and rate."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from nq28_analysis.common.periods import parse_period, parse_span
from nq28_analysis.metrics import (
    CLASSIFICATION_COLUMNS,
    age_bucket,
    classify,
    compute,
    empty_submissions,
    trend,
)
from nq28_analysis.reference.catalog import load_catalog

from .helpers import add_rows, set_unit, with_events

Q = parse_period
BATO = "huyen-uy-ba-to"


def subs(*rows) -> pd.DataFrame:
    """Submissions rows: (period, unit, task, status, completed_on)."""
    frame = pd.DataFrame(rows, columns=["period", "unit_id", "task_id", "status", "completed_on"])
    return frame.astype({"status": "object"})


def manifest(*rows) -> pd.DataFrame:
    """Manifest rows: (period, unit, submitted_on ISO, disposition)."""
    return pd.DataFrame(
        [
            {
                "file": f"{p}/{u}-{i}.xlsx",
                "sha256": "",
                "unit_id": u,
                "period": p,
                "submitted_on": d,
                "disposition": disp,
                "reason": "",
            }
            for i, (p, u, d, disp) in enumerate(rows)
        ]
    )


def cls(table, unit, task):
    row = table[(table["unit_id"] == unit) & (table["task_id"] == task)]
    assert len(row) == 1, (unit, task)
    return row.iloc[0]


# --- deadline tasks ------------------------------------------------------------------


def test_fixed_done_early_late_pending_overdue(catalog):
    s = subs(
        ("2023-Q1", BATO, "IV.2", "in_progress", None),
        ("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 15)),
        ("2023-Q2", "huyen-uy-ly-son", "IV.2", "in_progress", None),
        ("2023-Q3", "huyen-uy-ly-son", "IV.2", "completed", date(2023, 8, 1)),
        ("2023-Q3", "huyen-uy-son-ha", "IV.2", "not_started", None),
    )
    early = classify(catalog, s, Q("2023-Q1"), date(2023, 4, 10))
    assert cls(early, BATO, "IV.2")["classification"] == "pending_on_time"
    q2 = classify(catalog, s, Q("2023-Q2"), date(2023, 7, 10))
    assert cls(q2, BATO, "IV.2")[["classification", "completed_on"]].tolist() == [
        "done_on_time",
        date(2023, 6, 15),
    ]
    row = cls(q2, "huyen-uy-ly-son", "IV.2")
    assert (row["classification"], row["days_overdue"]) == ("overdue", 10)  # 30/06 → 10/07
    q3 = classify(catalog, s, Q("2023-Q3"), date(2023, 10, 10))
    assert cls(q3, "huyen-uy-ly-son", "IV.2")["classification"] == "done_late"
    assert cls(q3, "huyen-uy-son-ha", "IV.2")["days_overdue"] == 102
    assert pd.isna(cls(q3, BATO, "IV.2")["days_overdue"])
    assert cls(q3, "huyen-uy-minh-long", "IV.2")["classification"] == "not_reported"


def test_the_due_day_itself_is_on_time(catalog):
    s = subs(("2023-Q2", BATO, "IV.2", "in_progress", None))
    on_day = classify(catalog, s, Q("2023-Q2"), date(2023, 6, 30))
    assert cls(on_day, BATO, "IV.2")["classification"] == "pending_on_time"
    assert bool(cls(on_day, BATO, "IV.2")["due"])  # due pairs include it
    done = subs(("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 30)))
    assert (
        cls(classify(catalog, done, Q("2023-Q2"), date(2023, 7, 10)), BATO, "IV.2")[
            "classification"
        ]
        == "done_on_time"
    )


def test_a_completion_is_carried_and_never_undone(catalog):
    s = subs(
        ("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 15)),
        ("2024-Q1", BATO, "IV.2", "in_progress", None),
    )
    row = cls(classify(catalog, s, Q("2024-Q2"), date(2024, 7, 10)), BATO, "IV.2")
    assert (row["classification"], row["completed_on"], bool(row["reverted"])) == (
        "done_on_time",
        date(2023, 6, 15),
        True,
    )


def test_earliest_completion_date_counts(catalog):
    """A later period's different date does not move the completion (ingest
    warns `completion-date-changed`; see tests/test_completion_dates.py)."""
    s = subs(
        ("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 15)),
        ("2023-Q3", BATO, "IV.2", "completed", date(2023, 7, 20)),  # given again, later
    )
    row = cls(classify(catalog, s, Q("2023-Q3"), date(2023, 10, 10)), BATO, "IV.2")
    assert (row["classification"], row["completed_on"]) == ("done_on_time", date(2023, 6, 15))


def test_staggered_from_two_levels(catalog):
    s = subs(
        ("2023-Q1", "ban-tuyen-giao", "III.2.1.1", "completed", date(2023, 1, 15)),
        ("2023-Q1", BATO, "III.2.1.1", "completed", date(2023, 1, 15)),
    )
    table = classify(catalog, s, Q("2023-Q1"), date(2023, 4, 10))
    assert cls(table, "ban-tuyen-giao", "III.2.1.1")["due_date"] == date(2022, 12, 31)
    assert cls(table, "ban-tuyen-giao", "III.2.1.1")["classification"] == "done_late"
    assert cls(table, BATO, "III.2.1.1")["due_date"] == date(2023, 1, 31)
    assert cls(table, BATO, "III.2.1.1")["classification"] == "done_on_time"


def test_annual_task_across_a_year_boundary(catalog):
    s = subs(("2023-Q4", "van-phong", "III.2.6.4", "completed", date(2023, 11, 1)))
    in_2023 = cls(classify(catalog, s, Q("2023-Q4"), date(2024, 1, 10)), "van-phong", "III.2.6.4")
    assert (in_2023["classification"], in_2023["due_date"]) == ("done_on_time", date(2023, 12, 31))
    in_2024 = cls(classify(catalog, s, Q("2024-Q1"), date(2024, 4, 10)), "van-phong", "III.2.6.4")
    assert (in_2024["classification"], in_2024["due_date"]) == ("not_reported", date(2024, 12, 31))
    assert not bool(in_2024["due"])  # not yet due: not in the completion rate


def test_on_request_before_and_after_its_event(project):
    catalog = with_events(project, "yc,III.2.1.6,request,2024-03-01,2024-06-30,,,")
    s = subs(("2024-Q1", "ban-tuyen-giao", "III.2.1.6", "in_progress", None))
    before = classify(catalog, s, Q("2023-Q4"), date(2024, 1, 10))
    assert cls(before, "ban-tuyen-giao", "III.2.1.6")["classification"] == "not_triggered"
    during = classify(catalog, s, Q("2024-Q1"), date(2024, 4, 10))
    assert cls(during, "ban-tuyen-giao", "III.2.1.6")["classification"] == "pending_on_time"
    after = classify(catalog, s, Q("2024-Q2"), date(2024, 7, 10))
    assert cls(after, "ban-tuyen-giao", "III.2.1.6")[
        ["classification", "days_overdue"]
    ].tolist() == ["overdue", 10]


def test_no_deadline_and_not_triggered(catalog):
    table = classify(
        catalog,
        subs(("2024-Q1", BATO, "III.1.1", "completed", date(2024, 2, 1))),
        Q("2024-Q1"),
        date(2024, 4, 10),
    )
    assert cls(table, BATO, "III.1.1")["classification"] == "no_deadline"
    assert cls(table, "ban-to-chuc", "III.2.2.2")["classification"] == "not_triggered"


def test_recurring_reported_silent_and_missing(catalog):
    task = "III.2.9.2.1"
    s = subs(
        ("2024-Q1", BATO, task, "in_progress", None),
        ("2024-Q1", "huyen-uy-ly-son", task, "completed", None),
        ("2024-Q1", "huyen-uy-son-ha", task, "not_started", None),
        ("2024-Q1", "huyen-uy-son-tay", task, None, None),  # empty status: silent
        ("2023-Q4", "huyen-uy-minh-long", task, "in_progress", None),  # last quarter only
    )
    table = classify(catalog, s, Q("2024-Q1"), date(2024, 4, 10))
    got = {
        u: cls(table, u, task)["classification"]
        for u in (
            BATO,
            "huyen-uy-ly-son",
            "huyen-uy-son-ha",
            "huyen-uy-son-tay",
            "huyen-uy-minh-long",
        )
    }
    assert got == {
        BATO: "recurring_reported",
        "huyen-uy-ly-son": "recurring_reported",
        "huyen-uy-son-ha": "recurring_silent",
        "huyen-uy-son-tay": "recurring_silent",
        "huyen-uy-minh-long": "not_reported",
    }


def test_half_year_is_judged_on_its_last_quarter(catalog):
    s = subs(
        ("2024-Q1", BATO, "III.2.9.2.1", "in_progress", None),
        ("2024-Q2", BATO, "III.2.9.2.2", "in_progress", None),
    )
    table = classify(catalog, s, Q("2024-H1"), date(2024, 7, 10))
    assert cls(table, BATO, "III.2.9.2.1")["classification"] == "not_reported"
    assert cls(table, BATO, "III.2.9.2.2")["classification"] == "recurring_reported"
    assert set(table["period"]) == {"2024-H1"}


def test_contract_columns(catalog):
    table = classify(catalog, empty_submissions(), Q("2024-Q2"), date(2024, 7, 10))
    assert list(table.columns[: len(CLASSIFICATION_COLUMNS)]) == list(CLASSIFICATION_COLUMNS)
    assert len(table) == 257  # 34 units: one Khối committee, the KH&KT delegation added


# --- units closing, successors ---------------------------------------------------------


def test_closed_unit_and_successor(project):
    units = project / "data/reference/units.csv"
    set_unit(project, "ban-tuyen-giao", valid_to="2025-02-28", successor="ban-tuyen-giao-dan-van")
    add_rows(
        units,
        "ban-tuyen-giao-dan-van,Ban Tuyên giáo và Dân vận Tỉnh ủy,BTGDV,,"
        "co-quan-tham-muu,tinh,tinh-uy,11,có,2025-03-01,,",
    )
    catalog = load_catalog(project / "data/reference")
    s = subs(("2023-Q1", "ban-tuyen-giao", "III.2.1.1", "completed", date(2022, 12, 20)))
    table = classify(catalog, s, Q("2025-Q1"), date(2025, 4, 10))
    assert "ban-tuyen-giao" not in set(table["unit_id"])
    row = cls(table, "ban-tuyen-giao-dan-van", "III.2.1.1")
    assert (row["classification"], row["inherited_from"]) == ("done_on_time", "ban-tuyen-giao")


# --- rates ------------------------------------------------------------------------------


def test_rates_by_hand(catalog):
    period = Q("2023-Q3")
    s = subs(
        ("2023-Q3", BATO, "IV.2", "completed", date(2023, 6, 1)),
        ("2023-Q3", BATO, "III.2.9.1", "completed", date(2023, 8, 1)),
        ("2023-Q3", BATO, "III.1.2", "in_progress", None),
        ("2023-Q3", BATO, "III.2.9.2.1", "in_progress", None),
        ("2023-Q3", BATO, "III.2.9.2.2", "not_started", None),
    )
    m = manifest(
        ("2023-Q3", BATO, "2023-10-09", "used"),
        ("2023-Q3", "van-phong", "2023-10-20", "used"),
        ("2023-Q3", "ban-to-chuc", "", "superseded"),
    )
    result = compute(catalog, s, m, period, date(2023, 10, 25))
    units = result.units.set_index("unit_id")
    bato = units.loc[BATO]
    # Due pairs of Ba Tơ: III.2.1.1 (31/01/2023), III.2.9.1 (28/02/2023), IV.2 (30/06/2023).
    assert (bato["due_pairs"], bato["completed"], bato["completed_on_time"]) == (3, 2, 1)
    # Recurring: III.1.2–III.1.4, III.2.9.2.1, III.2.9.2.2; results in III.1.2 and III.2.9.2.1.
    assert (bato["completion_rate"], bato["on_time_rate"], bato["recurring_rate"]) == (
        pytest.approx(2 / 3),
        pytest.approx(1 / 3),
        0.4,
    )
    summary = result.summary
    assert summary.expected_submissions == 34 and summary.received_submissions == 3
    assert summary.reporting_rate == pytest.approx(3 / 34)
    assert summary.on_time_reporting_rate == pytest.approx(1 / 34)  # unknown date: not on time
    due_total = int(result.table["due"].sum())
    assert summary.completion_rate == pytest.approx(2 / due_total)
    assert summary.overdue_count == 0  # nobody else answered: not reported, not overdue
    # A report is a point in time: as of 10/10/2023 the office's file of
    # 20/10/2023 had not arrived; it is listed as left out.
    earlier = compute(catalog, s, m, period, date(2023, 10, 10))
    assert earlier.summary.received_submissions == 2
    assert list(earlier.left_out["unit_id"]) == ["van-phong"]
    assert result.left_out.empty


def test_rates_with_nothing_submitted_are_undefined_not_zero(catalog):
    result = compute(catalog, empty_submissions(), manifest(), Q("2024-Q2"))
    s = result.summary
    assert (s.completion_rate, s.on_time_rate, s.recurring_rate) == (None, None, None)
    assert (s.reporting_rate, s.received_submissions) == (0.0, 0)


def test_all_zero_is_zero(catalog):
    s = subs(("2023-Q3", BATO, "IV.2", "in_progress", None))
    result = compute(
        catalog,
        s,
        manifest(("2023-Q3", BATO, "2023-10-01", "used")),
        Q("2023-Q3"),
        date(2023, 10, 10),
    )
    assert result.summary.completion_rate == 0.0
    assert result.summary.on_time_rate == 0.0


def test_ranking_ties_and_silence_never_pays(catalog):
    m = manifest(
        *[("2023-Q3", u, "2023-10-05", "used") for u in ("huyen-uy-ly-son", "huyen-uy-son-ha")]
    )
    s = subs(
        ("2023-Q3", "huyen-uy-ly-son", "IV.2", "in_progress", None),  # overdue
        ("2023-Q3", "huyen-uy-son-ha", "IV.2", "in_progress", None),  # overdue: a tie
    )
    units = compute(catalog, s, m, Q("2023-Q3"), date(2023, 10, 10)).units.set_index("unit_id")
    # Identical answers: identical scores, the official order breaks the tie.
    assert units.loc["huyen-uy-ly-son", "lag_score"] == units.loc["huyen-uy-son-ha", "lag_score"]
    assert units.loc["huyen-uy-son-ha", "lag_rank"] < units.loc["huyen-uy-ly-son", "lag_rank"]
    # A unit that sent nothing scores worse than one that reported its overdue work.
    assert units.loc["huyen-uy-minh-long", "lag_score"] > units.loc["huyen-uy-son-ha", "lag_score"]
    assert bool(units.loc["huyen-uy-minh-long", "lagging"])


def test_previous_period_change(catalog):
    s = subs(("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 1)))
    m = manifest(
        ("2023-Q2", BATO, "2023-07-05", "used"),
        ("2023-Q3", "van-phong", "2023-10-05", "used"),  # someone reported: there is data
    )
    result = compute(catalog, s, m, Q("2023-Q3"), date(2023, 10, 10))
    bato = result.units.set_index("unit_id").loc[BATO]
    assert result.previous.period.id == "2023-Q2"
    assert bato["lag_score"] > result.previous.units.set_index("unit_id").loc[BATO, "lag_score"]
    assert bato["lag_score_change"] > 0


def test_span_trend_and_consistent_reporters(catalog):
    s = subs(
        ("2023-Q1", BATO, "IV.2", "in_progress", None),
        ("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 1)),
    )
    m = manifest(
        ("2023-Q1", BATO, "2023-04-05", "used"),
        ("2023-Q2", BATO, "2023-07-05", "used"),
        ("2023-Q1", "van-phong", "2023-04-05", "used"),
    )
    table, consistent = trend(catalog, s, m, parse_span("2023-Q1..2023-Q2"))
    assert table["period"].tolist() == ["2023-Q1", "2023-Q2"]
    assert table["reporting_rate"].tolist() == pytest.approx([2 / 34, 1 / 34])
    assert consistent == [BATO]


def test_age_buckets():
    assert [age_bucket(d) for d in (1, 30, 31, 90, 91, 400)] == [
        "≤ 30 ngày",
        "≤ 30 ngày",
        "31–90 ngày",
        "31–90 ngày",
        "> 90 ngày",
        "> 90 ngày",
    ]
    assert age_bucket(None) is None


def test_rollups_by_section_and_kind(catalog):
    from nq28_analysis.metrics import rollup

    s = subs(
        ("2023-Q3", BATO, "IV.2", "completed", date(2023, 6, 1)),
        ("2023-Q3", "van-phong", "IV.2", "in_progress", None),
    )
    table = classify(catalog, s, Q("2023-Q3"), date(2023, 10, 10))
    by_section = rollup(table, "section").set_index("section")
    iv = by_section.loc["IV"]
    assert iv["pairs"] == 35 and iv["due_pairs"] == 34  # IV.2 × 34 units, IV.3 recurring
    # 32 units silent on IV.2, and Ban Tổ chức silent on IV.3 (recurring).
    assert (iv["done_on_time"], iv["overdue"], iv["not_reported"]) == (1, 1, 33)
    assert iv["completion_rate"] == pytest.approx(1 / 34)
    assert by_section["pairs"].sum() == len(table)
    by_kind = rollup(table, "deadline_kind").set_index("deadline_kind")
    assert by_kind.loc["recurring", "due_pairs"] == 0
    assert pd.isna(by_kind.loc["recurring", "completion_rate"])  # undefined, not 0
