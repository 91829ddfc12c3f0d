"""«Không phát sinh»: a period with nothing of the kind to do (no appointment,
no case). A status of its own, ``no_occurrence``: on a recurring task the pair is
``recurring_no_occurrence``, outside the recurring rate; on a task the program
dates itself it reads as not started, with a warning at the cell."""

from __future__ import annotations

from datetime import date

import pandas as pd
from openpyxl import load_workbook

from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.template import STATUS_CHOICES, TASK_SHEET
from nq28_analysis.ingest.batch import Job, check_one
from nq28_analysis.metrics import compute

from .workbooks import filled, row_of

P = "2024-Q2"
UNIT = "huyen-uy-ba-to"


def _check(catalog, path):
    return check_one(Job(path, f"{P}/{path.name}", P), catalog)


def _answer(result, task_id):
    return next(a for a in result.answers if a["task_id"] == task_id)


def test_the_template_offers_it(catalog, tmp_path):
    assert STATUS_CHOICES[-1] == "Không phát sinh"
    book = load_workbook(filled(catalog, tmp_path))
    rules = book[TASK_SHEET].data_validations.dataValidation
    listed = next(r for r in rules if r.type == "list")
    assert "Không phát sinh" in listed.formula1
    assert "hoặc Không phát sinh" in listed.error


def test_on_a_recurring_task_it_is_an_answer_without_warning(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "III.2.9.2.1")  # recurring
    result = _check(catalog, filled(catalog, tmp_path, edits={f"E{row}": "KPS"}))
    assert _answer(result, "III.2.9.2.1")["status"] == "no_occurrence"
    assert not [p for p in result.problems if p.cell == f"E{row}"]


def test_on_a_dated_task_it_is_kept_and_warned_at_its_cell(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "IV.2")  # fixed: due 30/06/2023
    result = _check(catalog, filled(catalog, tmp_path, edits={f"E{row}": "Không phát sinh"}))
    assert _answer(result, "IV.2")["status"] == "no_occurrence"
    warned = [(p.cell, p.code, p.severity) for p in result.problems if p.cell == f"E{row}"]
    assert warned == [(f"E{row}", "no-occurrence-on-deadline-task", "warning")]


def test_on_a_task_waiting_for_a_plan_it_is_not_warned(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "III.2.9.1")  # per_plan: may well have had nothing yet
    result = _check(catalog, filled(catalog, tmp_path, edits={f"E{row}": "Chưa phát sinh"}))
    assert _answer(result, "III.2.9.1")["status"] == "no_occurrence"
    assert not [p for p in result.problems if p.cell == f"E{row}"]


def _subs(*rows):
    frame = pd.DataFrame(rows, columns=["period", "unit_id", "task_id", "status", "completed_on"])
    return frame.astype({"status": "object"})


def _manifest(*units):
    return pd.DataFrame(
        [
            {
                "file": f"{P}/{u}.xlsx",
                "sha256": "",
                "unit_id": u,
                "period": P,
                "submitted_on": "2024-07-05",
                "disposition": "used",
                "reason": "",
            }
            for u in units
        ]
    )


def test_classification_and_the_recurring_rate(catalog):
    other = "huyen-uy-son-ha"
    submissions = _subs(
        (P, UNIT, "III.2.9.2.1", "no_occurrence", None),
        (P, UNIT, "III.2.9.2.2", "in_progress", None),
        (P, UNIT, "IV.2", "no_occurrence", None),
        (P, other, "III.2.9.2.1", "not_started", None),
        (P, other, "III.2.9.2.2", "completed", None),
    )
    result = compute(
        catalog, submissions, _manifest(UNIT, other), parse_period(P), date(2024, 7, 10)
    )
    table = result.table.set_index(["unit_id", "task_id"])
    assert table.loc[(UNIT, "III.2.9.2.1"), "classification"] == "recurring_no_occurrence"
    assert table.loc[(UNIT, "III.2.9.2.1"), "status"] == "no_occurrence"
    assert table.loc[(UNIT, "III.2.9.2.1"), "label"] == "Thường xuyên — không phát sinh trong kỳ"
    assert table.loc[(other, "III.2.9.2.1"), "classification"] == "recurring_silent"
    # On a dated task it is "not started": overdue, as IV.2 fell due on 30/06/2023.
    assert table.loc[(UNIT, "IV.2"), "classification"] == "overdue"
    # Every expected unit's recurring pairs count, but the one with nothing to do.
    recurring = int((result.table["deadline_kind"] == "recurring").sum())
    s = result.summary
    assert (s.recurring_reported_pairs, s.recurring_pairs) == (2, recurring - 1)
    assert s.recurring_rate == 2 / (recurring - 1)
    assert s.classification_counts["recurring_no_occurrence"] == 1
    units = result.units.set_index("unit_id")
    # Ba Tơ: III.1.2–III.1.4 unanswered, III.2.9.2.2 reported; III.2.9.2.1 left out.
    assert units.loc[UNIT, "recurring_pairs"] == 4 and units.loc[UNIT, "recurring_rate"] == 0.25
