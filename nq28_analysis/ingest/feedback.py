"""Feedback workbooks for units: every problem at its cell, in Vietnamese.

One workbook per checked file, ready to send back: a sheet listing each
problem (cell, column, what to fix), and a copy of the unit's sheet with the
problem cells coloured (red for errors, yellow for warnings) and a comment
on each. Feedback goes to ``data/feedback/`` (never beside the inputs).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path, PurePath

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..common.files import write_file
from ..common.problems import ERROR, SEVERITY_WORDS, Problem
from ..reference.catalog import BLANK, Settings
from .faults import INTERNAL_ERROR, UNIT_NOTICE, write_log
from .validate import GRID_COLS, GRID_ROWS, FileResult

__all__ = ["feedback_name", "write_feedback"]

_ERROR_FILL = PatternFill("solid", fgColor="F4B6B6")
_WARNING_FILL = PatternFill("solid", fgColor="FFE699")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_FONT = "Times New Roman"


def feedback_name(file: str) -> str:
    """``2024-Q2/huyen-uy-ba-to.xlsx`` → ``2024-Q2__huyen-uy-ba-to__gop-y.xlsx``
    (the file and its folder, so that two quarters' files never collide)."""
    path = PurePath(file)
    parts = [p for p in (path.parent.name, path.stem) if p and p not in {"/", "."}]
    return "__".join(parts) + "__gop-y.xlsx"


def _text(value: object) -> object:
    # Written as plain values; openpyxl stores a leading "=" as a formula, so keep it text.
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value


def write_feedback(result: FileResult, out_dir: Path, settings: Settings) -> Path:
    """Write the feedback workbook of ``result`` into ``out_dir``; return its path.

    The Board's name (the title, the comments' author) comes from ``settings``.

    A file this tool failed on (an internal error) gets a workbook that says
    so and gives the unit no advice; its traceback is appended to the log of
    :mod:`.faults` in ``out_dir``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_log([result], out_dir)
    book = Workbook()
    sheet = book.active
    sheet.title = "Góp ý"
    _summary(sheet, result, settings)
    _problem_list(sheet, result.problems)
    _print_a4_landscape(sheet)
    if result.grid:
        _marked_copy(book.create_sheet("Bản đánh dấu"), result, settings)
    buffer = io.BytesIO()
    book.save(buffer)
    return write_file(out_dir / feedback_name(result.file), buffer.getvalue())


def _summary(sheet, result: FileResult, settings: Settings) -> None:
    """The title, the file, the verdict and the rows kept (rows 1–4)."""
    errors = sum(p.severity == ERROR for p in result.problems)
    warnings = len(result.problems) - errors
    if result.internal_error:
        verdict = "CHƯA KIỂM TRA ĐƯỢC — do lỗi của công cụ kiểm tra, không phải lỗi của tệp."
        rows = "Tệp được giữ nguyên; đơn vị không cần sửa hay gửi lại tệp."
    else:
        verdict = (
            "BỊ TỪ CHỐI — cần sửa và gửi lại"
            if result.rejected
            else "CÓ LỖI — cần sửa các ô đánh dấu đỏ"
            if errors
            else "ĐẠT" + (" (có cảnh báo)" if warnings else "")
        )
        verdict = f"{verdict}. {errors} lỗi, {warnings} cảnh báo."
        rows = f"Dòng được ghi nhận: {len(result.answers)}; dòng có lỗi: {result.rows_in_error}."
    sheet["A1"] = f"GÓP Ý VỀ BÁO CÁO GỬI {(settings.issuer_in_text or BLANK).upper()}"
    sheet["A1"].font = Font(name=_FONT, bold=True, size=14)
    sheet["A2"] = f"Tệp: {PurePath(result.file).name}"  # never the analyst's folders
    sheet["A3"] = f"Kết quả kiểm tra: {verdict}"
    sheet["A4"] = rows
    for ref in ("A2", "A3", "A4"):
        sheet[ref].font = Font(name=_FONT, size=12, bold=ref == "A3")


def _problem_list(sheet, problems: list[Problem]) -> None:
    """One row per problem from row 7, under a header in row 6."""
    headers = ("STT", "Ô", "Cột", "Mức độ", "Nội dung cần sửa", "Trang", "Dòng", "Mã lỗi")
    for col, label in enumerate(headers, start=1):
        cell = sheet.cell(6, col, label)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
    for i, problem in enumerate(problems, start=1):
        ours = problem.code == INTERNAL_ERROR  # the tool's fault: nothing for the unit to do
        values = (
            i,
            problem.cell,
            problem.column,
            "Lỗi của công cụ" if ours else SEVERITY_WORDS.get(problem.severity, problem.severity),
            UNIT_NOTICE if ours else problem.message,
            problem.sheet,
            problem.row or "",
            problem.code,
        )
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(6 + i, col, _text(value))
            cell.font = Font(name=_FONT)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col == 4:
                cell.fill = _ERROR_FILL if problem.severity == ERROR else _WARNING_FILL
    for col, width in zip("ABCDEFGH", (5, 7, 18, 8, 70, 12, 6, 20), strict=True):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A7"


def _marked_copy(copy, result: FileResult, settings: Settings) -> None:
    """The unit's sheet as it was read, problem cells coloured and commented."""
    for r, row in enumerate(result.grid[:GRID_ROWS], start=1):
        for c, value in enumerate(row[:GRID_COLS], start=1):
            if value not in ("", None):
                cell = copy.cell(r, c, _text(value))
                cell.font = Font(name=_FONT)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(value, date):
                    cell.number_format = "dd/mm/yyyy"
    for c in range(1, min(GRID_COLS, max(len(r) for r in result.grid)) + 1):
        copy.column_dimensions[get_column_letter(c)].width = _width(result.grid, c - 1)
    _mark(copy, result.problems, settings.issuer_in_text or BLANK)
    _print_a4_landscape(copy)


def _width(grid: list[list], col: int) -> int:
    """A column wide enough for its usual text (8–50 characters; longer text wraps)."""
    lengths = sorted(len(str(row[col])) for row in grid[:GRID_ROWS] if col < len(row) and row[col])
    usual = lengths[len(lengths) * 3 // 4] if lengths else 0  # a long title does not count
    return max(8, min(50, usual + 2))


def _print_a4_landscape(sheet) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _mark(sheet, problems: list[Problem], author: str) -> None:
    notes: dict[str, list[Problem]] = {}
    for problem in problems:
        if problem.cell:
            notes.setdefault(problem.cell, []).append(problem)
    for ref, found in notes.items():
        cell = sheet[ref]
        worst = ERROR if any(p.severity == ERROR for p in found) else "warning"
        cell.fill = _ERROR_FILL if worst == ERROR else _WARNING_FILL
        text = "\n".join(f"[{p.code}] {p.message}" for p in found)
        cell.comment = Comment(text, author, width=320, height=120)
