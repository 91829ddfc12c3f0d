"""Legacy Vietnamese 8-bit encodings (TCVN3, VNI): recognise them, convert to Unicode.

Before Unicode, Vietnamese offices typed with fonts that draw Vietnamese letters
at the byte values of other characters. A workbook cell typed that way stores
those bytes as Windows-1252 text, so a reader (python-calamine, openpyxl) hands
back ``"Hoµn thµnh"`` (TCVN3) or ``"Hoaøn thaønh"`` (VNI) for ``"Hoàn thành"``.

TCVN3 (TCVN 5712:1993 VN3, "ABC"; fonts ``.VnTime``, ``.VnArial``, ...)
    One byte per letter. ASCII is unchanged; 0xA1–0xA7 hold the capitals
    Ă Â Ê Ô Ơ Ư Đ, 0xA8–0xAE their lowercase (0xAD, the soft hyphen, is ``ư``)
    and 0xB5–0xFE the 60 lowercase letters with a tone mark. VN3 has no
    capitals with tone marks: capitals are typed with the lowercase bytes in
    the companion ``H`` fonts (``.VnTimeH``), which draw every letter as a
    capital. :func:`to_unicode` returns what the bytes mean in the normal font,
    i.e. lowercase (``"HUYÖN"`` gives ``"HUYệN"``; :func:`.text.key` folds case
    anyway). VN3 assigns nothing in 0x80–0x9F, which keep their Windows-1252
    meaning (curly quotes, dashes); the capitals that the fuller VN1 variant
    puts there and in the gaps of 0xA0–0xFF are not used by the ABC fonts and
    are not decoded.
VNI Windows (fonts ``VNI-Times``, ``VNI-Helve``, ...)
    A vowel is its base letter followed by one mark byte: ``a`` + ``ø`` for
    ``à``, ``a`` + ``à`` for ``ầ``, ``a`` + ``ê`` for ``ă``; capitals take the
    capital form of the mark (``AØ`` for ``À``). A few letters have a byte of
    their own: ``ô ö ñ`` stand for ``ơ ư đ``, ``í ì æ ó ò`` for ``í ì ỉ ĩ ị``
    and ``î`` for ``ỵ``.

In both, a byte 0x80–0x9F may arrive as its Windows-1252 character (``“``) or,
when a reader decoded Latin-1, as the C1 control of the same number; the second
is turned into the first.

Detection rule (:func:`detect_legacy`), built to leave Unicode text alone:

1. Text holding a character that only Unicode Vietnamese uses (``ă đ ĩ ũ ơ ư``
   and their capitals, U+1EA0–U+1EF9, combining marks U+0300–U+036F) is
   Unicode, full stop.
2. Otherwise every word of two or more characters (a run of letters and legacy
   letter codes) is decoded with each encoding. It is *valid* if the result is
   a well-formed Vietnamese syllable, *evidence* if it is valid but was not
   well-formed as it stood, *invalid* otherwise (words of up to five capitals,
   like KH or UBND, are abbreviations and not counted).
3. An encoding fits when evidence >= 1 and valid > 2 x invalid. The answer is
   the fitting encoding with the larger evidence - invalid; ``None`` on a tie
   or when none fits.

A well-formed syllable is an optional initial consonant, one of the Vietnamese
vowel groups and an optional final consonant (some groups need one, some take
none), with at most one tone mark, on a vowel where the spelling puts it (old
and new style both: ``hoà``, ``hòa``), and only sắc or nặng before a final c,
ch, p or t. Real Unicode words (``Không``, ``phát``, ``Hoà``) are well-formed
as they stand, so they are never evidence: evidence needs characters foreign
to Vietnamese (``µ § ø ñ``) or impossible spellings (``aê``, ``oø``, ``thùc``).
The two-to-one rule keeps out foreign text that holds one such word (Swedish
``på`` reads as TCVN3 ``pồ``). For detection a VNI mark must have the case of
its letter (``AÙ``, ``aù``), which keeps Spanish ``Aún`` out.

With a font hint (:func:`fix_legacy`) the font's encoding is taken when it fits
by that rule, or when decoding alters at least one word and every altered word
was malformed before and is well-formed (or an abbreviation) after: ``Q§-UBND``
in a ``.VnTime`` cell becomes ``QĐ-UBND``, while Unicode typed into a
``.VnTime`` cell is left alone (``Không`` would become ``khụng``). Otherwise
detection decides.

Known limits: a one-word cell that is well-formed either way stays as it is
(TCVN3 ``cã`` for ``có`` is also a well-formed Unicode spelling), and a short
foreign name can pass for legacy text (``Mün`` reads as TCVN3 ``mỹn``).

>>> fix_legacy("HuyÖn ñy Ba T¬")
('Huyện ủy Ba Tơ', 'tcvn3')
>>> fix_legacy("Ban Toå chöùc Tænh uûy")
('Ban Tổ chức Tỉnh ủy', 'vni')
>>> fix_legacy("Không phát sinh", ".VnTime")
('Không phát sinh', None)
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "LEGACY_TCVN3",
    "LEGACY_VNI",
    "detect_legacy",
    "encoding_from_font",
    "fix_legacy",
    "from_unicode",
    "to_unicode",
]

LEGACY_TCVN3 = "tcvn3"  # TCVN 5712:1993 / ABC, fonts .VnTime, .VnArial, .VnTimeH ...
LEGACY_VNI = "vni"  # VNI Windows, fonts VNI-Times, VNI-Helve ...

# Each item is "legacy=unicode", the legacy side as a spreadsheet reader shows
# the bytes (the Windows-1252 character of each byte value).

# TCVN3 (VN3): the 74 letters of 0xA1-0xFE. Tone order per row: huyền, hỏi,
# ngã, sắc, nặng. 0xAD is the soft hyphen U+00AD, written as an escape.
_TCVN3_TABLE = (
    "¡=Ă ¢=Â £=Ê ¤=Ô ¥=Ơ ¦=Ư §=Đ "  # 0xA1-0xA7
    "¨=ă ©=â ª=ê «=ô ¬=ơ \u00ad=ư ®=đ "  # 0xA8-0xAE
    "µ=à ¶=ả ·=ã ¸=á ¹=ạ "  # a  0xB5-0xB9
    "»=ằ ¼=ẳ ½=ẵ ¾=ắ Æ=ặ "  # ă  0xBB-0xBE, 0xC6
    "Ç=ầ È=ẩ É=ẫ Ê=ấ Ë=ậ "  # â  0xC7-0xCB
    "Ì=è Î=ẻ Ï=ẽ Ð=é Ñ=ẹ "  # e  0xCC, 0xCE-0xD1
    "Ò=ề Ó=ể Ô=ễ Õ=ế Ö=ệ "  # ê  0xD2-0xD6
    "×=ì Ø=ỉ Ü=ĩ Ý=í Þ=ị "  # i  0xD7-0xD8, 0xDC-0xDE
    "ß=ò á=ỏ â=õ ã=ó ä=ọ "  # o  0xDF, 0xE1-0xE4
    "å=ồ æ=ổ ç=ỗ è=ố é=ộ "  # ô  0xE5-0xE9
    "ê=ờ ë=ở ì=ỡ í=ớ î=ợ "  # ơ  0xEA-0xEE
    "ï=ù ñ=ủ ò=ũ ó=ú ô=ụ "  # u  0xEF, 0xF1-0xF4
    "õ=ừ ö=ử ÷=ữ ø=ứ ù=ự "  # ư  0xF5-0xF9
    "ú=ỳ û=ỷ ü=ỹ ý=ý þ=ỵ"  # y  0xFA-0xFE
)

# VNI Windows, lowercase; a capital is the capital of both sides (AØ=À, Ñ=Đ).
# Tone marks: ù sắc, ø huyền, û hỏi, õ ngã, ï nặng; circumflex â with tones
# á à å ã ä; breve ê with tones é è ú ü ë.
_VNI_TABLE = (
    "aù=á aø=à aû=ả aõ=ã aï=ạ "
    "aâ=â aá=ấ aà=ầ aå=ẩ aã=ẫ aä=ậ "
    "aê=ă aé=ắ aè=ằ aú=ẳ aü=ẵ aë=ặ "
    "eù=é eø=è eû=ẻ eõ=ẽ eï=ẹ "
    "eâ=ê eá=ế eà=ề eå=ể eã=ễ eä=ệ "
    "où=ó oø=ò oû=ỏ oõ=õ oï=ọ "
    "oâ=ô oá=ố oà=ồ oå=ổ oã=ỗ oä=ộ "
    "ôù=ớ ôø=ờ ôû=ở ôõ=ỡ ôï=ợ "
    "uù=ú uø=ù uû=ủ uõ=ũ uï=ụ "
    "öù=ứ öø=ừ öû=ử öõ=ữ öï=ự "
    "yù=ý yø=ỳ yû=ỷ yõ=ỹ "
    # letters with a byte of their own
    "ô=ơ ö=ư ñ=đ í=í ì=ì æ=ỉ ó=ĩ ò=ị î=ỵ"
)


def _table(pairs: str) -> dict[str, str]:
    return dict(item.split("=") for item in pairs.split())


_TCVN3 = _table(_TCVN3_TABLE)
_TCVN3_MAP = str.maketrans(_TCVN3)
_VNI = _table(_VNI_TABLE)  # lowercase keys, one or two characters

# C1 controls U+0080-U+009F (a Latin-1 reading) -> the Windows-1252 character.
# (0x81 0x8D 0x8F 0x90 0x9D are unassigned in Windows-1252 and stay as they are.)
_C1_MAP = {b: c for b in range(0x80, 0xA0) if (c := bytes([b]).decode("cp1252", "ignore"))}

# Characters only Unicode Vietnamese text has (never produced by a legacy reader).
_UNICODE_ONLY = re.compile(
    "[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169"
    "\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9\u0300-\u036f]"
)

# Words: letters plus the TCVN3 codes that are not letters (§ © ¸ × ...).
_CODE_SYMBOLS = "".join(sorted(c for c in _TCVN3 if not c.isalpha()))
_WORD = re.compile(rf"(?:[^\W\d_]|[{re.escape(_CODE_SYMBOLS)}])+")

# A well-formed Vietnamese syllable: initial consonant, vowel group, final consonant.
_INITIAL = re.compile("ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx]")
_OPEN_VOWELS = (  # vowel groups never followed by a final consonant
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ui|ưi|ưu|ưa|ua|uơ"
    "|oai|oao|oay|oeo|uây|uôi|ươi|ươu|iêu|yêu|uya|uyu"
)
_CLOSED_VOWELS = "ă|â|oă|uâ|iê|yê|uô|ươ|uyê|oo"  # always followed by one
_VOWELS = "a|e|ê|i|o|ô|ơ|u|ư|y|oa|oe|uê|uy"  # either way
_FINALS = "ch|ng|nh|c|m|n|p|t"
_RHYME = re.compile(
    rf"(?P<open>{_OPEN_VOWELS})"
    rf"|(?P<closed>{_CLOSED_VOWELS})(?P<final>{_FINALS})"
    rf"|(?P<either>{_VOWELS})(?P<final2>{_FINALS})?"
)
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # combining huyền sắc ngã hỏi nặng
_CHECKED_TONES = "\u0301\u0323"  # sắc and nặng, the only tones before c, ch, p, t
_TONE_BEARERS = frozenset("aeiouy")


def encoding_from_font(font_name: str | None) -> str | None:
    """'.VnTime' / '.VnArialH' -> 'tcvn3'; 'VNI-Times' -> 'vni'; anything else -> None.

    >>> encoding_from_font(".VnTimeH"), encoding_from_font("VNI-Helve")
    ('tcvn3', 'vni')
    """
    name = (font_name or "").strip().casefold()
    if name.startswith(".vn"):
        return LEGACY_TCVN3
    if name.startswith("vni") and (len(name) == 3 or not name[3].isalpha()):
        return LEGACY_VNI
    return None


def _decode_tcvn3(text: str) -> str:
    return text.translate(_TCVN3_MAP)


def _decode_vni(text: str, strict: bool = False) -> str:
    """Decode VNI; ``strict`` (detection) wants each mark in the case of its letter."""
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair.lower() in _VNI and len(pair) == 2:
            if strict and pair[0].isupper() != pair[1].isupper():
                out.append(text[i])
                i += 1
                continue
            legacy = pair
        elif text[i].lower() in _VNI:
            legacy = text[i]
        else:
            out.append(text[i])
            i += 1
            continue
        letter = _VNI[legacy.lower()]
        out.append(letter.upper() if legacy[0].isupper() else letter)
        i += len(legacy)
    return "".join(out)


_DECODERS = {LEGACY_TCVN3: _decode_tcvn3, LEGACY_VNI: _decode_vni}
_READERS = {LEGACY_TCVN3: _decode_tcvn3, LEGACY_VNI: lambda text: _decode_vni(text, strict=True)}


def to_unicode(text: str, encoding: str) -> str:
    """Convert legacy text (each byte shown as its Windows-1252 character, e.g.
    TCVN3 byte 0xB5 as 'µ') to NFC Unicode.

    >>> to_unicode("Hoµn thµnh", "tcvn3"), to_unicode("Hoaøn thaønh", "vni")
    ('Hoàn thành', 'Hoàn thành')
    """
    try:
        decode = _DECODERS[encoding]
    except KeyError:
        raise ValueError(f"unknown legacy encoding {encoding!r}") from None
    return unicodedata.normalize("NFC", decode(text.translate(_C1_MAP)))


_FROM_TCVN3 = {letter: code for code, letter in _TCVN3.items()}
_FROM_VNI = {letter: code for code, letter in _VNI.items() if letter != code}
_FROM_VNI |= {letter.upper(): code.upper() for letter, code in _FROM_VNI.items()}


def from_unicode(text: str, encoding: str) -> str:
    """Unicode text as a legacy font stores it (the inverse of :func:`to_unicode`),
    for sample and test files. TCVN3 has no capitals with tone marks: they are
    written with the lowercase bytes, as typists did.

    >>> from_unicode("Huyện ủy Ba Tơ", "tcvn3"), from_unicode("Văn phòng", "vni")
    ('HuyÖn ñy Ba T¬', 'Vaên phoøng')
    """
    text = unicodedata.normalize("NFC", text)
    if encoding == LEGACY_TCVN3:
        return "".join(_FROM_TCVN3.get(c) or _FROM_TCVN3.get(c.lower(), c) for c in text)
    if encoding == LEGACY_VNI:
        return "".join(_FROM_VNI.get(c, c) for c in text)
    raise ValueError(f"unknown legacy encoding {encoding!r}")


def _tone_places(vowels: str, final: str) -> tuple[int, ...]:
    """Where in a vowel group the tone mark may sit (old and new style both)."""
    if final or len(vowels) == 1:
        return (len(vowels) - 1,)  # hoàn, tiến, trường
    if vowels in ("oa", "oe", "uy", "uê"):
        return (0, 1)  # hoà / hòa, thuý / thúy
    if vowels == "uơ":
        return (1,)  # thuở
    return (0,) if len(vowels) == 2 else (1,)  # của, mía, người, khuấy


def _is_syllable(word: str) -> bool:
    """Whether ``word`` is a well-formed Vietnamese syllable (any case, NFC or NFD).

    >>> [_is_syllable(w) for w in ("Người", "hoà", "thùc", "ñy", "Café")]
    [True, True, False, False, False]
    """
    tone, tone_at, bases, kept = "", -1, "", []
    for char in unicodedata.normalize("NFD", word.lower()):
        if char in _TONES:
            if tone or bases[-1:] not in _TONE_BEARERS:
                return False  # two tones, or a tone on a consonant (ñ is n + tilde)
            tone, tone_at = char, len(bases) - 1
            continue
        if not unicodedata.combining(char):
            bases += char
        kept.append(char)
    bare = unicodedata.normalize("NFC", "".join(kept))  # one character per letter
    initial = _INITIAL.match(bare)
    starts = [initial.end() if initial else 0]
    if bare.startswith("gi"):
        starts.append(1)  # gì, gìn: g + i...
    for start in starts:
        rhyme = _RHYME.fullmatch(bare, start)
        if rhyme is None:
            continue
        if not tone:
            return True
        kind = next(k for k in ("open", "closed", "either") if rhyme.group(k))
        final = rhyme.group("final") or rhyme.group("final2") or ""
        if tone_at - rhyme.start(kind) not in _tone_places(rhyme.group(kind), final):
            continue
        if final in ("c", "ch", "p", "t") and tone not in _CHECKED_TONES:
            continue
        return True
    return False


class _Votes(NamedTuple):
    """How the words of a text read under one encoding (words of 2+ characters)."""

    evidence: int = 0  # malformed as they stand, well-formed once decoded
    valid: int = 0  # well-formed once decoded
    invalid: int = 0  # malformed once decoded (abbreviations like UBND excepted)
    changed: int = 0  # altered by decoding
    harmful: int = 0  # altered although well-formed as they stand, or into malformed


def _votes(text: str) -> dict[str, _Votes]:
    counts = {encoding: [0, 0, 0, 0, 0] for encoding in _READERS}
    for word in _WORD.findall(text):
        if len(word) < 2:
            continue
        as_unicode = _is_syllable(word)
        for encoding, decode in _READERS.items():
            tally = counts[encoding]
            decoded = decode(word)
            ok = _is_syllable(decoded)
            abbreviation = not ok and decoded.isupper() and len(decoded) <= 5  # KH, UBND, QĐ
            tally[0] += ok and not as_unicode
            tally[1] += ok
            tally[2] += not ok and not abbreviation
            if decoded != word:
                tally[3] += 1
                tally[4] += as_unicode or not (ok or abbreviation)
    return {encoding: _Votes(*tally) for encoding, tally in counts.items()}


def _margin(votes: _Votes) -> int | None:
    """How clearly an encoding fits (evidence - malformed words), None if it does not."""
    if votes.evidence >= 1 and votes.valid > 2 * votes.invalid:
        return votes.evidence - votes.invalid
    return None


def _judge(text: str, hint: str | None = None) -> str | None:
    if not text or _UNICODE_ONLY.search(text):
        return None
    votes = _votes(text.translate(_C1_MAP))
    if hint in votes:
        hinted = votes[hint]
        if _margin(hinted) is not None or (hinted.changed and not hinted.harmful):
            return hint
    margins = {enc: m for enc, v in votes.items() if (m := _margin(v)) is not None}
    if not margins:
        return None
    best = max(margins.values())
    winners = [enc for enc, margin in margins.items() if margin == best]
    return winners[0] if len(winners) == 1 else None


def detect_legacy(text: str) -> str | None:
    """'tcvn3', 'vni' or None, judged from the characters alone.

    Ordinary Unicode Vietnamese (NFC or NFD), English, numbers, dates and
    punctuation give None; see the module docstring for the rule.
    """
    return _judge(text)


def fix_legacy(text: str, font_name: str | None = None) -> tuple[str, str | None]:
    """Return ``(unicode_text, encoding_found)``.

    The font's encoding is used when the characters agree with it (see the
    module docstring), else detection decides. Text that is not legacy comes
    back unchanged with ``None``.
    """
    encoding = _judge(text, encoding_from_font(font_name) if font_name else None)
    if encoding is None:
        return text, None
    return to_unicode(text, encoding), encoding
