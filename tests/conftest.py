"""Shared fixtures: the repository's own reference data, and disposable copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nq28_analysis.reference.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
SOURCE = REFERENCE / "chuong-trinh-hanh-dong.txt"


@pytest.fixture(scope="session")
def catalog():
    """The shipped catalogue, loaded once."""
    return load_catalog(REFERENCE)


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Path:
    """A project folder (reference tables, notebooks) holding the demo's workbooks,
    made once per test session by the real ``nq28 demo``. Tests only read it (and
    write their outputs elsewhere)."""
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("demo-project")
    shutil.copytree(REFERENCE, root / "data" / "reference")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    result = subprocess.run(
        [sys.executable, "-m", "nq28_analysis", "--data-dir", str(root), "demo"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throw-away project folder holding a copy of the shipped reference tables."""
    shutil.copytree(REFERENCE, tmp_path / "data" / "reference")
    return tmp_path


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a CSV file, failing loudly if absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
