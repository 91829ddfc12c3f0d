"""Deadline phrases of the source and the rules they stand for.

The catalogue keeps each task's deadline as the source wrote it (or, for the
few bullets with no phrase, as the team decided to read them, in the same
words). :func:`parse_phrase` turns a phrase into a :class:`Rule`; nothing is
retyped as a date by hand.

>>> parse_phrase("hoàn thành trong quý II/2023")
Rule(kind='fixed', due=datetime.date(2023, 6, 30), levels=(), document='')
>>> parse_phrase("thực hiện thường xuyên liên tục").kind
'recurring'
>>> [(lv, d.isoformat()) for lv, d in parse_phrase(
...     "thực hiện theo Kế hoạch số 151-KH/TU ngày 16/11/2022 của Ban Thường vụ Tỉnh ủy; "
...     "trong đó, đối với cấp tỉnh đã hoàn thành trong tháng 12/2022; cấp huyện hoàn "
...     "thành trong tháng 01/2023; cấp cơ sở hoàn thành trước ngày 28/02/2023").levels]
[('tinh', '2022-12-31'), ('huyen', '2023-01-31'), ('co-so', '2023-02-28')]

Readings decided here (also in docs/design.md §6):

* "trong tháng 12/2022" is due on the month's last day; "trong quý II/2023"
  on the quarter's last day; "trong năm 2023" on 31/12/2023.
* "trước ngày 28/02/2023" is due *on* 28/02/2023: work finished that day is
  on time. Vietnamese administrative usage takes the named day as the
  deadline, and a unit gets the benefit of the doubt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..common.errors import DeadlinePhraseError
from ..common.periods import month_end, quarter_end
from ..common.text import key
from .source import documents_in

__all__ = ["KINDS", "LEVELS", "TRIGGERED_KINDS", "Rule", "describe_rule", "parse_phrase"]

#: Deadline kinds (docs/design.md §2, contract).
KINDS = (
    "fixed",
    "staggered",
    "recurring",
    "annual",
    "term",
    "on_request",
    "after_guidance",
    "per_plan",
    "none",
)
#: Kinds that owe nothing until an event dates them.
TRIGGERED_KINDS = ("term", "on_request", "after_guidance", "per_plan")
#: Levels of a staggered deadline, top down.
LEVELS = ("tinh", "huyen", "co-so")

_LEVEL_WORDS = {"tinh": "tinh", "huyen": "huyen", "co so": "co-so"}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@dataclass(frozen=True)
class Rule:
    """A deadline rule: its kind, its date(s) and the plan it follows."""

    kind: str
    due: date | None = None
    levels: tuple[tuple[str, date], ...] = ()
    document: str = ""

    @property
    def last_due(self) -> date | None:
        """The fixed date, or the last level's date of a staggered rule."""
        if self.levels:
            return self.levels[-1][1]
        return self.due


def _date_clause(clause: str) -> date | None:
    """A due date from a folded clause such as "hoan thanh trong quy ii/2023"."""
    if m := re.search(r"\bquy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam)\s*(\d{4})", clause):
        n = m[1]
        return quarter_end(int(m[2]), int(n) if n.isdigit() else _ROMAN[n])
    if m := re.search(r"\btruoc ngay\s+(\d{1,2})/(\d{1,2})/(\d{4})", clause):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if m := re.search(r"\bngay\s+(\d{1,2})/(\d{1,2})/(\d{4})", clause):
        return date(int(m[3]), int(m[2]), int(m[1]))
    if m := re.search(r"\bthang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})", clause):
        return month_end(int(m[2]), int(m[1]))
    if m := re.search(r"\bnam\s+(\d{4})\b", clause):
        return date(int(m[1]), 12, 31)
    return None


def _staggered(phrase_key: str) -> tuple[tuple[str, date], ...]:
    levels = []
    for clause in re.split(r"[;]| trong do ", phrase_key):
        m = re.search(r"\bcap (tinh|huyen|co so)\b", clause)
        if not m:
            continue
        due = _date_clause(clause[m.end() :])
        if due is not None:
            levels.append((_LEVEL_WORDS[m[1]], due))
    return tuple(levels)


def parse_phrase(phrase: str) -> Rule:
    """Turn a deadline phrase into a :class:`Rule`.

    Raises :class:`DeadlinePhraseError` for a phrase it does not know, or
    for an empty one (a task with no phrase needs a written reading).
    """
    k = key(phrase.replace(";", " ; "))
    if not k:
        raise DeadlinePhraseError(phrase)
    plan = documents_in(phrase)
    document = plan[0] if plan else ""
    try:
        if "cap tinh" in k or "cap huyen" in k:
            levels = _staggered(_split_key(phrase))
            if len(levels) >= 2:
                return Rule("staggered", levels=levels, document=document)
        if k.startswith("theo ke hoach") or k.startswith("thuc hien theo ke hoach"):
            if not document:
                raise DeadlinePhraseError(phrase)
            return Rule("per_plan", document=document)
        if "theo yeu cau cua trung uong" in k:
            return Rule("on_request")
        if "sau khi co" in k and ("huong dan" in k or "quy dinh" in k):
            return Rule("after_guidance")
        if k in {"theo nhiem ky", "thuc hien theo nhiem ky"}:
            return Rule("term")
        if re.search(r"\bhang nam\b", k):
            return Rule("annual")
        if "thuong xuyen" in k or k.startswith("dinh ky"):
            return Rule("recurring")
        if k in {"khong co thoi han", "khong xac dinh thoi han"}:
            return Rule("none")
        if k.startswith("hoan thanh") or k.startswith("truoc ngay"):
            due = _date_clause(k)
            if due is not None:
                return Rule("fixed", due=due)
    except ValueError:  # a date that does not exist
        raise DeadlinePhraseError(phrase) from None
    raise DeadlinePhraseError(phrase)


def _split_key(phrase: str) -> str:
    # Keep the ';' between level clauses: key() would drop it.
    return ";".join(key(part) for part in phrase.split(";"))


def describe_rule(rule: Rule) -> str:
    """The rule in Vietnamese words, for templates and reports."""
    if rule.kind == "fixed" and rule.due:
        return f"Hoàn thành trước hoặc trong ngày {rule.due:%d/%m/%Y}"
    if rule.kind == "staggered":
        names = {"tinh": "cấp tỉnh", "huyen": "cấp huyện", "co-so": "cấp cơ sở"}
        parts = [f"{names[level]}: {due:%d/%m/%Y}" for level, due in rule.levels]
        return "Theo từng cấp — " + "; ".join(parts)
    return {
        "recurring": "Thực hiện thường xuyên (báo cáo kết quả mỗi kỳ)",
        "annual": "Thực hiện hằng năm (hoàn thành trong năm)",
        "term": "Theo nhiệm kỳ (hạn theo mốc bầu cử)",
        "on_request": "Theo yêu cầu của Trung ương",
        "after_guidance": "Ngay sau khi có quy định, hướng dẫn của Trung ương",
        "per_plan": f"Theo Kế hoạch số {rule.document}",
        "none": "Không có thời hạn",
    }.get(rule.kind, rule.kind)
