"""Benchmarks, reported as ratios against a baseline measured in the same run.

The machines are shared and noisy: only ratios are printed and recorded,
never absolute times in tests.

    make bench            # or: python benchmarks/run.py [--repeat N] [--shape communes]

Current benchmarks, on each registry shape (benchmarks/_shapes.py):

* ``load_catalog``: reading and checking every reference table, against the
  bare cost of ``pandas.read_csv`` on the same files (the floor any loader
  pays). The ratio says what the checks cost on top of reading.
* ``assignments``: the expected (unit, task) pairs of the shape's last
  quarter, against a plain pandas cross join of units and tasks of the same
  size; the pairs step alone (the deadline engine, uncached) is printed in
  milliseconds beside it, with the pairs an heir holds by a transfer.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _record import record  # benchmarks/_record.py, beside this script
from _shapes import add_shape_option, chosen, make_shape

from nq28_analysis.reference.catalog import Derived, load_catalog
from nq28_analysis.reference.deadlines import _assignment_rows, assignments


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_shape(name: str, folder: Path, repeat: int) -> dict:
    shape = make_shape(name, folder)
    files = sorted(shape.reference.glob("*.csv"))
    catalog = load_catalog(shape.reference)
    period = shape.last
    units = pd.DataFrame({"u": list(catalog.units)})
    tasks = pd.DataFrame({"t": list(catalog.tasks)})

    def pairs_step():
        catalog.cache = Derived()  # every index and period computed anew
        return _assignment_rows(catalog, period)

    results = {}
    baseline = best_of(lambda: [pd.read_csv(f, dtype=str) for f in files], repeat)
    ours = best_of(lambda: load_catalog(shape.reference), repeat)
    results["load_catalog / read_csv"] = ours / baseline
    baseline = best_of(lambda: units.merge(tasks, how="cross"), repeat)
    ours = best_of(lambda: assignments(catalog, period), repeat)
    results["assignments / cross join"] = ours / baseline
    step = best_of(pairs_step, repeat)
    rows = pairs_step()
    inherited = sum(bool(r["inherited_from"]) for r in rows)

    for label, ratio in results.items():
        print(f"[{name}] {label:32s} {ratio:8.1f}×")
    print(
        f"[{name}] pairs step {period.id}: {len(rows)} pairs, {inherited} inherited, "
        f"{len(catalog.transfers)} transfers: {step * 1000:.1f} ms"
    )
    figures = {k: round(v, 2) for k, v in results.items()}
    figures.update(
        shape=name,
        period=period.id,
        pairs=len(rows),
        inherited_pairs=inherited,
        transfers=len(catalog.transfers),
        pairs_step_ms=round(step * 1000, 1),
    )
    record(f"catalog-{name}", figures)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    add_shape_option(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nq28-run-") as tmp:
        for name in chosen(args):
            run_shape(name, Path(tmp), args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
