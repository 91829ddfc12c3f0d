"""Exceptions of nq28_analysis.

Validation returns problems; exceptions are for input that cannot be used at
all. Every exception carries a Vietnamese message meant for the analyst.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .problems import Problem


class Nq28Error(Exception):
    """Base class of every error the package raises on purpose."""


class UsageError(Nq28Error):
    """A command was asked for something that cannot exist (bad period, unknown unit)."""


class PeriodError(UsageError):
    """A period id that does not parse, or a period before the program began."""


class ProjectNotFoundError(UsageError):
    """No project folder (one holding ``data/reference/``) was found."""


class ReferenceDataError(Nq28Error):
    """A reference table (tasks, units, events, settings) has errors.

    ``problems`` lists every one of them, each with its file, row and column.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = [p.describe() for p in self.problems]
        super().__init__(f"Dữ liệu tham chiếu có {len(lines)} lỗi cần sửa:\n" + "\n".join(lines))


class DeadlinePhraseError(Nq28Error):
    """A deadline phrase the parser does not recognise."""

    def __init__(self, phrase: str):
        self.phrase = phrase
        super().__init__(f"Không hiểu cụm thời hạn: «{phrase}»")


class OutputError(Nq28Error):
    """An output file could not be put in place; the previous one, if any, is intact.

    ``path`` is the file meant to be written; the message names it and says
    what the analyst can do (close it in Excel, move a folder away).
    """

    def __init__(self, path, reason: str):
        self.path = path
        super().__init__(f"Không ghi được tệp «{path}»: {reason}")
