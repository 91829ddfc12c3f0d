"""Validating one returned workbook: which unit, which quarter, every row.

:func:`validate_cells` takes the cells of a workbook (see :mod:`.reading`)
and returns a :class:`FileResult`: the workbook's identity, the accepted
answers and every problem at its cell. It collects all problems in one
pass; only an identity error (a workbook that names another unit or
quarter, an unknown unit) rejects the whole file.

Identity (DESIGN §2): the hidden metadata sheet, the label cells
(``Đơn vị:``, ``Kỳ báo cáo:``) and the file name must agree where present.
The period folder is the default only when the workbook names no quarter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from ..common.errors import PeriodError
from ..common.legacy import LEGACY_TCVN3, LEGACY_VNI, fix_legacy
from ..common.periods import Period, parse_period, period_from_label
from ..common.problems import ERROR, WARNING, Problem, cell_ref
from ..common.text import key, lower_first, nfc, slug
from ..forms.layout import FIELD_LABELS, INPUT_FIELDS, META_SHEET, TASK_SHEET, Layout, find_table
from ..forms.values import COMPLETED, parse_cell_date, parse_status, parse_task_id
from ..reference.catalog import Catalog
from ..reference.deadlines import assigned_tasks, expected_units
from .reading import Sheet, WorkbookCells

__all__ = ["FILE_LEVEL", "FileResult", "is_file_level", "validate_cells"]

#: Rows and columns of the table's sheet a result keeps for a feedback workbook.
GRID_ROWS, GRID_COLS = 2000, 40

_TEXT_FIELDS = ("result", "evidence", "difficulties", "proposals")
_TAIL_WORDS = (
    "noi nhan",
    "nguoi lap",
    "tm ",
    "t/m",
    "thu truong",
    "ghi chu",
    "xac nhan",
    "truong ban",
    "bi thu",
    "pho bi thu",
    "ky ten",
    "chanh van phong",
    "kt ",
)


#: Codes of problems that reject the whole file.
FILE_LEVEL = frozenset(
    {
        "no-table",
        "column-missing",
        "unit-unknown",
        "unit-missing",
        "unit-mismatch",
        "unit-not-expected",
        "period-missing",
        "period-mismatch",
        "period-before-program",
    }
)


def is_file_level(problem: Problem) -> bool:
    """Whether ``problem`` rejects its whole file."""
    return problem.severity == ERROR and (
        problem.code in FILE_LEVEL or problem.code.startswith("file-")
    )


@dataclass
class FileResult:
    """What one workbook gave: identity, accepted answers, problems.

    ``rejected`` is true when a file-level error stops every row;
    ``rows_seen`` counts the table rows that carried an answer or an id, so
    that ``len(answers) + rows_in_error == rows_seen``. ``grid`` keeps the
    cells of the table's sheet (at most :data:`GRID_ROWS` × :data:`GRID_COLS`)
    when a feedback workbook is wanted (see :func:`~.batch.check_one`).
    """

    file: str
    sha256: str = ""
    unit_id: str | None = None
    period: str | None = None
    reported_on: date | None = None
    answers: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows_seen: int = 0
    rows_in_error: int = 0
    sheet: str = ""
    grid: list[list] = field(default_factory=list, repr=False)

    @property
    def rejected(self) -> bool:
        return any(is_file_level(p) for p in self.problems) or (
            self.unit_id is None or self.period is None
        )

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)


class _Collector:
    def __init__(self, file: str, sheet: str = ""):
        self.file, self.sheet = file, sheet
        self.problems: list[Problem] = []

    def file_error(self, code: str, message: str) -> None:
        self.problems.append(Problem(self.file, code, message, ERROR, sheet=self.sheet))

    def at(
        self,
        code: str,
        message: str,
        row: int,
        col: int | None,
        header: str = "",
        severity: str = ERROR,
    ) -> None:
        self.problems.append(
            Problem(
                self.file,
                code,
                message,
                severity,
                sheet=self.sheet,
                row=row + 1,
                column=header,
                cell=cell_ref(row + 1, col) if col is not None else "",
            )
        )


# --- identity ----------------------------------------------------------------------


def _metadata(cells: WorkbookCells) -> dict[str, str]:
    sheet = cells.sheet(META_SHEET)
    if sheet is None:
        return {}
    return {nfc(r[0]): nfc(r[1]) for r in sheet.grid if len(r) >= 2 and nfc(r[0])}


_PERIOD_IN_NAME = re.compile(
    r"(?<!\d)(20\d\d)[-_ ]?q([1-4])(?!\d)|(?<![a-z])q([1-4])[-_ ]?(20\d\d)(?!\d)"
)


def unit_in_text(catalog: Catalog, text: str) -> str | None:
    """The one unit whose name or alias appears as words of ``text``
    (``"Ba To - quy 2"`` → ``huyen-uy-ba-to``); ``None`` when none or several."""
    words = key(re.sub(r"[-_.,;()]+", " ", text)).split()
    hits = set()
    for size in range(min(6, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            found = catalog.find_unit(" ".join(words[start : start + size]))
            if found:
                hits.add(found)
        if hits:
            break  # the longest names win: "Huyện ủy Ba Tơ" over "Ba Tơ"
    return hits.pop() if len(hits) == 1 else None


def _from_file_name(catalog: Catalog, name: str) -> tuple[str | None, Period | None]:
    # "BC Ba Tơ gửi Ban Tổ chức": the recipient is not the sender.
    stem = re.split(r"(?i)\b(?:kinh\s+gui|kính\s+gửi|gui|gửi)\b", PurePath(name).stem)[0]
    flat = slug(stem)
    pattern = catalog.cache.get("unit_id_pattern")
    if pattern is None:
        ids = sorted(catalog.units, key=len, reverse=True)  # the longest id wins
        pattern = re.compile(r"(?:^|-)(" + "|".join(map(re.escape, ids)) + r")(?=$|-)")
        catalog.cache["unit_id_pattern"] = pattern
    found = pattern.search(flat)
    unit = found.group(1) if found else unit_in_text(catalog, stem)
    period = None
    if m := _PERIOD_IN_NAME.search(flat):
        year, n = (m[1], m[2]) if m[1] else (m[4], m[3])
        period = Period("Q", int(year), int(n))
    else:
        try:
            period = period_from_label(stem.replace("_", " "))
        except PeriodError:
            period = None
    return unit, period


def _unit_from_label(catalog: Catalog, text: str) -> str | None:
    found = catalog.find_unit(text)
    if found:
        return found
    # "Huyện ủy Ba Tơ, tỉnh Quảng Ngãi" / "Đảng bộ huyện Ba Tơ": try the parts.
    for part in re.split(r"[,;(]", text):
        found = catalog.find_unit(part)
        if found:
            return found
    return None


def _identity(
    catalog: Catalog,
    cells: WorkbookCells,
    layout: Layout,
    grid: list[list],
    file_name: str,
    folder_period: Period | None,
    out: _Collector,
) -> tuple[str | None, Period | None]:
    meta = _metadata(cells)
    units: dict[str, str] = {}
    periods: dict[str, Period] = {}
    if meta.get("unit_id"):
        if meta["unit_id"] in catalog.units:
            units["biểu mẫu phát hành (dữ liệu ẩn)"] = meta["unit_id"]
        else:
            out.file_error(
                "unit-unknown",
                f"Biểu mẫu ghi mã đơn vị «{meta['unit_id']}» không có trong danh sách đơn vị.",
            )
    if meta.get("period"):
        try:
            periods["biểu mẫu phát hành (dữ liệu ẩn)"] = parse_period(meta["period"])
        except PeriodError:
            out.problems.append(
                Problem(
                    out.file,
                    "meta-unreadable",
                    f"Dữ liệu ẩn của biểu mẫu ghi kỳ «{meta['period']}» không đọc được; bỏ qua.",
                    WARNING,
                    sheet=META_SHEET,
                )
            )
    label = layout.labels.get("unit")
    if label and nfc(label[0]):
        text = nfc(label[0])
        found = _unit_from_label(catalog, text)
        if found:
            units[f"ô {cell_ref(label[1] + 1, label[2])} («{text}»)"] = found
        else:
            out.at(
                "unit-unknown",
                f"Đơn vị «{text}» không có trong danh sách đơn vị; ghi đúng "
                "tên đơn vị như trong biểu mẫu.",
                label[1],
                label[2],
            )
    label = layout.labels.get("period")
    if label and nfc(label[0]):
        found_period = period_from_label(nfc(label[0]))
        if found_period is None or found_period.kind != "Q":
            out.at(
                "period-unreadable",
                f"Không đọc được kỳ báo cáo «{nfc(label[0])}»; ghi dạng «Quý II năm 2024».",
                label[1],
                label[2],
                "",
                WARNING,
            )
        else:
            periods[f"ô {cell_ref(label[1] + 1, label[2])} («{nfc(label[0])}»)"] = found_period
    if not units and "unit" not in layout.labels:
        # No label: the issuing body heads an official document, top left
        # ("HUYỆN ỦY BA TƠ"), never a "Kính gửi: …" line.
        for r in range(min(layout.header_row, 4)):
            for c, cell in enumerate(grid[r][:3]):
                text = nfc(cell) if isinstance(cell, str) else ""
                found = (
                    unit_in_text(catalog, text) if text and "kinh gui" not in key(text) else None
                )
                if found:
                    units.setdefault(f"ô {cell_ref(r + 1, c)} («{text}»)", found)
    name_unit, name_period = _from_file_name(catalog, file_name)
    if name_unit:
        units[f"tên tệp «{file_name}»"] = name_unit
    if name_period:
        periods[f"tên tệp «{file_name}»"] = name_period

    unit = None
    if len(set(units.values())) > 1:
        said = "; ".join(f"{where}: {catalog.unit(u).name_vi}" for where, u in units.items())
        out.file_error(
            "unit-mismatch",
            "Các nơi trong tệp ghi đơn vị khác nhau — "
            + said
            + ". Có thể đơn vị dùng lại tệp của đơn vị khác; đề nghị kiểm tra và gửi lại.",
        )
    elif units:
        unit = next(iter(units.values()))
    elif not any(p.code == "unit-unknown" for p in out.problems):
        out.file_error(
            "unit-missing",
            "Không xác định được đơn vị báo cáo: ghi tên đơn vị ở ô «Đơn vị:» phía trên bảng.",
        )
    period = None
    if len(set(periods.values())) > 1:
        label = layout.labels.get("period")
        at_label = label and next((w for w in periods if w.startswith("ô ")), None)
        others = {p for w, p in periods.items() if w != at_label}
        if at_label and len(others) == 1 and periods[at_label] not in others:
            # Only the «Kỳ báo cáo» cell disagrees: say which cell, and what it should say.
            (right,) = others
            where = ", ".join(w for w in periods if w != at_label)
            out.at(
                "period-mismatch",
                f"Ô «Kỳ báo cáo» ghi {periods[at_label].label_vi}, nhưng {where} ghi "
                f"{right.label_vi}. Nếu đây là báo cáo {lower_first(right.label_vi)}, sửa ô "
                f"thành «{right.label_vi}»; nếu không, đơn vị đang dùng tệp của kỳ khác: đề "
                "nghị lấy đúng biểu mẫu của kỳ, điền rồi gửi lại.",
                label[1],
                label[2],
            )
            return unit, None
        said = "; ".join(f"{where}: {p.label_vi}" for where, p in periods.items())
        out.file_error(
            "period-mismatch",
            "Các nơi trong tệp ghi kỳ báo cáo khác nhau — "
            + said
            + ". Có thể đơn vị dùng lại tệp của kỳ trước; đề nghị kiểm tra và gửi lại.",
        )
        return unit, None
    if periods:
        period = next(iter(periods.values()))
        if folder_period is not None and period != folder_period:
            where = next(iter(periods))
            out.file_error(
                "period-mismatch",
                f"Tệp nằm trong thư mục kỳ {folder_period.label_vi} "
                f"nhưng ghi {period.label_vi} ({where}).",
            )
            return unit, None
    else:
        period = folder_period
        if period is None:
            out.file_error(
                "period-missing",
                "Không xác định được kỳ báo cáo: ghi ở ô «Kỳ báo cáo:», ví dụ «Quý II năm 2024».",
            )
    if period is not None:
        first = catalog.settings.first_period
        if period.end < first.end:
            out.file_error(
                "period-before-program",
                f"Kỳ {period.label_vi} ở trước kỳ đầu tiên của Chương trình ({first.label_vi}).",
            )
            return unit, None
    if unit and period and unit not in expected_units(catalog, period):
        u = catalog.unit(unit)
        reason = "không gửi báo cáo" if not u.reports else "không hoạt động trong kỳ này"
        out.file_error("unit-not-expected", f"{u.name_vi} {reason} ({period.label_vi}).")
    return unit, period


# --- rows --------------------------------------------------------------------------


def _cell(row: list, col: int | None) -> object:
    if col is None or col >= len(row):
        return ""
    value = row[col]
    return "" if value is None else value


def _is_tail(row: list) -> bool:
    """A row that starts what follows a table: "Nơi nhận", "T/M …", a signature,
    a dated place line ("Ba Tơ, ngày … tháng …")."""
    for value in row:
        k = key(value) if isinstance(value, str) else ""
        if k.startswith(_TAIL_WORDS) or ("ngay" in k and "thang" in k and "nam" in k):
            return True
    return False


_LEGACY_NAMES = {LEGACY_TCVN3: "TCVN3 (ABC, phông .Vn…)", LEGACY_VNI: "VNI"}


def _fix_text(value: object, row: int, col: int, header: str, out: _Collector) -> str:
    """A text cell as Unicode NFC; legacy-font text is converted, with a warning.

    Legacy detection sees the raw text: NFC normalisation would already turn
    TCVN3's "Ð" (é) into "Đ" and hide it.
    """
    if value == "" or value is None:  # most text cells are empty
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raw = str(value)
    if not raw.strip():
        return ""
    fixed, found = fix_legacy(raw)
    if found:
        fixed = nfc(fixed)
        out.at(
            "legacy-text",
            f"Chữ gõ bằng bảng mã cũ {_LEGACY_NAMES.get(found, found)} đã được đổi sang "
            f"Unicode: «{fixed[:60]}». Nên dùng phông Unicode (Times New Roman).",
            row,
            col,
            header,
            WARNING,
        )
        return fixed
    return nfc(raw)


def _rows(
    catalog: Catalog,
    sheet: Sheet,
    layout: Layout,
    unit: str | None,
    period: Period | None,
    reported_on: date | None,
    out: _Collector,
    result: FileResult,
) -> None:
    cols = layout.columns
    header_of = {name: layout.headers.get(c, FIELD_LABELS[name]) for name, c in cols.items()}
    assigned = assigned_tasks(catalog, period, unit) if unit and period else frozenset()
    seen: dict[str, int] = {}
    grid = sheet.grid
    id_col = cols.get("task_id")
    input_cols = [(f, cols.get(f)) for f in INPUT_FIELDS]
    last_id_row = max(
        (
            r
            for r in range(layout.first_data_row, len(grid))
            if parse_task_id(_cell(grid[r], id_col))
        ),
        default=layout.first_data_row - 1,
    )
    tail = False
    for r in range(layout.first_data_row, len(grid)):
        row = grid[r]
        raw_id = _cell(row, id_col)
        id_text = nfc(raw_id)
        inputs = {f: _cell(row, c) for f, c in input_cols}
        has_input = any(
            nfc(v) if not isinstance(v, int | float | date) else True for v in inputs.values()
        )
        if not id_text and not has_input:
            continue
        if r > last_id_row and not parse_task_id(raw_id):
            # Below the last task: a signature block, notes, "Nơi nhận" are not
            # data. A row with a real status word or a real date always is; before
            # such a block starts, any status text is.
            status_text = nfc(inputs["status"])
            strong = parse_status(status_text)[0] is not None or (
                parse_cell_date(inputs["completed_on"])[0] is not None
            )
            tail = tail or (not strong and _is_tail(row))
            if not strong and (tail or not status_text):
                continue
        result.rows_seen += 1
        problems_before = len(out.problems)
        task_col = cols.get("task_id", cols.get("task_text"))
        task_id = parse_task_id(raw_id) if id_text else None
        if not id_text:
            out.at(
                "task-id-missing",
                "Dòng có nội dung báo cáo nhưng không có mã nhiệm vụ; ghi mã "
                "nhiệm vụ như trong biểu mẫu.",
                r,
                task_col,
                header_of.get("task_id", ""),
            )
        elif task_id is None or task_id not in catalog.tasks:
            out.at(
                "task-unknown",
                f"Mã nhiệm vụ «{id_text}» không có trong Chương trình.",
                r,
                cols.get("task_id"),
                header_of.get("task_id", ""),
            )
            task_id = None
        elif task_id in seen:
            out.at(
                "task-duplicate",
                f"Nhiệm vụ {task_id} đã được báo cáo ở dòng {seen[task_id]}; "
                "mỗi nhiệm vụ chỉ ghi một dòng.",
                r,
                cols.get("task_id"),
                header_of.get("task_id", ""),
            )
        elif assigned and task_id not in assigned:
            out.at(
                "task-not-assigned",
                f"Nhiệm vụ {task_id} không giao cho đơn vị trong kỳ này; vẫn ghi nhận.",
                r,
                cols.get("task_id"),
                header_of.get("task_id", ""),
                WARNING,
            )
        if task_id and task_id not in seen:
            seen[task_id] = r + 1
        status, message = parse_status(inputs["status"])
        if message:
            # "Hoµn thµnh": a status typed in a legacy font is still a status.
            text = _fix_text(inputs["status"], r, cols["status"], header_of["status"], out)
            status, retry = parse_status(text)
            if retry is None:
                message = None
        if message:
            out.at("status-unknown", message, r, cols.get("status"), header_of.get("status", ""))
        elif status is None and task_id:
            out.at(
                "status-empty",
                "Chưa chọn tình trạng: nhiệm vụ được tính là chưa báo cáo trong tệp này.",
                r,
                cols.get("status"),
                header_of.get("status", ""),
                WARNING,
            )
        completed_on, issue = parse_cell_date(inputs["completed_on"])
        if issue:
            out.at(
                issue.code,
                issue.message,
                r,
                cols.get("completed_on"),
                header_of.get("completed_on", ""),
                issue.severity,
            )
        date_filled = False
        recurring = bool(task_id) and catalog.task(task_id).deadline_kind == "recurring"
        if recurring and status == COMPLETED and completed_on is None:
            pass  # a recurring task reports the period's results: no date is owed
        elif (
            status == COMPLETED and completed_on is None and not (issue and issue.severity == ERROR)
        ):
            out.at(
                "completed-without-date",
                "Hoàn thành nhưng không ghi ngày hoàn thành: tạm lấy ngày gửi báo cáo.",
                r,
                cols.get("completed_on", cols.get("status")),
                header_of.get("completed_on", ""),
                WARNING,
            )
            date_filled = True
        elif status is not None and status != COMPLETED and completed_on is not None:
            out.at(
                "date-without-completion",
                "Có ngày hoàn thành nhưng tình trạng không phải "
                "«Hoàn thành»; ngày này không được dùng.",
                r,
                cols.get("completed_on"),
                header_of.get("completed_on", ""),
                WARNING,
            )
            completed_on = None
        if completed_on and reported_on and completed_on > reported_on:
            out.at(
                "date-after-report",
                f"Ngày hoàn thành {completed_on:%d/%m/%Y} sau ngày báo cáo {reported_on:%d/%m/%Y}.",
                r,
                cols.get("completed_on"),
                header_of.get("completed_on", ""),
                WARNING,
            )
        texts = {
            f: _fix_text(inputs[f], r, cols[f], header_of[f], out) if f in cols else ""
            for f in _TEXT_FIELDS
        }
        if any(p.severity == ERROR for p in out.problems[problems_before:]):
            result.rows_in_error += 1
            continue
        result.answers.append(
            {
                "task_id": task_id,
                "status": status,
                "completed_on": completed_on,
                **texts,
                "source_sheet": sheet.name,
                "source_row": r + 1,
                "date_filled": date_filled,
            }
        )


def validate_cells(
    cells: WorkbookCells,
    catalog: Catalog,
    file: str,
    folder_period: Period | None = None,
) -> FileResult:
    """Validate a workbook's cells; ``file`` is the name shown in problems
    (the path under the raw folder), ``folder_period`` the period folder it
    came from, if any."""
    result = FileResult(file=file)
    try:
        _validate(cells, catalog, file, folder_period, result)
    finally:
        # Reading warnings (a sheet read in part) come first, once sheets were read.
        result.problems[:0] = cells.problems
    return result


def _validate(
    cells: WorkbookCells,
    catalog: Catalog,
    file: str,
    folder_period: Period | None,
    result: FileResult,
) -> None:
    candidates = [s for s in cells.sheets if s.visible]
    candidates.sort(key=lambda s: s.name != TASK_SHEET)
    found: tuple[Sheet, Layout] | None = None
    for sheet in candidates:
        layout = find_table(sheet.grid)
        if layout is not None:
            found = (sheet, layout)
            break
    if found is None:
        result.problems.append(
            Problem(
                file,
                "no-table",
                "Không tìm thấy bảng nhiệm vụ: cần một dòng tiêu đề có các cột «Mã "
                "nhiệm vụ», «Tình trạng», «Ngày hoàn thành»… như trong biểu mẫu.",
            )
        )
        return
    sheet, layout = found
    result.sheet = sheet.name
    out = _Collector(file, sheet.name)
    unit, period = _identity(
        catalog, cells, layout, sheet.grid, PurePath(file).name, folder_period, out
    )
    result.unit_id, result.period = unit, period.id if period else None
    label = layout.labels.get("report_date")
    if label is not None and label[0] not in ("", None):
        reported_on, issue = parse_cell_date(label[0])
        if issue:
            out.at(issue.code, f"Ngày báo cáo: {issue.message}", label[1], label[2], "", WARNING)
        result.reported_on = reported_on
    for ref in cells.formulas_without_value(sheet.name):
        out.problems.append(
            Problem(
                file,
                "formula-no-value",
                "Ô chứa công thức nhưng không có giá trị đã tính (tệp "
                "không được lưu bằng Excel sau khi tính): ô được coi là trống. Mở tệp bằng Excel, "
                "lưu lại rồi gửi.",
                WARNING,
                sheet=sheet.name,
                row=int(re.sub(r"[A-Z]", "", ref)),
                cell=ref,
            )
        )
    for col in layout.extra_columns:
        out.at(
            "column-extra",
            f"Cột «{layout.headers.get(col, '')}» không có trong biểu mẫu; "
            "nội dung cột này không được tổng hợp.",
            layout.header_row,
            col,
            layout.headers.get(col, ""),
            WARNING,
        )
    for col in layout.duplicate_columns:
        out.at(
            "column-duplicate",
            f"Cột «{layout.headers.get(col, '')}» trùng nghĩa với một cột trước; chỉ dùng cột đầu.",
            layout.header_row,
            col,
            layout.headers.get(col, ""),
            WARNING,
        )
    for needed in ("task_id", "status"):
        if needed not in layout.columns:
            out.file_error("column-missing", f"Thiếu cột «{FIELD_LABELS[needed]}».")
    if not any(is_file_level(p) for p in out.problems):
        _rows(catalog, sheet, layout, unit, period, result.reported_on, out, result)
    result.problems.extend(out.problems)
    return
