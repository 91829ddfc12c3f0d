"""The deadline engine: who owes which task, and by when.

Two questions, both with the period and ``as_of`` passed in explicitly:

* :func:`assignments` — for a period, the (unit, task) pairs expected: the
  lead units (groups resolved) that report and are open on the period's
  last day, each staggered task's units on their level, and the successor
  of a closed unit inheriting its tasks, once each.
* :func:`obligation` — for a task, a unit, a period and an ``as_of`` date:
  the due date, or why there is none (recurring, not triggered, no
  deadline, cancelled), applying the events recorded up to ``as_of``.

>>> from nq28_analysis import find_project, load_catalog, parse_period
>>> catalog = load_catalog(find_project().reference)
>>> obligation(catalog, "III.2.1.1", "huyen-uy-ba-to",
...            parse_period("2023-Q1"), date(2023, 4, 10)).due
datetime.date(2023, 1, 31)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..common.periods import Period
from .catalog import TRIGGERS, Catalog, Task
from .phrases import TRIGGERED_KINDS

__all__ = [
    "Obligation",
    "assigned_tasks",
    "assignment_rows",
    "assignments",
    "catalog_table",
    "expected_units",
    "obligation",
    "unit_level",
]

DUE = "due"
RECURRING = "recurring"
NOT_TRIGGERED = "not_triggered"
NO_DEADLINE = "none"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class Obligation:
    """What a unit owes on a task at ``as_of``.

    ``state`` is ``due`` (``due`` holds the date, maybe still ahead),
    ``recurring``, ``not_triggered``, ``none`` or ``cancelled``; ``event_id``
    names the event that set the date, if one did.
    """

    state: str
    due: date | None = None
    event_id: str = ""

    def overdue_at(self, as_of: date) -> bool:
        """Due and past its date at ``as_of`` (the due day itself is on time)."""
        return self.state == DUE and self.due is not None and as_of > self.due


def expected_units(catalog: Catalog, period: Period) -> list[str]:
    """Units expected to report for ``period``: they report and are open on
    its last day. In official display order."""
    cached = catalog.cache.expected_units.get(period)
    if cached is None:
        day = period.end
        cached = catalog.cache.expected_units[period] = tuple(
            uid
            for uid in catalog.unit_order()
            if catalog.units[uid].reports and catalog.units[uid].open_on(day)
        )
    return list(cached)


def _holders(
    catalog: Catalog,
    unit_id: str,
    task: Task,
    day: date,
    chain: tuple[str, ...] = (),
    since: date | None = None,
) -> list[tuple[str, tuple[str, ...], date | None]]:
    """Who holds ``unit_id``'s obligation on ``task`` on ``day``, each with the
    chain of units it came through (empty: the unit itself) and the day it
    received it (``None`` for its own).

    A unit open on ``day`` holds its tasks, except those an explicit transfer
    dated on or before ``day`` handed over; a closed unit's tasks go where
    its transfers say (several heirs, different tasks to different heirs),
    else to its ``successor``; heirs pass them on the same way. A unit not
    yet created holds nothing, nor does one that does not report."""
    unit = catalog.units[unit_id]
    if unit_id in chain:
        return []  # a cycle (refused when the tables are read)
    handed = [t for t in catalog.transfers_from(unit_id) if t.date <= day and t.covers(task)]
    if unit.open_on(day) and not handed:
        return [(unit_id, chain, since)] if unit.reports else []
    if unit.valid_from and day < unit.valid_from:
        return []  # not yet created: nothing to inherit
    heirs = {t.to_unit: t.date for t in handed}
    if not heirs and unit.successor and not unit.open_on(day) and unit.valid_to:
        heirs = {unit.successor: unit.valid_to + timedelta(days=1)}
    out = []
    for heir, when in heirs.items():
        out += _holders(catalog, heir, task, day, (*chain, unit_id), when)
    return out


def _judged(catalog: Catalog, task: Task) -> list[tuple[str, list[str]]]:
    """(level, unit ids) for each level row; ``("", leads)`` for other tasks."""
    leads = catalog.resolve(task.lead)
    if task.rule.kind != "staggered":
        return [("", leads)]
    rows = catalog.levels.get(task.task_id)
    if not rows:  # by default the lead, on the last level's date
        return [(task.rule.levels[-1][0], leads)]
    return [(level, catalog.resolve(names)) for level, names in rows]


def unit_level(catalog: Catalog, task: Task, unit_id: str) -> str:
    """The staggered level whose date applies to ``unit_id`` on ``task``
    (the last level when no level row names the unit)."""
    for level, units in _judged(catalog, task):
        if unit_id in units:
            return level
    return task.rule.levels[-1][0] if task.rule.levels else ""


def assignment_rows(catalog: Catalog, period: Period) -> list[dict]:
    """:func:`assignments` as a list of dicts (cached; do not modify)."""
    cached = catalog.cache.assignment_rows.get(period)
    if cached is None:
        cached = _assignment_rows(catalog, period)
        catalog.cache.assignment_rows[period] = cached
    return cached


def assignments(catalog: Catalog, period: Period):
    """The expected (unit, task) pairs of ``period``.

    Columns: ``unit_id, task_id, level, inherited_from`` (the closed unit a
    successor took the task from, else empty). Rows are in unit display
    order, then catalogue order. A unit that both leads a task and inherits
    it has it once. Returns a pandas DataFrame of strings.
    """
    import pandas as pd

    columns = ["unit_id", "task_id", "level", "inherited_from"]
    return pd.DataFrame(assignment_rows(catalog, period), columns=columns).astype("str")


def _assignment_rows(catalog: Catalog, period: Period) -> list[dict]:
    """The pairs of ``period``: each task's units, or whoever holds their
    obligation on the period's last day (:func:`_holders`). A pair held by
    inheritance names every unit it came from in ``inherited_from``
    (``;``-separated, in official order): their answers are its history and
    their due date its due date. A unit that leads a task and also inherits
    it has one pair: its own when it was open before it received the
    predecessors' (a district merged into a city committee that had the task
    itself), else the inherited one, with the history (a board created by a
    merger)."""
    day = period.end
    expected = set(expected_units(catalog, period))
    unit_rank = {uid: i for i, uid in enumerate(catalog.unit_order())}
    pairs: dict[tuple[str, str], dict] = {}
    for task in catalog.tasks.values():
        for level, units in _judged(catalog, task):
            for uid in units:
                for holder, chain, since in _holders(catalog, uid, task, day):
                    if holder not in expected:
                        continue
                    pair = pairs.setdefault(
                        (holder, task.task_id),
                        {"unit_id": holder, "task_id": task.task_id, "level": level},
                    )
                    pair.setdefault("from", set())
                    if not chain:
                        pair["own"] = True
                        continue
                    if not pair["from"]:
                        pair["level"] = level  # the inherited obligation's due date
                    pair["from"].update(chain)
                    pair["since"] = min(pair.get("since", since), since)
    rows = []
    for pair in pairs.values():
        origins = sorted(pair.pop("from"), key=lambda u: (unit_rank[u], u))
        opened = catalog.units[pair["unit_id"]].valid_from
        since = pair.pop("since", None)
        if pair.pop("own", False) and (not origins or opened is None or opened < since):
            origins = []  # it had the task before it received the others'
        rows.append({**pair, "inherited_from": ";".join(origins)})
    return sorted(
        rows,
        key=lambda r: (unit_rank[r["unit_id"]], catalog.tasks[r["task_id"]].order),
    )


def assigned_tasks(catalog: Catalog, period: Period, unit_id: str) -> frozenset[str]:
    """The task ids assigned to ``unit_id`` for ``period`` (cached)."""
    cached = catalog.cache.assigned.get(period)
    if cached is None:
        cached = {}
        for row in assignment_rows(catalog, period):
            cached.setdefault(row["unit_id"], set()).add(row["task_id"])
        cached = {uid: frozenset(ids) for uid, ids in cached.items()}
        catalog.cache.assigned[period] = cached
    return cached.get(unit_id, frozenset())


def _events_for(catalog: Catalog, task: Task, unit_id: str, as_of: date) -> list[dict]:
    targets = {task.task_id}
    if task.rule.kind == "per_plan" and task.rule.document:
        targets.add(task.rule.document)
    chosen = [
        e
        for e in catalog.events
        if e["target"] in targets
        and e["unit_id"] in (None, unit_id)
        and e["date"] is not None
        and e["date"] <= as_of
    ]
    # The latest event counts; on the same date, the one lower in the file.
    return sorted(chosen, key=lambda e: (e["date"], e["_row"]))


def obligation(
    catalog: Catalog,
    task_id: str,
    unit_id: str,
    period: Period,
    as_of: date,
    level: str | None = None,
) -> Obligation:
    """What ``unit_id`` owes on ``task_id`` for ``period``, seen at ``as_of``.

    ``level`` overrides the staggered level (for a task a successor
    inherited from a unit of another level). Events count once their date
    is on or before ``as_of``; the latest one counts: a trigger or an
    extension sets the due date, a cancellation ends the obligation.
    An annual task is due on 31/12 of the year ``period`` ends in.
    """
    task = catalog.tasks[task_id]
    rule = task.rule
    if rule.kind == "none":
        return Obligation(NO_DEADLINE)
    if rule.kind == "recurring":
        return Obligation(RECURRING)
    events = _events_for(catalog, task, unit_id, as_of)
    if rule.kind == "annual":
        year = period.end.year
        events = [e for e in events if e["due_date"] is None or e["due_date"].year == year]
        base = date(year, 12, 31)
    elif rule.kind == "staggered":
        chosen = level or unit_level(catalog, task, unit_id)
        base = dict(rule.levels).get(chosen, rule.last_due)
    else:
        base = rule.due
    if rule.kind in TRIGGERED_KINDS and not any(e["kind"] in TRIGGERS for e in events):
        return Obligation(NOT_TRIGGERED)
    if not events:
        return Obligation(DUE, base)
    latest = events[-1]
    if latest["kind"] == "cancellation":
        return Obligation(CANCELLED, None, latest["event_id"])
    return Obligation(DUE, latest["due_date"], latest["event_id"])


def catalog_table(catalog: Catalog):
    """The flat catalogue of ``nq28 catalog`` (docs/design.md §3).

    Columns ``task_id, section, lead, deadline_kind, due_date, level,
    text_vi``. A staggered task has one row per level, ``lead`` naming the
    units judged on that level's date (as written in ``task_levels.csv``,
    empty when no reporting unit is); other tasks have one row, ``level``
    empty. ``due_date`` is ISO: the rule's date, or the one the recorded
    events set for every unit (empty for recurring, annual, untriggered and
    undated tasks).
    """
    rows = []
    far = date.max
    anchor = catalog.settings.first_period
    for task in catalog.tasks.values():
        base = {
            "task_id": task.task_id,
            "section": task.section,
            "deadline_kind": task.deadline_kind,
            "text_vi": task.text_vi,
        }
        if task.rule.kind == "staggered":
            named = dict(catalog.levels.get(task.task_id, []))
            default_lead = not named
            for level, _ in task.rule.levels:
                ob = obligation(catalog, task.task_id, "", anchor, far, level=level)
                if default_lead:
                    lead = ";".join(task.lead) if level == task.rule.levels[-1][0] else ""
                else:
                    lead = ";".join(named.get(level, ()))
                shown = ob.due if ob.state == DUE else None
                rows.append(
                    {
                        **base,
                        "lead": lead,
                        "level": level,
                        "due_date": shown.isoformat() if shown else "",
                    }
                )
            continue
        due = None
        if task.rule.kind != "annual":
            ob = obligation(catalog, task.task_id, "", anchor, far)
            due = ob.due if ob.state == DUE else None
        rows.append(
            {
                **base,
                "lead": ";".join(task.lead),
                "level": "",
                "due_date": due.isoformat() if due else "",
            }
        )
    import pandas as pd

    columns = ["task_id", "section", "lead", "deadline_kind", "due_date", "level", "text_vi"]
    return pd.DataFrame(rows, columns=columns).astype("str")
