"""The demo across the 2025 reorganisation (docs/design.md §14): its own registry
beside the sample submissions, the commands that pick it, the communes that
inherit the district committees' tasks, the review over the whole span, and the
reminders of its last quarter."""

from __future__ import annotations

import json
import re
from datetime import date
from html import unescape

import pytest
from docx import Document
from openpyxl import load_workbook

from nq28_analysis.common.periods import parse_period
from nq28_analysis.common.tables import read_table
from nq28_analysis.forms.demo import DEMO_LAST, LAGGING, SAMPLE_COMMUNES, SAMPLE_SOURCE
from nq28_analysis.reference.deadlines import assignment_rows, expected_units
from nq28_analysis.reports.annex import UNITS_SHEET
from nq28_analysis.reports.letters import LIST_HEADERS, LIST_SHEET

from .helpers import REFERENCE, run

COMMUNES = {c[0] for c in SAMPLE_COMMUNES}
SON_HA = "huyen-uy-son-ha"
SON_HA_CLOSED = (
    "Huyện ủy Sơn Hà (kết thúc hoạt động sau ngày 30/06/2025; kế thừa: "
    "Đảng ủy xã Sơn Hà, Đảng ủy xã Sơn Linh)"
)


def _nq28(demo, *args, processed):
    data = demo / "data" / "demo"
    return run(
        "--data-dir",
        str(demo),
        *args,
        "--raw",
        str(data / "raw"),
        "--processed",
        str(processed),
    )


# --- the sample registry -------------------------------------------------------------


def test_the_sample_registry_has_the_transfers_and_stays_out_of_the_project(demo):
    sample = demo / "data" / "demo" / "reference"
    project = demo / "data" / "reference"
    # The project's own tables are as shipped: no sample unit, no transfer.
    assert sorted(p.name for p in project.iterdir()) == sorted(p.name for p in REFERENCE.iterdir())
    for path in project.iterdir():
        assert path.read_bytes() == (REFERENCE / path.name).read_bytes(), path.name
    assert not (REFERENCE / "unit_transfers.csv").exists()
    # Every other table is copied unchanged.
    for path in REFERENCE.iterdir():
        if path.name != "units.csv":
            assert (sample / path.name).read_bytes() == path.read_bytes(), path.name
    real = {r["unit_id"]: r for r in read_table(REFERENCE / "units.csv").records}
    units = {r["unit_id"]: r for r in read_table(sample / "units.csv").records}
    added = set(units) - set(real)
    changed = {u for u in real if units[u] != real[u]}
    assert added == COMMUNES | {"ban-tuyen-giao-dan-van"}
    assert changed == {"ban-tuyen-giao", "ban-dan-van"}
    for unit_id in added | changed:  # every sample-only row says so
        assert units[unit_id]["source"].startswith(SAMPLE_SOURCE), unit_id
    for unit_id in ("ban-tuyen-giao", "ban-dan-van"):
        assert (units[unit_id]["valid_to"], units[unit_id]["successor"]) == (
            "2025-02-28",
            "ban-tuyen-giao-dan-van",
        )
    assert units["ban-tuyen-giao-dan-van"]["valid_from"] == "2025-03-01"
    for unit_id in COMMUNES:
        assert (units[unit_id]["kind"], units[unit_id]["valid_from"]) == (
            "dang-uy-xa",
            "2025-07-01",
        )
    transfers = read_table(sample / "unit_transfers.csv").records
    assert {(t["from_unit"], t["to_unit"], t["tasks"]) for t in transfers} == {
        (district, commune, ";".join(tasks)) for commune, _, district, tasks in SAMPLE_COMMUNES
    }
    assert all(t["date"] == "2025-07-01" for t in transfers)
    assert all(t["source"].startswith(SAMPLE_SOURCE) for t in transfers)
    # Both shapes: one district to one heir, one to two heirs with a section to one.
    heirs = [t for t in transfers if t["from_unit"] == SON_HA]
    assert sorted(t["tasks"] for t in heirs) == ["", "III.2.9"]


def test_the_communes_answer_for_2025_Q3_with_inherited_tasks(demo, demo_catalog):
    catalog = demo_catalog
    period = parse_period("2025-Q3")
    expected = expected_units(catalog, period)
    assert set(expected) >= COMMUNES
    assert not [u for u in expected if catalog.unit(u).kind == "cap-uy-huyen"]
    assert "ban-tuyen-giao-dan-van" in expected and "ban-tuyen-giao" not in expected
    pairs = [p for p in assignment_rows(catalog, period) if p["unit_id"] in COMMUNES]
    # A commune has only what it inherited, each pair naming its district committee.
    source = {commune: district for commune, _, district, _ in SAMPLE_COMMUNES}
    assert pairs and all(p["inherited_from"] == source[p["unit_id"]] for p in pairs)
    mine = {u: {p["task_id"] for p in pairs if p["unit_id"] == u} for u in COMMUNES}
    assert "IV.2" in mine["dang-uy-xa-son-ha"]
    assert mine["dang-uy-xa-son-linh"] and all(
        t.startswith("III.2.9.") for t in mine["dang-uy-xa-son-linh"]
    )
    assert mine["dang-uy-xa-son-linh"] < mine["dang-uy-xa-son-ha"]
    # The submissions follow: communes from 2025-Q3, districts until 2025-Q2.
    raw = demo / "data" / "demo" / "raw"
    senders = {p.name.split("_")[0] for p in (raw / "2025-Q3").glob("*.xlsx")}
    assert senders & COMMUNES and not {s for s in senders if s.startswith(("huyen-uy-", "thi-uy"))}
    assert {p.name.split("_")[0] for p in (raw / "2025-Q2").glob("*.xlsx")} >= {SON_HA}
    assert DEMO_LAST == "2026-Q2" and (raw / DEMO_LAST).is_dir()
    assert "dang-uy-xa-ba-gia" in LAGGING


def test_the_election_task_is_done_around_election_day(demo, demo_data):
    table = demo_data("2026-Q1").metrics.table
    (row,) = table[table["task_id"] == "III.2.7.1a"].itertuples()
    assert row.classification == "done_on_time"
    assert date(2026, 2, 15) <= row.completed_on <= date(2026, 3, 15)


# --- commands on the demo ------------------------------------------------------------


def test_a_command_on_the_demo_uses_its_reference_and_an_explicit_review_wins(demo, tmp_path):
    sample = demo / "data" / "demo"
    done = _nq28(
        demo,
        "status",
        "--period",
        DEMO_LAST,
        "--out",
        str(tmp_path / "a"),
        processed=tmp_path / "processed",
    )
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("Dữ liệu mẫu:")]
    assert said == [
        f"Dữ liệu mẫu: dùng bảng tham chiếu mẫu {sample / 'reference'} và các bảng thẩm định "
        f"mẫu trong {sample / 'review'}."
    ]
    summary = json.loads((tmp_path / "a" / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["verdict_counts"].values()) > 0  # the demo's own worklist
    assert "dang-uy-xa-son-linh" in (tmp_path / "a" / "classification.csv").read_text("utf-8-sig")
    # An explicit --review wins: an empty folder, no verdict.
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _nq28(
        demo,
        "status",
        "--period",
        DEMO_LAST,
        "--out",
        str(tmp_path / "b"),
        "--review",
        str(empty),
        processed=tmp_path / "processed",
    )
    assert done.returncode == 0, done.stderr
    assert f"Dữ liệu mẫu: dùng bảng tham chiếu mẫu {sample / 'reference'}." in done.stderr
    summary = json.loads((tmp_path / "b" / "summary.json").read_text(encoding="utf-8"))
    assert sum(summary["verdict_counts"].values()) == 0
    # check reads a sample quarter with the sample registry: the communes are known.
    checked = run(
        "--data-dir",
        str(demo),
        "check",
        str(sample / "raw" / "2025-Q3" / "dang-uy-xa-son-linh_2025-Q3.xlsx"),
        "--feedback",
        str(tmp_path / "feedback"),
    )
    assert checked.stderr.count("Dữ liệu mẫu: dùng bảng tham chiếu mẫu") == 1
    assert "unit-unknown" not in checked.stdout and "Đảng ủy xã Sơn Linh" in checked.stdout


# --- the review over the reform and the reminders ---------------------------------------


@pytest.fixture(scope="module")
def tong_ket(demo, tmp_path_factory):
    out = tmp_path_factory.mktemp("tong-ket")
    done = _nq28(
        demo,
        "report",
        "--period",
        DEMO_LAST,
        "--kind",
        "tong-ket",
        "--from",
        "2022-Q4",
        "--out",
        str(out / "report"),
        processed=out / "processed",
    )
    assert done.returncode == 0, done.stderr
    return out / "report"


def test_the_tong_ket_over_the_reform_lists_closed_districts_and_their_heirs(tong_ket):
    slug = f"2022-Q4..{DEMO_LAST}-tong-ket"
    for name in (
        f"bao-cao-{slug}.html",
        f"bao-cao-{slug}-phu-luc.xlsx",
        f"bao-cao-{slug}-du-thao.docx",
    ):
        assert (tong_ket / name).stat().st_size > 0, name
    page = unescape(re.sub(r"<[^>]+>", " ", (tong_ket / f"bao-cao-{slug}.html").read_text("utf-8")))
    page = re.sub(r"\s+", " ", page)
    assert SON_HA_CLOSED in page
    assert (
        "Huyện ủy Bình Sơn (kết thúc hoạt động sau ngày 30/06/2025; kế thừa: Đảng ủy xã Đông Sơn)"
        in page
    )
    assert (
        "Ban Tuyên giáo Tỉnh ủy (kết thúc hoạt động sau ngày 28/02/2025; kế thừa: "
        "Ban Tuyên giáo và Dân vận Tỉnh ủy)" in page
    )
    for heir in ("Đảng ủy xã Sơn Hà", "Đảng ủy xã Sơn Linh", "Ban Tuyên giáo và Dân vận Tỉnh ủy"):
        assert heir in page
    sheet = load_workbook(tong_ket / f"bao-cao-{slug}-phu-luc.xlsx")[UNITS_SHEET]
    cells = {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}
    assert SON_HA_CLOSED in cells or any(SON_HA_CLOSED in c for c in cells)
    assert any(c.startswith("Đảng ủy xã Sơn Linh") for c in cells)


def test_reminders_of_the_last_quarter_go_to_communes_never_to_closed_districts(demo, tmp_path):
    out = tmp_path / "letters"
    done = _nq28(
        demo, "remind", "--period", DEMO_LAST, "--out", str(out), processed=tmp_path / "processed"
    )
    assert done.returncode == 0, done.stderr
    letters = {
        p.name.removeprefix("don-doc-").removesuffix(f"-{DEMO_LAST}.docx")
        for p in out.glob("*.docx")
    }
    assert letters & COMMUNES
    assert not {u for u in letters if u.startswith(("huyen-uy-", "thi-uy-", "thanh-uy-"))}
    rows = list(
        load_workbook(out / f"don-doc-{DEMO_LAST}.xlsx")[LIST_SHEET].iter_rows(values_only=True)
    )
    top = next(i for i, r in enumerate(rows) if r[0] == LIST_HEADERS[0])
    listed = {r[LIST_HEADERS.index("Đơn vị")] for r in rows[top + 1 :]}
    assert {"Đảng ủy xã Sơn Linh", "Đảng ủy xã Khánh Cường"} <= listed
    assert not {n for n in listed if n.startswith(("Huyện ủy", "Thị ủy", "Thành ủy"))}
    # The commune whose inherited completion the Board did not accept is chased for it.
    texts = []
    for unit_id in letters & COMMUNES:
        document = Document(out / f"don-doc-{unit_id}-{DEMO_LAST}.docx")
        texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("kết luận «Chưa chấp nhận»" in t for t in texts)
