"""The template a unit receives: contract labels, protection, lists, metadata, print setup."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.template import (
    CARRIED_DATE,
    HEADERS,
    META_SHEET,
    STATUS_CHOICES,
    TASK_SHEET,
    Prefill,
    catalog_checksum,
    template_rows,
    write_template,
    write_templates,
)

P = parse_period("2024-Q2")


def test_rows_are_the_units_tasks_in_catalogue_order(catalog):
    ids = [r["task_id"] for r in template_rows(catalog, "huyen-uy-ba-to", P)]
    assert ids == [
        "III.1.1",
        "III.1.2",
        "III.1.3",
        "III.1.4",
        "III.2.1.1",
        "III.2.9.1",
        "III.2.9.2.1",
        "III.2.9.2.2",
        "IV.2",
    ]
    words = {r["task_id"]: r["deadline"] for r in template_rows(catalog, "huyen-uy-ba-to", P)}
    # The source's own words (the unit's level's clause), then the last day judged by.
    assert words["IV.2"] == "Hoàn thành trong quý II/2023 (hạn cuối: 30/06/2023)"
    assert words["III.2.1.1"] == "Cấp huyện hoàn thành trong tháng 01/2023 (hạn cuối: 31/01/2023)"
    assert words["III.2.9.1"] == "Theo Kế hoạch số 151-KH/TU (hạn cuối: 28/02/2023)"
    assert words["III.2.9.2.1"].startswith("Thực hiện thường xuyên")
    tbg = {r["task_id"]: r["deadline"] for r in template_rows(catalog, "ban-tuyen-giao", P)}
    assert tbg["III.2.1.6"] == "Theo yêu cầu của Trung ương (chưa phát sinh)"


def test_workbook_layout_and_contract_labels(catalog, tmp_path):
    path = write_template(catalog, "huyen-uy-ba-to", P, tmp_path)
    assert path.name == "huyen-uy-ba-to_2024-Q2.xlsx"
    book = load_workbook(path)
    assert book.sheetnames[0] == TASK_SHEET
    sheet = book[TASK_SHEET]
    assert (sheet["A3"].value, sheet["C3"].value) == ("Đơn vị:", "Huyện ủy Ba Tơ")
    assert (sheet["A4"].value, sheet["C4"].value) == ("Kỳ báo cáo:", "Quý II năm 2024")
    assert sheet["A5"].value == "Ngày báo cáo:"
    assert tuple(c.value for c in sheet[8]) == HEADERS
    assert sheet["A9"].value == "(1)"
    assert (sheet["A10"].value, sheet["B10"].value) == (1, "III.1.1")
    assert sheet.freeze_panes == "D10"
    # Protection: ids and texts locked, answers open.
    assert sheet.protection.sheet
    assert sheet["B10"].protection.locked and sheet["C10"].protection.locked
    for col in "EFGHIJ":
        assert not sheet[f"{col}10"].protection.locked, col
    assert not sheet["C5"].protection.locked
    assert sheet["F10"].number_format == "dd/mm/yyyy"
    # Dropdown and date validation.
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and '"' + ",".join(STATUS_CHOICES) + '"' == lists[0].formula1
    assert "E10:E18" in str(lists[0].sqref)
    dates = [dv for dv in sheet.data_validations.dataValidation if dv.type == "date"]
    assert {str(dv.sqref) for dv in dates} == {"C5", "F10:F18"}
    # Print: A4 landscape, one page wide, header rows repeated.
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToHeight == 0  # width: the default of one page
    assert sheet.print_title_rows == "$8:$9"


def test_hidden_metadata(catalog, tmp_path):
    book = load_workbook(write_template(catalog, "van-phong", P, tmp_path))
    meta = book[META_SHEET]
    assert meta.sheet_state == "veryHidden"
    values = {row[0].value: row[1].value for row in meta.iter_rows()}
    assert values["unit_id"] == "van-phong" and values["period"] == "2024-Q2"
    assert values["template_version"] == "1"
    assert values["catalog_checksum"] == catalog_checksum(catalog)


def test_prefill_only_for_deadline_tasks(catalog, tmp_path):
    prefill = {
        "IV.2": Prefill(completed_on=date(2023, 6, 20)),
        "III.2.9.2.1": Prefill(completed_on=date(2023, 6, 20)),
    }
    book = load_workbook(write_template(catalog, "huyen-uy-ba-to", P, tmp_path, prefill))
    sheet = book[TASK_SHEET]
    rows = {sheet.cell(r, 2).value: r for r in range(10, 20)}
    assert sheet.cell(rows["IV.2"], 5).value == "Hoàn thành"
    assert sheet.cell(rows["IV.2"], 6).value.date() == date(2023, 6, 20)
    assert sheet.cell(rows["III.2.9.2.1"], 5).value is None  # recurring: empty every quarter


def test_a_month_only_completion_is_pre_filled_as_text_and_recorded(catalog, tmp_path):
    prefill = {
        "IV.2": Prefill(completed_on=date(2023, 6, 30), precision="month"),
        "III.2.9.1": Prefill(completed_on=date(2023, 3, 31), precision="quarter"),
        "III.2.1.1": Prefill(completed_on=date(2023, 1, 20)),
    }
    book = load_workbook(write_template(catalog, "huyen-uy-ba-to", P, tmp_path, prefill))
    sheet = book[TASK_SHEET]
    rows = {sheet.cell(r, 2).value: r for r in range(10, 20)}
    assert sheet.cell(rows["IV.2"], 6).value == "tháng 6/2023"
    assert sheet.cell(rows["III.2.9.1"], 6).value == "quý I/2023"
    assert sheet.cell(rows["III.2.1.1"], 6).value.date() == date(2023, 1, 20)
    meta = {row[0].value: row[1].value for row in book[META_SHEET].iter_rows()}
    carried = {k: v for k, v in meta.items() if k.startswith(CARRIED_DATE)}
    assert carried == {
        f"{CARRIED_DATE}III.2.9.1": "quý I/2023",
        f"{CARRIED_DATE}IV.2": "tháng 6/2023",
    }


def test_templates_for_every_expected_unit_are_deterministic(catalog, tmp_path):
    first = write_templates(catalog, P, tmp_path / "a")
    again = write_templates(catalog, P, tmp_path / "b")
    assert len(first) == 34
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]


def test_an_annual_completion_is_carried_only_within_its_year(catalog, tmp_path):
    done = {"III.2.6.4": Prefill(completed_on=date(2023, 12, 1))}
    q1 = load_workbook(
        write_template(catalog, "van-phong", parse_period("2024-Q1"), tmp_path / "a", done)
    )[TASK_SHEET]
    q4 = load_workbook(
        write_template(catalog, "van-phong", parse_period("2023-Q4"), tmp_path / "b", done)
    )[TASK_SHEET]

    def status(sheet):
        rows = {sheet.cell(r, 2).value: r for r in range(10, sheet.max_row + 1)}
        return sheet.cell(rows["III.2.6.4"], 5).value

    assert status(q1) is None and status(q4) == "Hoàn thành"
