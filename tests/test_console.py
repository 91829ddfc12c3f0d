"""No command dies on the console's encoding (a Vietnamese Windows console is
cp1258, a Western one cp1252; a pipe may be ASCII): the text stays readable and
the files written are the same bytes as in a UTF-8 run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata

import pytest

from .helpers import ROOT
from .workbooks import SMALL_NAMED, small_project

ENCODINGS = ("cp1258", "cp1252", "ascii")


def _run(encoding: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "nq28_analysis", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_help_is_readable_in_any_console(encoding):
    result = _run(encoding, "--help")
    assert result.returncode == 0, result.stderr.decode(encoding, errors="replace")
    said = unicodedata.normalize("NFC", result.stdout.decode(encoding))
    assert "Traceback" not in said and "?" not in said.split("\n", 3)[2]
    if encoding == "cp1258":  # every letter kept, tones as combining marks
        assert "Theo dõi thực hiện Chương trình hành động" in said
    else:
        assert "Nghi quyet 28-NQ/TW" in said or "Nghị quyết 28-NQ/TW" in said


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_files_written_are_the_same_bytes(encoding, tmp_path):
    assert _run("utf-8", "catalog", "--out", str(tmp_path / "utf8.csv")).returncode == 0
    result = _run(encoding, "catalog", "--out", str(tmp_path / "other.csv"))
    assert result.returncode == 0 and b"Traceback" not in result.stderr
    assert (tmp_path / "other.csv").read_bytes() == (tmp_path / "utf8.csv").read_bytes()


def test_a_usage_error_is_said_readably_in_ascii():
    result = _run("ascii", "status", "--period", "2019-Q1")
    assert result.returncode == 2
    said = (result.stdout + result.stderr).decode("ascii")
    assert "Traceback" not in said and "Loi" in said


# --- every command, every console (issue: runs on the analysts' own PCs) -------------

#: How each console is made: an encoding for the standard streams, or the C
#: locale with UTF-8 mode off (the streams and file names then ASCII).
CONSOLES = {
    "utf-8": {"PYTHONIOENCODING": "utf-8"},
    "cp1258": {"PYTHONIOENCODING": "cp1258"},
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "C": {"LC_ALL": "C", "PYTHONUTF8": "0"},
}

#: The signs the console spells plainly where it cannot carry them.
SIGNS = {"đ": "d", "Đ": "D", "—": "-", "–": "-", "«": '"', "»": '"', "…": "...", "⚠": "!"}


def _stripped(text: str) -> str:
    """``text`` without diacritics or signs: what any console can show of it."""
    text = "".join(SIGNS.get(c, c) for c in unicodedata.normalize("NFC", text))
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _run_in(console: str, cwd, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONIOENCODING", "LC_ALL"}}
    env.update(CONSOLES[console])
    return subprocess.run(
        [sys.executable, "-m", "nq28_analysis", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=300,
    )


#: Random ids in the HTML report: nbformat's id of the injected parameters cell,
#: plotly's id of each chart's div. They differ between any two runs.
RANDOM_IDS = re.compile(rb"cell-id=[0-9a-f]{8}|[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}")


def _stable(path) -> bytes:
    """The bytes of ``path``; for the HTML report, without its random ids."""
    data = path.read_bytes()
    return RANDOM_IDS.sub(b"ID", data) if path.suffix == ".html" else data


def _every_command(console: str, project, base) -> dict:
    """check, ingest, status, template and report on the small project under
    ``console``, each writing under ``base``: exit codes, what they said
    (decoded as that console would, ``base`` written BASE) and the files."""
    commands = {
        "check": ("check", "data/raw/2024-Q2", "--feedback", str(base / "feedback")),
        "ingest": ("ingest", "--out", str(base / "processed")),
        "status": ("status", "--period", "2024-Q2", "--processed", str(base / "p1")),
        "template": ("template", "--period", "2024-Q3", "--out", str(base / "templates")),
        "report": ("report", "--period", "2024-Q2", "--processed", str(base / "p2")),
        "review": ("review", "--period", "2024-Q2", "--processed", str(base / "p3")),
        "remind": ("remind", "--period", "2024-Q2", "--processed", str(base / "p4")),
    }
    extra = {
        "status": ("--out", str(base / "status")),
        "template": ("--processed", str(base / "processed")),
        "report": ("--out", str(base / "report")),
        "review": ("--out", str(base / "review")),
        "remind": ("--out", str(base / "remind")),
    }
    encoding = "ascii" if console == "C" else CONSOLES[console]["PYTHONIOENCODING"]
    seen = {}
    for name, args in commands.items():
        result = _run_in(console, project, *args, *extra.get(name, ()))
        said = [
            stream.decode(encoding).replace(str(base), "BASE")
            for stream in (result.stdout, result.stderr)
        ]
        seen[name] = (result.returncode, *said)
    files = {
        p.relative_to(base).as_posix(): _stable(p)
        for p in sorted(base.rglob("*"))
        if p.is_file() and p.parent.name != "feedback"  # openpyxl stamps the time
    }
    files["feedback"] = sorted(p.name for p in (base / "feedback").iterdir())
    return {"said": seen, "files": files}


@pytest.fixture(scope="module")
def consoles(catalog, tmp_path_factory):
    """:func:`_every_command` under every console of :data:`CONSOLES`. Each
    runs a whole report (a few seconds on the small project)."""
    project = small_project(catalog, tmp_path_factory.mktemp("small"))
    return {
        console: _every_command(console, project, tmp_path_factory.mktemp(console))
        for console in CONSOLES
    }


@pytest.mark.parametrize("console", [c for c in CONSOLES if c != "utf-8"])
def test_every_command_runs_in_any_console(consoles, console):
    utf8, other = consoles["utf-8"], consoles[console]
    assert {n: s[0] for n, s in utf8["said"].items()} == {
        "check": 1,
        "ingest": 0,
        "status": 0,
        "template": 0,
        "report": 0,
        "review": 0,
        "remind": 0,
    }
    for name, (code, out, err) in other["said"].items():
        assert "Traceback" not in out + err, (name, err)
        assert code == utf8["said"][name][0], (name, err)
        # Readable: the UTF-8 run's text, at worst without its diacritics.
        assert _stripped(out) == _stripped(utf8["said"][name][1]), name
        assert _stripped(err) == _stripped(utf8["said"][name][2]), name
    assert set(other["files"]) == set(utf8["files"])
    for path, content in utf8["files"].items():
        assert other["files"][path] == content, path
    assert {"report/bao-cao-2024-Q2-phu-luc.xlsx", "processed/issues.csv"} <= set(utf8["files"])


def test_a_cp1258_console_keeps_every_letter(consoles):
    # cp1258 has no "ý" nor "ạ": they come as base letter plus combining tone.
    check = consoles["cp1258"]["said"]["check"][1]
    assert "y\u0301" in check and "A\u0323" in check
    said = unicodedata.normalize("NFC", check)
    assert said == unicodedata.normalize("NFC", consoles["utf-8"]["said"]["check"][1])
    assert f"ĐẠT: data/raw/2024-Q2/{SMALL_NAMED} — Văn phòng Tỉnh ủy, Quý II năm 2024" in said


def test_the_c_locale_shows_file_names_with_their_letters(consoles):
    check = consoles["C"]["said"]["check"][1]
    assert (
        "DAT: data/raw/2024-Q2/Van phong Tinh uy.xlsx - Van phong Tinh uy, Quy II nam 2024" in check
    )
    assert "?" not in check
