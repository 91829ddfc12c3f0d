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

__all__ = ["OutputError", "temporary_name", "write_file"]

#: What the analyst can do when the target exists but cannot be replaced.
LOCKED = (
    "tệp đang mở trong Excel (hoặc Word), hoặc chỉ cho phép đọc? "
    "Hãy đóng tệp (hoặc bỏ thuộc tính chỉ đọc) rồi chạy lại."
)


def temporary_name(path: Path) -> Path:
    """The temporary file ``path`` is first written to: same folder (so that
    the move is one step on one disk), hidden name, this process's id."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _reason(path: Path, exc: OSError, written: bool) -> str:
    """Why ``path`` could not be written, in Vietnamese, and what to do.

    ``written`` says whether the temporary file was complete (so only the
    move failed: the target itself is in the way)."""
    if path.is_dir():
        return (
            "ở đó đang có một thư mục cùng tên. Hãy đổi tên hoặc chuyển thư mục đó đi rồi chạy lại."
        )
    if written and isinstance(exc, PermissionError):
        return LOCKED
    if isinstance(exc, PermissionError):
        return f"không có quyền ghi vào thư mục «{path.parent}». Hãy chọn thư mục khác."
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return f"không tạo được thư mục «{path.parent}»: đã có một tệp cùng tên trên đường dẫn."
    if exc.errno == errno.ENOSPC:
        return "ổ đĩa đã đầy. Hãy giải phóng chỗ trống rồi chạy lại."
    return f"lỗi của hệ điều hành ({exc.strerror or exc})."


def write_file(path: Path | str, data: bytes) -> Path:
    """Put ``data`` at ``path`` whole (creating its folder), or raise
    :class:`OutputError` leaving any previous file intact. Returns the path."""
    path = Path(path)
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
            raise OutputError(path, _reason(path, exc, written)) from None
        raise
    return path
