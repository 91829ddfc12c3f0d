"""No command dies on the console's encoding (a Vietnamese Windows console is
cp1258, a Western one cp1252; a pipe may be ASCII): the text stays readable and
the files written are the same bytes as in a UTF-8 run."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pytest

from .helpers import ROOT

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
