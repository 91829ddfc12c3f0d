"""Stage 5: progress metrics.

:mod:`.classify` judges every (unit, task) pair at ``as_of``; :mod:`.rates`
turns the pairs into rates, reporting, ageing and the lag ranking;
:mod:`.status` keeps the processed tables current and writes what
``nq28 status`` writes.
"""

from .classify import (
    AGE_BUCKETS,
    CLASSIFICATION_COLUMNS,
    CLASSIFICATION_LABELS,
    CLASSIFICATIONS,
    age_bucket,
    classify,
    default_as_of,
    empty_submissions,
)
from .rates import (
    LAG_WEIGHTS,
    LAGGING_SCORE,
    OVERDUE_CAP,
    RATES,
    Metrics,
    Quarters,
    Summary,
    compute,
    kind_rollup,
    reporting,
    rollup,
    summary,
    trend,
    unit_rates,
    within_kind,
)

__all__ = [
    "AGE_BUCKETS",
    "CLASSIFICATIONS",
    "CLASSIFICATION_COLUMNS",
    "CLASSIFICATION_LABELS",
    "LAGGING_SCORE",
    "LAG_WEIGHTS",
    "OVERDUE_CAP",
    "RATES",
    "Metrics",
    "Quarters",
    "Summary",
    "age_bucket",
    "classify",
    "compute",
    "default_as_of",
    "empty_submissions",
    "kind_rollup",
    "reporting",
    "rollup",
    "summary",
    "trend",
    "unit_rates",
    "within_kind",
]
