"""The Action Program as data: tasks, task aliases, units, unit groups, levels,
events, settings.

Everything lives in editable CSV tables under ``data/reference/``. Each
table has a declarative column spec below; :func:`load_catalog` reads every
table, checks every row against its spec and against the other tables
(ids unique, every unit and group resolves, every deadline phrase parses),
and either returns a :class:`Catalog` or raises
:class:`~nq28_analysis.common.errors.ReferenceDataError` listing *all* problems,
each with its file, row and column.

>>> from nq28_analysis.common.project import find_project
>>> catalog = load_catalog(find_project().reference)
>>> catalog.task("III.2.2.9b").rule.due
datetime.date(2023, 6, 30)
>>> catalog.current_task_id("III.2.2.9")  # an alias: the part carrying the deadline
'III.2.2.9b'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..common.errors import DeadlinePhraseError, PeriodError, ReferenceDataError
from ..common.periods import Period, parse_period
from ..common.problems import ERROR, WARNING, Problem
from ..common.tables import (
    Column,
    Table,
    check_columns,
    parse_bool,
    parse_date,
    read_table,
    split_list,
)
from ..common.text import key, nfc
from .phrases import LEVELS, TRIGGERED_KINDS, Rule, describe_rule, parse_phrase

__all__ = [
    "BLANK",
    "EVENT_KINDS",
    "REVIEW_ISSUERS",
    "TRIGGERS",
    "UNIT_KINDS",
    "Alias",
    "Catalog",
    "Issuer",
    "Settings",
    "Task",
    "Transfer",
    "Unit",
    "load_catalog",
]

#: Kinds of reporting unit (units.csv, column ``kind``).
UNIT_KINDS = {
    "tinh-uy": "Tỉnh ủy",
    "thuong-vu": "Ban Thường vụ Tỉnh ủy",
    "co-quan-tham-muu": "Cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy",
    "dang-doan": "Đảng đoàn",
    "ban-can-su": "Ban cán sự đảng",
    "tinh-doan": "Ban Thường vụ Tỉnh đoàn",
    "co-quan-tinh": "Cơ quan cấp tỉnh",
    "cap-uy-huyen": "Huyện ủy, thị ủy, thành ủy",
    "dang-uy-truc-thuoc": "Đảng ủy trực thuộc Tỉnh ủy",
    "dang-uy-tinh": "Đảng ủy cấp tỉnh (sau sắp xếp 2025)",
    "dang-uy-xa": "Đảng ủy xã, phường, đặc khu (sau sắp xếp 2025)",
    "khac": "Khác",
}
#: Levels of a unit: provincial, or district level and equivalent.
UNIT_LEVELS = ("tinh", "huyen", "xa")
#: Kinds of event (events.csv, column ``kind``).
EVENT_KINDS = ("request", "guidance", "plan", "election", "extension", "cancellation")
#: Event kinds that start a triggered task's obligation.
TRIGGERS = ("request", "guidance", "plan", "election")

_UNIT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TASK_ID = re.compile(r"^(?:III|IV)(?:\.\d+)+[ab]?$")

FILES = {
    "settings": "settings.csv",
    "units": "units.csv",
    "groups": "unit_groups.csv",
    "tasks": "tasks.csv",
    "aliases": "task_aliases.csv",
    "levels": "task_levels.csv",
    "events": "events.csv",
    "transfers": "unit_transfers.csv",
}


def _unit_id(text: str) -> str:
    if not _UNIT_ID.match(text):
        raise ValueError(
            f"mã «{text}» không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang"
        )
    return text


def _task_id(text: str) -> str:
    value = nfc(text).rstrip(".")
    if not _TASK_ID.match(value):
        raise ValueError(f"mã nhiệm vụ «{text}» không hợp lệ (ví dụ đúng: III.2.2.9, IV.2)")
    return value


def _date(text: str) -> date:
    return parse_date(text)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"«{text}» không phải số nguyên") from None


def _list(text: str) -> list[str]:
    return split_list(text)


SETTINGS_COLUMNS = (
    Column("key", required=True, help_vi="tên thiết lập"),
    Column("value", help_vi="giá trị"),
    Column("description"),
)
UNIT_COLUMNS = (
    Column("unit_id", required=True, parse=_unit_id, code="ref-bad-id", help_vi="mã đơn vị"),
    Column("name_vi", required=True, help_vi="tên đầy đủ"),
    Column("short_name"),
    Column("aliases", parse=_list),
    Column("kind", required=True, choices=tuple(UNIT_KINDS), code="ref-bad-choice"),
    Column("level", required=True, choices=UNIT_LEVELS, code="ref-bad-choice"),
    Column("parent", parse=_unit_id, code="ref-bad-id"),
    Column("order", required=True, parse=_int, code="ref-bad-number"),
    Column("reports", required=True, parse=parse_bool, code="ref-bad-bool"),
    Column("valid_from", parse=_date, code="ref-bad-date"),
    Column("valid_to", parse=_date, code="ref-bad-date"),
    Column("successor", parse=_unit_id, code="ref-bad-id"),
    Column("source"),
)
GROUP_COLUMNS = (
    Column("group_id", required=True, parse=_unit_id, code="ref-bad-id"),
    Column("name_vi", required=True),
    Column("kinds", parse=_list),
    Column("units", parse=_list),
    Column("note"),
)
TASK_COLUMNS = (
    Column("task_id", required=True, parse=_task_id, code="ref-bad-id"),
    Column("section", required=True),
    Column("lead", required=True, parse=_list, help_vi="đơn vị hoặc nhóm chủ trì"),
    Column("coordinating", parse=_list),
    Column("documents", parse=_list),
    Column("deadline_phrase"),
    Column("deadline_reading"),
    Column("reading_note"),
    Column("text_vi", required=True, help_vi="nội dung nhiệm vụ"),
)
ALIAS_COLUMNS = (
    Column("alias", required=True, parse=_task_id, code="ref-bad-id", help_vi="mã cũ"),
    Column(
        "task_id", required=True, parse=_task_id, code="ref-bad-id", help_vi="mã nhiệm vụ hiện hành"
    ),
    Column("note", required=True, help_vi="lý do, đơn vị đọc được trong cảnh báo"),
)
LEVEL_COLUMNS = (
    Column("task_id", required=True, parse=_task_id, code="ref-bad-id"),
    Column("level", required=True, choices=LEVELS, code="ref-bad-choice"),
    Column("units", parse=_list),
    Column("note"),
)
EVENT_COLUMNS = (
    Column("event_id", required=True),
    Column("target", required=True, help_vi="mã nhiệm vụ hoặc số văn bản"),
    Column("kind", required=True, choices=EVENT_KINDS, code="ref-bad-choice"),
    Column("date", required=True, parse=_date, code="ref-bad-date"),
    Column("due_date", parse=_date, code="ref-bad-date"),
    Column("unit_id", parse=_unit_id, code="ref-bad-id"),
    Column("source"),
    Column("note"),
)

TRANSFER_COLUMNS = (
    Column("date", required=True, parse=_date, code="ref-bad-date", help_vi="ngày bắt đầu nhận"),
    Column("from_unit", required=True, parse=_unit_id, code="ref-bad-id", help_vi="đơn vị giao"),
    Column("to_unit", required=True, parse=_unit_id, code="ref-bad-id", help_vi="đơn vị nhận"),
    Column("tasks", parse=_list),
    Column("source"),
    Column("note"),
)


#: What a document writes where an organisation setting is left empty.
BLANK = "…"
#: The settings that name the organisation: each is written into documents.
ORGANISATION_SETTINGS = (
    "issuer_parent",
    "issuer_name",
    "issuer_in_text",
    "issuer_code",
    "place",
    "recipients",
    "signer_titles",
    "program_issuer",
    "program_issuer_code",
)


#: Who issues a review (``review_issued_by``): the Board itself, or the
#: Standing Committee (the ``committee_*`` settings).
REVIEW_ISSUERS = ("ban", "thuong-vu")


@dataclass(frozen=True)
class Issuer:
    """Who issues a document, in the words Hướng dẫn 36-HD/VPTW sets: the
    issuer's name under its direct superior (``parent``; empty for a body
    directly under the Central Committee, such as the provincial Party
    Committee), the name in running text, the code in the document's number
    (``…-BC/<code>``), the signature block's lines (authority, then the
    signer's title) and the recipients."""

    parent: str = ""
    name: str = ""
    in_text: str = ""
    code: str = ""
    signer_titles: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    """Program-wide settings (``settings.csv``).

    Every word that names the organisation (the issuer, its code, the place,
    the recipients, the signer's titles) is a setting: the package writes
    none of them itself. A setting left empty is written as ``…``.
    ``reminder_answer_days`` and ``reminder_recipients`` shape the reminder
    letters (docs/design.md §17); a ``settings.csv`` without them loads with
    their defaults, unwarned.
    """

    first_period: Period
    #: The program's last quarter, when an analyst says it has ended; later
    #: periods are refused. Shipped empty: the program runs on.
    last_period: Period | None = None
    submission_deadline_days: int = 10
    issuer_parent: str = ""
    issuer_name: str = ""
    issuer_in_text: str = ""
    issuer_code: str = ""
    place: str = ""
    recipients: tuple[str, ...] = ()
    signer_titles: tuple[str, ...] = ()
    program_issuer: str = ""
    program_issuer_code: str = ""
    program_number: str = ""
    program_date: date | None = None
    program_title: str = ""
    reminder_answer_days: int = 15
    reminder_recipients: tuple[str, ...] = ()
    #: Who issues a sơ kết / tổng kết: ``ban`` (the Board, as every other
    #: document) or ``thuong-vu`` (the Standing Committee, ``committee_*``).
    review_issued_by: str = "ban"
    committee_parent: str = ""
    committee_name: str = ""
    committee_in_text: str = ""
    committee_code: str = ""
    committee_signer_titles: tuple[str, ...] = ()
    committee_recipients: tuple[str, ...] = ()

    @property
    def board(self) -> Issuer:
        """The Board's profile: quarterly reports, letters, worklists."""
        return Issuer(
            self.issuer_parent,
            self.issuer_name,
            self.issuer_in_text,
            self.issuer_code,
            self.signer_titles,
            self.recipients,
        )

    @property
    def committee(self) -> Issuer:
        """The Standing Committee's profile, for a review it issues."""
        return Issuer(
            self.committee_parent,
            self.committee_name,
            self.committee_in_text,
            self.committee_code,
            self.committee_signer_titles,
            self.committee_recipients,
        )

    def issuer_of(self, kind: str) -> Issuer:
        """Who issues a report of ``kind`` (``quy``, ``so-ket``, ``tong-ket``…):
        the Standing Committee for a review when ``review_issued_by`` says
        so, else the Board."""
        review = kind in ("so-ket", "tong-ket")
        return self.committee if review and self.review_issued_by == "thuong-vu" else self.board

    @property
    def program_number_text(self) -> str:
        """The program's number, or a placeholder to fill in by hand."""
        return self.program_number or f"…-CTr/{self.program_issuer_code or BLANK}"

    @property
    def program_date_text(self) -> str:
        """The program's date as dd/mm/yyyy, or a placeholder."""
        return f"{self.program_date:%d/%m/%Y}" if self.program_date else "…/…/……"

    @property
    def reminder_recipient_names(self) -> tuple[str, ...]:
        """«Nơi nhận» of a reminder letter: the setting, else «Như trên» (the
        unit the letter is addressed to) and the issuer's own file copy."""
        return self.reminder_recipients or ("Như trên", f"Lưu {self.issuer_in_text or BLANK}")

    @property
    def program_citation(self) -> str:
        """How documents cite the program: "Chương trình hành động số … ngày …"."""
        return (
            f"Chương trình hành động số {self.program_number_text} ngày "
            f"{self.program_date_text} của {self.program_issuer or BLANK} "
            "thực hiện Nghị quyết số 28-NQ/TW"
        )


@dataclass(frozen=True)
class Unit:
    """A reporting unit (docs/design.md §2)."""

    unit_id: str
    name_vi: str
    short_name: str
    aliases: tuple[str, ...]
    kind: str
    level: str
    parent: str | None
    order: int
    reports: bool
    valid_from: date | None
    valid_to: date | None
    successor: str | None
    #: Where the row's facts come from (a decision, a newspaper, the program).
    source: str = ""

    def open_on(self, day: date) -> bool:
        """Whether the unit exists on ``day`` (both ends inclusive)."""
        if self.valid_from and day < self.valid_from:
            return False
        return not (self.valid_to and day > self.valid_to)


@dataclass(frozen=True)
class Task:
    """A task of the Action Program with its parsed deadline rule."""

    task_id: str
    section: str
    order: int
    lead: tuple[str, ...]
    coordinating: tuple[str, ...]
    documents: tuple[str, ...]
    deadline_phrase: str
    deadline_reading: str
    reading_note: str
    text_vi: str
    rule: Rule

    @property
    def deadline_kind(self) -> str:
        return self.rule.kind

    @property
    def deadline_text(self) -> str:
        """The deadline as the source says it, else as the team read it."""
        return self.deadline_phrase or self.deadline_reading

    @property
    def read_over_phrase(self) -> bool:
        """Whether the rule is our reading of a phrase the source does give
        (docs/design.md §6: a plan already in force, read as recurring)."""
        return bool(self.deadline_phrase and self.deadline_reading)

    @property
    def deadline_words(self) -> str:
        """The rule in plain Vietnamese (for the template's ``Thời hạn``)."""
        return describe_rule(self.rule)


@dataclass(frozen=True)
class Alias:
    """Another id a task answers to in workbooks and events: an id retired by a
    split (``III.2.2.9`` → ``III.2.2.9b``) or a bullet that is the same work as
    another task (``III.2.9.2`` → ``IV.2``). ``note`` says why, in Vietnamese."""

    alias: str
    task_id: str
    note: str


@dataclass(frozen=True)
class Transfer:
    """From ``date``, ``to_unit`` holds ``from_unit``'s obligations on ``tasks``
    (task ids or section prefixes; empty: all of them), with their history
    and due dates (``unit_transfers.csv``, docs/design.md §12). A unit's
    ``successor`` is the shorthand for one transfer of every task, from the
    day after it closed."""

    date: date
    from_unit: str
    to_unit: str
    tasks: tuple[str, ...] = ()
    source: str = ""
    note: str = ""
    row: int = field(default=0, compare=False)  # in unit_transfers.csv, for messages

    def covers(self, task: Task) -> bool:
        """Whether ``task`` is among the transferred ones."""
        if not self.tasks:
            return True
        return any(
            name in (task.task_id, task.section)
            or task.task_id.startswith(f"{name}.")
            or task.section.startswith(f"{name}.")
            for name in self.tasks
        )


@dataclass
class Derived:
    """What a :class:`Catalog` computes once, on first use, and keeps: the
    unit-name index, the unit-id pattern, the transfers by handing unit, and
    per period the expected units, the assignment rows and each unit's
    assigned task ids."""

    names: dict[str, set[str]] | None = None
    unit_id_pattern: re.Pattern | None = None
    transfers_from: dict[str, tuple[Transfer, ...]] | None = None
    expected_units: dict[Period, tuple[str, ...]] = field(default_factory=dict)
    assignment_rows: dict[Period, list[dict]] = field(default_factory=dict)
    assigned: dict[Period, dict[str, frozenset[str]]] = field(default_factory=dict)


@dataclass
class Catalog:
    """Every reference table, checked. Built by :func:`load_catalog`."""

    settings: Settings
    units: dict[str, Unit]
    groups: dict[str, dict]
    tasks: dict[str, Task]
    levels: dict[str, list[tuple[str, tuple[str, ...]]]]
    events: list[dict]
    folder: Path
    aliases: dict[str, Alias] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    #: Explicit transfers of tasks between units, in file order.
    transfers: list[Transfer] = field(default_factory=list)
    #: Values derived from the tables, computed once on first use.
    cache: Derived = field(default_factory=Derived, repr=False, compare=False)

    # --- units and groups ---------------------------------------------------

    def unit(self, unit_id: str) -> Unit:
        return self.units[unit_id]

    def members(self, name: str) -> list[str]:
        """Unit ids a lead/group name stands for, in display order.

        A unit id stands for itself; a group for the units of its kinds and
        its listed units, whatever their dates (callers filter by date).
        """
        if name in self.units:
            return [name]
        group = self.groups[name]
        kinds = set(group["kinds"] or [])
        listed = set(group["units"] or [])
        chosen = [u for u in self.units.values() if u.kind in kinds or u.unit_id in listed]
        return [u.unit_id for u in sorted(chosen, key=lambda u: (u.order, u.unit_id))]

    def resolve(self, names: tuple[str, ...] | list[str]) -> list[str]:
        """Unit ids of several lead/group names, once each, in display order."""
        ids = {uid for name in names for uid in self.members(name)}
        return [u for u in self.unit_order() if u in ids]

    def heirs(self, unit_id: str) -> list[str]:
        """The units that took over some or all of ``unit_id``'s tasks: its
        ``successor`` and the receivers of its transfers, once each, in
        display order."""
        unit = self.units[unit_id]
        ids = {t.to_unit for t in self.transfers_from(unit_id)}
        if unit.successor:
            ids.add(unit.successor)
        return [u for u in self.unit_order() if u in ids]

    def transfers_from(self, unit_id: str) -> tuple[Transfer, ...]:
        """The transfers ``unit_id`` hands over, in file order. Indexed once:
        the deadline engine asks for every (unit, task) pair, and at commune
        scale a scan of every transfer per pair dominated the pairs step."""
        index = self.cache.transfers_from
        if index is None:
            grouped: dict[str, list[Transfer]] = {}
            for transfer in self.transfers:
                grouped.setdefault(transfer.from_unit, []).append(transfer)
            index = self.cache.transfers_from = {u: tuple(ts) for u, ts in grouped.items()}
        return index.get(unit_id, ())

    def unit_order(self) -> list[str]:
        """All unit ids in official display order."""
        return [u.unit_id for u in sorted(self.units.values(), key=lambda u: (u.order, u.unit_id))]

    def find_unit(self, text: str) -> str | None:
        """The unit id whose id, name, short name or alias matches ``text``
        without regard to case, diacritics or spacing; ``None`` when none
        or several match."""
        wanted = key(text)
        if not wanted:
            return None
        hits = self._name_index().get(wanted, ())
        return next(iter(hits)) if len(hits) == 1 else None

    def _name_index(self) -> dict[str, set[str]]:
        """Matching key of every id, name, short name and alias → unit ids."""
        if self.cache.names is not None:
            return self.cache.names
        index: dict[str, set[str]] = {}
        for u in self.units.values():
            names = {u.unit_id, u.unit_id.replace("-", " "), u.name_vi, u.short_name, *u.aliases}
            for name in names:
                if name:
                    index.setdefault(key(name), set()).add(u.unit_id)
        self.cache.names = index
        return index

    def unit_id_pattern(self) -> re.Pattern:
        """Any unit id as a whole part of a slug (``…-huyen-uy-ba-to-…``); the
        longest id wins."""
        if self.cache.unit_id_pattern is None:
            ids = sorted(self.units, key=len, reverse=True)
            self.cache.unit_id_pattern = re.compile(
                r"(?:^|-)(" + "|".join(map(re.escape, ids)) + r")(?=$|-)"
            )
        return self.cache.unit_id_pattern

    # --- tasks ----------------------------------------------------------------

    def task(self, task_id: str) -> Task:
        return self.tasks[task_id]

    def current_task_id(self, task_id: str) -> str | None:
        """The task an id stands for: itself, the task an alias names, or
        ``None`` for an id the program does not have."""
        if task_id in self.tasks:
            return task_id
        alias = self.aliases.get(task_id)
        return alias.task_id if alias else None


# --- loading ------------------------------------------------------------------


def _read(folder: Path, name: str, problems: list[Problem], found: list[str]) -> Table | None:
    path = folder / FILES[name]
    if not path.exists():
        if name in {"levels", "events", "groups", "aliases", "transfers"}:
            return None
        problems.append(
            Problem(FILES[name], "ref-missing-file", f"Thiếu tệp {FILES[name]} trong {folder}.")
        )
        return None
    table = read_table(path)
    found.append(table.found)
    problems.extend(table.problems)
    return table


def _checked(table: Table | None, columns, problems: list[Problem]) -> list[dict]:
    if table is None:
        return []
    records, found = check_columns(table, columns)
    problems.extend(found)
    return records


def _duplicates(records: list[dict], id_column: str, file: str, problems: list[Problem]) -> None:
    first: dict[str, int] = {}
    for r in records:
        value = r.get(id_column)
        if value is None:
            continue
        if value in first:
            problems.append(
                Problem(
                    file,
                    "ref-duplicate-id",
                    f"Mã «{value}» bị trùng với dòng {first[value]}.",
                    row=r["_row"],
                    column=id_column,
                )
            )
        else:
            first[value] = r["_row"]


def _settings(records: list[dict], problems: list[Problem]) -> Settings:
    file = FILES["settings"]
    values = {r["key"]: (r.get("value") or "", r["_row"]) for r in records if r.get("key")}
    known = {f.name for f in Settings.__dataclass_fields__.values()}
    for name, (_, row) in values.items():
        if name not in known:
            problems.append(
                Problem(
                    file,
                    "ref-unknown-setting",
                    f"Thiết lập «{name}» không được dùng.",
                    severity=WARNING,
                    row=row,
                    column="key",
                )
            )

    def get(name: str) -> tuple[str, int | None]:
        value, row = values.get(name, ("", None))
        return value, row

    def bad(name: str, row: int | None, message: str) -> None:
        problems.append(Problem(file, "ref-bad-setting", message, row=row, column="value"))

    kwargs: dict = {}
    text, row = get("first_period")
    try:
        first = parse_period(text or "2022-Q4")
        if first.kind != "Q":
            raise PeriodError("")
    except PeriodError:
        bad("first_period", row, f"«{text}» không phải mã quý (ví dụ 2022-Q4).")
        first = Period("Q", 2022, 4)
    kwargs["first_period"] = first
    text, row = get("last_period")
    if text:
        try:
            last = parse_period(text)
            if last.kind != "Q" or last.end < first.end:
                raise PeriodError("")
            kwargs["last_period"] = last
        except PeriodError:
            bad(
                "last_period",
                row,
                f"«{text}» không phải mã quý (ví dụ 2027-Q4) từ {first.id} trở đi.",
            )
    text, row = get("submission_deadline_days")
    if text:
        try:
            days = int(text)
            if days < 0:
                raise ValueError
            kwargs["submission_deadline_days"] = days
        except ValueError:
            bad("submission_deadline_days", row, f"«{text}» không phải số ngày (số nguyên ≥ 0).")
    text, row = get("reminder_answer_days")
    if text:
        try:
            days = int(text)
            if days < 1:
                raise ValueError
            kwargs["reminder_answer_days"] = days
        except ValueError:
            bad("reminder_answer_days", row, f"«{text}» không phải số ngày (số nguyên ≥ 1).")
    text, row = get("program_date")
    if text:
        try:
            kwargs["program_date"] = parse_date(text)
        except ValueError as exc:
            bad("program_date", row, f"Ngày ban hành Chương trình: {exc}.")
    text, row = get("review_issued_by")
    if text:
        if text in REVIEW_ISSUERS:
            kwargs["review_issued_by"] = text
        else:
            bad(
                "review_issued_by",
                row,
                f"«{text}» không phải «ban» (Ban Tổ chức ban hành báo cáo sơ kết, tổng kết) "
                "hay «thuong-vu» (Ban Thường vụ ban hành).",
            )
    for name in (
        "issuer_parent",
        "issuer_name",
        "issuer_in_text",
        "issuer_code",
        "committee_parent",
        "committee_name",
        "committee_in_text",
        "committee_code",
        "place",
        "program_issuer",
        "program_issuer_code",
        "program_number",
        "program_title",
    ):
        kwargs[name] = get(name)[0]
    for name in (
        "recipients",
        "signer_titles",
        "reminder_recipients",
        "committee_signer_titles",
        "committee_recipients",
    ):
        # Lines of the signature block: ";" apart (a recipient's name may hold a comma).
        kwargs[name] = tuple(p for p in (nfc(x).strip() for x in get(name)[0].split(";")) if p)
    committee = ("committee_name", "committee_in_text", "committee_code", "committee_signer_titles")
    by_committee = kwargs.get("review_issued_by") == "thuong-vu"
    needed = ORGANISATION_SETTINGS + (committee if by_committee else ())
    for name in needed:
        if not kwargs[name]:
            problems.append(
                Problem(
                    file,
                    "ref-missing-setting",
                    f"Thiết lập «{name}» chưa có giá trị: văn bản sẽ ghi «{BLANK}» ở chỗ đó.",
                    severity=WARNING,
                    row=get(name)[1],
                    column="value",
                )
            )
    return Settings(**kwargs)


def _units(records: list[dict], problems: list[Problem]) -> dict[str, Unit]:
    file = FILES["units"]
    _duplicates(records, "unit_id", file, problems)
    units: dict[str, Unit] = {}
    for r in records:
        if not r.get("unit_id") or r["unit_id"] in units:
            continue
        units[r["unit_id"]] = Unit(
            unit_id=r["unit_id"],
            name_vi=r["name_vi"] or "",
            short_name=r["short_name"] or r["name_vi"] or "",
            aliases=tuple(r["aliases"] or ()),
            kind=r["kind"] or "khac",
            level=r["level"] or "tinh",
            parent=r["parent"],
            order=r["order"] if r["order"] is not None else 9999,
            reports=bool(r["reports"]),
            valid_from=r["valid_from"],
            valid_to=r["valid_to"],
            successor=r["successor"],
            source=r.get("source") or "",
        )
    rows = {r["unit_id"]: r["_row"] for r in records if r.get("unit_id")}
    for u in units.values():
        for column, other in (("parent", u.parent), ("successor", u.successor)):
            if other and other not in units:
                problems.append(
                    Problem(
                        file,
                        "ref-unknown-unit",
                        f"Đơn vị «{other}» không có trong {file}.",
                        row=rows[u.unit_id],
                        column=column,
                    )
                )
        if u.valid_from and u.valid_to and u.valid_to < u.valid_from:
            problems.append(
                Problem(
                    file,
                    "ref-bad-dates",
                    f"Ngày kết thúc {u.valid_to:%d/%m/%Y} trước ngày bắt đầu "
                    f"{u.valid_from:%d/%m/%Y}.",
                    row=rows[u.unit_id],
                    column="valid_to",
                )
            )
        if u.successor and not u.valid_to:
            problems.append(
                Problem(
                    file,
                    "ref-successor-without-end",
                    "Có đơn vị kế thừa nhưng chưa ghi ngày kết thúc (valid_to); "
                    "đơn vị kế thừa chỉ nhận nhiệm vụ khi đơn vị này kết thúc.",
                    severity=WARNING,
                    row=rows[u.unit_id],
                    column="successor",
                )
            )
        if u.successor == u.unit_id:
            problems.append(
                Problem(
                    file,
                    "ref-bad-successor",
                    "Đơn vị không thể tự kế thừa chính mình.",
                    row=rows[u.unit_id],
                    column="successor",
                )
            )
    # A chain of successors must end.
    for u in units.values():
        seen = {u.unit_id}
        nxt = u.successor
        while nxt and nxt in units:
            if nxt in seen:
                problems.append(
                    Problem(
                        file,
                        "ref-bad-successor",
                        f"Chuỗi đơn vị kế thừa của «{u.unit_id}» quay vòng.",
                        row=rows[u.unit_id],
                        column="successor",
                    )
                )
                break
            seen.add(nxt)
            nxt = units[nxt].successor
    # Two units must not answer to the same name.
    owners: dict[str, str] = {}
    for u in sorted(units.values(), key=lambda u: rows[u.unit_id]):
        for name in {u.name_vi, u.short_name, *u.aliases}:
            k = key(name)
            if not k:
                continue
            if k in owners and owners[k] != u.unit_id:
                problems.append(
                    Problem(
                        file,
                        "ref-ambiguous-name",
                        f"Tên «{name}» trùng với tên của đơn vị «{owners[k]}»; "
                        "hai đơn vị không được dùng chung một tên gọi.",
                        row=rows[u.unit_id],
                        column="aliases",
                    )
                )
            owners.setdefault(k, u.unit_id)
    return units


def _groups(records: list[dict], units: dict[str, Unit], problems: list[Problem]) -> dict:
    file = FILES["groups"]
    _duplicates(records, "group_id", file, problems)
    groups: dict[str, dict] = {}
    for r in records:
        gid = r.get("group_id")
        if not gid:
            continue
        if gid in units:
            problems.append(
                Problem(
                    file,
                    "ref-duplicate-id",
                    f"Mã nhóm «{gid}» trùng với mã một đơn vị trong {FILES['units']}.",
                    row=r["_row"],
                    column="group_id",
                )
            )
        for kind in r["kinds"] or []:
            if kind not in UNIT_KINDS:
                problems.append(
                    Problem(
                        file,
                        "ref-bad-choice",
                        f"Loại đơn vị «{kind}» không hợp lệ; chọn trong: "
                        + ", ".join(UNIT_KINDS)
                        + ".",
                        row=r["_row"],
                        column="kinds",
                    )
                )
        for uid in r["units"] or []:
            if uid not in units:
                problems.append(
                    Problem(
                        file,
                        "ref-unknown-unit",
                        f"Đơn vị «{uid}» không có trong {FILES['units']}.",
                        row=r["_row"],
                        column="units",
                    )
                )
        groups.setdefault(gid, r)
    return groups


def _tasks(records: list[dict], names: set[str], problems: list[Problem]) -> dict[str, Task]:
    file = FILES["tasks"]
    _duplicates(records, "task_id", file, problems)
    tasks: dict[str, Task] = {}
    for order, r in enumerate(records, start=1):
        tid = r.get("task_id")
        row = r["_row"]
        for column in ("lead", "coordinating"):
            for name in r[column] or []:
                if name not in names:
                    problems.append(
                        Problem(
                            file,
                            "ref-unknown-unit",
                            f"«{name}» không phải mã đơn vị (units.csv) hay mã nhóm "
                            "(unit_groups.csv).",
                            row=row,
                            column=column,
                        )
                    )
        phrase, reading = r["deadline_phrase"] or "", r["deadline_reading"] or ""
        if not phrase and not reading:
            message = (
                "Thiếu thời hạn: ghi «deadline_phrase» (cụm từ trong văn bản) hoặc "
                "«deadline_reading» (cách hiểu khi văn bản không ghi, hoặc cách hiểu thay cho "
                "cụm từ của văn bản, kèm lý do ở «reading_note»)."
            )
            problems.append(
                Problem(file, "ref-deadline-count", message, row=row, column="deadline_phrase")
            )
            continue
        if reading and not r["reading_note"]:
            problems.append(
                Problem(
                    file,
                    "ref-reading-without-note",
                    "Ghi lý do của cách hiểu thời hạn vào cột «reading_note».",
                    row=row,
                    column="reading_note",
                )
            )
        rules = {}
        for column, text in (("deadline_phrase", phrase), ("deadline_reading", reading)):
            if not text:
                continue
            try:
                rules[column] = parse_phrase(text)
            except DeadlinePhraseError:
                problems.append(
                    Problem(
                        file,
                        "ref-bad-deadline",
                        f"Không hiểu thời hạn «{text}». Dùng các cụm như "
                        "«hoàn thành trong quý II/2023», «thực hiện thường xuyên», "
                        "«theo yêu cầu của Trung ương», «theo Kế hoạch số 121-KH/TU».",
                        row=row,
                        column=column,
                    )
                )
        if len(rules) != bool(phrase) + bool(reading):
            continue
        # Our reading, where there is one, is the rule (docs/design.md §6).
        rule = rules.get("deadline_reading") or rules["deadline_phrase"]
        if tid and tid not in tasks:
            tasks[tid] = Task(
                task_id=tid,
                section=r["section"] or "",
                order=order,
                lead=tuple(r["lead"] or ()),
                coordinating=tuple(r["coordinating"] or ()),
                documents=tuple(r["documents"] or ()),
                deadline_phrase=phrase,
                deadline_reading=reading,
                reading_note=r["reading_note"] or "",
                text_vi=r["text_vi"] or "",
                rule=rule,
            )
    return tasks


def _aliases(records: list[dict], tasks: dict[str, Task], problems: list[Problem]) -> dict:
    """Other ids of tasks (``task_aliases.csv``): each names a task of
    ``tasks.csv`` and is not itself a task id; an alias names one task."""
    file = FILES["aliases"]
    _duplicates(records, "alias", file, problems)
    aliases: dict[str, Alias] = {}
    for r in records:
        alias, task_id, row = r.get("alias"), r.get("task_id"), r["_row"]
        if not alias or not task_id:
            continue
        if alias in tasks:
            problems.append(
                Problem(
                    file,
                    "ref-duplicate-id",
                    f"«{alias}» là mã một nhiệm vụ trong {FILES['tasks']}; mã khác của nhiệm vụ "
                    "không được trùng mã nhiệm vụ hiện hành.",
                    row=row,
                    column="alias",
                )
            )
            continue
        if task_id not in tasks:
            problems.append(
                Problem(
                    file,
                    "ref-unknown-task",
                    f"Nhiệm vụ «{task_id}» không có trong {FILES['tasks']}.",
                    row=row,
                    column="task_id",
                )
            )
            continue
        aliases.setdefault(alias, Alias(alias, task_id, r["note"] or ""))
    return aliases


def _dated_by_events(tasks: dict[str, Task], events: list[dict]) -> dict[str, Task]:
    """A reading over a triggered phrase (a plan already in force read as
    recurring) holds until an event dates that phrase: once ``events.csv``
    holds a request, guidance, plan or election for the task or its plan,
    the phrase's own rule applies and the events date it (docs/design.md §6)."""
    out = dict(tasks)
    for task in tasks.values():
        if not task.read_over_phrase:
            continue
        phrase_rule = parse_phrase(task.deadline_phrase)
        if phrase_rule.kind not in TRIGGERED_KINDS:
            continue
        targets = {task.task_id, phrase_rule.document} - {""}
        if any(e["kind"] in TRIGGERS and e["target"] in targets for e in events):
            out[task.task_id] = replace(task, rule=phrase_rule)
    return out


def _levels(records, tasks, names, problems) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    file = FILES["levels"]
    out: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    seen: dict[tuple[str, str], int] = {}
    for r in records:
        tid, level, row = r.get("task_id"), r.get("level"), r["_row"]
        if not tid or not level:
            continue
        task = tasks.get(tid)
        if task is None:
            problems.append(
                Problem(
                    file,
                    "ref-unknown-task",
                    f"Nhiệm vụ «{tid}» không có trong tasks.csv.",
                    row=row,
                    column="task_id",
                )
            )
            continue
        if task.rule.kind != "staggered":
            problems.append(
                Problem(
                    file,
                    "ref-not-staggered",
                    f"Nhiệm vụ «{tid}» không có thời hạn theo từng cấp.",
                    row=row,
                    column="task_id",
                )
            )
            continue
        if level not in dict(task.rule.levels):
            problems.append(
                Problem(
                    file,
                    "ref-bad-choice",
                    f"Thời hạn của «{tid}» không có mốc cho cấp «{level}».",
                    row=row,
                    column="level",
                )
            )
            continue
        if (tid, level) in seen:
            problems.append(
                Problem(
                    file,
                    "ref-duplicate-id",
                    f"Cấp «{level}» của «{tid}» trùng với dòng {seen[(tid, level)]}.",
                    row=row,
                    column="level",
                )
            )
            continue
        seen[(tid, level)] = row
        for name in r["units"] or []:
            if name not in names:
                problems.append(
                    Problem(
                        file,
                        "ref-unknown-unit",
                        f"«{name}» không phải mã đơn vị hay mã nhóm.",
                        row=row,
                        column="units",
                    )
                )
        out.setdefault(tid, []).append((level, tuple(r["units"] or ())))
    for tid, rows in out.items():
        order = [lv for lv, _ in tasks[tid].rule.levels]
        rows.sort(key=lambda item: order.index(item[0]))
    return out


def _events(records, tasks, aliases, units, problems) -> list[dict]:
    file = FILES["events"]
    _duplicates(records, "event_id", file, problems)
    documents = {d for t in tasks.values() for d in (*t.documents, t.rule.document) if d}
    # A plan named by a phrase we read otherwise can be dated too.
    documents |= {
        parse_phrase(t.deadline_phrase).document for t in tasks.values() if t.read_over_phrase
    } - {""}
    known = set(tasks) | set(aliases)
    for r in records:
        row = r["_row"]
        target = r.get("target")
        if target and target.rstrip(".") not in known and target not in documents:
            problems.append(
                Problem(
                    file,
                    "ref-unknown-task",
                    f"«{target}» không phải mã nhiệm vụ hay số văn bản mà một nhiệm vụ nêu.",
                    row=row,
                    column="target",
                )
            )
        missing_due = not r.get("due_date") and "due_date" not in r["_bad"]
        if r.get("kind") != "cancellation" and r.get("kind") and missing_due:
            problems.append(
                Problem(
                    file,
                    "ref-missing-value",
                    "Sự kiện này phải ghi hạn mới («due_date»).",
                    row=row,
                    column="due_date",
                )
            )
        if r.get("unit_id") and r["unit_id"] not in units:
            problems.append(
                Problem(
                    file,
                    "ref-unknown-unit",
                    f"Đơn vị «{r['unit_id']}» không có trong units.csv.",
                    row=row,
                    column="unit_id",
                )
            )
    events = []
    for r in records:
        event = {k: v for k, v in r.items() if k != "_bad"}
        if isinstance(event.get("target"), str):
            target = event["target"].rstrip(".")
            # An event recorded under a task's other id applies to the task.
            event["target"] = aliases[target].task_id if target in aliases else target
        events.append(event)
    return events


def _transfers(records, units, tasks, aliases, problems) -> list[Transfer]:
    """The rows of ``unit_transfers.csv``, checked: known units, task ids or
    section prefixes that name some task, an heir open on the transfer's
    date, and no unit handing tasks back to itself through a chain."""
    file = FILES["transfers"]
    sections = {t.section for t in tasks.values()}
    out = []
    for r in records:
        row, bad = r["_row"], set(r["_bad"])

        def problem(code: str, message: str, column: str, row=row) -> None:
            problems.append(Problem(file, code, message, row=row, column=column))

        for column in ("from_unit", "to_unit"):
            if r.get(column) and r[column] not in units:
                problem(
                    "ref-unknown-unit", f"Đơn vị «{r[column]}» không có trong units.csv.", column
                )
                bad.add(column)
        names = []
        for name in r.get("tasks") or []:
            name = nfc(name).rstrip(".")
            name = aliases[name].task_id if name in aliases else name
            hit = name in tasks or any(s == name or s.startswith(f"{name}.") for s in sections)
            hit = hit or any(t.startswith(f"{name}.") for t in tasks)
            if not hit:
                problem(
                    "ref-unknown-task",
                    f"«{name}» không phải mã nhiệm vụ hay mục nào của Chương trình.",
                    "tasks",
                )
                bad.add("tasks")
            names.append(name)
        if bad & {"date", "from_unit", "to_unit", "tasks"}:
            continue
        heir = units[r["to_unit"]]
        if r["from_unit"] == r["to_unit"]:
            problem("ref-transfer-cycle", "Đơn vị giao và đơn vị nhận trùng nhau.", "to_unit")
            continue
        if not heir.open_on(r["date"]):
            when = heir.valid_from or heir.valid_to
            problem(
                "ref-transfer-closed-heir",
                f"Ngày {r['date']:%d/%m/%Y} đơn vị nhận «{heir.unit_id}» chưa hoạt động hoặc đã "
                f"kết thúc (valid_from/valid_to: {when:%d/%m/%Y}); sửa ngày chuyển giao hoặc ngày "
                "hoạt động của đơn vị.",
                "date",
            )
            continue
        out.append(
            Transfer(
                r["date"],
                r["from_unit"],
                r["to_unit"],
                tuple(names),
                r.get("source") or "",
                r.get("note") or "",
                row,
            )
        )
    # A chain of transfers must not come back to where it started.
    graph: dict[str, set[str]] = {}
    for t in out:
        graph.setdefault(t.from_unit, set()).add(t.to_unit)
    for t in out:
        seen, todo = set(), [t.to_unit]
        while todo:
            unit = todo.pop()
            if unit == t.from_unit:
                problems.append(
                    Problem(
                        file,
                        "ref-transfer-cycle",
                        f"Chuỗi chuyển giao từ «{t.from_unit}» quay lại chính nó.",
                        row=t.row,
                        column="to_unit",
                    )
                )
                break
            if unit not in seen:
                seen.add(unit)
                todo += graph.get(unit, ())
    return out


def load_catalog(folder: Path | str) -> Catalog:
    """Read and check every reference table in ``folder`` (``data/reference/``).

    Raises :class:`ReferenceDataError` with every error found; warnings are
    kept in ``Catalog.warnings``, and ``Catalog.found`` says which encoding
    and separator each file had.
    """
    folder = Path(folder)
    problems: list[Problem] = []
    found: list[str] = []
    tables = {name: _read(folder, name, problems, found) for name in FILES}
    settings = _settings(_checked(tables["settings"], SETTINGS_COLUMNS, problems), problems)
    units = _units(_checked(tables["units"], UNIT_COLUMNS, problems), problems)
    groups = _groups(_checked(tables["groups"], GROUP_COLUMNS, problems), units, problems)
    names = set(units) | set(groups)
    tasks = _tasks(_checked(tables["tasks"], TASK_COLUMNS, problems), names, problems)
    aliases = _aliases(_checked(tables["aliases"], ALIAS_COLUMNS, problems), tasks, problems)
    levels = _levels(_checked(tables["levels"], LEVEL_COLUMNS, problems), tasks, names, problems)
    events = _events(
        _checked(tables["events"], EVENT_COLUMNS, problems), tasks, aliases, units, problems
    )
    tasks = _dated_by_events(tasks, events)
    transfers = _transfers(
        _checked(tables["transfers"], TRANSFER_COLUMNS, problems), units, tasks, aliases, problems
    )
    errors = [p for p in problems if p.severity == ERROR]
    if errors:
        raise ReferenceDataError(errors)
    return Catalog(
        settings=settings,
        units=units,
        groups=groups,
        tasks=tasks,
        levels=levels,
        events=events,
        folder=folder,
        aliases=aliases,
        warnings=[p for p in problems if p.severity == WARNING],
        found=found,
        transfers=transfers,
    )
