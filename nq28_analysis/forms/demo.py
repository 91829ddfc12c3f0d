"""Synthetic demo submissions (``nq28 demo``), marked as sample data.

Every expected unit, every quarter from the program's first quarter to
2025-Q2 (the last quarter before the 2025 reorganisation), made by filling
the project's own templates the way units do, with realistic patterns: most
units diligent, a few lagging (late completions, silent recurring tasks,
missing or late reports), a resubmission, two hand-made layouts with typos,
one file typed in a legacy font, and the clerk's receipt registers. The
same seed gives the same bytes.
"""

from __future__ import annotations

import io
import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook

from ..common.files import write_file
from ..common.periods import Period, Span, parse_period
from ..common.project import REGISTER, SAMPLE_MARKER
from ..common.tables import write_rows
from ..reference.catalog import Catalog
from ..reference.deadlines import DUE, assignment_rows, expected_units, obligation
from .template import Prefill, template_name, write_template

__all__ = ["DEMO_LAST", "LAGGING", "write_demo"]

DEMO_LAST = "2025-Q2"
#: Units the demo makes lag behind (an analyst should find them).
LAGGING = (
    "huyen-uy-son-tay",
    "huyen-uy-minh-long",
    "dang-doan-hoi-nong-dan",
    "dang-doan-mttq",
)
SEED = 28

_RESULTS = (
    "Đã ban hành kế hoạch thực hiện và triển khai đến các chi, đảng bộ trực thuộc.",
    "Tổ chức hội nghị quán triệt cho cán bộ chủ chốt; 100% đảng viên được học tập.",
    "Đã rà soát, sửa đổi quy chế làm việc; đưa vào nội dung sinh hoạt chi bộ định kỳ.",
    "Lồng ghép trong sinh hoạt chi bộ hằng tháng; kiểm tra, giám sát định kỳ.",
    "Đã xây dựng dự thảo, đang lấy ý kiến các cơ quan liên quan.",
    "Tiếp tục triển khai; kết quả bước đầu tích cực.",
    "Phối hợp tổ chức các đoàn kiểm tra, giám sát theo chương trình năm.",
)
_DIFFICULTIES = (
    "Thiếu cán bộ chuyên trách; địa bàn rộng, đi lại khó khăn.",
    "Chưa có hướng dẫn cụ thể của cấp trên.",
    "Kinh phí thực hiện còn hạn chế.",
)
_PROPOSALS = (
    "Đề nghị Ban Tổ chức Tỉnh ủy sớm ban hành hướng dẫn.",
    "Đề nghị bổ sung biên chế cho cơ quan tham mưu.",
    "Đề nghị tổ chức tập huấn nghiệp vụ cho cán bộ cơ sở.",
)
_COMPLETED_WORDS = ("Hoàn thành", "Hoàn thành", "Hoàn thành", "Đã hoàn thành", "HT")
_PROGRESS_WORDS = ("Đang thực hiện", "Đang thực hiện", "Đang triển khai")
_NOT_WORDS = ("Chưa thực hiện", "Chưa thực hiện", "Chưa triển khai", "Không phát sinh")


class _Unit:
    """A unit's habits: how diligent it is, when it finishes each task."""

    def __init__(self, unit_id: str, rng: random.Random):
        self.unit_id = unit_id
        lagging = unit_id in LAGGING
        self.diligence = rng.uniform(0.35, 0.6) if lagging else rng.uniform(0.8, 0.98)
        self.report_rate = 0.7 if lagging else 0.97
        self.late_rate = 0.45 if lagging else 0.08
        self.rng = rng
        self.finished: dict[str, date | None] = {}

    def finish_date(self, task_id: str, due: date) -> date | None:
        if task_id not in self.finished:
            roll = self.rng.random()
            if roll < self.diligence:
                day = due - timedelta(days=self.rng.randint(0, 75))
            elif roll < self.diligence + (1 - self.diligence) * 0.6:
                day = due + timedelta(days=self.rng.randint(10, 200))
            else:
                day = None  # never, within the demo
            self.finished[task_id] = day
        return self.finished[task_id]


def _answers(
    catalog: Catalog, unit: _Unit, pairs, period: Period, reported_on: date
) -> dict[str, Prefill]:
    rng = unit.rng
    answers: dict[str, Prefill] = {}
    for pair in pairs:
        task = catalog.task(pair["task_id"])
        seen = obligation(
            catalog, task.task_id, unit.unit_id, period, reported_on, level=pair["level"] or None
        )
        result = rng.choice(_RESULTS)
        hard = rng.random() < 0.15
        extra = {
            "difficulties": rng.choice(_DIFFICULTIES) if hard else "",
            "proposals": rng.choice(_PROPOSALS) if hard and rng.random() < 0.7 else "",
        }
        if seen.state == "recurring":
            if rng.random() < unit.diligence:
                answers[task.task_id] = Prefill(
                    rng.choice((*_PROGRESS_WORDS, "Hoàn thành")), None, result, **extra
                )
            elif rng.random() < 0.5:
                answers[task.task_id] = Prefill(rng.choice(_NOT_WORDS), None, "", **extra)
            # else: left empty (silent)
        elif seen.state == DUE and seen.due:
            day = unit.finish_date(task.task_id, seen.due)
            if day is not None and day <= reported_on:
                evidence = f"Văn bản số {rng.randint(10, 250)}-KH/{rng.choice(['HU', 'ĐU', 'BCS'])}"
                answers[task.task_id] = Prefill(
                    rng.choice(_COMPLETED_WORDS), day, result, evidence, **extra
                )
            else:
                answers[task.task_id] = Prefill(
                    rng.choice(_PROGRESS_WORDS), None, "Đang triển khai thực hiện.", **extra
                )
        elif seen.state == "not_triggered":
            answers[task.task_id] = Prefill(
                "Không phát sinh", None, "Chưa có yêu cầu, hướng dẫn của Trung ương."
            )
        else:  # no deadline
            answers[task.task_id] = Prefill(rng.choice(_PROGRESS_WORDS), None, result, **extra)
    return answers


def _hand_made(
    path: Path,
    unit_name: str,
    period: Period,
    reported_on: date,
    answers: dict[str, Prefill],
    typo_task: str | None,
) -> None:
    """A unit's own layout: title block, synonyms for headers, a signature."""
    book = Workbook()
    sheet = book.active
    sheet.title = "BC"
    sheet.append([unit_name.upper(), None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"])
    sheet.append(["DỮ LIỆU MẪU — KHÔNG PHẢI BÁO CÁO THẬT"])
    sheet.append([f"BÁO CÁO KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT 28-NQ/TW {period.label_vi.upper()}"])
    sheet.append([f"Kỳ báo cáo: Quý {period.n}/{period.year}"])
    sheet.append(["Ngày báo cáo:", reported_on.strftime("%d/%m/%Y")])
    sheet.append([])
    sheet.append(
        [
            "TT",
            "Mã NV",
            "Nội dung",
            "Tiến độ",
            "Thời gian HT",
            "Kết quả",
            "Minh chứng",
            "Khó khăn",
            "Kiến nghị",
            "Ghi chú",
        ]
    )
    sheet.append([f"({i})" for i in range(1, 11)])
    for i, (task_id, answer) in enumerate(answers.items(), start=1):
        status = answer.status
        if task_id == typo_task:
            status = "Hoàn thàn"  # a typo the check must catch
        day = (
            answer.completed_on.strftime("%d/%m/%Y")
            if isinstance(answer.completed_on, date)
            else (answer.completed_on or "")
        )
        sheet.append(
            [
                i,
                task_id.removeprefix("III."),
                "",
                status,
                day,
                answer.result,
                answer.evidence,
                answer.difficulties,
                answer.proposals,
                "",
            ]
        )
    sheet.append([])
    sheet.append([None, "Nơi nhận:", None, None, "T/M BAN THƯỜNG VỤ"])
    sheet.append([None, "- Ban Tổ chức Tỉnh ủy;", None, None, "BÍ THƯ"])
    book.properties.creator = "nq28 demo"
    saved = io.BytesIO()
    book.save(saved)
    write_file(path, _pin_times(saved.getvalue(), reported_on))


def _pin_times(workbook: bytes, day: date) -> bytes:
    """An openpyxl-saved workbook made byte-stable: fixed zip entry times and a fixed
    modification time in its properties (openpyxl stamps both with the clock)."""
    import re
    import zipfile

    stamp = day.strftime("%Y-%m-%dT00:00:00Z")
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    pinned = io.BytesIO()
    with zipfile.ZipFile(pinned, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            if name == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rf"\g<1>{stamp}",
                    data.decode("utf-8"),
                )
                data = text.encode("utf-8")
            target.writestr(
                zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0)),
                data,
                zipfile.ZIP_DEFLATED,
            )
    return pinned.getvalue()


def write_demo(catalog: Catalog, raw: Path | str, seed: int = SEED) -> list[Path]:
    """Write the demo submissions and receipt registers under ``raw``."""
    raw = Path(raw)
    habits: dict[str, _Unit] = {}
    written: list[Path] = []
    quarters = Span(catalog.settings.first_period, parse_period(DEMO_LAST)).quarters()
    special = {
        "resubmit": ("huyen-uy-binh-son", "2024-Q1"),
        "hand_made": {("thanh-uy-quang-ngai", "2023-Q3"), ("dang-uy-quan-su", "2024-Q3")},
        "typo": ("dang-uy-quan-su", "2024-Q3"),
        "legacy": ("huyen-uy-tra-bong", "2024-Q2"),
    }
    for period in quarters:
        folder = raw / period.id
        folder.mkdir(parents=True, exist_ok=True)
        pairs = assignment_rows(catalog, period)
        register: list[dict] = []
        deadline = period.submission_deadline(catalog.settings.submission_deadline_days)
        for unit_id in expected_units(catalog, period):
            unit = habits.setdefault(unit_id, _Unit(unit_id, random.Random(f"{seed}-{unit_id}")))
            if unit.rng.random() > unit.report_rate:
                continue  # no report this quarter
            late = unit.rng.random() < unit.late_rate
            received = (
                deadline + timedelta(days=unit.rng.randint(2, 25))
                if late
                else period.end + timedelta(days=unit.rng.randint(1, 10))
            )
            reported_on = received - timedelta(days=unit.rng.randint(0, 3))
            mine = [p for p in pairs if p["unit_id"] == unit_id]
            answers = _answers(catalog, unit, mine, period, reported_on)
            key = (unit_id, period.id)
            if key in special["hand_made"]:
                path = folder / f"BC NQ28 {catalog.unit(unit_id).short_name} quy {period.n}.xlsx"
                typo = mine[1]["task_id"] if key == special["typo"] else None
                _hand_made(path, catalog.unit(unit_id).name_vi, period, reported_on, answers, typo)
            else:
                if key == special["legacy"]:
                    answers = _legacy(answers)
                path = write_template(
                    catalog,
                    unit_id,
                    period,
                    folder,
                    answers=answers,
                    reported_on=reported_on,
                    sample=True,
                )
            written.append(path)
            if unit.rng.random() < 0.9:  # the clerk sometimes forgets to log a file
                register.append({"file": path.name, "received_on": received.isoformat()})
            if key == special["resubmit"]:
                again = dict(answers)
                for task_id, answer in list(again.items())[:3]:
                    again[task_id] = Prefill(
                        "Hoàn thành",
                        reported_on - timedelta(days=1),
                        answer.result or "Đã hoàn thành.",
                        answer.evidence,
                    )
                name = template_name(unit_id, period).replace(".xlsx", "_bo-sung.xlsx")
                later = reported_on + timedelta(days=6)
                path = write_template(
                    catalog,
                    unit_id,
                    period,
                    folder,
                    answers=again,
                    reported_on=later,
                    sample=True,
                    file_name=name,
                )
                written.append(path)
                register.append({"file": name, "received_on": later.isoformat()})
        if register:
            write_rows(["file", "received_on"], register, folder / REGISTER)
    write_file(
        raw / SAMPLE_MARKER,
        "Dữ liệu mẫu do «nq28 demo» tạo ra, không phải báo cáo thật.\n".encode(),
    )
    return written


def _legacy(answers: dict[str, Prefill]) -> dict[str, Prefill]:
    """The results typed with a TCVN3 (.VnTime) font, as some units still do."""
    from ..common.legacy import LEGACY_TCVN3, from_unicode

    def to_tcvn3(text: str) -> str:
        return from_unicode(text, LEGACY_TCVN3)

    return {
        task_id: Prefill(
            a.status, a.completed_on, to_tcvn3(a.result), a.evidence, a.difficulties, a.proposals
        )
        for task_id, a in answers.items()
    }
