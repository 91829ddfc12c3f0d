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

Every call into a reader library is wrapped: what the reader raises on a
file it cannot read becomes an :class:`UnreadableError` (the file's fault),
also when a sheet is read later, on demand. Any other exception is a fault
of this tool and is left alone.
"""

from __future__ import annotations

import csv
import lzma
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..common.errors import Nq28Error
from ..common.formatting import number
from ..common.problems import WARNING, Problem
from ..common.tables import csv_records, decode_bytes
from .guards import FORMULA_TAG, FileCheck, Refusal, read_member, refusal_message

__all__ = ["MAX_CELLS", "Sheet", "UnreadableError", "WorkbookCells", "read_cells"]

#: A sheet declaring more cells than this is streamed instead of loaded whole.
MAX_CELLS = 2_000_000
#: Columns and rows read from such a sheet (the template has ten columns).
STREAM_COLUMNS = 40
STREAM_ROWS = 20_000
#: Consecutive empty rows after which streaming stops.
STREAM_BLANK_STOP = 500


class UnreadableError(Nq28Error):
    """A reader could not read the file: the file's fault, never this tool's.

    ``code`` and ``message`` are the file's problem: ``file-unreadable`` with
    the reader's own first line, ``file-encrypted`` (a password the guard did
    not see), or a guard refusal met while reading (``file-truncated``).
    """

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# What the readers raise on a file they cannot read, as seen on damaged and
# fuzzed workbooks. Caught only around the reader's own calls: the same
# exception raised by this tool's code elsewhere is a bug, not a bad file.
@cache
def _calamine_errors() -> tuple[type[BaseException], ...]:
    from python_calamine import CalamineError

    # CalamineError: ZipError, XmlError, PasswordError, WorksheetNotFound…;
    # OSError for I/O; MemoryError when a sheet is too big for the worker.
    return (CalamineError, OSError, MemoryError)


@cache
def _openpyxl_errors() -> tuple[type[BaseException], ...]:
    from openpyxl.utils.exceptions import InvalidFileException

    # openpyxl reports a damaged part as whatever its parsing met: a missing
    # part (KeyError), a bad attribute or number (TypeError, ValueError,
    # IndexError), XML that is not well-formed (SyntaxError: both
    # ElementTree's and lxml's ParseError derive from it).
    return (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        OverflowError,
        SyntaxError,
        MemoryError,
    )


# A zip entry read again (formula scan): the guard's refusal, zipfile's errors.
_ZIP_ERRORS = (
    Refusal,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    NotImplementedError,  # a compression method zipfile lacks
)
# A CSV file: its bytes, its decoding, the csv module.
_CSV_ERRORS = (OSError, UnicodeDecodeError, csv.Error, MemoryError)


class _Reading:
    """Turn what a reader raises on a bad file into :class:`UnreadableError`."""

    __slots__ = ("errors",)

    def __init__(self, errors: tuple[type[BaseException], ...]):
        self.errors = errors

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, exc, traceback) -> bool:
        # A Rust panic inside python-calamine reaches Python as pyo3's
        # PanicException, a BaseException that cannot be imported by name.
        if exc is not None and (
            isinstance(exc, self.errors) or type(exc).__name__ == "PanicException"
        ):
            raise _unreadable(exc) from exc
        return False


def _unreadable(exc: BaseException) -> UnreadableError:
    """The reader's exception as the file's problem."""
    from python_calamine import PasswordError

    if isinstance(exc, Refusal):
        return UnreadableError(exc.code, exc.message)
    if isinstance(exc, PasswordError):
        # The guard refuses encrypted files before reading; this is its
        # backstop for a password record placed where the guard does not look.
        return UnreadableError("file-encrypted", refusal_message("file-encrypted"))
    lines = str(exc).splitlines()
    detail = lines[0][:200] if lines and lines[0] else type(exc).__name__
    return UnreadableError(
        "file-unreadable",
        f"Không đọc được tệp bảng tính ({detail}); đề nghị mở bằng Excel, lưu lại "
        "dạng .xlsx rồi gửi lại.",
    )


@dataclass
class Sheet:
    """One sheet's cells: ``grid`` rows of values (``""`` for empty), read
    from the workbook the first time they are asked for."""

    name: str
    visible: bool
    _grid: list[list] | None = None
    _load: Callable[[], list[list]] | None = field(default=None, repr=False)

    @property
    def grid(self) -> list[list]:
        if self._grid is None:
            self._grid = self._load() if self._load else []
        return self._grid


@dataclass
class WorkbookCells:
    """Every sheet of a workbook, in order, with reading warnings.

    Sheets are read on demand (a workbook's instructions sheet is never
    read when the task sheet comes first); :meth:`close` releases the file.
    """

    sheets: list[Sheet]
    problems: list[Problem] = field(default_factory=list)
    _book: object = field(default=None, repr=False)
    path: Path | None = None
    check: FileCheck | None = None  # what the guard found (xlsx: parts, entries)

    def formulas_without_value(self, sheet_name: str) -> list[str]:
        """Cells (``"F12"``) of an xlsx sheet holding a formula but no cached
        value: the reader sees them empty. Empty for other formats (they have
        no zip entries), or when the sheet's part is not known."""
        if self.check is None or self.path is None:
            return []
        part = self.check.parts.get(sheet_name, "")
        entry = self.check.members.get(part)
        if entry is None or part in self.check.formula_free:  # read whole: no formula
            return []
        with _Reading(_ZIP_ERRORS):
            return _formulas_without_value(self.path, entry)

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None

    def __enter__(self) -> WorkbookCells:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _read_csv(path: Path) -> WorkbookCells:
    with _Reading(_CSV_ERRORS):
        rows, _ = csv_records(decode_bytes(path.read_bytes())[0])
    return WorkbookCells([Sheet(path.stem, True, _grid=rows)])


_FORMULA_CELL = re.compile(
    rb'<c\s[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f\b[^>]*(?:/>|>[^<]*</f>)'
    rb"\s*(?:<v>\s*</v>|<v/>)?\s*</c>"
)
_MAX_SCAN = 20 * 2**20


def _formulas_without_value(path: Path, info) -> list[str]:
    if info.file_size > _MAX_SCAN:
        return []
    data = read_member(path, info, _MAX_SCAN)
    if not FORMULA_TAG.search(data):
        return []
    return [m.group(1).decode() for m in _FORMULA_CELL.finditer(data)]


def _stream_xlsx_sheet(path: Path, name: str) -> list[list]:
    with _Reading(_openpyxl_errors()):
        return _stream_rows(path, name)


def _stream_rows(path: Path, name: str) -> list[list]:
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
    path: Path | str, check: FileCheck, display_name: str | None = None
) -> WorkbookCells:
    """Read every sheet of ``path``, which :func:`~.guards.check_file` accepted
    with ``check`` (the real format, and for xlsx the sheets' declared extents,
    parts and zip entries).

    A sheet whose declared extent is huge is streamed, not loaded whole.
    Raises :class:`UnreadableError` for a file the readers cannot read, here
    or when a sheet is read on demand; the caller turns it into one problem
    for the file.
    """
    path = Path(path)
    fmt = check.format
    if fmt == "csv":
        return _read_csv(path)
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    extents = check.extents
    shown = display_name or path.name
    with _Reading(_calamine_errors()):
        book = CalamineWorkbook.from_path(str(path))
    cells = WorkbookCells([], [], book, path, check)

    def loader(name: str) -> Callable[[], list[list]]:
        rows, cols = extents.get(name, (0, 0))
        if rows * cols > MAX_CELLS and fmt in {"xlsx", "xlsm"}:

            def streamed() -> list[list]:
                cells.problems.append(
                    Problem(
                        shown,
                        "sheet-huge-range",
                        f"Trang khai báo vùng dữ liệu rất lớn ({number(rows)} dòng × "
                        f"{number(cols)} cột, thường do một ô lẻ ở góc xa); chỉ đọc phần bảng. "
                        "Nên xóa các ô thừa.",
                        severity=WARNING,
                        sheet=name,
                    )
                )
                return _stream_xlsx_sheet(path, name)

            return streamed

        def loaded() -> list[list]:
            with _Reading(_calamine_errors()):
                return book.get_sheet_by_name(name).to_python(skip_empty_area=False)

        return loaded

    for meta in book.sheets_metadata:
        visible = meta.visible == SheetVisibleEnum.Visible
        cells.sheets.append(Sheet(meta.name, visible, _load=loader(meta.name)))
    return cells
