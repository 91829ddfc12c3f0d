"""The package's stages import one way: common → reference → forms → ingest →
metrics → reports. Only the top-level ``cli``, ``workflow``, ``__main__`` and
``__init__`` may import from any stage."""

import ast
from pathlib import Path

import pytest

import nq28_analysis

PACKAGE = Path(nq28_analysis.__file__).parent
STAGES = ("common", "reference", "forms", "ingest", "metrics", "reports")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports from this package, at any depth of the
    file (function-level imports included), as dotted names under the package."""
    module = path.relative_to(PACKAGE).with_suffix("").parts
    return _imports_of(module, path.read_text(encoding="utf-8"))


def _imports_of(module: tuple[str, ...], source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(module[: len(module) - node.level])
                target = [*base, *(node.module or "").split(".")] if node.module else base
                names = [[*target, a.name] for a in node.names] if not node.module else [target]
            elif (node.module or "").startswith("nq28_analysis"):
                names = [node.module.split(".")[1:]]
            else:
                continue
            found += [(node.lineno, ".".join(n for n in name if n)) for name in names]
        elif isinstance(node, ast.Import):
            found += [
                (node.lineno, a.name.split(".", 1)[1])
                for a in node.names
                if a.name.startswith("nq28_analysis.")
            ]
    return found


def _stage(dotted: str) -> int | None:
    first = dotted.split(".")[0]
    return STAGES.index(first) if first in STAGES else None


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def test_every_module_belongs_to_a_stage():
    assert {p.relative_to(PACKAGE).parts[0] for p in MODULES} == set(STAGES)
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "cli.py", "workflow.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_from_a_later_stage(path):
    own = _stage(path.relative_to(PACKAGE).parts[0])
    later = [
        f"line {line}: {target}"
        for line, target in _imports(path)
        if (stage := _stage(target)) is None or stage > own
    ]
    assert not later, f"{path.name} imports from a later stage (or from the top level): {later}"


def test_the_checker_sees_backward_imports_at_any_depth():
    source = (
        "from . import problems\n"
        "def f():\n"
        "    from ..reports.html import x\n"
        "    from nq28_analysis.metrics import compute\n"
    )
    found = [t for _, t in _imports_of(("common", "text"), source)]
    assert found == ["common.problems", "reports.html", "metrics"]
    assert [_stage(t) for t in found] == [0, 5, 4]
