"""Outputs are written whole or not at all (docs/design.md §14).

Every file goes to a temporary name in its folder and is moved into place. A
target that cannot be replaced — on Windows a workbook open in Excel; here a
folder in its place, since root replaces a read-only file on Linux — stops the
command with a Vietnamese message naming the file, exit 1, no traceback, the
files already there intact and no temporary file left behind.
"""

from __future__ import annotations

import os

import pytest

from nq28_analysis.common.files import LOCKED, OutputError, write_file

from .helpers import run
from .workbooks import small_project


def _in_the_way(path) -> None:
    """A folder (holding a file) where ``path`` should be written."""
    path.mkdir(parents=True)
    (path / "giữ nguyên.txt").write_text("x", encoding="utf-8")


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.tmp"))


def _refused(result, path) -> None:
    """The command stopped on ``path``: exit 1, its name said, no traceback."""
    said = result.stdout + result.stderr
    assert result.returncode == 1, said
    assert "Traceback" not in said
    assert f"Không ghi được tệp «{path}»" in result.stderr
    assert (path / "giữ nguyên.txt").read_text(encoding="utf-8") == "x"


@pytest.fixture(scope="module")
def small(catalog, tmp_path_factory):
    return small_project(catalog, tmp_path_factory.mktemp("small"))


def test_a_file_is_replaced_whole(tmp_path):
    target = tmp_path / "a" / "b.csv"
    write_file(target, b"first")
    assert write_file(target, b"second") == target
    assert target.read_bytes() == b"second" and _leftovers(tmp_path) == []


def test_a_locked_target_keeps_the_previous_file(tmp_path, monkeypatch):
    # Windows refuses to replace a file Excel holds open (PermissionError); Linux
    # lets root replace anything, so the refusal is simulated at the move.
    target = tmp_path / "bao-cao-2024-Q2-phu-luc.xlsx"
    write_file(target, b"previous")

    def locked(source, destination):
        raise PermissionError(13, "Permission denied", str(destination))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(OutputError) as caught:
        write_file(target, b"new")
    assert str(caught.value) == f"Không ghi được tệp «{target}»: {LOCKED}"
    assert "đang mở trong Excel" in str(caught.value)
    assert target.read_bytes() == b"previous" and _leftovers(tmp_path) == []


def test_a_folder_in_the_way_is_named(tmp_path):
    target = tmp_path / "summary.json"
    _in_the_way(target)
    with pytest.raises(OutputError, match="thư mục cùng tên"):
        write_file(target, b"{}")
    assert _leftovers(tmp_path) == []


def test_status_stops_at_classification_and_keeps_the_previous_summary(small, tmp_path):
    out = tmp_path / "kết quả"
    args = ("--data-dir", str(small), "status", "--period", "2024-Q2", "--out", str(out))
    assert run(*args).returncode == 0
    summary = (out / "summary.json").read_bytes()
    (out / "classification.csv").unlink()
    _in_the_way(out / "classification.csv")
    _refused(run(*args), out / "classification.csv")
    assert (out / "summary.json").read_bytes() == summary  # never reached: intact
    assert _leftovers(tmp_path) == []


def test_report_stops_at_the_annex(small, tmp_path):
    out = tmp_path / "bao-cao"
    annex = out / "bao-cao-2024-Q2-phu-luc.xlsx"
    draft = out / "bao-cao-2024-Q2-du-thao.docx"
    _in_the_way(annex)
    draft.write_bytes(b"the previous draft")
    result = run("--data-dir", str(small), "report", "--period", "2024-Q2", "--out", str(out))
    _refused(result, annex)
    # Written before the annex, whole; the draft after it never touched.
    page = (out / "bao-cao-2024-Q2.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    assert draft.read_bytes() == b"the previous draft"
    assert _leftovers(tmp_path) == []


def test_template_stops_at_the_second_unit(small, tmp_path):
    units = ("--unit", "huyen-uy-ba-to", "van-phong")
    before = tmp_path / "lần trước"
    args = ("--data-dir", str(small), "template", "--period", "2024-Q3", *units)
    assert run(*args, "--out", str(before)).returncode == 0
    out = tmp_path / "biểu mẫu"
    _in_the_way(out / "van-phong_2024-Q3.xlsx")
    _refused(run(*args, "--out", str(out)), out / "van-phong_2024-Q3.xlsx")
    first = "huyen-uy-ba-to_2024-Q3.xlsx"
    assert (out / first).read_bytes() == (before / first).read_bytes()
    assert _leftovers(tmp_path) == []


def test_catalog_names_the_file_it_cannot_write(small, tmp_path):
    target = tmp_path / "danh mục.csv"
    _in_the_way(target)
    _refused(run("--data-dir", str(small), "catalog", "--out", str(target)), target)
    assert _leftovers(tmp_path) == []
