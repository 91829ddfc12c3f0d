"""Ingest benchmark: ``nq28 ingest`` against two baselines on the same files.

    python benchmarks/ingest.py                     # both shapes (benchmarks/_shapes.py)
    python benchmarks/ingest.py --shape communes --quarters 2

For each registry shape it builds the workbooks once (every expected unit,
each quarter of the shape, each with a resubmission: districts 34 units ×
11 quarters × 2 = 748 files, communes 125 units × 4 quarters × 2 = 1,000
files), then runs, as whole processes back to back in the same run:

* ``nq28 ingest`` (guards, reading, validation, consolidation, outputs);
* baseline (a): a per-file ``pandas.read_excel(engine="openpyxl")`` loop;
* baseline (b): a bare python-calamine read of every cell of every sheet.

``nq28 ingest`` and baseline (b) run ``--repeat`` times each (5 by default;
the machines are shared and noisy) and their medians are compared; the slow
baseline (a) runs once. It prints every wall time, the ratios and the peak
memory (max RSS of each process tree). Only ratios are meant to be compared
between machines.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _record import record  # benchmarks/_record.py, beside this script
from _shapes import add_shape_option, build_workbooks, chosen, make_shape, project_for

ROOT = Path(__file__).resolve().parents[1]


def baseline_openpyxl(raw: Path) -> int:
    import pandas as pd

    cells = 0
    for path in sorted(raw.rglob("*.xlsx")):
        frame = pd.read_excel(path, engine="openpyxl", header=None)
        cells += frame.size
    return cells


def baseline_calamine(raw: Path) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in sorted(raw.rglob("*.xlsx")):
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
        book.close()
    return cells


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of a whole process tree: a fresh
    wrapper process runs it, so that its children are this run only."""
    wrapper = [sys.executable, __file__, "--measure", "--", *command]
    start = time.perf_counter()
    done = subprocess.run(wrapper, check=True, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    return wall, int(done.stderr.strip().splitlines()[-1]) / 1024


def measure(command: list[str]) -> int:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
    return 0


def run_shape(name: str, args: argparse.Namespace) -> dict:
    """Build ``name``'s workbooks, time the three readers; print and return the figures."""
    with tempfile.TemporaryDirectory(prefix="nq28-bench-") as tmp:
        shape = make_shape(name, Path(tmp))
        raw = Path(tmp) / "raw"
        start = time.perf_counter()
        files = build_workbooks(shape, raw, args.quarters)
        print(f"[{name}] built {files} workbooks in {time.perf_counter() - start:.1f} s")
        python = sys.executable
        ingest = [python, "-m", "nq28_analysis"]
        if shape.reference != ROOT / "data" / "reference":
            ingest += ["--data-dir", str(project_for(shape, Path(tmp)))]
        runs = {
            "nq28 ingest": [
                *ingest,
                "ingest",
                "--raw",
                str(raw),
                "--out",
                str(Path(tmp) / "processed"),
            ],
            "(a) read_excel(openpyxl) loop": [
                python,
                __file__,
                "--baseline",
                "openpyxl",
                "--raw",
                str(raw),
            ],
            "(b) bare calamine read": [
                python,
                __file__,
                "--baseline",
                "calamine",
                "--raw",
                str(raw),
            ],
        }
        results = {}
        for label, command in runs.items():
            times = 1 if label.startswith("(a)") else max(1, args.repeat)
            samples = [timed(command) for _ in range(times)]
            walls = [wall for wall, _ in samples]
            wall, peak = statistics.median(walls), max(peak for _, peak in samples)
            results[label] = (wall, peak)
            shown = " ".join(f"{w:.2f}" for w in walls)
            print(f"[{name}] {label:32s} {wall:7.2f} s   peak {peak:5.0f} MiB   [{shown}]")
    ours = results["nq28 ingest"][0]
    a = results["(a) read_excel(openpyxl) loop"][0] / ours
    b = ours / results["(b) bare calamine read"][0]
    print(f"[{name}] ingest is {a:.1f}× faster than (a) [target ≥ 5×]")
    print(f"[{name}] ingest takes {b:.2f}× the time of (b) [target ≤ 2.5×]")
    summary = {
        "shape": name,
        "files": files,
        "seconds": {label: round(wall, 3) for label, (wall, _) in results.items()},
        "speedup_vs_openpyxl": round(a, 2),
        "ratio_vs_calamine": round(b, 2),
        "peak_mib_ingest": round(results["nq28 ingest"][1]),
    }
    record(f"ingest-{name}", summary)
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shape_option(parser)
    parser.add_argument("--quarters", type=int, help="quarters built (default: the shape's)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the fast commands")
    parser.add_argument("--baseline", choices=["openpyxl", "calamine"], help=argparse.SUPPRESS)
    parser.add_argument("--raw", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("command", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.command)
    if args.baseline:
        fn = baseline_openpyxl if args.baseline == "openpyxl" else baseline_calamine
        print(fn(args.raw))
        return 0
    for name in chosen(args):
        run_shape(name, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
