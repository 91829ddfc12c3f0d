"""Vietnamese text helpers: normalisation and matching keys.

Everything a person typed goes through :func:`nfc` before it is stored, and
through :func:`key` before it is compared with something else:

>>> key("  Ban Tổ chức  Tỉnh ủy. ") == key("ban to chuc tinh uy")
True
>>> key("hoá") == key("hóa") == key("hoa")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "key", "lower_first", "nfc", "retone", "slug"]

# Characters that look like Vietnamese letters but are not: U+00D0 (Icelandic
# eth) is often typed for Đ, U+0189 (African D) too.
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ"})

# Old-style tone placement on "oa", "oe", "uy" (hoà, thuý) versus the new
# style (hòa, thúy) only matters for display; both are accepted.
_OLD_TONE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])([\u0300\u0301\u0303\u0309\u0323])(?![^\W\d_])")

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w/.-]+")


def nfc(text: object) -> str:
    """Return ``text`` as an NFC string with Vietnamese look-alikes fixed.

    Non-breaking and zero-width spaces become plain spaces, runs of white
    space collapse, and the ends are stripped. ``None`` and NaN give ``""``.
    """
    if type(text) is str:  # first: nearly every call
        return _nfc(text) if text else ""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _nfc(str(text))


@lru_cache(maxsize=1 << 16)
def _nfc(text: str) -> str:
    value = unicodedata.normalize("NFC", text).translate(_LOOKALIKES)
    value = value.replace("\u200b", "").replace("\ufeff", "")
    return _SPACES.sub(" ", value).strip()


def retone(text: str) -> str:
    """Move tone marks from the old place (``hoà``) to the new one (``hòa``).

    >>> retone("hoà thuý") == nfc("hòa thúy")
    True
    """
    decomposed = unicodedata.normalize("NFD", nfc(text))
    # In NFD the tone sits after the second vowel: o a <tone>  ->  o <tone> a
    moved = _OLD_TONE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


_COMBINING = {cp: None for cp in range(0x0300, 0x0370)}
_COMBINING.update({ord("đ"): "d"})


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", nfc(text).casefold())
    return decomposed.translate(_COMBINING)


def fold(text: object) -> str:
    """Lower-case ``text`` and strip every diacritic, ``đ`` becoming ``d``.

    >>> fold("Đảng ủy Khối Doanh nghiệp")
    'dang uy khoi doanh nghiep'
    """
    if not isinstance(text, str):
        text = nfc(text)
    return _fold(text)


@lru_cache(maxsize=1 << 16)
def _key(text: str) -> str:
    folded = _NOT_WORD.sub(" ", _fold(text))
    words = [w.strip(".-/") or w for w in folded.split()]
    return " ".join(w for w in words if w.strip(".-/"))


def key(text: object) -> str:
    """The matching key: folded, punctuation (other than ``/ . -`` inside
    words) turned into spaces, spaces collapsed, trailing dots removed.

    Two strings that a Vietnamese reader takes for the same words have the
    same key, whatever their case, diacritics, tone placement, Unicode
    form, spacing or trailing punctuation.
    """
    return _key(text if isinstance(text, str) else nfc(text))


def lower_first(text: str) -> str:
    """``"Quý II năm 2024"`` → ``"quý II năm 2024"``, inside a sentence."""
    return text[:1].lower() + text[1:]


def slug(text: object) -> str:
    """An ASCII identifier: ``"Huyện ủy Ba Tơ"`` → ``"huyen-uy-ba-to"``."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))
