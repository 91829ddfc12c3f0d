"""Shared fixtures: the repository's own reference data, the demo made once per
session, and disposable copies. Plain helpers are in ``helpers.py``."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from nq28_analysis.reference.catalog import load_catalog

from .helpers import REFERENCE, ROOT, run


@pytest.fixture(scope="session")
def catalog():
    """The shipped catalogue, loaded once."""
    return load_catalog(REFERENCE)


def _snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` by its content: a command that rewrites a file
    with the same bytes (``verdicts.csv`` when status reads the demo's worklist)
    changes nothing another test could see."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> Iterator[Path]:
    """A project folder (reference tables, notebooks) holding the demo's workbooks
    in ``data/demo/raw/``, its registry in ``data/demo/reference/``, its filled
    worklist in ``data/demo/review/`` and the processed tables in
    ``data/demo/processed/``, made once per test session by the real
    ``nq28 demo`` and ``nq28 ingest`` (which picks the demo's registry).

    Tests only read it: a test that writes points ``--processed``/``--out`` at a
    folder of its own, or copies what it changes. Any file added, changed or
    removed here fails the session at teardown, so a test cannot leak into another.
    """
    root = tmp_path_factory.mktemp("demo-project")
    shutil.copytree(REFERENCE, root / "data" / "reference")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    made = run("--data-dir", str(root), "demo", timeout=600)
    assert made.returncode == 0, made.stdout + made.stderr
    demo = root / "data" / "demo"
    ingested = run(
        "--data-dir",
        str(root),
        "ingest",
        "--raw",
        str(demo / "raw"),
        "--out",
        str(demo / "processed"),
        timeout=600,
    )
    assert ingested.returncode == 0, ingested.stdout + ingested.stderr
    before = _snapshot(root)
    yield root
    after = _snapshot(root)
    changed = sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )
    assert not changed, f"a test wrote into the shared demo project: {changed[:10]}"


@pytest.fixture(scope="session")
def demo_catalog(demo):
    """The demo's own registry (``data/demo/reference/``: the shipped tables plus
    the sample-only units and transfers ``nq28 demo`` adds), loaded once."""
    return load_catalog(demo / "data" / "demo" / "reference")


@pytest.fixture(scope="session")
def demo_data(demo, demo_catalog):
    """``demo_data(period, kind=None)``: what a report of the demo's ``period``
    shows (:func:`nq28_analysis.reports.data.gather`), gathered once per session
    for each period and kind. Tests must not change it in place
    (``dataclasses.replace`` makes a changed copy)."""
    from nq28_analysis.reports.data import gather

    catalog = demo_catalog
    raw, processed = demo / "data" / "demo" / "raw", demo / "data" / "demo" / "processed"
    gathered: dict[tuple[str, str | None], object] = {}

    def get(period: str, kind: str | None = None):
        if (period, kind) not in gathered:
            gathered[period, kind] = gather(catalog, raw, processed, period, kind)
        return gathered[period, kind]

    return get


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throw-away project folder holding a copy of the shipped reference tables."""
    shutil.copytree(REFERENCE, tmp_path / "data" / "reference")
    return tmp_path
