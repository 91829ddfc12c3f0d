"""Nothing is lost: mutate a filled template at random and account for every row.

Each table row of the workbook ends up accepted (an answer carrying its row
number), behind an error at that row, or not used because the file answered
the same task under its other id too (a warning at that row); rows below the
table that hold no answer are not data. Counts agree:
``answers + rows in error + rows replaced == rows seen``.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from nq28_analysis.forms.template import TASK_SHEET
from nq28_analysis.ingest.batch import Job, check_one

from .workbooks import filled, template_layout

MUTATIONS = {
    "keep": {},
    "blank-status": {"status": None},
    "bad-status": {"status": "Tốt lắm"},
    "bad-date": {"status": "Hoàn thành", "completed_on": "hôm qua"},
    "impossible-date": {"status": "Hoàn thành", "completed_on": "30/02/2024"},
    "no-id": {"task_id": None},
    "unknown-id": {"task_id": "III.7.7"},
    "id-without-prefix": {"task_id": "2.9.1"},
    "old-id": {"task_id": "III.2.9.2"},  # another id of IV.2
    "legacy-text": {"result": "§· ban hµnh kÕ ho¹ch"},
    "formula-like": {"result": "=1+1 là kết quả"},
}
LAYOUT = template_layout()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    mutations=st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=9, max_size=9),
    trailer=st.booleans(),
)
def test_every_row_is_accounted_for(catalog, tmp_path_factory, mutations, trailer):
    folder: Path = tmp_path_factory.mktemp("rows")
    path = filled(catalog, folder / "2024-Q2")
    book = load_workbook(path)
    sheet = book[TASK_SHEET]
    for offset, name in enumerate(mutations):
        for field, value in MUTATIONS[name].items():
            sheet[LAYOUT.cell(field, LAYOUT.first_row + offset)] = value
    if trailer:  # a signature block two blank rows below the table
        below = LAYOUT.first_row + len(mutations) + 2
        sheet[LAYOUT.cell("task_id", below)] = "Nơi nhận:"
        sheet[LAYOUT.cell("result", below)] = "T/M BAN THƯỜNG VỤ"
        sheet[LAYOUT.cell("result", below + 1)] = "BÍ THƯ"
    book.save(path)

    result = check_one(Job(path, f"2024-Q2/{path.name}", "2024-Q2"), catalog)
    error_rows = {p.row for p in result.problems if p.severity == "error" and p.row}
    answered = {a["source_row"] for a in result.answers}
    replaced = {p.row for p in result.problems if p.code == "task-alias-duplicate"}
    assert not result.rejected
    assert answered.isdisjoint(error_rows) and answered.isdisjoint(replaced)
    assert len(replaced) == result.rows_replaced
    assert len(result.answers) + result.rows_in_error + result.rows_replaced == result.rows_seen
    for offset, name in enumerate(mutations):
        row = LAYOUT.first_row + offset
        assert row in answered or row in error_rows or row in replaced, (name, row)
        if name in {"bad-status", "bad-date", "impossible-date", "no-id", "unknown-id"}:
            assert row in error_rows, (name, row)
    assert result.rows_seen == len(mutations)  # the trailer is not data
    # Duplicates are errors too, so each task has at most one answer.
    ids = [a["task_id"] for a in result.answers]
    assert len(ids) == len(set(ids))
