"""nq28_analysis: tracking the provincial Action Program for Resolution 28-NQ/TW.

The public API that notebooks use is re-exported here; everything else is
internal to its module.
"""

__version__ = "0.1.0"

from .catalog import Catalog, Settings, Task, Unit, load_catalog
from .deadlines import Obligation, assignments, catalog_table, expected_units, obligation
from .errors import (
    DeadlinePhraseError,
    Nq28Error,
    PeriodError,
    ProjectNotFoundError,
    ReferenceDataError,
    UsageError,
)
from .periods import Period, Span, parse_period, parse_span, period_from_label
from .phrases import Rule, describe_rule, parse_phrase
from .problems import Problem
from .project import Project, find_project
from .text import fold, key, nfc

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
