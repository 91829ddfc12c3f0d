"""The registry shapes every benchmark runs on (``--shape``).

* ``districts``: the shipped registry as it is, quarters from the program's
  first up to 2025-Q2 (the last before the 2025 reorganisation): the
  provincial bodies and 13 district-level committees, about 35 reporting
  units a quarter.
* ``communes``: a copy of the shipped reference folder with
  ``PER_DISTRICT`` synthetic commune committees (kind ``dang-uy-xa``,
  opening 2025-07-01) for each of the 13 districts closing 2025-06-30, and
  one transfer of every task from each district to each of its communes
  (``unit_transfers.csv``): about 130 reporting units a quarter, quarters
  from 2025-Q3 on. Every commune inherits its district's pairs, so the
  deadline engine walks a transfer for each of them.

Workbooks are made the way ``nq28 demo`` makes them (its ``_answers`` and
``_Unit``), filled into the project's own templates.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference"
SHAPES = ("districts", "communes")
#: Commune committees made for each former district (13 × 8 = 104).
PER_DISTRICT = 8
REFORM = "2025-07-01"  # the communes open, the districts' transfers are dated
HISTORY_FROM = "2022-Q4"  # the program's first quarter
SOURCE = "Dữ liệu thử của bộ đo hiệu năng (không phải đơn vị thật)"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass(frozen=True)
class Shape:
    """A registry (its reference folder) and the quarters a benchmark builds."""

    name: str
    reference: Path
    first: str  # the first quarter built
    quarters: int  # how many quarters the benchmarks build by default

    def periods(self, quarters: int | None = None, history: bool = False) -> list:
        """The quarters built, first to last (``quarters`` overrides the
        default); with ``history``, every quarter from the program's first
        (2022-Q4) up to the shape's last, as a raw folder holds them."""
        from nq28_analysis.common.periods import parse_period

        out = [parse_period(self.first)]
        for _ in range((quarters or self.quarters) - 1):
            out.append(out[-1].next())
        if history:
            day = parse_period(HISTORY_FROM)
            earlier = []
            while day < out[0]:
                earlier.append(day)
                day = day.next()
            out = earlier + out
        return out

    @property
    def last(self):
        return self.periods()[-1]


def add_shape_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shape",
        choices=[*SHAPES, "both"],
        default="both",
        help="registry shape: today's districts, ~130 communes after the reform, or both",
    )


def chosen(args: argparse.Namespace) -> list[str]:
    return list(SHAPES) if args.shape == "both" else [args.shape]


def make_shape(name: str, folder: Path) -> Shape:
    """The shape called ``name``; ``communes`` writes its reference folder
    under ``folder`` (a temporary directory the caller owns)."""
    if name == "districts":
        # 2022-Q4 .. 2025-Q2: every quarter before the reform.
        return Shape("districts", REFERENCE, "2022-Q4", 11)
    if name == "communes":
        return Shape("communes", communes_reference(folder / "reference"), "2025-Q3", 4)
    raise ValueError(name)


def districts_closing(reference: Path) -> list[tuple[str, str, int]]:
    """(unit id, name, order) of every district-level committee closing
    2025-06-30 in ``reference``'s ``units.csv``."""
    rows = csv.DictReader(io.StringIO((reference / "units.csv").read_text(encoding="utf-8")))
    return [
        (r["unit_id"], r["name_vi"], int(r["order"]))
        for r in rows
        if r["kind"] == "cap-uy-huyen" and r["valid_to"] == "2025-06-30"
    ]


def communes_reference(target: Path, per_district: int = PER_DISTRICT) -> Path:
    """Copy the shipped reference folder to ``target`` and add the communes
    and their transfers; return ``target``."""
    shutil.copytree(REFERENCE, target)
    units = []
    transfers = ["date,from_unit,to_unit,tasks,source,note"]
    order = 1000
    for district, name, _ in districts_closing(REFERENCE):
        place = name.split(" ", 2)[-1] if name.startswith(("Huyện ủy", "Thị ủy")) else name
        stem = district.split("-", 2)[-1]
        for k in range(1, per_district + 1):
            uid = f"dang-uy-xa-{stem}-{k}"
            order += 1
            units.append(
                [
                    uid,
                    f"Đảng ủy xã {place} {k} (thử)",
                    f"ĐU xã {place} {k}",
                    "",
                    "dang-uy-xa",
                    "xa",
                    "tinh-uy",
                    str(order),
                    "có",
                    REFORM,
                    "",
                    "",
                    SOURCE,
                ]
            )
            transfers.append(f"{REFORM},{district},{uid},,{SOURCE},")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(units)
    with (target / "units.csv").open("a", encoding="utf-8") as f:
        f.write(out.getvalue())
    (target / "unit_transfers.csv").write_text("\n".join(transfers) + "\n", encoding="utf-8")
    return target


def build_workbooks(
    shape: Shape, raw: Path, quarters: int | None = None, history: bool = False
) -> int:
    """Every expected unit's workbook for each quarter of ``shape`` (with
    ``history``, from the program's first quarter), each with a resubmission
    (``_lan-2``), under ``raw/<quarter>/``; return the file count."""
    import random

    from nq28_analysis import load_catalog
    from nq28_analysis.forms.demo import _answers, _Unit
    from nq28_analysis.forms.template import template_name, write_template
    from nq28_analysis.reference.deadlines import assignment_rows, expected_units

    catalog = load_catalog(shape.reference)
    count = 0
    for period in shape.periods(quarters, history):
        folder = raw / period.id
        pairs: dict[str, list[dict]] = {}
        for pair in assignment_rows(catalog, period):
            pairs.setdefault(pair["unit_id"], []).append(pair)
        for unit_id in expected_units(catalog, period):
            unit = _Unit(unit_id, random.Random(f"bench-{unit_id}-{period.id}"))
            reported = period.end + timedelta(days=5)
            answers = _answers(catalog, unit, pairs.get(unit_id, []), period, reported)
            write_template(
                catalog, unit_id, period, folder, answers=answers, reported_on=reported, sample=True
            )
            again = template_name(unit_id, period).replace(".xlsx", "_lan-2.xlsx")
            write_template(
                catalog,
                unit_id,
                period,
                folder,
                answers=answers,
                reported_on=reported + timedelta(days=3),
                sample=True,
                file_name=again,
            )
            count += 2
    return count


def project_for(shape: Shape, folder: Path) -> Path:
    """A project folder under ``folder`` with ``shape``'s reference tables and
    the shipped notebooks (for ``nq28 status`` and ``nq28 report``)."""
    project = folder / "project"
    shutil.copytree(shape.reference, project / "data" / "reference")
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    return project
