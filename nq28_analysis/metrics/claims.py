"""The completions awaiting the Board's verdict, for ``nq28 review``
(docs/design.md §16)."""

from __future__ import annotations

import pandas as pd

from ..common.periods import parse_period
from ..forms.worklist import Claim
from ..ingest.consolidate import counted
from ..reference.catalog import Catalog
from .classify import DONE_CODES
from .rates import Metrics

__all__ = ["pending_claims"]


def pending_claims(
    catalog: Catalog, metrics: Metrics, submissions: pd.DataFrame, verdicts: pd.DataFrame
) -> list[Claim]:
    """One claim per (unit, deadline task) counted completed at the metrics'
    ``as_of`` that no verdict (of any date) concerns yet, in official unit
    order then catalogue order, with the result and evidence of the answer
    that first said completed (the predecessor's, for an inherited task)."""
    table = metrics.table
    done = table[table["classification"].isin(DONE_CODES) & (table["deadline_kind"] != "recurring")]
    judged = (
        set(zip(verdicts["unit_id"], verdicts["task_id"], strict=True)) if len(verdicts) else set()
    )
    answers = counted(submissions, metrics.as_of)
    said = {
        (r.period, r.unit_id, r.task_id): r
        for r in answers[answers["status"] == "completed"].itertuples(index=False)
    }
    claims = []
    for row in done.itertuples(index=False):
        if (row.unit_id, row.task_id) in judged:
            continue
        period = row.done_period if isinstance(row.done_period, str) else ""
        answer = said.get((period, row.unit_id, row.task_id))
        for origin in (row.inherited_from or "").split(";"):
            answer = answer or said.get((period, origin, row.task_id))
        claims.append(
            Claim(
                unit_id=row.unit_id,
                unit=row.unit_name,
                task_id=row.task_id,
                task=catalog.task(row.task_id).text_vi,
                due_date=row.due_date if not pd.isna(row.due_date) else None,
                claimed_on=row.completed_on if not pd.isna(row.completed_on) else None,
                claimed_in=parse_period(period).label_vi if period else "",
                result=(getattr(answer, "result", "") or "") if answer is not None else "",
                evidence=(getattr(answer, "evidence", "") or "") if answer is not None else "",
            )
        )
    return claims
