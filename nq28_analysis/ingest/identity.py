"""Which unit and which quarter a returned workbook is (docs/design.md §2).

Two steps. :func:`collect_claims` gathers what each place in the workbook
says, as structured :class:`Claim` values: the hidden metadata sheet, the
label cells (``Đơn vị:``, ``Kỳ báo cáo:``), the issuing body at the sheet's
top left (only when there is no unit label), and the file name.
:func:`reconcile` then decides: the places must agree where present, and
the period folder is the default only when the workbook names no quarter.
Words a reader sees are written only when a problem is reported. For a
workbook rejected for its quarter, :func:`rows_period` says which quarter its
rows are still checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePath

from ..common.errors import PeriodError
from ..common.periods import Period, parse_period, period_from_label
from ..common.problems import WARNING, Problem, cell_ref
from ..common.text import key, lower_first, nfc, slug
from ..forms.layout import META_SHEET, Layout
from ..reference.catalog import Catalog
from ..reference.deadlines import expected_units
from .collector import Collector
from .reading import WorkbookCells

__all__ = ["Claim", "Source", "collect_claims", "reconcile", "rows_period", "unit_in_text"]

UNIT = "unit"
PERIOD = "period"


class Source(Enum):
    """The kind of place a claim comes from."""

    META = "meta"  # the hidden metadata sheet of the issued template
    LABEL = "label"  # a label cell above the table: "Đơn vị:", "Kỳ báo cáo:"
    HEADING = "heading"  # the issuing body at the sheet's top left
    FILE_NAME = "file-name"


@dataclass(frozen=True)
class Claim:
    """What one place says the workbook is about.

    ``subject`` is :data:`UNIT` or :data:`PERIOD`; ``value`` a unit id or a
    :class:`~nq28_analysis.common.periods.Period`, ``None`` when the place
    says something not recognised; ``text`` what the place says, as written;
    ``row`` and ``col`` the 0-based cell of a label or heading claim.
    """

    subject: str
    source: Source
    value: str | Period | None
    text: str
    row: int | None = None
    col: int | None = None


# --- collecting ----------------------------------------------------------------------


def collect_claims(
    catalog: Catalog, cells: WorkbookCells, layout: Layout, grid: list[list], file_name: str
) -> list[Claim]:
    """Every claim of the workbook, in the order its problems are reported:
    metadata, labels, the heading (when nothing else names the unit), the
    file name."""
    claims = _metadata_claims(catalog, cells)
    claims += _label_claims(catalog, layout)
    if "unit" not in layout.labels and not _recognised(claims, UNIT):
        claims += _heading_claims(catalog, layout, grid)
    claims += _file_name_claims(catalog, file_name)
    return claims


def _recognised(claims: list[Claim], subject: str) -> list[Claim]:
    return [c for c in claims if c.subject == subject and c.value is not None]


def _metadata_claims(catalog: Catalog, cells: WorkbookCells) -> list[Claim]:
    sheet = cells.sheet(META_SHEET)
    if sheet is None:
        return []
    meta = {nfc(r[0]): nfc(r[1]) for r in sheet.grid if len(r) >= 2 and nfc(r[0])}
    claims = []
    if unit := meta.get("unit_id"):
        claims.append(Claim(UNIT, Source.META, unit if unit in catalog.units else None, unit))
    if text := meta.get("period"):
        try:
            period = parse_period(text)
        except PeriodError:
            period = None
        claims.append(Claim(PERIOD, Source.META, period, text))
    return claims


def _label_claims(catalog: Catalog, layout: Layout) -> list[Claim]:
    claims = []
    label = layout.labels.get("unit")
    if label and (text := nfc(label[0])):
        claims.append(Claim(UNIT, Source.LABEL, _unit_from_label(catalog, text), text, *label[1:]))
    label = layout.labels.get("period")
    if label and (text := nfc(label[0])):
        period = period_from_label(text)
        if period is not None and period.kind != "Q":
            period = None
        claims.append(Claim(PERIOD, Source.LABEL, period, text, *label[1:]))
    return claims


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


def _heading_claims(catalog: Catalog, layout: Layout, grid: list[list]) -> list[Claim]:
    """The issuing body heads an official document, top left ("HUYỆN ỦY BA TƠ"),
    never a "Kính gửi: …" line."""
    claims = []
    for r in range(min(layout.header_row, 4)):
        for c, cell in enumerate(grid[r][:3]):
            text = nfc(cell) if isinstance(cell, str) else ""
            found = unit_in_text(catalog, text) if text and "kinh gui" not in key(text) else None
            if found:
                claims.append(Claim(UNIT, Source.HEADING, found, text, r, c))
    return claims


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


_PERIOD_IN_NAME = re.compile(
    r"(?<!\d)(20\d\d)[-_ ]?q([1-4])(?!\d)|(?<![a-z])q([1-4])[-_ ]?(20\d\d)(?!\d)"
)


def _file_name_claims(catalog: Catalog, name: str) -> list[Claim]:
    # "BC Ba Tơ gửi Ban Tổ chức": the recipient is not the sender.
    stem = re.split(r"(?i)\b(?:kinh\s+gui|kính\s+gửi|gui|gửi)\b", PurePath(name).stem)[0]
    flat = slug(stem)
    found = catalog.unit_id_pattern().search(flat)
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
    claims = [Claim(UNIT, Source.FILE_NAME, unit, name)] if unit else []
    return claims + ([Claim(PERIOD, Source.FILE_NAME, period, name)] if period else [])


# --- reconciling ---------------------------------------------------------------------


def reconcile(
    catalog: Catalog,
    claims: list[Claim],
    folder_period: Period | None,
    out: Collector,
) -> tuple[str | None, Period | None]:
    """The workbook's unit and quarter from its ``claims``; every unrecognised
    value, disagreement or missing value is reported to ``out``."""
    for claim in claims:
        if claim.value is None:
            _unrecognised(claim, out)
    unit = _unit(catalog, claims, out)
    period = _period(catalog, claims, folder_period, out)
    if unit and period and unit not in expected_units(catalog, period):
        u = catalog.unit(unit)
        reason = "không gửi báo cáo" if not u.reports else "không hoạt động trong kỳ này"
        out.file_error("unit-not-expected", f"{u.name_vi} {reason} ({period.label_vi}).")
    return unit, period


def rows_period(
    catalog: Catalog, claims: list[Claim], folder_period: Period | None
) -> Period | None:
    """The quarter the rows of a workbook rejected for its quarter are checked
    against, so that the unit learns of its cell errors with the rejection
    (docs/design.md §7): the one quarter the workbook's places agree on, else
    its folder's. A quarter before the program is none of them; with none,
    the rows are checked without the test of the tasks assigned."""
    named = {c.value for c in _recognised(claims, PERIOD)}
    first = catalog.settings.first_period
    for period in [*(named if len(named) == 1 else ()), folder_period]:
        if period is not None and period.end >= first.end:
            return period
    return None


def _where_vi(claim: Claim) -> str:
    """The place of a claim, as a message names it: ``ô C3 («Huyện ủy Ba Tơ»)``."""
    if claim.source is Source.META:
        return "biểu mẫu phát hành (dữ liệu ẩn)"
    if claim.source is Source.FILE_NAME:
        return f"tên tệp «{claim.text}»"
    return f"ô {cell_ref(claim.row + 1, claim.col)} («{claim.text}»)"


def _unrecognised(claim: Claim, out: Collector) -> None:
    """The problem of a place that names no known unit, or no readable quarter."""
    if claim.subject == UNIT and claim.source is Source.META:
        out.file_error(
            "unit-unknown",
            f"Biểu mẫu ghi mã đơn vị «{claim.text}» không có trong danh sách đơn vị.",
        )
    elif claim.subject == PERIOD and claim.source is Source.META:
        out.problems.append(
            Problem(
                out.file,
                "meta-unreadable",
                f"Dữ liệu ẩn của biểu mẫu ghi kỳ «{claim.text}» không đọc được; bỏ qua.",
                WARNING,
                sheet=META_SHEET,
            )
        )
    elif claim.subject == UNIT:
        out.at(
            "unit-unknown",
            f"Đơn vị «{claim.text}» không có trong danh sách đơn vị; ghi đúng "
            "tên đơn vị như trong biểu mẫu.",
            claim.row,
            claim.col,
        )
    else:
        out.at(
            "period-unreadable",
            f"Không đọc được kỳ báo cáo «{claim.text}»; ghi dạng «Quý II năm 2024».",
            claim.row,
            claim.col,
            "",
            WARNING,
        )


def _unit(catalog: Catalog, claims: list[Claim], out: Collector) -> str | None:
    units = _recognised(claims, UNIT)
    if len({c.value for c in units}) > 1:
        said = "; ".join(f"{_where_vi(c)}: {catalog.unit(c.value).name_vi}" for c in units)
        out.file_error(
            "unit-mismatch",
            "Các nơi trong tệp ghi đơn vị khác nhau — "
            + said
            + ". Có thể đơn vị dùng lại tệp của đơn vị khác; đề nghị kiểm tra và gửi lại.",
        )
        return None
    if units:
        return units[0].value
    if not any(c.subject == UNIT for c in claims):  # an unknown one is reported already
        out.file_error(
            "unit-missing",
            "Không xác định được đơn vị báo cáo: ghi tên đơn vị ở ô «Đơn vị:» phía trên bảng.",
        )
    return None


def _period(
    catalog: Catalog, claims: list[Claim], folder_period: Period | None, out: Collector
) -> Period | None:
    periods = _recognised(claims, PERIOD)
    if len({c.value for c in periods}) > 1:
        _period_mismatch(periods, out)
        return None
    if periods:
        period = periods[0].value
        if folder_period is not None and period != folder_period:
            out.file_error(
                "period-mismatch",
                f"Tệp nằm trong thư mục kỳ {folder_period.label_vi} "
                f"nhưng ghi {period.label_vi} ({_where_vi(periods[0])}).",
            )
            return None
    elif folder_period is None:
        out.file_error(
            "period-missing",
            "Không xác định được kỳ báo cáo: ghi ở ô «Kỳ báo cáo:», ví dụ «Quý II năm 2024».",
        )
        return None
    else:
        period = folder_period
    first = catalog.settings.first_period
    if period.end < first.end:
        out.file_error(
            "period-before-program",
            f"Kỳ {period.label_vi} ở trước kỳ đầu tiên của Chương trình ({first.label_vi}).",
        )
        return None
    return period


def _period_mismatch(periods: list[Claim], out: Collector) -> None:
    label = next((c for c in periods if c.source is Source.LABEL), None)
    others = [c for c in periods if c is not label]
    if label and len({c.value for c in others}) == 1 and label.value != others[0].value:
        # Only the «Kỳ báo cáo» cell disagrees: say which cell, and what it should say.
        right = others[0].value
        where = ", ".join(_where_vi(c) for c in others)
        out.at(
            "period-mismatch",
            f"Ô «Kỳ báo cáo» ghi {label.value.label_vi}, nhưng {where} ghi "
            f"{right.label_vi}. Nếu đây là báo cáo {lower_first(right.label_vi)}, sửa ô "
            f"thành «{right.label_vi}»; nếu không, đơn vị đang dùng tệp của kỳ khác: đề "
            "nghị lấy đúng biểu mẫu của kỳ, điền rồi gửi lại.",
            label.row,
            label.col,
        )
        return
    said = "; ".join(f"{_where_vi(c)}: {c.value.label_vi}" for c in periods)
    out.file_error(
        "period-mismatch",
        "Các nơi trong tệp ghi kỳ báo cáo khác nhau — "
        + said
        + ". Có thể đơn vị dùng lại tệp của kỳ trước; đề nghị kiểm tra và gửi lại.",
    )
