"""Writing output files whole or not at all.

Every file the tool writes (tables, workbooks, documents, the HTML report)
goes through :func:`write_file`: the bytes go to a temporary file in the
target's own folder, which is then moved over the target in one step
(``os.replace``). A crash half-way leaves the previous file as it was, never
a truncated one; a target that cannot be replaced — on Windows, a workbook
still open in Excel or a draft open in Word — raises :class:`OutputError`
with a Vietnamese message naming the file, and no temporary file is left
behind (docs/design.md §14).

Producers build their bytes in memory first (``io.BytesIO`` for openpyxl,
xlsxwriter's ``in_memory`` mode, a buffer for parquet): files are small, and
one helper then owns every way a write can fail.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from .errors import OutputError

__all__ = [
    "OutputError",
    "native_path",
    "path_text",
    "temporary_name",
    "text_workbook",
    "write_file",
]

#: What the analyst can do when the target exists but cannot be replaced.
LOCKED = (
    "tệp đang mở trong Excel (hoặc Word), hoặc chỉ cho phép đọc? "
    "Hãy đóng tệp (hoặc bỏ thuộc tính chỉ đọc) rồi chạy lại."
)


def path_text(path: os.PathLike | str) -> str:
    """``path`` as text, for messages and the tables: its bytes read as UTF-8.

    Under a locale whose encoding is not UTF-8 (``LC_ALL=C PYTHONUTF8=0`` on
    Linux) Python keeps each byte of a file name it cannot decode as a lone
    surrogate (U+DC80–U+DCFF), which no UTF-8 file can hold: «Văn phòng.xlsx»
    would break ``issues.csv``. Every system the analysts use writes names in
    UTF-8, so the bytes are read as such (bytes that are not UTF-8 become
    U+FFFD). Under a UTF-8 locale this is ``str(path)``.
    """
    return os.fsencode(path).decode("utf-8", errors="replace")


def native_path(path: os.PathLike | str) -> Path:
    """The inverse of :func:`path_text`: a path made from text (a feedback
    workbook named after a submission) as the file system takes it under any
    locale, its letters written as UTF-8 bytes."""
    return Path(os.fsdecode(str(path).encode("utf-8", errors="surrogateescape")))


def temporary_name(path: Path) -> Path:
    """The temporary file ``path`` is first written to: same folder (so that
    the move is one step on one disk), hidden name, this process's id."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _reason(path: Path, exc: OSError, written: bool) -> str:
    """Why ``path`` could not be written, in Vietnamese, and what to do.

    ``written`` says whether the temporary file was complete (so only the
    move failed: the target itself is in the way)."""
    folder = path_text(path.parent)
    if path.is_dir():
        return (
            "ở đó đang có một thư mục cùng tên. Hãy đổi tên hoặc chuyển thư mục đó đi rồi chạy lại."
        )
    if written and isinstance(exc, PermissionError):
        return LOCKED
    if isinstance(exc, PermissionError):
        return f"không có quyền ghi vào thư mục «{folder}». Hãy chọn thư mục khác."
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return f"không tạo được thư mục «{folder}»: đã có một tệp cùng tên trên đường dẫn."
    if exc.errno == errno.ENOSPC:
        return "ổ đĩa đã đầy. Hãy giải phóng chỗ trống rồi chạy lại."
    return f"lỗi của hệ điều hành ({exc.strerror or exc})."


def text_workbook(buffer, **options):
    """An xlsxwriter workbook written into ``buffer`` (then saved whole with
    :func:`write_file`) in which a string stays the text it is: never read as
    a formula («=HYPERLINK(…)» a unit typed), a link or a number; ``options``
    add to those (default cell format, row height…)."""
    import xlsxwriter

    return xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            **options,
        },
    )


def write_file(path: Path | str, data: bytes) -> Path:
    """Put ``data`` at ``path`` whole (creating its folder), or raise
    :class:`OutputError` leaving any previous file intact. Returns the path."""
    path = native_path(path)
    temporary = temporary_name(path)
    written = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Opened normally (not mkstemp), so the file gets the usual permissions.
        temporary.write_bytes(data)
        written = True
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(path_text(path), _reason(path, exc, written)) from None
        raise
    return path
