"""Report and status benchmark: ``nq28 report`` against the floor of any
notebook report, ``nq28 status`` against reading the processed tables.

    python benchmarks/report.py                     # both shapes (benchmarks/_shapes.py)
    python benchmarks/report.py --shape communes --repeat 1

For each registry shape it builds a project whose raw folder holds every
quarter from the program's first to the shape's last (districts: 2022-Q4 to
2025-Q2, 748 workbooks; communes: to 2026-Q2 with the districts' history
before the reform, 1,748 workbooks), ingests it once (so the processed
tables are current), then runs as whole processes back to back, ``--repeat``
times each (medians compared):

* floor: one papermill run of a one-chart notebook plus its HTML export
  (the least any papermill-rendered report costs: kernel start, one plotly
  figure, nbconvert);
* ``nq28 report --period <last>`` (metrics, the report notebook, HTML,
  Excel annex and Word draft);
* read: a process that reads ``submissions.parquet`` and ``manifest.csv``
  with pandas (what any status pays);
* ``nq28 status --period <last>`` (fingerprint, classification, rates,
  ``classification.csv`` and ``summary.json``).

Prints the wall times, the ratios (report target: at most 2×) and the HTML size.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from _record import record  # benchmarks/_record.py, beside this script
from _shapes import add_shape_option, build_workbooks, chosen, make_shape, project_for

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


READ = """
import sys
import pandas as pd
pd.read_parquet(sys.argv[1] + "/submissions.parquet")
pd.read_csv(sys.argv[1] + "/manifest.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
"""


def timed(command: list[str], repeat: int = 1) -> float:
    """The median wall time of ``repeat`` runs of ``command``."""
    walls = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
    return statistics.median(walls)


def run_shape(name: str, floor_dir: Path, repeat: int) -> dict:
    """Build ``name``'s project, time report and status; print and return the figures."""
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="nq28-report-bench-") as tmp:
        shape = make_shape(name, Path(tmp))
        project = project_for(shape, Path(tmp))
        start = time.perf_counter()
        files = build_workbooks(shape, project / "data" / "raw", history=True)
        print(f"[{name}] built {files} workbooks in {time.perf_counter() - start:.1f} s")
        cli = [python, "-m", "nq28_analysis", "--data-dir", str(project)]
        period = shape.last.id
        status = [*cli, "status", "--period", period, "--out", str(Path(tmp) / "status")]
        subprocess.run(status, check=True, capture_output=True)  # the tables are now current
        out = Path(tmp) / "out"
        floor = timed([python, "-c", FLOOR, str(floor_dir)], repeat)
        report = timed([*cli, "report", "--period", period, "--out", str(out)], repeat)
        size = (out / f"bao-cao-{period}.html").stat().st_size
        read = timed([python, "-c", READ, str(project / "data" / "processed")], repeat)
        ours = timed(status, repeat)
    figures = {
        "shape": name,
        "period": period,
        "workbooks": files,
        "floor_s": round(floor, 2),
        "report_s": round(report, 2),
        "ratio": round(report / floor, 2),
        "html_bytes": size,
        "read_s": round(read, 2),
        "status_s": round(ours, 2),
        "status_ratio": round(ours / read, 2),
    }
    print(f"[{name}] floor (papermill, one chart, HTML)   {floor:6.2f} s")
    print(f"[{name}] nq28 report {period} (HTML, annex, draft) {report:6.2f} s")
    print(f"[{name}] ratio to the floor                   {report / floor:6.2f}×   [target ≤ 2×]")
    print(f"[{name}] HTML size                            {size / 2**20:6.2f} MiB")
    print(f"[{name}] read the processed tables            {read:6.2f} s")
    print(f"[{name}] nq28 status {period}                 {ours:6.2f} s")
    print(f"[{name}] status ÷ read                        {ours / read:6.2f}×")
    record(f"report-{name}", figures)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shape_option(parser)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timed command")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nq28-report-floor-") as tmp:
        floor_notebook(Path(tmp) / "floor.ipynb")
        for name in chosen(args):
            run_shape(name, Path(tmp), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
