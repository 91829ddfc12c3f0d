"""What ``make report`` does: render the latest quarter, or the demo.

When ``data/raw/`` holds period folders with submissions, the latest one is
rendered; otherwise the synthetic demo is written into ``data/demo/`` (when
absent, or made by a version without its own registry) and its latest
quarter rendered with the demo's registry and filled worklist
(``data/demo/reference/``, ``data/demo/review/``: the ``report`` command
picks them for sample submissions). Commands that do not exist yet are named
plainly instead of failing obscurely.
"""

from __future__ import annotations

import sys

from .cli import available_commands, main
from .common.console import readable_console
from .common.errors import PeriodError
from .common.periods import parse_period
from .common.project import SampleFolders, find_project

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
    """Render the latest quarter of data/raw/, else the demo's (building it if absent)."""
    readable_console()
    project = find_project()
    missing = [c for c in ("demo", "report") if c not in available_commands()]
    if missing:
        print(
            "Chưa dựng được báo cáo: phiên bản này chưa có lệnh "
            + ", ".join(f"«nq28 {m}»" for m in missing)
            + "."
        )
        return 1
    period = latest_period(project.raw)
    if period:
        print(f"Dữ liệu thật: kỳ mới nhất trong data/raw/ là {period}.")
        return main(["report", "--period", period])
    demo_raw = project.demo / "raw"
    print("Chưa có báo cáo nào trong data/raw/: dựng báo cáo mẫu từ dữ liệu demo.")
    if latest_period(demo_raw) is None or not SampleFolders(demo_raw).reference.is_dir():
        code = main(["demo", "--raw", str(demo_raw)])
        if code:
            return code
    return main(
        [
            "report",
            "--raw",
            str(demo_raw),
            "--processed",
            str(project.demo / "processed"),
            "--period",
            latest_period(demo_raw),
        ]
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(make_report())
