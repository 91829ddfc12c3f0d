"""Folders named as analysts name them — spaces, Vietnamese letters — work for
every ``--data-dir``, ``--raw``, ``--out``, ``--processed`` (and ``check``'s
paths and ``--feedback``), and give the same outputs as plain ASCII folders."""

from __future__ import annotations

import json
import shutil

import pytest
from openpyxl import load_workbook

from .helpers import REFERENCE, run
from .workbooks import small_project

#: The folder every test here works under, as an analyst would name it.
VIETNAMESE = "Báo cáo quý II/Đơn vị gửi"

#: Where each command reads and writes, under a base folder.
FOLDERS = {
    "project": "dự án NQ28",
    "raw": "Tệp nhận về",
    "feedback": "Góp ý cho đơn vị",
    "processed": "Bảng đã tổng hợp",
    "status": "Kết quả quý II",
    "templates": "Biểu mẫu quý III",
    "report": "Báo cáo quý II",
}


def _pipeline(source, base) -> dict:
    """check, ingest, status and template with every folder under ``base``;
    what each printed (``base`` replaced by ``BASE``) and the files written."""
    where = {name: base / folder for name, folder in FOLDERS.items()}
    shutil.copytree(REFERENCE, where["project"] / "data" / "reference")
    shutil.copytree(source / "data" / "raw", where["raw"])
    data = ("--data-dir", str(where["project"]))
    runs = {
        "check": run(
            *data, "check", str(where["raw"] / "2024-Q2"), "--feedback", str(where["feedback"])
        ),
        "ingest": run(
            *data, "ingest", "--raw", str(where["raw"]), "--out", str(where["processed"])
        ),
        "status": run(
            *data,
            "status",
            "--period",
            "2024-Q2",
            "--raw",
            str(where["raw"]),
            "--processed",
            str(where["processed"]),
            "--out",
            str(where["status"]),
        ),
        "template": run(
            *data,
            "template",
            "--period",
            "2024-Q3",
            "--unit",
            "huyen-uy-ba-to",
            "--processed",
            str(where["processed"]),
            "--out",
            str(where["templates"]),
        ),
    }
    said = {
        name: (
            r.returncode,
            r.stdout.replace(str(base), "BASE"),
            r.stderr.replace(str(base), "BASE"),
        )
        for name, r in runs.items()
    }
    written = {
        f"{name}/{p.relative_to(where[name]).as_posix()}": p.read_bytes()
        for name in ("processed", "status", "templates")
        for p in sorted(where[name].rglob("*"))
        if p.is_file()
    }
    written["feedback"] = sorted(p.name for p in where["feedback"].iterdir())
    return {"said": said, "written": written, "where": where}


@pytest.fixture(scope="module")
def both(catalog, tmp_path_factory):
    source = small_project(catalog, tmp_path_factory.mktemp("source"))
    plain = _pipeline(source, tmp_path_factory.mktemp("plain"))
    vietnamese = _pipeline(source, tmp_path_factory.mktemp("vi") / VIETNAMESE)
    return plain, vietnamese


def test_every_command_works_in_vietnamese_folders(both):
    _, vietnamese = both
    codes = {name: said[0] for name, said in vietnamese["said"].items()}
    assert codes == {"check": 1, "ingest": 0, "status": 0, "template": 0}, vietnamese["said"]
    check = vietnamese["said"]["check"][1]
    assert "ĐẠT: BASE/Tệp nhận về/2024-Q2/Văn phòng Tỉnh ủy.xlsx" in check
    assert "Góp ý: BASE/Góp ý cho đơn vị/2024-Q2__Văn phòng Tỉnh ủy__gop-y.xlsx" in check
    assert "Traceback" not in "".join(s[2] for s in vietnamese["said"].values())


def test_the_outputs_are_those_of_plain_folders(both):
    plain, vietnamese = both
    assert vietnamese["said"] == plain["said"]
    assert set(vietnamese["written"]) == set(plain["written"])
    for name, content in plain["written"].items():
        assert vietnamese["written"][name] == content, name
    assert "status/classification.csv" in plain["written"]
    assert "templates/huyen-uy-ba-to_2024-Q3.xlsx" in plain["written"]


def test_report_renders_into_vietnamese_folders(both):
    _, vietnamese = both
    where = vietnamese["where"]
    result = run(
        "--data-dir",
        str(where["project"]),
        "report",
        "--period",
        "2024-Q2",
        "--raw",
        str(where["raw"]),
        "--processed",
        str(where["processed"]),
        "--out",
        str(where["report"]),
    )
    assert result.returncode == 0, result.stderr
    out = where["report"]
    # The same numbers as status (the report's summary also names its inputs).
    classification = "classification.csv"
    assert (out / classification).read_bytes() == (where["status"] / classification).read_bytes()
    figures = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    status = json.loads((where["status"] / "summary.json").read_text(encoding="utf-8"))
    figures.pop("inputs"), status.pop("inputs")
    assert figures == status and figures["period_label"] == "Quý II năm 2024"
    page = (out / "bao-cao-2024-Q2.html").read_text(encoding="utf-8")
    assert "Quý II năm 2024" in page and "Huyện ủy Ba Tơ" in page
    assert load_workbook(out / "bao-cao-2024-Q2-phu-luc.xlsx").sheetnames
    assert (out / "bao-cao-2024-Q2-du-thao.docx").stat().st_size > 0
