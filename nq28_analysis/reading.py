"""Reading a workbook's cells, fast and safely.

``.xlsx``, ``.xlsm``, ``.xls`` and ``.ods`` are read with python-calamine
(many times faster than openpyxl); ``.csv`` with the same decoding as the
reference tables. Every cell keeps its Excel position: ``grid[r][c]`` is
row ``r + 1``, column ``c`` (0 = ``A``).

A sheet whose declared used range is huge (a stray mark in a far corner) is
not handed to calamine, which would allocate the whole grid: its table is
streamed row by row (openpyxl read-only, a bounded number of columns) and a
warning says so. Reading runs in worker processes (see :mod:`.batch`) so that
a file that still exhausts memory takes down a worker, not the batch.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .problems import WARNING, Problem
from .tables import decode_bytes, sniff_delimiter

__all__ = ["MAX_CELLS", "Sheet", "WorkbookCells", "read_cells"]

#: A sheet declaring more cells than this is streamed instead of loaded whole.
MAX_CELLS = 2_000_000
#: Columns and rows read from such a sheet (the template has ten columns).
STREAM_COLUMNS = 40
STREAM_ROWS = 20_000
#: Consecutive empty rows after which streaming stops.
STREAM_BLANK_STOP = 500


@dataclass
class Sheet:
    """One sheet's cells: ``grid`` rows of values (``""`` for empty)."""

    name: str
    visible: bool
    grid: list[list]


@dataclass
class WorkbookCells:
    """Every sheet of a workbook, in order, with reading warnings."""

    sheets: list[Sheet]
    problems: list[Problem] = field(default_factory=list)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)


def _read_csv(path: Path) -> WorkbookCells:
    text, _ = decode_bytes(path.read_bytes())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows = list(csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text)))
    return WorkbookCells([Sheet(path.stem, True, rows)])


def _stream_xlsx_sheet(path: Path, name: str) -> list[list]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book[name]
        grid: list[list] = []
        blank = 0
        for row in sheet.iter_rows(max_col=STREAM_COLUMNS, max_row=STREAM_ROWS, values_only=True):
            values = ["" if v is None else v for v in row]
            grid.append(values)
            blank = 0 if any(v != "" for v in values) else blank + 1
            if blank >= STREAM_BLANK_STOP:
                break
        while grid and not any(v != "" for v in grid[-1]):
            grid.pop()
        return grid
    finally:
        book.close()


def read_cells(
    path: Path | str,
    fmt: str,
    extents: dict[str, tuple[int, int]] | None = None,
    display_name: str | None = None,
) -> WorkbookCells:
    """Read every sheet of ``path`` (format ``fmt`` as decided by the guards).

    ``extents`` (sheet → declared rows, columns) decides which sheets are
    too big to load whole. Raises calamine's or openpyxl's errors for a file
    they cannot read; the caller turns them into one problem for the file.
    """
    path = Path(path)
    if fmt == "csv":
        return _read_csv(path)
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    extents = extents or {}
    shown = display_name or path.name
    problems: list[Problem] = []
    book = CalamineWorkbook.from_path(str(path))
    sheets: list[Sheet] = []
    try:
        for meta in book.sheets_metadata:
            visible = meta.visible == SheetVisibleEnum.Visible
            rows, cols = extents.get(meta.name, (0, 0))
            if rows * cols > MAX_CELLS and fmt in {"xlsx", "xlsm"}:
                grid = _stream_xlsx_sheet(path, meta.name)
                problems.append(
                    Problem(
                        shown,
                        "sheet-huge-range",
                        f"Trang khai báo vùng dữ liệu rất lớn ({rows:,} dòng × {cols:,} cột, "
                        "thường do một ô lẻ ở góc xa); chỉ đọc phần bảng. Nên xóa các ô thừa.",
                        severity=WARNING,
                        sheet=meta.name,
                    )
                )
            else:
                grid = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append(Sheet(meta.name, visible, grid))
    finally:
        book.close()
    return WorkbookCells(sheets, problems)
