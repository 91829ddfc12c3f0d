"""The second reading of the source (docs/design.md §6): each decided reading,
held by a test that fails if the catalogue, the engine, ingest or the template
read the text otherwise.

* ``III.2.2.9`` is split: the ongoing first sentence (``9a``) and the 306-QĐ/TU
  sentence the deadline closes (``9b``); the old id is another id of ``9b``.
* ``III.2.9.2`` is another id of ``IV.2`` (the same plan, counted once).
* ``III.1.2``–``III.1.4`` are recurring; ``III.1.1`` stays without a deadline,
  its plan being counted at ``IV.2``.
* ``III.2.2.4``/``III.2.2.8`` (Kế hoạch 121-KH/TU, in force before the program)
  report every quarter until the plan's milestones are recorded as events.
* The first reporting quarter is 2022-Q4.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from nq28_analysis.common.errors import ReferenceDataError
from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.template import template_rows, write_template, write_templates
from nq28_analysis.ingest.batch import Job, check_one
from nq28_analysis.ingest.consolidate import ingest
from nq28_analysis.metrics import classify, compute
from nq28_analysis.reference.catalog import load_catalog
from nq28_analysis.reference.deadlines import expected_units, obligation
from nq28_analysis.reference.source import read_source

from .helpers import SOURCE, add_rows, edit_csv, with_events
from .workbooks import filled, row_of, template_layout

P = "2024-Q2"
Q = parse_period
BOARD = "ban-to-chuc"
BATO = "huyen-uy-ba-to"
LAYOUT = template_layout()


def check(catalog, path):
    return check_one(Job(path, f"{P}/{path.name}", P), catalog)


def at(result, code):
    """(cell, severity) of every problem with ``code``."""
    return {(p.cell, p.severity) for p in result.problems if p.code == code}


def answer(result, task_id):
    (found,) = [a for a in result.answers if a["task_id"] == task_id]
    return found


def below_table(catalog, unit: str, task_id: str, status: str, day: date | None) -> dict:
    """Edits adding one more row under the unit's table (a row an old template had)."""
    row = LAYOUT.first_row + len(template_rows(catalog, unit, Q(P)))
    edits = {LAYOUT.cell("task_id", row): task_id, LAYOUT.cell("status", row): status}
    if day:
        edits[LAYOUT.cell("completed_on", row)] = datetime.combine(day, datetime.min.time())
    return edits


# --- 1. III.2.2.9: an ongoing duty and the 306-QĐ/TU revision, split ------------------


def test_iii_2_2_9_is_split_into_its_ongoing_sentence_and_its_dated_one(catalog):
    ongoing, dated = catalog.task("III.2.2.9a"), catalog.task("III.2.2.9b")
    assert ongoing.text_vi.startswith("Tham mưu Ban Thường vụ Tỉnh ủy thường xuyên rà soát")
    assert ongoing.deadline_kind == "recurring" and not ongoing.deadline_phrase
    assert dated.text_vi.startswith("Rà soát, sửa đổi, bổ sung Quyết định số 306-QĐ/TU")
    assert (dated.deadline_kind, dated.rule.due) == ("fixed", date(2023, 6, 30))
    assert dated.deadline_phrase == "hoàn thành trong quý II/2023"
    assert "III.2.2.9" not in catalog.tasks
    ids = [r["task_id"] for r in template_rows(catalog, BOARD, Q(P))]
    assert ids[ids.index("III.2.2.8") + 1 : ids.index("III.2.2.10a")] == [
        "III.2.2.9a",
        "III.2.2.9b",
    ]


@pytest.mark.parametrize("written", ["III.2.2.9", "2.2.9", "Nhiệm vụ 2.2.9."])
def test_the_old_id_is_read_as_9b_with_a_warning_at_its_cell(catalog, tmp_path, written):
    row = row_of(catalog, BOARD, P, "III.2.2.9b")
    cell = LAYOUT.cell("task_id", row)
    result = check(catalog, filled(catalog, tmp_path, BOARD, edits={cell: written}))
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert at(result, "task-alias") == {(cell, "warning")}
    (problem,) = [p for p in result.problems if p.code == "task-alias"]
    assert "III.2.2.9b" in problem.message and "306-QĐ/TU" in problem.message
    assert answer(result, "III.2.2.9b")["source_row"] == row
    assert result.rows_replaced == 0


def test_old_id_and_9b_in_one_file_count_once_the_current_id_winning(catalog, tmp_path):
    # The old id sits *above* 9b (on 9a's row): where a row sits does not matter.
    old = row_of(catalog, BOARD, P, "III.2.2.9a")
    current = row_of(catalog, BOARD, P, "III.2.2.9b")
    edits = {
        LAYOUT.cell("task_id", old): "III.2.2.9",
        LAYOUT.cell("status", old): "Hoàn thành",
        LAYOUT.cell("completed_on", old): datetime(2023, 5, 2),
    }
    result = check(catalog, filled(catalog, tmp_path, BOARD, edits=edits))
    assert not result.has_errors
    assert answer(result, "III.2.2.9b")["source_row"] == current
    assert answer(result, "III.2.2.9b")["completed_on"] == date(2023, 6, 15)
    cell = LAYOUT.cell("task_id", old)
    assert at(result, "task-alias-duplicate") == {(cell, "warning")}
    assert result.rows_replaced == 1
    assert len(result.answers) + result.rows_replaced == result.rows_seen


def test_an_empty_status_under_the_current_id_leaves_the_old_ids_answer(catalog, tmp_path):
    current = row_of(catalog, BOARD, P, "III.2.2.9b")
    edits = {
        LAYOUT.cell("status", current): None,
        LAYOUT.cell("completed_on", current): None,
        **below_table(catalog, BOARD, "III.2.2.9", "Hoàn thành", date(2023, 6, 1)),
    }
    result = check(catalog, filled(catalog, tmp_path, BOARD, edits=edits))
    kept = answer(result, "III.2.2.9b")
    assert (kept["status"], kept["completed_on"]) == ("completed", date(2023, 6, 1))
    assert at(result, "task-alias-duplicate") == {(LAYOUT.cell("task_id", current), "warning")}


def test_two_rows_under_the_old_id_are_a_duplicate_error(catalog, tmp_path):
    current = row_of(catalog, BOARD, P, "III.2.2.9b")
    edits = {
        LAYOUT.cell("task_id", current): "III.2.2.9",
        **below_table(catalog, BOARD, "2.2.9", "Hoàn thành", date(2023, 6, 1)),
    }
    result = check(catalog, filled(catalog, tmp_path, BOARD, edits=edits))
    below = LAYOUT.cell("task_id", LAYOUT.first_row + len(template_rows(catalog, BOARD, Q(P))))
    assert at(result, "task-duplicate") == {(below, "error")}


# --- 3. III.2.9.2 is the plan IV.2 dates: counted once, at IV.2 -----------------------


def test_district_templates_ask_for_the_plan_once_under_iv_2(catalog):
    ids = [r["task_id"] for r in template_rows(catalog, BATO, Q(P))]
    assert "IV.2" in ids and "III.2.9.2" not in ids
    assert {"III.2.9.2.1", "III.2.9.2.2"} <= set(ids)
    assert catalog.current_task_id("III.2.9.2") == "IV.2"


def test_an_old_district_file_with_both_rows_counts_the_plan_once(catalog, tmp_path):
    """An old template had III.2.9.2 and IV.2: both rows are IV.2, IV.2's own row is
    used, and the unit's plan is one pair, completed once."""
    raw = tmp_path / "raw"
    edits = below_table(catalog, BATO, "III.2.9.2", "Hoàn thành", date(2023, 8, 1))
    path = filled(catalog, raw / P, edits=edits)
    result = check(catalog, path)
    extra = next(iter(edits))
    assert at(result, "task-alias") == {(extra, "warning")}
    assert at(result, "task-alias-duplicate") == {(extra, "warning")}
    assert not result.has_errors
    done = ingest(raw, catalog, workers=1)
    plan = done.submissions[done.submissions["task_id"] == "IV.2"]
    assert plan["completed_on"].tolist() == [date(2023, 6, 15)]  # IV.2's own row
    assert "III.2.9.2" not in set(done.submissions["task_id"])
    assert "không dùng" in done.manifest["reason"].iloc[0]
    manifest = done.manifest.assign(submitted_on="2024-07-05")
    table = compute(catalog, done.submissions, manifest, Q(P), date(2024, 7, 10)).table
    mine = table[(table["unit_id"] == BATO) & table["due"]]
    assert sorted(mine["task_id"]) == ["III.2.1.1", "III.2.9.1", "IV.2"]


def test_an_old_district_file_answering_only_iii_2_9_2_completes_iv_2(catalog, tmp_path):
    row = row_of(catalog, BATO, P, "IV.2")
    cell = LAYOUT.cell("task_id", row)
    result = check(catalog, filled(catalog, tmp_path, edits={cell: "2.9.2"}))
    assert at(result, "task-alias") == {(cell, "warning")}
    assert answer(result, "IV.2")["status"] == "completed"


def test_a_plan_filed_under_both_ids_in_different_quarters_is_one_pair(catalog, tmp_path):
    """2023-Q2 under III.2.9.2 (done 20/06/2023), 2023-Q3 under IV.2 (done 15/06/2023):
    one pair, completed once, from the earliest quarter's date."""
    raw = tmp_path / "raw"
    q2 = row_of(catalog, BATO, "2023-Q2", "IV.2")
    filled(
        catalog,
        raw / "2023-Q2",
        period="2023-Q2",
        reported_on=date(2023, 7, 5),
        edits={
            LAYOUT.cell("task_id", q2): "III.2.9.2",
            LAYOUT.cell("completed_on", q2): datetime(2023, 6, 20),
        },
    )
    filled(catalog, raw / "2023-Q3", period="2023-Q3", reported_on=date(2023, 10, 5))
    done = ingest(raw, catalog, workers=1)
    assert set(done.submissions.loc[done.submissions["task_id"] == "IV.2", "period"]) == {
        "2023-Q2",
        "2023-Q3",
    }
    table = classify(catalog, done.submissions, Q("2023-Q3"), date(2023, 10, 10))
    plan = table[(table["unit_id"] == BATO) & table["task_id"].isin(["IV.2", "III.2.9.2"])]
    assert plan[["task_id", "classification", "completed_on"]].values.tolist() == [
        ["IV.2", "done_on_time", date(2023, 6, 20)]
    ]


# --- aliases are data: task_aliases.csv ------------------------------------------------


def test_an_alias_must_not_be_a_task_id(project):
    add_rows(project / "data/reference/task_aliases.csv", "IV.1,IV.2,nhầm")
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(project / "data/reference")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "task_aliases.csv",
        4,
        "alias",
        "ref-duplicate-id",
    )


def test_an_alias_must_name_a_task_and_say_why(project):
    add_rows(project / "data/reference/task_aliases.csv", "III.2.2.99,III.2.2.98,", "IV.9,IV.2,")
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(project / "data/reference")
    found = {(p.row, p.column, p.code) for p in caught.value.problems}
    assert found == {
        (4, "note", "ref-missing-value"),
        (5, "note", "ref-missing-value"),
        (4, "task_id", "ref-unknown-task"),
    }


def test_without_an_alias_table_old_ids_are_unknown(project, tmp_path):
    (project / "data/reference/task_aliases.csv").unlink()
    catalog = load_catalog(project / "data/reference")
    assert catalog.aliases == {} and catalog.current_task_id("III.2.2.9") is None
    row = row_of(catalog, BOARD, P, "III.2.2.9b")
    cell = LAYOUT.cell("task_id", row)
    result = check(catalog, filled(catalog, tmp_path, BOARD, edits={cell: "III.2.2.9"}))
    assert at(result, "task-unknown") == {(cell, "error")}


def test_an_event_recorded_under_the_old_id_applies_to_the_task(project):
    catalog = with_events(
        project, "gia-han,III.2.2.9,extension,2023-06-15,2023-09-30,,Ban Thường vụ đồng ý,"
    )
    ob = obligation(catalog, "III.2.2.9b", BOARD, Q("2023-Q2"), date(2023, 7, 10))
    assert (ob.due, ob.event_id) == (date(2023, 9, 30), "gia-han")


def test_a_completion_filed_under_an_old_id_prefills_the_task(catalog, tmp_path):
    from openpyxl import load_workbook

    prefill = {"III.2.9.2": _done(date(2023, 6, 20)), "III.9.9": _done(date(2023, 6, 20))}
    path = write_template(catalog, BATO, Q(P), tmp_path, prefill)
    sheet = load_workbook(path).worksheets[0]
    row = row_of(catalog, BATO, P, "IV.2")
    assert sheet[LAYOUT.cell("status", row)].value == "Hoàn thành"


def _done(day):
    from nq28_analysis.forms.template import Prefill

    return Prefill(completed_on=day)


# --- 2. III.1: three ongoing key tasks, and the plan counted at IV.2 -------------------


def test_key_tasks_iii_1_2_to_4_are_recurring_and_iii_1_1_is_counted_at_iv_2(catalog):
    for task_id in ("III.1.2", "III.1.3", "III.1.4"):
        task = catalog.task(task_id)
        assert task.deadline_kind == "recurring", task_id
        assert task.deadline_reading == "thực hiện thường xuyên" and task.reading_note
    plan = catalog.task("III.1.1")
    assert plan.deadline_kind == "none"
    assert "IV.2" in plan.reading_note and "hai lần" in plan.reading_note
    # IV.2 binds every unit III.1.1 binds: the plan has its date there.
    assert set(catalog.resolve(plan.lead)) <= set(catalog.resolve(catalog.task("IV.2").lead))


def test_an_answer_to_a_key_task_now_counts(catalog):
    s = pd.DataFrame(
        [
            (P, BATO, "III.1.1", "completed", date(2023, 5, 1)),
            (P, BATO, "III.1.2", "in_progress", None),
        ],
        columns=["period", "unit_id", "task_id", "status", "completed_on"],
    )
    table = classify(catalog, s, Q(P), date(2024, 7, 10)).set_index(["unit_id", "task_id"])
    assert table.loc[(BATO, "III.1.2"), "classification"] == "recurring_reported"
    assert table.loc[(BATO, "III.1.3"), "classification"] == "not_reported"
    assert table.loc[(BATO, "III.1.1"), "classification"] == "no_deadline"
    assert not table.loc[(BATO, "III.1.1"), "due"]


# --- 4. III.2.2.4, III.2.2.8: Kế hoạch 121-KH/TU, a plan already in force -------------


def test_121_kh_tu_tasks_report_every_quarter_in_the_programs_words(catalog):
    words = {r["task_id"]: r["deadline"] for r in template_rows(catalog, BOARD, Q(P))}
    for task_id in ("III.2.2.4", "III.2.2.8"):
        task = catalog.task(task_id)
        assert task.deadline_kind == "recurring" and task.read_over_phrase
        assert task.deadline_phrase.startswith("thực hiện theo Kế hoạch số 121-KH/TU ngày 10/8")
        assert words[task_id] == (
            "Thực hiện theo Kế hoạch số 121-KH/TU ngày 10/8/2022 của Ban Thường vụ Tỉnh ủy "
            "(báo cáo kết quả mỗi kỳ)"
        )
        seen = obligation(catalog, task_id, BOARD, Q("2023-Q1"), date(2023, 4, 10))
        assert seen.state == "recurring"


def test_121_kh_tu_tasks_follow_the_plans_milestones_once_recorded(project):
    catalog = with_events(project, "kh-121,121-KH/TU,plan,2022-08-10,2025-12-31,,Kế hoạch 121,")
    for task_id in ("III.2.2.4", "III.2.2.8"):
        task = catalog.task(task_id)
        assert (task.deadline_kind, task.rule.document) == ("per_plan", "121-KH/TU")
        assert obligation(catalog, task_id, BOARD, Q("2024-Q4"), date(2025, 1, 10)).due == date(
            2025, 12, 31
        )


def test_a_reading_over_a_phrase_needs_its_reason(catalog, project):
    note = catalog.task("III.2.2.4").reading_note
    edit_csv(
        project / "data/reference/tasks.csv",
        f'thực hiện thường xuyên,"{note}",',
        "thực hiện thường xuyên,,",
    )
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(project / "data/reference")
    (problem,) = caught.value.problems
    assert (problem.row, problem.column, problem.code) == (
        16,
        "reading_note",
        "ref-reading-without-note",
    )


# --- 5. The first reporting quarter ------------------------------------------------------


def test_the_first_reporting_quarter_is_2022_q4(catalog):
    """The program records provincial-level work "đã hoàn thành trong tháng 12/2022" and
    judges it on 31/12/2022, and cites nothing later than November 2022: 2022-Q4 holds
    its earliest date, and the text gives no ground to start later."""
    first = catalog.settings.first_period
    assert first.id == "2022-Q4"
    earliest = min(d for t in catalog.tasks.values() for _, d in t.rule.levels)
    assert earliest == date(2022, 12, 31) and first.start <= earliest <= first.end
    text = read_source(SOURCE)["III.2.1.1"].text
    assert "cấp tỉnh đã hoàn thành trong tháng 12/2022" in text
    assert expected_units(catalog, first)  # units report for it


# --- 6. The template quotes the source's deadline words ------------------------------


def test_no_template_rewords_a_deadline(catalog, tmp_path):
    for period in ("2022-Q4", "2023-Q1", "2023-Q2", "2024-Q2"):
        for unit in expected_units(catalog, Q(period)):
            for row in template_rows(catalog, unit, Q(period)):
                assert "trước hoặc trong" not in row["deadline"], (period, unit, row)


def test_the_grassroots_date_is_quoted_as_the_source_words_it(project):
    (project / "data/reference/task_levels.csv").unlink()  # the lead judged on cơ sở's date
    catalog = load_catalog(project / "data/reference")
    words = {r["task_id"]: r["deadline"] for r in template_rows(catalog, "ban-tuyen-giao", Q(P))}
    assert words["III.2.1.1"] == "Cấp cơ sở hoàn thành trước ngày 28/02/2023 (hạn cuối: 28/02/2023)"


def test_templates_carry_only_current_ids(catalog, tmp_path):
    from openpyxl import load_workbook

    ids = set()
    for path in write_templates(catalog, Q(P), tmp_path):
        sheet = load_workbook(path).worksheets[0]
        column = sheet.iter_rows(min_row=LAYOUT.first_row, min_col=LAYOUT.columns["task_id"])
        ids |= {cells[0].value for cells in column}
    ids.discard(None)
    assert ids <= set(catalog.tasks) and not ids & set(catalog.aliases)
    assert {"III.2.2.9a", "III.2.2.9b", "IV.2"} <= ids


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_files_its_answers_under_current_ids(demo):
    processed = demo / "data" / "demo" / "processed"
    catalog = load_catalog(demo / "data" / "demo" / "reference")
    submissions = pd.read_parquet(processed / "submissions.parquet")
    ids = set(submissions["task_id"])
    assert ids <= set(catalog.tasks)
    assert {"III.2.2.9a", "III.2.2.9b", "III.1.2"} <= ids
    issues = pd.read_csv(processed / "issues.csv", encoding="utf-8-sig")
    assert not issues["code"].isin(["task-alias", "task-alias-duplicate"]).any()
