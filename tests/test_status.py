"""``nq28 status`` as an analyst runs it."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd

from nq28_analysis.forms.demo import LAGGING

from .helpers import run
from .workbooks import filled, row_of, template_layout


def test_status_on_demo_data_writes_both_files_identically(demo_catalog, demo, tmp_path):
    raw = demo / "data" / "demo" / "raw"
    processed = tmp_path / "processed"  # empty: status must ingest first
    out = tmp_path / "reports"
    args = (
        "--data-dir",
        str(demo),
        "status",
        "--period",
        "2024-Q2",
        "--raw",
        str(raw),
        "--processed",
        str(processed),
        "--out",
        str(out),
    )
    first = run(*args)
    assert first.returncode == 0, first.stderr
    assert "Đã tổng hợp lại" in first.stderr  # inputs were new: ingested first
    blobs = [(out / n).read_bytes() for n in ("classification.csv", "summary.json")]
    again = run(*args)
    assert again.returncode == 0
    assert "Đã tổng hợp lại" not in again.stderr  # nothing changed: no new ingest
    assert [(out / n).read_bytes() for n in ("classification.csv", "summary.json")] == blobs
    summary = json.loads(blobs[1])
    for key in (
        "as_of",
        "expected_submissions",
        "received_submissions",
        "reporting_rate",
        "on_time_reporting_rate",
        "completion_rate",
        "on_time_rate",
        "recurring_rate",
        "overdue_count",
    ):
        assert key in summary
    # The default as_of is the later of the deadline (10/07/2024) and the
    # latest accepted report of the quarter: the demo's late one.
    assert summary["as_of"] == "2024-08-03"
    table = pd.read_csv(
        out / "classification.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False
    )
    assert list(table.columns) == [
        "unit_id",
        "task_id",
        "deadline_kind",
        "due_date",
        "status",
        "completed_on",
        "classification",
        "days_overdue",
        "verdict",  # the Board's verdict on a claimed completion, empty without one
    ]
    # Completion rate, recounted from the pairs: of the dated, non-recurring pairs
    # due by the as-of date, those completed (on time or late).
    due = table[
        (table["deadline_kind"] != "recurring")
        & (table["due_date"] != "")
        & (table["due_date"] <= summary["as_of"])
    ]
    completed = due["classification"].isin(["done_on_time", "done_late"]).sum()
    assert (completed, len(due)) == (67, 74)  # the demo's numbers for 2024-Q2
    assert summary["completion_rate"] == completed / len(due)
    # The terminal table: Vietnamese, worst first, full names. The four units the
    # demo makes lag (``LAGGING``: less diligent, often late or silent) that were
    # open in 2024-Q2 (the sample commune opens in 2025) are the four worst; the
    # worst sent no workbook (30 points), completed two of its three due tasks
    # (40 × 1/3), has no recurring result (20) and one task overdue (1).
    lines = first.stdout.splitlines()
    header = lines.index(next(line for line in lines if line.startswith("Hạng")))
    spans = [m.span() for m in re.finditer(r"-+", lines[header + 1])]
    units = lines[header + 2 : header + 2 + summary["expected_submissions"]]
    rows = [[line[a:b].strip() for a, b in spans] for line in units]
    assert rows[0] == [
        "1",
        "⚠",
        "Huyện ủy Minh Long",
        "Chưa nộp",
        "66,7%",
        "0%",
        "0%",
        "1",
        "64,3",
    ]
    lagging = [demo_catalog.unit(u) for u in LAGGING]
    open_then = {u.name_vi for u in lagging if u.open_on(date(2024, 6, 30))}
    assert len(open_then) == 4 and len(lagging) == 5
    assert {row[2] for row in rows[:4]} == open_then


def test_status_with_no_submissions_says_no_data(project):
    result = run("--data-dir", str(project), "status", "--period", "2024-Q2")
    assert result.returncode == 0, result.stderr
    summary = json.loads((project / "reports" / "2024-Q2" / "summary.json").read_text("utf-8"))
    assert summary["completion_rate"] is None and summary["reporting_rate"] == 0.0
    assert "chưa có số liệu" in result.stdout


def test_status_usage_errors(project):
    base = ("--data-dir", str(project), "status")
    for args, words in (
        (("--period", "2024-Q9"), "không hợp lệ"),
        (("--period", "2022-Q3"), "trước kỳ đầu tiên"),
        (("--period", "2024-Q2", "--as-of", "2024-03-31"), "ở trước kỳ"),
        (("--period", "2024-Q2", "--as-of", "31/02/2024"), "không tồn tại"),
    ):
        result = run(*base, *args)
        assert result.returncode == 2, args
        assert words in result.stderr and "Traceback" not in result.stderr


def test_status_as_of_and_out(catalog, project, tmp_path):
    filled(catalog, project / "data" / "raw" / "2024-Q2")
    out = tmp_path / "ket-qua"
    result = run(
        "--data-dir",
        str(project),
        "status",
        "--period",
        "2024-Q2",
        "--as-of",
        "01/08/2024",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    assert summary["as_of"] == "2024-08-01" and summary["received_submissions"] == 1


def test_an_event_for_one_unit_and_a_reverted_completion(catalog, project):
    events = project / "data/reference/events.csv"
    events.write_text(
        events.read_text(encoding="utf-8")
        + "gh-bato,IV.2,extension,2023-06-01,2023-12-31,huyen-uy-ba-to,thử,\n",
        encoding="utf-8",
    )
    raw = project / "data" / "raw"
    row = row_of(catalog, "huyen-uy-ba-to", "2023-Q4", "IV.2")
    at = template_layout().cell
    filled(
        catalog,
        raw / "2023-Q3",
        period="2023-Q3",
        reported_on=date(2023, 10, 5),
    )
    filled(
        catalog,
        raw / "2023-Q4",
        period="2023-Q4",
        reported_on=date(2024, 1, 5),
        edits={at("status", row): "Đang thực hiện", at("completed_on", row): None},
    )
    result = run("--data-dir", str(project), "status", "--period", "2023-Q4")
    assert result.returncode == 0, result.stderr
    assert "Huyện ủy Ba Tơ — IV.2" in result.stdout  # the later "not completed" is flagged


def test_a_mistyped_raw_folder_is_a_usage_error(project, tmp_path):
    for command in ("status", "report"):
        result = run(
            "--data-dir",
            str(project),
            command,
            "--period",
            "2024-Q2",
            "--raw",
            str(tmp_path / "khong-co"),
        )
        assert result.returncode == 2, command
        assert "Không có thư mục báo cáo" in result.stderr


def test_status_after_ingest_uses_what_ingest_made_and_notices_another_folder(catalog, project):
    """``nq28 ingest`` records what it read: ``status`` on the same folder does not
    ingest again, and on another folder it does (never the other folder's numbers)."""
    raw = project / "data" / "raw"
    filled(catalog, raw / "2024-Q2")
    elsewhere = project / "khac"
    filled(catalog, elsewhere / "2024-Q2", unit_id="van-phong")
    processed = project / "data" / "processed"
    base = ("--data-dir", str(project))
    assert run(*base, "ingest", "--raw", str(raw)).returncode == 0
    status = ("status", "--period", "2024-Q2", "--raw")
    same = run(*base, *status, str(raw))
    assert same.returncode == 0 and "Đã tổng hợp lại" not in same.stderr
    assert run(*base, "ingest", "--raw", str(elsewhere)).returncode == 0
    other = run(*base, *status, str(raw))
    assert other.returncode == 0 and "Đã tổng hợp lại" in other.stderr
    manifest = pd.read_csv(processed / "manifest.csv", encoding="utf-8-sig", dtype=str)
    assert manifest["unit_id"].tolist() == ["huyen-uy-ba-to"]
