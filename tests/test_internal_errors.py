"""Our bugs are ours: an exception no reader raised on a bad file is the
tool's fault (``internal-error``, traceback in a log), never the unit's;
what a reader raises on a damaged file still tells the unit what to do."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from nq28_analysis.cli import main
from nq28_analysis.ingest import validate
from nq28_analysis.ingest.batch import Job, check_one
from nq28_analysis.ingest.consolidate import fingerprint, ingest, write_outputs
from nq28_analysis.ingest.faults import INTERNAL_ERROR, LOG_NAME, UNIT_NOTICE
from nq28_analysis.ingest.feedback import feedback_name
from nq28_analysis.ingest.guards import check_file, refusal_message

from . import hostile
from .workbooks import filled

P = "2024-Q2"
DOOMED = "van-phong"  # the unit whose file meets the injected bug


@pytest.fixture
def bug(monkeypatch):
    """A KeyError raised by our own row checks, for the file of :data:`DOOMED`
    (forked workers inherit it)."""
    real = validate.check_rows

    def broken_row_checks(catalog, sheet, layout, unit, *rest):
        if unit == DOOMED:
            raise KeyError("completed_on")
        return real(catalog, sheet, layout, unit, *rest)

    monkeypatch.setattr(validate, "check_rows", broken_row_checks)


def check(catalog, path: Path):
    return check_one(Job(path, f"{P}/{path.name}", P, keep_grid=True), catalog)


def test_a_bug_in_validation_is_an_internal_error_of_the_file(catalog, tmp_path, bug):
    path = filled(catalog, tmp_path / P, unit_id=DOOMED)
    result = check(catalog, path)
    (problem,) = result.problems
    assert (problem.file, problem.code, problem.severity) == (
        f"{P}/{path.name}",
        INTERNAL_ERROR,
        "error",
    )
    assert (problem.sheet, problem.row, problem.cell) == ("", None, "")
    assert validate.is_file_level(problem) and result.rejected and result.internal_error
    assert problem.message.startswith("Lỗi của công cụ nq28, không phải lỗi của tệp")
    assert "(KeyError)" in problem.message and f"«{LOG_NAME}»" in problem.message
    assert "Traceback" not in problem.message
    assert result.traceback.startswith("Traceback (most recent call last):")
    assert "in broken_row_checks" in result.traceback
    assert result.traceback.rstrip().endswith("KeyError: 'completed_on'")
    assert result.sha256 and not result.answers and not result.grid


def test_ingest_rejects_only_that_file_and_logs_the_traceback(catalog, tmp_path, bug):
    raw = tmp_path / "raw"
    good = filled(catalog, raw / P)
    doomed = filled(catalog, raw / P, unit_id=DOOMED)
    done = ingest(raw, catalog, workers=2)  # in forked workers
    out = tmp_path / "processed"
    written = write_outputs(done, out, fingerprint(raw, catalog))
    assert written[-1] == out / LOG_NAME
    manifest = done.manifest.set_index("file")
    assert manifest.loc[f"{P}/{good.name}", "disposition"] == "used"
    assert manifest.loc[f"{P}/{doomed.name}", "disposition"] == "rejected"
    assert manifest.loc[f"{P}/{doomed.name}", "reason"].startswith(
        "Lỗi của công cụ nq28, không phải lỗi của tệp"
    )
    issues = done.issues
    ours = issues[issues["code"] == INTERNAL_ERROR]
    assert ours[["file", "row", "cell", "severity"]].values.tolist() == [
        [f"{P}/{doomed.name}", "", "", "error"]
    ]
    assert set(done.submissions["unit_id"]) == {"huyen-uy-ba-to"}
    log = (out / LOG_NAME).read_text(encoding="utf-8")
    assert log.startswith("=== ") and f" {P}/{doomed.name} sha256=" in log.splitlines()[0]
    assert "in broken_row_checks" in log and "KeyError: 'completed_on'" in log
    assert good.name not in log
    # Appended, never overwritten: a second run adds a second entry.
    write_outputs(ingest(raw, catalog, workers=1), out, fingerprint(raw, catalog))
    assert (out / LOG_NAME).read_text(encoding="utf-8").count("=== ") == 2


def test_no_log_when_nothing_went_wrong(catalog, tmp_path):
    raw = tmp_path / "raw"
    filled(catalog, raw / P)
    written = write_outputs(ingest(raw, catalog, workers=1), tmp_path / "out", {})
    assert [p.name for p in written] == ["submissions.parquet", "issues.csv", "manifest.csv"]
    assert not (tmp_path / "out" / LOG_NAME).exists()


def test_check_says_it_is_the_tools_fault_without_a_traceback(
    catalog, project, tmp_path, bug, capfd
):
    path = filled(catalog, tmp_path / P, unit_id=DOOMED)
    feedback = tmp_path / "gop-y"
    code = main(["--data-dir", str(project), "check", str(path), "--feedback", str(feedback)])
    out, err = capfd.readouterr()
    assert code == 1
    assert "Traceback" not in out + err and "KeyError: " not in out + err
    assert f"CHƯA KIỂM TRA ĐƯỢC (lỗi của công cụ): {path.as_posix()}" in out
    assert f"Lỗi [{INTERNAL_ERROR}]: Lỗi của công cụ nq28, không phải lỗi của tệp" in out
    log = (feedback / LOG_NAME).read_text(encoding="utf-8")
    assert "in broken_row_checks" in log and "KeyError: 'completed_on'" in log
    # The unit's workbook: no advice, nothing of the tool's log.
    book = load_workbook(feedback / feedback_name(f"{P}/{path.name}"))
    assert book.sheetnames == ["Góp ý"]
    sheet = book["Góp ý"]
    assert sheet["A3"].value == (
        "Kết quả kiểm tra: CHƯA KIỂM TRA ĐƯỢC — do lỗi của công cụ kiểm tra, "
        "không phải lỗi của tệp."
    )
    assert sheet["A4"].value == "Tệp được giữ nguyên; đơn vị không cần sửa hay gửi lại tệp."
    assert [c.value for c in sheet[7]] == [
        1,
        None,
        None,
        "Lỗi của công cụ",
        UNIT_NOTICE,
        None,
        None,
        INTERNAL_ERROR,
    ]
    assert sheet.max_row == 7
    texts = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert LOG_NAME not in texts and "đề nghị" not in texts.lower()


# --- what readers raise on damaged files is still the file's problem ---------------


def _with_member(source: Path, target: Path, member: str, change) -> Path:
    """``source`` zipped again as ``target``, ``member`` changed (CRCs stay valid)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, change(data) if info.filename == member else data)
    return target


SAVE_AGAIN = "); đề nghị mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại."


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def test_a_sheet_the_reader_cannot_parse_is_unreadable(catalog, tmp_path):
    """calamine raises when the sheet is read, during validation: the file's fault."""
    source = filled(catalog, tmp_path / "src")
    (tmp_path / P).mkdir()
    path = _with_member(source, tmp_path / P / "hong.xlsx", "xl/worksheets/sheet1.xml", _half)
    assert check_file(path).ok  # the guard lets it through; the reader fails
    result = check(catalog, path)
    (problem,) = result.problems
    assert (problem.file, problem.code, problem.severity) == (
        f"{P}/hong.xlsx",
        "file-unreadable",
        "error",
    )
    assert problem.message.startswith("Không đọc được tệp bảng tính (")
    assert problem.message.endswith(SAVE_AGAIN)
    assert result.traceback == "" and not result.internal_error


def test_a_streamed_sheet_openpyxl_cannot_parse_is_unreadable(catalog, tmp_path):
    """A far-corner sheet is streamed by openpyxl; its parse error is the file's fault."""
    source = filled(catalog, tmp_path / "src", edits={"XFD1048576": "x"})
    (tmp_path / P).mkdir()

    def broken(data: bytes) -> bytes:
        at = data.index(b"<row ", len(data) // 2)
        return data[:at] + b"<row <" + data[at + 5 :]

    path = _with_member(source, tmp_path / P / "hong.xlsx", "xl/worksheets/sheet1.xml", broken)
    assert check_file(path).ok
    (problem,) = check(catalog, path).problems
    assert (problem.code, problem.severity) == ("file-unreadable", "error")
    assert problem.message.startswith("Không đọc được tệp bảng tính (")
    assert problem.message.endswith(SAVE_AGAIN)


def test_a_password_record_the_guard_does_not_reach_is_still_encrypted(catalog, tmp_path):
    """FILEPASS after a BOUNDSHEET is past where the guard looks; the reader's
    own PasswordError still gives the encrypted-file problem."""
    bof = hostile._biff_record(0x0809, struct.pack("<4H2L", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    sheet = hostile._biff_record(0x0085, struct.pack("<LBB", 0, 0, 0) + bytes([1, 0]) + b"A")
    filepass = hostile._biff_record(0x002F, struct.pack("<3H", 1, 1, 1) + bytes(48))
    stream = bof + sheet + filepass + hostile._biff_record(0x000A)
    path = tmp_path / "mat-khau-muon.xls"
    path.write_bytes(hostile._compound_file("Workbook", stream))
    assert check_file(path).format == "xls"
    (problem,) = check(catalog, path).problems
    assert (problem.code, problem.message) == ("file-encrypted", refusal_message("file-encrypted"))


@pytest.mark.parametrize(
    "builder", ["small_encrypted_xls", "encrypted_xlsx", "encrypted_xls", "encrypted_ods"]
)
def test_encrypted_files_keep_their_code(catalog, tmp_path, builder):
    path = getattr(hostile, builder)(tmp_path)
    result = check(catalog, path)
    assert [(p.code, p.message) for p in result.problems] == [
        ("file-encrypted", refusal_message("file-encrypted"))
    ]
