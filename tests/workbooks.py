"""Making the workbooks units send back: the project's template, filled in.

``filled()`` writes a unit's real template and fills every row the way a
careful unit would; ``edits`` then put one defect in one cell. ``row_of()``
says on which Excel row a task sits in that unit's template.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.template import TASK_SHEET, template_rows, write_template

FIRST_ROW = 10  # Excel row of the first task in the template


def row_of(catalog, unit_id: str, period: str, task_id: str) -> int:
    ids = [r["task_id"] for r in template_rows(catalog, unit_id, parse_period(period))]
    return FIRST_ROW + ids.index(task_id)


def filled(
    catalog,
    folder: Path,
    unit_id: str = "huyen-uy-ba-to",
    period: str = "2024-Q2",
    edits: dict[str, object] | None = None,
    name: str | None = None,
    reported_on: date = date(2024, 7, 5),
) -> Path:
    """A filled template of ``unit_id`` for ``period`` saved in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = write_template(catalog, unit_id, parse_period(period), folder)
    book = load_workbook(path)
    sheet = book[TASK_SHEET]
    sheet["C5"] = datetime.combine(reported_on, datetime.min.time())
    for row in range(FIRST_ROW, sheet.max_row + 1):
        task_id = sheet.cell(row, 2).value
        if not task_id:
            continue
        kind = catalog.task(task_id).deadline_kind
        if kind in {"recurring", "none"}:
            sheet.cell(row, 5).value = "Đang thực hiện"
        else:
            sheet.cell(row, 5).value = "Hoàn thành"
            sheet.cell(row, 6).value = datetime(2023, 6, 15)
        sheet.cell(row, 7).value = f"Kết quả của nhiệm vụ {task_id}"
    for ref, value in (edits or {}).items():
        sheet[ref] = value
    target = folder / (name or path.name)
    book.save(target)
    if target != path:
        path.unlink()
    return target
