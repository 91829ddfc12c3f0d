"""Validating one returned workbook: which unit, which quarter, every row.

:func:`validate_cells` takes the cells of a workbook (see :mod:`.reading`)
and returns a :class:`FileResult`: the workbook's identity, the accepted
answers and every problem at its cell. It collects all problems in one
pass; only an identity error (a workbook that names another unit or
quarter, an unknown unit) rejects the whole file. A file rejected for its
quarter (:data:`PERIOD_LEVEL`) still has its rows checked, so that their
problems come with the rejection; none of its rows is kept.

The work is shared: this module finds the table and checks its sheet and
columns; :mod:`.identity` says which unit and which quarter the workbook is
(docs/design.md §2); :mod:`.rows` checks every row, one field at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from ..common.periods import Period
from ..common.problems import ERROR, WARNING, Problem
from ..common.text import nfc
from ..forms.layout import FIELD_LABELS, META_SHEET, TASK_SHEET, Layout, find_table
from ..forms.template import CARRIED_DATE
from ..forms.values import parse_cell_date
from ..reference.catalog import Catalog
from .collector import Collector
from .faults import INTERNAL_ERROR
from .identity import collect_claims, reconcile, rows_period
from .reading import Sheet, WorkbookCells
from .rows import check_rows

__all__ = [
    "FILE_LEVEL",
    "GRID_COLS",
    "GRID_ROWS",
    "INTERNAL_ERROR",
    "PERIOD_LEVEL",
    "FileResult",
    "is_file_level",
    "validate_cells",
]

#: Rows and columns of the table's sheet a result keeps for a feedback workbook.
GRID_ROWS, GRID_COLS = 2000, 40

#: Codes of problems that reject the whole file.
FILE_LEVEL = frozenset(
    {
        "no-table",
        "column-missing",
        "unit-unknown",
        "unit-missing",
        "unit-mismatch",
        "unit-not-expected",
        "period-missing",
        "period-mismatch",
        "period-before-program",
        INTERNAL_ERROR,
    }
)


#: File-level problems about the file's quarter (or the unit's duty in it):
#: the rows can still be read, against the quarter of
#: :func:`~.identity.rows_period`, and their problems are shown with the
#: rejection. After any other file-level problem (an unreadable file, no
#: table, no task id or status column, an unknown, missing or disputed unit,
#: this tool's own fault) there is nothing meaningful to check in the rows.
PERIOD_LEVEL = frozenset(
    {"period-missing", "period-mismatch", "period-before-program", "unit-not-expected"}
)


def is_file_level(problem: Problem) -> bool:
    """Whether ``problem`` rejects its whole file."""
    return problem.severity == ERROR and (
        problem.code in FILE_LEVEL or problem.code.startswith("file-")
    )


@dataclass
class FileResult:
    """What one workbook gave: identity, accepted answers, problems.

    ``rejected`` is true when a file-level error stops every row;
    ``rows_seen`` counts the table rows that carried an answer or an id, so
    that ``len(answers) + rows_in_error + rows_replaced == rows_seen`` for a
    file not rejected (``rows_replaced``: rows not used because the file
    answered the same task under its other id too, each warned at its cell).
    A file rejected for its quarter (:data:`PERIOD_LEVEL`) keeps no answer but
    counts the rows its checks saw and found in error. ``grid`` keeps the
    cells of the table's sheet (at most :data:`GRID_ROWS` × :data:`GRID_COLS`)
    when a feedback workbook is wanted (see :func:`~.batch.check_one`).
    ``traceback`` is the text of this tool's own error that stopped the check
    (an :data:`INTERNAL_ERROR`, see :mod:`.faults`), for its log.
    """

    file: str
    sha256: str = ""
    unit_id: str | None = None
    period: str | None = None
    reported_on: date | None = None
    answers: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_seen: int = 0
    rows_in_error: int = 0
    rows_replaced: int = 0
    sheet: str = ""
    grid: list[list] = field(default_factory=list, repr=False)
    traceback: str = field(default="", repr=False)

    @property
    def rejected(self) -> bool:
        return any(is_file_level(p) for p in self.problems) or (
            self.unit_id is None or self.period is None
        )

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    @property
    def internal_error(self) -> bool:
        """Whether this tool's own error stopped the check of this file."""
        return any(p.code == INTERNAL_ERROR for p in self.problems)


def validate_cells(
    cells: WorkbookCells,
    catalog: Catalog,
    file: str,
    folder_period: Period | None = None,
) -> FileResult:
    """Validate a workbook's cells; ``file`` is the name shown in problems
    (the path under the raw folder), ``folder_period`` the period folder it
    came from, if any."""
    result = FileResult(file=file)
    try:
        _validate(cells, catalog, file, folder_period, result)
    finally:
        # Reading warnings (a sheet read in part) come first, once sheets were read.
        result.problems[:0] = cells.problems
    return result


def _validate(
    cells: WorkbookCells,
    catalog: Catalog,
    file: str,
    folder_period: Period | None,
    result: FileResult,
) -> None:
    found = _find_table(cells)
    if found is None:
        result.problems.append(
            Problem(
                file,
                "no-table",
                "Không tìm thấy bảng nhiệm vụ: cần một dòng tiêu đề có các cột «Mã "
                "nhiệm vụ», «Tình trạng», «Ngày hoàn thành»… như trong biểu mẫu.",
            )
        )
        return
    sheet, layout = found
    result.sheet = sheet.name
    out = Collector(file, sheet.name)
    claims = collect_claims(catalog, cells, layout, sheet.grid, PurePath(file).name)
    unit, period = reconcile(catalog, claims, folder_period, out)
    result.unit_id, result.period = unit, period.id if period else None
    result.reported_on = _report_date(layout, out)
    _check_formulas(cells, sheet, out)
    _check_columns(layout, out)
    rejections = {p.code for p in out.problems if is_file_level(p)}
    carried = _carried_dates(cells)
    if not rejections:
        result.answers, result.rows_seen, result.rows_in_error, result.rows_replaced = check_rows(
            catalog, sheet, layout, unit, period, result.reported_on, out, carried
        )
    elif rejections <= PERIOD_LEVEL:
        # Rejected for its quarter: the rows' problems are shown now, so that the
        # unit fixes them in the same resubmission; no row is kept.
        _, result.rows_seen, result.rows_in_error, _ = check_rows(
            catalog,
            sheet,
            layout,
            unit,
            rows_period(catalog, claims, folder_period),
            result.reported_on,
            out,
            carried,
        )
    result.problems.extend(out.problems)


def _carried_dates(cells: WorkbookCells) -> dict[str, str]:
    """The month- or quarter-only completion dates the template was pre-filled
    with, by task id (its hidden metadata; none in a unit's own workbook)."""
    sheet = cells.sheet(META_SHEET)
    if sheet is None:
        return {}
    return {
        row[0][len(CARRIED_DATE) :]: nfc(row[1])
        for row in sheet.grid
        if len(row) >= 2 and isinstance(row[0], str) and row[0].startswith(CARRIED_DATE)
    }


def _find_table(cells: WorkbookCells) -> tuple[Sheet, Layout] | None:
    """The first visible sheet holding the task table (the template's sheet
    first), and where the table is on it."""
    candidates = [s for s in cells.sheets if s.visible]
    candidates.sort(key=lambda s: s.name != TASK_SHEET)
    for sheet in candidates:
        layout = find_table(sheet.grid)
        if layout is not None:
            return sheet, layout
    return None


def _report_date(layout: Layout, out: Collector) -> date | None:
    """The date in the ``Ngày báo cáo:`` label cell, if any."""
    label = layout.labels.get("report_date")
    if label is None or label[0] in ("", None):
        return None
    reported_on, issue = parse_cell_date(label[0])
    if issue:
        out.at(issue.code, f"Ngày báo cáo: {issue.message}", label[1], label[2], "", WARNING)
    return reported_on


def _check_formulas(cells: WorkbookCells, sheet: Sheet, out: Collector) -> None:
    """A formula whose value was never computed reads as an empty cell: say so."""
    for ref in cells.formulas_without_value(sheet.name):
        out.problems.append(
            Problem(
                out.file,
                "formula-no-value",
                "Ô chứa công thức nhưng không có giá trị đã tính (tệp "
                "không được lưu bằng Excel sau khi tính): ô được coi là trống. Mở tệp bằng Excel, "
                "lưu lại rồi gửi.",
                WARNING,
                sheet=sheet.name,
                row=int(re.sub(r"[A-Z]", "", ref)),
                cell=ref,
            )
        )


def _check_columns(layout: Layout, out: Collector) -> None:
    """Columns the template does not have, columns twice, required columns missing."""
    for col in layout.extra_columns:
        out.at(
            "column-extra",
            f"Cột «{layout.headers.get(col, '')}» không có trong biểu mẫu; "
            "nội dung cột này không được tổng hợp.",
            layout.header_row,
            col,
            layout.headers.get(col, ""),
            WARNING,
        )
    for col in layout.duplicate_columns:
        out.at(
            "column-duplicate",
            f"Cột «{layout.headers.get(col, '')}» trùng nghĩa với một cột trước; chỉ dùng cột đầu.",
            layout.header_row,
            col,
            layout.headers.get(col, ""),
            WARNING,
        )
    for needed in ("task_id", "status"):
        if needed not in layout.columns:
            out.file_error("column-missing", f"Thiếu cột «{FIELD_LABELS[needed]}».")
