"""pyproject.toml and environment.yml name the same stack; the layout is in place."""

import re
import tomllib

import yaml

from .conftest import ROOT


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
