"""The tasks waiting for an event (issue #12): which tasks, what each waits
for, the ``events.csv`` line to add, and where the analyst reads them —
``nq28 status``, ``pending_events.csv``, the HTML report, the annex and the
draft (docs/design.md §9, §12)."""

from __future__ import annotations

import csv
import html
import io
from datetime import date

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from nq28_analysis.common.errors import ReferenceDataError
from nq28_analysis.common.periods import parse_period
from nq28_analysis.reference.deadlines import obligation
from nq28_analysis.reference.pending import (
    EVENT_FIELDS,
    PENDING_COLUMNS,
    is_placeholder,
    pending_events,
)
from nq28_analysis.reports import present
from nq28_analysis.reports.annex import PENDING_SHEET, write_annex
from nq28_analysis.reports.draft import write_draft
from nq28_analysis.reports.html import ReportView

from .helpers import run, with_events

#: The tasks of the shipped catalogue that wait for an event whatever the date:
#: four central requests, the Politburo's Kế hoạch 12-KH/TW, a central guidance,
#: and Kế hoạch 121-KH/TU's milestones (its two tasks read as recurring meanwhile).
ALWAYS = [
    "III.2.1.6",
    "III.2.2.2",
    "III.2.2.3a",
    "III.2.2.4",
    "III.2.2.8",
    "III.2.3.2",
    "III.2.5.2",
    "III.2.6.2",
]
ELECTION = "III.2.7.1a"


def _by_id(tasks):
    return {t.task_id: t for t in tasks}


def _filled(event: dict[str, str], when: str, due: str) -> dict[str, str]:
    """The suggested row with its placeholders filled as an analyst would."""
    values = {"date": when, "due_date": due, "source": "Công văn số 1-CV/TW (thử)"}
    return {f: values[f] if is_placeholder(event[f]) else event[f] for f in EVENT_FIELDS}


def _line(row: dict[str, str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([row[f] for f in EVENT_FIELDS])
    return out.getvalue()


# --- the list -------------------------------------------------------------------------


def test_at_the_end_of_2024_the_election_task_still_waits(catalog):
    waiting = pending_events(catalog, date(2024, 12, 31))
    # III.2.7.1a waits: its event (Nghị quyết 199/2025/QH15 fixing the 2026
    # election) is dated 21/05/2025, after this date, so it does not count yet; the
    # list says it is recorded. III.2.9.1 does not wait: 151-cap-co-so dates it
    # from 16/11/2022.
    assert [t.task_id for t in waiting] == [*ALWAYS, ELECTION]
    tasks = _by_id(waiting)
    assert tasks[ELECTION].recorded == ("nq199-bau-cu-2026", date(2025, 5, 21))
    assert tasks[ELECTION].waits_for == "ngày bầu cử nhiệm kỳ mới"
    assert tasks[ELECTION].state == "not_triggered"
    assert all(tasks[t].recorded is None for t in ALWAYS)
    assert tasks["III.2.1.6"].waits_for == "yêu cầu của Trung ương về 37-NQ/TW"
    assert tasks["III.2.3.2"].waits_for == "yêu cầu của Trung ương về 158-QĐ/TW"
    assert tasks["III.2.5.2"].waits_for == "yêu cầu của Trung ương về 218-QĐ/TW"
    assert tasks["III.2.6.2"].waits_for == "yêu cầu của Trung ương về 82-KL/TW"
    assert tasks["III.2.2.2"].waits_for == "mốc thời gian của Kế hoạch số 12-KH/TW"
    assert tasks["III.2.2.3a"].waits_for == "quy định, hướng dẫn của Trung ương"
    for plan in ("III.2.2.4", "III.2.2.8"):
        assert tasks[plan].waits_for == "mốc thời gian của Kế hoạch số 121-KH/TU"
        assert tasks[plan].state == "recurring"  # read as recurring until dated (§6)
    # Each binds its one lead board, expected at the time.
    assert {t.task_id: t.expected_units for t in waiting} == dict.fromkeys([*ALWAYS, ELECTION], 1)


def test_in_2026_the_election_task_no_longer_waits(catalog):
    # From 21/05/2025 the election event counts: III.2.7.1a is due on 15/03/2026.
    for day in (date(2025, 7, 1), date(2026, 3, 31)):
        assert [t.task_id for t in pending_events(catalog, day)] == ALWAYS, day
    seen = obligation(catalog, ELECTION, "", parse_period("2026-Q1"), date(2026, 3, 31))
    assert (seen.state, seen.due) == ("due", date(2026, 3, 15))


def test_the_suggested_lines_name_the_right_kind_and_target(catalog):
    tasks = _by_id(pending_events(catalog, date(2024, 12, 31)))
    said = {t: (tasks[t].event["kind"], tasks[t].event["target"]) for t in tasks}
    assert said == {
        "III.2.1.6": ("request", "III.2.1.6"),
        "III.2.2.2": ("plan", "12-KH/TW"),
        "III.2.2.3a": ("guidance", "III.2.2.3a"),
        "III.2.2.4": ("plan", "121-KH/TU"),
        "III.2.2.8": ("plan", "121-KH/TU"),
        "III.2.3.2": ("request", "III.2.3.2"),
        "III.2.5.2": ("request", "III.2.5.2"),
        "III.2.6.2": ("request", "III.2.6.2"),
        ELECTION: ("election", ELECTION),
    }
    for task in tasks.values():
        event = task.event
        # The due date and the source are always the analyst's to fill; the date
        # too, unless the source itself states it (Kế hoạch 121-KH/TU ngày 10/8/2022).
        assert is_placeholder(event["due_date"]) and is_placeholder(event["source"])
        if event["target"] == "121-KH/TU":
            assert event["date"] == "2022-08-10"
        else:
            assert is_placeholder(event["date"]) and "dd/mm/yyyy" in event["date"]
        assert event["event_id"] not in {e["event_id"] for e in catalog.events}
        assert next(csv.reader([task.line])) == [event[f] for f in EVENT_FIELDS]
    # One plan, one line: both tasks of Kế hoạch 121-KH/TU are dated by it.
    assert tasks["III.2.2.4"].line == tasks["III.2.2.8"].line


def test_each_filled_line_loads_and_takes_its_task_off_the_list(catalog, project):
    day = date(2024, 12, 31)
    lines = []
    for task in pending_events(catalog, day):
        line = _line(_filled(task.event, "01/10/2024", "30/06/2025"))
        if line not in lines:
            lines.append(line)
    dated = with_events(project, *lines)  # raises on any error
    assert not [w for w in dated.warnings if w.file == "events.csv"]
    assert pending_events(dated, day) == []
    quarter = parse_period("2024-Q4")
    for task_id in (*ALWAYS, ELECTION):
        seen = obligation(dated, task_id, "", quarter, day)
        assert (seen.state, seen.due) == ("due", date(2025, 6, 30)), task_id


def test_one_event_takes_off_only_its_task(catalog, project):
    (request,) = [t for t in pending_events(catalog, date(2024, 12, 31)) if t.task_id == ALWAYS[0]]
    dated = with_events(project, _line(_filled(request.event, "2024-11-05", "2025-03-31")))
    left = [t.task_id for t in pending_events(dated, date(2024, 12, 31))]
    assert left == [*ALWAYS[1:], ELECTION]
    # Before the request's date it still waits, and the list says it is recorded.
    (before,) = [t for t in pending_events(dated, date(2024, 10, 31)) if t.task_id == ALWAYS[0]]
    assert before.recorded == (request.event["event_id"], date(2024, 11, 5))


def test_a_line_pasted_unfilled_is_refused_at_its_cell(catalog, project):
    (request,) = [t for t in pending_events(catalog, date(2024, 12, 31)) if t.task_id == ALWAYS[0]]
    events = project / "data/reference/events.csv"
    row = len(events.read_text(encoding="utf-8").splitlines()) + 1
    with pytest.raises(ReferenceDataError) as caught:
        with_events(project, request.line)
    found = {(p.file, p.row, p.column, p.code) for p in caught.value.problems}
    assert ("events.csv", row, "date", "ref-bad-date") in found
    assert ("events.csv", row, "due_date", "ref-bad-date") in found


def test_a_cancelled_task_waits_for_nothing(catalog, project):
    dated = with_events(project, "huy-82,III.2.6.2,cancellation,2024-06-01,,,Thử,")
    assert "III.2.6.2" not in [t.task_id for t in pending_events(dated, date(2024, 12, 31))]


def test_the_not_triggered_pairs_are_the_waiting_tasks(demo_data):
    data = demo_data("2024-Q2")
    table = data.metrics.table
    untriggered = set(table.loc[table["classification"] == "not_triggered", "task_id"])
    assert untriggered == {t.task_id for t in data.pending if t.state == "not_triggered"}
    per_task = table[table["classification"] == "not_triggered"].groupby("task_id").size()
    assert {t.task_id: t.expected_units for t in data.pending if t.state == "not_triggered"} == (
        per_task.to_dict()
    )


# --- where the analyst reads them -------------------------------------------------------


def test_status_prints_the_waiting_tasks_and_writes_them(demo, tmp_path):
    out = tmp_path / "status"
    result = run(
        "--data-dir",
        str(demo),
        "status",
        "--period",
        "2024-Q2",
        "--raw",
        str(demo / "data/demo/raw"),
        "--processed",
        str(demo / "data/demo/processed"),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Nhiệm vụ chờ sự kiện."))
    assert start > next(i for i, line in enumerate(lines) if line.startswith("Hạng"))
    block = lines[start:]
    assert "có 9 nhiệm vụ chờ sự kiện" in block[0] and "03/08/2024" in block[0]
    for task_id in [*ALWAYS, ELECTION]:
        assert any(line.startswith(f"  {task_id} — chờ ") for line in block), task_id
    adds = [line for line in block if line.startswith("    Thêm vào events.csv: ")]
    # One line per event to record: III.2.2.8 shares 121-KH/TU's, III.2.7.1a's is recorded.
    assert len(adds) == 7
    assert adds[0] == (
        "    Thêm vào events.csv: yeu-cau-iii-2-1-6,III.2.1.6,request,"
        "<ngày Trung ương yêu cầu dd/mm/yyyy>,<hạn Trung ương yêu cầu dd/mm/yyyy>,,"
        '"<văn bản yêu cầu của Trung ương: số, ngày>",'
        "Yêu cầu của Trung ương về 37-NQ/TW (nhiệm vụ III.2.1.6)"
    )
    assert "    Cùng dòng với nhiệm vụ III.2.2.4 (chỉ thêm một lần)" in block
    assert any("đã ghi sự kiện «nq199-bau-cu-2026» ngày 21/05/2025" in line for line in block)
    assert block[-1] == present.PENDING_HOW
    assert str(out / "pending_events.csv") in lines
    table = pd.read_csv(
        out / "pending_events.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert list(table.columns) == list(PENDING_COLUMNS)
    assert table["task_id"].tolist() == [*ALWAYS, ELECTION]
    assert table.set_index("task_id").loc[ELECTION, "recorded_on"] == "2025-05-21"
    assert table.set_index("task_id").loc[ELECTION, "events_line"] == ""
    assert adds[0].split(": ", 1)[1] == table.loc[0, "events_line"]


@pytest.fixture(scope="module")
def quarter(demo_data):
    return demo_data("2024-Q2")


def test_the_report_html_annex_and_draft_list_the_same_rows(quarter, tmp_path):
    section = present.pending(quarter.pending, quarter.as_of)
    assert [r[1] for r in section.rows] == [*ALWAYS, ELECTION]
    page = ReportView(quarter).pending().data
    book = load_workbook(write_annex(quarter, tmp_path / "phu-luc.xlsx"))
    assert PENDING_SHEET in book.sheetnames
    cells = [c for row in book[PENDING_SHEET].iter_rows(values_only=True) for c in row if c]
    draft = "\n".join(
        p.text for p in Document(write_draft(quarter, tmp_path / "d.docx")).paragraphs
    )
    assert "Nhiệm vụ chờ sự kiện: " + section.notes[0][:1].lower() + section.notes[0][1:] in draft
    keys = [c.key for c in section.columns]
    for row in section.rows:
        r = dict(zip(keys, row, strict=True))
        for word in (r["task_id"], r["waits_for"], r["state"]):
            assert word in cells, word
            assert html.escape(word) in page, word
        assert f"- {r['task_id']}: chờ {r['waits_for']} (1 đơn vị phải thực hiện)" in draft
        if r["line"]:
            assert r["line"] in cells
            assert html.escape(r["line"]) in page
    for note in section.notes:
        assert note in cells and html.escape(note) in page
