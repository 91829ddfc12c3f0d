"""The registry through the 2025 reorganisation (docs/design.md §12): heirs take
over obligations with their history and due dates — one heir or several,
all tasks or some — and a unit is never judged on a deadline that fell
before it opened unless it inherited it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from nq28_analysis.common.errors import ReferenceDataError
from nq28_analysis.common.periods import parse_period
from nq28_analysis.metrics import classify
from nq28_analysis.reference.catalog import load_catalog
from tests.helpers import REFERENCE, add_rows, edit_csv, set_unit

BATO = "huyen-uy-ba-to"
HEADER = "date,from_unit,to_unit,tasks,source,note"


def subs(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["period", "unit_id", "task_id", "status", "completed_on"])
    return frame.astype({"status": "object"})


def _close(project, unit_id: str, last_day: str, successor: str = "") -> None:
    set_unit(project, unit_id, valid_to=last_day, successor=successor)


def _communes(project, *ids: str) -> None:
    add_rows(
        project / "data/reference/units.csv",
        *(
            f"{uid},Đảng ủy xã {uid[-1].upper()} (thử),ĐU xã {uid[-1].upper()},,dang-uy-xa,xa,"
            f"tinh-uy,{80 + i},có,2025-07-01,,"
            for i, uid in enumerate(ids)
        ),
    )


def _transfers(project, *rows: str) -> None:
    (project / "data/reference/unit_transfers.csv").write_text(
        "\n".join([HEADER, *rows]) + "\n", encoding="utf-8"
    )


def _pairs(table: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    return {(r.unit_id, r.task_id): r for r in table.itertuples(index=False)}


def test_the_readme_merger_gives_the_new_board_its_predecessors_history(project):
    # The README's recipe: two boards close on 28/02/2025, one board opens on 01/03/2025.
    _close(project, "ban-tuyen-giao", "2025-02-28", "ban-tuyen-giao-dan-van")
    _close(project, "ban-dan-van", "2025-02-28", "ban-tuyen-giao-dan-van")
    add_rows(
        project / "data/reference/units.csv",
        "ban-tuyen-giao-dan-van,Ban Tuyên giáo và Dân vận Tỉnh ủy,BTGDV,,"
        "co-quan-tham-muu,tinh,tinh-uy,11,có,2025-03-01,,",
    )
    catalog = load_catalog(project / "data/reference")
    s = subs(
        ("2023-Q2", "ban-tuyen-giao", "IV.2", "completed", date(2023, 6, 10)),
        ("2023-Q2", "ban-dan-van", "IV.2", "completed", date(2023, 6, 20)),
    )
    table = classify(catalog, s, parse_period("2025-Q2"), date(2025, 7, 10))
    row = _pairs(table)[("ban-tuyen-giao-dan-van", "IV.2")]
    assert row.classification == "done_on_time"  # not not_reported: the history came along
    assert row.inherited_from == "ban-tuyen-giao;ban-dan-van"


def test_one_predecessor_done_and_the_other_still_working_is_not_a_reverted_completion(project):
    # Ban Dân vận completed IV.2; Ban Tuyên giáo still reported it in progress
    # a year later. The heir's history holds both: done, and no "completed,
    # then said not completed" warning (that was another unit's answer).
    _close(project, "ban-tuyen-giao", "2025-02-28", "ban-tuyen-giao-dan-van")
    _close(project, "ban-dan-van", "2025-02-28", "ban-tuyen-giao-dan-van")
    add_rows(
        project / "data/reference/units.csv",
        "ban-tuyen-giao-dan-van,Ban Tuyên giáo và Dân vận Tỉnh ủy,BTGDV,,"
        "co-quan-tham-muu,tinh,tinh-uy,11,có,2025-03-01,,",
    )
    catalog = load_catalog(project / "data/reference")
    s = subs(
        ("2023-Q2", "ban-dan-van", "IV.2", "completed", date(2023, 6, 25)),
        ("2024-Q4", "ban-tuyen-giao", "IV.2", "in_progress", None),
        # The same unit saying so is still a reverted completion.
        ("2023-Q2", "ban-to-chuc", "IV.2", "completed", date(2023, 6, 20)),
        ("2024-Q4", "ban-to-chuc", "IV.2", "in_progress", None),
    )
    table = classify(catalog, s, parse_period("2025-Q2"), date(2025, 7, 10))
    heir = _pairs(table)[("ban-tuyen-giao-dan-van", "IV.2")]
    assert (heir.classification, bool(heir.reverted)) == ("done_on_time", False)
    assert bool(_pairs(table)[("ban-to-chuc", "IV.2")].reverted)


def test_a_district_split_to_three_heirs_and_a_section_to_two(project):
    _close(project, BATO, "2025-06-30")
    _communes(project, "dang-uy-xa-a", "dang-uy-xa-b", "dang-uy-xa-c")
    _transfers(
        project,
        # Everything to A and B; only section III.2.9 to C as well.
        f"2025-07-01,{BATO},dang-uy-xa-a,,Quyết định (thử),",
        f"2025-07-01,{BATO},dang-uy-xa-b,,Quyết định (thử),",
        f"2025-07-01,{BATO},dang-uy-xa-c,III.2.9,Quyết định (thử),",
    )
    catalog = load_catalog(project / "data/reference")
    s = subs(
        ("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 1)),
        ("2025-Q3", "dang-uy-xa-a", "III.2.9.2.1", "in_progress", None),
    )
    table = classify(catalog, s, parse_period("2025-Q3"), date(2025, 10, 10))
    got = _pairs(table)
    assert BATO not in set(table["unit_id"])  # closed: its heirs answer
    for heir in ("dang-uy-xa-a", "dang-uy-xa-b"):
        # The plan Ba Tơ made in 2023 is done for each heir, on time: its history.
        assert got[(heir, "IV.2")].classification == "done_on_time"
        assert got[(heir, "IV.2")].inherited_from == BATO
    bato_tasks = {t for (u, t) in got if u == "dang-uy-xa-a"}
    assert {t for (u, t) in got if u == "dang-uy-xa-b"} == bato_tasks
    c_tasks = {t for (u, t) in got if u == "dang-uy-xa-c"}
    assert c_tasks and all(t.startswith("III.2.9.") for t in c_tasks)
    assert ("dang-uy-xa-c", "IV.2") not in got
    assert got[("dang-uy-xa-a", "III.2.9.2.1")].classification == "recurring_reported"
    assert got[("dang-uy-xa-c", "III.2.9.2.1")].classification == "not_reported"


def test_a_district_handing_everything_to_its_eight_communes(project):
    # Commune scale (§13): Ba Tơ closes on 30/06/2025 and hands every task to
    # each of its eight communes; each commune holds exactly Ba Tơ's pairs,
    # with its history.
    communes = [f"dang-uy-xa-{k}" for k in "abcdefgh"]
    _close(project, BATO, "2025-06-30")
    _communes(project, *communes)
    _transfers(project, *(f"2025-07-01,{BATO},{c},,Quyết định (thử)," for c in communes))
    catalog = load_catalog(project / "data/reference")
    assert catalog.heirs(BATO) == communes
    before = classify(catalog, subs(), parse_period("2025-Q2"), date(2025, 7, 10))
    bato = set(before.loc[before["unit_id"] == BATO, "task_id"])
    assert bato
    s = subs(("2023-Q2", BATO, "IV.2", "completed", date(2023, 6, 1)))
    table = classify(catalog, s, parse_period("2025-Q3"), date(2025, 10, 10))
    assert BATO not in set(table["unit_id"])
    for commune in communes:
        mine = table[table["unit_id"] == commune]
        assert set(mine["task_id"]) == bato
        assert set(mine["inherited_from"]) == {BATO}
        done = mine[mine["task_id"] == "IV.2"].iloc[0]
        assert done.classification == "done_on_time"  # Ba Tơ's 2023 answer, for each heir
    assert (table["inherited_from"] == BATO).sum() == 8 * len(bato)  # no pair twice


def test_a_unit_opened_in_2025_is_not_judged_on_a_2023_deadline(project):
    add_rows(
        project / "data/reference/units.csv",
        "dang-uy-moi,Đảng ủy mới (thử),ĐU mới,,dang-uy-tinh,tinh,tinh-uy,45,có,2025-03-01,,",
    )
    catalog = load_catalog(project / "data/reference")
    table = classify(catalog, subs(), parse_period("2025-Q2"), date(2025, 7, 10))
    mine = table[table["unit_id"] == "dang-uy-moi"]
    assert not mine.empty  # it has its recurring tasks
    assert "IV.2" not in set(mine["task_id"])  # due 30/06/2023, before it opened
    assert (mine["deadline_kind"] == "recurring").any()


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        (f"2025-07-01,{BATO},dang-uy-xa-khong-co,,,", "ref-unknown-unit", "to_unit"),
        ("2025-07-01,huyen-uy-khong-co,dang-uy-xa-a,,,", "ref-unknown-unit", "from_unit"),
        (f"2025-07-01,{BATO},dang-uy-xa-a,III.9,,", "ref-unknown-task", "tasks"),
        (f"2025-06-01,{BATO},dang-uy-xa-a,,,", "ref-transfer-closed-heir", "date"),
        (f"2025-31-07,{BATO},dang-uy-xa-a,,,", "ref-bad-date", "date"),
    ],
)
def test_each_bad_transfer_row_is_an_error_at_its_cell(project, row, code, column):
    _communes(project, "dang-uy-xa-a")
    _transfers(project, f"2025-07-01,{BATO},dang-uy-xa-a,IV.2,,", row)
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(project / "data/reference")
    (problem,) = caught.value.problems
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "unit_transfers.csv",
        3,
        column,
        code,
    )


def test_a_cycle_of_transfers_is_refused(project):
    _communes(project, "dang-uy-xa-a", "dang-uy-xa-b")
    _transfers(
        project,
        "2025-08-01,dang-uy-xa-a,dang-uy-xa-b,IV.2,,",
        "2025-09-01,dang-uy-xa-b,dang-uy-xa-a,IV.2,,",
    )
    with pytest.raises(ReferenceDataError) as caught:
        load_catalog(project / "data/reference")
    assert {(p.row, p.code) for p in caught.value.problems} == {
        (2, "ref-transfer-cycle"),
        (3, "ref-transfer-cycle"),
    }


def test_a_period_after_the_programs_end_is_refused(project):
    from tests.helpers import run

    settings = project / "data/reference/settings.csv"
    edit_csv(settings, "last_period,,", "last_period,2026-Q4,")
    done = run("--data-dir", str(project), "status", "--period", "2027-Q1")
    assert done.returncode == 2
    assert "Chương trình đã kết thúc" in done.stderr and "Traceback" not in done.stderr
    assert (
        run(
            "--data-dir",
            str(project),
            "template",
            "--period",
            "2027-Q1",
            "--out",
            str(project / "t"),
        ).returncode
        == 2
    )
    # Shipped empty: the program runs on.
    assert load_catalog(REFERENCE).settings.last_period is None
