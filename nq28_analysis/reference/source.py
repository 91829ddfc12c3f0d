"""Reading the Action Program's official text into numbered items.

The official text is kept in ``data/reference/chuong-trinh-hanh-dong.txt``
exactly as received (a Markdown rendering of the signed document). This
module finds its tasks so that a test can hold the catalogue against it:

* headings are recognised by their numbering, whatever their Markdown depth
  (the source mixes ``##``, ``###`` and ``####`` for the same level);
* a paragraph that starts with no bullet or number continues the previous
  item (three bullets are split by page breaks);
* a deadline phrase is an italic parenthesis ``(*…*)``, or, in IV.2, the
  plain ``hoàn thành trong quý II/2023`` that ends the sentence;
* an item with several phrases is cut into segments, one per phrase, plus a
  trailing segment without a phrase when text follows the last one.

>>> from nq28_analysis.common.project import find_project
>>> items = read_source(find_project().reference / SOURCE_NAME)
>>> items["III.2.2.3"].segments[0].phrase
'thực hiện ngay sau khi có quy định, hướng dẫn của Trung ương'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..common.text import nfc

__all__ = [
    "DOCUMENT_NUMBER",
    "SOURCE_NAME",
    "Segment",
    "SourceItem",
    "documents_in",
    "read_source",
    "section_titles",
]

SOURCE_NAME = "chuong-trinh-hanh-dong.txt"

_ROMAN_HEADING = re.compile(r"^(I|II|III|IV|V|VI)\.\s")
_SUBSECTION = re.compile(r"^2\.(\d+)\.\s")
_PART = re.compile(r"^(\d)\.\s")
_KEY_TASK = re.compile(r"^1\.(\d+)\.\s")
_NUMBERED = re.compile(r"^(\d)\.\s")
_ITALIC_PHRASE = re.compile(r"\(\*(.+?)\*\)")
_PLAIN_DEADLINE = re.compile(r"[;,]\s*(hoàn thành trong (?:quý|năm|tháng) [^.;]+?)\s*\.?\s*$")

#: Document numbers as the province writes them: 151-KH/TU, 306-QĐ/TU, 28-NQ/TW.
DOCUMENT_NUMBER = re.compile(r"\b\d+-(?:KH|NQ|QĐ|KL|CT|QC|HD|TB)/(?:TW|TU)\b")


@dataclass
class Segment:
    """Part of an item: its text (phrase removed) and its deadline phrase."""

    text: str
    phrase: str = ""
    plain: bool = False  # the phrase was plain text, not an italic parenthesis


@dataclass
class SourceItem:
    """A numbered task of the source: ``III.2.2.9``, ``III.1.3``, ``IV.2``."""

    id: str
    section: str
    text: str
    line: int
    segments: list[Segment] = field(default_factory=list)


def _clean(line: str) -> str:
    return nfc(line.replace("**", ""))


def _heading_text(line: str) -> str:
    return _clean(line.lstrip("#").strip())


def _segments(text: str) -> list[Segment]:
    out: list[Segment] = []
    position = 0
    for match in _ITALIC_PHRASE.finditer(text):
        before = text[position : match.start()].strip()
        position = match.end()
        # The punctuation right after the parenthesis ends the segment.
        tail = re.match(r"\s*([.;,:]*)", text[position:])
        punctuation = tail.group(1) if tail else ""
        position += tail.end() if tail else 0
        out.append(Segment(text=nfc(before + punctuation), phrase=nfc(match[1])))
    rest = text[position:].strip()
    if rest.strip(" .;,"):
        plain = _PLAIN_DEADLINE.search(rest)
        if plain:
            body = rest[: plain.start()].rstrip() + "."
            out.append(Segment(text=nfc(body), phrase=nfc(plain[1]), plain=True))
        else:
            out.append(Segment(text=nfc(rest)))
    return out


def documents_in(text: str) -> list[str]:
    """Document numbers in ``text``, in order of first appearance, once each."""
    seen: list[str] = []
    for number in DOCUMENT_NUMBER.findall(nfc(text)):
        if number not in seen:
            seen.append(number)
    return seen


def read_source(path: Path | str) -> dict[str, SourceItem]:
    """Parse the official text into its numbered tasks (sections III and IV).

    Returns items keyed by id, in document order.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    items: dict[str, SourceItem] = {}
    roman = part = sub = ""
    bullet = 0
    current: SourceItem | None = None
    parent_bullet: SourceItem | None = None
    plus = 0

    def open_item(item_id: str, section: str, text: str, number: int) -> SourceItem:
        item = SourceItem(id=item_id, section=section, text=text, line=number)
        items[item_id] = item
        return item

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or set(line) <= {"-", "*", "_"}:
            continue
        is_heading = line.startswith("#")
        text = _heading_text(line) if is_heading else _clean(line)
        if text.startswith("Nơi nhận"):
            break
        if m := _ROMAN_HEADING.match(text):
            roman, part, sub, current = m[1], "", "", None
            continue
        if roman == "III":
            if m := _SUBSECTION.match(text):
                sub, bullet, current, parent_bullet = f"2.{m[1]}", 0, None, None
                continue
            if is_heading and (m := _PART.match(text)):
                part, sub, current = m[1], "", None
                continue
            if part == "1" and (m := _KEY_TASK.match(text)):
                body = text[m.end() :]
                current = open_item(f"III.1.{m[1]}", "III.1", body, number)
                continue
            if sub and text.startswith("- "):
                bullet += 1
                plus = 0
                current = open_item(f"III.{sub}.{bullet}", f"III.{sub}", text[2:], number)
                parent_bullet = current
                continue
            if sub and text.startswith("+ ") and parent_bullet is not None:
                plus += 1
                current = open_item(f"{parent_bullet.id}.{plus}", f"III.{sub}", text[2:], number)
                continue
        elif roman == "IV" and (m := _NUMBERED.match(text)):
            current = open_item(f"IV.{m[1]}", "IV", text[m.end() :], number)
            continue
        if current is not None and roman in {"III", "IV"}:
            # A page break split the paragraph: it goes on here.
            current.text = f"{current.text} {text}"
    for item in items.values():
        item.text = nfc(item.text)
        item.segments = _segments(item.text)
    return items


def section_titles(path: Path | str) -> dict[str, str]:
    """The headings of the sections that hold tasks, by the ``section`` ids of
    ``tasks.csv``: ``III.1`` → «Nhiệm vụ trọng tâm», ``III.2.2`` → «Ban Tổ chức
    Tỉnh ủy», ``IV`` → «Tổ chức thực hiện» (a heading in capitals is written
    with a capital first letter only). A missing file gives no titles: reports
    then name a section by its number alone."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    titles: dict[str, str] = {}
    roman = part = ""
    for raw in lines:
        line = raw.strip()
        if not line.startswith("#"):
            continue
        text = _heading_text(line)
        if text.startswith("Nơi nhận"):
            break
        if m := _ROMAN_HEADING.match(text):
            roman, part = m[1], ""
            if roman == "IV":
                titles["IV"] = _sentence_case(text[m.end() :])
            continue
        if roman != "III":
            continue
        if m := _SUBSECTION.match(text):
            titles[f"III.2.{m[1]}"] = text[m.end() :].strip()
        elif m := _PART.match(text):
            part = m[1]
            if part == "1":
                titles["III.1"] = text[m.end() :].strip()
    return titles


def _sentence_case(text: str) -> str:
    text = text.strip()
    if text.isupper():
        text = text[:1] + text[1:].lower()
    return text
