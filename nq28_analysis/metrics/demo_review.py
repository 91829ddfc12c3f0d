"""The demo's filled verdict worklist (``nq28 demo``, docs/design.md §16).

The worklist of the demo's last quarter is written by the project's own
writer from the same claims ``nq28 review`` lists, then filled the way an
analyst does (:func:`~nq28_analysis.forms.demo.fill_worklist`), so that the
demo's reports and reminders show every kind of verdict. Verdicts already in
the folder are not read: the same demo gives the same worklist, byte for byte.
The filled worklist is read back as every command reads it, and its verdicts
listed in ``verdicts.csv`` beside the processed tables, as ``nq28 status``
would: the demo's folders are complete and consistent.
"""

from __future__ import annotations

from pathlib import Path

from ..common.periods import Period
from ..forms.demo import demo_verdicts, fill_worklist
from ..forms.worklist import worklist_name, write_worklist
from ..ingest.verdicts import Verdicts, read_verdicts, write_verdicts
from ..reference.catalog import Catalog
from .claims import pending_claims
from .rates import compute
from .status import current_tables

__all__ = ["write_demo_review"]


def write_demo_review(
    catalog: Catalog, raw: Path, processed: Path, review: Path, period: Period
) -> Path:
    """Ingest the demo ``raw`` into ``processed`` (when its inputs changed),
    list the completions claimed up to ``period`` at its default ``as_of``,
    write them to ``review``'s worklist of ``period`` and fill it. Returns
    the worklist's path."""
    tables = current_tables(raw, processed, catalog)
    metrics = compute(catalog, tables.submissions, tables.manifest, period, with_previous=False)
    claims = pending_claims(catalog, metrics, tables.submissions, Verdicts.none().table)
    path = write_worklist(
        claims, period, Path(review) / worklist_name(period), metrics.as_of, sample=True
    )
    fill_worklist(path, demo_verdicts(claims, period), metrics.as_of)
    write_verdicts(read_verdicts(Path(review), catalog), processed)
    return path
