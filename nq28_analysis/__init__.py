"""nq28_analysis: tracking the provincial Action Program for Resolution 28-NQ/TW.

The public API that notebooks use is re-exported here; everything else is
internal to its module.
"""

__version__ = "0.1.0"

from .common.errors import (
    DeadlinePhraseError,
    Nq28Error,
    PeriodError,
    ProjectNotFoundError,
    ReferenceDataError,
    UsageError,
)
from .common.periods import Period, Span, parse_period, parse_span, period_from_label
from .common.problems import Problem
from .common.project import Project, find_project
from .common.text import fold, key, nfc
from .reference.catalog import Catalog, Settings, Task, Unit, load_catalog
from .reference.deadlines import Obligation, assignments, catalog_table, expected_units, obligation
from .reference.phrases import Rule, describe_rule, parse_phrase


def __getattr__(name: str):
    """Heavier parts load on first use, so that the ``nq28`` command starts fast."""
    if name == "explore":
        from .reports.explore import explore

        return explore
    modules = {
        "charts": ".reports.charts",
        "metrics": ".metrics",
        "formatting": ".common.formatting",
    }
    if name in modules:
        import importlib

        return importlib.import_module(modules[name], __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Catalog",
    "DeadlinePhraseError",
    "Nq28Error",
    "Obligation",
    "Period",
    "PeriodError",
    "Problem",
    "Project",
    "ProjectNotFoundError",
    "ReferenceDataError",
    "Rule",
    "Settings",
    "Span",
    "Task",
    "Unit",
    "UsageError",
    "__version__",
    "assignments",
    "catalog_table",
    "describe_rule",
    "expected_units",
    "explore",
    "find_project",
    "fold",
    "key",
    "load_catalog",
    "nfc",
    "obligation",
    "parse_period",
    "parse_phrase",
    "parse_span",
    "period_from_label",
]
