"""A task's completion date is the earliest one the unit gave: within a period a
resubmission corrects, across periods the earliest period's date stands, an
explicit date beats one filled from a submission date, and a later different
date is a warning (`completion-date-changed`) at its cell."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from nq28_analysis.common.periods import parse_period
from nq28_analysis.ingest.consolidate import completions_before, ingest
from nq28_analysis.metrics import classify

from .workbooks import filled, row_of

UNIT = "huyen-uy-ba-to"
TASK = "IV.2"  # fixed: due 30/06/2023


def _subs(*rows):
    """(period, status, completed_on, filled from the submission date?)"""
    return pd.DataFrame(
        [
            {
                "period": p,
                "unit_id": UNIT,
                "task_id": TASK,
                "status": s,
                "completed_on": d,
                "completed_on_filled": f,
            }
            for p, s, d, f in rows
        ]
    ).astype({"status": "object"})


def _pair(catalog, submissions, period="2023-Q4"):
    table = classify(catalog, submissions, parse_period(period), date(2024, 1, 10))
    row = table[(table["unit_id"] == UNIT) & (table["task_id"] == TASK)]
    return row.iloc[0]


def test_the_first_explicit_date_stands(catalog):
    pair = _pair(
        catalog,
        _subs(
            ("2023-Q2", "completed", date(2023, 6, 20), False),
            ("2023-Q3", "completed", date(2023, 10, 5), False),
        ),
    )
    assert (pair["classification"], pair["completed_on"]) == ("done_on_time", date(2023, 6, 20))


def test_a_blank_date_on_re_report_changes_nothing(catalog):
    pair = _pair(
        catalog,
        _subs(
            ("2023-Q2", "completed", date(2023, 6, 20), False),
            ("2023-Q3", "completed", date(2023, 10, 10), True),  # filled: Q3's submission date
        ),
    )
    assert (pair["classification"], pair["completed_on"]) == ("done_on_time", date(2023, 6, 20))


def test_an_explicit_date_beats_a_filled_one(catalog):
    pair = _pair(
        catalog,
        _subs(
            ("2023-Q3", "completed", date(2023, 10, 10), True),  # no date given in Q3
            ("2023-Q4", "completed", date(2023, 6, 25), False),  # the date, given later
        ),
    )
    assert (pair["classification"], pair["completed_on"]) == ("done_on_time", date(2023, 6, 25))


def test_without_the_filled_flag_the_earliest_answer_counts(catalog):
    """Submissions tables made before the flag existed read as explicit dates."""
    submissions = _subs(
        ("2023-Q2", "completed", date(2023, 7, 20), False),
        ("2023-Q3", "completed", date(2023, 6, 1), False),
    ).drop(columns="completed_on_filled")
    pair = _pair(catalog, submissions)
    assert (pair["classification"], pair["completed_on"]) == ("done_late", date(2023, 7, 20))


def test_a_later_different_date_is_warned_at_its_cell(catalog, tmp_path):
    raw = tmp_path / "raw"
    for period, day in (("2023-Q2", datetime(2023, 6, 20)), ("2023-Q3", datetime(2023, 10, 5))):
        row = row_of(catalog, UNIT, period, TASK)
        filled(
            catalog,
            raw / period,
            period=period,
            edits={f"E{row}": "Hoàn thành", f"F{row}": day},
            reported_on=parse_period(period).end,
        )
    consolidated = ingest(raw, catalog, workers=1)
    changed = [i for i in consolidated.issue_rows if i["code"] == "completion-date-changed"]
    row = row_of(catalog, UNIT, "2023-Q3", TASK)
    assert [(i["file"], i["cell"], i["severity"]) for i in changed] == [
        (f"2023-Q3/{UNIT}_2023-Q3.xlsx", f"F{row}", "warning")
    ]
    assert "20/06/2023" in changed[0]["message"] and "05/10/2023" in changed[0]["message"]
    assert changed[0]["column"] == "Ngày hoàn thành"


def test_the_next_template_is_pre_filled_with_the_date_that_counts():
    submissions = _subs(
        ("2023-Q2", "completed", date(2023, 7, 10), True),  # filled
        ("2023-Q3", "completed", date(2023, 6, 20), False),  # the date, given later
        ("2023-Q4", "completed", date(2023, 12, 1), False),  # given again, differently
    )
    prefill = completions_before(submissions, parse_period("2024-Q1"))
    assert prefill[UNIT][TASK].completed_on == date(2023, 6, 20)
