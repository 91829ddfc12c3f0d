"""Benchmarks, reported as ratios against a baseline measured in the same run.

The machines are shared and noisy: only ratios are printed and recorded,
never absolute times in tests.

    make bench            # or: python benchmarks/run.py [--repeat N]

Current benchmarks:

* ``load_catalog``: reading and checking every reference table, against the
  bare cost of ``pandas.read_csv`` on the same files (the floor any loader
  pays). The ratio says what the checks cost on top of reading.
* ``assignments``: the expected (unit, task) pairs of one quarter, against
  a plain pandas cross join of units and tasks of the same size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pandas as pd
from _record import record  # benchmarks/_record.py, beside this script

from nq28_analysis.common.periods import parse_period
from nq28_analysis.reference.catalog import load_catalog
from nq28_analysis.reference.deadlines import assignments

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    files = sorted(REFERENCE.glob("*.csv"))
    catalog = load_catalog(REFERENCE)
    period = parse_period("2024-Q2")
    units = pd.DataFrame({"u": list(catalog.units)})
    tasks = pd.DataFrame({"t": list(catalog.tasks)})

    results = {}
    baseline = best_of(lambda: [pd.read_csv(f, dtype=str) for f in files], args.repeat)
    ours = best_of(lambda: load_catalog(REFERENCE), args.repeat)
    results["load_catalog / read_csv"] = ours / baseline
    baseline = best_of(lambda: units.merge(tasks, how="cross"), args.repeat)
    ours = best_of(lambda: assignments(catalog, period), args.repeat)
    results["assignments / cross join"] = ours / baseline

    for name, ratio in results.items():
        print(f"{name:32s} {ratio:8.1f}×")
    record("catalog", {k: round(v, 2) for k, v in results.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
