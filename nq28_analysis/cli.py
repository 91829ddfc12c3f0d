"""The ``nq28`` command line. It parses arguments and calls the library.

Exit codes (docs/design.md §3): 0 when the command did its job, 1 when it could not
(for example the reference tables have errors), 2 on bad usage. A user's
mistake never ends in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .common.arguments import Parser
from .common.console import readable_console
from .common.errors import Nq28Error, ReferenceDataError, UsageError
from .common.formatting import day
from .common.periods import parse_period
from .common.project import find_project, or_default
from .common.text import lower_first
from .reference.catalog import load_catalog
from .reference.deadlines import expected_units

# Commands import what they use when they run: starting `nq28` stays fast.

__all__ = ["available_commands", "build_parser", "main"]


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _sources(args: argparse.Namespace, project, raw: Path | None):
    """The catalogue to read the submissions in ``raw`` with, and the default
    folder of the Board's worklists (``--review``, ``nq28 review --out``).

    Submissions of ``nq28 demo`` (``raw`` a sample folder or inside one) go
    with the sample's own registry and worklists beside them
    (``data/demo/reference/``, ``data/demo/review/``), said once on the
    console; anything else with the project's. An explicit ``--review``
    still wins (docs/design.md §3)."""
    from .common.project import sample_folders, sample_reference

    reference = sample_reference(raw)
    if reference is None:
        return load_catalog(project.reference), project.review
    review = sample_folders(raw).review
    given = getattr(args, "review", None)
    _say(
        f"Dữ liệu mẫu: dùng bảng tham chiếu mẫu {reference}"
        + ("" if given else f" và các bảng thẩm định mẫu trong {review}")
        + "."
    )
    return load_catalog(reference), review


def cmd_catalog(args: argparse.Namespace) -> int:
    from .common.tables import write_csv
    from .reference.deadlines import catalog_table

    project = find_project(args.data_dir)
    catalog = load_catalog(project.reference)
    for line in catalog.found:
        _say(f"Đã đọc {line}")
    for problem in catalog.warnings:
        _say(problem.describe())
    out = write_csv(catalog_table(catalog), Path(args.out))
    print(out)
    return 0


def _period(catalog, text: str):
    """The period ``text`` names, within the program's first and last quarters."""
    from .common.periods import check_not_after

    period = parse_period(text, first=catalog.settings.first_period)
    check_not_after(period, catalog.settings.last_period)
    return period


def _units(catalog, period, wanted: list[str] | None) -> list[str] | None:
    """Resolve ``--unit`` values (ids, names or aliases) to expected unit ids."""
    if not wanted:
        return None
    expected = expected_units(catalog, period)
    chosen = []
    for text in wanted:
        uid = text if text in catalog.units else catalog.find_unit(text)
        if uid is None:
            raise UsageError(f"Không có đơn vị «{text}» trong danh sách đơn vị (units.csv).")
        if uid not in expected:
            raise UsageError(
                f"Đơn vị «{catalog.unit(uid).name_vi}» không phải gửi báo cáo {period.label_vi}."
            )
        chosen.append(uid)
    return chosen


def cmd_template(args: argparse.Namespace) -> int:
    from .common.project import ProcessedFiles
    from .forms.template import write_templates
    from .ingest.consolidate import completions_before

    project = find_project(args.data_dir)
    catalog = load_catalog(project.reference)
    period = _period(catalog, args.period)
    if period.kind != "Q":
        raise UsageError("Biểu mẫu làm theo quý: dùng mã quý, ví dụ 2024-Q2.")
    processed = ProcessedFiles(or_default(args.processed, project.processed))
    prefill = {}
    if processed.submissions.exists():
        import pandas as pd

        prefill = completions_before(pd.read_parquet(processed.submissions), period)
        _say(f"Điền sẵn các nhiệm vụ đã báo cáo hoàn thành (theo {processed.folder}).")
    units = _units(catalog, period, args.unit)
    paths = write_templates(catalog, period, Path(args.out), units, prefill)
    for path in paths:
        print(path)
    _say(f"Đã tạo {len(paths)} biểu mẫu {period.label_vi} trong {args.out}")
    return 0


def _template_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", required=True, metavar="KỲ", help="mã quý, ví dụ 2024-Q2")
    parser.add_argument("--unit", nargs="+", metavar="ID", help="chỉ các đơn vị này (mã hoặc tên)")
    parser.add_argument("--out", required=True, metavar="DIR", help="thư mục ghi biểu mẫu")
    parser.add_argument(
        "--processed", metavar="DIR", help="bảng đã tổng hợp để điền sẵn (mặc định data/processed/)"
    )


def _progress():
    """A progress printer for a terminal; ``None`` (quiet) otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, job) -> None:
        end = "\n" if done == total else ""
        sys.stderr.write(f"\r\033[KĐang kiểm tra {done}/{total}: {job.display}{end}")
        sys.stderr.flush()

    return show


def _files(paths: list[str]) -> list[Path]:
    from .ingest.consolidate import submission_files

    found: list[Path] = []
    for text in paths:
        path = Path(text)
        if not path.exists():
            raise UsageError(f"Không có tệp hoặc thư mục «{text}».")
        if path.is_dir():
            found += submission_files(path)
        else:
            found.append(path)
    return found


def cmd_check(args: argparse.Namespace) -> int:
    from .common.files import path_text
    from .ingest.batch import Job, run_jobs
    from .ingest.consolidate import quarter_of
    from .ingest.feedback import write_feedback

    project = find_project(args.data_dir)
    paths = _files(args.paths)
    catalog, _ = _sources(args, project, Path(args.paths[0]))
    jobs = []
    for path in paths:
        shown = path_text(path.as_posix())  # its letters, under any locale
        jobs.append(Job(path, shown, quarter_of(path.parent.name), keep_grid=True))
    results = run_jobs(jobs, catalog, progress=_progress())
    feedback_dir = or_default(args.feedback, project.feedback)
    any_error = False
    for result in results:
        errors = sum(p.severity == "error" for p in result.problems)
        warnings = len(result.problems) - errors
        any_error |= errors > 0
        verdict = (
            "CHƯA KIỂM TRA ĐƯỢC (lỗi của công cụ)"
            if result.internal_error
            else "BỊ TỪ CHỐI"
            if result.rejected
            else "CÓ LỖI"
            if errors
            else "ĐẠT"
        )
        who = catalog.unit(result.unit_id).name_vi if result.unit_id else "không rõ đơn vị"
        when = parse_period(result.period).label_vi if result.period else "không rõ kỳ"
        print(
            f"{verdict}: {result.file} — {who}, {when}; {len(result.answers)} dòng ghi nhận, "
            f"{errors} lỗi, {warnings} cảnh báo"
        )
        for problem in result.problems:
            print(f"    {problem.describe(with_file=False)}")
        target = write_feedback(result, feedback_dir, catalog.settings)
        print(f"    Góp ý: {target}")
    print(f"Đã kiểm tra {len(results)} tệp; góp ý ghi trong {feedback_dir}")
    return 1 if any_error else 0


def _check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="tệp hoặc thư mục cần kiểm tra")
    parser.add_argument(
        "--feedback", metavar="DIR", help="thư mục ghi tệp góp ý (mặc định data/feedback/)"
    )


def _counts(counts: dict) -> str:
    """``{"used": 361, "superseded": 1}`` in Vietnamese, in the manifest's order."""
    from .ingest.consolidate import DISPOSITION_WORDS

    order = [d for d in DISPOSITION_WORDS if d in counts] + sorted(
        set(counts) - set(DISPOSITION_WORDS)
    )
    return ", ".join(f"{DISPOSITION_WORDS.get(d, d).lower()}: {counts[d]}" for d in order)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .common.project import ISSUES
    from .ingest.consolidate import fingerprint, ingest, write_outputs

    project = find_project(args.data_dir)
    raw = or_default(args.raw, project.raw)
    if not raw.is_dir():
        raise UsageError(f"Không có thư mục báo cáo «{raw}».")
    catalog, _ = _sources(args, project, raw)
    out = or_default(args.out, project.processed)
    consolidated = ingest(raw, catalog, progress=_progress())
    for path in write_outputs(consolidated, out, fingerprint(raw, catalog)):
        print(path)
    counts: dict[str, int] = {}
    for row in consolidated.manifest_rows:
        counts[row["disposition"]] = counts.get(row["disposition"], 0) + 1
    errors = sum(row["severity"] == "error" for row in consolidated.issue_rows)
    _say(
        f"Đã tổng hợp {len(consolidated.manifest_rows)} tệp ({_counts(counts)}); "
        f"{consolidated.table.num_rows} dòng ghi nhận; {errors} lỗi trong {ISSUES}."
    )
    return 0


def _ingest_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raw", metavar="DIR", help="thư mục báo cáo gốc (mặc định data/raw/)")
    parser.add_argument(
        "--out", metavar="DIR", help="thư mục ghi kết quả (mặc định data/processed/)"
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from .common.project import SampleFolders
    from .forms.demo import DEMO_LAST, write_demo, write_demo_reference
    from .metrics.demo_review import write_demo_review

    project = find_project(args.data_dir)
    raw = or_default(args.raw, project.demo / "raw")
    if raw.resolve() == project.raw.resolve() or project.raw.resolve() in raw.resolve().parents:
        raise UsageError("Dữ liệu mẫu không được ghi vào data/raw/ (nơi để báo cáo thật).")
    sample = SampleFolders(raw)
    if sample.reference.resolve() == project.reference.resolve():
        raise UsageError(
            "Bảng tham chiếu mẫu không được ghi vào data/reference/: chọn thư mục khác cho --raw."
        )
    catalog = load_catalog(write_demo_reference(project.reference, sample.reference))
    paths = write_demo(catalog, raw)
    worklist = write_demo_review(
        catalog, raw, sample.processed, sample.review, parse_period(DEMO_LAST)
    )
    print(raw)
    _say(
        f"Đã tạo {len(paths)} tệp báo cáo mẫu (DỮ LIỆU MẪU) trong {raw}; bảng tham chiếu mẫu "
        f"(có các đơn vị mẫu sau sắp xếp năm 2025) trong {sample.reference}; bảng thẩm định "
        f"mẫu đã điền: {worklist}"
    )
    return 0


def _demo_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw",
        metavar="DIR",
        help="nơi ghi dữ liệu mẫu (mặc định data/demo/raw/); bảng tham chiếu mẫu, bảng thẩm "
        "định mẫu và bảng tổng hợp được ghi vào các thư mục reference/, review/, processed/ "
        "bên cạnh",
    )


def _as_of(text: str | None, period) -> object:
    from .common.tables import parse_date

    if not text:
        return None
    try:
        day = parse_date(text)
    except ValueError as exc:
        raise UsageError(f"--as-of: {exc}.") from None
    if day < period.start:
        raise UsageError(
            f"Ngày tính (--as-of) {day:%d/%m/%Y} ở trước kỳ {period.label_vi} "
            f"(bắt đầu {period.start:%d/%m/%Y})."
        )
    return day


def _raw_folder(given: str | None, project) -> Path:
    """``--raw`` when given (it must exist), else the project's ``data/raw/``."""
    if not given:
        return project.raw
    raw = Path(given)
    if not raw.is_dir():
        raise UsageError(f"Không có thư mục báo cáo «{raw}» (--raw).")
    return raw


def cmd_status(args: argparse.Namespace) -> int:
    from .common.project import PENDING_EVENTS
    from .metrics.status import write_status
    from .reference.pending import pending_events, write_pending
    from .reports.present import as_of_words, console_table, headline, left_out, pending_lines

    run = _classified(args)
    catalog, period, tables, metrics = run.catalog, run.period, run.tables, run.metrics
    out = or_default(args.out, run.project.reports / period.id)
    waiting = pending_events(catalog, metrics.as_of, period)
    for path in write_status(metrics, out, inputs=tables.inputs(metrics.as_of)):
        print(path)
    print(write_pending(waiting, out / PENDING_EVENTS))
    print(headline(metrics))
    if as_of_words(metrics, catalog):
        print(as_of_words(metrics, catalog))
    later = left_out(metrics, catalog)
    if later.rows:
        print(later.notes[0])
        for row in later.rows:
            print(f"  {row[0]} — {row[1]}, nhận ngày {day(row[3])}")
    if not metrics.units.empty:
        print(console_table(metrics))
    reverted = metrics.table[metrics.table["reverted"]]
    if not reverted.empty:
        print(
            f"Cảnh báo: {len(reverted)} nhiệm vụ đã báo cáo hoàn thành nhưng kỳ sau lại báo chưa "
            "hoàn thành (vẫn tính là hoàn thành):"
        )
        for row in reverted.itertuples(index=False):
            print(f"  {row.unit_name} — {row.task_id}")
    for line in pending_lines(waiting, metrics.as_of):
        print(line)
    return 0


@dataclass(frozen=True)
class _Classified:
    """What ``status``, ``review`` and ``remind`` start from (:func:`_classified`)."""

    project: object
    raw: Path
    catalog: object
    review: Path
    period: object
    tables: object
    verdicts: object
    metrics: object


def _classified(args: argparse.Namespace, quarter: str = "") -> _Classified:
    """The steps ``status``, ``review`` and ``remind`` share: the project, the
    submissions' catalogue (:func:`_sources`), the period (a quarter, with
    ``quarter`` the message when it is not), ``as_of``, the processed tables
    (rebuilt when an input changed), the Board's verdicts, and every pair
    classified at ``as_of``."""
    from .metrics import compute
    from .metrics.status import current_tables

    project = find_project(args.data_dir)
    raw = _raw_folder(args.raw, project)
    catalog, review = _sources(args, project, raw)
    period = _period(catalog, args.period)
    if quarter and period.kind != "Q":
        raise UsageError(quarter)
    as_of = _as_of(args.as_of, period)
    processed = or_default(args.processed, project.processed)
    tables = current_tables(raw, processed, catalog, progress=_progress())
    if tables.rebuilt:
        _say(f"Đã tổng hợp lại báo cáo từ {raw} vào {processed}.")
    verdicts = _verdicts(args, review, catalog, processed)
    metrics = compute(
        catalog, tables.submissions, tables.manifest, period, as_of, verdicts=verdicts.table
    )
    return _Classified(project, raw, catalog, review, period, tables, verdicts, metrics)


def _verdicts(args: argparse.Namespace, review: Path, catalog, processed: Path):
    """The Board's verdicts from ``--review`` (default ``review``: the
    project's ``data/review/``, or the sample's own, :func:`_sources`): their
    problems printed at their cells, every one listed in ``verdicts.csv``
    beside the processed tables."""
    from .ingest.verdicts import read_verdicts, write_verdicts

    folder = or_default(getattr(args, "review", None), review)
    if getattr(args, "review", None) and not folder.is_dir():
        raise UsageError(f"Không có thư mục thẩm định «{folder}» (--review).")
    verdicts = read_verdicts(folder, catalog)
    for problem in verdicts.problems:
        _say(problem.describe())
    if verdicts.files:
        write_verdicts(verdicts, processed)
        _say(
            f"Đã đọc {len(verdicts.table)} kết luận thẩm định từ {len(verdicts.files)} tệp "
            f"trong {folder}."
        )
    return verdicts


def _as_of_and_data_options(
    parser: argparse.ArgumentParser, out_default: str = "reports/<kỳ>/"
) -> None:
    """``--as-of``, ``--raw``, ``--processed``, ``--review`` and ``--out`` (its
    default said as ``out_default``), shared by status, report, review and remind."""
    parser.add_argument(
        "--as-of",
        metavar="NGÀY",
        help="ngày tính (mặc định: hạn nộp báo cáo của kỳ, hoặc ngày nhận báo cáo hay ngày "
        "thẩm định sau cùng của kỳ nếu muộn hơn)",
    )
    parser.add_argument(
        "--review", metavar="DIR", help="thư mục các bảng thẩm định (mặc định data/review/)"
    )
    parser.add_argument("--raw", metavar="DIR", help="thư mục báo cáo gốc (mặc định data/raw/)")
    parser.add_argument(
        "--processed", metavar="DIR", help="bảng đã tổng hợp (mặc định data/processed/)"
    )
    parser.add_argument(
        "--out", metavar="DIR", help=f"thư mục ghi kết quả (mặc định {out_default})"
    )


def _status_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period", required=True, metavar="KỲ", help="kỳ: 2024-Q2, 2024-H1 hoặc 2024"
    )
    _as_of_and_data_options(parser)


def cmd_report(args: argparse.Namespace) -> int:
    from .reports.render import render

    project = find_project(args.data_dir)
    raw = _raw_folder(args.raw, project)
    catalog, review = _sources(args, project, raw)
    period = _period(catalog, args.period)
    if args.start and not args.kind:
        raise UsageError("--from chỉ dùng cho báo cáo sơ kết, tổng kết (--kind so-ket|tong-ket).")
    if args.start:
        _period(catalog, args.start)
    as_of = _as_of(args.as_of, period)
    what = {"so-ket": "sơ kết", "tong-ket": "tổng kết"}.get(args.kind or "")
    title = f"báo cáo {what} đến {period.label_vi}" if what else f"báo cáo {period.label_vi}"
    _say(f"Đang dựng {title}… (chạy sổ báo cáo, có thể mất vài chục giây)")
    processed = or_default(args.processed, project.processed)
    verdicts = _verdicts(args, review, catalog, processed)
    rendered = render(
        project.root,
        args.period,
        args.kind,
        args.start,
        as_of,
        raw,
        args.processed,
        args.out,
        progress=sys.stderr.isatty(),
        catalog=catalog,
        verdicts=verdicts.table,
    )
    for path in rendered.paths():
        print(path)
    for note in rendered.notes:
        _say(note)
    return 0


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period",
        required=True,
        metavar="KỲ",
        help="kỳ: 2024-Q2, 2024-H1, 2024; với sơ kết/tổng kết: kỳ cuối",
    )
    parser.add_argument(
        "--kind",
        choices=["so-ket", "tong-ket"],
        help="báo cáo sơ kết hoặc tổng kết (mặc định: báo cáo định kỳ)",
    )
    parser.add_argument(
        "--from",
        dest="start",
        metavar="KỲ",
        help="kỳ đầu của sơ kết/tổng kết (mặc định: quý đầu tiên của Chương trình)",
    )
    _as_of_and_data_options(parser)


def cmd_init(args: argparse.Namespace) -> int:
    import shlex

    from .common.files import write_file
    from .common.project import EXPLORE_NOTEBOOK, Project, shipped_project

    target = Project(Path(args.folder).expanduser().resolve())
    if target.reference.is_dir() and any(target.reference.iterdir()):
        raise UsageError(
            f"«{target.root}» đã là thư mục dự án: data/reference/ đã có bảng tham chiếu, "
            "không ghi đè. Hãy chọn thư mục khác."
        )
    source = shipped_project()
    tables = sorted(
        p for p in source.reference.glob("*") if p.is_file() and not p.name.startswith(".")
    )
    if not tables or not (source.notebooks / EXPLORE_NOTEBOOK).is_file():
        raise Nq28Error(
            f"Bản cài đặt thiếu bảng tham chiếu hoặc sổ đi kèm (tìm ở {source.root}); "
            "hãy cài lại gói nq28_analysis."
        )
    target.reference.mkdir(parents=True, exist_ok=True)
    for table in tables:
        write_file(target.reference / table.name, table.read_bytes())
    target.raw.mkdir(parents=True, exist_ok=True)
    target.notebooks.mkdir(parents=True, exist_ok=True)
    notebook = target.notebooks / EXPLORE_NOTEBOOK
    kept = notebook.exists()
    if not kept:
        write_file(notebook, (source.notebooks / EXPLORE_NOTEBOOK).read_bytes())
    print(target.root)
    _say(
        f"Đã tạo thư mục dự án {target.root}:\n"
        "  data/reference/   bảng tham chiếu (nhiệm vụ, đơn vị, thiết lập…), "
        "sửa được bằng Excel\n"
        "  data/raw/         nơi để báo cáo các đơn vị gửi về, mỗi kỳ một thư mục "
        "(ví dụ data/raw/2024-Q2/)\n"
        f"  notebooks/{EXPLORE_NOTEBOOK}   sổ tìm đơn vị chậm thực hiện"
        + (" (đã có, giữ nguyên)" if kept else "")
        + "\nViệc tiếp theo:\n"
        f"  cd {shlex.quote(str(target.root))}\n"
        "  nq28 demo                                          # tạo dữ liệu mẫu để thử\n"
        "  nq28 report --period 2024-Q2 --raw data/demo/raw   # dựng báo cáo từ dữ liệu mẫu\n"
        "Khi có báo cáo thật: chép vào data/raw/<kỳ>/, rồi «nq28 check data/raw/<kỳ>» và "
        "«nq28 report --period <kỳ>»."
    )
    return 0


def _init_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("folder", metavar="DIR", help="thư mục dự án cần tạo (tạo mới nếu chưa có)")


def _catalog_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE.csv", help="tệp CSV cần ghi")


#: Sub-commands: name → (help, add options, run).
def cmd_review(args: argparse.Namespace) -> int:
    from .forms.worklist import worklist_name, write_worklist
    from .ingest.verdicts import holds_verdicts
    from .metrics.claims import pending_claims

    run = _classified(args)
    period, metrics = run.period, run.metrics
    claims = pending_claims(run.catalog, metrics, run.tables.submissions, run.verdicts.table)
    out = or_default(args.out, run.review)
    number = 1
    while (out / worklist_name(period, number)).exists() and holds_verdicts(
        out / worklist_name(period, number)
    ):
        number += 1  # a worklist holding verdicts is the analyst's work: never overwritten
    path = write_worklist(claims, period, out / worklist_name(period, number), metrics.as_of)
    print(path)
    _say(
        f"{len(claims)} nhiệm vụ đơn vị báo cáo hoàn thành chưa được thẩm định (tính đến ngày "
        f"{day(metrics.as_of)}). Điền cột «Kết luận» và «Ngày thẩm định», lưu tệp trong "
        f"{out}: các lệnh status, report đọc lại kết luận."
    )
    return 0


def _review_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", required=True, help="kỳ: 2024-Q2, 2024-H1 hoặc 2024")
    _as_of_and_data_options(parser)


def cmd_remind(args: argparse.Namespace) -> int:
    from .common.project import is_sample
    from .reports.letters import FOLDER, QUARTERS_ONLY, answer_by, write_reminders
    from .reports.present import as_of_words, left_out

    run = _classified(args, quarter=QUARTERS_ONLY)
    catalog, period, metrics = run.catalog, run.period, run.metrics
    out = or_default(args.out, run.project.reports / period.id / FOLDER)
    written = write_reminders(metrics, catalog, out, sample=is_sample(run.raw))
    for path in written.paths:
        print(path)
    for path in written.removed:
        _say(f"Đã xóa thư cũ «{path.name}»: đơn vị không còn nội dung phải đôn đốc.")
    if as_of_words(metrics, catalog):
        _say(as_of_words(metrics, catalog))
    later = left_out(metrics, catalog)
    if later.rows:
        _say(later.notes[0])
    closed = sum(1 for r in written.reminders if r.owes and not r.gets_letter)
    _say(
        f"{len(written.letters)}/{len(written.reminders)} đơn vị có thư đôn đốc "
        f"{lower_first(period.label_vi)} (số liệu tính đến ngày {day(metrics.as_of)}, hạn trả lời "
        f"{day(answer_by(catalog.settings, metrics.as_of))})"
        + (f"; {closed} đơn vị đã kết thúc hoạt động, không gửi thư" if closed else "")
        + f". Danh sách: {written.table}"
    )
    return 0


def _remind_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--period", required=True, help="mã quý, ví dụ 2025-Q2")
    _as_of_and_data_options(parser, out_default="reports/<kỳ>/don-doc/")


COMMANDS = {
    "init": ("tạo thư mục dự án mới (bảng tham chiếu, sổ khám phá)", _init_options, cmd_init),
    "catalog": ("xuất danh mục nhiệm vụ ra một tệp CSV phẳng", _catalog_options, cmd_catalog),
    "template": ("tạo biểu mẫu báo cáo quý cho các đơn vị", _template_options, cmd_template),
    "check": ("kiểm tra tệp báo cáo, ghi góp ý cho đơn vị", _check_options, cmd_check),
    "ingest": ("tổng hợp mọi báo cáo trong data/raw/", _ingest_options, cmd_ingest),
    "demo": ("tạo dữ liệu báo cáo mẫu để thử", _demo_options, cmd_demo),
    "status": ("phân loại nhiệm vụ, tính tỷ lệ của một kỳ", _status_options, cmd_status),
    "report": ("dựng báo cáo HTML, phụ lục Excel, dự thảo Word", _report_options, cmd_report),
    "review": (
        "lập bảng thẩm định các nhiệm vụ đơn vị báo cáo hoàn thành",
        _review_options,
        cmd_review,
    ),
    "remind": (
        "viết thư đôn đốc các đơn vị chậm báo cáo, chậm thực hiện nhiệm vụ",
        _remind_options,
        cmd_remind,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="nq28",
        description="Theo dõi thực hiện Chương trình hành động thực hiện Nghị quyết 28-NQ/TW.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"nq28 {__version__}",
        help="in số phiên bản rồi thoát",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="thư mục dự án (chứa data/reference/); mặc định: NQ28_HOME hoặc thư mục hiện tại",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=Parser)
    for name, (help_vi, configure, run) in COMMANDS.items():
        sub = commands.add_parser(name, help=help_vi)
        sub.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        configure(sub)
        sub.set_defaults(run=run)
    return parser


def available_commands() -> list[str]:
    """Names of the sub-commands this version has."""
    return list(COMMANDS)


def main(argv: list[str] | None = None) -> int:
    readable_console()  # any console encoding: no traceback, letters kept where it can
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.run(args)
    except UsageError as exc:
        _say(f"Lỗi: {exc}")
        return 2
    except ReferenceDataError as exc:
        _say(str(exc))
        return 1
    except Nq28Error as exc:
        _say(f"Lỗi: {exc}")
        return 1
    except OSError as exc:
        _say(f"Lỗi khi đọc/ghi tệp: {exc.strerror or exc} ({exc.filename})")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
