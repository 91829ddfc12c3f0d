"""The Board's verdicts on self-reported completions (docs/design.md §16):
``nq28 review`` writes the worklist, the analyst fills it, ``status`` reads it
back — even re-saved by LibreOffice with its rows sorted and one deleted."""

from __future__ import annotations

import shutil
from datetime import datetime

import pandas as pd
import pytest
from openpyxl import load_workbook

from nq28_analysis.forms.worklist import ANALYST_COLUMNS, WORKLIST_HEADERS, WORKLIST_SHEET
from tests.helpers import run
from tests.office import convert

P = "2024-Q2"


@pytest.fixture
def copy(demo, tmp_path):
    root = tmp_path / "project"
    shutil.copytree(demo / "data" / "demo" / "reference", root / "data" / "reference")
    shutil.copytree(demo / "data" / "demo" / "raw", root / "raw")
    return root


def _nq28(root, *args):
    done = run(
        "--data-dir",
        str(root),
        *args,
        "--raw",
        str(root / "raw"),
        "--processed",
        str(root / "processed"),
    )
    return done


def _table(path):
    sheet = load_workbook(path)[WORKLIST_SHEET]
    rows = list(sheet.iter_rows())
    header = next(i for i, r in enumerate(rows) if r[0].value == WORKLIST_HEADERS["number"])
    labels = [c.value for c in rows[header]]
    return sheet, labels, rows[header + 1 :]


def _fill(path, answers: dict[int, dict[str, object]]) -> list[tuple[str, str]]:
    """Fill the analyst's columns of the worklist rows ``answers`` names (0-based
    data rows: column key → value); return those rows' (unit, task)."""
    book = load_workbook(path)
    sheet = book[WORKLIST_SHEET]
    _, labels, rows = _table(path)
    where = {key: labels.index(label) for key, label in WORKLIST_HEADERS.items()}
    chosen = []
    for index, values in answers.items():
        row = rows[index]
        chosen.append((row[where["unit_id"]].value, row[where["task_id"]].value))
        for key, value in values.items():
            sheet.cell(row[0].row, where[key] + 1).value = value
    book.save(path)
    return chosen


def _classification(out):
    table = pd.read_csv(out / "classification.csv", encoding="utf-8-sig", dtype=str)
    return table.fillna("").set_index(["unit_id", "task_id"])


def test_a_worklist_filled_and_read_back_changes_the_numbers(copy, tmp_path):
    review = copy / "review"
    made = _nq28(copy, "review", "--period", P, "--out", str(review))
    assert made.returncode == 0, made.stderr
    worklist = review / "tham-dinh-2024-Q2.xlsx"
    assert made.stdout.strip() == str(worklist)
    sheet, labels, rows = _table(worklist)
    assert labels[-len(ANALYST_COLUMNS) :] == list(ANALYST_COLUMNS.values())
    assert len(rows) > 5
    assert sheet.protection.sheet  # headers and the units' claims are locked
    day = datetime(2024, 8, 20)
    (refused, fixed, fine, undated, unknown) = _fill(
        worklist,
        {
            0: {"verdict": "Chưa chấp nhận", "reason": "Chưa có văn bản", "reviewed_on": day},
            1: {"verdict": "Sửa", "completed_on": datetime(2024, 12, 1), "reviewed_on": day},
            2: {"verdict": "Chấp nhận", "reviewer": "Nguyễn Văn A", "reviewed_on": day},
            3: {"verdict": "Chấp nhận"},  # no date: an error at its cell
            4: {"verdict": "Tốt", "reviewed_on": day},  # not a verdict word
        },
    )
    before = _nq28(
        copy, "status", "--period", P, "--out", str(tmp_path / "before"), "--as-of", "10/08/2024"
    )
    after = _nq28(
        copy, "status", "--period", P, "--out", str(tmp_path / "after"), "--review", str(review)
    )
    assert before.returncode == after.returncode == 0, after.stderr
    # The problems are said at their cells; the good verdicts still apply.
    assert "[verdict-date-missing]" in after.stderr and "[verdict-unknown]" in after.stderr
    cells = {
        line.split("ô ")[1].split(":")[0]
        for line in after.stderr.splitlines()
        if "[verdict-" in line
    }
    assert len(cells) == 2
    now = _classification(tmp_path / "after")
    assert now.loc[refused, "verdict"] == "not_accepted"
    assert now.loc[refused, "classification"] in ("overdue", "pending_on_time")
    assert now.loc[fixed, "verdict"] == "corrected"
    assert now.loc[fixed, "completed_on"] == "2024-12-01"
    assert now.loc[fixed, "classification"] == "done_late"
    assert now.loc[fine, "verdict"] == "accepted"
    assert now.loc[undated, "verdict"] == "" and now.loc[unknown, "verdict"] == ""
    # Point in time: before the verdicts' date they do not count.
    then = _classification(tmp_path / "before")
    assert then.loc[refused, "verdict"] == "" and then.loc[refused, "classification"].startswith(
        "done_"
    )
    listed = pd.read_csv(copy / "processed" / "verdicts.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(listed["verdict"]) == ["accepted", "corrected", "not_accepted"]
    assert set(listed["file"]) == {"tham-dinh-2024-Q2.xlsx"}
    # A new worklist never overwrites the one holding verdicts, and leaves out
    # the pairs already judged.
    again = _nq28(copy, "review", "--period", P, "--out", str(review), "--review", str(review))
    second = review / "tham-dinh-2024-Q2-2.xlsx"
    assert again.stdout.strip() == str(second)
    _, _, left = _table(second)
    assert len(left) == len(rows) - 3
    # Every document says what the Board decided, the refused pair marked.
    out = tmp_path / "report"
    done = _nq28(copy, "report", "--period", P, "--out", str(out), "--review", str(review))
    assert done.returncode == 0, done.stderr
    page = (out / "bao-cao-2024-Q2.html").read_text(encoding="utf-8")
    assert "Chưa chấp nhận hoàn thành: Chưa có văn bản" in page
    assert "Đã thẩm định 3 lượt nhiệm vụ đơn vị báo cáo hoàn thành" in page
    annex = load_workbook(out / "bao-cao-2024-Q2-phu-luc.xlsx")
    cells = [c.value for r in annex["Thẩm định"].iter_rows() for c in r if c.value]
    assert "Chưa có văn bản" in cells and "Chưa chấp nhận" in cells
    from docx import Document

    text = "\n".join(p.text for p in Document(out / "bao-cao-2024-Q2-du-thao.docx").paragraphs)
    assert f"nhiệm vụ {refused[1]} chưa được chấp nhận hoàn thành (Chưa có văn bản)" in text


def test_a_worklist_resaved_sorted_with_a_row_deleted_still_reads(copy, tmp_path):
    review = copy / "review"
    assert _nq28(copy, "review", "--period", P, "--out", str(review)).returncode == 0
    worklist = review / "tham-dinh-2024-Q2.xlsx"
    day = datetime(2024, 8, 20)
    (refused,) = _fill(
        worklist, {2: {"verdict": "Chưa chấp nhận", "reason": "Thiếu văn bản", "reviewed_on": day}}
    )
    # Sort the rows by unit name descending and delete the first data row, the
    # way an analyst would, then have LibreOffice save it as its own .xlsx.
    book = load_workbook(worklist)
    sheet = book[WORKLIST_SHEET]
    _, labels, rows = _table(worklist)
    values = [[c.value for c in r] for r in rows]
    values.sort(key=lambda v: str(v[labels.index(WORKLIST_HEADERS["unit"])]), reverse=True)
    values = [v for v in values if (v[1], v[3]) != (rows[0][1].value, rows[0][3].value)]
    first = rows[0][0].row
    sheet.protection.sheet = False
    for r in range(first, first + len(rows)):
        for c in range(1, len(labels) + 1):
            sheet.cell(r, c).value = None
    for i, v in enumerate(values):
        for c, value in enumerate(v, start=1):
            sheet.cell(first + i, c).value = value
    edited = tmp_path / "edited" / "tham-dinh-2024-Q2.xlsx"
    edited.parent.mkdir()
    book.save(edited)
    (saved,) = convert([edited], "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    worklist.unlink()
    shutil.copy(saved, review / "tham-dinh-2024-Q2.xlsx")
    done = _nq28(
        copy, "status", "--period", P, "--out", str(tmp_path / "out"), "--review", str(review)
    )
    assert done.returncode == 0 and "[verdict-" not in done.stderr, done.stderr
    assert _classification(tmp_path / "out").loc[refused, "verdict"] == "not_accepted"


def _claims(catalog):
    from nq28_analysis.forms.worklist import Claim

    return [
        Claim(unit, name, task, "…", None, None, "Quý II năm 2024", "", "")
        for unit, name, task in (
            ("huyen-uy-ba-to", "Huyện ủy Ba Tơ", "IV.2"),
            ("huyen-uy-ba-to", "Huyện ủy Ba Tơ", "III.2.9.1"),
            ("huyen-uy-son-ha", "Huyện ủy Sơn Hà", "IV.2"),
            ("huyen-uy-son-ha", "Huyện ủy Sơn Hà", "III.2.9.1"),
            ("van-phong", "Văn phòng Tỉnh ủy", "IV.2"),
        )
    ]


def test_each_bad_row_is_an_error_at_its_cell_and_the_others_apply(catalog, tmp_path):
    from nq28_analysis.common.periods import parse_period
    from nq28_analysis.forms.worklist import write_worklist
    from nq28_analysis.ingest.verdicts import read_verdicts

    path = write_worklist(
        _claims(catalog), parse_period(P), tmp_path / "w.xlsx", datetime(2024, 8, 1).date()
    )
    day = datetime(2024, 8, 20)
    _fill(
        path,
        {
            0: {"verdict": "Chấp nhận", "reviewed_on": day},  # good
            1: {"verdict": "Đồng ý lắm", "reviewed_on": day},  # bad word
            2: {
                "unit_id": "huyen-uy-khong-co",
                "unit": "Huyện ủy Không Có",
                "verdict": "Sửa",
                "status": "Hoàn thành",
                "reviewed_on": day,
            },  # unknown unit
            3: {"task_id": "III.9.9", "verdict": "Chấp nhận", "reviewed_on": day},  # unknown task
            4: {"verdict": "Chấp nhận", "reviewed_on": "31/02/2024"},  # impossible date
        },
    )
    _, labels, rows = _table(path)
    letter = {key: chr(ord("A") + labels.index(label)) for key, label in WORKLIST_HEADERS.items()}
    first = rows[0][0].row
    read = read_verdicts(tmp_path, catalog)
    assert list(
        zip(read.table["unit_id"], read.table["task_id"], read.table["verdict"], strict=True)
    ) == [("huyen-uy-ba-to", "IV.2", "accepted")]
    assert sorted((p.cell, p.code) for p in read.problems) == sorted(
        [
            (f"{letter['verdict']}{first + 1}", "verdict-unknown"),
            (f"{letter['unit_id']}{first + 2}", "verdict-unit-unknown"),
            (f"{letter['task_id']}{first + 3}", "verdict-task-unknown"),
            (f"{letter['reviewed_on']}{first + 4}", "verdict-bad-date"),
        ]
    )
    assert all(p.file == "w.xlsx" and p.severity == "error" for p in read.problems)


def test_each_verdict_kind_changes_the_classification(catalog):
    from datetime import date

    from nq28_analysis.common.periods import parse_period
    from nq28_analysis.metrics import classify

    subs = pd.DataFrame(
        [
            ("2023-Q2", "huyen-uy-ba-to", "IV.2", "completed", date(2023, 6, 1)),
            ("2023-Q2", "huyen-uy-son-ha", "IV.2", "completed", date(2023, 6, 1)),
            ("2023-Q2", "huyen-uy-minh-long", "IV.2", "completed", date(2023, 6, 1)),
            ("2023-Q2", "huyen-uy-son-tay", "IV.2", "completed", date(2023, 6, 1)),
            ("2023-Q2", "huyen-uy-tra-bong", "IV.2", "in_progress", None),
        ],
        columns=["period", "unit_id", "task_id", "status", "completed_on"],
    )
    verdicts = pd.DataFrame(
        [
            ("huyen-uy-ba-to", "IV.2", "not_accepted", None, None, "Chưa có kế hoạch"),
            ("huyen-uy-son-ha", "IV.2", "corrected", None, date(2023, 8, 1), ""),
            ("huyen-uy-minh-long", "IV.2", "corrected", "in_progress", None, ""),
            ("huyen-uy-son-tay", "IV.2", "accepted", None, None, ""),
            ("huyen-uy-tra-bong", "IV.2", "corrected", "completed", date(2023, 6, 20), ""),
        ],
        columns=["unit_id", "task_id", "verdict", "status", "completed_on", "reason"],
    )
    table = classify(catalog, subs, parse_period("2023-Q3"), date(2023, 10, 10), verdicts)
    got = table[table["task_id"] == "IV.2"].set_index("unit_id")
    assert got.loc["huyen-uy-ba-to", ["classification", "verdict"]].tolist() == [
        "overdue",
        "not_accepted",
    ]
    assert got.loc["huyen-uy-ba-to", "verdict_reason"] == "Chưa có kế hoạch"
    assert got.loc["huyen-uy-son-ha", "classification"] == "done_late"  # 01/08 > 30/06
    assert got.loc["huyen-uy-son-ha", "completed_on"] == date(2023, 8, 1)
    assert got.loc["huyen-uy-minh-long", "classification"] == "overdue"
    assert got.loc["huyen-uy-son-tay", ["classification", "verdict"]].tolist() == [
        "done_on_time",
        "accepted",
    ]
    assert got.loc["huyen-uy-tra-bong", "classification"] == "done_on_time"
    untouched = classify(catalog, subs, parse_period("2023-Q3"), date(2023, 10, 10))
    assert (
        untouched.set_index("unit_id")
        .loc["huyen-uy-ba-to"]
        .query("task_id == 'IV.2'")["classification"]
        .item()
        == "done_on_time"
    )
