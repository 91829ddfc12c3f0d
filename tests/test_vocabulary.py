"""The HTML page, the Excel annex and the Word draft say the same facts in the
same words: those of ``nq28_analysis.reports.present``."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from nq28_analysis.reference.catalog import load_catalog
from nq28_analysis.reports import present
from nq28_analysis.reports.annex import REPORTING_SHEET, TREND_SHEET, UNITS_SHEET, write_annex
from nq28_analysis.reports.data import gather
from nq28_analysis.reports.draft import write_draft
from nq28_analysis.reports.html import ReportView


def _documents(root: Path, out: Path, period: str, kind: str | None = None):
    catalog = load_catalog(root / "data" / "demo" / "reference")
    demo = root / "data" / "demo"
    data = gather(catalog, demo / "raw", out / "processed", period, kind)
    view = ReportView(data)
    page = "".join(
        html.unescape(getattr(view, name)().data) for name in ("title", "ranking", "trend_table")
    )
    book = load_workbook(write_annex(data, out / "phu-luc.xlsx"))
    cells = {
        name: [str(c.value) for row in book[name].iter_rows() for c in row if c.value is not None]
        for name in book.sheetnames
    }
    document = Document(write_draft(data, out / "du-thao.docx"))
    text = [p.text for p in document.paragraphs] + [
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    ]
    return data, page, cells, text


@pytest.fixture(scope="module")
def quarter(demo, tmp_path_factory):
    return _documents(demo, tmp_path_factory.mktemp("vocabulary-quarter"), "2024-Q2")


@pytest.fixture(scope="module")
def review(demo, tmp_path_factory):
    return _documents(demo, tmp_path_factory.mktemp("vocabulary-review"), "2024-Q4", "so-ket")


def test_submission_words_are_the_same_in_every_document(quarter):
    data, page, cells, text = quarter
    words = present.ranking(data.metrics).column("submission")
    late = [w for w in words if w.startswith(present.SUBMISSION_WORDS["late"])]
    missing = [w for w in words if w == present.SUBMISSION_WORDS["missing"]]
    assert late and missing, words  # the demo has both kinds of unit
    for said in (late[0], missing[0]):
        assert said in page
        assert said in cells[UNITS_SHEET]
        assert said in text
    assert late[0] in cells[REPORTING_SHEET]
    # The words of the first round, retired.
    everything = "\n".join([page, *text, *(v for sheet in cells.values() for v in sheet)])
    for retired in ("muộn", "Sau thời hạn", "Không (trễ", "Chưa gửi", "Gửi báo cáo"):
        assert retired not in everything, retired


def test_ranking_labels_and_values_agree(quarter):
    data, page, cells, text = quarter
    section = present.ranking(data.metrics)
    for key in ("rank", "unit", "submission", "completion_rate", "on_time_rate"):
        label = next(c.label for c in section.columns if c.key == key)
        assert label in page and label in cells[UNITS_SHEET] and label in text, label
    # The same unit on the same rank in all three.
    first = section.rows[0]
    shown = section.frame(("rank", "unit", "completion_rate")).iloc[0].tolist()
    assert shown[0] == "1" and shown[1] == first[1]
    assert first[1] in page and first[1] in cells[UNITS_SHEET] and first[1] in text
    assert present.lag_formula() in page and present.lag_formula() in cells[UNITS_SHEET]


def test_sample_banner_is_one_line_everywhere(quarter):
    data, page, cells, text = quarter
    assert data.sample
    assert present.SAMPLE_BANNER in page
    assert all(present.SAMPLE_BANNER in sheet for sheet in cells.values())
    assert present.SAMPLE_BANNER in text


def test_trend_labels_are_the_rate_labels(review):
    data, page, cells, text = review
    for label in present.RATE_LABELS.values():
        assert label in cells[TREND_SHEET], label
    for key in ("reporting_rate", "completion_rate", "recurring_rate"):
        label = present.RATE_LABELS[key]
        assert label in page and label in text, label
    first = data.trend.iloc[0]["period_label"]
    assert first in page and first in cells[TREND_SHEET] and first in text


def test_annex_and_draft_do_not_load_plotly():
    """Colours and words come from present.py, not from the chart builders."""
    import subprocess
    import sys

    code = (
        "import sys, nq28_analysis.reports.annex, nq28_analysis.reports.draft, "
        "nq28_analysis.reports.present; print('plotly' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
