"""The tasks waiting for an event, and the ``events.csv`` line that dates each.

A task whose deadline depends on something outside the program — a central
request (``on_request``), central guidance (``after_guidance``), a plan's
milestones (``per_plan``), the next election (``term``) — owes nothing
until ``events.csv`` records that event; until then its pairs are
``not_triggered`` («Chưa phát sinh»). :func:`pending_events` lists those
tasks at an ``as_of`` date, says what each waits for, how many expected
units it binds, and suggests the line the analyst adds to ``events.csv``
once the event happens: the right ``kind`` and ``target``, the dates and the
source left as placeholders in ``<…>`` (never a date we would have to
invent), so that a line pasted unedited is refused at its cell
(``ref-bad-date``) instead of dating a task wrongly (docs/design.md §12).

Also listed: a plan in force read as recurring until its milestones are
recorded (Kế hoạch 121-KH/TU, docs/design.md §6), and a task whose event is
recorded with a date after ``as_of`` (it counts from that date). Recurring
tasks, dated tasks and tasks whose event already counts are not listed.

>>> from nq28_analysis import find_project, load_catalog
>>> catalog = load_catalog(find_project().reference)
>>> [p.task_id for p in pending_events(catalog, date(2024, 12, 31))][:3]
['III.2.1.6', 'III.2.2.2', 'III.2.2.3a']
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..common.periods import Period, Span, quarter_of
from ..common.tables import write_rows
from ..common.text import slug
from .catalog import TRIGGERS, Catalog, Task
from .deadlines import NOT_TRIGGERED, assignment_rows, obligation
from .phrases import TRIGGERED_KINDS, Rule, parse_phrase

__all__ = [
    "EVENT_FIELDS",
    "PENDING_COLUMNS",
    "PendingTask",
    "is_placeholder",
    "pending_events",
    "write_pending",
]

#: The columns of ``events.csv``, in its order.
EVENT_FIELDS = ("event_id", "target", "kind", "date", "due_date", "unit_id", "source", "note")

#: The event kind that starts each triggered deadline kind.
_EVENT_KIND = {
    "on_request": "request",
    "after_guidance": "guidance",
    "per_plan": "plan",
    "term": "election",
}
#: The start of a suggested event id, by event kind.
_ID_WORDS = {
    "request": "yeu-cau",
    "guidance": "huong-dan",
    "plan": "ke-hoach",
    "election": "bau-cu",
}
#: Placeholders of the suggested line: (date, due_date, source), by event kind.
_PLACEHOLDERS = {
    "request": (
        "<ngày Trung ương yêu cầu dd/mm/yyyy>",
        "<hạn Trung ương yêu cầu dd/mm/yyyy>",
        "<văn bản yêu cầu của Trung ương: số, ngày>",
    ),
    "guidance": (
        "<ngày ban hành quy định, hướng dẫn dd/mm/yyyy>",
        "<hạn hoàn thành dd/mm/yyyy>",
        "<văn bản quy định, hướng dẫn của Trung ương: số, ngày>",
    ),
    "plan": (
        "<ngày của kế hoạch dd/mm/yyyy>",
        "<hạn theo mốc của kế hoạch dd/mm/yyyy>",
        "<văn bản ghi mốc: số, ngày>",
    ),
    "election": (
        "<ngày ấn định ngày bầu cử dd/mm/yyyy>",
        "<ngày bầu cử dd/mm/yyyy>",
        "<văn bản ấn định ngày bầu cử: số, ngày>",
    ),
}
_PLACEHOLDER = re.compile(r"^<[^<>]+>$")

#: ``pending_events.csv``: one row per task waiting for an event.
PENDING_COLUMNS = (
    "task_id",
    "deadline_kind",
    "waits_for",
    "state",
    "expected_units",
    "recorded_event_id",
    "recorded_on",
    "events_line",
    "text_vi",
)


def is_placeholder(value: str) -> bool:
    """Whether a field of a suggested line is a ``<…>`` placeholder to fill."""
    return bool(_PLACEHOLDER.match(value or ""))


@dataclass(frozen=True)
class PendingTask:
    """A task waiting for an event at ``as_of``.

    ``state`` is ``not_triggered`` (its pairs are «Chưa phát sinh») or
    ``recurring`` (a plan in force read as recurring until its milestones
    are recorded). ``expected_units`` counts the units expected for the
    period that the event would bind. ``event`` is the suggested
    ``events.csv`` row (:data:`EVENT_FIELDS`; dates and source are
    placeholders, :func:`is_placeholder`). ``recorded`` is the id and date
    of an event already recorded for the task but dated after ``as_of``.
    """

    task_id: str
    text_vi: str
    deadline_kind: str
    waits_for: str
    state: str
    expected_units: int
    event: dict[str, str]
    recorded: tuple[str, date] | None = None

    @property
    def line(self) -> str:
        """The suggested row as one line of ``events.csv`` (CSV-quoted)."""
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow([self.event[f] for f in EVENT_FIELDS])
        return out.getvalue()


def _phrase_rule(task: Task) -> Rule:
    """The rule the task's event dates: its own, or for a plan in force read
    as recurring, its phrase's (docs/design.md §6)."""
    if task.rule.kind not in TRIGGERED_KINDS and task.read_over_phrase:
        return parse_phrase(task.deadline_phrase)
    return task.rule


def _waits_for(task: Task, rule: Rule) -> str:
    """What the task waits for, in Vietnamese, from its rule and documents."""
    documents = " và ".join(task.documents)
    about = f" về {documents}" if documents else ""
    if rule.kind == "on_request":
        return f"yêu cầu của Trung ương{about}"
    if rule.kind == "after_guidance":
        return f"quy định, hướng dẫn của Trung ương{about}"
    if rule.kind == "per_plan":
        return f"mốc thời gian của Kế hoạch số {rule.document}"
    return "ngày bầu cử nhiệm kỳ mới"


def _document_date(task: Task, document: str) -> date | None:
    """The date the task's phrase gives its plan («Kế hoạch số 121-KH/TU ngày
    10/8/2022»): the source's own, so it may fill the suggested ``date``."""
    found = re.search(
        re.escape(document) + r"\s+ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})", task.deadline_phrase
    )
    if not found:
        return None
    try:
        return date(int(found[3]), int(found[2]), int(found[1]))
    except ValueError:
        return None


def _targets(task: Task, rule: Rule) -> set[str]:
    return {task.task_id, rule.document} - {""}


def _suggestion(catalog: Catalog, task: Task, rule: Rule, waits_for: str) -> dict[str, str]:
    kind = _EVENT_KIND[rule.kind]
    # A plan's event dates every task following it: it targets the plan.
    target = rule.document if rule.kind == "per_plan" and rule.document else task.task_id
    taken = {e["event_id"] for e in catalog.events}
    event_id = base = f"{_ID_WORDS[kind]}-{slug(target)}"
    number = 2
    while event_id in taken:
        event_id, number = f"{base}-{number}", number + 1
    when, due, source = _PLACEHOLDERS[kind]
    dated = _document_date(task, rule.document) if kind == "plan" else None
    sharing = sorted(
        (t for t in catalog.tasks.values() if target in _targets(t, _phrase_rule(t))),
        key=lambda t: t.order,
    )
    tasks = ", ".join(t.task_id for t in sharing) or task.task_id
    return {
        "event_id": event_id,
        "target": target,
        "kind": kind,
        "date": dated.isoformat() if dated else when,
        "due_date": due,
        "unit_id": "",
        "source": source,
        "note": f"{waits_for[:1].upper()}{waits_for[1:]} (nhiệm vụ {tasks})",
    }


def _recorded_later(catalog: Catalog, targets: set[str], as_of: date) -> tuple[str, date] | None:
    """The first trigger recorded for ``targets`` with a date after ``as_of``."""
    later = sorted(
        (e["date"], e["_row"], e["event_id"])
        for e in catalog.events
        if e["target"] in targets and e["kind"] in TRIGGERS and e["date"] and e["date"] > as_of
    )
    return (later[0][2], later[0][0]) if later else None


def _cancelled(catalog: Catalog, targets: set[str], as_of: date) -> bool:
    return any(
        e["target"] in targets
        and e["kind"] == "cancellation"
        and not e["unit_id"]
        and e["date"]
        and e["date"] <= as_of
        for e in catalog.events
    )


def pending_events(
    catalog: Catalog, as_of: date, period: Period | Span | None = None
) -> list[PendingTask]:
    """The tasks waiting for an event at ``as_of``, in catalogue order.

    ``period`` (default: the quarter holding ``as_of``) says which units are
    expected: its last quarter's (:func:`~.deadlines.assignment_rows`). A
    task is listed when its deadline kind waits for an event and no event
    counting at ``as_of`` starts it for at least one of its expected units
    (for a task no expected unit holds: for every unit), or when it is a
    plan in force read as recurring until its milestones are recorded.
    ``expected_units`` counts the units still waiting (an event limited to
    one unit starts that unit's obligation only). A cancelled task waits for
    nothing.
    """
    quarter = (period or quarter_of(as_of)).last_quarter
    holders: dict[str, list[str]] = {}
    for row in assignment_rows(catalog, quarter):
        holders.setdefault(row["task_id"], []).append(row["unit_id"])
    out = []
    for task in catalog.tasks.values():
        rule = _phrase_rule(task)
        if rule.kind not in TRIGGERED_KINDS:
            continue
        targets = _targets(task, rule)
        if _cancelled(catalog, targets, as_of):
            continue
        units = holders.get(task.task_id, [])
        if task.rule.kind in TRIGGERED_KINDS:
            state = NOT_TRIGGERED
            waiting = [
                u
                for u in units
                if obligation(catalog, task.task_id, u, quarter, as_of).state == NOT_TRIGGERED
            ]
            # Without an expected unit, it waits while no event for every unit counts.
            general = obligation(catalog, task.task_id, "", quarter, as_of).state
            if not waiting and (units or general != NOT_TRIGGERED):
                continue
        else:  # read as recurring until an event dates its plan
            state, waiting = "recurring", units
        waits_for = _waits_for(task, rule)
        out.append(
            PendingTask(
                task_id=task.task_id,
                text_vi=task.text_vi,
                deadline_kind=rule.kind,
                waits_for=waits_for,
                state=state,
                expected_units=len(waiting),
                event=_suggestion(catalog, task, rule, waits_for),
                recorded=_recorded_later(catalog, targets, as_of),
            )
        )
    return out


def write_pending(tasks: list[PendingTask], path: Path | str) -> Path:
    """Write ``pending_events.csv`` (:data:`PENDING_COLUMNS`, UTF-8 with BOM):
    one row per task waiting for an event, with the suggested line."""
    rows = [
        {
            "task_id": t.task_id,
            "deadline_kind": t.deadline_kind,
            "waits_for": t.waits_for,
            "state": t.state,
            "expected_units": t.expected_units,
            "recorded_event_id": t.recorded[0] if t.recorded else "",
            "recorded_on": t.recorded[1] if t.recorded else None,
            "events_line": "" if t.recorded else t.line,
            "text_vi": t.text_vi,
        }
        for t in tasks
    ]
    return write_rows(list(PENDING_COLUMNS), rows, path)
