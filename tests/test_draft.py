"""The Word draft: layout of a Party document, content, hostile text, determinism.

The data are the demo's (the session's ``demo_data`` fixture: a demo project
made the way an analyst makes it, ``nq28 demo`` in a real process).
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import RGBColor

from nq28_analysis.common.formatting import NO_DATA, percent
from nq28_analysis.metrics import CLASSIFICATION_LABELS
from nq28_analysis.reports.draft import (
    FONT,
    OVERDUE_ROWS,
    REVIEW_PARTS,
    SAMPLE_BANNER,
    analyst_placeholders,
    recipient_lines,
    review_placeholders,
    write_draft,
)
from nq28_analysis.reports.party import TABLE_STYLE

from .office import convert, need_soffice

HEADINGS = (
    "I. KẾT QUẢ THỰC HIỆN",
    "II. HẠN CHẾ, KHÓ KHĂN, NGUYÊN NHÂN",
    "III. PHƯƠNG HƯỚNG, NHIỆM VỤ, KIẾN NGHỊ",
)
TREND_HEADING = "6. Diễn biến qua các quý"  # in a review's part II
HOSTILE = ("<script>alert(1)</script>", "=1+1")


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def regular(demo_data):
    return demo_data("2024-Q2")


@pytest.fixture(scope="module")
def review(demo_data):
    return demo_data("2024-Q4", "so-ket")


@pytest.fixture(scope="module")
def regular_docx(regular, tmp_path_factory) -> Path:
    return write_draft(regular, tmp_path_factory.mktemp("draft") / "bao-cao.docx")


@pytest.fixture(scope="module")
def review_docx(review, tmp_path_factory) -> Path:
    return write_draft(review, tmp_path_factory.mktemp("draft") / "so-ket.docx")


# --- helpers ----------------------------------------------------------------------------


def _text(paragraph) -> str:
    return paragraph.text.replace("\u00a0", " ")


def _find(document, text: str, startswith: bool = False):
    for paragraph in document.paragraphs:
        said = _text(paragraph)
        if said == text or (startswith and said.startswith(text)):
            return paragraph
    raise AssertionError(f"no paragraph {text!r}")


def _all_text(document) -> str:
    parts = [_text(p) for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _style_chain(style):
    while style is not None:
        yield style.element.rPr
        style = style.base_style


def _effective(document, paragraph, run, tag: str, attribute: str):
    """The value a run shows: its own, its paragraph style's (and bases'), the defaults'."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    layers = [run._r.rPr, *_style_chain(paragraph.style)]
    layers.append(defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")))
    for rpr in layers:
        if rpr is None:
            continue
        element = rpr.find(qn(tag))
        if element is not None and element.get(qn(attribute)) is not None:
            return element.get(qn(attribute))
    return None


def _alignment(paragraph):
    """A paragraph's own alignment, else its style's (or a base style's)."""
    if paragraph.alignment is not None:
        return paragraph.alignment
    style = paragraph.style
    while style is not None and style.paragraph_format.alignment is None:
        style = style.base_style
    return style.paragraph_format.alignment if style is not None else None


def _table_with(document, text: str):
    for table in document.tables:
        if any(text in cell.text for row in table.rows for cell in row.cells):
            return table
    raise AssertionError(f"no table holding {text!r}")


# --- page and type ------------------------------------------------------------------------


def test_page_is_a4_with_party_margins(regular_docx):
    document = Document(regular_docx)
    first = document.sections[0]
    assert first.page_width.mm == pytest.approx(210, abs=0.5)
    assert first.page_height.mm == pytest.approx(297, abs=0.5)
    for section in document.sections:  # the annex is landscape A4
        sides = sorted((section.page_width.mm, section.page_height.mm))
        assert sides == [pytest.approx(210, abs=0.5), pytest.approx(297, abs=0.5)]
        assert 19.5 <= section.top_margin.mm <= 25.5
        assert 19.5 <= section.bottom_margin.mm <= 25.5
        assert 29.5 <= section.left_margin.mm <= 35.5
        assert 14.5 <= section.right_margin.mm <= 20.5


def test_body_is_times_new_roman_13_to_14_pt_justified_and_indented(regular_docx):
    document = Document(regular_docx)
    body = [
        p
        for p in document.paragraphs
        if p.style.name in ("Normal", "Heading 1", "Heading 2") and p.text.strip()
    ]
    assert len(body) > 20
    for paragraph in body:
        for run in paragraph.runs:
            for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                assert _effective(document, paragraph, run, "w:rFonts", script) == FONT, (
                    script,
                    paragraph.text,
                )
            half_points = int(_effective(document, paragraph, run, "w:sz", "w:val"))
            assert 26 <= half_points <= 28, paragraph.text
    normal = document.styles["Normal"].paragraph_format
    assert normal.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert 0.9 <= normal.first_line_indent.cm <= 1.3
    assert 1.15 <= normal.line_spacing <= 1.5
    # No theme font is left to override Times New Roman anywhere.
    styles_xml = document.styles.element.xml
    assert "asciiTheme" not in styles_xml and "eastAsiaTheme" not in styles_xml


# --- header block, title, banner -------------------------------------------------------------


def test_header_block(regular, regular_docx):
    document = Document(regular_docx)
    header = document.tables[0]
    settings = regular.catalog.settings
    (left, right), (number, place) = ([c for c in row.cells] for row in header.rows)
    assert [p.text for p in left.paragraphs] == [
        settings.issuer_parent,
        settings.issuer_name,
        "*",
    ]
    assert left.paragraphs[1].runs[0].bold
    assert right.paragraphs[0].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    party = right.paragraphs[0].runs[0]
    assert party.bold and party.underline
    assert number.text == "Số …-BC/BTCTU"
    assert (
        place.text
        == f"Quảng Ngãi, ngày … tháng … năm {regular.as_of.year}"
        == ("Quảng Ngãi, ngày … tháng … năm 2024")
    )
    assert place.paragraphs[0].runs[0].italic
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_title_and_subject(regular, review, regular_docx, review_docx):
    for data, path, what in (
        (regular, regular_docx, "Kết quả thực hiện"),
        (review, review_docx, "Sơ kết việc thực hiện"),
    ):
        document = Document(path)
        kind = _find(document, "BÁO CÁO")
        assert kind.runs[0].bold
        assert _alignment(kind) == WD_ALIGN_PARAGRAPH.CENTER
        paragraphs = document.paragraphs
        subject = paragraphs[[p._p for p in paragraphs].index(kind._p) + 1]
        expected = data.title.removeprefix("Báo cáo ")
        assert _text(subject) == expected[0].upper() + expected[1:]
        assert _text(subject).startswith(what)
        assert "Chương trình hành động số …-CTr/TU ngày …/…/……" in _text(subject)
        assert _lower(data.period_label) in _text(subject)
        assert all(r.bold for r in subject.runs)
        assert _alignment(subject) == WD_ALIGN_PARAGRAPH.CENTER
        # The program's blank number and date are highlighted for the signer.
        marked = [r.text for r in subject.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
        assert marked == ["…-CTr/TU", "…/…/……"]


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def test_sample_banner_only_for_sample_data(regular, tmp_path):
    document = Document(write_draft(regular, tmp_path / "mau.docx"))
    banner = _find(document, SAMPLE_BANNER)
    assert all(r.bold and r.font.color.rgb == RGBColor(0xC0, 0, 0) for r in banner.runs)
    real = dataclasses.replace(regular, sample=False)
    document = Document(write_draft(real, tmp_path / "that.docx"))
    assert SAMPLE_BANNER not in _all_text(document)


# --- sections -------------------------------------------------------------------------------


def test_three_sections_in_order(regular_docx):
    document = Document(regular_docx)
    found = [_text(p) for p in document.paragraphs if p.style.name == "Heading 1"]
    assert found == list(HEADINGS)
    subsections = [_text(p) for p in document.paragraphs if p.style.name == "Heading 2"]
    assert subsections == [
        "1. Tình hình báo cáo của các đơn vị",
        "2. Kết quả thực hiện nhiệm vụ",
        "3. Đơn vị chậm tiến độ",
        "4. Nhiệm vụ quá hạn",
        "5. Kết quả thực hiện, minh chứng theo từng nhiệm vụ",
    ]


def test_reporting_names_the_units_that_did_not_submit(regular, regular_docx):
    document = Document(regular_docx)
    missing = regular.metrics.missing_units()
    assert missing["unit_name"].tolist() == ["Huyện ủy Minh Long"]
    line = _find(document, "Các đơn vị chưa nộp báo cáo (1): ", startswith=True)
    for name in missing["unit_name"]:
        assert name in line.text
    rates = _find(document, "Trong quý II năm 2024, có 33/34 đơn vị nộp báo cáo", startswith=True)
    assert "đạt 97,1% (không thay đổi so với quý I năm 2024)" in rates.text
    assert "đạt 82,4%" in rates.text


def test_results_rates_changes_and_classification_table(regular, regular_docx):
    document = Document(regular_docx)
    text = _all_text(document)
    s = regular.metrics.summary
    assert f"tỷ lệ hoàn thành {percent(s.completion_rate)}" in text
    # Recurring rate: 117/145 ("Không phát sinh" left out) against 122/145 in quý I.
    assert (s.recurring_reported_pairs, s.recurring_pairs) == (117, 145)
    assert "(giảm 3,4 điểm % so với quý I năm 2024)" in text
    assert f"Còn {s.overdue_count} lượt nhiệm vụ chưa hoàn thành và đã quá hạn" in text
    table = _table_with(document, CLASSIFICATION_LABELS["done_on_time"])
    labels = [row.cells[1].text for row in table.rows[1:-1]]
    assert labels == list(CLASSIFICATION_LABELS.values())
    assert table.rows[-1].cells[2].text == str(s.pairs)
    assert table.rows[1].cells[3].text == percent(63 / 257) == "24,5%"


def test_lagging_units_named_with_score_and_issues(regular, regular_docx):
    document = Document(regular_docx)
    lagging = regular.metrics.units[regular.metrics.units["lagging"]]
    assert set(lagging["unit_name"]) == {
        "Huyện ủy Minh Long",
        "Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
        "Đảng đoàn Hội Nông dân tỉnh",
        "Huyện ủy Sơn Tây",
    }
    for unit in lagging.itertuples():
        line = _find(document, f"- {unit.unit_name} (điểm ", startswith=True)
        assert line.runs[0].bold
    first = _find(document, "- Huyện ủy Minh Long (điểm 64,3;", startswith=True)
    assert "chưa nộp báo cáo; 1 nhiệm vụ quá hạn (III.2.1.1); tỷ lệ hoàn thành 66,7%" in first.text


def test_overdue_table(regular, regular_docx):
    document = Document(regular_docx)
    table = _table_with(document, "Số ngày quá hạn")
    assert [c.text for c in table.rows[0].cells] == [
        "TT",
        "Đơn vị",
        "Nhiệm vụ",
        "Hạn",
        "Số ngày quá hạn",
    ]
    assert len(table.rows) == 1 + 7
    top = table.rows[1].cells
    assert top[1].text == "Thành ủy Quảng Ngãi"
    assert top[2].text.startswith("III.2.1.1. ")
    assert (top[3].text, top[4].text) == ("31/01/2023", "550")
    # The header row repeats on every page.
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_long_overdue_list_goes_to_an_annex(regular, tmp_path):
    metrics = regular.metrics
    late = metrics.table[metrics.table["classification"] == "overdue"]
    bigger = pd.concat([metrics.table, *[late] * 6], ignore_index=True)  # 7 × 7 = 49 pairs
    data = dataclasses.replace(regular, metrics=dataclasses.replace(metrics, table=bigger))
    document = Document(write_draft(data, tmp_path / "dai.docx"))
    body, annex = [t for t in document.tables if "Số ngày quá hạn" in t.rows[0].cells[-1].text]
    assert len(body.rows) == 1 + OVERDUE_ROWS + 1
    assert body.rows[-1].cells[0].text == "… và 19 lượt khác, xem Phụ lục 2."
    assert len(annex.rows) == 1 + 49
    assert "PHỤ LỤC 1" in _all_text(document) and "PHỤ LỤC 2" in _all_text(document)


def test_a_review_has_the_five_parts_of_its_outline(review, review_docx):
    document = Document(review_docx)
    order = [(p.style.name, _text(p)) for p in document.paragraphs]
    parts = [text for style, text in order if style == "Heading 1"]
    assert parts == list(REVIEW_PARTS)
    # Each part's sub-headings, numbered in it.
    subs, current = {}, None
    for style, text in order:
        if style == "Heading 1":
            current = text
        elif style == "Heading 2":
            subs.setdefault(current, []).append(text)
    assert subs == {
        REVIEW_PARTS[0]: [
            "1. Cụ thể hóa, ban hành chương trình, kế hoạch thực hiện",
            "2. Tình hình báo cáo của các đơn vị",
        ],
        REVIEW_PARTS[1]: [
            "1. Kết quả thực hiện nhiệm vụ",
            "2. Kết quả theo từng mục của Chương trình",
            "3. Kết quả thực hiện, minh chứng theo từng nhiệm vụ",
            "4. Đơn vị chậm tiến độ",
            "5. Nhiệm vụ quá hạn",
            TREND_HEADING,
        ],
        REVIEW_PARTS[2]: [
            "1. Ưu điểm",
            "2. Hạn chế, khó khăn",
            "3. Nguyên nhân",
            "4. Bài học kinh nghiệm",
        ],
    }
    # Where the Board judges: a highlighted placeholder in its part, never prose.
    holes = review_placeholders(review.catalog.settings.issuer_in_text)
    texts = [text for _, text in order]
    where = {
        "deployment": 0,
        "strengths": 2,
        "weaknesses": 2,
        "causes": 2,
        "lessons": 2,
        "directions": 3,
        "proposals": 4,
    }
    starts = [texts.index(part) for part in REVIEW_PARTS] + [len(texts)]
    for key, part in where.items():
        (paragraph,) = [p for p in document.paragraphs if p.text == holes[key]]
        at = texts.index(holes[key])
        assert starts[part] < at < starts[part + 1], key
        assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in paragraph.runs)
    # Part I's figures: each unit's own plan (the program's section IV), from the pairs.
    plans = review.metrics.table
    plans = plans[(plans["section"] == "IV") & plans["due"]]
    done = int(plans["classification"].isin(("done_on_time", "done_late")).sum())
    (line,) = [t for t in texts[starts[0] : starts[1]] if t.startswith("IV.2. ")]
    assert f"{done}/{len(plans)} đơn vị đã hoàn thành" in line
    # Part II's table by section of the program, in the program's order.
    table = _table_with(document, "Mục của Chương trình")
    sections = [row.cells[0].text for row in table.rows[1:]]
    assert sections[0].startswith("III.1. ") and sections[-1] == "IV. Tổ chức thực hiện"
    assert sum(int(row.cells[1].text) for row in table.rows[1:]) == review.metrics.summary.due_pairs
    # Part IV says what remains, part V quotes the units' proposals.
    overdue = review.metrics.summary.classification_counts["overdue"]
    assert any(
        t.startswith("Tính đến ngày") and f"còn {overdue} lượt nhiệm vụ quá hạn" in t
        for t in texts[starts[3] : starts[4]]
    )
    said = "Đề xuất, kiến nghị các đơn vị nêu trong báo cáo (trích nguyên văn):"
    assert said in texts[starts[4] :]


def test_a_review_says_from_when_to_when(review_docx):
    document = Document(review_docx)
    _find(document, "Từ quý IV năm 2022 đến quý IV năm 2024, có ", startswith=True)
    assert "Trong từ" not in _all_text(document)


def test_trend_section_only_for_a_review(regular_docx, review, review_docx):
    assert TREND_HEADING not in _all_text(Document(regular_docx))
    document = Document(review_docx)
    _find(document, TREND_HEADING)
    table = _table_with(document, "Quý IV năm 2022")
    assert len(table.rows) == 1 + len(review.trend) == 10
    assert [c.text for c in table.rows[1].cells] == [
        "Quý IV năm 2022",
        "94,1%",
        "82,4%",
        "100%",
        "100%",
        "83,3%",  # recurring, the "Không phát sinh" left out
        "0",
        "13",  # completed in the quarter: the provincial level of III.2.1.1 and others
        "0",  # nothing fell due in it and stayed undone
    ]
    everyone = _find(document, "Các đơn vị nộp báo cáo đầy đủ tất cả các quý", startswith=True)
    assert f"({len(review.consistent)})" in everyone.text
    assert "Ban Tổ chức Tỉnh ủy" in everyone.text
    # A review quotes the units with the quarters they said it in.
    quoted = _find(document, "- Ban Tổ chức Tỉnh ủy: “", startswith=True)
    assert "quý IV/2022" in quoted.text


def test_a_final_review_is_titled_so(review, tmp_path):
    final = dataclasses.replace(review, kind="tong-ket")
    document = Document(write_draft(final, tmp_path / "tong-ket.docx"))
    assert any(_text(p).startswith("Tổng kết việc thực hiện") for p in document.paragraphs)
    _find(document, TREND_HEADING)


def test_first_period_has_no_comparison(demo_data, tmp_path):
    first = demo_data("2022-Q4")
    assert first.metrics.previous is None
    document = Document(write_draft(first, tmp_path / "dau.docx"))
    assert "so với" not in _all_text(document)
    _find(document, HEADINGS[2])


# --- the units' words, placeholders, signature ---------------------------------------------------


def test_difficulties_and_proposals_quoted_per_unit_in_italics(regular, regular_docx):
    document = Document(regular_docx)
    line = _find(document, "- Ban Tuyên giáo Tỉnh ủy: “", startswith=True)
    assert line.runs[0].bold
    italic = [r.text for r in line.runs if r.italic]
    assert "Chưa có hướng dẫn cụ thể của cấp trên." in italic
    assert "(nhiệm vụ III.2.1.3)" in line.text and "(nhiệm vụ IV.2)" in line.text
    units_with_words = regular.texts[regular.texts["difficulties"] != ""]["unit_name"].unique()
    for name in units_with_words:
        _find(document, f"- {name}: “", startswith=True)


def test_placeholders_are_highlighted(regular, regular_docx):
    document = Document(regular_docx)
    placeholders = analyst_placeholders(regular.catalog.settings)
    for text in placeholders:
        paragraph = _find(document, text)
        assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in paragraph.runs)
    order = [_text(p) for p in document.paragraphs]
    assessment = order.index(placeholders[0])
    assert order.index(HEADINGS[1]) < assessment < order.index(HEADINGS[2])
    assert order.index(HEADINGS[2]) < order.index(placeholders[1])


def test_the_draft_is_marked_on_its_first_page(regular_docx):
    document = Document(regular_docx)
    first = document.paragraphs[0]
    assert first.text.strip() == "DỰ THẢO"
    (mark,) = [r for r in first.runs if r.text.strip()]
    assert mark.bold and mark._r.rPr.find(qn("w:bdr")) is not None  # in a box
    body = document.element.body
    assert body.index(first._p) < body.index(document.tables[0]._tbl)  # above the header
    assert [p.text.strip() for p in document.paragraphs].count("DỰ THẢO") == 1


def test_signature_block(regular, regular_docx):
    document = Document(regular_docx)
    table = _table_with(document, "Nơi nhận:")
    left, right = table.rows[0].cells
    heading = left.paragraphs[0]
    assert heading.text == "Nơi nhận:"
    # Hướng dẫn 36-HD/VPTW, appendix 3: «Nơi nhận» 14 pt upright, underlined;
    # the recipients 12 pt upright.
    (word,) = heading.runs
    assert word.underline and not word.bold and not word.italic
    assert word.font.size is None  # the block style's 14 pt
    lines = left.paragraphs[1:]
    assert [p.text for p in lines] == list(recipient_lines(regular.catalog.settings.board))
    assert all(r.font.size.pt == 12 and not r.italic for p in lines for r in p.runs)
    signer = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signer] == ["TRƯỞNG BAN", "[Họ và tên]"]
    assert all(p.runs[0].bold for p in signer)
    assert signer[-1].runs[0].font.highlight_color == WD_COLOR_INDEX.YELLOW
    assert len(right.paragraphs) >= len(signer) + 3  # room to sign
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_page_number_field_top_centre_from_page_two(regular_docx):
    document = Document(regular_docx)
    first = document.sections[0]
    assert first.different_first_page_header_footer
    header = first.header._element.xml
    assert "PAGE" in header and 'w:fldCharType="begin"' in header
    assert _alignment(first.header.paragraphs[0]) == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in first.first_page_header._element.xml
    annex = document.sections[-1]
    assert annex.header.is_linked_to_previous and not annex.different_first_page_header_footer


# --- annex, numbers ----------------------------------------------------------------------------


def test_annex_table_in_rank_order_with_vietnamese_rates(regular, regular_docx):
    document = Document(regular_docx)
    annex = document.sections[-1]
    assert annex.page_width > annex.page_height  # landscape
    assert "PHỤ LỤC" in _all_text(document)
    table = _table_with(document, "Tỷ lệ thường xuyên có kết quả")
    units = regular.metrics.units
    assert [c.text for c in table.rows[0].cells][:2] == ["Hạng", "Đơn vị"]
    assert len(table.rows) == 1 + len(units)
    for row, unit in zip(table.rows[1:], units.itertuples(), strict=True):
        cells = [c.text for c in row.cells]
        assert cells[0] == str(unit.lag_rank)
        assert cells[1] == unit.unit_name
        assert cells[3:6] == [
            percent(unit.completion_rate),
            percent(unit.on_time_rate),
            percent(unit.recurring_rate),
        ]
        assert row.cells[1].paragraphs[0].runs[0].bold == (True if unit.lagging else None)
    texts = [c.text for row in table.rows for c in row.cells]
    assert NO_DATA in texts  # an undefined rate is not 0%
    assert "80,7%" in _all_text(document) and "." not in percent(0.807)  # 117/145
    assert "10/07/2024" in _all_text(document)


def test_every_cell_of_the_bordered_tables_is_in_the_table_style(regular_docx):
    # The table style is looked up once per table (fast at ~130 units, §13):
    # every paragraph of every cell of every bordered table still carries it.
    document = Document(regular_docx)
    bordered = [t for t in document.tables if t.style is not None and t.style.name == "Table Grid"]
    assert len(bordered) >= 3  # classification, overdue and the annex's ranking at least
    for table in bordered:
        for row in table.rows:
            for cell in row.cells:
                assert [p.style.name for p in cell.paragraphs] == [TABLE_STYLE] * len(
                    cell.paragraphs
                ), cell.text


# --- safety and determinism -------------------------------------------------------------------


def test_hostile_text_appears_verbatim(regular, tmp_path):
    texts = regular.texts.copy()
    extra = texts.iloc[[0]].copy()
    extra["difficulties"] = HOSTILE[0] + "\x00\x0b"  # control characters are dropped
    extra["proposals"] = HOSTILE[1]
    data = dataclasses.replace(regular, texts=pd.concat([texts, extra], ignore_index=True))
    path = write_draft(data, tmp_path / "doc-hai.docx")
    document = Document(path)
    text = _all_text(document)
    assert f"“{HOSTILE[0]}”" in text
    assert f"“{HOSTILE[1]}”" in text
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "<script>" not in xml


def test_no_words_from_the_units(regular, tmp_path):
    data = dataclasses.replace(regular, texts=regular.texts.iloc[0:0])
    document = Document(write_draft(data, tmp_path / "im-lang.docx"))
    _find(document, "Các đơn vị không nêu khó khăn, vướng mắc trong kỳ.")
    _find(document, "Các đơn vị không có đề xuất, kiến nghị trong kỳ.")
    for text in analyst_placeholders(regular.catalog.settings):
        _find(document, text)


def test_same_data_same_bytes(regular, tmp_path):
    first = write_draft(regular, tmp_path / "a" / "bao-cao.docx")
    second = write_draft(regular, tmp_path / "b" / "bao-cao.docx")
    assert first.read_bytes() == second.read_bytes()
    as_of = regular.as_of
    with zipfile.ZipFile(first) as package:
        stamps = {info.date_time for info in package.infolist()}
    assert stamps == {(as_of.year, as_of.month, as_of.day, 0, 0, 0)}
    properties = Document(first).core_properties
    assert properties.created.date() == properties.modified.date() == as_of == date(2024, 8, 3)
    assert properties.author == regular.catalog.settings.issuer_name
    assert not [p for p in first.parent.iterdir() if p.name != "bao-cao.docx"]  # no temp left


# --- rendered by a real office program ------------------------------------------------------------


def _need_writer() -> str:
    exe = need_soffice()
    program = Path(os.path.realpath(exe)).parent
    if not list(program.glob("libswlo.*")):
        pytest.skip(
            "LibreOffice Writer is not installed (only "
            f"{', '.join(sorted(p.name for p in program.glob('lib*calc*'))) or 'other parts'}): "
            "install libreoffice-writer-nogui to render the Word draft"
        )
    for tool in ("pdfinfo", "pdftotext"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} (poppler-utils) is not installed: cannot read the rendered PDF")
    return exe


def test_renders_in_libreoffice(review, tmp_path):
    _need_writer()
    docx = write_draft(review, tmp_path / "so-ket.docx")
    (pdf,) = convert([docx], "pdf", tmp_path / "pdf")
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    # "Page    1 size: 595.276 x 841.89 pts (A4)"
    pages = [
        tuple(round(float(x)) for x in line.split(":", 1)[1].split("pts")[0].split(" x "))
        for line in info.splitlines()
        if line.startswith("Page") and " size:" in line
    ]
    assert len(pages) > 5
    assert pages[0] == (595, 842)  # A4 portrait
    assert pages[-1] == (842, 595)  # the annex, landscape
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("ĐẢNG CỘNG SẢN VIỆT NAM", "BÁO CÁO", *REVIEW_PARTS, "TRƯỞNG BAN", "PHỤ LỤC"):
        assert expected in text, expected
    first_page = text.split("\f")[0]
    assert SAMPLE_BANNER in first_page
    assert first_page.lstrip().startswith("DỰ THẢO")  # the draft's mark, top of page one
    assert "DỰ THẢO" not in text.split("\f", 1)[1]
    second_page = text.split("\f")[1]
    assert second_page.strip().startswith("2")  # the page number, top centre
