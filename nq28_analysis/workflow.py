"""What ``make report`` does: render the latest quarter, or the demo.

When ``data/raw/`` holds period folders with submissions, the latest one is
rendered; otherwise the synthetic demo is written into ``data/demo/`` and
its latest quarter rendered. Commands that do not exist yet are named
plainly instead of failing obscurely.
"""

from __future__ import annotations

import sys

from .cli import available_commands, main
from .errors import PeriodError
from .periods import parse_period
from .project import find_project

__all__ = ["latest_period", "make_report"]


def latest_period(raw) -> str | None:
    """The latest period folder under ``raw`` that holds at least one file."""
    periods = []
    if raw.is_dir():
        for folder in raw.iterdir():
            try:
                period = parse_period(folder.name)
            except PeriodError:
                continue
            if folder.is_dir() and any(p.is_file() for p in folder.iterdir()):
                periods.append(period)
    return max(periods).id if periods else None


def make_report() -> int:
    project = find_project()
    commands = set(available_commands())
    period = latest_period(project.raw)
    if period:
        steps = [["report", "--period", period]]
        print(f"Dữ liệu thật: kỳ mới nhất trong data/raw/ là {period}.")
    else:
        demo_raw = project.demo / "raw"
        print("Chưa có báo cáo nào trong data/raw/: dựng báo cáo mẫu từ dữ liệu demo.")
        steps = [["demo", "--raw", str(demo_raw)]]
        demo_period = latest_period(demo_raw)
        steps.append(
            [
                "report",
                "--raw",
                str(demo_raw),
                "--processed",
                str(project.demo / "processed"),
                "--period",
                demo_period or "latest",
            ]
        )
    missing = [step[0] for step in steps if step[0] not in commands]
    if missing:
        print(
            "Chưa dựng được báo cáo: phiên bản này chưa có lệnh "
            + ", ".join(f"«nq28 {m}»" for m in missing)
            + ". Hiện có: "
            + ", ".join(f"«nq28 {c}»" for c in sorted(commands))
            + "."
        )
        return 1
    for step in steps:
        code = main(step)
        if code:
            return code
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(make_report())
