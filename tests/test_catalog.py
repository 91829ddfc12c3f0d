"""Integrity of the shipped reference tables, and their survival in an analyst's hands."""

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from nq28_analysis.common.errors import ReferenceDataError
from nq28_analysis.reference.catalog import load_catalog

from .helpers import REFERENCE, edit_csv, set_unit

DISTRICTS = {
    "thanh-uy-quang-ngai",
    "thi-uy-duc-pho",
    "huyen-uy-binh-son",
    "huyen-uy-son-tinh",
    "huyen-uy-tu-nghia",
    "huyen-uy-nghia-hanh",
    "huyen-uy-mo-duc",
    "huyen-uy-ba-to",
    "huyen-uy-minh-long",
    "huyen-uy-son-ha",
    "huyen-uy-son-tay",
    "huyen-uy-tra-bong",
    "huyen-uy-ly-son",
}
SUBORDINATE = {
    "dang-uy-khoi-co-quan-doanh-nghiep",
    "dang-uy-quan-su",
    "dang-uy-cong-an",
    "dang-uy-bien-phong",
}


def test_counts_per_section_and_kind(catalog):
    sections = Counter(t.section for t in catalog.tasks.values())
    kinds = Counter(t.deadline_kind for t in catalog.tasks.values())
    assert len(catalog.tasks) == 56
    assert sections == {
        "III.1": 4,
        "III.2.1": 6,
        "III.2.2": 13,
        "III.2.3": 7,
        "III.2.4": 5,
        "III.2.5": 4,
        "III.2.6": 4,
        "III.2.7": 4,
        "III.2.8": 3,
        "III.2.9": 3,
        "IV": 3,
    }
    assert kinds == {
        "recurring": 39,
        "fixed": 6,
        "none": 1,
        "on_request": 4,
        "per_plan": 2,
        "staggered": 1,
        "after_guidance": 1,
        "annual": 1,
        "term": 1,
    }


def test_every_lead_and_coordinating_unit_resolves(catalog):
    for task in catalog.tasks.values():
        assert catalog.resolve(task.lead), task.task_id
        for name in task.coordinating:
            assert catalog.resolve([name]), (task.task_id, name)


def test_district_level_units_and_groups(catalog):
    huyen = set(catalog.resolve(["cap-huyen"]))
    assert huyen == DISTRICTS | SUBORDINATE
    assert all(catalog.unit(u).level == "huyen" for u in huyen)
    assert catalog.resolve(catalog.task("III.2.9.2.1").lead) == catalog.resolve(["cap-huyen"])
    iv2 = set(catalog.resolve(catalog.task("IV.2").lead))
    assert {
        "ban-to-chuc",
        "uy-ban-kiem-tra",
        "van-phong",
        "tinh-doan",
        "ban-can-su-toa-an",
        "dang-doan-hdnd",
    } <= iv2
    assert huyen <= iv2
    assert "ban-thuong-vu" not in iv2


def test_standing_committee_leads_iv1_but_does_not_report(catalog):
    assert catalog.task("IV.1").lead == ("ban-thuong-vu",)
    assert catalog.unit("ban-thuong-vu").reports is False


def test_units_are_found_by_names_and_aliases(catalog):
    assert catalog.find_unit("UBKT") == "uy-ban-kiem-tra"
    assert catalog.find_unit("BTG") == "ban-tuyen-giao"
    assert catalog.find_unit("VPTU") == "van-phong"
    assert catalog.find_unit("Ban Tổ chức") == "ban-to-chuc"
    assert catalog.find_unit("ban to chuc tinh uy") == "ban-to-chuc"
    assert catalog.find_unit("HUYỆN ỦY BA TƠ") == "huyen-uy-ba-to"
    assert catalog.find_unit("Huyen uy Ba To") == "huyen-uy-ba-to"
    assert catalog.find_unit("Ban Chấp hành Trung ương") is None


def test_ids_are_safe_from_excel():
    """No id looks like a number or a date, which Excel would rewrite on save."""
    looks_numeric = re.compile(r"^[\d\s.,/:-]+$")
    for path in REFERENCE.glob("*.csv"):
        _header, *lines = path.read_text(encoding="utf-8").splitlines()
        for line in lines:
            first = line.split(",", 1)[0]
            assert not looks_numeric.match(first), (path.name, first)


def test_reference_files_are_nfc_utf8():
    for path in REFERENCE.glob("*"):
        text = path.read_bytes().decode("utf-8")
        assert unicodedata.is_normalized("NFC", text), path.name


# --- an analyst opens the tables in Excel and saves them ---------------------

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_windows_1258(text: str) -> bytes:
    """Encode like Excel's "CSV" on a Vietnamese Windows: code page 1258, where
    a letter with a tone mark is the base letter followed by a combining tone."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        tones = "".join(c for c in parts if c in _TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)


def excel_save(folder: Path, delimiter: str, encoding: str) -> None:
    """Rewrite every table as Excel would: another separator and encoding,
    CRLF line ends, dd/mm/yyyy dates, and ';'-lists quoted."""
    import csv
    import io

    for path in folder.glob("*.csv"):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        for row in rows:
            writer.writerow(
                [re.sub(r"^(\d{4})-(\d{2})-(\d{2})$", r"\3/\2/\1", cell) for cell in row]
            )
        text = buffer.getvalue()
        data = to_windows_1258(text) if encoding == "cp1258" else text.encode(encoding)
        path.write_bytes(data)


@pytest.mark.parametrize(
    ("delimiter", "encoding", "found"),
    [
        (";", "cp1258", "mã hóa Windows-1258, phân cách bằng dấu chấm phẩy (;)"),
        (",", "cp1258", "mã hóa Windows-1258, phân cách bằng dấu phẩy (,)"),
        (";", "utf-8-sig", "mã hóa UTF-8 (có BOM), phân cách bằng dấu chấm phẩy (;)"),
        ("\t", "utf-16", "mã hóa UTF-16, phân cách bằng tab"),
    ],
)
def test_tables_saved_by_excel_still_load(project, catalog, delimiter, encoding, found):
    folder = project / "data" / "reference"
    excel_save(folder, delimiter, encoding)
    again = load_catalog(folder)
    assert f"units.csv: {found}" in again.found
    assert list(again.tasks) == list(catalog.tasks)
    for task_id, task in catalog.tasks.items():
        assert again.task(task_id) == task
    assert again.units == catalog.units
    assert again.settings == catalog.settings
    assert [e["due_date"] for e in again.events] == [e["due_date"] for e in catalog.events]
    assert again.aliases == catalog.aliases


# --- one defect each: a clear Vietnamese message at file, row, column ---------


def problems_of(project: Path):
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(project / "data" / "reference")
    return caught.value.problems


def test_duplicate_task_id(project):
    edit_csv(project / "data/reference/tasks.csv", "\nIII.1.2,", "\nIII.1.1,")
    (problem,) = problems_of(project)
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "tasks.csv",
        3,
        "task_id",
        "ref-duplicate-id",
    )
    assert "trùng với dòng 2" in problem.message


def test_unknown_unit_in_a_group(project):
    edit_csv(
        project / "data/reference/unit_groups.csv",
        "cap-uy-huyen;dang-uy-truc-thuoc;dang-uy-tinh,,Cấp",
        "cap-uy-huyen;dang-uy-truc-thuoc;dang-uy-tinh,huyen-uy-xyz,Cấp",
    )
    (problem,) = problems_of(project)
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "unit_groups.csv",
        2,
        "units",
        "ref-unknown-unit",
    )
    assert "huyen-uy-xyz" in problem.message


def test_impossible_date(project):
    edit_csv(project / "data/reference/events.csv", ",2023-02-28,", ",31/02/2023,")
    (problem,) = problems_of(project)
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "events.csv",
        2,
        "due_date",
        "ref-bad-date",
    )
    assert "không tồn tại" in problem.message


def test_unknown_lead(project):
    edit_csv(
        project / "data/reference/tasks.csv",
        "III.2.4.2,III.2.4,ban-noi-chinh,",
        "III.2.4.2,III.2.4,ban-noi-chin,",
    )
    (problem,) = problems_of(project)
    assert (problem.file, problem.column, problem.code) == ("tasks.csv", "lead", "ref-unknown-unit")


def test_unparsable_deadline(project):
    edit_csv(
        project / "data/reference/tasks.csv", ",hoàn thành trong năm 2023,", ",hoàn thành sớm,"
    )
    (problem,) = problems_of(project)
    assert (problem.file, problem.column, problem.code) == (
        "tasks.csv",
        "deadline_phrase",
        "ref-bad-deadline",
    )


def test_missing_column(project):
    edit_csv(project / "data/reference/units.csv", ",reports,", ",bao_cao,")
    problems = problems_of(project)
    assert ("units.csv", 1, "reports", "ref-missing-column") in {
        (p.file, p.row, p.column, p.code) for p in problems
    }


def test_bad_successor(project):
    set_unit(project, "huyen-uy-ly-son", successor="dac-khu-ly-son")
    (problem,) = problems_of(project)
    assert (problem.column, problem.code) == ("successor", "ref-unknown-unit")


def test_every_problem_is_reported_at_once(project):
    edit_csv(project / "data/reference/tasks.csv", "\nIII.1.2,", "\nIII.1.1,")
    edit_csv(project / "data/reference/events.csv", ",2023-02-28,", ",31/02/2023,")
    edit_csv(
        project / "data/reference/settings.csv",
        "submission_deadline_days,10",
        "submission_deadline_days,mười",
    )
    codes = {p.code for p in problems_of(project)}
    assert codes == {"ref-duplicate-id", "ref-bad-date", "ref-bad-setting"}


def test_settings_placeholders(catalog):
    settings = catalog.settings
    assert settings.first_period.id == "2022-Q4"
    assert settings.submission_deadline_days == 10
    assert settings.program_number == "" and settings.program_number_text == "…-CTr/TU"
    assert settings.program_date is None and settings.program_date_text == "…/…/……"
    assert settings.issuer_name == "BAN TỔ CHỨC"


# --- the same, saved by a real office program (LibreOffice) --------------------

# LibreOffice's CSV filter options: separator, text quote, character set (76 is
# UTF-8, 40 is Windows-1258), first line, cell formats, language (1066 vi-VN).
_READ_UTF8_VI = "CSV:44,34,76,1,,1066"


# Windows-1258 is covered by the Python re-encoding above, not through LibreOffice:
# LibreOffice 7.4 writes "ý" as "y" + combining *grave* (0xCC) in code page 1258, so
# every "ý" would come back as "ỳ" whatever the reader does.
@pytest.mark.parametrize(
    ("options", "found"),
    [
        ("59,34,76,1", "mã hóa UTF-8, phân cách bằng dấu chấm phẩy (;)"),
        ("44,34,76,1", "mã hóa UTF-8, phân cách bằng dấu phẩy (,)"),
    ],
)
def test_tables_saved_by_libreoffice_still_load(project, catalog, tmp_path, options, found):
    from .office import convert

    folder = project / "data" / "reference"
    tables = sorted(folder.glob("*.csv"))
    saved = convert(
        tables,
        f"csv:Text - txt - csv (StarCalc):{options}",
        tmp_path / "saved",
        infilter=_READ_UTF8_VI,
    )
    for path in saved:
        (folder / path.name).write_bytes(path.read_bytes())
    again = load_catalog(folder)
    assert f"tasks.csv: {found}" in again.found
    assert again.tasks == catalog.tasks
    assert again.units == catalog.units
    assert again.settings == catalog.settings
