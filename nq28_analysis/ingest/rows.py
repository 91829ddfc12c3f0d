"""Checking the rows of a returned workbook's table, one field at a time.

:func:`check_rows` walks the table's data rows (blank rows and what follows
the table — a signature block, "Nơi nhận", notes — are not data), runs the
checks of :data:`CHECKS` on each row in order, and keeps the row as an
answer unless a check found an error in it. Each check reads one field
(and what the checks before it found), records the value it read and
reports its problems at the field's cell. Every problem of every row is
collected in one pass.

A task id may be one of the task's other ids (``task_aliases.csv``): the row
is read as that task, with a warning. A file that answers a task both under
its id and under another id counts once (:func:`_once_per_task`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from types import EllipsisType

from ..common.legacy import LEGACY_TCVN3, LEGACY_VNI, fix_legacy
from ..common.periods import Period
from ..common.problems import ERROR, WARNING, cell_ref
from ..common.text import key, nfc
from ..forms.layout import FIELD_LABELS, INPUT_FIELDS, Layout
from ..forms.values import (
    COMPLETED,
    NO_OCCURRENCE,
    NOT_STARTED,
    STATUS_LABELS,
    CellIssue,
    parse_cell_date,
    parse_date_precision,
    parse_status,
    parse_task_id,
)
from ..reference.catalog import Catalog
from ..reference.deadlines import assigned_tasks
from .collector import Collector
from .reading import Sheet

__all__ = ["CHECKS", "TEXT_FIELDS", "check_rows"]

#: Free-text fields of an answer.
TEXT_FIELDS = ("result", "evidence", "difficulties", "proposals")

#: First words of what follows a table (compared by matching key).
_TAIL_WORDS = (
    "noi nhan",
    "nguoi lap",
    "tm ",
    "t/m",
    "thu truong",
    "ghi chu",
    "xac nhan",
    "truong ban",
    "bi thu",
    "pho bi thu",
    "ky ten",
    "chanh van phong",
    "kt ",
)
_LEGACY_NAMES = {LEGACY_TCVN3: "TCVN3 (ABC, phông .Vn…)", LEGACY_VNI: "VNI"}


class _Table:
    """What every row's checks share: the table's columns and headers, the
    unit's assigned tasks, the tasks seen so far, the report date, and the
    month- or quarter-only completion dates the template was pre-filled with
    (``carried``: task id → the cell's text)."""

    def __init__(
        self,
        catalog: Catalog,
        layout: Layout,
        assigned: frozenset[str],
        reported_on: date | None,
        out: Collector,
        carried: dict[str, str] | None = None,
    ):
        self.catalog = catalog
        self.assigned = assigned
        self.reported_on = reported_on
        self.out = out
        self.carried = carried or {}
        self.cols = layout.columns
        self.header_of = {
            name: layout.headers.get(col, FIELD_LABELS[name]) for name, col in self.cols.items()
        }
        # (task id, read through an alias) → Excel row of its first answer
        self.seen: dict[tuple[str, bool], int] = {}

    def at(
        self,
        code: str,
        message: str,
        row: _Row,
        field: str,
        severity: str = ERROR,
        col: int | EllipsisType | None = ...,
    ) -> None:
        """A problem at ``field``'s cell of ``row`` (or at column ``col``),
        under ``field``'s header."""
        where = self.cols.get(field) if col is ... else col
        self.out.at(code, message, row.r, where, self.header_of.get(field, ""), severity)


class _Row:
    """One data row: its cells, and the answer the checks build from them."""

    __slots__ = (
        "alias",
        "completed_on",
        "date_filled",
        "date_issue",
        "id_text",
        "inputs",
        "precision",
        "r",
        "raw_id",
        "status",
        "task_id",
        "texts",
    )

    def __init__(self, r: int, raw_id: object, id_text: str, inputs: dict[str, object]):
        self.r, self.raw_id, self.id_text, self.inputs = r, raw_id, id_text, inputs
        self.task_id: str | None = None
        self.alias = ""  # the other id the row named its task by, if it did
        self.status: str | None = None
        self.completed_on: date | None = None
        self.precision: str | None = None  # day, month or quarter (forms.values)
        self.date_issue: CellIssue | None = None
        self.date_filled = False
        self.texts: dict[str, str] = {}


# --- the checks, one per field -------------------------------------------------------


def _check_task_id(t: _Table, row: _Row, field: str) -> None:
    """A known task id, once per table; a task not assigned is kept, with a warning.
    Another id of a task (an alias) is read as that task, with a warning."""
    if not row.id_text:
        t.at(
            "task-id-missing",
            "Dòng có nội dung báo cáo nhưng không có mã nhiệm vụ; ghi mã "
            "nhiệm vụ như trong biểu mẫu.",
            row,
            field,
            col=t.cols.get("task_id", t.cols.get("task_text")),
        )
        return
    written = parse_task_id(row.raw_id)
    task_id = t.catalog.current_task_id(written) if written else None
    if task_id is None:
        t.at(
            "task-unknown", f"Mã nhiệm vụ «{row.id_text}» không có trong Chương trình.", row, field
        )
        return
    if task_id != written:
        row.alias = written
        t.at(
            "task-alias",
            f"Mã «{written}» được ghi nhận là nhiệm vụ {task_id} (biểu mẫu mới dùng mã "
            f"{task_id}). {t.catalog.aliases[written].note}",
            row,
            field,
            WARNING,
        )
    seen = (task_id, bool(row.alias))
    if seen in t.seen:
        t.at(
            "task-duplicate",
            f"Nhiệm vụ {task_id} đã được báo cáo ở dòng {t.seen[seen]}; "
            "mỗi nhiệm vụ chỉ ghi một dòng.",
            row,
            field,
        )
    elif t.assigned and task_id not in t.assigned:
        t.at(
            "task-not-assigned",
            f"Nhiệm vụ {task_id} không giao cho đơn vị trong kỳ này; vẫn ghi nhận.",
            row,
            field,
            WARNING,
        )
    t.seen.setdefault(seen, row.r + 1)
    row.task_id = task_id


def _check_status(t: _Table, row: _Row, field: str) -> None:
    """A status from the vocabulary; an empty one is a warning for a known task."""
    value = row.inputs[field]
    status, message = parse_status(value)
    if message:
        # "Hoµn thµnh": a status typed in a legacy font is still a status.
        text = _fix_text(t, row, field, value)
        status, retry = parse_status(text)
        if retry is None:
            message = None
    if message:
        t.at("status-unknown", message, row, field)
    elif status is None and row.task_id:
        t.at(
            "status-empty",
            "Chưa chọn tình trạng: nhiệm vụ được tính là chưa báo cáo trong tệp này.",
            row,
            field,
            WARNING,
        )
    elif status == NO_OCCURRENCE and _has_deadline(t, row):
        t.at(
            "no-occurrence-on-deadline-task",
            f"«{STATUS_LABELS[NO_OCCURRENCE]}» chỉ dùng cho nhiệm vụ thường xuyên (trong kỳ "
            "không có việc phát sinh); nhiệm vụ có thời hạn này được tính là "
            f"«{STATUS_LABELS[NOT_STARTED]}».",
            row,
            field,
            WARNING,
        )
    row.status = status


#: Tasks dated by the program itself: "Không phát sinh" cannot describe them.
#: (A task waiting for a request, guidance, plan or election may well have had
#: nothing happen; a recurring one is what the word is for.)
_DATED_KINDS = frozenset({"fixed", "staggered", "annual"})


def _has_deadline(t: _Table, row: _Row) -> bool:
    """Whether the row's task is a known task the program dates itself."""
    task = t.catalog.tasks.get(row.task_id) if row.task_id else None
    return task is not None and task.deadline_kind in _DATED_KINDS


def _check_completed_on(t: _Table, row: _Row, field: str) -> None:
    """A date that exists (a month or a quarter alone is read as its last day,
    with a warning — unless it is the month or quarter the template was
    pre-filled with: the unit was told once, when it first gave that date)."""
    row.completed_on, row.precision, issue = parse_date_precision(row.inputs[field])
    if issue and issue.code == "date-partial" and _as_carried(t, row):
        issue = None
    if issue:
        t.at(issue.code, issue.message, row, field, issue.severity)
    row.date_issue = issue


def _as_carried(t: _Table, row: _Row) -> bool:
    """Whether the row's date is the pre-filled one of its task: the same day,
    given as precisely (``tháng 6/2023`` and ``06/2023`` are the same)."""
    carried = t.carried.get(row.task_id) if row.task_id else None
    if carried is None:
        return False
    return parse_date_precision(carried)[:2] == (row.completed_on, row.precision)


def _check_completion_date_agrees(t: _Table, row: _Row, field: str) -> None:
    """A completion has its date (else the report's date stands in); a date
    without a completion is not used. A recurring task owes no date."""
    completed, day = row.status == COMPLETED, row.completed_on
    if completed and day is None:
        recurring = bool(row.task_id) and (t.catalog.task(row.task_id).deadline_kind == "recurring")
        if recurring or (row.date_issue and row.date_issue.severity == ERROR):
            return
        t.at(
            "completed-without-date",
            "Hoàn thành nhưng không ghi ngày hoàn thành: tạm lấy ngày gửi báo cáo.",
            row,
            field,
            WARNING,
            col=t.cols.get(field, t.cols.get("status")),
        )
        row.date_filled = True
    elif row.status is not None and not completed and day is not None:
        t.at(
            "date-without-completion",
            "Có ngày hoàn thành nhưng tình trạng không phải "
            "«Hoàn thành»; ngày này không được dùng.",
            row,
            field,
            WARNING,
        )
        row.completed_on = row.precision = None


def _check_completion_before_report(t: _Table, row: _Row, field: str) -> None:
    """A completion dated after the report is suspicious (a warning)."""
    day, reported = row.completed_on, t.reported_on
    if day and reported and day > reported:
        t.at(
            "date-after-report",
            f"Ngày hoàn thành {day:%d/%m/%Y} sau ngày báo cáo {reported:%d/%m/%Y}.",
            row,
            field,
            WARNING,
        )


def _check_text(t: _Table, row: _Row, field: str) -> None:
    """Free text as Unicode NFC (legacy-font text is converted, with a warning)."""
    value = row.inputs[field]  # "" for an empty cell or a column the table lacks
    row.texts[field] = _fix_text(t, row, field, value) if value != "" else ""


def _fix_text(t: _Table, row: _Row, field: str, value: object) -> str:
    """A text cell as Unicode NFC; legacy-font text is converted, with a warning.

    Legacy detection sees the raw text: NFC normalisation would already turn
    TCVN3's "Ð" (é) into "Đ" and hide it.
    """
    if value == "" or value is None:  # most text cells are empty
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raw = str(value)
    if not raw.strip():
        return ""
    fixed, found = fix_legacy(raw)
    if not found:
        return nfc(raw)
    fixed = nfc(fixed)
    t.at(
        "legacy-text",
        f"Chữ gõ bằng bảng mã cũ {_LEGACY_NAMES.get(found, found)} đã được đổi sang "
        f"Unicode: «{fixed[:60]}». Nên dùng phông Unicode (Times New Roman).",
        row,
        field,
        WARNING,
    )
    return fixed


#: The checks of a row, in the order they run and report: (field, check).
CHECKS: tuple[tuple[str, Callable[[_Table, _Row, str], None]], ...] = (
    ("task_id", _check_task_id),
    ("status", _check_status),
    ("completed_on", _check_completed_on),
    ("completed_on", _check_completion_date_agrees),
    ("completed_on", _check_completion_before_report),
    *((name, _check_text) for name in TEXT_FIELDS),
)


# --- the rows ----------------------------------------------------------------------


def check_rows(
    catalog: Catalog,
    sheet: Sheet,
    layout: Layout,
    unit: str | None,
    period: Period | None,
    reported_on: date | None,
    out: Collector,
    carried: dict[str, str] | None = None,
) -> tuple[list[dict], int, int, int]:
    """Check every data row of the table on ``sheet``; return the accepted
    answers, the number of rows seen, the number of rows in error and the
    number of rows not used because another row answered the same task
    under its other id (:func:`_once_per_task`). ``carried`` maps task ids
    to the month- or quarter-only completion date the template was
    pre-filled with (from its hidden metadata)."""
    assigned = assigned_tasks(catalog, period, unit) if unit and period else frozenset()
    table = _Table(catalog, layout, assigned, reported_on, out, carried)
    answers: list[tuple[_Row, dict]] = []
    seen = in_error = 0
    for row in _data_rows(sheet.grid, layout):
        seen += 1
        before = len(out.problems)
        for field, check in CHECKS:
            check(table, row, field)
        if any(p.severity == ERROR for p in out.problems[before:]):
            in_error += 1
            continue
        answers.append(
            (
                row,
                {
                    "task_id": row.task_id,
                    "status": row.status,
                    "completed_on": row.completed_on,
                    "completed_on_precision": row.precision if row.completed_on else None,
                    **row.texts,
                    "source_sheet": sheet.name,
                    "source_row": row.r + 1,
                    "date_filled": row.date_filled,
                    # Where the completion date is, for a warning made across periods.
                    "date_column": table.header_of.get("completed_on", ""),
                    "date_cell": _cell_of(row, table.cols.get("completed_on")),
                },
            )
        )
    kept = _once_per_task(table, answers)
    return kept, seen, in_error, len(answers) - len(kept)


def _once_per_task(t: _Table, answers: list[tuple[_Row, dict]]) -> list[dict]:
    """One answer per task: a task answered both under its id and under one of
    its other ids (an old template's ``III.2.9.2`` beside ``IV.2``) counts once.

    The row under the task's own id is used, wherever it sits, unless its
    status is empty: an empty status never replaces an answer, so the other
    row is used then. The row not used is warned at its task id
    (``task-alias-duplicate``) and counted apart from answers and errors.
    """
    rows: dict[str, list[tuple[_Row, dict]]] = {}
    for row, answer in answers:
        rows.setdefault(answer["task_id"], []).append((row, answer))
    kept = []
    for row, answer in answers:
        both = rows[answer["task_id"]]
        if len(both) == 1:
            kept.append(answer)
            continue
        used = min(both, key=lambda pair: (pair[1]["status"] is None, bool(pair[0].alias)))
        if used[0] is row:
            kept.append(answer)
            continue
        t.at(
            "task-alias-duplicate",
            f"Nhiệm vụ {answer['task_id']} đã được báo cáo ở dòng {used[0].r + 1} (mã "
            f"«{used[0].alias or answer['task_id']}»); dòng này (mã "
            f"«{row.alias or answer['task_id']}») không được dùng: mỗi nhiệm vụ chỉ tính một lần.",
            row,
            "task_id",
            WARNING,
        )
    return kept


def _cell_of(row: _Row, col: int | None) -> str:
    return cell_ref(row.r + 1, col) if col is not None else ""


def _cell(row: list, col: int | None) -> object:
    if col is None or col >= len(row):
        return ""
    value = row[col]
    return "" if value is None else value


def _data_rows(grid: list[list], layout: Layout) -> Iterator[_Row]:
    """The rows of the table that carry an answer or a task id.

    Below the last task, a signature block, notes, "Nơi nhận" are not data.
    A row with a real status word or a real date always is; before such a
    block starts, any status text is.
    """
    id_col = layout.columns.get("task_id")
    input_cols = [(name, layout.columns.get(name)) for name in INPUT_FIELDS]
    first = layout.first_data_row
    last_id_row = max(
        (r for r in range(first, len(grid)) if parse_task_id(_cell(grid[r], id_col))),
        default=first - 1,
    )
    tail = False
    for r in range(first, len(grid)):
        cells = grid[r]
        raw_id = _cell(cells, id_col)
        id_text = nfc(raw_id)
        inputs = {name: _cell(cells, col) for name, col in input_cols}
        if not id_text and not any(
            nfc(v) if not isinstance(v, int | float | date) else True for v in inputs.values()
        ):
            continue
        if r > last_id_row and not parse_task_id(raw_id):
            status_text = nfc(inputs["status"])
            strong = parse_status(status_text)[0] is not None or (
                parse_cell_date(inputs["completed_on"])[0] is not None
            )
            tail = tail or (not strong and _is_tail(cells))
            if not strong and (tail or not status_text):
                continue
        yield _Row(r, raw_id, id_text, inputs)


def _is_tail(row: list) -> bool:
    """A row that starts what follows a table: "Nơi nhận", "T/M …", a signature,
    a dated place line ("Ba Tơ, ngày … tháng …")."""
    for value in row:
        k = key(value) if isinstance(value, str) else ""
        if k.startswith(_TAIL_WORDS) or ("ngay" in k and "thang" in k and "nam" in k):
            return True
    return False
