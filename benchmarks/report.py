"""Report benchmark: ``nq28 report`` against the floor of any notebook report.

    python benchmarks/report.py

Makes the demo data, ingests it once (so the processed tables are current),
then runs as whole processes back to back:

* floor: one papermill run of a one-chart notebook plus its HTML export
  (the least any papermill-rendered report costs: kernel start, one plotly
  figure, nbconvert);
* ``nq28 report --period 2025-Q2`` on the demo (metrics, the report
  notebook, HTML, Excel annex and Word draft).

Prints both wall times, the ratio (target: at most 2×) and the HTML size.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from _record import record  # benchmarks/_record.py, beside this script

ROOT = Path(__file__).resolve().parents[1]

FLOOR = """
import sys
from pathlib import Path

import nbformat
import papermill as pm
from nbconvert import HTMLExporter

from nq28_analysis.reports.render import _kernel_home, KERNEL
import os, tempfile
home = tempfile.mkdtemp()
os.environ["JUPYTER_PATH"] = str(_kernel_home(Path(home)))
folder = Path(sys.argv[1])
pm.execute_notebook(str(folder / "floor.ipynb"), str(folder / "floor-run.ipynb"),
                    kernel_name=KERNEL, progress_bar=False)
body, _ = HTMLExporter(template_name="basic", exclude_input=True).from_notebook_node(
    nbformat.read(str(folder / "floor-run.ipynb"), as_version=4))
(folder / "floor.html").write_text(body, encoding="utf-8")
"""


def floor_notebook(path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import plotly.graph_objects as go\n"
            "from IPython.display import HTML\n"
            "fig = go.Figure(go.Bar(x=[1, 2, 3], y=[3, 1, 2]))\n"
            "HTML(fig.to_html(full_html=False, include_plotlyjs=False))"
        )
    ]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, str(path))


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> int:
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="nq28-report-bench-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT / "data" / "reference", project / "data" / "reference")
        shutil.copytree(ROOT / "notebooks", project / "notebooks")
        cli = [python, "-m", "nq28_analysis", "--data-dir", str(project)]
        subprocess.run([*cli, "demo"], check=True, capture_output=True)
        demo = project / "data" / "demo"
        paths = ["--raw", str(demo / "raw"), "--processed", str(demo / "processed")]
        subprocess.run(
            [*cli, "status", "--period", "2025-Q2", *paths], check=True, capture_output=True
        )  # the processed tables are now current
        floor_notebook(Path(tmp) / "floor.ipynb")
        floor = timed([python, "-c", FLOOR, tmp])
        ours = timed(
            [*cli, "report", "--period", "2025-Q2", *paths, "--out", str(Path(tmp) / "out")]
        )
        size = (Path(tmp) / "out" / "bao-cao-2025-Q2.html").stat().st_size
    print(f"floor (papermill, one chart, HTML)   {floor:6.2f} s")
    print(f"nq28 report (HTML, annex, draft)     {ours:6.2f} s")
    print(f"ratio                                {ours / floor:6.2f}×   [target ≤ 2×]")
    print(f"HTML size                            {size / 2**20:6.2f} MiB")
    record(
        "report",
        {
            "floor_s": round(floor, 2),
            "report_s": round(ours, 2),
            "ratio": round(ours / floor, 2),
            "html_bytes": size,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
