"""Helpers shared by the test modules: the repository's folders, the ``nq28``
command in a real process, and small edits of the reference tables.

Fixtures live in ``conftest.py``; plain functions and constants live here and
are imported from here (never from another test module).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nq28_analysis.reference.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
SOURCE = REFERENCE / "chuong-trinh-hanh-dong.txt"
#: A real browser to draw the HTML report's charts (installed by .ci/run).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def run(
    *args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """``nq28 *args`` run by this interpreter in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "nq28_analysis", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def edit_csv(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a CSV file, failing loudly if absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def add_rows(path: Path, *rows: str) -> None:
    """Append CSV lines to a reference table."""
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + "\n" + "\n".join(rows) + "\n", encoding="utf-8")


def with_events(project: Path, *rows: str):
    """The catalogue of ``project`` once ``rows`` are added to its events table."""
    add_rows(project / "data/reference/events.csv", *rows)
    return load_catalog(project / "data/reference")


def set_unit(project: Path, unit_id: str, **values: str) -> None:
    """Set columns of one row of the project's ``units.csv`` (read and written
    as CSV, so quoted cells such as ``source`` stay whole); fails loudly when
    the unit or a column is absent."""
    import csv
    import io

    path = project / "data/reference/units.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = rows[0]
    (row,) = [r for r in rows[1:] if r and r[0] == unit_id]
    for column, value in values.items():
        row[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def browser_dom(page: Path, profile: Path) -> str:
    """The DOM of ``page`` once headless Chromium has run its scripts, with
    every network request sent to a closed port (the report must need none)."""
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--proxy-server=127.0.0.1:9",
            "--proxy-bypass-list=<-loopback>",
            "--virtual-time-budget=15000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    ).stdout
