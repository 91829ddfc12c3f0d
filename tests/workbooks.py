"""Making the workbooks units send back: the project's template, filled in.

``filled()`` writes a unit's real template and fills every row the way a
careful unit would; ``edits`` then put one defect in one cell. ``row_of()``
says on which Excel row a task sits in that unit's template.

Where things sit in the template (the report-date cell, the header row, the
first task row, each field's column) is read from a template that
``write_template`` writes, never repeated here: the template module does not
export these positions.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.layout import FIELD_LABELS
from nq28_analysis.forms.template import HEADERS, LABELS, TASK_SHEET, template_rows, write_template
from nq28_analysis.reference.catalog import load_catalog

from .helpers import REFERENCE


@dataclass(frozen=True)
class TemplateLayout:
    """Positions in the template's task sheet, as Excel numbers them (1-based)."""

    report_date: str  # the cell of ``Ngày báo cáo``, e.g. "C5"
    first_row: int  # the row of the first task
    columns: dict[str, int]  # field (``FIELD_LABELS``) → column

    def cell(self, field: str, row: int) -> str:
        """The reference of ``field``'s cell on ``row``, e.g. ``cell("status", 12) == "E12"``."""
        return f"{get_column_letter(self.columns[field])}{row}"


@cache
def template_layout() -> TemplateLayout:
    """The layout of a template written by ``write_template`` (any unit, any period)."""
    catalog = load_catalog(REFERENCE)
    unit, period = "huyen-uy-ba-to", parse_period("2024-Q2")
    with tempfile.TemporaryDirectory(prefix="nq28-template-") as folder:
        sheet = load_workbook(write_template(catalog, unit, period, folder))[TASK_SHEET]
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        merged = [(m.min_row, m.min_col, m.max_col) for m in sheet.merged_cells.ranges]
    header = rows.index(list(HEADERS)) + 1
    columns = {field: rows[header - 1].index(label) + 1 for field, label in FIELD_LABELS.items()}
    first_id = template_rows(catalog, unit, period)[0]["task_id"]
    ids = [row[columns["task_id"] - 1] for row in rows]
    first_row = ids.index(first_id, header) + 1
    # The value sits in the cell right of its label (which may span merged cells).
    label_row = next(r for r, row in enumerate(rows, start=1) if row[0] == LABELS[-1])
    label_end = max((c2 for r, c1, c2 in merged if (r, c1) == (label_row, 1)), default=1)
    report_date = f"{get_column_letter(label_end + 1)}{label_row}"
    return TemplateLayout(report_date, first_row, columns)


#: Excel row of the first task in the template (read from a written template).
FIRST_ROW = template_layout().first_row


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
    layout = template_layout()
    column = layout.columns
    folder.mkdir(parents=True, exist_ok=True)
    path = write_template(catalog, unit_id, parse_period(period), folder)
    book = load_workbook(path)
    sheet = book[TASK_SHEET]
    sheet[layout.report_date] = datetime.combine(reported_on, datetime.min.time())
    for row in range(layout.first_row, sheet.max_row + 1):
        task_id = sheet.cell(row, column["task_id"]).value
        if not task_id:
            continue
        kind = catalog.task(task_id).deadline_kind
        if kind in {"recurring", "none"}:
            sheet.cell(row, column["status"]).value = "Đang thực hiện"
        else:
            sheet.cell(row, column["status"]).value = "Hoàn thành"
            sheet.cell(row, column["completed_on"]).value = datetime(2023, 6, 15)
        sheet.cell(row, column["result"]).value = f"Kết quả của nhiệm vụ {task_id}"
    for ref, value in (edits or {}).items():
        sheet[ref] = value
    target = folder / (name or path.name)
    book.save(target)
    if target != path:
        path.unlink()
    return target


#: The units of :func:`small_project`'s quarter: two careful ones, one with a defect.
SMALL_UNITS = ("huyen-uy-ba-to", "van-phong", "dang-uy-quan-su")

#: The name :func:`small_project` gives the second unit's file, as a clerk would.
SMALL_NAMED = "Văn phòng Tỉnh ủy.xlsx"


def small_project(catalog, root: Path, period: str = "2024-Q2") -> Path:
    """A project folder at ``root``: a copy of the shipped reference tables and,
    in ``data/raw/<period>/``, the filled workbooks of :data:`SMALL_UNITS`: the
    second one saved under a Vietnamese name (:data:`SMALL_NAMED`), the last one
    with a status word the check does not know (a cell error). Small enough for
    tests that run every command, fast enough to run them often."""
    shutil.copytree(REFERENCE, root / "data" / "reference")
    inbox = root / "data" / "raw" / period
    first, named, careless = SMALL_UNITS
    filled(catalog, inbox, unit_id=first, period=period)
    filled(catalog, inbox, unit_id=named, period=period, name=SMALL_NAMED)
    row = row_of(catalog, careless, period, "IV.2")
    filled(catalog, inbox, unit_id=careless, period=period, edits={f"E{row}": "Tốt"})
    return root
