"""National-scale metrics benchmark: classification plus rates, in bulk.

    python benchmarks/metrics.py                  # 3,300 units × 16 quarters × 50 tasks
    python benchmarks/metrics.py --units 500      # smaller, for a quick look

Builds a synthetic registry of district-level units and a synthetic
catalogue of 50 tasks (every deadline kind the program uses), and a
submissions table with one row per (quarter, unit, task) — about 2.6 million
rows — written to parquet. Then, as whole processes back to back:

* baseline: read ``submissions.parquet`` with pandas;
* metrics: read it too, then classify every pair of the last quarter and
  compute every rate, the unit table and the ranking (``metrics.compute``,
  which also computes the previous quarter for the change columns).

Prints wall times, the ratio and peak memory (max RSS of the process).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _record import record  # benchmarks/_record.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
PHRASES = (
    "hoàn thành trong quý II/2023",
    "thực hiện thường xuyên",
    "thực hiện hằng năm",
    "hoàn thành trong năm 2024",
    "thực hiện thường xuyên liên tục",
    "theo yêu cầu của Trung ương",
    "hoàn thành trong quý IV/2025",
    "tuyên truyền thường xuyên",
    "hoàn thành trong quý I/2024",
    "thực hiện thường xuyên",
)


def build(folder: Path, units: int, tasks: int, quarters: int) -> None:
    """Reference tables, ``submissions.parquet`` and ``manifest.csv`` in ``folder``."""
    import numpy as np
    import pandas as pd

    reference = folder / "data" / "reference"
    reference.mkdir(parents=True)
    shutil.copy(ROOT / "data" / "reference" / "settings.csv", reference)
    unit_ids = [f"don-vi-{i:04d}" for i in range(units)]
    with (reference / "units.csv").open("w", encoding="utf-8") as out:
        out.write(
            "unit_id,name_vi,short_name,aliases,kind,level,parent,order,reports,"
            "valid_from,valid_to,successor\n"
        )
        for i, uid in enumerate(unit_ids):
            out.write(f"{uid},Đảng ủy thử số {i},ĐU {i},,cap-uy-huyen,huyen,,{i},có,2020-01-01,,\n")
    (reference / "unit_groups.csv").write_text(
        "group_id,name_vi,kinds,units,note\ntat-ca,Tất cả,cap-uy-huyen,,\n", encoding="utf-8"
    )
    task_ids = [f"III.2.{1 + i // 10}.{1 + i % 10}" for i in range(tasks)]
    with (reference / "tasks.csv").open("w", encoding="utf-8") as out:
        out.write(
            "task_id,section,lead,coordinating,documents,deadline_phrase,"
            "deadline_reading,reading_note,text_vi\n"
        )
        for i, tid in enumerate(task_ids):
            section = tid.rsplit(".", 1)[0]
            out.write(f"{tid},{section},tat-ca,,,{PHRASES[i % len(PHRASES)]},,,Nhiệm vụ thử {i}\n")
    (reference / "events.csv").write_text(
        "event_id,target,kind,date,due_date,unit_id,source,note\n"
        f"yc,{task_ids[5]},request,2023-03-01,2023-12-31,,,\n",
        encoding="utf-8",
    )

    sys.path.insert(0, str(ROOT))
    from nq28_analysis.common.periods import parse_period

    rng = np.random.default_rng(28)
    periods = [parse_period("2022-Q4")]
    for _ in range(quarters - 1):
        periods.append(periods[-1].next())
    n = units * tasks
    frames = []
    for period in periods:
        status = rng.choice(
            ["completed", "in_progress", "not_started", None], size=n, p=[0.5, 0.3, 0.15, 0.05]
        )
        days = rng.integers(0, 90, size=n)
        completed_on = [
            (period.start + pd.Timedelta(days=int(d)).to_pytimedelta())
            if s == "completed"
            else None
            for s, d in zip(status, days, strict=True)
        ]
        frames.append(
            pd.DataFrame(
                {
                    "period": period.id,
                    "unit_id": np.repeat(unit_ids, tasks),
                    "task_id": np.tile(task_ids, units),
                    "status": status,
                    "completed_on": completed_on,
                }
            )
        )
    submissions = pd.concat(frames, ignore_index=True)
    submissions.to_parquet(folder / "submissions.parquet", index=False)
    manifest = pd.DataFrame(
        {
            "file": [f"{p.id}/{u}.xlsx" for p in periods for u in unit_ids],
            "sha256": "",
            "unit_id": [u for _ in periods for u in unit_ids],
            "period": [p.id for p in periods for _ in unit_ids],
            "submitted_on": [
                (p.end + pd.Timedelta(days=7).to_pytimedelta()).isoformat()
                for p in periods
                for _ in unit_ids
            ],
            "disposition": "used",
            "reason": "",
        }
    )
    manifest.to_csv(folder / "manifest.csv", index=False)
    (folder / "last.txt").write_text(periods[-1].id, encoding="utf-8")


def read_only(folder: Path) -> None:
    import pandas as pd

    pd.read_parquet(folder / "submissions.parquet")


def metrics(folder: Path) -> None:
    import pandas as pd

    sys.path.insert(0, str(ROOT))
    from nq28_analysis import load_catalog, parse_period
    from nq28_analysis.metrics import compute

    catalog = load_catalog(folder / "data" / "reference")
    submissions = pd.read_parquet(folder / "submissions.parquet")
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    period = parse_period((folder / "last.txt").read_text(encoding="utf-8"))
    result = compute(catalog, submissions, manifest, period)
    print(len(result.table), result.summary.completion_rate, file=sys.stderr)


def timed(mode: str, folder: Path) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--run", mode, str(folder)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    return wall, int(done.stdout.strip().splitlines()[-1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3300)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--quarters", type=int, default=16)
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        mode, folder = args.run
        (read_only if mode == "read" else metrics)(Path(folder))
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return 0
    with tempfile.TemporaryDirectory(prefix="nq28-metrics-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        build(folder, args.units, args.tasks, args.quarters)
        rows = args.units * args.tasks * args.quarters
        print(f"built {rows:,} submission rows in {time.perf_counter() - start:.1f} s")
        read_wall, read_peak = timed("read", folder)
        wall, peak = timed("metrics", folder)
    print(f"read parquet                  {read_wall:6.2f} s   peak {read_peak:6.0f} MiB")
    print(f"read + classify + rates       {wall:6.2f} s   peak {peak:6.0f} MiB")
    print(f"ratio to reading alone        {wall / read_wall:6.1f}×   [target: under 10 s, 2 GB]")
    record(
        "metrics",
        {
            "rows": rows,
            "seconds": round(wall, 2),
            "ratio_to_read": round(wall / read_wall, 1),
            "peak_mib": round(peak),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
