"""Returned workbooks, one defect each: every problem at (file, cell, code)."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.template import META_SHEET, TASK_SHEET
from nq28_analysis.ingest.batch import Job, check_one
from nq28_analysis.ingest.consolidate import fingerprint, ingest, write_outputs
from nq28_analysis.reference.catalog import load_catalog

from .helpers import set_unit
from .workbooks import filled, row_of

P = "2024-Q2"
UNIT = "huyen-uy-ba-to"


def check(catalog, path: Path, folder: str | None = P):
    display = f"{folder}/{path.name}" if folder else path.name
    return check_one(Job(path, display, folder), catalog)


def codes(result, severity=None):
    return {(p.cell, p.code) for p in result.problems if severity in (None, p.severity)}


def test_a_well_filled_template_is_accepted_whole(catalog, tmp_path):
    result = check(catalog, filled(catalog, tmp_path))
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert (result.unit_id, result.period, result.reported_on) == (UNIT, P, date(2024, 7, 5))
    assert len(result.answers) == result.rows_seen == 9
    first = result.answers[0]
    assert (first["task_id"], first["status"], first["source_row"]) == (
        "III.1.1",
        "in_progress",
        10,
    )


def test_unknown_status_is_an_error_at_its_cell(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "III.2.9.1")
    result = check(catalog, filled(catalog, tmp_path, edits={f"E{row}": "Tốt"}))
    assert codes(result, "error") == {(f"E{row}", "status-unknown")}
    assert result.rows_in_error == 1 and len(result.answers) == 8
    problem = next(p for p in result.problems if p.code == "status-unknown")
    assert (problem.file, problem.sheet, problem.row, problem.column) == (
        f"{P}/{UNIT}_{P}.xlsx",
        TASK_SHEET,
        row,
        "Tình trạng",
    )


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("HT", "completed"),
        ("Đã hoàn thành.", "completed"),
        ("chua thuc hien", "not_started"),
        ("Không phát sinh", "no_occurrence"),
        ("KPS", "no_occurrence"),
        ("không phát sinh trong kỳ", "no_occurrence"),
        ("  ĐANG TRIỂN KHAI ", "in_progress"),
        ("Chưa triển khai", "not_started"),
    ],
)
def test_status_vocabulary(catalog, tmp_path, written, status):
    row = row_of(catalog, UNIT, P, "III.2.9.2.1")
    result = check(catalog, filled(catalog, tmp_path, edits={f"E{row}": written}))
    answer = next(a for a in result.answers if a["task_id"] == "III.2.9.2.1")
    assert answer["status"] == status
    assert not any(p.code == "status-unknown" for p in result.problems)


def test_impossible_date(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "IV.2")
    result = check(catalog, filled(catalog, tmp_path, edits={f"F{row}": "31/02/2024"}))
    assert codes(result, "error") == {(f"F{row}", "date-impossible")}


def test_month_only_date_is_the_month_end_with_a_warning(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "IV.2")
    result = check(catalog, filled(catalog, tmp_path, edits={f"F{row}": "tháng 6/2023"}))
    assert (f"F{row}", "date-partial") in codes(result, "warning")
    answer = next(a for a in result.answers if a["task_id"] == "IV.2")
    assert answer["completed_on"] == date(2023, 6, 30)


def test_completion_without_date_takes_the_submission_date(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "IV.2")
    raw = tmp_path / "raw"
    filled(catalog, raw / P, edits={f"F{row}": None})
    (raw / P / "received.csv").write_text(
        f"file,received_on\n{UNIT}_{P}.xlsx,08/07/2024\n", encoding="utf-8"
    )
    done = ingest(raw, catalog, workers=1)
    assert ("F" + str(row), "completed-without-date") in {
        (i.cell, i.code) for i in done.issues.itertuples()
    }
    sub = done.submissions.set_index("task_id")
    assert sub.loc["IV.2", "completed_on"] == date(2024, 7, 8)
    assert bool(sub.loc["IV.2", "completed_on_filled"])
    assert sub.loc["IV.2", "submitted_on"] == date(2024, 7, 8)


def test_completion_after_the_report_date_is_a_warning(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "IV.2")
    result = check(catalog, filled(catalog, tmp_path, edits={f"F{row}": "20/07/2024"}))
    assert codes(result, "warning") >= {(f"F{row}", "date-after-report")}
    assert not result.has_errors


@pytest.mark.parametrize("written", ["2.9.1", "III.2.9.1.", "Nhiệm vụ 2.9.1", "iii.2.9.1"])
def test_task_id_variants(catalog, tmp_path, written):
    row = row_of(catalog, UNIT, P, "III.2.9.1")
    result = check(catalog, filled(catalog, tmp_path, edits={f"B{row}": written}))
    assert not result.has_errors
    assert "III.2.9.1" in {a["task_id"] for a in result.answers}


def test_unknown_task_id(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "III.2.9.1")
    result = check(catalog, filled(catalog, tmp_path, edits={f"B{row}": "III.9.9"}))
    assert codes(result, "error") == {(f"B{row}", "task-unknown")}


def test_task_not_assigned_is_a_warning(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "III.2.9.1")
    result = check(catalog, filled(catalog, tmp_path, edits={f"B{row}": "III.2.2.9b"}))
    assert codes(result, "warning") >= {(f"B{row}", "task-not-assigned")}
    assert "III.2.2.9b" in {a["task_id"] for a in result.answers}


def test_neighbours_file_is_rejected_whole(catalog, tmp_path):
    result = check(catalog, filled(catalog, tmp_path, edits={"C3": "Huyện ủy Lý Sơn"}))
    assert result.rejected and not result.answers
    (problem,) = [p for p in result.problems if p.code == "unit-mismatch"]
    assert "Huyện ủy Lý Sơn" in problem.message and "Huyện ủy Ba Tơ" in problem.message


def test_last_quarters_file_in_this_quarters_folder_is_rejected(catalog, tmp_path):
    path = filled(
        catalog,
        tmp_path,
        period="2024-Q1",
        name="huyen-uy-ba-to.xlsx",
        reported_on=date(2024, 4, 5),
    )
    result = check(catalog, path, folder="2024-Q2")
    assert result.rejected
    assert {p.code for p in result.problems if p.severity == "error"} == {"period-mismatch"}


def test_unknown_unit(catalog, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Đơn vị:", "Huyện ủy Không Có"])
    sheet.append([])
    sheet.append(["STT", "Mã nhiệm vụ", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành"])
    sheet.append([1, "IV.2", "…", "Hoàn thành", "01/06/2023"])
    book.save(tmp_path / "bao-cao.xlsx")
    result = check(catalog, tmp_path / "bao-cao.xlsx")
    assert result.rejected
    assert ("B1", "unit-unknown") in codes(result, "error")


def test_hand_made_layout_with_synonyms_and_a_signature_block(catalog, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "BC quy 2"
    sheet.append(["HUYỆN ỦY BA TƠ", None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"])
    sheet.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT 28"])
    sheet.append(["Kỳ báo cáo: Quý II/2024"])
    sheet.append(["Ngày báo cáo:", "05/7/2024"])
    sheet.append([])
    sheet.append(["TT", "Noi dung", "Ma NV", "Tien do", "Thời gian HT", "Kết quả", "Ghi chú"])
    sheet.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"])
    sheet.append([1, "Lãnh đạo, chỉ đạo cấp ủy cơ sở…", "2.9.1", "HT", "15/02/2023", "Xong", ""])
    sheet.append([2, "Ban hành kế hoạch…", "IV.2", "Đã hoàn thành", "30-06-23", "", "x"])
    sheet.append([])
    sheet.append([None, "Nơi nhận:", None, None, "T/M BAN THƯỜNG VỤ"])
    sheet.append([None, "- Ban Tổ chức Tỉnh ủy;", None, None, "BÍ THƯ"])
    path = tmp_path / "Ba To - quy 2.xlsx"
    book.save(path)
    result = check(catalog, path)
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert (result.unit_id, result.period, result.reported_on) == (UNIT, P, date(2024, 7, 5))
    assert [(a["task_id"], a["status"], a["completed_on"]) for a in result.answers] == [
        ("III.2.9.1", "completed", date(2023, 2, 15)),
        ("IV.2", "completed", date(2023, 6, 30)),
    ]
    assert result.rows_seen == 2
    assert ("G6", "column-extra") in codes(result, "warning")


def test_headers_without_diacritics_or_decomposed(catalog, tmp_path):
    import unicodedata

    book = Workbook()
    sheet = book.active
    sheet.append(["Đơn vị: " + unicodedata.normalize("NFD", "Huyện ủy Ba Tơ")])
    sheet.append(["Ky bao cao", "quy 2/2024"])
    sheet.append(
        [
            unicodedata.normalize("NFD", h)
            for h in ("Mã nhiệm vụ", "Tình trạng", "Ngày hoàn thành", "Kết quả thực hiện")
        ]
    )
    sheet.append(["IV.2", unicodedata.normalize("NFD", "Hoàn thành"), "01/06/2023", "ok"])
    book.save(tmp_path / "x.xlsx")
    result = check(catalog, tmp_path / "x.xlsx", folder=None)
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert (result.unit_id, result.period) == (UNIT, P)
    assert result.answers[0]["status"] == "completed"


def test_resubmission_replaces_answers_task_by_task(catalog, tmp_path):
    raw = tmp_path / "raw"
    rows = {t: row_of(catalog, UNIT, P, t) for t in ("IV.2", "III.2.9.1")}
    filled(
        catalog,
        raw / P,
        name="lan-1.xlsx",
        edits={f"E{rows['IV.2']}": "Đang thực hiện", f"F{rows['IV.2']}": None},
    )
    second = filled(catalog, raw / P, name="lan-2.xlsx")
    # The second file answers only IV.2: every other row left without a status.
    book = load_workbook(second)
    sheet = book[TASK_SHEET]
    for row in range(10, sheet.max_row + 1):
        if row != rows["IV.2"]:
            sheet.cell(row, 5).value = None
            sheet.cell(row, 6).value = None
    book.save(second)
    (raw / P / "received.csv").write_text(
        "file,received_on\nlan-1.xlsx,2024-07-06\nLAN-2.XLSX,12/07/2024\n", encoding="utf-8"
    )
    done = ingest(raw, catalog, workers=1)
    manifest = done.manifest.set_index("file")
    assert manifest.loc[f"{P}/lan-1.xlsx", "disposition"] == "partly-superseded"
    # Its empty statuses are not answers: nothing of the newer file was replaced.
    assert manifest.loc[f"{P}/lan-2.xlsx", "disposition"] == "used"
    assert "8 dòng để trống tình trạng" in manifest.loc[f"{P}/lan-2.xlsx", "reason"]
    assert manifest.loc[f"{P}/lan-2.xlsx", "submitted_on"] == "2024-07-12"
    every = done.submissions
    sub = every[every["current"]].set_index("task_id")
    assert sub.loc["IV.2", "status"] == "completed"
    assert sub.loc["IV.2", "source_file"] == f"{P}/lan-2.xlsx"
    assert sub.loc["III.2.9.1", "source_file"] == f"{P}/lan-1.xlsx"  # empty status: no answer
    assert len(sub) == 9
    # Every version is kept, in submission order, for reports made at a
    # date before the second file came: only IV.2 has two.
    versions = every[every["task_id"] == "IV.2"]
    assert list(versions["source_file"]) == [f"{P}/lan-1.xlsx", f"{P}/lan-2.xlsx"]
    assert list(versions["status"]) == ["in_progress", "completed"]
    assert list(versions["current"]) == [False, True]
    assert len(every) == 10


def test_ingest_is_deterministic_and_writes_the_contract(catalog, tmp_path):
    raw = tmp_path / "raw"
    filled(catalog, raw / P)
    filled(catalog, raw / P, unit_id="van-phong", edits={"E10": "??"})
    (raw / P / "notes.pdf").write_bytes(b"%PDF-1.4 not a workbook")
    outputs = []
    for run in ("a", "b"):
        prints = fingerprint(raw, catalog)
        written = write_outputs(ingest(raw, catalog, workers=2), tmp_path / run, prints)
        outputs.append([p.read_bytes() for p in written])
    assert outputs[0] == outputs[1]
    issues = pd.read_csv(tmp_path / "a" / "issues.csv", encoding="utf-8-sig", dtype=str)
    assert list(issues.columns) == [
        "file",
        "sheet",
        "row",
        "column",
        "cell",
        "severity",
        "code",
        "message",
    ]
    manifest = pd.read_csv(tmp_path / "a" / "manifest.csv", encoding="utf-8-sig", dtype=str)
    assert list(manifest.columns) == [
        "file",
        "sha256",
        "unit_id",
        "period",
        "submitted_on",
        "disposition",
        "reason",
    ]
    assert manifest.set_index("file").loc[f"{P}/notes.pdf", "disposition"] == "rejected"
    sub = pd.read_parquet(tmp_path / "a" / "submissions.parquet")
    for column in (
        "period",
        "unit_id",
        "task_id",
        "status",
        "completed_on",
        "result",
        "evidence",
        "difficulties",
        "proposals",
        "reported_on",
        "submitted_on",
        "source_file",
        "source_sheet",
        "source_row",
        "file_sha256",
    ):
        assert column in sub.columns
    assert ("E10", "status-unknown") in set(zip(issues["cell"], issues["code"], strict=True))


def test_raw_files_are_never_written(catalog, tmp_path):
    raw = tmp_path / "raw"
    path = filled(catalog, raw / P)
    before = path.read_bytes(), path.stat().st_mtime_ns
    write_outputs(ingest(raw, catalog, workers=1), tmp_path / "out", fingerprint(raw, catalog))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in (raw / P).iterdir()) == [path.name]


# --- files saved by a real office program ---------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "xls:MS Excel 97",
        "ods:calc8",
        "xlsx:Calc MS Excel 2007 XML",
        "csv:Text - txt - csv (StarCalc):44,34,76,1",
    ],
)
def test_workbooks_saved_by_libreoffice(catalog, tmp_path, target):
    from .office import convert

    source = filled(catalog, tmp_path / "src")
    (saved,) = convert([source], target, tmp_path / "lo")
    final = tmp_path / P / f"{UNIT}_{P}.{saved.suffix.lstrip('.')}"
    final.parent.mkdir()
    shutil.move(saved, final)
    result = check(catalog, final)
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert (result.unit_id, result.period) == (UNIT, P)
    assert len(result.answers) == 9
    by_task = {a["task_id"]: a for a in result.answers}
    assert by_task["IV.2"]["completed_on"] == date(2023, 6, 15)
    assert by_task["IV.2"]["result"] == "Kết quả của nhiệm vụ IV.2"


# --- hostile files: refused quickly, the batch goes on ----------------------------


def test_hostile_files_are_rejected_and_the_rest_is_ingested(catalog, tmp_path):
    import time

    from . import hostile

    raw = tmp_path / "raw"
    folder = raw / P
    good = filled(catalog, folder)
    made = [
        hostile.zip_bomb_xlsx(folder),
        hostile.entity_bomb_xlsx(folder),
        hostile.truncated_xlsx(folder),
        hostile.pdf_renamed_xlsx(folder),
        hostile.random_binary(folder),
        hostile.empty_file(folder),
    ]
    start = time.perf_counter()
    done = ingest(raw, catalog, workers=2)
    assert time.perf_counter() - start < 30
    manifest = done.manifest.set_index("file")
    assert manifest.loc[f"{P}/{good.name}", "disposition"] == "used"
    codes = {(i.file, i.code) for i in done.issues.itertuples()}
    expected = [
        "file-zip-bomb",
        "file-xml-entities",
        "file-truncated",
        "file-not-spreadsheet",
        "file-not-spreadsheet",
        "file-empty",
    ]
    for path, code in zip(made, expected, strict=True):
        assert manifest.loc[f"{P}/{path.name}", "disposition"] == "rejected", path.name
        assert (f"{P}/{path.name}", code) in codes, path.name
    assert len(done.submissions) == 9


def test_a_mark_in_the_far_corner_is_read_with_a_warning(catalog, tmp_path):
    path = filled(catalog, tmp_path / P)
    book = load_workbook(path)
    book[TASK_SHEET]["XFD1048576"] = "x"
    book.save(path)
    result = check(catalog, path)
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert len(result.answers) == 9
    assert "sheet-huge-range" in {p.code for p in result.problems}
    (huge,) = [p for p in result.problems if p.code == "sheet-huge-range"]
    assert "1.048.576 dòng × 16.384 cột" in huge.message  # Vietnamese digit grouping


def test_a_reader_crash_rejects_one_file_only(catalog, tmp_path, monkeypatch):
    """A worker killed while reading (as an allocation failure would) costs one file."""
    from nq28_analysis.ingest import batch

    raw = tmp_path / "raw"
    good = filled(catalog, raw / P)
    doomed = filled(catalog, raw / P, unit_id="van-phong", name="chet.xlsx")
    real = batch.check_one

    def dying(job, catalog):
        if job.path.name == "chet.xlsx":
            import os

            os._exit(1)
        return real(job, catalog)

    monkeypatch.setattr(batch, "check_one", dying)
    done = ingest(raw, catalog, workers=2)
    manifest = done.manifest.set_index("file")
    assert manifest.loc[f"{P}/{good.name}", "disposition"] == "used"
    assert manifest.loc[f"{P}/{doomed.name}", "disposition"] == "rejected"
    assert "file-reader-crashed" in set(done.issues["code"])


def test_legacy_font_text_is_converted_with_a_warning(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "IV.2")
    edits = {f"E{row}": "Hoµn thµnh", f"G{row}": "§· ban hµnh kÕ ho¹ch; cho phÐp thùc hiÖn"}
    result = check(catalog, filled(catalog, tmp_path, edits=edits))
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert {(f"E{row}", "legacy-text"), (f"G{row}", "legacy-text")} <= codes(result, "warning")
    answer = next(a for a in result.answers if a["task_id"] == "IV.2")
    assert answer["status"] == "completed"
    assert answer["result"] == "Đã ban hành kế hoạch; cho phép thực hiện"


def test_formula_without_cached_value_is_a_warning_and_with_one_is_read(catalog, tmp_path):
    from .office import convert

    row = row_of(catalog, UNIT, P, "IV.2")
    source = filled(catalog, tmp_path / "src", edits={f"G{row}": '="Đã "&"ban hành"'})
    result = check(catalog, source)
    assert (f"G{row}", "formula-no-value") in codes(result, "warning")
    # Saved by an office program, the formula carries its value: read, no warning.
    (saved,) = convert([source], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    result = check(catalog, saved)
    assert "formula-no-value" not in {p.code for p in result.problems}
    answer = next(a for a in result.answers if a["task_id"] == "IV.2")
    assert answer["result"] == "Đã ban hành"


# --- found in review --------------------------------------------------------------


def test_a_lower_case_period_folder_still_reads_its_register(catalog, tmp_path):
    raw = tmp_path / "raw"
    filled(catalog, raw / "2024-q2")
    register = f"file;received_on\n{UNIT}_{P}.xlsx;05/07/2024\n".encode("cp1258")
    (raw / "2024-q2" / "received.csv").write_bytes(register)
    manifest = ingest(raw, catalog, workers=1).manifest
    assert manifest["submitted_on"].tolist() == ["2024-07-05"]


def test_an_answer_below_the_table_is_never_dropped(catalog, tmp_path):
    edits = {
        "E20": "Hoàn thành",
        "G20": "Kế hoạch số 12 ngày 5 tháng 7 năm 2024",
        "E21": "Đang thực hiện",
    }
    result = check(catalog, filled(catalog, tmp_path, edits=edits))
    assert {("B20", "task-id-missing"), ("B21", "task-id-missing")} <= codes(result, "error")
    assert result.rows_seen == 11 and result.rows_in_error == 2


def test_a_file_name_starting_with_a_date_is_read(catalog, tmp_path):
    path = filled(catalog, tmp_path, name="20240712_Q2-2024_huyen-uy-ba-to.xlsx")
    result = check(catalog, path)
    assert not result.has_errors, [p.describe() for p in result.problems]


def test_a_file_name_naming_the_recipient_is_not_the_sender(catalog, tmp_path):
    path = filled(catalog, tmp_path, name="BC Ba Tơ gửi Ban Tổ chức Q2-2024.xlsx")
    result = check(catalog, path)
    assert not result.has_errors, [p.describe() for p in result.problems]
    assert result.unit_id == UNIT


def test_numbers_in_text_columns_keep_every_digit(catalog, tmp_path):
    row = row_of(catalog, UNIT, P, "IV.2")
    result = check(
        catalog,
        filled(
            catalog,
            tmp_path,
            edits={f"G{row}": 1234567, f"H{row}": 20241507.5, f"I{row}": 0.000012},
        ),
    )
    answer = next(a for a in result.answers if a["task_id"] == "IV.2")
    assert (answer["result"], answer["evidence"], answer["difficulties"]) == (
        "1234567",
        "20241507.5",
        "1.2e-05",
    )


def test_a_file_outside_any_quarter_folder_is_listed_as_rejected(catalog, tmp_path):
    raw = tmp_path / "raw"
    filled(catalog, raw / P)
    stray = filled(catalog, raw, unit_id="huyen-uy-ly-son")
    done = ingest(raw, catalog, workers=1)
    manifest = done.manifest.set_index("file")
    assert manifest.loc[stray.name, "disposition"] == "rejected"
    assert (stray.name, "file-outside-period") in {
        (i.file, i.code) for i in done.issues.itertuples()
    }


def test_a_decomposed_file_name_matches_its_register_line(catalog, tmp_path):
    """Names copied from a Mac come decomposed (NFD); the clerk types them composed."""
    raw = tmp_path / "raw"
    name = unicodedata.normalize("NFD", f"Ba Tơ báo cáo {P}.xlsx")
    filled(catalog, raw / P, name=name)
    register = f"file,received_on\nBa Tơ báo cáo {P}.xlsx,06/07/2024\n"
    (raw / P / "received.csv").write_text(unicodedata.normalize("NFC", register), "utf-8")
    done = ingest(raw, catalog, workers=1)
    assert done.manifest["submitted_on"].tolist() == ["2024-07-06"]
    assert "register-unknown-file" not in set(done.issues["code"])


def test_a_wrong_period_label_is_pointed_at_its_cell(catalog, tmp_path):
    """Only «Kỳ báo cáo» disagrees (the file name and the template say Q2): the
    error sits at that cell and says what to write there."""
    path = filled(catalog, tmp_path, edits={"C4": "Quý I năm 2024"})
    result = check(catalog, path)
    assert result.rejected
    assert codes(result, "error") == {("C4", "period-mismatch")}
    (problem,) = [p for p in result.problems if p.code == "period-mismatch"]
    assert "sửa ô thành «Quý II năm 2024»" in problem.message


# --- a file rejected for its quarter still shows its cell errors -------------------


def test_a_file_rejected_for_its_period_shows_its_cell_errors(catalog, tmp_path):
    """A wrong «Kỳ báo cáo» and one bad cell: both problems come with the
    rejection, so the unit fixes both before sending again; no row is used."""
    row = row_of(catalog, UNIT, P, "IV.2")
    raw = tmp_path / "raw"
    filled(catalog, raw / P, edits={"C4": "Quý I năm 2024", f"E{row}": "Tốt"})
    done = ingest(raw, catalog, workers=1)
    file = f"{P}/{UNIT}_{P}.xlsx"
    assert {(i["file"], i["cell"], i["code"]) for i in done.issue_rows} == {
        (file, "C4", "period-mismatch"),
        (file, f"E{row}", "status-unknown"),
    }
    manifest = done.manifest.set_index("file")
    assert manifest.loc[file, "disposition"] == "rejected"
    assert "Ô «Kỳ báo cáo» ghi Quý I năm 2024" in manifest.loc[file, "reason"]
    assert len(done.submissions) == 0
    (result,) = done.results
    assert (len(result.answers), result.rows_seen, result.rows_in_error) == (0, 9, 1)


def _closed(project: Path, unit_id: str, last_day: str):
    """The catalogue of ``project`` once ``unit_id`` closes on ``last_day``."""
    set_unit(project, unit_id, valid_to=last_day)
    return load_catalog(project / "data/reference")


@pytest.mark.parametrize("rejection", ["folder", "not-expected", "no-period"])
def test_other_period_rejections_show_cell_errors_too(catalog, project, tmp_path, rejection):
    """Last quarter's file in this quarter's folder (its rows read against the
    quarter it names), a unit not expected for the quarter, a loose file naming
    no quarter: the bad cell is reported with the rejection."""
    period, folder, checked_by = P, P, catalog
    if rejection == "folder":
        period = "2024-Q1"
    elif rejection == "not-expected":
        checked_by = _closed(project, UNIT, "2024-03-31")
    row = row_of(catalog, UNIT, period, "IV.2")
    path = filled(
        catalog,
        tmp_path / "in",
        period=period,
        name="bao-cao.xlsx",
        edits={f"E{row}": "Tốt"},
        reported_on=parse_period(period).end,
    )
    if rejection == "no-period":  # no quarter in its cells, name or folder
        book = load_workbook(path)
        del book[META_SHEET]
        book[TASK_SHEET]["C4"] = None
        book.save(path)
        folder = None
    result = check(checked_by, path, folder=folder)
    wanted = {"folder": "period-mismatch", "not-expected": "unit-not-expected"}
    assert result.rejected and not result.answers
    assert codes(result, "error") == {
        ("", wanted.get(rejection, "period-missing")),
        (f"E{row}", "status-unknown"),
    }
    assert result.rows_in_error == 1


@pytest.mark.parametrize(
    "edits",
    [{"C3": "Huyện ủy Lý Sơn"}, {"C3": "Huyện ủy Không Có"}],
    ids=["neighbours-file", "unknown-unit"],
)
def test_a_file_rejected_for_its_unit_has_no_rows_checked(catalog, tmp_path, edits):
    """Whose answers they are is unknown: nothing in the rows is meaningful to show."""
    row = row_of(catalog, UNIT, P, "IV.2")
    result = check(catalog, filled(catalog, tmp_path, edits={**edits, f"E{row}": "Tốt"}))
    assert result.rejected and not result.answers
    assert not {code for cell, code in codes(result) if cell == f"E{row}"}
    assert result.rows_seen == result.rows_in_error == 0
