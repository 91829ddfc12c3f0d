"""The deadline engine, kind by kind, and who owes what when units close or merge."""

from datetime import date

import pytest

from nq28_analysis.common.periods import parse_period
from nq28_analysis.reference.catalog import load_catalog
from nq28_analysis.reference.deadlines import assignments, expected_units, obligation

from .helpers import add_rows, set_unit, with_events

Q = parse_period


def pairs(catalog, period):
    frame = assignments(catalog, Q(period))
    return {(r.unit_id, r.task_id): (r.level, r.inherited_from) for r in frame.itertuples()}


# --- kinds ------------------------------------------------------------------


def test_fixed(catalog):
    ob = obligation(catalog, "III.2.2.9b", "ban-to-chuc", Q("2023-Q2"), date(2023, 7, 10))
    assert (ob.state, ob.due) == ("due", date(2023, 6, 30))
    assert ob.overdue_at(date(2023, 7, 1)) and not ob.overdue_at(date(2023, 6, 30))
    ob = obligation(catalog, "III.2.4.1", "ban-noi-chinh", Q("2023-Q1"), date(2023, 4, 10))
    assert ob.due == date(2023, 12, 31)


def test_staggered_seen_from_each_level(catalog):
    seen = {
        unit: obligation(catalog, "III.2.1.1", unit, Q("2023-Q1"), date(2023, 4, 10)).due
        for unit in ("ban-tuyen-giao", "huyen-uy-ba-to", "dang-uy-cong-an")
    }
    assert seen == {
        "ban-tuyen-giao": date(2022, 12, 31),
        "huyen-uy-ba-to": date(2023, 1, 31),
        "dang-uy-cong-an": date(2023, 1, 31),
    }
    got = pairs(catalog, "2023-Q1")
    assert got[("ban-tuyen-giao", "III.2.1.1")] == ("tinh", "")
    assert got[("huyen-uy-ba-to", "III.2.1.1")] == ("huyen", "")
    assert ("ban-to-chuc", "III.2.1.1") not in got


def test_staggered_without_level_rows_judges_the_lead_on_the_last_date(project):
    (project / "data/reference/task_levels.csv").unlink()
    catalog = load_catalog(project / "data/reference")
    ob = obligation(catalog, "III.2.1.1", "ban-tuyen-giao", Q("2023-Q1"), date(2023, 4, 10))
    assert ob.due == date(2023, 2, 28)
    got = pairs(catalog, "2023-Q1")
    assert got[("ban-tuyen-giao", "III.2.1.1")] == ("co-so", "")
    assert ("huyen-uy-ba-to", "III.2.1.1") not in got


def test_annual_is_judged_per_calendar_year(catalog):
    def due(period, as_of):
        return obligation(catalog, "III.2.6.4", "van-phong", Q(period), as_of).due

    assert due("2023-Q2", date(2023, 7, 10)) == date(2023, 12, 31)
    assert due("2023-Q4", date(2024, 1, 10)) == date(2023, 12, 31)
    assert due("2024-Q1", date(2024, 4, 10)) == date(2024, 12, 31)
    assert due("2024-H2", date(2025, 1, 10)) == date(2024, 12, 31)


def test_recurring_and_no_deadline(catalog):
    assert (
        obligation(catalog, "III.2.1.2", "ban-tuyen-giao", Q("2024-Q1"), date(2024, 4, 1)).state
        == "recurring"
    )
    assert (
        obligation(catalog, "III.1.1", "huyen-uy-ba-to", Q("2024-Q1"), date(2024, 4, 1)).state
        == "none"
    )


def test_on_request_before_and_after_its_event(project):
    catalog = with_events(project, "tw-37,III.2.1.6,request,2024-03-01,2024-09-30,,Công văn TW,")

    def at(day):
        return obligation(catalog, "III.2.1.6", "ban-tuyen-giao", Q("2024-Q1"), day)

    assert at(date(2024, 2, 29)).state == "not_triggered"
    assert (at(date(2024, 3, 1)).state, at(date(2024, 3, 1)).due) == ("due", date(2024, 9, 30))
    assert at(date(2024, 3, 1)).event_id == "tw-37"
    # Another task of the same kind stays untriggered.
    assert (
        obligation(catalog, "III.2.3.2", "uy-ban-kiem-tra", Q("2024-Q1"), date(2024, 6, 1)).state
        == "not_triggered"
    )


def test_after_guidance_and_term(project):
    catalog = with_events(
        project,
        "hd-tw,III.2.2.3a,guidance,2024-05-02,2024-12-31,,Hướng dẫn TW,",
    )
    assert (
        obligation(catalog, "III.2.2.3a", "ban-to-chuc", Q("2024-Q1"), date(2024, 4, 10)).state
        == "not_triggered"
    )
    assert obligation(
        catalog, "III.2.2.3a", "ban-to-chuc", Q("2024-Q2"), date(2024, 7, 10)
    ).due == date(2024, 12, 31)
    # The shipped registry records the 2026 election: fixed on 21/05/2025
    # (Nghị quyết 199/2025/QH15), held on 15/03/2026.
    assert (
        obligation(catalog, "III.2.7.1a", "dang-doan-hdnd", Q("2025-Q1"), date(2025, 4, 10)).state
        == "not_triggered"
    )
    assert obligation(
        catalog, "III.2.7.1a", "dang-doan-hdnd", Q("2025-Q2"), date(2025, 7, 10)
    ).due == date(2026, 3, 15)


def test_per_plan_dated_by_the_shipped_151_event(catalog):
    def at(day):
        return obligation(catalog, "III.2.9.1", "huyen-uy-ba-to", Q("2022-Q4"), day)

    assert at(date(2022, 11, 15)).state == "not_triggered"
    assert (at(date(2022, 11, 16)).state, at(date(2022, 11, 16)).due) == ("due", date(2023, 2, 28))
    assert (
        obligation(catalog, "III.2.2.2", "ban-to-chuc", Q("2024-Q4"), date(2025, 1, 10)).state
        == "not_triggered"
    )


def test_an_event_on_a_plan_dates_every_task_that_follows_it(project):
    catalog = with_events(project, "kh-121,121-KH/TU,plan,2022-08-10,2025-12-31,,Kế hoạch 121,")
    for task_id in ("III.2.2.4", "III.2.2.8"):
        ob = obligation(catalog, task_id, "ban-to-chuc", Q("2024-Q4"), date(2025, 1, 10))
        assert ob.due == date(2025, 12, 31), task_id


def test_extension_moves_the_due_date_from_its_own_date(project):
    catalog = with_events(
        project, "gia-han,III.2.2.9b,extension,2023-06-15,2023-09-30,,Ban Thường vụ đồng ý,"
    )

    def due(day):
        return obligation(catalog, "III.2.2.9b", "ban-to-chuc", Q("2023-Q2"), day).due

    assert due(date(2023, 6, 14)) == date(2023, 6, 30)
    assert due(date(2023, 6, 15)) == date(2023, 9, 30)


def test_extension_for_one_unit_only(project):
    catalog = with_events(project, "gh-bato,IV.2,extension,2023-06-20,2023-08-31,huyen-uy-ba-to,,")
    as_of = date(2023, 7, 10)
    assert obligation(catalog, "IV.2", "huyen-uy-ba-to", Q("2023-Q2"), as_of).due == date(
        2023, 8, 31
    )
    assert obligation(catalog, "IV.2", "huyen-uy-ly-son", Q("2023-Q2"), as_of).due == date(
        2023, 6, 30
    )


def test_latest_event_counts_cancellation_included(project):
    catalog = with_events(
        project,
        "yc,III.2.5.2,request,2024-01-05,2024-06-30,,,",
        "huy,III.2.5.2,cancellation,2024-04-01,,,Trung ương thu hồi yêu cầu,",
    )

    def at(day):
        return obligation(catalog, "III.2.5.2", "ban-dan-van", Q("2024-Q1"), day)

    assert at(date(2024, 3, 31)).due == date(2024, 6, 30)
    assert at(date(2024, 4, 1)).state == "cancelled"


# --- units closing, merging, inheriting -------------------------------------


def test_expected_units_of_the_shipped_registry(catalog):
    expected = expected_units(catalog, Q("2024-Q2"))
    assert len(expected) == 34
    assert "ban-thuong-vu" not in expected and "tinh-uy" not in expected
    assert expected[0] == "ban-to-chuc"  # official display order


def test_unit_closed_mid_period_is_not_expected_for_it(project):
    set_unit(project, "huyen-uy-ly-son", valid_to="2025-05-15")
    catalog = load_catalog(project / "data/reference")
    assert "huyen-uy-ly-son" in expected_units(catalog, Q("2025-Q1"))
    assert "huyen-uy-ly-son" not in expected_units(catalog, Q("2025-Q2"))
    assert not any(u == "huyen-uy-ly-son" for u, _ in pairs(catalog, "2025-Q2"))


@pytest.fixture
def merged(project):
    """Ban Tuyên giáo and Ban Dân vận merge into Ban Tuyên giáo và Dân vận on
    01/03/2025; Huyện ủy Sơn Tịnh merges into Thành ủy Quảng Ngãi on 01/01/2025."""
    units = project / "data/reference/units.csv"
    for board in ("ban-tuyen-giao", "ban-dan-van"):
        set_unit(project, board, valid_to="2025-02-28", successor="ban-tuyen-giao-dan-van")
    set_unit(project, "huyen-uy-son-tinh", valid_to="2024-12-31", successor="thanh-uy-quang-ngai")
    add_rows(
        units,
        "ban-tuyen-giao-dan-van,Ban Tuyên giáo và Dân vận Tỉnh ủy,Ban Tuyên giáo và Dân vận,"
        "BTGDV,co-quan-tham-muu,tinh,tinh-uy,11,có,2025-03-01,,",
    )
    return load_catalog(project / "data/reference")


def test_successor_inherits_open_tasks_once(merged):
    before = pairs(merged, "2024-Q4")
    assert ("ban-tuyen-giao", "III.2.1.2") in before
    assert not any(u == "ban-tuyen-giao-dan-van" for u, _ in before)

    after = pairs(merged, "2025-Q1")
    assert not any(u in {"ban-tuyen-giao", "ban-dan-van"} for u, _ in after)
    assert after[("ban-tuyen-giao-dan-van", "III.2.1.2")] == ("", "ban-tuyen-giao")
    assert after[("ban-tuyen-giao-dan-van", "III.2.5.1")] == ("", "ban-dan-van")
    # Both predecessors led IV.2, and so does the new board itself: once, with
    # both predecessors' history (the board opened after its due date: without
    # the history it would owe nothing, or be judged on what it never had).
    assert after[("ban-tuyen-giao-dan-van", "IV.2")] == ("", "ban-tuyen-giao;ban-dan-van")
    # A staggered task keeps the level of the unit it came from.
    assert after[("ban-tuyen-giao-dan-van", "III.2.1.1")] == ("tinh", "ban-tuyen-giao")
    ob = obligation(
        merged, "III.2.1.1", "ban-tuyen-giao-dan-van", Q("2025-Q1"), date(2025, 4, 10), level="tinh"
    )
    assert ob.due == date(2022, 12, 31)


def test_merged_district_tasks_stay_once_with_the_successor(merged):
    after = assignments(merged, Q("2025-Q1"))
    mine = after[after["unit_id"] == "thanh-uy-quang-ngai"]
    assert mine["task_id"].is_unique
    assert set(mine["inherited_from"]) == {""}
    assert "huyen-uy-son-tinh" not in set(after["unit_id"])


def test_successor_chain_is_followed(project):
    units = project / "data/reference/units.csv"
    set_unit(project, "huyen-uy-ly-son", successor="dang-uy-dac-khu-ly-son")
    add_rows(
        units,
        "dang-uy-dac-khu-ly-son,Đảng ủy đặc khu Lý Sơn,ĐU đặc khu Lý Sơn,,dang-uy-xa,xa,"
        "tinh-uy,70,có,2025-07-01,2025-12-31,dang-uy-tinh-moi",
        "dang-uy-tinh-moi,Đảng ủy cấp tỉnh (thử),ĐU thử,,dang-uy-tinh,tinh,"
        "tinh-uy,71,có,2026-01-01,,",
    )
    catalog = load_catalog(project / "data/reference")
    got = pairs(catalog, "2026-Q1")
    # Every unit the task came through is its history, not only the first.
    assert got[("dang-uy-tinh-moi", "III.2.9.2.1")] == (
        "",
        "huyen-uy-ly-son;dang-uy-dac-khu-ly-son",
    )
