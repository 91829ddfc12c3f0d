"""The organisation's words (issuer, code, place, recipients, signer) come from
settings.csv: today's values give today's words, other values other words."""

import dataclasses
import shutil

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from openpyxl import load_workbook

from nq28_analysis.common.errors import ReferenceDataError
from nq28_analysis.common.problems import Problem
from nq28_analysis.ingest.feedback import write_feedback
from nq28_analysis.ingest.validate import FileResult
from nq28_analysis.reference.catalog import load_catalog
from nq28_analysis.reports.data import gather
from nq28_analysis.reports.draft import analyst_placeholders, recipient_lines, write_draft

from .helpers import REFERENCE, edit_csv

#: Another Board's words, in place of each of today's settings.
ELSEWHERE = {
    "issuer_parent,TỈNH ỦY QUẢNG NGÃI": "issuer_parent,THÀNH ỦY ĐÀ NẴNG",
    "issuer_name,BAN TỔ CHỨC,": "issuer_name,BAN TUYÊN GIÁO,",
    "issuer_in_text,Ban Tổ chức Tỉnh ủy": "issuer_in_text,Ban Tuyên giáo Thành ủy",
    "issuer_code,BTCTU": "issuer_code,BTGTU",
    "place,Quảng Ngãi": "place,Đà Nẵng",
    "recipients,Thường trực Tỉnh ủy (b/c); Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy; "
    "Lưu Ban Tổ chức Tỉnh ủy": 'recipients,"Thường trực Thành ủy (b/c); Lưu Văn phòng, Ban"',
    "signer_titles,TRƯỞNG BAN,": "signer_titles,K/T TRƯỞNG BAN; PHÓ TRƯỞNG BAN,",
    "program_issuer,Tỉnh ủy": "program_issuer,Thành ủy",
    "program_issuer_code,TU": "program_issuer_code,ThU",
    "committee_name,TỈNH ỦY QUẢNG NGÃI": "committee_name,THÀNH ỦY ĐÀ NẴNG",
    "committee_in_text,Ban Thường vụ Tỉnh ủy": "committee_in_text,Ban Thường vụ Thành ủy",
    "committee_code,TU": "committee_code,ThU",
    "committee_signer_titles,T/M BAN THƯỜNG VỤ; BÍ THƯ": (
        "committee_signer_titles,T/M BAN THƯỜNG VỤ; PHÓ BÍ THƯ"
    ),
    'committee_recipients,"Ban Bí thư (b/c); Ban Tổ chức Trung ương (b/c); Các đồng chí Tỉnh ủy '
    'viên; Các ban đảng, đảng ủy trực thuộc Tỉnh ủy; Lưu Văn phòng Tỉnh ủy"': (
        "committee_recipients,Ban Bí thư (b/c); Lưu Văn phòng Thành ủy"
    ),
}


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    """The shipped catalogue with every organisation setting changed."""
    folder = tmp_path_factory.mktemp("elsewhere") / "reference"
    shutil.copytree(REFERENCE, folder)
    for old, new in ELSEWHERE.items():
        edit_csv(folder / "settings.csv", old, new)
    return load_catalog(folder)


@pytest.fixture(scope="module")
def regular(demo):
    data = demo / "data"
    return gather(
        load_catalog(data / "demo" / "reference"),
        data / "demo" / "raw",
        data / "demo" / "processed",
        "2024-Q2",
        sample=True,
    )


def test_todays_settings_hold_todays_words(catalog):
    settings = catalog.settings
    # Hướng dẫn 36-HD/VPTW: a board's direct superior, then the board.
    assert (settings.issuer_parent, settings.issuer_name) == ("TỈNH ỦY QUẢNG NGÃI", "BAN TỔ CHỨC")
    assert (settings.issuer_in_text, settings.issuer_code) == ("Ban Tổ chức Tỉnh ủy", "BTCTU")
    assert (settings.place, settings.program_issuer) == ("Quảng Ngãi", "Tỉnh ủy")
    assert recipient_lines(settings.board) == (
        "- Thường trực Tỉnh ủy (b/c),",
        "- Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy,",
        "- Lưu Ban Tổ chức Tỉnh ủy.",
    )
    assert settings.signer_titles == ("TRƯỞNG BAN",)
    # A review the Standing Committee issues: one header line, BC/TU, its signature.
    committee = settings.committee
    assert (committee.parent, committee.name, committee.code) == ("", "TỈNH ỦY QUẢNG NGÃI", "TU")
    assert committee.signer_titles == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    assert settings.review_issued_by == "ban" and settings.issuer_of("tong-ket") == settings.board
    assert analyst_placeholders(settings) == (
        "[Nhận định của Ban Tổ chức Tỉnh ủy: …]",
        "[Phương hướng, nhiệm vụ thời gian tới: …]",
        "[Kiến nghị, đề xuất: …]",
    )
    assert settings.program_number_text == "…-CTr/TU"
    assert settings.program_citation == (
        "Chương trình hành động số …-CTr/TU ngày …/…/…… của Tỉnh ủy "
        "thực hiện Nghị quyết số 28-NQ/TW"
    )
    assert not [p for p in catalog.warnings if p.code.endswith("-setting")]


def test_empty_settings_are_blanks_to_fill_in(catalog):
    empty = dataclasses.replace(
        catalog.settings,
        recipients=(),
        issuer_in_text="",
        program_issuer="",
        program_issuer_code="",
    )
    assert recipient_lines(empty.board) == ("- ….",)
    assert analyst_placeholders(empty)[0] == "[Nhận định của …: …]"
    assert empty.program_citation == (
        "Chương trình hành động số …-CTr/… ngày …/…/…… của … thực hiện Nghị quyết số 28-NQ/TW"
    )


def test_a_missing_organisation_setting_is_a_warning(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    edit_csv(folder / "settings.csv", "issuer_code,BTCTU,", "issuer_code,,")
    text = (folder / "settings.csv").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("signer_titles,")]
    (folder / "settings.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    catalog = load_catalog(folder)
    found = [
        (p.code, p.row, p.message) for p in catalog.warnings if p.code == "ref-missing-setting"
    ]
    assert found == [
        (
            "ref-missing-setting",
            7,
            "Thiết lập «issuer_code» chưa có giá trị: văn bản sẽ ghi «…» ở chỗ đó.",
        ),
        (
            "ref-missing-setting",
            None,
            "Thiết lập «signer_titles» chưa có giá trị: văn bản sẽ ghi «…» ở chỗ đó.",
        ),
    ]
    assert catalog.settings.signer_titles == () and catalog.settings.issuer_code == ""


def test_the_draft_says_what_the_settings_say(regular, elsewhere, tmp_path):
    data = dataclasses.replace(regular, catalog=elsewhere)
    document = Document(write_draft(data, tmp_path / "da-nang.docx"))
    (left, right), (number, place) = ([c for c in row.cells] for row in document.tables[0].rows)
    assert [p.text for p in left.paragraphs] == ["THÀNH ỦY ĐÀ NẴNG", "BAN TUYÊN GIÁO", "*"]
    assert number.text == "Số …-BC/BTGTU"
    assert place.text == "Đà Nẵng, ngày … tháng … năm 2024"

    citation = "Chương trình hành động số …-CTr/ThU ngày …/…/…… của Thành ủy thực hiện"
    (opening,) = [
        p.text for p in document.paragraphs if "Ban Tuyên giáo Thành ủy báo cáo" in p.text
    ]
    assert citation in opening and "Tổ chức" not in opening

    assessment = analyst_placeholders(elsewhere.settings)[0]
    assert assessment == "[Nhận định của Ban Tuyên giáo Thành ủy: …]"
    (found,) = [p for p in document.paragraphs if p.text == assessment]
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in found.runs)

    (signature,) = [t for t in document.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:"]
    left, right = signature.rows[0].cells
    assert [p.text for p in left.paragraphs[1:]] == [
        "- Thường trực Thành ủy (b/c),",
        "- Lưu Văn phòng, Ban.",
    ]
    assert [p.text for p in right.paragraphs if p.text] == [
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "[Họ và tên]",
    ]
    annex = [p.text for p in document.paragraphs if p.text.startswith("(Kèm theo")]
    assert annex and set(annex) == {
        "(Kèm theo Báo cáo số …-BC/BTGTU ngày …/…/…… của Ban Tuyên giáo Thành ủy)"
    }
    # Unit names and task texts name the province too; these words are only ever settings'.
    everything = "\n".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )
    for word in ("BTCTU", "BAN TỔ CHỨC", "TỈNH ỦY", "QUẢNG NGÃI", "CTr/TU", "của Tỉnh ủy thực"):
        assert word not in everything, word
    assert document.core_properties.author == "BAN TUYÊN GIÁO"


def _words(document) -> tuple[list[str], str, list[str], list[str], str]:
    """The draft's issuer lines, number, recipients, signature lines and opening."""
    (left, _), (number, _) = ([c for c in row.cells] for row in document.tables[0].rows)
    (signature,) = [t for t in document.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:"]
    sent, signed = signature.rows[0].cells
    (opening,) = [p.text for p in document.paragraphs if p.text.startswith("Trên cơ sở báo cáo")]
    return (
        [p.text for p in left.paragraphs],
        number.text,
        [p.text for p in sent.paragraphs[1:]],
        [p.text for p in signed.paragraphs if p.text],
        opening,
    )


@pytest.mark.parametrize("where", ["today", "elsewhere"])
def test_a_review_the_standing_committee_issues_has_its_words(
    regular, catalog, elsewhere, where, tmp_path
):
    chosen = catalog if where == "today" else elsewhere
    settings = dataclasses.replace(chosen.settings, review_issued_by="thuong-vu")
    review = dataclasses.replace(
        regular, catalog=dataclasses.replace(chosen, settings=settings), kind="so-ket"
    )
    issuer, number, sent, signed, opening = _words(
        Document(write_draft(review, tmp_path / "so-ket.docx"))
    )
    if where == "today":
        assert issuer == ["TỈNH ỦY QUẢNG NGÃI", "*"]  # directly under the Central Committee
        assert number == "Số …-BC/TU"
        assert signed == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ", "[Họ và tên]"]
        assert sent[0] == "- Ban Bí thư (b/c)," and sent[-1] == "- Lưu Văn phòng Tỉnh ủy."
        assert opening.count("Ban Thường vụ Tỉnh ủy báo cáo sơ kết") == 1
    else:
        assert issuer == ["THÀNH ỦY ĐÀ NẴNG", "*"]
        assert number == "Số …-BC/ThU"
        assert signed == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "[Họ và tên]"]
        assert sent == ["- Ban Bí thư (b/c),", "- Lưu Văn phòng Thành ủy."]
        assert "Ban Thường vụ Thành ủy báo cáo sơ kết" in opening
    words = "\n".join([*issuer, number, *sent, *signed, opening])
    for old in ("BAN TỔ CHỨC", "BTCTU", "TRƯỞNG BAN", "Ban Tổ chức Tỉnh ủy báo cáo"):
        assert old not in words, old
    # The quarterly report stays the Board's, whoever issues reviews.
    quarterly = dataclasses.replace(review, kind=None)
    issuer, number, *_ = _words(Document(write_draft(quarterly, tmp_path / "quy.docx")))
    assert number == ("Số …-BC/BTCTU" if where == "today" else "Số …-BC/BTGTU")


def test_a_bad_review_issuer_is_an_error_at_its_cell(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(REFERENCE, folder)
    edit_csv(folder / "settings.csv", "review_issued_by,ban,", "review_issued_by,tỉnh ủy,")
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.column, problem.code) == (
        "settings.csv",
        "value",
        "ref-bad-setting",
    )
    assert "«tỉnh ủy» không phải «ban»" in problem.message


@pytest.mark.parametrize(
    ("which", "title", "author"),
    [
        ("today", "GÓP Ý VỀ BÁO CÁO GỬI BAN TỔ CHỨC TỈNH ỦY", "Ban Tổ chức Tỉnh ủy"),
        ("elsewhere", "GÓP Ý VỀ BÁO CÁO GỬI BAN TUYÊN GIÁO THÀNH ỦY", "Ban Tuyên giáo Thành ủy"),
    ],
)
def test_feedback_names_the_board_of_the_settings(
    which, title, author, catalog, elsewhere, tmp_path
):
    settings = (catalog if which == "today" else elsewhere).settings
    result = FileResult(
        "2024-Q2/huyen-uy-ba-to.xlsx",
        problems=[Problem("huyen-uy-ba-to.xlsx", "status-empty", "Chưa chọn.", cell="B2")],
        grid=[["STT", "Tình trạng"], [1, ""]],
    )
    book = load_workbook(write_feedback(result, tmp_path, settings))
    assert book["Góp ý"]["A1"].value == title
    comment = book["Bản đánh dấu"]["B2"].comment
    assert comment.author == author and comment.text == "[status-empty] Chưa chọn."
