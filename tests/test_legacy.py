import string
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq28_analysis.common import legacy
from nq28_analysis.common.legacy import (
    LEGACY_TCVN3,
    LEGACY_VNI,
    detect_legacy,
    encoding_from_font,
    fix_legacy,
    from_unicode,
    to_unicode,
)
from nq28_analysis.common.text import key

# Every Vietnamese lowercase letter: đ and each vowel with each tone mark.
LETTERS = {"đ"} | {
    unicodedata.normalize("NFC", base + tone)
    for base in "aăâeêioôơuưy"
    for tone in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
}
# Windows-1252 characters, as a legacy cell stores its bytes.
CP1252 = [c for b in range(0x20, 0x100) if (c := bytes([b]).decode("cp1252", errors="ignore"))]

# Strings as they come out of real legacy workbooks (not made with our tables).
TCVN3_KNOWN = [
    ("Hoµn thµnh", "Hoàn thành"),
    ("§ang thùc hiÖn", "Đang thực hiện"),
    ("V¨n phßng", "Văn phòng"),
    ("Ch\u00ada thùc hiÖn", "Chưa thực hiện"),  # U+00AD soft hyphen = TCVN3 0xAD = ư
    ("Ban Tæ chøc TØnh ñy", "Ban Tổ chức Tỉnh ủy"),
    ("HuyÖn ñy Ba T¬", "Huyện ủy Ba Tơ"),
    ("§¶ng ñy Khèi Doanh nghiÖp tØnh", "Đảng ủy Khối Doanh nghiệp tỉnh"),
    ("Kh«ng ph¸t sinh", "Không phát sinh"),
]
VNI_KNOWN = [
    ("Hoaøn thaønh", "Hoàn thành"),
    ("Ñang thöïc hieän", "Đang thực hiện"),
    ("Vaên phoøng", "Văn phòng"),
    ("Chöa thöïc hieän", "Chưa thực hiện"),
    ("Ban Toå chöùc Tænh uûy", "Ban Tổ chức Tỉnh ủy"),
]

# Ordinary Unicode text from government reports, which must never be touched.
UNICODE_PHRASES = [
    "Đã hoàn thành",
    "Hoàn thành",
    "Chưa thực hiện",
    "Đang thực hiện",
    "Không phát sinh",
    "Không",
    "Có",
    "Quý II năm 2024",
    "Huyện ủy Bình Sơn",
    "Huyện ủy Ba Tơ",
    "Ban Tổ chức Tỉnh ủy",
    "Đảng ủy Khối Doanh nghiệp tỉnh",
    "Nghị quyết số 28-NQ/TW",
    "Kế hoạch số 151-KH/TU",
    "Số 151-KH/TU",
    "Văn phòng UBND tỉnh",
    "Hoà thuận",
    "Hòa thuận",
    "Thủy lợi",
    "Thuỷ lợi",
    "Khánh Hòa",
    "Thành phố Quảng Ngãi",
    "Bình Sơn",
    "Tây Trà",
    "Toà án nhân dân tỉnh",
    "Cà Mau",
    "Tăng cường công tác kiểm tra, giám sát",
    "“trích dẫn”",
    "“tự diễn biến”, “tự chuyển hóa”",
    "(*thực hiện thường xuyên*)",
    "ĐÃ HOÀN THÀNH",
    "KHÔNG PHÁT SINH",
    "Người đứng đầu cấp ủy",
    "Thái Bình",
    "Mô hình “Dân vận khéo”",
]
OTHER_TEXT = [
    "",
    " ",
    "Total",
    "Café",
    "naïve résumé",
    "2024",
    "85,5%",
    "31/12/2024",
    "12.345,67",
    "©",
    "© 2024",
    "§ 3",
    "3 × 4",
    "« Total »",
    "N/A",
    "x",
    "UBND",
    "Q1-2024",
]
# Foreign text that holds one word a legacy table would turn into a syllable.
FOREIGN_TEXT = [
    "slut på minne",
    "Blekinge län",
    "Aún no hay commits en la rama",
    "aún no implementado",
    "Non si può usare g: qui",
    "Tüm Belge",
    "Straße",
    "Müller",
]


@pytest.mark.parametrize(("legacy_text", "expected"), TCVN3_KNOWN)
def test_tcvn3_known_strings(legacy_text, expected):
    assert to_unicode(legacy_text, LEGACY_TCVN3) == expected
    assert detect_legacy(legacy_text) == LEGACY_TCVN3
    assert fix_legacy(legacy_text) == (expected, LEGACY_TCVN3)
    assert fix_legacy(legacy_text, ".VnTime") == (expected, LEGACY_TCVN3)


@pytest.mark.parametrize(("legacy_text", "expected"), VNI_KNOWN)
def test_vni_known_strings(legacy_text, expected):
    assert to_unicode(legacy_text, LEGACY_VNI) == expected
    assert detect_legacy(legacy_text) == LEGACY_VNI
    assert fix_legacy(legacy_text) == (expected, LEGACY_VNI)
    assert fix_legacy(legacy_text, "VNI-Times") == (expected, LEGACY_VNI)


def test_tcvn3_is_vn3():
    """One byte per letter in 0xA1–0xFE: the 67 lowercase letters other than
    a e i o u y, and the capitals Ă Â Ê Ô Ơ Ư Đ; every other byte keeps its
    Windows-1252 meaning."""
    vn3 = (LETTERS - set("aeiouy")) | set("ĂÂÊÔƠƯĐ")
    codes = {letter: from_unicode(letter, LEGACY_TCVN3) for letter in vn3}
    assert len(vn3) == len(set(codes.values())) == 74  # one byte each, no two alike
    for letter, code in codes.items():
        assert len(code) == 1 and 0xA1 <= code.encode("cp1252")[0] <= 0xFE, letter
        assert to_unicode(code, LEGACY_TCVN3) == letter
    for c in CP1252:
        if c not in codes.values():
            assert to_unicode(c, LEGACY_TCVN3) == c, hex(c.encode("cp1252")[0])
    assert codes["ư"] == "\u00ad" and codes["Đ"] == "§" and codes["à"] == "µ"


def test_vni_writes_every_lowercase_letter():
    """A letter is its base letter and a mark byte, or a byte of its own; a pair
    that is no letter reads as its two characters."""
    for letter in LETTERS:
        code = from_unicode(letter, LEGACY_VNI)
        if letter in "aeiouy":
            assert code == letter
        else:
            assert len(code) in (1, 2) and all(ch in CP1252 for ch in code), letter
            assert to_unicode(code, LEGACY_VNI) == letter
    marks = [c for c in CP1252 if ord(c) >= 0xA0]
    for code in marks + [base + mark for base in "aeiouyôöAEIOUYÔÖ" for mark in marks]:
        read = to_unicode(code, LEGACY_VNI)
        alone = "".join(to_unicode(ch, LEGACY_VNI) for ch in code)
        assert read == alone or read.lower() in LETTERS, code


def test_capitals():
    # VNI capitals take capital marks.
    assert to_unicode("ÑAÛNG UÛY", LEGACY_VNI) == "ĐẢNG ỦY"
    assert fix_legacy("ÑAÛNG UÛY") == ("ĐẢNG ỦY", LEGACY_VNI)
    # TCVN3 has no toned capitals: the .VnTimeH font draws the lowercase bytes
    # as capitals, and the bytes are converted to what they mean (lowercase).
    assert to_unicode("§¶NG ñY", LEGACY_TCVN3) == "ĐảNG ủY"
    assert fix_legacy("HUYÖN ñY", ".VnTimeH") == ("HUYệN ủY", LEGACY_TCVN3)
    assert key(to_unicode("§¶NG ñY", LEGACY_TCVN3)) == key("ĐẢNG ỦY")


def test_bytes_0x80_to_0x9f_as_windows_1252_or_c1_controls():
    # Curly quotes and en dash: 0x93, 0x94, 0x96.
    assert to_unicode("“Hoµn thµnh” – ®¹t", LEGACY_TCVN3) == "“Hoàn thành” – đạt"
    as_latin1 = "\x93Hoµn thµnh\x94 \x96 ®¹t"
    assert to_unicode(as_latin1, LEGACY_TCVN3) == "“Hoàn thành” – đạt"
    assert fix_legacy(as_latin1) == ("“Hoàn thành” – đạt", LEGACY_TCVN3)
    assert to_unicode("\x93Hoaøn thaønh\x94", LEGACY_VNI) == "“Hoàn thành”"


def test_output_is_nfc_and_unknown_encoding_is_refused():
    for legacy_text, _ in TCVN3_KNOWN:
        assert unicodedata.is_normalized("NFC", to_unicode(legacy_text, LEGACY_TCVN3))
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        to_unicode("Hoµn", "viscii")


@pytest.mark.parametrize(
    ("font", "expected"),
    [
        (".VnTime", LEGACY_TCVN3),
        (".VnTimeH", LEGACY_TCVN3),
        (".VnArial", LEGACY_TCVN3),
        (".VnArialH", LEGACY_TCVN3),
        (".VnArial Narrow", LEGACY_TCVN3),
        (" .vntime ", LEGACY_TCVN3),
        ("VNI-Times", LEGACY_VNI),
        ("VNI-Helve", LEGACY_VNI),
        ("VNI-Times ", LEGACY_VNI),
        ("Times New Roman", None),
        ("Arial", None),
        ("Calibri", None),
        ("Vnimarket", None),
        ("", None),
        (None, None),
    ],
)
def test_encoding_from_font(font, expected):
    assert encoding_from_font(font) == expected


def test_font_hint_settles_what_the_characters_leave_open():
    # "Tæ" is "Tổ" in TCVN3 and "Tỉ" in VNI: only the font can tell.
    assert detect_legacy("Tæ") is None
    assert fix_legacy("Tæ") == ("Tæ", None)
    assert fix_legacy("Tæ", ".VnTime") == ("Tổ", LEGACY_TCVN3)
    assert fix_legacy("Tæ", "VNI-Times") == ("Tỉ", LEGACY_VNI)
    # A document number has no syllable to vote with, but the font says TCVN3.
    assert fix_legacy("Q§-UBND") == ("Q§-UBND", None)
    assert fix_legacy("Q§-UBND", ".VnTime") == ("QĐ-UBND", LEGACY_TCVN3)


def test_font_hint_is_overruled_by_the_characters():
    # The cell says VNI but the text is TCVN3 (or the other way round).
    assert fix_legacy("Hoµn thµnh", "VNI-Times") == ("Hoàn thành", LEGACY_TCVN3)
    assert fix_legacy("Vaên phoøng", ".VnTime") == ("Văn phòng", LEGACY_VNI)
    # Unicode typed into a cell still formatted with a legacy font.
    for text in ("Không phát sinh", "Hoàn thành", "Quý II năm 2024", "Total"):
        assert fix_legacy(text, ".VnTime") == (text, None)
        assert fix_legacy(text, "VNI-Times") == (text, None)
    assert fix_legacy("Hoµn thµnh", "Times New Roman") == ("Hoàn thành", LEGACY_TCVN3)
    assert fix_legacy("Hoàn thành", None) == ("Hoàn thành", None)


@pytest.mark.parametrize("text", UNICODE_PHRASES + OTHER_TEXT)
def test_no_false_positives(text):
    assert detect_legacy(text) is None
    assert fix_legacy(text) == (text, None)
    assert fix_legacy(text, ".VnTime") == (text, None)
    assert fix_legacy(text, "VNI-Times") == (text, None)


@pytest.mark.parametrize("text", UNICODE_PHRASES)
def test_no_false_positives_in_nfd(text):
    decomposed = unicodedata.normalize("NFD", text)
    assert detect_legacy(decomposed) is None
    assert fix_legacy(decomposed, ".VnTime") == (decomposed, None)


@pytest.mark.parametrize("text", FOREIGN_TEXT)
def test_foreign_words_do_not_make_legacy_text(text):
    assert detect_legacy(text) is None


# --- properties -----------------------------------------------------------

# Toneless rhymes; the capital marks the vowel that takes the tone. oa, oe, uy
# appear twice, for the new (hòa) and old (hoà) placement.
RHYME_LIST = (
    "A Ai Ao Au Ay Ăn Ăng Ăm Ăt Ăc Âm Ân Âng Âu Ây Âp Ât Âc An Anh Ang At Ach Am Ap Ac "
    "E Em En Eo Et Ep Eng Ec Ê Êm Ên Ênh Êu Êt Êch Êp "
    "I Ia Iu Im In Inh It Ich Ip iÊm iÊn iÊng iÊt iÊu iÊc iÊp "
    "O Oi Om On Ong Op Ot Oc Ô Ôi Ôm Ôn Ông Ôt Ôc Ôp Ơ Ơi Ơm Ơn Ơt Ơp "
    "Oa oA oAi oAn oAng oAnh oAt oAch oĂn oĂng oĂt oĂc Oe oE oEn oEt oOng "
    "U Ua Ui Um Un Ung Up Ut Uc uÂn uÂt uÂy uÊ uÊnh uÔi uÔm uÔn uÔng uÔt uÔc "
    "Uy uY uYa uYn uYnh uYt uYch uyÊn uyÊt uYu uƠ "
    "Ư Ưa Ưi Ưu Ưng Ưc Ưt Ưn Ưm ưƠi ưƠu ưƠm ưƠn ưƠng ưƠt ưƠc ưƠp "
    "Y yÊu yÊn yÊt"
)
INITIAL_LIST = "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x"
RHYMES = RHYME_LIST.split()
INITIALS = ["", *INITIAL_LIST.split()]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]


def syllable(initial: str, rhyme: str, tone: str) -> str | None:
    """The syllable, or None for a spelling Vietnamese does not use."""
    if initial == "qu" and rhyme[0] in "uU":  # qu + uân = quân, but no "qu" + ua
        if rhyme[1:] not in RHYMES:
            return None
        rhyme = rhyme[1:]
    if rhyme.lower().endswith(("c", "ch", "p", "t")):  # checked syllables: sắc or nặng only
        tone = tone if tone in ("\u0301", "\u0323") else "\u0301"
    bearer = next(i for i, c in enumerate(rhyme) if c.isupper())
    word = rhyme.lower()
    word = word[: bearer + 1] + tone + word[bearer + 1 :]
    if initial == "gi" and word.startswith("i"):  # gi + ìn = gìn
        initial = "g"
    return unicodedata.normalize("NFC", initial + word)


SYLLABLES = sorted(
    {s for i in INITIALS for r in RHYMES for t in TONES if (s := syllable(i, r, t)) is not None}
)
LATIN1_SYLLABLES = [s for s in SYLLABLES if all(ord(c) < 0x100 for c in s)]
SEPARATORS = [" ", " ", " ", ", ", ". ", " - ", "/", " (", ") ", ": ", "; ", " 2024 ", " 85,5% "]


@st.composite
def vietnamese_text(draw, syllables=SYLLABLES):
    words = draw(st.lists(st.sampled_from(syllables), min_size=1, max_size=8))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    text = "".join(w + s for w, s in zip(words, seps, strict=True)).strip()
    text = draw(st.sampled_from([str.lower, str.upper, str.title, str.capitalize]))(text)
    return unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD"])), text)


def test_generated_syllables_are_well_formed():
    assert "người" in SYLLABLES and "khuỷu" in SYLLABLES and "hoà" in SYLLABLES
    assert len(LATIN1_SYLLABLES) > 500
    # The syllable rule is private to the module; checking this generator
    # against it is the only way to know that the property tests below feed it
    # well-formed Vietnamese, as they claim.
    assert all(legacy._is_syllable(s) for s in SYLLABLES)


@given(vietnamese_text())
def test_unicode_vietnamese_is_never_detected(text):
    assert detect_legacy(text) is None
    assert fix_legacy(text) == (text, None)


@given(vietnamese_text(LATIN1_SYLLABLES))
def test_unicode_vietnamese_in_latin1_letters_is_never_detected(text):
    # Words like "Không", "phát", "Hoà" are made only of characters that are
    # also TCVN3 codes or VNI marks, so only the syllable rule protects them.
    assert detect_legacy(text) is None
    assert fix_legacy(text, ".VnTime") == (text, None)
    assert fix_legacy(text, "VNI-Times") == (text, None)


# Test-only encoders, letter by letter (the known strings above pin the codes).
TO_TCVN3 = {u: from_unicode(u, LEGACY_TCVN3) for u in (LETTERS - set("aeiouy")) | set("ĂÂÊÔƠƯĐ")}
TO_VNI = {u: c for u in LETTERS if (c := from_unicode(u, LEGACY_VNI)) != u}
TO_VNI |= {u.upper(): c.upper() for u, c in TO_VNI.items()}
PLAIN = string.ascii_letters + string.digits + " ,.-/"


@given(st.text(alphabet=sorted(set(TO_TCVN3) | set(PLAIN))))
def test_tcvn3_round_trip(text):
    encoded = "".join(TO_TCVN3.get(c, c) for c in text)
    assert to_unicode(encoded, LEGACY_TCVN3) == text
    assert from_unicode(text, LEGACY_TCVN3) == encoded


@given(st.text(alphabet=sorted(set(TO_VNI) | set(PLAIN))))
def test_vni_round_trip(text):
    encoded = "".join(TO_VNI.get(c, c) for c in text)
    assert to_unicode(encoded, LEGACY_VNI) == text
    assert from_unicode(text, LEGACY_VNI) == encoded


@pytest.mark.parametrize(("legacy_text", "expected"), TCVN3_KNOWN)
def test_from_unicode_gives_the_known_tcvn3_strings(legacy_text, expected):
    assert from_unicode(expected, LEGACY_TCVN3) == legacy_text


@pytest.mark.parametrize(("legacy_text", "expected"), VNI_KNOWN)
def test_from_unicode_gives_the_known_vni_strings(legacy_text, expected):
    assert from_unicode(expected, LEGACY_VNI) == legacy_text


def test_from_unicode_writes_tcvn3_capitals_with_lowercase_bytes():
    assert from_unicode("ĐẢNG ỦY", LEGACY_TCVN3) == "§¶NG ñY"
    assert to_unicode(from_unicode("ĐẢNG ỦY", LEGACY_TCVN3), LEGACY_TCVN3) == "ĐảNG ủY"
    assert from_unicode("Không", LEGACY_VNI) == "Khoâng"
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        from_unicode("Không", "viscii")


@given(vietnamese_text())
def test_encoded_report_text_is_detected_or_left_alone(text):
    # Legacy text made from Vietnamese is recognised as what it is, or not at
    # all; it is never taken for the other encoding.
    text = unicodedata.normalize("NFC", text.lower())
    as_tcvn3 = "".join(TO_TCVN3.get(c, c) for c in text)
    as_vni = "".join(TO_VNI.get(c, c) for c in text)
    assert detect_legacy(as_tcvn3) in (LEGACY_TCVN3, None)
    assert detect_legacy(as_vni) in (LEGACY_VNI, None)
