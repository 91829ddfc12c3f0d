"""Worker processes started by ``spawn`` (Windows, macOS) give what ``fork`` gives.

Linux forks by default; ``NQ28_START_METHOD`` forces the method, so that the
``spawn`` path (jobs and results pickled, the catalogue loaded again in each
worker) runs here on every test run (docs/design.md §13).
"""

from __future__ import annotations

import pytest

from nq28_analysis.common.project import ProcessedFiles

from . import hostile
from .helpers import run
from .workbooks import small_project

METHODS = ("fork", "spawn")


@pytest.fixture(scope="module")
def inbox_project(catalog, tmp_path_factory):
    """The small project, its quarter also holding a truncated workbook, a zip
    bomb and an entity bomb (each refused by the guard, in a worker)."""
    root = small_project(catalog, tmp_path_factory.mktemp("spawn"))
    quarter = root / "data" / "raw" / "2024-Q2"
    for build in (hostile.truncated_xlsx, hostile.zip_bomb_xlsx, hostile.entity_bomb_xlsx):
        build(quarter)
    return root


@pytest.fixture(scope="module")
def outcomes(inbox_project, tmp_path_factory):
    """What ``nq28 ingest`` wrote and ``nq28 check`` printed, under each method."""
    seen = {}
    for method in METHODS:
        env = {"NQ28_START_METHOD": method}
        out = tmp_path_factory.mktemp(f"processed-{method}")
        ingested = run("--data-dir", str(inbox_project), "ingest", "--out", str(out), env=env)
        assert ingested.returncode == 0, ingested.stderr
        feedback = tmp_path_factory.mktemp(f"feedback-{method}")
        checked = run(
            "--data-dir",
            str(inbox_project),
            "check",
            str(inbox_project / "data" / "raw" / "2024-Q2"),
            "--feedback",
            str(feedback),
            env=env,
        )
        files = ProcessedFiles(out)
        seen[method] = {
            "tables": {p.name: p.read_bytes() for p in files.tables},
            "ingest said": (ingested.stdout.replace(str(out), "OUT"), ingested.stderr),
            "check code": checked.returncode,
            "check said": (checked.stdout.replace(str(feedback), "FEEDBACK"), checked.stderr),
            "feedback": sorted(p.name for p in feedback.iterdir()),
        }
    return seen


def test_ingest_writes_the_same_bytes_under_spawn(outcomes):
    fork, spawn = outcomes["fork"], outcomes["spawn"]
    assert set(fork["tables"]) == {"submissions.parquet", "issues.csv", "manifest.csv"}
    assert spawn["tables"] == fork["tables"]
    assert spawn["ingest said"] == fork["ingest said"]
    manifest = fork["tables"]["manifest.csv"].decode("utf-8-sig")
    assert manifest.count(",rejected,") == 3 and manifest.count(",used,") == 3


def test_check_says_the_same_under_spawn(outcomes):
    fork, spawn = outcomes["fork"], outcomes["spawn"]
    assert fork["check code"] == spawn["check code"] == 1
    assert spawn["check said"] == fork["check said"]
    assert spawn["feedback"] == fork["feedback"] and len(fork["feedback"]) == 6
    assert fork["check said"][0].count("BỊ TỪ CHỐI") == 3


def test_an_unknown_start_method_is_a_usage_error(inbox_project, tmp_path):
    result = run(
        "--data-dir",
        str(inbox_project),
        "ingest",
        "--out",
        str(tmp_path),
        env={"NQ28_START_METHOD": "thread"},
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "NQ28_START_METHOD='thread' không dùng được" in result.stderr
