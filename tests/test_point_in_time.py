"""A report is a point in time (docs/design.md §6): only what was submitted by
``as_of`` counts, every version of every answer is kept to decide it, and the
default ``as_of`` is the later of the deadline and the period's latest report."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pandas as pd
import pytest

from nq28_analysis.ingest.consolidate import counted
from nq28_analysis.reference.catalog import load_catalog
from tests.helpers import run
from tests.workbooks import filled

P = "2024-Q2"


def _status(root, raw, out, *extra):
    done = run(
        "--data-dir",
        str(root),
        "status",
        "--period",
        P,
        "--raw",
        str(raw),
        "--processed",
        str(out.parent / "processed"),
        "--out",
        str(out),
        *extra,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _blobs(out):
    return [(out / n).read_bytes() for n in ("classification.csv", "summary.json")]


def _receive(raw, path, day: str) -> None:
    """Log ``path`` in its folder's receipt register, received on ``day``."""
    register = raw / P / "received.csv"
    text = register.read_text(encoding="utf-8-sig").rstrip("\n")
    register.write_text(f"{text}\n{path.name},{day}\n", encoding="utf-8")


@pytest.fixture
def copy(demo, tmp_path):
    """A writable copy of the demo project (reference tables and workbooks)."""
    root = tmp_path / "project"
    shutil.copytree(demo / "data" / "demo" / "reference", root / "data" / "reference")
    shutil.copytree(demo / "data" / "demo" / "raw", root / "raw")
    return root


def _silent_unit(root) -> str:
    """A unit expected for 2024-Q2 that sent nothing in the demo."""
    manifest = pd.read_csv(
        root.parent / "processed" / "manifest.csv", encoding="utf-8-sig", dtype=str
    )
    sent = set(manifest.loc[manifest["period"] == P, "unit_id"])
    table = pd.read_csv(root.parent / "first" / "classification.csv", encoding="utf-8-sig")
    return next(u for u in table["unit_id"].drop_duplicates() if u not in sent)


def test_a_report_as_of_a_date_ignores_what_came_later(copy):
    raw, catalog = copy / "raw", load_catalog(copy / "data" / "reference")
    first = _status(copy, raw, copy.parent / "first", "--as-of", "15/07/2024")
    before = _blobs(copy.parent / "first")
    _status(copy, raw, copy.parent / "first-default")
    unit = _silent_unit(copy)
    late = filled(catalog, raw / P, unit_id=unit, reported_on=date(2024, 8, 1))
    _receive(raw, late, "2024-08-01")

    again = _status(copy, raw, copy.parent / "again", "--as-of", "15/07/2024")
    assert _blobs(copy.parent / "again") == before  # byte-identical, a year later or now
    assert "Đã tổng hợp lại" in again.stderr  # the new file was ingested, and left out
    # The demo's own late reports were already left out; now one more is.
    said = [line for line in again.stdout.splitlines() if "tệp nhận sau ngày 15/07/2024" in line]
    earlier = [line for line in first.stdout.splitlines() if "tệp nhận sau ngày" in line]
    assert int(said[0].split()[0]) == int(earlier[0].split()[0]) + 1
    assert late.name in again.stdout and late.name not in first.stdout

    default = _status(copy, raw, copy.parent / "default")
    summary = json.loads((copy.parent / "default" / "summary.json").read_text("utf-8"))
    old = json.loads((copy.parent / "first-default" / "summary.json").read_text("utf-8"))
    assert summary["received_submissions"] == old["received_submissions"] + 1
    assert summary["as_of"] == "2024-08-03"  # the demo's own latest report of the quarter
    table = pd.read_csv(copy.parent / "default" / "classification.csv", encoding="utf-8-sig")
    mine = table[table["unit_id"] == unit]
    assert "not_reported" not in set(mine["classification"])  # the late file is counted
    assert "tệp nhận sau ngày" not in default.stdout


def test_a_default_as_of_far_past_the_deadline_is_warned(copy):
    raw, catalog = copy / "raw", load_catalog(copy / "data" / "reference")
    _status(copy, raw, copy.parent / "first", "--as-of", "15/07/2024")
    unit = _silent_unit(copy)
    late = filled(catalog, raw / P, unit_id=unit, reported_on=date(2024, 10, 1))
    _receive(raw, late, "01/10/2024")
    done = _status(copy, raw, copy.parent / "default")
    summary = json.loads((copy.parent / "default" / "summary.json").read_text("utf-8"))
    assert summary["as_of"] == "2024-10-01"
    # 83 days after the deadline of 10/07/2024: said, with the file that set it.
    assert "Cảnh báo: ngày tính số liệu mặc định 01/10/2024 sau hạn nộp 10/07/2024 83 ngày" in (
        done.stdout
    )
    assert f"«{P}/{late.name}»" in done.stdout
    assert "--as-of 10/07/2024" in done.stdout


def _versions(*rows):
    columns = ["period", "unit_id", "task_id", "status", "submitted_on", "current"]
    return pd.DataFrame(rows, columns=columns)


def test_counted_takes_the_latest_version_submitted_by_as_of():
    table = _versions(
        (P, "u", "IV.2", "in_progress", date(2024, 7, 5), False),
        (P, "u", "IV.2", "completed", date(2024, 8, 1), True),
        (P, "u", "III.2.9.1", "completed", None, True),  # date unknown: always counts
        (P, "v", "IV.2", "completed", date(2024, 9, 1), True),  # not yet sent at 15/07
    )
    at = counted(table, date(2024, 7, 15))
    assert list(zip(at["unit_id"], at["task_id"], at["status"], strict=True)) == [
        ("u", "IV.2", "in_progress"),
        ("u", "III.2.9.1", "completed"),
    ]
    assert list(counted(table)["status"]) == ["completed", "completed", "completed"]
    assert len(counted(table, date(2024, 12, 31))) == 3
    # A table written before versions were kept holds current answers only.
    assert counted(table.drop(columns="current"), date(2024, 7, 15)).equals(
        table.drop(columns="current")
    )


def test_reports_list_the_files_left_out(demo, tmp_path):
    from openpyxl import load_workbook

    from nq28_analysis.reports import present
    from nq28_analysis.reports.annex import write_annex
    from nq28_analysis.reports.data import gather

    catalog = load_catalog(demo / "data" / "demo" / "reference")
    raw, processed = demo / "data" / "demo" / "raw", demo / "data" / "demo" / "processed"
    data = gather(catalog, raw, processed, P, as_of=date(2024, 7, 15))
    later = present.left_out(data.metrics, catalog)
    assert later.rows and all(r[3] > date(2024, 7, 15) for r in later.rows)
    # Nor their problems, nor their hashes: what the report counts is what it lists.
    assert not set(data.files["file"]) & {r[0] for r in later.rows}
    book = load_workbook(write_annex(data, tmp_path / "a.xlsx"))
    text = "\n".join(
        c.value for s in book for r in s.iter_rows() for c in r if isinstance(c.value, str)
    )
    assert later.notes[0] in text
    assert all(r[0] in text for r in later.rows)
