"""The file guard: hostile or broken files are refused fast, good ones get their real format."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nq28_analysis.ingest.guards import FileCheck, check_file, read_member

from . import hostile

SECONDS = 2.0  # a generous bound; checks take milliseconds

REFUSED = {
    "zip_bomb_xlsx": "file-zip-bomb",
    "member_count_bomb_xlsx": "file-zip-bomb",
    "entity_bomb_xlsx": "file-xml-entities",
    "truncated_xlsx": "file-truncated",
    "member_cut_xlsx": "file-truncated",
    "pdf_renamed_xlsx": "file-not-spreadsheet",
    "docx_renamed_xlsx": "file-not-spreadsheet",
    "html_as_xls": "file-not-spreadsheet",
    "empty_file": "file-empty",
    "random_binary": "file-not-spreadsheet",
    "small_encrypted_xls": "file-encrypted",
    "small_doc": "file-not-spreadsheet",
    "duplicate_member_xlsx": "file-truncated",
    "nul_name_xlsx": "file-truncated",
    "late_entity_xlsx": "file-xml-entities",
    "crc_mismatch_xlsx": "file-truncated",
}
REFUSED_OFFICE = {
    "encrypted_xlsx": "file-encrypted",
    "encrypted_xls": "file-encrypted",
    "encrypted_ods": "file-encrypted",
    "truncated_xls": "file-truncated",
}
ACCEPTED = {
    "normal_xlsx": "xlsx",
    "xlsxwriter_xlsx": "xlsx",
    "xlsx_saved_as_xls_name": "xlsx",
    "far_corner_xlsx": "xlsx",
    "cp1258_csv": "csv",
    "utf16_txt": "csv",
    "big_stored_xlsx": "xlsx",
    "many_parts_xlsx": "xlsx",
    "small_xls": "xls",
    "zip64_xlsx": "xlsx",
    "zip64_offset_only_xlsx": "xlsx",
    "zip64_sizes_only_xlsx": "xlsx",
    "slow_regex_xlsx": "xlsx",  # read (within the time bound); the reader then finds no sheet
}
ACCEPTED_OFFICE = {
    "libreoffice_xls": "xls",
    "libreoffice_ods": "ods",
    "libreoffice_csv": "csv",
    "libreoffice_xlsm": "xlsm",
    # LibreOffice Basic parts declare a DOCTYPE naming an external DTD only.
    "ods_with_basic_macro": "ods",
}


class Built:
    """Fixture files built on first use, once per session."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.paths: dict[str, Path] = {}

    def __getitem__(self, builder: str) -> Path:
        if builder not in self.paths:
            self.paths[builder] = getattr(hostile, builder)(self.folder)
        return self.paths[builder]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    """The fixture files, shared by every test of the session."""
    return Built(tmp_path_factory.mktemp("guards"))


def timed_check(path: Path, **limits) -> FileCheck:
    """check_file, asserting it stays under the time bound."""
    start = time.perf_counter()
    result = check_file(path, **limits)
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS, f"{path.name}: {elapsed:.2f} s"
    return result


def assert_vietnamese(message: str) -> None:
    """A refusal says, in Vietnamese, what the unit should do."""
    assert "đề nghị" in message, message
    assert message.endswith("."), message


@pytest.mark.parametrize(("builder", "code"), sorted(REFUSED.items()))
def test_hostile_file_is_refused(built, builder, code):
    path = built[builder]
    result = timed_check(path)
    assert not result.ok
    assert (result.problem.file, result.problem.code) == (path.name, code)
    assert result.problem.severity == "error"
    assert result.format is None
    assert result.extents == {}
    assert_vietnamese(result.problem.message)


@pytest.mark.parametrize(("builder", "code"), sorted(REFUSED_OFFICE.items()))
def test_office_made_hostile_file_is_refused(built, builder, code):
    path = built[builder]
    result = timed_check(path)
    assert (result.problem.file, result.problem.code) == (path.name, code)
    assert_vietnamese(result.problem.message)


@pytest.mark.parametrize(("builder", "found"), sorted(ACCEPTED.items()))
def test_good_file_is_accepted(built, builder, found):
    result = timed_check(built[builder])
    assert result.ok, result.problem
    assert result.format == found


@pytest.mark.parametrize(("builder", "found"), sorted(ACCEPTED_OFFICE.items()))
def test_libreoffice_file_is_accepted(built, builder, found):
    result = timed_check(built[builder])
    assert result.ok, result.problem
    assert result.format == found


def test_encrypted_message_asks_to_remove_the_password(built):
    result = check_file(built["encrypted_xlsx"])
    assert result.problem.message == "Tệp có mật khẩu; đề nghị đơn vị gỡ mật khẩu rồi gửi lại."


def test_encrypted_xlsx_is_an_ole_container(built):
    assert built["encrypted_xlsx"].read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("builder", "words"),
    [
        ("pdf_renamed_xlsx", "tệp PDF"),
        ("small_doc", "tệp Word (.doc)"),
        ("docx_renamed_xlsx", "tệp Word"),
        ("html_as_xls", "Lưu lại bằng Excel dưới dạng .xlsx"),
        ("random_binary", "không rõ định dạng"),
        ("entity_bomb_xlsx", "xl/sharedStrings.xml"),
    ],
)
def test_message_names_what_the_file_is(built, builder, words):
    assert words in check_file(built[builder]).problem.message


def test_far_corner_extents(built):
    result = check_file(built["far_corner_xlsx"])
    assert result.extents == {hostile.SHEET: (1048576, 16384)}


def test_normal_extents_by_sheet_name(built):
    result = check_file(built["normal_xlsx"])
    assert result.extents == {hostile.SHEET: (hostile.ROWS + 1, len(hostile.HEADER))}


def test_libreoffice_xlsm_extents(built):
    result = check_file(built["libreoffice_xlsm"])
    assert result.extents == {hostile.SHEET: (hostile.ROWS + 1, len(hostile.HEADER))}


@pytest.mark.parametrize(
    "builder", ["zip64_xlsx", "zip64_offset_only_xlsx", "zip64_sizes_only_xlsx"]
)
def test_zip64_package_reads_like_any_other(built, builder):
    """Sizes and offsets in Zip64 fields (central directory and end records) are
    found, and a worksheet read back through them is the real one. The extra
    field holds only the values its header marks, in order: an offset alone
    comes first, sizes alone leave the header's offset standing."""
    path = built[builder]
    result = check_file(path)
    assert result.extents == {hostile.SHEET: (hostile.ROWS + 1, len(hostile.HEADER))}
    part = result.parts[hostile.SHEET]
    entry = result.members[part]
    with zipfile.ZipFile(path) as package:
        assert read_member(path, entry, 1 << 20) == package.read(part)
        info = package.getinfo(part)
    assert (entry.file_size, entry.compress_size) == (info.file_size, info.compress_size)
    assert entry.header_offset == info.header_offset > 0
    assert part in result.formula_free


def test_formula_cells_are_seen_by_the_guard(tmp_path):
    """A sheet with a formula is not "formula-free": the reader looks for
    formula cells without a cached value there."""
    path = tmp_path / "cong-thuc.xlsx"
    book = hostile._workbook()
    book[hostile.SHEET]["E2"] = "=D2*2"
    book.save(path)
    result = check_file(path)
    assert result.format == "xlsx" and result.problem is None
    assert result.parts[hostile.SHEET] not in result.formula_free
    plain = check_file(hostile.normal_xlsx(tmp_path))
    assert plain.formula_free == {plain.parts[hostile.SHEET]}


def test_ods_and_xls_have_no_extents(built):
    assert check_file(built["libreoffice_ods"]).extents == {}
    assert check_file(built["libreoffice_xls"]).extents == {}


def test_display_name_goes_into_the_problem(built):
    result = check_file(built["empty_file"], "Huyện A/bao-cao.xlsx")
    assert result.problem.file == "Huyện A/bao-cao.xlsx"
    assert "Huyện A/bao-cao.xlsx" in result.problem.describe()


def test_limits_are_the_callers(built):
    path = built["normal_xlsx"]
    assert check_file(path, max_bytes=1000).problem.code == "file-too-large"
    assert check_file(path, max_uncompressed=1000).problem.code == "file-zip-bomb"
    assert check_file(built["big_stored_xlsx"], max_bytes=2**20).problem.code == "file-too-large"


def test_ratio_limit_alone(built):
    result = check_file(built["zip_bomb_xlsx"], max_uncompressed=2**40)
    assert result.problem.code == "file-zip-bomb"
    assert "xl/worksheets/sheet1.xml" in result.problem.message


def test_zip_bomb_is_a_real_bomb(built):
    with zipfile.ZipFile(built["zip_bomb_xlsx"]) as package:
        sheet = package.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size >= hostile.BOMB_BYTES
    assert sheet.file_size / sheet.compress_size > 200


def test_missing_file_and_folder_are_unreadable(tmp_path):
    assert check_file(tmp_path / "khong-co.xlsx").problem.code == "file-unreadable"
    assert check_file(tmp_path).problem.code == "file-unreadable"


def test_text_named_like_a_document_is_refused(tmp_path):
    path = tmp_path / "ghi-chu.docx"
    path.write_text("ma,noi_dung\n1,2\n", encoding="utf-8")
    assert check_file(path).problem.code == "file-not-spreadsheet"


def test_csv_named_xlsx_is_read_as_csv(tmp_path):
    path = tmp_path / "xuat-tu-web.xlsx"
    path.write_text("Mã,Nội dung\nIII.2.1,Tuyên truyền\n", encoding="utf-8")
    assert check_file(path).format == "csv"


@pytest.mark.parametrize(
    "page",
    [
        '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>',
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n\r\n",
        "\ufeff  <!DOCTYPE html><html><body><table></table></body></html>",
    ],
)
def test_web_exports_are_refused(tmp_path, page):
    path = tmp_path / "xuat.xls"
    path.write_text(page, encoding="utf-16")
    problem = check_file(path).problem
    assert problem.code == "file-not-spreadsheet"
    assert "Lưu lại bằng Excel dưới dạng .xlsx" in problem.message


@pytest.mark.parametrize(
    "prolog",
    ["<!DOCTYPE worksheet [ ]>", '<!ENTITY x "y">', '<!-- a --><!DOCTYPE a [<!ENTITY b "c">]>'],
)
def test_declarations_in_any_part_are_refused(built, tmp_path, prolog):
    path = tmp_path / "khai-bao.xlsx"
    with zipfile.ZipFile(built["normal_xlsx"]) as original, zipfile.ZipFile(path, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = prolog.encode() + data
            copy.writestr(info, data)
    problem = check_file(path).problem
    assert (problem.code, "xl/worksheets/sheet1.xml" in problem.message) == (
        "file-xml-entities",
        True,
    )


def _mutated(data: bytes, edits: list[tuple[int, int]], keep: float) -> bytes:
    """``data`` with bytes overwritten at given positions, then cut to a fraction."""
    changed = bytearray(data)
    for position, value in edits:
        changed[position % len(changed)] = value
    return bytes(changed[: max(1, int(len(changed) * keep))])


EDITS = st.lists(st.tuples(st.integers(0, 2**20), st.integers(0, 255)), max_size=8)
KEEP = st.floats(0.0, 1.0)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS, keep=KEEP)
def test_damaged_xlsx_never_crashes(built, edits, keep):
    path = built.folder / "fuzz.xlsx"
    path.write_bytes(_mutated(built["normal_xlsx"].read_bytes(), edits, keep))
    result = timed_check(path)
    assert result.ok or result.problem.code.startswith("file-")


@pytest.fixture(scope="session")
def ole_samples(built) -> dict[str, bytes]:
    """OLE/CFB files made by LibreOffice: a plain and an encrypted .xls, an encrypted xlsx."""
    return {
        name: built[name].read_bytes()
        for name in ("libreoffice_xls", "encrypted_xls", "encrypted_xlsx")
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=EDITS, keep=KEEP)
def test_damaged_ole_file_never_crashes(built, ole_samples, edits, keep):
    for name, data in ole_samples.items():
        path = built.folder / f"fuzz-{name}.xls"
        path.write_bytes(_mutated(data, edits, keep))
        result = timed_check(path)
        assert result.ok or result.problem.code.startswith("file-")


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>',
        "<!DOCTYPE x [ ]><x/>",
        '<?xml version="1.0"?><!ENTITY a SYSTEM "file:///etc/passwd"><x/>',
    ],
)
def test_internal_subsets_and_entities_are_refused(tmp_path, prolog):
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/sharedStrings.xml", prolog)
    assert check_file(path).problem.code == "file-xml-entities"
