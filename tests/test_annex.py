"""The Excel annex (phụ lục): sheets, order, number formats, colours, hostile
text, the same bytes for the same data, and what LibreOffice prints.

The data are the demo's (the session's ``demo_data`` fixture).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from nq28_analysis.common.formatting import change
from nq28_analysis.reports import present
from nq28_analysis.reports.annex import (
    CONSISTENT_SHEET,
    DETAIL_SHEET,
    DISPOSITION_WORDS,
    KIND_RANKING_SHEET,
    KINDS_SHEET,
    OVERDUE_SHEET,
    PENDING_SHEET,
    QUALITY_SHEET,
    REPORTING_SHEET,
    RESULTS_SHEET,
    SAMPLE_BANNER,
    SUMMARY_SHEET,
    TEXTS_SHEET,
    TREND_SHEET,
    UNITS_SHEET,
    sheet_names,
    write_annex,
)
from nq28_analysis.reports.charts import CLASSIFICATION_COLORS
from nq28_analysis.reports.data import gather

QUARTER_SHEETS = [
    SUMMARY_SHEET,
    UNITS_SHEET,
    OVERDUE_SHEET,
    REPORTING_SHEET,
    DETAIL_SHEET,
    TEXTS_SHEET,
    RESULTS_SHEET,
    KINDS_SHEET,
    KIND_RANKING_SHEET,
    PENDING_SHEET,  # the shipped catalogue always has tasks waiting for an event
    QUALITY_SHEET,
]
HOSTILE = {
    "difficulties": '=HYPERLINK("http://x","y")',
    "proposals": "+84 912 345 678",
}


@pytest.fixture(scope="module")
def quarter(demo_data):
    return demo_data("2024-Q2")


@pytest.fixture(scope="module")
def review(demo_data):
    return demo_data("2024-Q4", "so-ket")


@pytest.fixture(scope="module")
def quarter_file(quarter, tmp_path_factory) -> Path:
    return write_annex(quarter, tmp_path_factory.mktemp("quarter") / "phu-luc.xlsx")


@pytest.fixture(scope="module")
def book(quarter_file):
    return load_workbook(quarter_file)


@pytest.fixture(scope="module")
def review_book(review, tmp_path_factory):
    return load_workbook(write_annex(review, tmp_path_factory.mktemp("review") / "phu-luc.xlsx"))


def table(sheet, first: str) -> tuple[list[str], list[list]]:
    """The header and the rows (cells) of the table whose first header is
    ``first``, down to the first row whose first cell is not a table cell."""
    for row in sheet.iter_rows():
        if row[0].value == first:
            top = row[0].row
            break
    else:
        raise AssertionError(f"no table headed «{first}» in «{sheet.title}»")
    header = [c.value for c in sheet[top]]
    rows = []
    for row in sheet.iter_rows(min_row=top + 1):
        if row[0].border.left.style is None:  # a line of text, or nothing
            break
        rows.append(list(row))
    return header, rows


def column(header: list, rows: list[list], name: str) -> list:
    return [r[header.index(name)] for r in rows]


def every_text(book) -> list[str]:
    return [c.value for s in book for r in s.iter_rows() for c in r if isinstance(c.value, str)]


def rgb(colour: str) -> str:
    return "FF" + colour.lstrip("#").upper()


# --- sheets -------------------------------------------------------------------------


def test_sheets_of_a_quarter_and_of_a_review(book, review_book, quarter, review):
    assert book.sheetnames == QUARTER_SHEETS == sheet_names(quarter)
    assert review_book.sheetnames == [
        *QUARTER_SHEETS[:-1],
        TREND_SHEET,
        CONSISTENT_SHEET,
        QUALITY_SHEET,
    ]
    assert review_book.sheetnames == sheet_names(review)


def test_every_sheet_is_styled_frozen_filtered_and_set_for_a4_landscape(book, review_book):
    for sheet in [*book, *review_book]:
        name = sheet.title
        assert sheet.freeze_panes, name
        assert sheet.auto_filter.ref, name
        top = int(sheet.auto_filter.ref.split(":")[0][1:])
        assert sheet.freeze_panes == f"A{top + 1}", name  # the filtered header is frozen
        header = sheet.cell(top, 1)
        assert header.font.b and header.fill.fgColor.rgb == "FFDCE6F1", name
        assert header.border.bottom.style and header.alignment.wrap_text, name
        assert sheet.page_setup.orientation == "landscape", name
        assert int(sheet.page_setup.paperSize) == 9, name  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToWidth in (1, None), name  # 1 is the default
        if name == SUMMARY_SHEET:
            assert sheet.page_setup.fitToHeight in (1, None)
        else:
            assert sheet.page_setup.fitToHeight == 0, name
            assert sheet.print_title_rows == f"${top}:${top}", name
        fonts = {c.font.name for r in sheet.iter_rows() for c in r if c.value is not None}
        assert fonts == {"Times New Roman"}, name
        widths = [d.width for d in sheet.column_dimensions.values()]
        assert widths and all(3 <= w <= 75 for w in widths), name


# --- units ----------------------------------------------------------------------------


def test_units_in_rank_order_with_the_lagging_ones_marked(book, quarter):
    units = quarter.metrics.units
    header, rows = table(book[UNITS_SHEET], "Hạng")
    assert header[:4] == ["Hạng", "Đơn vị", "Ngày nộp", "Nộp báo cáo"]
    assert header[-3:] == ["Điểm chậm", "Chậm (⚠)", "Hạng kỳ trước"]
    names = [c.value for c in column(header, rows, "Đơn vị")]
    catalog = quarter.catalog
    expected = quarter.metrics.reports["unit_id"]
    assert sorted(names) == sorted(catalog.unit(u).name_vi for u in expected)
    assert names == list(units.sort_values("lag_rank")["unit_name"])
    assert [c.value for c in column(header, rows, "Hạng")] == list(range(1, len(rows) + 1))
    scores = [c.value for c in column(header, rows, "Điểm chậm")]
    assert scores == sorted(scores, reverse=True)
    lagging = dict(zip(units["unit_name"], units["lagging"], strict=True))
    assert any(lagging.values()) and not all(lagging.values())
    for row in rows:
        name = row[1].value
        marked = row[header.index("Chậm (⚠)")].value == "⚠"
        assert marked == lagging[name], name
        fills = {c.fill.fgColor.rgb for c in row if c.fill.fill_type == "solid"}
        assert (fills == {"FFFCE4D6"}) == lagging[name], name
    # Submission: a real date, and the words of the report's vocabulary
    # ("Chưa nộp" for a unit that did not submit, the days for a late one).
    submitted = dict(zip(units["unit_name"], units["submitted_on"], strict=True))
    for row in rows:
        cell, day = row[2], submitted[row[1].value]
        if day is None:
            assert cell.value is None and row[3].value == "Chưa nộp"
        else:
            assert row[3].value == "Nộp đúng hạn" or row[3].value.startswith("Nộp trễ hạn ")
            assert cell.value == datetime.combine(day, datetime.min.time())
            assert cell.number_format == "dd/mm/yyyy"


def test_rates_are_numbers_with_a_percent_format(book, quarter):
    units = quarter.metrics.units.sort_values("lag_rank")
    header, rows = table(book[UNITS_SHEET], "Hạng")
    for name, rate in (
        ("Tỷ lệ hoàn thành", "completion_rate"),
        ("Tỷ lệ hoàn thành đúng hạn", "on_time_rate"),
        ("Tỷ lệ thường xuyên có kết quả", "recurring_rate"),
    ):
        cells = column(header, rows, name)
        for cell, value in zip(cells, units[rate], strict=True):
            assert cell.number_format == "0.0%", name
            if pd.isna(value):
                assert cell.value is None  # no data is an empty cell, not 0%
            else:
                assert isinstance(cell.value, int | float) and cell.data_type == "n"
                assert cell.value == pytest.approx(value)
    # The key figures, with the change against the previous period.
    summary, before = quarter.metrics.summary, quarter.metrics.previous.summary
    header, rows = table(book[SUMMARY_SHEET], "Chỉ tiêu")
    by_label = {r[0].value: r for r in rows}
    first = by_label["Tỷ lệ đơn vị nộp báo cáo"]
    assert first[1].value == pytest.approx(summary.reporting_rate)
    assert first[1].number_format == "0.0%"
    assert first[2].value == pytest.approx(before.reporting_rate)
    assert first[3].value == change(summary.reporting_rate - before.reporting_rate)
    overdue = by_label["Số nhiệm vụ quá hạn (lượt đơn vị – nhiệm vụ)"]
    assert overdue[1].value == summary.overdue_count and overdue[1].number_format == "0"
    # Nothing fell due in 2024-Q2: the quarter's own measures lead.
    assert summary.cumulative_still
    assert [r[0].value for r in rows[:2]] == list(present.PERIOD_FIGURES.values())
    assert rows[0][1].value == summary.completed_in_period and rows[0][1].number_format == "0"
    assert rows[1][1].value == summary.overdue_new_in_period == 0


# --- pairs ----------------------------------------------------------------------------


def test_a_pairs_classification_cell_has_its_colour(book, quarter):
    pairs = quarter.metrics.table
    header, rows = table(book[DETAIL_SHEET], "Đơn vị")
    assert header == [
        "Đơn vị",
        "Mã nhiệm vụ",
        "Mục",
        "Loại thời hạn",
        "Hạn",
        "Tình trạng báo cáo",
        "Ngày hoàn thành",
        "Phân loại",
    ]
    assert len(rows) == len(pairs)
    where = header.index("Phân loại")
    seen = set()
    for row, pair in zip(rows, pairs.itertuples(index=False), strict=True):
        assert (row[0].value, row[1].value) == (pair.unit_name, pair.task_id)
        cell = row[where]
        assert cell.value == pair.label
        assert cell.fill.fgColor.rgb == rgb(CLASSIFICATION_COLORS[pair.classification])
        seen.add(pair.classification)
    assert {"overdue", "done_on_time", "recurring_reported"} <= seen
    # Readable text on each fill: white on the dark blue, black on the yellow.
    by_code = {p.classification: r[where] for r, p in zip(rows, pairs.itertuples(), strict=True)}
    assert by_code["recurring_reported"].font.color.rgb == "FFFFFFFF"
    assert by_code["done_late"].font.color.rgb == "FF000000"
    words = {c.value for c in column(header, rows, "Loại thời hạn")}
    assert {"Thường xuyên", "Có thời hạn", "Không có thời hạn", "Theo từng cấp"} <= words
    assert {c.value for c in column(header, rows, "Tình trạng báo cáo")} <= {
        "Hoàn thành",
        "Đang thực hiện",
        "Chưa thực hiện",
        "Không phát sinh",
        None,
    }


def test_overdue_pairs_are_listed_oldest_first(book, quarter):
    header, rows = table(book[OVERDUE_SHEET], "Đơn vị")
    assert header == [
        "Đơn vị",
        "Mã nhiệm vụ",
        "Nội dung nhiệm vụ",
        "Hạn",
        "Số ngày quá hạn",
        "Nhóm",
        "Thẩm định",  # the Board's word on a pair, when it gave one
    ]
    assert len(rows) == quarter.metrics.summary.overdue_count > 1
    ages = [c.value for c in column(header, rows, "Số ngày quá hạn")]
    assert ages == sorted(ages, reverse=True)
    for row in rows:
        assert row[2].value == quarter.catalog.task(row[1].value).text_vi
        assert isinstance(row[3].value, datetime) and row[3].number_format == "dd/mm/yyyy"
        assert row[5].value in {"≤ 30 ngày", "31–90 ngày", "> 90 ngày"}


def test_reporting_sheet_lists_every_expected_unit_and_the_missing_ones(book, quarter):
    catalog = quarter.catalog
    reports = quarter.metrics.reports
    header, rows = table(book[REPORTING_SHEET], "Đơn vị")
    assert header[:5] == ["Đơn vị", "Đã nộp", "Ngày nộp", "Hạn nộp", "Đúng hạn"]
    assert len(rows) == len(reports)
    order = sorted(reports["unit_id"], key=lambda u: (catalog.unit(u).order, u))
    assert [r[0].value for r in rows] == [catalog.unit(u).name_vi for u in order]
    for row in rows:
        assert isinstance(row[3].value, datetime) and row[3].number_format == "dd/mm/yyyy"
        assert (row[2].value is None) == (row[1].value == "Không")
    reported = reports.set_index("unit_id")["reported"]
    missing = [catalog.unit(u).name_vi for u in order if not reported[u]]
    assert missing  # the demo leaves some units silent
    listed = [c.value for c in column(header, rows, f"Đơn vị chưa nộp báo cáo ({len(missing)})")]
    assert [name for name in listed if name] == missing


def test_difficulties_and_proposals_are_listed_per_unit(book, quarter):
    header, rows = table(book[TEXTS_SHEET], "Kỳ")
    assert header == ["Kỳ", "Đơn vị", "Nhiệm vụ", "Khó khăn, vướng mắc", "Kiến nghị, đề xuất"]
    texts = quarter.texts
    assert len(rows) == len(texts) > 0
    assert {r[0].value for r in rows} == {"Quý II năm 2024"}
    assert [r[3].value or "" for r in rows] == list(texts["difficulties"])


def test_data_quality_sheet_has_the_files_their_problems_and_the_provenance(book, quarter):
    header, rows = table(book[QUALITY_SHEET], "Tệp")
    files = quarter.files
    assert [r[0].value for r in rows] == list(files["file"])
    assert {r[header.index("Kết quả")].value for r in rows} <= set(DISPOSITION_WORDS.values())
    hashes = dict(quarter.inputs["files"])
    assert [r[header.index("SHA-256")].value for r in rows] == [hashes[f] for f in files["file"]]
    problems = column(header, rows, "Vấn đề phát hiện trong tệp")
    for (file, code), group in quarter.issues.groupby(["file", "code"]):
        said = problems[list(files["file"]).index(file)].value
        assert f"[{code}] × {len(group)}" in said
    text = "\n".join(every_text(book))
    for fact in (quarter.inputs["sha256"], quarter.inputs["catalog_checksum"], "03/08/2024"):
        assert fact in text


# --- sample, review -----------------------------------------------------------------


def test_the_sample_banner_is_on_demo_data_only(book, quarter, tmp_path):
    assert quarter.sample
    first = [book[SUMMARY_SHEET].cell(r, 1).value for r in range(1, 6)]
    assert SAMPLE_BANNER in first
    assert all(SAMPLE_BANNER in s.oddHeader.center.text for s in book)
    assert first[1] == quarter.title
    assert "Tính đến ngày 03/08/2024" in first
    real = load_workbook(
        write_annex(dataclasses.replace(quarter, sample=False), tmp_path / "r.xlsx")
    )
    assert not any(SAMPLE_BANNER in t for t in every_text(real))


def test_a_review_has_the_trend_and_the_consistently_reporting_units(review_book, review):
    header, rows = table(review_book[TREND_SHEET], "Quý")
    assert [r[0].value for r in rows] == list(review.trend["period_label"])
    assert len(rows) == 9  # 2022-Q4 to 2024-Q4
    where = header.index("Tỷ lệ hoàn thành")
    for row, rate in zip(rows, review.trend["completion_rate"], strict=True):
        assert row[where].value == pytest.approx(rate) and row[where].number_format == "0.0%"
    overdue = column(header, rows, "Số nhiệm vụ quá hạn")
    assert [c.value for c in overdue] == list(review.trend["overdue_count"])
    header, rows = table(review_book[CONSISTENT_SHEET], "STT")
    names = [review.catalog.unit(u).name_vi for u in review.consistent]
    assert [r[1].value for r in rows] == names and names


def test_a_period_nobody_reported_still_gives_every_sheet(tmp_path, catalog):
    data = gather(catalog, tmp_path / "không-có", tmp_path / "p", "2022-Q4")
    book = load_workbook(write_annex(data, tmp_path / "out" / "a.xlsx"))
    assert book.sheetnames == QUARTER_SHEETS
    text = every_text(book)
    assert "chưa có số liệu" in text
    assert "Không có nhiệm vụ nào quá hạn." in text
    assert "Không có tệp báo cáo nào của kỳ." in text


# --- safety and determinism -----------------------------------------------------------


def test_submitted_text_is_never_a_formula_or_a_link(quarter, tmp_path):
    hostile = pd.DataFrame(
        [
            {
                "period": "2024-Q2",
                "unit_id": "huyen-uy-ba-to",
                "unit_name": "Huyện ủy Ba Tơ",
                "task_id": "IV.2",
                **HOSTILE,
            },
            {
                "period": "2024-Q2",
                "unit_id": "huyen-uy-ba-to",
                "unit_name": "Huyện ủy Ba Tơ",
                "task_id": "III.1.1",
                "difficulties": "@SUM(A1)",
                "proposals": "-1",
            },
        ]
    )
    files = quarter.files.copy()
    files.loc[0, "reason"] = "=1+1"
    files.loc[1, "file"] = "2024-Q2/=cmd|' /C calc'!A0.xlsx"
    data = dataclasses.replace(quarter, texts=hostile, files=files)
    path = write_annex(data, tmp_path / "hostile.xlsx")
    book = load_workbook(path)
    wanted = {*HOSTILE.values(), "@SUM(A1)", "-1", "=1+1", "2024-Q2/=cmd|' /C calc'!A0.xlsx"}
    found = {}
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.hyperlink is None, cell.coordinate
                if cell.value in wanted:
                    found[cell.value] = cell
    assert set(found) == wanted
    assert all(c.data_type == "s" for c in found.values())
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            body = package.read(name).decode("utf-8", "replace")
            assert "<f>" not in body and "<f " not in body, name  # no formula anywhere
            if name.startswith("xl/worksheets/"):  # sheets and their relationships
                assert "hyperlink" not in body.lower(), name


def test_the_same_data_give_the_same_bytes(quarter, quarter_file, tmp_path):
    again = write_annex(quarter, tmp_path / "again.xlsx")
    assert again.read_bytes() == quarter_file.read_bytes()
    created = load_workbook(again).properties.created
    assert created.date() == quarter.as_of


# --- printed --------------------------------------------------------------------------


def test_libreoffice_prints_the_annex_to_pdf(quarter_file, tmp_path):
    from .office import convert

    (pdf,) = convert([quarter_file], "pdf", tmp_path / "pdf")
    body = pdf.read_bytes()
    assert body.startswith(b"%PDF-") and len(body) > 20_000
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        for words in (SAMPLE_BANNER, "XẾP HẠNG CÁC ĐƠN VỊ", "Trang 1/", "Huyện ủy Ba Tơ"):
            assert words in text
