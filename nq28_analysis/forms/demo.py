"""Synthetic demo data (``nq28 demo``), marked as sample data.

The demo spans the 2025 reorganisation. Its own registry
(:func:`write_demo_reference`, ``data/demo/reference/``) is the project's
tables plus sample-only rows, each saying so in its ``source``: two boards
merged on a sample date, and a handful of commune-level party committees
(``dang-uy-xa``) opening on 01/07/2025 that take over the closing district
committees' tasks (``unit_transfers.csv``). Sample units never enter the
project's own ``data/reference/``.

The submissions (:func:`write_demo`): every expected unit, every quarter
from the program's first quarter to :data:`DEMO_LAST`, made by filling the
project's own templates the way units do, each unit's tasks decided by the
tool's own functions against the demo registry — the district committees
until 2025-Q2, the sample communes from 2025-Q3 with the obligations and
history they inherit. Realistic patterns: most units diligent, a few lagging
(late completions, silent recurring tasks, missing or late reports), a
resubmission, two hand-made layouts with typos, one file typed in a legacy
font, the clerk's receipt registers, and the 2026 elections' task done
around the election. :func:`demo_verdicts` and :func:`fill_worklist` fill
the Board's worklist the way an analyst does. The same seed gives the same
bytes.
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
from ..common.tables import read_table, write_rows
from ..reference.catalog import FILES, TRANSFER_COLUMNS, Catalog
from ..reference.deadlines import DUE, assignment_rows, expected_units, obligation
from .template import Prefill, template_name, write_template

__all__ = [
    "DEMO_LAST",
    "LAGGING",
    "SAMPLE_COMMUNES",
    "SAMPLE_SOURCE",
    "demo_verdicts",
    "fill_worklist",
    "write_demo",
    "write_demo_reference",
]

#: The demo's last quarter: a year past the district committees' closing.
DEMO_LAST = "2026-Q2"
#: Units the demo makes lag behind (an analyst should find them): two district
#: committees until they close, two party delegations, and one sample commune.
LAGGING = (
    "huyen-uy-son-tay",
    "huyen-uy-minh-long",
    "dang-doan-hoi-nong-dan",
    "dang-doan-mttq",
    "dang-uy-xa-ba-gia",
)
SEED = 28

#: How every sample-only registry row's ``source`` begins.
SAMPLE_SOURCE = "DỮ LIỆU MẪU — "
#: The sample merger: the two boards close on the day before, the new one opens.
_MERGED = "ban-tuyen-giao-dan-van"
_MERGING = ("ban-tuyen-giao", "ban-dan-van")
_MERGER_DAY = date(2025, 3, 1)
#: The communes' first day: the day after the district level closed.
_COMMUNE_DAY = date(2025, 7, 1)
#: Sample commune-level committees (real names of communes formed on 01/07/2025
#: from former Quảng Ngãi districts' communes): id, commune, the district
#: committee whose tasks it takes over, and which (empty: all of them). Sơn Hà's
#: tasks go to two heirs, section III.2.9 to only one of them.
SAMPLE_COMMUNES = (
    ("dang-uy-xa-dong-son", "Đông Sơn", "huyen-uy-binh-son", ()),
    ("dang-uy-xa-ba-gia", "Ba Gia", "huyen-uy-son-tinh", ()),
    ("dang-uy-xa-son-ha", "Sơn Hà", "huyen-uy-son-ha", ()),
    ("dang-uy-xa-son-linh", "Sơn Linh", "huyen-uy-son-ha", ("III.2.9",)),
    ("dang-uy-xa-dong-tra-bong", "Đông Trà Bồng", "huyen-uy-tra-bong", ()),
    ("dang-uy-xa-khanh-cuong", "Khánh Cường", "thi-uy-duc-pho", ()),
)

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

    def finish_date(self, task_id: str, due: date, election: bool = False) -> date | None:
        if task_id not in self.finished and election:
            # The elections' work is done around election day, by most on time.
            if self.rng.random() < max(self.diligence, 0.75):
                self.finished[task_id] = due - timedelta(days=self.rng.randint(0, 14))
            else:
                self.finished[task_id] = due + timedelta(days=self.rng.randint(5, 40))
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


def _inherit(unit: _Unit, pairs, habits: dict[str, _Unit]) -> None:
    """An heir carries on its predecessors' work: a task one of them finished
    (or will finish) is finished on that day for the heir too."""
    for pair in pairs:
        task_id = pair["task_id"]
        for origin in filter(None, pair.get("inherited_from", "").split(";")):
            done = habits[origin].finished.get(task_id) if origin in habits else None
            if done is not None and task_id not in unit.finished:
                unit.finished[task_id] = done


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
            day = unit.finish_date(task.task_id, seen.due, election=task.rule.kind == "term")
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


def write_demo_reference(source: Path | str, target: Path | str) -> Path:
    """Write the demo's registry into ``target``: every table of the project's
    reference folder ``source`` as it is, plus the sample-only rows (each with
    a ``source`` starting «DỮ LIỆU MẪU — »): Ban Tuyên giáo and Ban Dân vận
    closing on 28/02/2025 and their merged board opening the day after, and the
    sample communes of :data:`SAMPLE_COMMUNES` opening on 01/07/2025 with the
    transfers of their district committees' tasks. A row is added only where
    the project's registry holds the units it speaks of. ``source`` is only
    read. Returns ``target``."""
    source, target = Path(source), Path(target)
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.startswith((".", "~$")):
            write_file(target / path.name, path.read_bytes())
    units = read_table(source / FILES["units"])
    records = [dict(r) for r in units.records]
    by_id = {r.get("unit_id"): r for r in records}
    merging = [by_id[u] for u in _MERGING if u in by_id and not by_id[u].get("valid_to")]
    if len(merging) == len(_MERGING) and _MERGED not in by_id:
        for row in merging:
            row["valid_to"] = (_MERGER_DAY - timedelta(days=1)).isoformat()
            row["successor"] = _MERGED
            row["source"] = (
                f"{SAMPLE_SOURCE}ngày kết thúc 28/02/2025 và việc hợp nhất là giả định của "
                f"dữ liệu mẫu; {row.get('source', '')}".rstrip("; ")
            )
        records.append(
            _unit_row(
                merging[0],
                unit_id=_MERGED,
                name_vi="Ban Tuyên giáo và Dân vận Tỉnh ủy",
                short_name="Ban Tuyên giáo và Dân vận",
                aliases="BTGDVTU;Ban Tuyên giáo và Dân vận",
                valid_from=_MERGER_DAY.isoformat(),
                source=f"{SAMPLE_SOURCE}hợp nhất Ban Tuyên giáo và Ban Dân vận Tỉnh ủy từ ngày "
                "01/03/2025 (ngày giả định của dữ liệu mẫu)",
            )
        )
    transfers = []
    for i, (unit_id, commune, district, tasks) in enumerate(SAMPLE_COMMUNES):
        if district not in by_id or unit_id in by_id:
            continue
        former = by_id[district].get("name_vi", district)
        if unit_id not in {r.get("unit_id") for r in records}:
            records.append(
                _unit_row(
                    by_id[district],
                    unit_id=unit_id,
                    name_vi=f"Đảng ủy xã {commune}",
                    short_name=f"Đảng ủy xã {commune}",
                    aliases=f"ĐU xã {commune}",
                    kind="dang-uy-xa",
                    level="xa",
                    order=str(80 + i),
                    valid_from=_COMMUNE_DAY.isoformat(),
                    source=f"{SAMPLE_SOURCE}xã {commune} (từ 01/7/2025) được lập từ các xã thuộc "
                    f"địa bàn {former} cũ; đơn vị giả định của dữ liệu mẫu",
                )
            )
        transfers.append(
            {
                "date": _COMMUNE_DAY.isoformat(),
                "from_unit": district,
                "to_unit": unit_id,
                "tasks": ";".join(tasks),
                "source": f"{SAMPLE_SOURCE}chuyển giao giả định của dữ liệu mẫu",
                "note": (
                    f"Đảng ủy xã {commune} nhận "
                    + (f"mục {', '.join(tasks)}" if tasks else "mọi nhiệm vụ")
                    + f" của {former} từ ngày 01/7/2025."
                ),
            }
        )
    write_rows(units.columns, records, target / FILES["units"])
    columns = [c.name for c in TRANSFER_COLUMNS]
    own = source / FILES["transfers"]
    earlier = [dict(r) for r in read_table(own).records] if own.is_file() else []
    write_rows(columns, earlier + transfers, target / FILES["transfers"])
    return target


def _unit_row(like: dict, **values: str) -> dict:
    """A new ``units.csv`` row: ``like``'s parent, level, kind and reporting,
    with ``values`` over them; no alias, end or successor unless given."""
    row = {key: "" for key in like}
    for key in ("kind", "level", "parent", "order", "reports"):
        row[key] = like.get(key, "")
    row.update(values)
    return row


def write_demo(catalog: Catalog, raw: Path | str, seed: int = SEED) -> list[Path]:
    """Write the demo submissions and receipt registers under ``raw``, for the
    demo registry ``catalog`` (:func:`write_demo_reference`)."""
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
            _inherit(unit, mine, habits)
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


def demo_verdicts(claims, period: Period) -> dict[tuple[str, str], dict[str, object]]:
    """The verdicts an analyst gives on the demo's worklist of ``period``
    (``claims`` as :func:`~nq28_analysis.forms.worklist.write_worklist` lists
    them): (unit, task) → the analyst's columns. Only completions reported
    before ``period`` are judged, each unit at most once, dated in the last
    days of the quarter; every kind of verdict: «Chưa chấp nhận» with a reason
    (a sample commune's inherited plan among them, so that its reminder shows
    it), «Sửa» with a corrected status and date, and «Chấp nhận»."""
    from .worklist import VERDICT_LABELS

    earlier = [c for c in claims if c.claimed_in != period.label_vi and c.due_date]
    communes = {c[0] for c in SAMPLE_COMMUNES}
    picked: list = []
    for wanted in (
        lambda c: c.unit_id in communes,
        lambda c: c.unit_id not in communes,
        lambda c: c.unit_id not in communes and c.claimed_on and c.claimed_on < c.due_date,
    ):
        taken = {p.unit_id for p in picked}
        chosen = next((c for c in earlier if wanted(c) and c.unit_id not in taken), None)
        if chosen is not None:
            picked.append(chosen)
    reasons = (
        "Kế hoạch của huyện ủy cũ chưa được cụ thể hóa cho địa bàn xã mới; đề nghị đảng ủy "
        "xã ban hành kế hoạch của mình.",
        "Văn bản minh chứng gửi kèm là dự thảo, chưa được ký ban hành.",
    )
    answers: dict[tuple[str, str], dict[str, object]] = {}
    for i, claim in enumerate(picked[:2]):
        answers[claim.unit_id, claim.task_id] = {
            "verdict": VERDICT_LABELS["not_accepted"],
            "reason": reasons[i],
        }
    if len(picked) > 2:
        late = picked[2]
        answers[late.unit_id, late.task_id] = {
            "verdict": VERDICT_LABELS["corrected"],
            "status": "Hoàn thành",
            "completed_on": late.due_date + timedelta(days=20),
            "reason": "Ngày ký ban hành văn bản muộn hơn ngày đơn vị báo cáo.",
        }
    units = {c.unit_id for c in picked}
    for claim in earlier:
        if len(answers) >= 10:
            break
        if claim.unit_id not in units:
            units.add(claim.unit_id)
            answers[claim.unit_id, claim.task_id] = {"verdict": VERDICT_LABELS["accepted"]}
    for i, values in enumerate(answers.values()):
        values["reviewer"] = "Cán bộ thẩm định (mẫu)"
        values["reviewed_on"] = period.end - timedelta(days=2 * i)
    return answers


def fill_worklist(
    path: Path | str, answers: dict[tuple[str, str], dict[str, object]], day: date
) -> Path:
    """Fill the analyst's columns of the worklist at ``path`` as an analyst
    does in a spreadsheet program (here openpyxl): for each (unit, task) row
    of ``answers``, the values under their column labels (dates as date
    cells). The saved file is byte-stable, dated ``day``."""
    from datetime import datetime

    from openpyxl import load_workbook

    from .worklist import WORKLIST_HEADERS, WORKLIST_SHEET

    path = Path(path)
    book = load_workbook(path)
    sheet = book[WORKLIST_SHEET]
    rows = list(sheet.iter_rows())
    header = next(i for i, r in enumerate(rows) if r[0].value == WORKLIST_HEADERS["number"])
    where = {label: i for i, label in enumerate(c.value for c in rows[header])}
    column = {key: where[label] + 1 for key, label in WORKLIST_HEADERS.items()}
    for row in rows[header + 1 :]:
        values = answers.get(
            (row[column["unit_id"] - 1].value, row[column["task_id"] - 1].value), {}
        )
        for key, value in values.items():
            cell = sheet.cell(row[0].row, column[key])
            if isinstance(value, date):
                cell.value = datetime.combine(value, datetime.min.time())
                cell.number_format = "DD/MM/YYYY"
            else:
                cell.value = value
    saved = io.BytesIO()
    book.save(saved)
    return write_file(path, _pin_times(saved.getvalue(), day))
