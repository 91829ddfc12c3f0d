"""Finding the table: rows a template repeats are worked out once, and the
remembered answers never leak from one file into another."""

from __future__ import annotations

import gc
import tracemalloc

from nq28_analysis.forms.layout import find_table

HEADER = ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Tình trạng", "Ngày hoàn thành", "Kết quả"]


def _grid(unit: str) -> list[list]:
    return [
        ["BÁO CÁO TIẾN ĐỘ", "", "", "", ""],
        [f"Đơn vị: {unit}", "", "", "", ""],
        ["Kỳ báo cáo:", "Quý II năm 2024", "", "", ""],
        HEADER,
        ["III.1.1", "Quán triệt", "Đang thực hiện", "", ""],
    ]


def test_found_tables_are_the_callers_to_change():
    first = find_table(_grid("Huyện ủy Ba Tơ"))
    first.columns.clear()
    first.extra_columns.append(99)
    again = find_table(_grid("Huyện ủy Ba Tơ"))
    assert again.columns == {
        "task_id": 0,
        "task_text": 1,
        "status": 2,
        "completed_on": 3,
        "result": 4,
    }
    assert 99 not in again.extra_columns


def test_labels_come_from_each_files_own_rows():
    assert find_table(_grid("Huyện ủy Ba Tơ")).labels["unit"][0] == "Huyện ủy Ba Tơ"
    assert find_table(_grid("Huyện ủy Trà Bồng")).labels["unit"][0] == "Huyện ủy Trà Bồng"


def test_equal_values_of_other_types_are_other_rows():
    """1, 1.0 and True are equal in Python, not in a cell."""
    as_int = [["Ngày báo cáo:", 1, "", "", ""], HEADER]
    as_bool = [["Ngày báo cáo:", True, "", "", ""], HEADER]
    assert find_table(as_int).labels["report_date"][0] is not True
    assert find_table(as_bool).labels["report_date"][0] is True


def test_wide_rows_are_not_remembered():
    """A stray mark in column XFD pads every row to 16,384 cells: such rows are
    worked out each time rather than kept (each would hold megabytes), so reading
    many such files keeps no memory behind."""
    pad = [None] * (16_384 - len(HEADER))

    def wide(n: int) -> list[list]:
        return [
            [f"BÁO CÁO SỐ {n}", *[None] * 4, *pad],
            [f"Đơn vị: Huyện ủy số {n}", *[None] * 4, *pad],
            ["Kỳ báo cáo:", "Quý II năm 2024", f"Ghi chú {n}", "", "", *pad],
            [*HEADER, *pad[:-1], f"x{n}"],
            ["III.1.1", "Quán triệt", "Đang thực hiện", "", "", *pad],
        ]

    assert find_table(wide(0)).labels["unit"][0] == "Huyện ủy số 0"  # found all the same
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for n in range(1, 9):
            assert find_table(wide(n)).header_row == 3
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept < 4 * 2**20  # remembering these rows would keep about 40 MB
