"""``nq28 init``, and where the package finds what it ships (reference tables, notebooks)."""

import os
import subprocess
import sys

from nq28_analysis.common.project import (
    EXPLORE_NOTEBOOK,
    REPORT_NOTEBOOK,
    SHIPPED,
    ProcessedFiles,
    Project,
    shipped_project,
)

from .helpers import REFERENCE, ROOT


def nq28(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nq28_analysis", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NQ28_HOME": ""},
        timeout=120,
    )


def test_a_checkout_ships_its_own_folders(tmp_path):
    assert not SHIPPED.exists()  # a checkout: no copy, the repository's folders are the source
    assert shipped_project().reference == REFERENCE
    assert shipped_project().notebooks == ROOT / "notebooks"
    # A project without its own report notebook runs the shipped one.
    assert Project(tmp_path).report_notebook() == ROOT / "notebooks" / REPORT_NOTEBOOK
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / REPORT_NOTEBOOK).write_text("{}", encoding="utf-8")
    assert Project(tmp_path).report_notebook() == tmp_path / "notebooks" / REPORT_NOTEBOOK


def test_processed_file_names(tmp_path):
    files = ProcessedFiles(tmp_path)
    assert [p.name for p in files.tables] == ["submissions.parquet", "issues.csv", "manifest.csv"]
    assert files.inputs == tmp_path / "inputs.json"


def test_init_makes_a_project_folder_and_never_overwrites_one(tmp_path):
    made = nq28("init", "du-an", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    root = tmp_path / "du-an"
    assert made.stdout.strip() == str(root)
    shipped = sorted(p.name for p in REFERENCE.iterdir())
    assert sorted(p.name for p in (root / "data" / "reference").iterdir()) == shipped
    for name in shipped:
        assert (root / "data" / "reference" / name).read_bytes() == (REFERENCE / name).read_bytes()
    assert list((root / "data" / "raw").iterdir()) == []
    assert [p.name for p in (root / "notebooks").iterdir()] == [EXPLORE_NOTEBOOK]
    notebook = (root / "notebooks" / EXPLORE_NOTEBOOK).read_bytes()
    assert notebook == (ROOT / "notebooks" / EXPLORE_NOTEBOOK).read_bytes()
    assert "Đã tạo thư mục dự án" in made.stderr
    assert "Việc tiếp theo:" in made.stderr
    assert "nq28 report --period 2024-Q2 --raw data/demo/raw" in made.stderr

    # The new folder is a project: found from inside it.
    listed = nq28("catalog", "--out", "danh-muc.csv", cwd=root / "notebooks")
    assert listed.returncode == 0, listed.stderr

    # An existing project's reference tables are never overwritten.
    settings = root / "data" / "reference" / "settings.csv"
    settings.write_text("key,value\nplace,Đà Nẵng\n", encoding="utf-8")
    again = nq28("init", str(root), cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.startswith(f"Lỗi: «{root}» đã là thư mục dự án: data/reference/")
    assert "không ghi đè" in again.stderr and "Traceback" not in again.stderr
    assert settings.read_text(encoding="utf-8") == "key,value\nplace,Đà Nẵng\n"


def test_init_is_in_the_help_and_needs_a_folder(tmp_path):
    shown = nq28("--help", cwd=tmp_path)
    assert shown.returncode == 0
    assert "init" in shown.stdout and "tạo thư mục dự án mới" in shown.stdout
    assert nq28("init", cwd=tmp_path).returncode == 2


def test_no_project_folder_points_to_init(tmp_path):
    result = nq28("demo", cwd=tmp_path)
    assert result.returncode == 2
    assert "nq28 init THƯ_MỤC" in result.stderr
