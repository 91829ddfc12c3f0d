"""Console output that never dies on the console's encoding.

A Vietnamese Windows console (code page 1258), a Western one (1252), ASCII or
the C locale cannot carry every Vietnamese letter. :func:`readable_console`
makes ``sys.stdout`` and ``sys.stderr`` write a letter they cannot carry the
nearest readable way: base letter plus combining tone mark where the code page
has those (cp1258 writes "ý" as "y" + U+0301), else the letter without its
marks, never a traceback. A file name Python kept as escaped bytes (under
``LC_ALL=C``) is shown with its letters. Files the commands write are not
affected.

>>> import unicodedata
>>> said = "Huyện ủy Ý Yên — dõi".encode("cp1258", errors=errors_for("cp1258"))
>>> unicodedata.normalize("NFC", said.decode("cp1258"))
'Huyện ủy Ý Yên — dõi'
>>> "Huyện ủy — ⚠".encode("ascii", errors=errors_for("ascii")).decode("ascii")
'Huyen uy - !'
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

__all__ = ["errors_for", "readable_console"]

#: The prefix of the error handlers registered here, one per encoding.
ERRORS = "nq28-readable"

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
#: Plain stand-ins for the signs the reports and messages use.
_PLAIN = {
    "đ": "d",
    "Đ": "D",
    "—": "-",
    "–": "-",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "…": "...",
    "⚠": "!",
    "≤": "<=",
    "≥": ">=",
    "×": "x",
    "−": "-",
    "→": "->",
}


def _bare(char: str) -> str:
    """The letter without its marks ("ệ" → "e"), or a plain stand-in for a sign."""
    if char in _PLAIN:
        return _PLAIN[char]
    parts = unicodedata.normalize("NFD", char)
    return "".join(c for c in parts if not unicodedata.combining(c))


def _spelled(char: str, encoding: str) -> str:
    """``char`` as ``encoding`` can carry it, as close to the letter as it can."""
    parts = unicodedata.normalize("NFD", char)
    tones = "".join(c for c in parts if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
    for candidate in (char, base + tones, _bare(char) or "?", "?"):
        try:
            candidate.encode(encoding)
        except (UnicodeEncodeError, LookupError):
            continue
        return candidate
    return "?"


def _unescaped(text: str) -> str:
    """``text`` with each run of lone surrogates U+DC80–U+DCFF (the bytes of a
    file name Python could not decode under a non-UTF-8 locale) read back as
    the UTF-8 they were: a path the analyst typed is shown with its letters."""
    out: list[str] = []
    escaped = bytearray()
    for char in text:
        if "\udc80" <= char <= "\udcff":
            escaped.append(ord(char) - 0xDC00)
            continue
        if escaped:
            out.append(escaped.decode("utf-8", errors="replace"))
            escaped.clear()
        out.append(char)
    if escaped:
        out.append(escaped.decode("utf-8", errors="replace"))
    return "".join(out)


def errors_for(encoding: str) -> str:
    """The name of an error handler that spells, for ``encoding``, what it
    cannot carry (registered on first use). A codec reports itself by its
    family ("charmap"), so the handler knows its encoding by name."""
    name = f"{ERRORS}-{codecs.lookup(encoding).name}"
    try:
        codecs.lookup_error(name)
    except LookupError:

        def readable(error: UnicodeError) -> tuple[str, int]:
            if not isinstance(error, UnicodeEncodeError):
                raise error
            text = _unescaped(error.object[error.start : error.end])
            return "".join(_spelled(c, encoding) for c in text), error.end

        codecs.register_error(name, readable)
    return name


def readable_console() -> None:
    """Make the standard streams write what their encoding cannot carry readably."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=errors_for(stream.encoding or "utf-8"))
        except (ValueError, OSError):  # a closed or detached stream: leave it
            continue
