"""Running LibreOffice headless in tests, to make files the way a user's office
program makes them. ``.ci/run`` installs it; without it these tests skip loudly."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def need_soffice() -> str:
    """The LibreOffice executable, or a loud skip."""
    if not SOFFICE:
        pytest.skip(
            "LibreOffice (soffice) is not installed: .ci/run installs it; "
            "this test needs a real office program to save the files"
        )
    return SOFFICE


def convert(files: list[Path], to: str, outdir: Path, infilter: str | None = None) -> list[Path]:
    """Convert ``files`` with LibreOffice (``--convert-to to``) into ``outdir``.

    A private user profile keeps parallel runs apart. Returns the output paths
    in the order of ``files``.
    """
    exe = need_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir.parent / f".lo-profile-{outdir.name}"
    command = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless"]
    if infilter:
        command.append(f"--infilter={infilter}")
    command += ["--convert-to", to, "--outdir", str(outdir), *map(str, files)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    extension = to.split(":", 1)[0]
    outputs = [outdir / f"{f.stem}.{extension}" for f in files]
    missing = [p.name for p in outputs if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return outputs
