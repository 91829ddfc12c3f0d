"""Reminder letters (docs/design.md §17): ``nq28 remind`` writes a letter to
exactly the expected, open units that owe something for the quarter — a
missing or late report, overdue, unreported or silent recurring pairs, the
Board's verdicts applied — and lists every expected unit in ``don-doc-<P>.xlsx``."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

from nq28_analysis.common.errors import ReferenceDataError
from nq28_analysis.common.formatting import day
from nq28_analysis.common.periods import parse_period
from nq28_analysis.forms.worklist import WORKLIST_HEADERS, WORKLIST_SHEET
from nq28_analysis.reference.catalog import load_catalog
from nq28_analysis.reports.letters import (
    LETTER_HEADERS,
    LIST_HEADERS,
    LIST_SHEET,
    SUBJECT,
    letter_name,
)

from .helpers import ROOT, add_rows, edit_csv, run, set_unit
from .office import convert

P = "2025-Q2"
#: The quarter's submission deadline: 10 days after 30/06/2025 (settings.csv).
DEADLINE = date(2025, 7, 10)
ACCEPTED = ("used", "partly-superseded", "superseded")
CHASED = ("overdue", "not_reported", "recurring_silent")


def _nq28(root, *args, raw=None, processed=None):
    """``nq28 --data-dir root *args --raw … --processed …``."""
    raw = raw or root / "data" / "demo" / "raw"
    processed = processed or root / "data" / "demo" / "processed"
    return run("--data-dir", str(root), *args, "--raw", str(raw), "--processed", str(processed))


@pytest.fixture(scope="module")
def demo_letters(demo, tmp_path_factory):
    """The demo's 2025-Q2: ``nq28 status`` and ``nq28 remind`` outputs, made once."""
    out = tmp_path_factory.mktemp("remind")
    status = _nq28(demo, "status", "--period", P, "--out", str(out / "status"))
    assert status.returncode == 0, status.stderr
    done = _nq28(demo, "remind", "--period", P, "--out", str(out / "letters"))
    assert done.returncode == 0, done.stderr
    return out, done


@pytest.fixture
def copy(demo, tmp_path):
    """A project with copies of the demo's reference tables and submissions
    (processed afresh into ``processed/``), to change inputs in."""
    root = tmp_path / "project"
    shutil.copytree(demo / "data" / "demo" / "reference", root / "data" / "reference")
    shutil.copytree(demo / "data" / "demo" / "raw", root / "raw")
    return root


def _in_copy(root, *args):
    return _nq28(root, *args, raw=root / "raw", processed=root / "processed")


def _classification(folder) -> pd.DataFrame:
    return pd.read_csv(folder / "classification.csv", encoding="utf-8-sig", dtype=str).fillna("")


def _as_of(folder) -> date:
    return date.fromisoformat(json.loads((folder / "summary.json").read_text("utf-8"))["as_of"])


def _reports(processed, as_of: date) -> dict[str, str]:
    """Per unit that sent an accepted workbook for ``P`` by ``as_of``: ``late``
    or ``on_time``, from the manifest (the first accepted file's date)."""
    files = pd.read_csv(processed / "manifest.csv", encoding="utf-8-sig", dtype=str).fillna("")
    files = files[(files["period"] == P) & files["disposition"].isin(ACCEPTED)]
    files = files[(files["submitted_on"] == "") | (files["submitted_on"] <= as_of.isoformat())]
    first = files.groupby("unit_id")["submitted_on"].min()
    return {u: "late" if d > DEADLINE.isoformat() else "on_time" for u, d in first.items()}


def _list(path) -> list[dict]:
    """The rows of ``don-doc-<P>.xlsx``, each a dict by header."""
    rows = list(load_workbook(path)[LIST_SHEET].iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == LIST_HEADERS[0])
    assert rows[top] == LIST_HEADERS
    return [dict(zip(LIST_HEADERS, r, strict=True)) for r in rows[top + 1 :]]


# --- who gets a letter --------------------------------------------------------------


def test_letters_go_exactly_to_the_units_the_rule_selects(demo, demo_letters, demo_catalog):
    catalog = demo_catalog
    out, done = demo_letters
    table = _classification(out / "status")
    as_of = _as_of(out / "status")
    reports = _reports(demo / "data" / "demo" / "processed", as_of)
    expected = set(table["unit_id"])
    # The district committees closed on 30/06/2025: listed, never written to.
    closed = {
        u for u in expected if catalog.units[u].valid_to and catalog.units[u].valid_to <= as_of
    }
    owing = set(table.loc[table["classification"].isin(CHASED), "unit_id"]) - closed
    missing = expected - set(reports) - closed
    late = {u for u, when in reports.items() if when == "late"} - closed
    chosen = owing | missing | late
    # The demo has every case, so that this test can fail.
    assert closed and missing and late and (expected - chosen - closed) and (late - owing)
    order = sorted(chosen, key=lambda u: (catalog.units[u].order, u))
    assert done.stdout.split() == [
        *(str(out / "letters" / _name(u)) for u in order),
        str(out / "letters" / f"don-doc-{P}.xlsx"),
    ]
    assert {p.name for p in (out / "letters").glob("*.docx")} == {_name(u) for u in chosen}
    listed = _list(out / "letters" / f"don-doc-{P}.xlsx")
    sheet = load_workbook(out / "letters" / f"don-doc-{P}.xlsx")[LIST_SHEET]
    assert (sheet.page_setup.paperSize, sheet.page_setup.orientation) == (9, "landscape")
    header = next(r for r in sheet.iter_rows() if r[0].value == LIST_HEADERS[0])[0].row
    assert sheet.print_title_rows == f"${header}:${header}"  # repeated on every page
    ids = [catalog.find_unit(row["Đơn vị"]) for row in listed]
    assert sorted(ids) == sorted(expected)  # every expected unit, once, letter or not
    answer = datetime.combine(as_of + timedelta(days=15), datetime.min.time())
    for unit_id, row in zip(ids, listed, strict=True):
        asked, by, letter = row["Nội dung đề nghị"], row["Hạn trả lời"], row["Thư đôn đốc"]
        if unit_id in chosen:
            assert (letter, by) == (_name(unit_id), answer)
            assert asked.endswith(f"trước ngày {day(as_of + timedelta(days=15))}")
        elif unit_id in closed:
            assert (asked, by, letter) == (None, None, None)
            assert row["Ghi chú"].startswith(
                "Không gửi thư: đơn vị kết thúc hoạt động sau ngày 30/06/2025"
            )
        else:
            assert (asked, by, letter) == (None, None, None)
            assert row["Ghi chú"] == "Không có nội dung phải đôn đốc"


def _name(unit_id: str) -> str:
    return letter_name(unit_id, parse_period(P))


# --- what a letter says --------------------------------------------------------------


def test_each_letter_names_its_unit_and_lists_exactly_what_it_owes(
    demo, demo_letters, demo_catalog
):
    catalog = demo_catalog
    out, _ = demo_letters
    table = _classification(out / "status")
    as_of = _as_of(out / "status")
    reports = _reports(demo / "data" / "demo" / "processed", as_of)
    files = pd.read_csv(
        demo / "data" / "demo" / "processed" / "manifest.csv", encoding="utf-8-sig", dtype=str
    )
    answer = day(as_of + timedelta(days=15))
    letters = sorted((out / "letters").glob("*.docx"))
    assert len(letters) > 5
    for path in letters:
        unit_id = path.name.removeprefix("don-doc-").removesuffix(f"-{P}.docx")
        name = catalog.unit(unit_id).name_vi
        document = Document(path)
        text = "\n".join(p.text for p in document.paragraphs)
        # The head: issuer, number and subject, place and date, and the addressee.
        number, dated = document.tables[0].rows[1].cells
        assert [p.text for p in number.paragraphs] == ["Số …-CV/BTCTU", SUBJECT]
        assert dated.text == f"Quảng Ngãi, ngày {as_of.day:02d} tháng {as_of.month} năm 2025"
        assert f"Kính gửi: {name}" in text.splitlines()
        assert "DỮ LIỆU MẪU — KHÔNG PHẢI SỐ LIỆU THẬT" in text
        # The report: missing, or late with the date received and the deadline.
        if unit_id not in reports:
            assert "chưa nhận được báo cáo quý II năm 2025 của đơn vị (hạn nộp 10/07/2025)" in text
        elif reports[unit_id] == "late":
            mine = files[(files["unit_id"] == unit_id) & (files["period"] == P)]
            received = date.fromisoformat(mine["submitted_on"].min())
            late = (received - DEADLINE).days
            assert (
                f"nhận ngày {day(received)}, nộp trễ hạn {late} ngày (hạn nộp 10/07/2025)" in text
            )
        else:
            assert "Về việc nộp báo cáo" not in text
        # One table row per chased pair, in catalogue order, with its due date and days.
        owed = table[(table["unit_id"] == unit_id) & table["classification"].isin(CHASED)]
        if owed.empty:
            assert len(document.tables) == 2  # the header and the signature blocks only
        else:
            (grid,) = [t for t in document.tables if t.rows[0].cells[0].text == "TT"]
            assert tuple(c.text for c in grid.rows[0].cells) == LETTER_HEADERS
            rows = [[c.text for c in row.cells] for row in grid.rows[1:]]
            assert [r[1].split(". ")[0] for r in rows] == list(owed["task_id"])
            for row, pair in zip(rows, owed.itertuples(index=False), strict=True):
                due = date.fromisoformat(pair.due_date) if pair.due_date else None
                assert row[3] == (day(due) if due else "Thường xuyên")
                assert row[4] == pair.days_overdue
        # The request, by as_of + 15 days, and the recipients.
        (asked,) = [p for p in text.splitlines() if p.startswith(f"Đề nghị {name} ")]
        assert asked.endswith(f"về Ban Tổ chức Tỉnh ủy trước ngày {answer}.")
        signature = document.tables[-1].rows[0].cells[0]
        assert [p.text for p in signature.paragraphs] == [
            "Nơi nhận:",
            "- Như trên,",
            "- Lưu Ban Tổ chức Tỉnh ủy.",
        ]


def test_the_settings_set_the_answer_date_the_number_and_the_recipients(copy):
    settings = copy / "data" / "reference" / "settings.csv"
    edit_csv(settings, "reminder_answer_days,15,", "reminder_answer_days,30,")
    edit_csv(settings, "issuer_code,BTCTU,", "issuer_code,BTGTU,")
    edit_csv(
        settings,
        "reminder_recipients,Như trên; Lưu Ban Tổ chức Tỉnh ủy,",
        "reminder_recipients,Như trên; Thường trực Tỉnh ủy (b/c); Lưu VP,",
    )
    out = copy / "letters"
    done = _in_copy(copy, "remind", "--period", P, "--out", str(out), "--as-of", "01/08/2025")
    assert done.returncode == 0, done.stderr
    document = Document(sorted(out.glob("*.docx"))[0])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "trước ngày 31/08/2025." in text and "14/08/2025" not in text
    assert document.tables[0].rows[1].cells[0].paragraphs[0].text == "Số …-CV/BTGTU"
    assert document.tables[0].rows[1].cells[1].text == "Quảng Ngãi, ngày 01 tháng 8 năm 2025"
    assert [p.text for p in document.tables[-1].rows[0].cells[0].paragraphs[1:]] == [
        "- Như trên,",
        "- Thường trực Tỉnh ủy (b/c),",
        "- Lưu VP.",
    ]


def test_a_settings_table_without_the_reminder_rows_still_loads(tmp_path):
    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", folder)
    path = folder / "settings.csv"
    kept = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("reminder_")
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    catalog = load_catalog(folder)
    assert catalog.settings.reminder_answer_days == 15
    assert catalog.settings.reminder_recipient_names == ("Như trên", "Lưu Ban Tổ chức Tỉnh ủy")
    assert not [p for p in catalog.warnings if p.code.endswith("-setting")]


@pytest.mark.parametrize("value", ["0", "mười lăm", "-3"])
def test_a_bad_answer_days_setting_is_an_error_at_its_cell(tmp_path, value):
    folder = tmp_path / "reference"
    shutil.copytree(ROOT / "data" / "reference", folder)
    edit_csv(folder / "settings.csv", "reminder_answer_days,15,", f"reminder_answer_days,{value},")
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "settings.csv",
        17,
        "value",
        "ref-bad-setting",
    )
    assert f"«{value}» không phải số ngày" in problem.message


# --- closed units, reruns, verdicts -------------------------------------------------


def test_a_closed_unit_never_gets_a_letter(copy):
    reference = copy / "data" / "reference"
    # Closed before the quarter ended: not expected at all.
    set_unit(copy, "dang-uy-khoi-co-quan-doanh-nghiep", valid_to="2025-06-15")
    # Closed on the quarter's last day (as every district committee did), its
    # tasks handed to two heirs: expected, listed, but closed by the letters' date.
    add_rows(
        reference / "units.csv",
        *(
            f"dang-uy-xa-thu-{x},Đảng ủy xã Thử {x.upper()},ĐU xã Thử {x.upper()},,"
            f"dang-uy-xa,xa,tinh-uy,{80 + i},có,2025-07-01,,,thử"
            for i, x in enumerate("ab")
        ),
    )
    (reference / "unit_transfers.csv").write_text(
        "date,from_unit,to_unit,tasks,source,note\n"
        "2025-07-01,huyen-uy-son-tay,dang-uy-xa-thu-a,,thử,\n"
        "2025-07-01,huyen-uy-son-tay,dang-uy-xa-thu-b,III.2,thử,\n",
        encoding="utf-8",
    )
    out = copy / "letters"
    done = _in_copy(copy, "remind", "--period", P, "--out", str(out))
    assert done.returncode == 0, done.stderr
    letters = {p.name for p in out.glob("*.docx")}
    assert not {n for n in letters if n.startswith("don-doc-huyen-uy-")}
    assert _name("dang-uy-khoi-co-quan-doanh-nghiep") not in letters
    assert _name("ban-tuyen-giao-dan-van") in letters and len(letters) > 5
    listed = {row["Đơn vị"]: row for row in _list(out / f"don-doc-{P}.xlsx")}
    assert "Đảng ủy Khối Cơ quan và Doanh nghiệp tỉnh" not in listed
    son_tay = listed["Huyện ủy Sơn Tây"]
    assert son_tay["Nộp báo cáo"].startswith("Nộp trễ hạn")  # it owes, yet no letter
    assert (son_tay["Nội dung đề nghị"], son_tay["Thư đôn đốc"]) == (None, None)
    assert son_tay["Ghi chú"] == (
        "Không gửi thư: đơn vị kết thúc hoạt động sau ngày 30/06/2025; "
        "kế thừa: Đảng ủy xã Thử A, Đảng ủy xã Thử B"
    )
    assert "đơn vị đã kết thúc hoạt động, không gửi thư" in done.stderr


def test_a_rerun_writes_the_same_bytes_and_removes_stale_letters(demo, demo_letters, tmp_path):
    first, _ = demo_letters
    again = tmp_path / "again"
    again.mkdir()
    (again / f"don-doc-huyen-uy-cu-{P}.docx").write_bytes(b"old")
    (again / "don-doc-huyen-uy-cu-2025-Q1.docx").write_bytes(b"other quarter")
    done = _nq28(demo, "remind", "--period", P, "--out", str(again))
    assert done.returncode == 0, done.stderr
    assert "Đã xóa thư cũ «don-doc-huyen-uy-cu-2025-Q2.docx»" in done.stderr
    made = sorted(p.name for p in (first / "letters").iterdir())
    assert sorted(p.name for p in again.iterdir()) == sorted(
        [*made, "don-doc-huyen-uy-cu-2025-Q1.docx"]
    )
    for name in made:
        assert (again / name).read_bytes() == (first / "letters" / name).read_bytes(), name


def _fill_first_claim_of(worklist, unit_id: str, values: dict) -> str:
    """Write ``values`` (column key → value) into the worklist's first row for
    ``unit_id``; return that row's task id."""
    book = load_workbook(worklist)
    sheet = book[WORKLIST_SHEET]
    rows = list(sheet.iter_rows())
    top = next(i for i, r in enumerate(rows) if r[0].value == WORKLIST_HEADERS["number"])
    labels = [c.value for c in rows[top]]
    where = {key: labels.index(label) for key, label in WORKLIST_HEADERS.items()}
    (row, *_) = [r for r in rows[top + 1 :] if r[where["unit_id"]].value == unit_id]
    for key, value in values.items():
        sheet.cell(row[0].row, where[key] + 1).value = value
    book.save(worklist)
    return row[where["task_id"]].value


def test_a_completion_the_board_did_not_accept_is_chased(copy, demo_letters):
    first, _ = demo_letters
    # Ban Nội chính owes nothing in the demo's quarter: no letter.
    listed = {row["Đơn vị"]: row for row in _list(first / "letters" / f"don-doc-{P}.xlsx")}
    assert listed["Ban Nội chính Tỉnh ủy"]["Thư đôn đốc"] is None
    review = copy / "review"
    made = _in_copy(copy, "review", "--period", P, "--out", str(review))
    assert made.returncode == 0, made.stderr
    task = _fill_first_claim_of(
        review / f"tham-dinh-{P}.xlsx",
        "ban-noi-chinh",
        {
            "verdict": "Chưa chấp nhận",
            "reason": "Chưa có văn bản ban hành",
            "reviewed_on": datetime(2025, 7, 20),
        },
    )
    out = copy / "letters"
    done = _in_copy(copy, "remind", "--period", P, "--out", str(out), "--review", str(review))
    assert done.returncode == 0, done.stderr
    document = Document(out / _name("ban-noi-chinh"))
    (grid,) = [t for t in document.tables if t.rows[0].cells[0].text == "TT"]
    (row,) = [[c.text for c in r.cells] for r in grid.rows[1:]]
    assert row[1].startswith(f"{task}. ")
    assert row[2] == (
        "Chưa hoàn thành, quá hạn; đơn vị báo cáo đã hoàn thành, Ban Tổ chức Tỉnh ủy kết luận "
        "«Chưa chấp nhận»: Chưa có văn bản ban hành"
    )
    assert int(row[4]) > 0


# --- real tools, consoles, usage ------------------------------------------------------


def test_a_letter_renders_in_libreoffice(demo_letters, demo_catalog, tmp_path):
    catalog = demo_catalog
    for tool in ("pdfinfo", "pdftotext"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} (poppler-utils) is not installed: cannot read the rendered PDF")
    first, _ = demo_letters
    # The first letter with a table of overdue tasks, its unit and first task.
    for path in sorted((first / "letters").glob("*.docx")):
        grids = [t for t in Document(path).tables if t.rows[0].cells[0].text == "TT"]
        if grids:
            break
    task_id = grids[0].rows[1].cells[1].text.split(". ")[0]
    unit_id = path.name.removeprefix("don-doc-").removesuffix(f"-{P}.docx")
    (pdf,) = convert([path], "pdf", tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "pts (A4)" in info.stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số …-CV/BTCTU",
        f"Kính gửi: {catalog.units[unit_id].name_vi}",
        task_id,
        "Nơi nhận:",
        "TRƯỞNG BAN",
    ):
        assert expected in text, expected


def test_any_console_encoding_writes_the_same_bytes(demo, demo_letters, tmp_path):
    first, _ = demo_letters
    out = tmp_path / "cp1258"
    raw, processed = demo / "data" / "demo" / "raw", demo / "data" / "demo" / "processed"
    paths = ("--raw", str(raw), "--processed", str(processed), "--out", str(out))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "nq28_analysis",
            "--data-dir",
            str(demo),
            "remind",
            "--period",
            P,
            *paths,
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "cp1258"},
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    made = sorted(p.name for p in (first / "letters").iterdir())
    assert sorted(p.name for p in out.iterdir()) == made
    for name in made:
        assert (out / name).read_bytes() == (first / "letters" / name).read_bytes(), name


def test_letters_are_for_a_quarter(demo, tmp_path):
    done = _nq28(demo, "remind", "--period", "2025-H1", "--out", str(tmp_path))
    assert done.returncode == 2
    assert "Thư đôn đốc làm theo quý: dùng mã quý, ví dụ 2025-Q2." in done.stderr
    assert not list(tmp_path.iterdir())


def test_an_undated_report_is_not_chased_and_an_unanswered_task_is(demo, demo_catalog):
    catalog = demo_catalog
    # Neither case occurs in the demo, and making one through workbooks needs a
    # workbook without any date: the rule is held on the public reminders()
    # over the demo's metrics, changed in one unit each.
    from nq28_analysis.metrics import compute
    from nq28_analysis.metrics.status import current_tables
    from nq28_analysis.reports.letters import reminders

    data = demo / "data" / "demo"
    tables = current_tables(data / "raw", data / "processed", catalog)
    metrics = compute(catalog, tables.submissions, tables.manifest, parse_period(P))
    clean = {r.unit_id for r in reminders(metrics, catalog) if not r.owes}
    undated, unanswered = sorted(clean)[:2]
    reports = metrics.reports.copy()
    mine = reports["unit_id"] == undated
    reports.loc[mine, "submitted_on"] = None
    reports.loc[mine, "on_time_report"] = False
    table = metrics.table.copy()
    pairs = table.index[(table["unit_id"] == unanswered) & (table["deadline_kind"] == "fixed")]
    table.loc[pairs[0], ["classification", "due_date", "due"]] = ["not_reported", None, False]
    changed = dataclasses.replace(metrics, reports=reports, table=table)
    found = {r.unit_id: r for r in reminders(changed, catalog)}
    assert found[undated].report == "undated" and not found[undated].gets_letter
    assert found[unanswered].gets_letter
    assert [o.task_id for o in found[unanswered].owed] == [table.at[pairs[0], "task_id"]]
