"""Reading back the Board's verdicts from the worklists in ``data/review/``
(docs/design.md §16).

Every ``.xlsx`` in the folder is read: its columns are found by their labels
(:data:`~nq28_analysis.forms.worklist.WORKLIST_HEADERS`), wherever they are
and in any order, so a worklist re-saved by another program, sorted or with
rows deleted, still reads. A row with an empty ``Kết luận`` is no verdict. A
bad row (an unknown word, unit or task, an impossible date, a verdict
without ``Ngày thẩm định``) is an error at its cell; the other verdicts
still apply. Nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from ..common.problems import ERROR, WARNING, Problem
from ..common.text import key, nfc
from ..forms.values import STATUS_LABELS, parse_cell_date, parse_status, parse_task_id
from ..forms.worklist import VERDICT_LABELS, WORKLIST_HEADERS
from ..reference.catalog import Catalog

__all__ = [
    "VERDICT_COLUMNS",
    "Verdicts",
    "holds_verdicts",
    "read_verdicts",
    "verdicts_at",
    "write_verdicts",
]

#: The columns of ``verdicts.csv`` (docs/design.md §16).
VERDICT_COLUMNS = (
    "unit_id",
    "task_id",
    "verdict",
    "status",
    "completed_on",
    "reason",
    "reviewer",
    "reviewed_on",
    "period",
    "file",
    "row",
)

#: Words read as each verdict (compared by :func:`~nq28_analysis.common.text.key`).
_VERDICT_WORDS = {
    "accepted": ("Chấp nhận", "Đồng ý", "Đạt"),
    "not_accepted": ("Chưa chấp nhận", "Không chấp nhận", "Không đạt", "Chưa đạt"),
    "corrected": ("Sửa", "Sửa lại", "Điều chỉnh"),
}
_VERDICT_BY_KEY = {key(w): code for code, words in _VERDICT_WORDS.items() for w in words}
_LABEL_BY_KEY = {key(label): name for name, label in WORKLIST_HEADERS.items()}
_NEEDED = ("task_id", "verdict", "reviewed_on")


@dataclass
class Verdicts:
    """Every verdict read (``table``, columns :data:`VERDICT_COLUMNS`) and the
    problems of the rows that could not be read."""

    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @classmethod
    def none(cls) -> Verdicts:
        return cls(pd.DataFrame(columns=list(VERDICT_COLUMNS)))


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    """The header row (0-based) and column of each known label, in the first 30 rows."""
    for number, row in enumerate(rows[:30]):
        found = {}
        for col, value in enumerate(row):
            name = _LABEL_BY_KEY.get(key(value)) if isinstance(value, str) else None
            if name and name not in found:
                found[name] = col
        if all(n in found for n in _NEEDED) and ("unit_id" in found or "unit" in found):
            return number, found
    return None


def _period_of(book) -> str:
    if "_nq28" not in book.sheetnames:
        return ""
    pairs = {r[0]: r[1] for r in book["_nq28"].iter_rows(values_only=True) if len(r) >= 2}
    return str(pairs.get("period") or "")


def _read_file(path: Path, shown: str, catalog: Catalog) -> tuple[list[dict], list[Problem]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        message = f"Không đọc được tệp thẩm định ({type(exc).__name__}); tệp bị bỏ qua."
        return [], [Problem(shown, "verdict-file-unreadable", message)]
    try:
        period = _period_of(book)
        for sheet in book.worksheets:
            if sheet.title == "_nq28":
                continue
            rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
            found = _header(rows)
            if found is not None:
                return _read_rows(rows, found, sheet.title, shown, period, catalog)
    finally:
        book.close()
    labels = ", ".join(f"«{WORKLIST_HEADERS[n]}»" for n in _NEEDED)
    return [], [
        Problem(shown, "verdict-columns", f"Không thấy bảng thẩm định (cần các cột {labels}).")
    ]


def _read_rows(
    rows: list[tuple],
    found: tuple[int, dict[str, int]],
    sheet: str,
    shown: str,
    period: str,
    catalog: Catalog,
) -> tuple[list[dict], list[Problem]]:
    header, columns = found
    out, problems = [], []
    for number in range(header + 1, len(rows)):
        row = rows[number]

        def value(name: str, row=row):
            col = columns.get(name)
            return row[col] if col is not None and col < len(row) else None

        def problem(name: str, code: str, message: str, severity: str = ERROR, number=number):
            col = columns[name]
            problems.append(
                Problem(
                    shown,
                    code,
                    message,
                    severity,
                    sheet=sheet,
                    row=number + 1,
                    column=WORKLIST_HEADERS[name],
                    cell=f"{_column_letter(col)}{number + 1}",
                )
            )

        said = value("verdict")
        if said is None or (isinstance(said, str) and not said.strip()):
            continue  # no verdict yet
        verdict = _VERDICT_BY_KEY.get(key(said)) if isinstance(said, str) else None
        if verdict is None:
            choices = ", ".join(f"«{w}»" for w in VERDICT_LABELS.values())
            problem(
                "verdict", "verdict-unknown", f"Kết luận «{said}» không hợp lệ: chọn {choices}."
            )
            continue
        unit_id = _unit(catalog, value("unit_id"), value("unit"))
        task_text = value("task_id")
        task_id = parse_task_id(task_text) if task_text is not None else None
        reviewed_on, bad_day = parse_cell_date(value("reviewed_on"))
        ok = True
        if unit_id is None:
            where = "unit_id" if "unit_id" in columns else "unit"
            shown_unit = value("unit_id") or value("unit") or ""
            problem(where, "verdict-unit-unknown", f"Không xác định được đơn vị «{shown_unit}».")
            ok = False
        if task_id is None or task_id not in catalog.tasks:
            problem(
                "task_id",
                "verdict-task-unknown",
                f"Mã nhiệm vụ «{task_text or ''}» không có trong Chương trình.",
            )
            ok = False
        if reviewed_on is None and bad_day is not None:
            problem("reviewed_on", "verdict-bad-date", f"Ngày thẩm định: {bad_day.message}")
            ok = False
        elif reviewed_on is None:
            problem(
                "reviewed_on",
                "verdict-date-missing",
                "Có kết luận nhưng chưa ghi Ngày thẩm định: kết luận chưa được tính.",
            )
            ok = False
        status, completed_on = None, None
        if "status" in columns and value("status") not in (None, ""):
            status, _ = parse_status(value("status"))
            if status is None:
                words = ", ".join(f"«{w}»" for w in STATUS_LABELS.values())
                problem(
                    "status",
                    "verdict-status-unknown",
                    f"Tình trạng đúng «{value('status')}» không hợp lệ: chọn {words}.",
                )
                ok = False
        if "completed_on" in columns and value("completed_on") not in (None, ""):
            completed_on, bad = parse_cell_date(value("completed_on"))
            if completed_on is None and bad is not None:
                problem("completed_on", "verdict-bad-date", f"Ngày hoàn thành đúng: {bad.message}")
                ok = False
        if verdict == "corrected" and status is None and completed_on is None and ok:
            problem(
                "verdict",
                "verdict-correction-missing",
                "Kết luận «Sửa» cần Tình trạng đúng hoặc Ngày hoàn thành đúng.",
            )
            ok = False
        reason = nfc(str(value("reason") or "")).strip()
        if verdict == "not_accepted" and not reason and "reason" in columns and ok:
            problem(
                "reason",
                "verdict-reason-missing",
                "Kết luận «Chưa chấp nhận» nên ghi Lý do để báo lại cho đơn vị.",
                WARNING,
            )
        if not ok:
            continue
        out.append(
            {
                "unit_id": unit_id,
                "task_id": task_id,
                "verdict": verdict,
                "status": status,
                "completed_on": completed_on,
                "reason": reason,
                "reviewer": nfc(str(value("reviewer") or "")).strip(),
                "reviewed_on": reviewed_on,
                "period": period,
                "file": shown,
                "row": number + 1,
            }
        )
    return out, problems


def _unit(catalog: Catalog, unit_id: object, name: object) -> str | None:
    for text in (unit_id, name):
        if isinstance(text, str) and text.strip():
            if text.strip() in catalog.units:
                return text.strip()
            found = catalog.find_unit(text)
            if found:
                return found
    return None


def read_verdicts(folder: Path, catalog: Catalog) -> Verdicts:
    """Every verdict of every worklist in ``folder`` (none when it does not
    exist), in file-name then row order."""
    folder = Path(folder)
    if not folder.is_dir():
        return Verdicts.none()
    rows, problems, files = [], [], []
    for path in sorted(folder.glob("*.xlsx"), key=lambda p: nfc(p.name)):
        if path.name.startswith("~$"):
            continue  # the lock file of a workbook open in Excel
        shown = nfc(path.name)
        files.append(shown)
        found, said = _read_file(path, shown, catalog)
        rows += found
        problems += said
    return Verdicts(pd.DataFrame(rows, columns=list(VERDICT_COLUMNS)), problems, files)


def verdicts_at(verdicts: pd.DataFrame, as_of: date | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The verdict that counts for each (unit, task) at ``as_of`` — the latest
    by ``Ngày thẩm định``, ties to the later file name, then the later row —
    and the verdicts left out because they are dated after ``as_of``."""
    if verdicts.empty:
        return verdicts, verdicts
    dated = pd.to_datetime(verdicts["reviewed_on"])
    later = verdicts[dated > pd.Timestamp(as_of)] if as_of else verdicts.iloc[0:0]
    known = verdicts[dated <= pd.Timestamp(as_of)] if as_of else verdicts
    ordered = known.assign(_day=pd.to_datetime(known["reviewed_on"])).sort_values(
        ["_day", "file", "row"], kind="stable"
    )
    latest = ordered.drop_duplicates(["unit_id", "task_id"], keep="last").drop(columns="_day")
    return latest.reset_index(drop=True), later.reset_index(drop=True)


def holds_verdicts(path: Path) -> bool:
    """Whether the worklist ``path`` has any ``Kết luận`` filled in (valid or
    not): such a file is the analyst's work and is never overwritten."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return True
    try:
        for sheet in book.worksheets:
            rows = [tuple(r) for r in sheet.iter_rows(values_only=True)]
            found = _header(rows)
            if found is None:
                continue
            header, columns = found
            col = columns["verdict"]
            for row in rows[header + 1 :]:
                value = row[col] if col < len(row) else None
                if value is not None and str(value).strip():
                    return True
    finally:
        book.close()
    return False


def write_verdicts(verdicts: Verdicts, folder: Path) -> Path:
    """``verdicts.csv``: every verdict read, with its file and row."""
    from ..common.project import VERDICTS
    from ..common.tables import write_rows

    rows = []
    for record in verdicts.table.to_dict("records"):
        rows.append(
            {
                k: (v.isoformat() if isinstance(v, date) else "" if v is None else v)
                for k, v in record.items()
            }
        )
    Path(folder).mkdir(parents=True, exist_ok=True)
    return write_rows(list(VERDICT_COLUMNS), rows, Path(folder) / VERDICTS)
