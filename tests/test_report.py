"""``nq28 report``: the notebook under papermill, offline HTML, annex and draft.

The demo data are made once per session (the ``demo`` fixture); each test
renders what it needs into a folder of its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from nq28_analysis.common.errors import UsageError
from nq28_analysis.reports.render import NOTEBOOK, execute, notebook_parameters

from .helpers import CHROMIUM, ROOT, browser_dom, run
from .workbooks import filled, row_of


def report(root, *args, out):
    demo = root / "data" / "demo"
    result = run(
        "--data-dir",
        str(root),
        "report",
        *args,
        "--raw",
        str(demo / "raw"),
        "--processed",
        str(demo / "processed"),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {p.rsplit("/", 1)[-1]: p for p in result.stdout.split()}


def offline_problems(page: str) -> list[str]:
    """Anything the page would load from the network."""
    found = re.findall(
        r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?"""
        r"""(?:https?:)?//""",
        page,
        flags=re.I,
    )
    found += re.findall(r"url\(\s*['\"]?(?:https?:)?//", page, flags=re.I)
    found += re.findall(r"@import", page)
    return found


def test_quarter_report_html_is_offline_codeless_with_every_chart(demo, tmp_path):
    files = report(demo, "--period", "2024-Q2", out=tmp_path)
    page = (tmp_path / "bao-cao-2024-Q2.html").read_text(encoding="utf-8")
    assert not offline_problems(page)
    assert "report_view(" not in page and "In&nbsp;[" not in page and "jp-InputArea" not in page
    from plotly.offline import get_plotlyjs

    assert page.count(get_plotlyjs()[:200]) == 1  # plotly.js embedded exactly once
    assert page.count('class="plotly-graph-div"') == 6
    assert page.count("Plotly.newPlot") >= 6
    assert "DỮ LIỆU MẪU" in page and "Quý II năm 2024" in page
    assert '<nav class="toc">' in page and "Xếp hạng đơn vị" in page
    # The tasks waiting for an event, with the line to add (tests/test_pending.py).
    assert "7. Nhiệm vụ chờ sự kiện" in page and "yeu-cau-iii-2-1-6,III.2.1.6,request," in page
    assert set(files) >= {
        "bao-cao-2024-Q2.html",
        "bao-cao-2024-Q2-phu-luc.xlsx",
        "bao-cao-2024-Q2-du-thao.docx",
        "classification.csv",
        "summary.json",
        "pending_events.csv",
    }


def test_half_year_and_reviews_render(demo, tmp_path):
    half = report(demo, "--period", "2024-H1", out=tmp_path / "h")
    assert "bao-cao-2024-H1.html" in half
    so_ket = report(demo, "--period", "2024-Q4", "--kind", "so-ket", out=tmp_path / "s")
    page = (tmp_path / "s" / "bao-cao-2022-Q4..2024-Q4-so-ket.html").read_text(encoding="utf-8")
    assert "Báo cáo sơ kết" in page and "từ quý IV năm 2022 đến quý IV năm 2024" in page
    assert "đơn vị nộp báo cáo ở mọi quý phải báo cáo trong kỳ" in page
    assert "bao-cao-2022-Q4..2024-Q4-so-ket-du-thao.docx" in so_ket
    tong_ket = report(
        demo, "--period", "2025-Q2", "--kind", "tong-ket", "--from", "2023-Q1", out=tmp_path / "t"
    )
    assert "bao-cao-2023-Q1..2025-Q2-tong-ket.html" in tong_ket


def test_submitted_text_is_escaped_in_html_and_text_in_the_annex(demo, tmp_path, catalog):
    root = tmp_path / "p"
    shutil.copytree(demo / "data" / "demo" / "reference", root / "data" / "reference")
    shutil.copytree(demo / "notebooks", root / "notebooks")
    row = row_of(catalog, "huyen-uy-ba-to", "2024-Q2", "IV.2")
    filled(
        catalog,
        root / "data" / "raw" / "2024-Q2",
        edits={
            f"I{row}": "<script>alert('x')</script> khó khăn",
            f"J{row}": "+84 912 345 678 @SUM(A1)",
        },
    )
    result = run("--data-dir", str(root), "report", "--period", "2024-Q2")
    assert result.returncode == 0, result.stdout + result.stderr
    out = root / "reports" / "2024-Q2"
    page = (out / "bao-cao-2024-Q2.html").read_text(encoding="utf-8")
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;/script&gt; khó khăn" in page
    assert "DỮ LIỆU MẪU" not in page  # real data: no sample banner
    book = load_workbook(out / "bao-cao-2024-Q2-phu-luc.xlsx")
    cells = [
        c
        for sheet in book
        for r in sheet.iter_rows()
        for c in r
        if isinstance(c.value, str) and "@SUM(A1)" in c.value
    ]
    assert cells and all(c.data_type == "s" and c.hyperlink is None for c in cells)
    assert {c.value for c in cells} == {"+84 912 345 678 @SUM(A1)"}


def test_parameters_are_checked_before_running(tmp_path):
    assert set(notebook_parameters(ROOT / "notebooks" / NOTEBOOK)) == {
        "period",
        "kind",
        "start",
        "as_of",
        "data_dir",
        "raw",
        "processed",
        "data_file",
    }
    with pytest.raises(UsageError, match="peroid"):
        execute(ROOT / "notebooks" / NOTEBOOK, tmp_path / "x.ipynb", {"peroid": "2024-Q2"})


def test_a_period_nobody_reported_says_no_data(demo, tmp_path):
    (tmp_path / "trống").mkdir()
    result = run(
        "--data-dir",
        str(demo),
        "report",
        "--period",
        "2024-Q2",
        "--raw",
        str(tmp_path / "trống"),
        "--processed",
        str(tmp_path / "p"),
        "--out",
        str(tmp_path / "o"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "o" / "bao-cao-2024-Q2.html").read_text(encoding="utf-8")
    assert "chưa có số liệu" in page


def test_a_failing_notebook_is_kept_and_named(demo, tmp_path):
    import json

    root = tmp_path / "p"
    shutil.copytree(demo / "data" / "demo" / "reference", root / "data" / "reference")
    shutil.copytree(demo / "notebooks", root / "notebooks")
    path = root / "notebooks" / NOTEBOOK
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "1 / 0",
        }
    )
    path.write_text(json.dumps(notebook), encoding="utf-8")
    result = run("--data-dir", str(root), "report", "--period", "2024-Q2")
    assert result.returncode == 1
    kept = root / "reports" / "2024-Q2" / f"loi-{NOTEBOOK}"
    assert kept.exists() and str(kept) in result.stderr
    assert "ZeroDivisionError" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed: .ci/run installs it; "
    "this test needs a real browser to draw the charts",
)
def test_every_chart_is_drawn_in_a_browser_without_network(demo, tmp_path):
    report(demo, "--period", "2024-Q2", out=tmp_path)
    page = tmp_path / "bao-cao-2024-Q2.html"
    dom = browser_dom(page, tmp_path / "profile")
    charts = dom.count('class="plotly-graph-div')
    drawn = len(re.findall(r'class="main-svg"', dom))
    assert charts == 6
    assert drawn >= charts  # every chart rendered its SVG


def test_the_report_skips_jsonschemas_iri_grammar_and_still_validates_notebooks():
    # Compiling that grammar cost about 1.3 s of every report (docs/design.md §9).
    code = (
        "import sys\n"
        "from nq28_analysis.reports.render import NOTEBOOK, _skip_iri_grammar\n"
        "_skip_iri_grammar()\n"
        "import papermill, nbformat\n"
        "nbformat.validate(nbformat.read('notebooks/' + NOTEBOOK, as_version=4))\n"
        "print(sorted(m for m in ('rfc3987_syntax', 'lark') if sys.modules.get(m)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
