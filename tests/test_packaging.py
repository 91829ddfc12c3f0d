"""pyproject.toml and environment.yml name the same stack; the layout is in place; the
wheel carries what a project needs and works outside a checkout."""

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

from .helpers import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement.strip()).lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = [
        dep
        for dep in env["dependencies"]
        if isinstance(dep, str) and _name(dep) not in {"python", "pip"}
    ]
    assert "conda-forge" in env["channels"]
    assert sorted(map(_spec, conda)) == sorted(map(_spec, wanted))


def test_entry_point_and_layout():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"]["nq28"] == "nq28_analysis.cli:main"
    for path in (
        "notebooks",
        "data/reference",
        "nq28_analysis",
        "reports",
        "tests",
        "benchmarks",
        "environment.yml",
        "README.md",
        "Makefile",
        ".ci/run",
    ):
        assert (ROOT / path).exists(), path
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    for entry in (".venv", "data/raw/", "data/processed/", "data/feedback/", "reports/"):
        assert entry in ignored, entry


def _recipe(makefile: str, target: str) -> list[str]:
    """The command lines of ``target`` in the Makefile, ``@`` and ``$(BIN)/`` dropped."""
    block = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, flags=re.M)
    assert block, target
    return [line.strip().lstrip("@").replace("$(BIN)/", "") for line in block[1].splitlines()]


def test_make_runs_the_commands_a_windows_analyst_types():
    """``make test`` and ``make report`` run exactly the make-free commands the
    README gives for Windows, and the README gives the conda set-up."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert _recipe(makefile, "test") == ["python -m pytest -q"]
    assert _recipe(makefile, "report") == ["python -m nq28_analysis.workflow"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    analyst = readme[: readme.index("## For maintainers")]
    windows = re.findall(r"```bat\n(.*?)```", analyst, flags=re.S)
    typed = [line.strip() for block in windows for line in block.splitlines()]
    for line in (
        "conda env create -f environment.yml",
        "conda activate nq28",
        "python -m pytest -q",
        "python -m nq28_analysis.workflow",
        "nq28 status --period 2024-Q3",
        "nq28 check data\\raw\\2024-Q3",
    ):
        assert line in typed, line
    # Windows paths with backslashes: no project folder written with "/".
    assert not [line for line in typed if re.search(r"\b(?:data|reports|bieu-mau)/", line)]
    assert ".venv/bin/nq28 " not in analyst


def test_a_warning_is_called_canh_bao_in_the_readme():
    """One word for the warning severity (common/problems.py SEVERITY_WORDS):
    the README never calls it «lưu ý»."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8").lower()
    assert "lưu ý" not in readme and "cảnh báo" in readme


# --- the wheel, installed outside any checkout ----------------------------------------

#: What a build needs from the repository (the sdist is made from a copy of these).
BUILD_INPUTS = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "nq28_analysis",
    "data/reference",
    "notebooks",
)


def _run(command: list, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


def _backend_ready() -> None:
    """The build backend pyproject.toml asks for is installed (the dev extra brings it):
    the build runs without isolation, so offline."""
    from packaging.requirements import Requirement

    build = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["build-system"]
    for text in build["requires"]:
        wanted = Requirement(text)
        try:
            have = importlib.metadata.version(wanted.name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        if have is None or not wanted.specifier.contains(have, prereleases=True):
            message = (
                f"build backend {text} needed, {have or 'none'} installed: `make test` installs it"
            )
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)


def test_wheel_works_outside_a_checkout(tmp_path):
    """sdist → wheel → a fresh venv with no checkout and no network: ``nq28 init``,
    ``nq28 demo`` and ``nq28 report`` work from the installed package alone."""
    _backend_ready()
    source, dist = tmp_path / "source", tmp_path / "dist"
    for name in BUILD_INPUTS:
        if (ROOT / name).is_dir():
            junk = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "_shipped")
            shutil.copytree(ROOT / name, source / name, ignore=junk)
        else:
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / name, source / name)
    build = "import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])"
    _run([sys.executable, "-c", build, dist], cwd=source)
    (sdist,) = dist.glob("*.tar.gz")
    pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
    _run([*pip, "--quiet", "-w", dist, sdist], cwd=tmp_path)
    (wheel,) = dist.glob("*.whl")

    # The wheel holds every module, the reference tables and the notebooks, as the repository.
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        modules = {n for n in names if n.endswith(".py")}
        assert modules == {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / "nq28_analysis").rglob("*.py")
            if "_shipped" not in p.parts
        }
        shipped = {
            f"nq28_analysis/_shipped/data/reference/{p.name}": p
            for p in (ROOT / "data" / "reference").iterdir()
        } | {
            f"nq28_analysis/_shipped/notebooks/{p.name}": p
            for p in (ROOT / "notebooks").glob("*.ipynb")
        }
        assert "nq28_analysis/_shipped/notebooks/02-periodic-report.ipynb" in shipped
        assert {n for n in names if "/_shipped/" in n} == set(shipped)
        for name, original in shipped.items():
            assert archive.read(name) == original.read_bytes(), name

    # A venv that sees the packages this interpreter sees, less any folder holding
    # nq28_analysis (plain path lines: the .pth files there, the editable install's
    # among them, are not run), and has the wheel installed, offline.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NQ28_HOME")}
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(_run([python, "-c", where], cwd=tmp_path, env=env).stdout.strip())
    stdlib = {Path(sysconfig.get_paths()[k]) for k in ("stdlib", "platstdlib")}
    paths = [
        p
        for p in dict.fromkeys(Path(p).resolve() for p in sys.path if p)
        if p.is_dir() and p not in stdlib and not (p / "nq28_analysis").exists()
    ]
    (site / "dev-venv.pth").write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
    # Jupyter's data files (nbconvert's templates) are beside those packages, under
    # their venv's share/jupyter, which the new venv does not look into by itself.
    shared = [p.parents[2] / "share" / "jupyter" for p in paths if p.name == "site-packages"]
    env["JUPYTER_PATH"] = os.pathsep.join(str(p) for p in shared if p.is_dir())
    install = [python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", wheel]
    _run(install, cwd=tmp_path, env=env)
    imported = _run([python, "-c", "import nq28_analysis as n; print(n.__file__)"], tmp_path, env)
    assert Path(imported.stdout.strip()).parent == site / "nq28_analysis"

    # No checkout above the working folder: what the package needs, it carries.
    work = tmp_path / "work"
    work.mkdir()
    assert not any((p / "data" / "reference").exists() for p in (work, *work.parents))
    nq28 = venv / "bin" / "nq28"
    _run([nq28, "init", "du-an"], cwd=work, env=env)
    project = work / "du-an"
    assert (project / "data" / "reference" / "settings.csv").read_bytes() == (
        ROOT / "data" / "reference" / "settings.csv"
    ).read_bytes()
    _run([nq28, "demo"], cwd=project, env=env)
    report = [nq28, "report", "--period", "2024-Q2", "--raw", "data/demo/raw"]
    written = _run(report, cwd=project, env=env).stdout.split()
    out = project / "reports" / "2024-Q2"
    for name in (
        "bao-cao-2024-Q2.html",
        "bao-cao-2024-Q2-phu-luc.xlsx",
        "bao-cao-2024-Q2-du-thao.docx",
    ):
        assert str(out / name) in written, name
        assert (out / name).stat().st_size > 10_000, name
    assert "DỮ LIỆU MẪU" in (out / "bao-cao-2024-Q2.html").read_text(encoding="utf-8")
