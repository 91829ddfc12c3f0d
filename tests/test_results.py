"""The units' results by section and task, and the comparison within a kind of unit,
in the three documents of ``nq28 report`` (issue #11, items 1 and 4).

One report of a copy of the demo's 2024-Q2, in which one workbook (Huyện ủy Ba Tơ's)
says something no other does: a distinctive result and evidence on one task, a
``<script>`` result on another and a ``=HYPERLINK(…)`` result on a third. The test
finds each where it belongs, attributed to its unit, task and quarter, and inert.
"""

from __future__ import annotations

import html
import re
import shutil
import zipfile

import pytest
from docx import Document
from openpyxl import load_workbook

from nq28_analysis.forms.layout import FIELD_LABELS, TASK_SHEET
from nq28_analysis.reference.catalog import UNIT_KINDS
from nq28_analysis.reports import present
from nq28_analysis.reports.annex import KIND_RANKING_SHEET, KINDS_SHEET, RESULTS_SHEET

from .helpers import CHROMIUM, browser_dom, run

UNIT, UNIT_NAME, PERIOD = "huyen-uy-ba-to", "Huyện ủy Ba Tơ", "2024-Q2"
RESULT = "Kết quả riêng Ba Tơ: 17 chi bộ sáp nhập, đề án Zφ-2024 đã trình"
EVIDENCE = "Quyết định số 4711-QĐ/HU ngày 05/6/2024 (minh chứng riêng Ba Tơ)"
SCRIPT = "<script>alert('kq')</script> đã triển khai"
FORMULA = '=HYPERLINK("http://x.invalid","bấm vào")'


def _edit(path, catalog) -> dict[str, str]:
    """Write the distinctive and hostile texts into the first three answered task
    rows of the unit's workbook; return which task got which text."""
    book = load_workbook(path)
    sheet = book[TASK_SHEET]
    rows = [list(r) for r in sheet.iter_rows()]
    header = next(i for i, r in enumerate(rows) if r[0].value == FIELD_LABELS["stt"])
    where = {c.value: j for j, c in enumerate(rows[header])}
    column = {field: where[label] for field, label in FIELD_LABELS.items() if label in where}
    answered = [
        r
        for r in rows[header + 1 :]
        if str(r[column["task_id"]].value) in catalog.tasks and r[column["status"]].value
    ]
    chosen = {}
    for row, (result, evidence) in zip(
        answered, ((RESULT, EVIDENCE), (SCRIPT, ""), (FORMULA, "")), strict=False
    ):
        row[column["result"]].value = result
        row[column["result"]].data_type = "s"  # typed text, as a unit's Excel keeps "=…"
        row[column["evidence"]].value = evidence or None
        chosen[result] = str(row[column["task_id"]].value)
    book.save(path)
    return chosen


@pytest.fixture(scope="module")
def rendered(demo, catalog, tmp_path_factory):
    """The demo copied, one workbook edited, then ``nq28 report`` in a real process."""
    root = tmp_path_factory.mktemp("ket-qua")
    shutil.copytree(demo / "data" / "reference", root / "data" / "reference")
    shutil.copytree(demo / "notebooks", root / "notebooks")
    shutil.copytree(demo / "data" / "demo" / "raw", root / "raw")
    tasks = _edit(root / "raw" / PERIOD / f"{UNIT}_{PERIOD}.xlsx", catalog)
    assert len(tasks) == 3
    out = root / "out"
    done = run(
        "--data-dir",
        str(root),
        "report",
        "--period",
        PERIOD,
        "--raw",
        str(root / "raw"),
        "--processed",
        str(root / "processed"),
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out, tasks


def _shown(text: str) -> str:
    """Text as the exported page holds it: ``<``, ``>`` and ``&`` escaped (the
    notebook's HTML is re-serialised on export, which writes quotes bare)."""
    return html.escape(text, quote=False)


def _section(catalog, task_id: str) -> str:
    """The heading the task's program section has in every document."""
    from nq28_analysis.reference.source import SOURCE_NAME, section_titles

    section = catalog.task(task_id).section
    return present.section_words(section, section_titles(catalog.folder / SOURCE_NAME)[section])


# --- results and evidence by task ------------------------------------------------------


def test_a_result_is_in_the_html_under_its_section_and_task(rendered, catalog):
    out, tasks = rendered
    page = (out / f"bao-cao-{PERIOD}.html").read_text(encoding="utf-8")
    task = tasks[RESULT]
    block = next(b for b in page.split('<details class="task"')[1:] if _shown(RESULT) in b)
    assert re.search(rf"<summary><b>{re.escape(task)}</b>", block)
    row = next(r for r in block.split("<tr>") if _shown(RESULT) in r)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells[:2] == ["Quý II năm 2024", UNIT_NAME]
    assert _shown(EVIDENCE) in cells
    before = page[: page.index(_shown(RESULT))]
    assert before.rsplit("<h3>", 1)[1].startswith(_shown(_section(catalog, task)))
    # The section is after the numbered heading of its own.
    assert before.index("Kết quả thực hiện, minh chứng theo nhiệm vụ") < len(before)


def test_hostile_results_stay_text_in_the_html(rendered):
    out, _ = rendered
    page = (out / f"bao-cao-{PERIOD}.html").read_text(encoding="utf-8")
    assert SCRIPT not in page and _shown(SCRIPT) in page
    assert f"<td>{_shown(FORMULA)}</td>" in page  # a cell's text, not a link
    assert 'href="http://x.invalid' not in page


def test_a_result_is_one_row_of_the_annex_with_its_unit_task_and_quarter(rendered, catalog):
    out, tasks = rendered
    path = out / f"bao-cao-{PERIOD}-phu-luc.xlsx"
    sheet = load_workbook(path)[RESULTS_SHEET]
    rows = [list(r) for r in sheet.iter_rows()]
    top = next(i for i, r in enumerate(rows) if r[0].value == "Mục")
    header = [c.value for c in rows[top]]
    assert header == [c.label for c in present.RESULT_COLUMNS]
    said = [dict(zip(header, (c.value for c in r), strict=True)) for r in rows[top + 1 :]]
    mine = [r for r in said if r["Kết quả thực hiện"] == RESULT]
    assert len(mine) == 1
    assert mine[0]["Đơn vị"] == UNIT_NAME and mine[0]["Kỳ"] == "Quý II năm 2024"
    assert mine[0]["Mã nhiệm vụ"] == tasks[RESULT]
    assert mine[0]["Văn bản, minh chứng"] == EVIDENCE
    assert mine[0]["Mục"] == _section(catalog, tasks[RESULT])
    # Hostile results: string cells holding the text as written, no formula, no link.
    cells = {c.value: c for r in rows for c in r if c.value in (SCRIPT, FORMULA)}
    assert set(cells) == {SCRIPT, FORMULA}
    assert all(c.data_type == "s" and c.hyperlink is None for c in cells.values())
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            body = package.read(name).decode("utf-8", "replace")
            assert "<f>" not in body and "<f " not in body, name


def test_a_result_is_quoted_in_the_draft_under_its_section_with_its_source(rendered, catalog):
    out, tasks = rendered
    path = out / f"bao-cao-{PERIOD}-du-thao.docx"
    paragraphs = Document(path).paragraphs
    texts = [p.text.replace("\u00a0", " ") for p in paragraphs]
    at = next(i for i, t in enumerate(texts) if f"“{RESULT}”" in t)
    assert f"“{EVIDENCE}”" in texts[at]
    assert texts[at].endswith(f"{present.attribution(UNIT_NAME, PERIOD)}.")
    assert "(Huyện ủy Ba Tơ, quý II/2024)" in texts[at]
    task_line = max(i for i in range(at) if texts[i].startswith(f"{tasks[RESULT]}. "))
    assert all(texts[i].startswith("- ") for i in range(task_line + 1, at))
    heading = max(i for i in range(at) if paragraphs[i].style.name == "Heading 3")
    assert texts[heading] == _section(catalog, tasks[RESULT])
    results = max(i for i in range(at) if paragraphs[i].style.name == "Heading 2")
    assert texts[results].endswith("Kết quả thực hiện, minh chứng theo từng nhiệm vụ")
    assert any(f"“{SCRIPT}”" in t for t in texts) and any(f"“{FORMULA}”" in t for t in texts)
    with zipfile.ZipFile(path) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and html.escape(SCRIPT, quote=False) in xml
    assert "HYPERLINK" not in re.sub(r"<w:t[^>]*>[^<]*</w:t>", "", xml)  # only in text runs
    assert "<w:hyperlink" not in xml and "<w:fldSimple" not in xml


# --- comparison within a kind of unit ------------------------------------------------------


def test_the_kinds_and_the_ranking_within_each_kind_are_in_the_annex(rendered, demo_data):
    out, _ = rendered
    book = load_workbook(out / f"bao-cao-{PERIOD}-phu-luc.xlsx")
    units = demo_data(PERIOD).metrics.units
    kinds = [
        r for r in book[KINDS_SHEET].iter_rows(values_only=True) if r[0] in UNIT_KINDS.values()
    ]
    assert [r[0] for r in kinds] == list(
        dict.fromkeys(UNIT_KINDS[k] for k in units.sort_values("unit_order")["unit_kind"])
    )
    assert sum(r[1] for r in kinds) == len(units)
    ranking = [
        r for r in book[KIND_RANKING_SHEET].iter_rows(values_only=True) if r[1] and "/" in str(r[1])
    ]
    assert len(ranking) == len(units)
    for kind in {r[0] for r in ranking}:
        places = [r[1] for r in ranking if r[0] == kind]
        assert places == [f"{i}/{len(places)}" for i in range(1, len(places) + 1)]
        scores = [r[9] for r in ranking if r[0] == kind]
        assert scores == sorted(scores, reverse=True)  # most lagging of its kind first
    # Under the kinds' table, a chart of their rates, one bar per kind and rate.
    sheet = book[KINDS_SHEET]
    header = next(r for r in sheet.iter_rows() if r[0].value == "Loại đơn vị")[0].row
    first, last = header + 1, header + len(kinds)
    with zipfile.ZipFile(out / f"bao-cao-{PERIOD}-phu-luc.xlsx") as package:
        charts = [
            package.read(n).decode("utf-8")
            for n in package.namelist()
            if n.startswith("xl/charts/chart")
        ]
    (chart,) = [c for c in charts if f"'{KINDS_SHEET}'!" in c]
    assert "Các tỷ lệ theo loại đơn vị" in chart
    assert chart.count("<c:ser>") == 3
    assert f"'{KINDS_SHEET}'!$A${first}:$A${last}" in chart  # the kinds


def _part(page: str) -> str:
    """The page from the heading of the comparison to the next one (the last
    occurrence of each: the table of contents comes first)."""
    start = page.rindex("So sánh các đơn vị cùng loại")
    return page[start : page.rindex("Kết quả thực hiện, minh chứng theo nhiệm vụ")]


def test_the_kinds_are_compared_in_the_html(rendered, demo_data):
    out, _ = rendered
    page = (out / f"bao-cao-{PERIOD}.html").read_text(encoding="utf-8")
    part = _part(page)
    units = demo_data(PERIOD).metrics.units
    for kind in set(units["unit_kind"]):
        assert f"<h4>{_shown(UNIT_KINDS[kind])}</h4>" in part
    assert part.count('class="plotly-graph-div"') == 1


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed: .ci/run installs it; "
    "this test needs a real browser to draw the chart",
)
def test_the_kind_chart_is_drawn_in_a_browser_without_network(rendered, tmp_path, demo_data):
    out, _ = rendered
    page = out / f"bao-cao-{PERIOD}.html"
    dom = browser_dom(page, tmp_path / "profile")
    part = _part(dom)
    assert 'class="main-svg"' in part  # the chart drew its SVG
    units = demo_data(PERIOD).metrics.units
    legend = re.findall(r'class="legendtext"[^>]*>([^<]*)<', part)
    assert {html.unescape(t) for t in legend} == {UNIT_KINDS[k] for k in set(units["unit_kind"])}
    bars = len(re.findall(r'class="point"', part))
    assert bars == len(units)  # one bar per unit
