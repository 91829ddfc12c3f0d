"""A task's completion date is the earliest one the unit gave: within a period a
resubmission corrects, across periods the earliest period's date stands, an
explicit date beats one filled from a submission date, and a later different
date is a warning (`completion-date-changed`) at its cell. A month or a quarter
given alone keeps that precision into the next template and back."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.template import TASK_SHEET, Prefill, write_template
from nq28_analysis.ingest.batch import Job, check_one
from nq28_analysis.ingest.consolidate import completions_before, ingest
from nq28_analysis.metrics import classify

from .workbooks import filled, row_of, template_layout

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


# --- a month or a quarter given alone ------------------------------------------------


def _send_back(template, folder, reported_on: date, edits: dict | None = None):
    """The pre-filled ``template`` as a unit sends it back: the report date set,
    ``edits`` made, everything else left as pre-filled."""
    book = load_workbook(template)
    sheet = book[TASK_SHEET]
    sheet[template_layout().report_date] = datetime.combine(reported_on, datetime.min.time())
    for ref, value in (edits or {}).items():
        sheet[ref] = value
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / template.name)
    return folder / template.name


@pytest.mark.parametrize(
    ("written", "precision", "pre_filled"),
    [
        ("06/2023", "month", "tháng 6/2023"),
        ("tháng 6/2023", "month", "tháng 6/2023"),
        ("quý II/2023", "quarter", "quý II/2023"),
    ],
)
def test_a_month_or_quarter_alone_is_pre_filled_as_given_and_reads_back_the_same(
    catalog, tmp_path, written, precision, pre_filled
):
    raw = tmp_path / "raw"
    row = row_of(catalog, UNIT, "2023-Q2", TASK)
    filled(
        catalog,
        raw / "2023-Q2",
        period="2023-Q2",
        edits={f"F{row}": written},
        reported_on=date(2023, 7, 5),
    )
    submissions = ingest(raw, catalog, workers=1).submissions
    first = submissions.set_index("task_id")
    assert first.loc[TASK, "completed_on"] == date(2023, 6, 30)
    assert first.loc[TASK, "completed_on_precision"] == precision
    assert first.loc["III.2.9.1", "completed_on_precision"] == "day"  # 15/06/2023
    assert pd.isna(first.loc["III.2.9.2.1", "completed_on_precision"])  # no date

    q3 = parse_period("2023-Q3")
    prefill = completions_before(submissions, q3)
    template = write_template(catalog, UNIT, q3, tmp_path / "out", prefill[UNIT])
    cell = f"F{row_of(catalog, UNIT, '2023-Q3', TASK)}"
    assert load_workbook(template)[TASK_SHEET][cell].value == pre_filled  # never 30/06/2023

    _send_back(template, raw / "2023-Q3", date(2023, 10, 5))
    again = ingest(raw, catalog, workers=1)
    sub = again.submissions.set_index(["period", "task_id"])
    assert sub.loc[("2023-Q3", TASK), "completed_on"] == date(2023, 6, 30)
    assert sub.loc[("2023-Q3", TASK), "completed_on_precision"] == precision
    sent_back = [i for i in again.issue_rows if i["file"].startswith("2023-Q3/")]
    assert [i for i in sent_back if i["cell"] == cell] == []  # no date-partial, nor changed


@pytest.mark.parametrize(
    ("sent", "warned"),
    [
        (None, set()),  # left as pre-filled
        ("06/2023", set()),  # the same month, written another way
        ("tháng 5/2023", {"date-partial"}),  # another month: told again
        ("quý II/2023", {"date-partial"}),  # the same last day, less precise
    ],
)
def test_only_the_pre_filled_month_is_not_warned_again(catalog, tmp_path, sent, warned):
    q3 = parse_period("2023-Q3")
    prefill = {TASK: Prefill(completed_on=date(2023, 6, 30), precision="month")}
    template = write_template(catalog, UNIT, q3, tmp_path / "out", prefill)
    cell = f"F{row_of(catalog, UNIT, '2023-Q3', TASK)}"
    edits = {cell: sent} if sent else {}
    path = _send_back(template, tmp_path / "in", date(2023, 10, 5), edits)
    result = check_one(Job(path, path.name, "2023-Q3"), catalog)
    assert {p.code for p in result.problems if p.cell == cell} == warned


def test_tables_made_before_the_precision_column_pre_fill_the_day(catalog, tmp_path):
    submissions = _subs(("2023-Q2", "completed", date(2023, 6, 20), False))
    prefill = completions_before(submissions, parse_period("2023-Q3"))
    assert prefill[UNIT][TASK].precision == "day"
    template = write_template(catalog, UNIT, parse_period("2023-Q3"), tmp_path, prefill[UNIT])
    cell = f"F{row_of(catalog, UNIT, '2023-Q3', TASK)}"
    assert load_workbook(template)[TASK_SHEET][cell].value == datetime(2023, 6, 20)
