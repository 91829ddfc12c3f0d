"""Faults of this tool, not of the files it checks.

Checking a file can meet an exception no reader raised on a bad file: a bug
of this tool. The file then gets one ``internal-error`` problem that says
so — the unit has nothing to fix, the file is kept as it is — and the
traceback goes to :data:`LOG_NAME` in the command's output folder, for
whoever maintains the tool: the processed folder for ``nq28 ingest``,
``status`` and ``report``, the feedback folder for ``nq28 check``.

A worker process formats the traceback and returns its text with the
file's result; the parent process, which knows where the outputs go,
appends it to the log (one writer, entries never interleaved).
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..common.problems import Problem
from ..common.project import INTERNAL_LOG

if TYPE_CHECKING:
    from .validate import FileResult

__all__ = ["INTERNAL_ERROR", "LOG_NAME", "UNIT_NOTICE", "internal_error", "write_log"]

#: The code of a problem that is this tool's fault, not the file's.
INTERNAL_ERROR = "internal-error"
#: The log of internal errors, in the output folder of the command.
LOG_NAME = INTERNAL_LOG

#: What a unit's feedback workbook says of an internal error: no advice,
#: since nothing in the file is the unit's to fix.
UNIT_NOTICE = (
    "Công cụ kiểm tra của Ban Tổ chức Tỉnh ủy gặp lỗi khi xử lý tệp này. Đây không phải "
    "lỗi của đơn vị: tệp được giữ nguyên, đơn vị không cần sửa hay gửi lại."
)


def internal_error(file: str, exc: BaseException) -> tuple[Problem, str]:
    """The ``internal-error`` problem of ``file`` for the exception ``exc``
    (for the analyst), and its traceback's text (for the log)."""
    message = (
        f"Lỗi của công cụ nq28, không phải lỗi của tệp: chương trình gặp lỗi nội bộ "
        f"({type(exc).__name__}) nên chưa kiểm tra được tệp này. Tệp được giữ nguyên, đơn vị "
        "không phải sửa hay gửi lại. Đề nghị báo cho người phụ trách công cụ, gửi kèm tệp "
        f"nhật ký «{LOG_NAME}» trong thư mục kết quả của lệnh (thư mục tổng hợp; với lệnh "
        "nq28 check là thư mục góp ý); khi công cụ đã được sửa, chạy lại nq28 ingest "
        "(hoặc nq28 check)."
    )
    return Problem(file, INTERNAL_ERROR, message), "".join(traceback.format_exception(exc))


def write_log(
    results: Iterable[FileResult], folder: Path, now: datetime | None = None
) -> Path | None:
    """Append the traceback of every result an internal error stopped to the
    log in ``folder``; return the log's path, or None when there was none."""
    failed = [r for r in results if r.traceback]
    if not failed:
        return None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).astimezone().isoformat(timespec="seconds")
    path = folder / LOG_NAME
    with path.open("a", encoding="utf-8") as log:
        for result in failed:
            log.write(
                f"=== {stamp} {result.file} sha256={result.sha256 or '?'}\n"
                f"{result.traceback.rstrip()}\n\n"
            )
    return path
