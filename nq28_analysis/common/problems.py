"""One model for every problem found in a file: where it is, how bad, what to do.

A problem's ``code`` is a stable kebab-case id (listed in docs/design.md §10 and §11); its
``message`` is Vietnamese and says what to fix. Positions are the ones the
person who edits the file sees: the file name, the sheet, the row number as
Excel or a text editor shows it, the column header and the cell reference.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

__all__ = ["ERROR", "SEVERITY_WORDS", "WARNING", "Problem", "cell_ref", "column_letter"]

ERROR = "error"
WARNING = "warning"

#: The words for a problem's severity, in every output and message.
SEVERITY_WORDS = {ERROR: "Lỗi", WARNING: "Cảnh báo"}


def column_letter(index: int) -> str:
    """Excel column letters of a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_ref(row: int, column_index: int) -> str:
    """``cell_ref(7, 2)`` → ``"C7"`` (row is 1-based, column 0-based)."""
    return f"{column_letter(column_index)}{row}"


@dataclass(frozen=True)
class Problem:
    """A problem at a position of an input file."""

    file: str
    code: str
    message: str
    severity: str = ERROR
    sheet: str = ""
    row: int | None = None
    column: str = ""
    cell: str = ""

    def describe(self, with_file: bool = True) -> str:
        """One Vietnamese line: ``tasks.csv, dòng 5, cột «lead»: …``."""
        where = [self.file] if with_file else []
        if self.sheet:
            where.append(f"trang «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột «{self.column}»")
        if self.cell:
            where.append(f"ô {self.cell}")
        level = SEVERITY_WORDS.get(self.severity, self.severity)
        place = f" {', '.join(where)}:" if where else ":"
        return f"{level} [{self.code}]{place} {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)
