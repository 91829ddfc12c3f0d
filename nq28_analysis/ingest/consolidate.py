"""Consolidating every period folder into the processed tables (docs/design.md §3).

``data/raw/<period>/`` holds the workbooks units returned and the clerk's
receipt register ``received.csv``. :func:`ingest` checks every file, dates
each by the register (else by its ``Ngày báo cáo``; file times never),
resolves resubmissions task by task, and :func:`write_outputs` writes
``submissions.parquet``, ``issues.csv`` and ``manifest.csv``.

Nothing is lost: every table row of every file is accepted in
``submissions``, behind an error in ``issues``, or in a file the manifest
lists as superseded. The same inputs give byte-identical outputs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..common.errors import PeriodError
from ..common.files import path_text, write_file
from ..common.formatting import day
from ..common.periods import Period, parse_period
from ..common.problems import ERROR, WARNING, Problem
from ..common.project import ISSUES, REGISTER, SAMPLE_MARKER, ProcessedFiles
from ..common.tables import parse_date, read_table, write_rows
from ..common.text import lower_first, nfc
from ..forms.template import Prefill
from ..forms.values import COMPLETED, DAY, PRECISIONS
from ..reference.catalog import Catalog
from .arrow_table import table_from_rows
from .batch import Job, run_jobs, sha256_of
from .faults import write_log
from .validate import FileResult, is_file_level

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "ACCEPTED",
    "ISSUE_COLUMNS",
    "MANIFEST_COLUMNS",
    "SUBMISSION_COLUMNS",
    "Consolidated",
    "arrived_after",
    "completions_before",
    "counted",
    "files_at",
    "fingerprint",
    "ingest",
    "latest_accepted",
    "quarter_of",
    "submission_files",
    "write_outputs",
]

#: The columns of ``submissions.parquet`` (docs/design.md §3) and their Arrow kinds.
SUBMISSION_FIELDS = [
    ("period", "string"),
    ("unit_id", "string"),
    ("task_id", "string"),
    ("status", "string"),
    ("completed_on", "date32"),
    ("result", "string"),
    ("evidence", "string"),
    ("difficulties", "string"),
    ("proposals", "string"),
    ("reported_on", "date32"),
    ("submitted_on", "date32"),
    ("source_file", "string"),
    ("source_sheet", "string"),
    ("source_row", "int32"),
    ("file_sha256", "string"),
    ("completed_on_filled", "bool"),
    ("current", "bool"),
    ("completed_on_precision", "string"),
]
SUBMISSION_COLUMNS = tuple(name for name, _ in SUBMISSION_FIELDS)
ISSUE_COLUMNS = ("file", "sheet", "row", "column", "cell", "severity", "code", "message")
MANIFEST_COLUMNS = ("file", "sha256", "unit_id", "period", "submitted_on", "disposition", "reason")
#: Dispositions of a file that was accepted (its unit reported for its period).
ACCEPTED = ("used", "partly-superseded", "superseded")
#: What became of a submitted file (the manifest's ``disposition``), in Vietnamese.
DISPOSITION_WORDS = {
    "used": "Dùng",
    "partly-superseded": "Dùng một phần",
    "superseded": "Bị thay bằng tệp gửi sau",
    "rejected": "Bị từ chối",
}


def _name_key(name: str) -> str:
    """A file name as compared: NFC (names from a Mac are decomposed), any case."""
    return nfc(name).casefold()


_SKIP_NAMES = {
    _name_key(name)
    for name in (REGISTER, ".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep", SAMPLE_MARKER)
}


@dataclass
class Consolidated:
    """The three processed tables, plus the per-file results behind them."""

    table: pa.Table
    issue_rows: list[dict]
    manifest_rows: list[dict]
    results: list[FileResult] = field(default_factory=list)

    @property
    def submissions(self):
        """``submissions.parquet`` as a pandas DataFrame."""
        return self.table.to_pandas()

    @property
    def issues(self):
        """``issues.csv`` as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.issue_rows, columns=list(ISSUE_COLUMNS))

    @property
    def manifest(self):
        """``manifest.csv`` as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.manifest_rows, columns=list(MANIFEST_COLUMNS))


def _register(folder: Path, period_id: str, problems: list[Problem]) -> dict[str, date]:
    path = folder / REGISTER
    if not path.exists():
        return {}
    shown = f"{period_id}/{REGISTER}"
    table = read_table(path)
    columns = {nfc(c).casefold(): c for c in table.columns}
    if "file" not in columns or "received_on" not in columns:
        problems.append(
            Problem(
                shown,
                "register-columns",
                "Sổ nhận văn bản cần hai cột «file» và «received_on».",
                row=1,
            )
        )
        return {}
    out: dict[str, date] = {}
    for number, record in zip(table.rows, table.records, strict=True):
        try:
            out[_name_key(record[columns["file"]])] = parse_date(record[columns["received_on"]])
        except ValueError as exc:
            problems.append(
                Problem(
                    shown,
                    "register-bad-date",
                    f"{str(exc).capitalize()}.",
                    row=number,
                    column=columns["received_on"],
                )
            )
    return out


def submission_files(folder: Path) -> list[Path]:
    """The files under ``folder`` that may be submissions (not the register, the
    sample-data marker or the files an operating system leaves), sorted."""
    return sorted(
        p for p in folder.rglob("*") if p.is_file() and _name_key(p.name) not in _SKIP_NAMES
    )


def quarter_of(folder_name: str) -> str | None:
    """The quarter a folder is named after (``2024-Q2``, ``2024-q2``), else None."""
    try:
        period = parse_period(folder_name)
    except PeriodError:
        return None
    return period.id if period.kind == "Q" else None


def _jobs(raw: Path, problems: list[Problem]) -> tuple[list[Job], dict[str, Path], list[Path]]:
    """The files to check (in quarter folders), each quarter's folder as found
    on disk, and the files outside any quarter folder (listed, never lost)."""
    jobs: list[Job] = []
    folders: dict[str, Path] = {}
    outside: list[Path] = []
    if not raw.is_dir():
        return jobs, folders, outside
    for path in sorted(p for p in raw.iterdir() if p.is_file()):
        if _name_key(path.name) not in _SKIP_NAMES:
            outside.append(path)
    for folder in sorted(p for p in raw.iterdir() if p.is_dir()):
        period_id = quarter_of(folder.name)
        if period_id is None:
            problems.append(
                Problem(
                    path_text(folder.name),
                    "folder-not-period",
                    f"Thư mục «{path_text(folder.name)}» không mang mã quý (ví dụ 2024-Q2); "
                    "các tệp trong đó không được tổng hợp.",
                    severity=WARNING,
                )
            )
            outside += submission_files(folder)
            continue
        folders[period_id] = folder
        for path in submission_files(folder):
            jobs.append(Job(path, path_text(path.relative_to(raw).as_posix()), period_id))
    return jobs, folders, outside


def _order_key(result: FileResult, submitted: dict[str, date | None]):
    return (submitted[result.file] or date.min, result.reported_on or date.min, result.file)


def ingest(
    raw: Path,
    catalog: Catalog,
    workers: int | None = None,
    progress: Callable | None = None,
) -> Consolidated:
    """Check and consolidate every period folder under ``raw``."""
    raw = Path(raw)
    problems: list[Problem] = []
    jobs, folders, outside = _jobs(raw, problems)
    registers: dict[str, dict[str, date]] = {}
    for period_id, folder in sorted(folders.items()):
        registers[period_id] = _register(folder, folder.name, problems)
    results = run_jobs(jobs, catalog, workers, progress, meanwhile=_load_arrow)
    submitted = _submitted_on(jobs, results, registers)
    problems += _unknown_in_registers(jobs, registers)
    versions, unused_empty = _versions(results, submitted)
    final = {slot: answers[-1] for slot, answers in versions.items()}
    problems += _date_changes(final)
    manifest_rows = _outside_rows(raw, outside, problems)
    manifest_rows += _manifest_rows(results, final, unused_empty, submitted)
    table = table_from_rows(_submission_rows(versions, submitted), SUBMISSION_FIELDS)
    every = problems + [p for r in results for p in r.problems]
    issues = [_issue_row(p) for p in sorted(every, key=_problem_order)]
    return Consolidated(table, issues, manifest_rows, results)


#: What each (period, unit, task) finally says: the file it comes from, the answer.
_Final = dict[tuple[str, str, str], tuple[FileResult, dict]]
#: Every answer each (period, unit, task) was given, in submission order (the
#: last one is the final answer).
_Versions = dict[tuple[str, str, str], list[tuple[FileResult, dict]]]


def _submitted_on(
    jobs: list[Job], results: list[FileResult], registers: dict[str, dict[str, date]]
) -> dict[str, date | None]:
    """When each file was submitted: the register's date, else its ``Ngày báo
    cáo``; a file kept with neither gets a warning."""
    submitted: dict[str, date | None] = {}
    for job, result in zip(jobs, results, strict=True):
        logged = registers.get(job.folder_period or "", {}).get(_name_key(path_text(job.path.name)))
        submitted[result.file] = logged or result.reported_on
        if submitted[result.file] is None and not result.rejected:
            result.problems.append(
                Problem(
                    result.file,
                    "submitted-on-missing",
                    f"Không có ngày nhận trong sổ ({REGISTER}) và không có «Ngày báo cáo» trong "
                    "tệp: không tính được đơn vị nộp đúng hạn hay không.",
                    severity=WARNING,
                )
            )
    return submitted


def _unknown_in_registers(jobs: list[Job], registers: dict[str, dict[str, date]]) -> list[Problem]:
    """Files a register lists that its folder does not hold."""
    problems = []
    for period_id, register in registers.items():
        names = {_name_key(path_text(j.path.name)) for j in jobs if j.folder_period == period_id}
        for name in sorted(set(register) - names):
            problems.append(
                Problem(
                    f"{period_id}/{REGISTER}",
                    "register-unknown-file",
                    f"Sổ nhận văn bản ghi tệp «{name}» nhưng thư mục không có tệp này.",
                    severity=WARNING,
                )
            )
    return problems


def _versions(
    results: list[FileResult], submitted: dict[str, date | None]
) -> tuple[_Versions, dict[str, int]]:
    """Resubmissions: within (unit, period), files in submission order, each
    answer a new version of its task's answer; the last version is the final
    one (later files replace earlier answers task by task). An empty status
    after an answer is no version: the earlier answer stands, whatever the
    date a report is made at. Also returns, per file, those empty statuses."""
    groups: dict[tuple[str, str], list[FileResult]] = {}
    for result in results:
        if not result.rejected:
            groups.setdefault((result.unit_id, result.period), []).append(result)
    versions: _Versions = {}
    unused_empty: dict[str, int] = {}
    for group in groups.values():
        group.sort(key=lambda r: _order_key(r, submitted))
        for result in group:
            for answer in result.answers:
                slot = (result.period, result.unit_id, answer["task_id"])
                earlier = versions.setdefault(slot, [])
                if answer["status"] is None and earlier and earlier[-1][1]["status"] is not None:
                    # An empty status is not an answer: the earlier one stands.
                    unused_empty[result.file] = unused_empty.get(result.file, 0) + 1
                    continue
                earlier.append((result, answer))
    return versions, unused_empty


def _date_changes(final: _Final) -> list[Problem]:
    """A completion date given again, differently, in a later period: a warning
    at the later cell. The date stands from the earliest period that gave one
    (docs/design.md §2); only a verdict of the Board can correct it."""
    by_pair: dict[tuple[str, str], list[tuple[str, FileResult, dict]]] = {}
    for (period_id, unit_id, task_id), (result, answer) in final.items():
        explicit = (
            answer["status"] == COMPLETED
            and answer["completed_on"] is not None
            and not answer.get("date_filled")
        )
        if explicit:
            by_pair.setdefault((unit_id, task_id), []).append((period_id, result, answer))
    problems = []
    for (_, task_id), said in by_pair.items():
        said.sort(key=lambda item: item[0])
        first_period, _, first = said[0]
        for _, result, answer in said[1:]:
            if answer["completed_on"] == first["completed_on"]:
                continue
            problems.append(
                Problem(
                    result.file,
                    "completion-date-changed",
                    f"Nhiệm vụ {task_id} đã được báo cáo hoàn thành ngày "
                    f"{day(first['completed_on'])} trong báo cáo "
                    f"{lower_first(parse_period(first_period).label_vi)}; ngày hoàn thành vẫn "
                    f"là ngày đó, ngày {day(answer['completed_on'])} ghi ở đây không được dùng. "
                    "Nếu ngày trước ghi nhầm, đề nghị báo lại để được thẩm định, sửa.",
                    WARNING,
                    sheet=answer.get("source_sheet", ""),
                    row=answer.get("source_row"),
                    column=answer.get("date_column", ""),
                    cell=answer.get("date_cell", ""),
                )
            )
    return problems


def _outside_rows(raw: Path, outside: list[Path], problems: list[Problem]) -> list[dict]:
    """Manifest rows (rejected) of the files outside any quarter folder, each
    with its problem."""
    rows = []
    for path in outside:
        shown = path_text(path.relative_to(raw).as_posix())
        message = (
            "Tệp không nằm trong thư mục quý (ví dụ data/raw/2024-Q2/) nên không được "
            "tổng hợp; chuyển tệp vào đúng thư mục quý."
        )
        problems.append(Problem(shown, "file-outside-period", message))
        rows.append(
            {
                "file": shown,
                "sha256": sha256_of(path),
                "unit_id": "",
                "period": "",
                "submitted_on": "",
                "disposition": "rejected",
                "reason": message,
            }
        )
    return rows


def _manifest_rows(
    results: list[FileResult],
    final: _Final,
    unused_empty: dict[str, int],
    submitted: dict[str, date | None],
) -> list[dict]:
    """One manifest row per checked file: what became of it, and why."""
    kept: dict[str, int] = {}
    for result, _ in final.values():
        kept[result.file] = kept.get(result.file, 0) + 1
    rows = []
    for result in results:
        disposition, reason = _disposition(
            result, kept.get(result.file, 0), unused_empty.get(result.file, 0)
        )
        rows.append(
            {
                "file": result.file,
                "sha256": result.sha256,
                "unit_id": result.unit_id or "",
                "period": result.period or "",
                "submitted_on": _iso(submitted.get(result.file)),
                "disposition": disposition,
                "reason": reason,
            }
        )
    return rows


def _submission_rows(versions: _Versions, submitted: dict[str, date | None]) -> list[dict]:
    """The rows of ``submissions.parquet``: every version of every answer,
    sorted by (period, unit, task) and then in submission order, the final
    one marked ``current``."""
    rows = []
    for (period_id, unit_id, task_id), answers in sorted(versions.items()):
        for number, (result, answer) in enumerate(answers, start=1):
            sub = submitted.get(result.file)
            filled = bool(answer["date_filled"])
            completed_on = sub if filled else answer["completed_on"]
            # A date filled from the submission date is a day; no date, no precision.
            precision = DAY if filled else answer["completed_on_precision"]
            rows.append(
                {
                    "period": period_id,
                    "unit_id": unit_id,
                    "task_id": task_id,
                    "status": answer["status"],
                    "completed_on": completed_on,
                    "result": answer["result"],
                    "evidence": answer["evidence"],
                    "difficulties": answer["difficulties"],
                    "proposals": answer["proposals"],
                    "reported_on": result.reported_on,
                    "submitted_on": sub,
                    "source_file": result.file,
                    "source_sheet": answer["source_sheet"],
                    "source_row": answer["source_row"],
                    "file_sha256": result.sha256,
                    "completed_on_filled": filled,
                    "current": number == len(answers),
                    "completed_on_precision": precision if completed_on is not None else None,
                }
            )
    return rows


def counted(submissions: pd.DataFrame, as_of: date | None = None) -> pd.DataFrame:
    """The answers that count at ``as_of`` (docs/design.md §6): per (period,
    unit, task), the latest version submitted on or before ``as_of`` (a
    version whose submission date is unknown always counts). Without
    ``as_of``: the current versions, every file counted. A table made
    before versions were kept holds current answers only."""
    import pandas as pd

    if "current" not in submissions.columns:
        return submissions
    if as_of is None:
        return submissions[submissions["current"].astype(bool)]
    when = pd.to_datetime(submissions["submitted_on"])
    known = when.isna() | (when <= pd.Timestamp(as_of))
    return submissions[known].drop_duplicates(["period", "unit_id", "task_id"], keep="last")


def files_at(manifest: pd.DataFrame, as_of: date | None) -> pd.DataFrame:
    """The manifest's files received on or before ``as_of`` (a file whose
    date is unknown always counts); every file without ``as_of``."""
    if as_of is None or manifest.empty:
        return manifest
    when = manifest["submitted_on"].fillna("")
    return manifest[(when == "") | (when <= as_of.isoformat())]


def arrived_after(manifest: pd.DataFrame, as_of: date, last_quarter: Period) -> pd.DataFrame:
    """Accepted files for quarters up to ``last_quarter`` received after
    ``as_of``: left out of a report made at ``as_of``, in date order."""
    if manifest.empty:
        return manifest
    when = manifest["submitted_on"].fillna("")
    late = (
        manifest["disposition"].isin(ACCEPTED)
        & (when > as_of.isoformat())
        & (manifest["period"].fillna("") != "")
        & (manifest["period"].fillna("") <= last_quarter.id)
    )
    return manifest[late].sort_values(["submitted_on", "file"]).reset_index(drop=True)


def latest_accepted(manifest: pd.DataFrame, quarter: Period) -> tuple[date, str] | None:
    """The latest submission date among the accepted files of ``quarter``,
    with the file that has it (the later file name on a tie); None when no
    accepted file of the quarter has a known date."""
    if manifest.empty:
        return None
    when = manifest["submitted_on"].fillna("")
    mine = manifest[
        (manifest["period"] == quarter.id) & manifest["disposition"].isin(ACCEPTED) & (when != "")
    ]
    if mine.empty:
        return None
    last = mine.sort_values(["submitted_on", "file"]).iloc[-1]
    return date.fromisoformat(last["submitted_on"]), last["file"]


def completions_before(submissions, period: Period) -> dict[str, dict]:
    """Completions each unit reported for periods before ``period``, to pre-fill
    its template: unit → task → :class:`~nq28_analysis.forms.template.Prefill` with
    the date that counts (docs/design.md §2): the earliest explicit one, else the
    earliest, filled from a submission date; with the precision the unit gave
    it (a month or a quarter is pre-filled as such). Tables made before a
    column existed read as dates given explicitly, to the day."""
    submissions = counted(submissions)
    if submissions.empty:
        return {}
    before = {p: parse_period(p).end < period.start for p in submissions["period"].unique()}
    earlier = submissions[
        (submissions["status"] == "completed") & submissions["period"].map(before)
    ].sort_values(["unit_id", "task_id", "period"])
    filled = (
        earlier["completed_on_filled"].astype(bool)
        if "completed_on_filled" in earlier
        else [False] * len(earlier)
    )
    precisions = (
        earlier["completed_on_precision"]
        if "completed_on_precision" in earlier
        else [DAY] * len(earlier)
    )
    out: dict[str, dict] = {}
    chosen_filled: dict[tuple[str, str], bool] = {}
    for row, was_filled, precision in zip(earlier.itertuples(), filled, precisions, strict=True):
        pair = (row.unit_id, row.task_id)
        if pair in chosen_filled and not (chosen_filled[pair] and not was_filled):
            continue  # the date that counts is chosen; only an explicit one beats a filled one
        chosen_filled[pair] = bool(was_filled)
        out.setdefault(row.unit_id, {})[row.task_id] = Prefill(
            completed_on=row.completed_on,
            precision=precision if precision in PRECISIONS else DAY,
        )
    return out


def _disposition(result: FileResult, kept: int, unused_empty: int = 0) -> tuple[str, str]:
    """The manifest's verdict on a file and its reason (Vietnamese).

    ``kept`` answers are final; ``unused_empty`` rows had an empty status
    where an earlier file's answer stands; the rest were replaced by later
    files.
    """
    if result.rejected:
        first = next((p for p in result.problems if is_file_level(p)), None)
        return "rejected", first.message if first else "Không xác định được đơn vị hoặc kỳ."
    total = len(result.answers)
    if total == 0:
        if result.rows_in_error:
            return "rejected", f"Cả {result.rows_in_error} dòng đều có lỗi (xem {ISSUES})."
        return "rejected", "Tệp không có dòng nhiệm vụ nào được điền."
    replaced = total - kept - unused_empty
    notes = []
    if unused_empty:
        notes.append(f"{unused_empty} dòng để trống tình trạng, giữ câu trả lời của tệp trước")
    if result.rows_in_error:
        notes.append(f"{result.rows_in_error} dòng có lỗi")
    if result.rows_replaced:
        notes.append(f"{result.rows_replaced} dòng trùng nhiệm vụ (ghi theo mã khác) không dùng")
    tail = f"; {'; '.join(notes)}" if notes else ""
    if replaced == 0:
        return "used", f"Dùng {kept} dòng{tail}."
    if kept == 0:
        return "superseded", f"Mọi nhiệm vụ đã được báo cáo lại trong tệp gửi sau{tail}."
    return "partly-superseded", (
        f"Dùng {kept}/{total} dòng; {replaced} dòng được thay bằng tệp gửi sau{tail}."
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


_SEVERITY_ORDER = {ERROR: 0, WARNING: 1}


def _problem_order(p: Problem):
    return (
        p.file,
        p.sheet,
        p.row if p.row is not None else -1,
        len(p.cell),
        p.cell,
        _SEVERITY_ORDER.get(p.severity, 2),
        p.code,
        p.message,
    )


def _issue_row(p: Problem) -> dict:
    return {
        "file": p.file,
        "sheet": p.sheet,
        "row": "" if p.row is None else str(p.row),
        "column": p.column,
        "cell": p.cell,
        "severity": p.severity,
        "code": p.code,
        "message": p.message,
    }


def _load_arrow() -> None:
    """Import pyarrow and its parquet writer (a tenth of a second, needed only at
    the end): :func:`ingest` has it done while the workers read the files."""
    import pyarrow.parquet  # noqa: F401


def fingerprint(raw: Path, catalog: Catalog) -> dict:
    """Path, size and SHA-256 of every raw file and reference table: what
    processed tables were made from (kept beside them in ``inputs.json``,
    :attr:`ProcessedFiles.inputs <nq28_analysis.common.project.ProcessedFiles.inputs>`)."""

    def files(folder: Path) -> dict[str, str]:
        out = {}
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                digest = sha256_of(path)
                out[path_text(path.relative_to(folder).as_posix())] = (
                    f"{path.stat().st_size}:{digest}"
                )
        return out

    return {"raw": files(raw), "reference": files(catalog.folder)}


def write_outputs(consolidated: Consolidated, out: Path, inputs: dict) -> list[Path]:
    """Write the three tables into ``out``, and ``inputs`` (the
    :func:`fingerprint` they were made from) last, as ``inputs.json``: whoever
    reads them later knows which raw folder they stand for. The file names are
    :class:`~nq28_analysis.common.project.ProcessedFiles`'. Same inputs, same
    bytes. When a file met an internal error, its traceback is appended to the
    log of :mod:`.faults` in ``out``, returned last."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    import pyarrow.parquet as pq

    files = ProcessedFiles(out)
    parquet = files.submissions
    buffer = io.BytesIO()
    pq.write_table(consolidated.table, buffer, compression="zstd")
    write_file(parquet, buffer.getvalue())
    issues = write_rows(list(ISSUE_COLUMNS), consolidated.issue_rows, files.issues)
    manifest = write_rows(list(MANIFEST_COLUMNS), consolidated.manifest_rows, files.manifest)
    log = write_log(consolidated.results, out)
    write_file(files.inputs, (json.dumps(inputs, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return [parquet, issues, manifest, *([log] if log else [])]
