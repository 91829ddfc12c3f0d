"""Where the checks of one workbook put their problems, in the order found."""

from __future__ import annotations

from ..common.problems import ERROR, Problem, cell_ref

__all__ = ["Collector"]


class Collector:
    """The problems of one file, on one sheet (``sheet``), in the order found.

    Positions are 0-based grid positions (``grid[row][col]``); problems carry
    Excel's row number and cell reference.
    """

    def __init__(self, file: str, sheet: str = ""):
        self.file, self.sheet = file, sheet
        self.problems: list[Problem] = []

    def file_error(self, code: str, message: str) -> None:
        """An error about the whole file, at no cell."""
        self.problems.append(Problem(self.file, code, message, ERROR, sheet=self.sheet))

    def at(
        self,
        code: str,
        message: str,
        row: int,
        col: int | None,
        header: str = "",
        severity: str = ERROR,
    ) -> None:
        """A problem at the cell ``(row, col)`` (no cell when ``col`` is None),
        in the column headed ``header``."""
        self.problems.append(
            Problem(
                self.file,
                code,
                message,
                severity,
                sheet=self.sheet,
                row=row + 1,
                column=header,
                cell=cell_ref(row + 1, col) if col is not None else "",
            )
        )
