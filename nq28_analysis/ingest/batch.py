"""Checking many workbooks at once, each read in an isolated worker process.

A reader that allocates a whole sheet grid can exhaust memory and kill the
interpreter; one bad file must never take the batch down. Files are read
by a pool of worker processes (one per core, which is also what makes a
batch fast), each under a memory cap. When a worker dies, the files it may
have been reading are retried one at a time in fresh workers, and the one
that kills its worker again is rejected with a clear message.

Only what a reader raises on a bad file is the file's fault (see
:mod:`.reading`); any other exception while checking a file is this tool's,
and becomes an ``internal-error`` for that file with its traceback kept for
the log (see :mod:`.faults`). The other files are still checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from ..common.errors import UsageError
from ..common.periods import parse_period
from ..common.problems import Problem
from ..reference.catalog import Catalog, load_catalog
from .faults import internal_error
from .guards import check_file
from .reading import UnreadableError, read_cells
from .validate import GRID_COLS, GRID_ROWS, FileResult, validate_cells

__all__ = ["START_METHOD", "Job", "check_one", "run_jobs", "start_method"]

#: Address-space cap of a worker (bytes): far above any sane workbook.
WORKER_MEMORY = 3 * 2**30

#: The environment variable that forces the workers' start method (:func:`start_method`).
START_METHOD = "NQ28_START_METHOD"

_CATALOG: Catalog | None = None


@dataclass(frozen=True)
class Job:
    """One file to check: where it is, how to name it, its period folder."""

    path: Path
    display: str
    folder_period: str | None = None
    keep_grid: bool = False  # keep the sheet's cells for a feedback workbook


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_one(job: Job, catalog: Catalog) -> FileResult:
    """Guard, read and validate one file; never raises for a bad file, nor
    for a fault of this tool.

    A file the guard refuses, or that a reader cannot read, gets one problem
    for the file: the unit's to fix. Any other exception is this tool's
    fault: the file gets an ``internal-error`` and the result carries the
    traceback for the log (see :mod:`.faults`).
    """
    sha256 = ""
    with contextlib.suppress(OSError):
        sha256 = sha256_of(job.path)  # for the manifest, refused files too
    try:
        result = _check(job, catalog)
    except Exception as exc:  # not a reader's error on a bad file: a bug of ours
        problem, text = internal_error(job.display, exc)
        result = FileResult(file=job.display, problems=[problem], traceback=text)
    result.sha256 = sha256
    return result


def _check(job: Job, catalog: Catalog) -> FileResult:
    verdict = check_file(job.path, job.display)  # refused here, in Vietnamese
    if not verdict.ok:
        return FileResult(file=job.display, problems=[verdict.problem])
    period = parse_period(job.folder_period) if job.folder_period else None
    try:
        with read_cells(job.path, verdict, job.display) as cells:
            checked = validate_cells(cells, catalog, job.display, period)
    except UnreadableError as unreadable:  # sheets are read on demand, while validating
        return FileResult(
            file=job.display, problems=[Problem(job.display, unreadable.code, unreadable.message)]
        )
    table = cells.sheet(checked.sheet) if job.keep_grid and checked.sheet else None
    if table is not None:  # loaded already: the validation read it
        checked.grid = [list(row[:GRID_COLS]) for row in table.grid[:GRID_ROWS]]
    return checked


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY, WORKER_MEMORY))
    except (ImportError, ValueError, OSError):  # not on this platform
        pass


def _init_worker(reference: str) -> None:
    global _CATALOG
    _limit_memory()
    if _CATALOG is None or str(_CATALOG.folder) != reference:
        _CATALOG = load_catalog(reference)


def _work(job: Job) -> FileResult:
    assert _CATALOG is not None
    return check_one(job, _CATALOG)


def _work_many(jobs: list[Job]) -> list[FileResult]:
    return [_work(job) for job in jobs]


def _crashed(job: Job) -> FileResult:
    result = FileResult(file=job.display)
    with contextlib.suppress(OSError):
        result.sha256 = sha256_of(job.path)
    result.problems.append(
        Problem(
            job.display,
            "file-reader-crashed",
            "Tệp làm chương trình đọc bảng tính dừng đột ngột (thường do vùng dữ liệu khai báo quá "
            "lớn hoặc tệp hỏng); đề nghị mở bằng Excel, xóa các ô thừa, lưu lại rồi gửi lại.",
        )
    )
    return result


def start_method() -> str:
    """How worker processes start: ``fork`` (fast: the catalogue is inherited)
    except on Windows, which only has ``spawn``; the environment variable
    :data:`START_METHOD` (``fork``, ``spawn`` or ``forkserver``) overrides it,
    so that the ``spawn`` path of Windows and macOS can run and be tested on
    Linux. A method this machine does not have is a usage error."""
    import multiprocessing

    chosen = os.environ.get(START_METHOD, "").strip().lower()
    if not chosen:
        return "fork" if sys.platform != "win32" else "spawn"
    available = multiprocessing.get_all_start_methods()
    if chosen not in available:
        raise UsageError(
            f"Biến môi trường {START_METHOD}={chosen!r} không dùng được trên máy này; "
            f"chọn một trong: {', '.join(available)} (hoặc bỏ trống)."
        )
    return chosen


def _pool(reference: Path, workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    context = multiprocessing.get_context(start_method())
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(str(reference),),
    )


def run_jobs(
    jobs: Iterable[Job],
    catalog: Catalog,
    workers: int | None = None,
    progress: Callable[[int, int, Job], None] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list[FileResult]:
    """Check every job in worker processes; results come back in job order.

    Forked workers use ``catalog`` as it is; spawned ones (Windows, or
    ``NQ28_START_METHOD=spawn``) load it again from its folder, so it must be
    the catalogue of that folder as loaded. ``meanwhile`` runs in this process
    while the workers read: after they are forked, in this thread (importing
    in another thread while a worker is forked can leave the child holding an
    import lock), and before any retry pool is forked.
    """
    global _CATALOG
    jobs = list(jobs)
    _CATALOG = catalog
    reference = catalog.folder
    results: dict[int, FileResult] = {}
    if not jobs:
        return []
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    # Files go to workers in small chunks: fewer round trips, still balanced.
    size = max(1, min(16, len(jobs) // (workers * 8)))
    chunks = [list(range(i, min(i + size, len(jobs)))) for i in range(0, len(jobs), size)]
    done = 0
    with _pool(reference, workers) as pool:
        futures = [(pool.submit(_work_many, [jobs[i] for i in chunk]), chunk) for chunk in chunks]
        if meanwhile:
            meanwhile()
        for future, chunk in futures:
            try:
                checked = future.result()
            except BrokenProcessPool:
                break
            for index, result in zip(chunk, checked, strict=True):
                results[index] = result
                done += 1
                if progress:
                    progress(done, len(jobs), jobs[index])
    # Whatever a dead worker left unfinished: one at a time, each in a fresh worker.
    for index in (i for i in range(len(jobs)) if i not in results):
        with _pool(reference, 1) as pool:
            try:
                results[index] = pool.submit(_work, jobs[index]).result()
            except BrokenProcessPool:
                results[index] = _crashed(jobs[index])
        done += 1
        if progress:
            progress(done, len(jobs), jobs[index])
    return [results[i] for i in range(len(jobs))]
