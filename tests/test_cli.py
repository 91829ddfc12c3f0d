"""The ``nq28`` command as a user runs it: real processes, real files."""

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from nq28_analysis.common.tables import read_table, write_csv

from .helpers import edit_csv, run

CATALOG_COLUMNS = ["task_id", "section", "lead", "deadline_kind", "due_date", "level", "text_vi"]


def test_catalog_command_writes_the_contract_csv(tmp_path):
    out = tmp_path / "catalog.csv"
    result = run("catalog", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "tasks.csv: mã hóa UTF-8" in result.stderr  # says what it found
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert list(rows[0]) == CATALOG_COLUMNS
    assert len(rows) == 58  # 56 tasks, the staggered one on three rows
    by_id = {}
    for row in rows:
        by_id.setdefault(row["task_id"], []).append(row)
    levels = [(r["level"], r["due_date"], r["lead"]) for r in by_id["III.2.1.1"]]
    assert levels == [
        ("tinh", "2022-12-31", "ban-tuyen-giao"),
        ("huyen", "2023-01-31", "cap-huyen"),
        ("co-so", "2023-02-28", ""),
    ]
    (iv2,) = by_id["IV.2"]
    assert (iv2["deadline_kind"], iv2["due_date"], iv2["level"]) == ("fixed", "2023-06-30", "")
    assert by_id["III.2.9.1"][0]["due_date"] == "2023-02-28"  # dated by the shipped event
    assert by_id["III.2.6.4"][0]["due_date"] == ""  # annual: a date per year
    assert by_id["III.2.1.4"][0]["text_vi"].startswith("Tham mưu Ban Thường vụ Tỉnh ủy chỉ đạo")


def test_console_script_and_data_dir_and_home(tmp_path, project):
    script = Path(sys.executable).parent / "nq28"
    out = tmp_path / "a.csv"
    result = subprocess.run(
        [str(script), "--data-dir", str(project), "catalog", "--out", str(out)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    result = run(
        "catalog", "--out", str(tmp_path / "b.csv"), cwd=tmp_path, env={"NQ28_HOME": str(project)}
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_project_is_found_from_a_subfolder(project, tmp_path):
    sub = project / "notebooks"
    sub.mkdir()
    result = run("catalog", "--out", str(tmp_path / "c.csv"), cwd=sub, env={"NQ28_HOME": ""})
    assert result.returncode == 0, result.stderr


def test_no_project_folder_is_usage_error(tmp_path):
    result = run("catalog", "--out", "x.csv", cwd=tmp_path, env={"NQ28_HOME": ""})
    assert result.returncode == 2
    assert "Không tìm thấy thư mục dự án" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_usage_exits_2(tmp_path):
    assert run("catalog").returncode == 2
    assert run("no-such-command").returncode == 2
    assert run("catalog", "--out", "x.csv", "--bogus").returncode == 2


def test_broken_reference_table_is_reported_not_a_traceback(project, tmp_path):
    edit_csv(project / "data/reference/tasks.csv", "\nIII.1.2,", "\nIII.1.1,")
    result = run("--data-dir", str(project), "catalog", "--out", str(tmp_path / "x.csv"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tasks.csv, dòng 3, cột «task_id»" in result.stderr
    assert "ref-duplicate-id" in result.stderr


def test_write_csv_keeps_formulas_as_text_and_reads_back(tmp_path):
    frame = pd.DataFrame(
        {
            "a": ['=HYPERLINK("x")', "+84 912", "-nope", "@SUM(A1)", "bình thường"],
            "n": [1, -2, 3, 4, 5],
        }
    )
    path = write_csv(frame, tmp_path / "f.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    table = read_table(path)
    assert table.frame["a"].tolist() == [
        '\'=HYPERLINK("x")',
        "'+84 912",
        "'-nope",
        "'@SUM(A1)",
        "bình thường",
    ]
    assert table.frame["n"].tolist() == ["1", "-2", "3", "4", "5"]  # numbers stay numbers


def test_make_report_renders_the_demo_end_to_end(project):
    """What `make report` runs, on a fresh project copy with no data/raw/.

    Its subject includes building the demo when there is none (the one demo
    build besides the session's ``demo`` fixture): its last quarter, rendered
    with the demo's own registry and its filled worklist, shows every kind of
    verdict."""
    from openpyxl import load_workbook

    from nq28_analysis.forms.demo import DEMO_LAST
    from nq28_analysis.reports.annex import VERDICTS_SHEET

    result = subprocess.run(
        [sys.executable, "-m", "nq28_analysis.workflow"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NQ28_HOME": str(project)},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dựng báo cáo mẫu từ dữ liệu demo" in result.stdout
    assert DEMO_LAST == "2026-Q2"
    out = project / "reports" / DEMO_LAST
    printed = [line for line in result.stdout.splitlines() if line.startswith(str(out))]
    names = sorted(p.rsplit("/", 1)[-1] for p in printed)
    assert names == sorted(
        [
            "bao-cao-2026-Q2.html",
            "bao-cao-2026-Q2-phu-luc.xlsx",
            "bao-cao-2026-Q2-du-thao.docx",
            "classification.csv",
            "summary.json",
            "pending_events.csv",
        ]
    )
    assert all((out / n).exists() for n in names)
    assert "DỮ LIỆU MẪU" in (out / "bao-cao-2026-Q2.html").read_text(encoding="utf-8")
    assert result.stderr.count("Dữ liệu mẫu: dùng bảng tham chiếu mẫu") == 1
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    counts = summary["verdict_counts"]
    assert all(counts[kind] > 0 for kind in ("accepted", "not_accepted", "corrected")), counts
    sheet = load_workbook(out / "bao-cao-2026-Q2-phu-luc.xlsx")[VERDICTS_SHEET]
    words = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert {"Chấp nhận", "Chưa chấp nhận", "Sửa"} <= words, words
    # The project's own registry is untouched: the sample units live in data/demo/.
    assert not (project / "data" / "reference" / "unit_transfers.csv").exists()
    assert (project / "data" / "demo" / "reference" / "unit_transfers.csv").exists()
