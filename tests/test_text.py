import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from nq28_analysis.common.text import fold, key, nfc, retone, slug


def test_nfc_joins_decomposed_text_and_collapses_spaces():
    decomposed = unicodedata.normalize("NFD", "Huyện ủy  Ba Tơ")
    assert nfc(f"\u00a0{decomposed}\u200b ") == "Huyện ủy Ba Tơ"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_nfc_fixes_eth_typed_for_d_with_stroke():
    assert nfc("\u00d0ảng ủy") == "Đảng ủy"  # Ð (U+00D0) is not Đ (U+0110)
    assert key("\u00d0ảng ủy") == key("Đảng ủy") == "dang uy"


def test_nfc_of_missing_values_is_empty():
    assert nfc(None) == "" and nfc(float("nan")) == ""


def test_fold_removes_diacritics_case_and_d_stroke():
    assert fold("ĐẢNG ỦY Khối Doanh Nghiệp") == "dang uy khoi doanh nghiep"


def test_key_ignores_tone_placement():
    assert key("cụ thể hoá") == key("cụ thể hóa")
    assert key("lan toả") == key("lan tỏa")
    assert key("Thuý") == key("Thúy")


def test_key_ignores_spacing_case_and_punctuation():
    assert key("  Ban Tổ chức   Tỉnh ủy. ") == key("ban to chuc tinh uy")
    assert key("(*thực hiện thường xuyên*).") == "thuc hien thuong xuyen"
    assert key("“tự diễn biến”, “tự chuyển hóa”") == "tu dien bien tu chuyen hoa"


def test_key_keeps_document_numbers_and_task_ids_whole():
    assert key("Kế hoạch số 151-KH/TU.") == "ke hoach so 151-kh/tu"
    assert key("Nhiệm vụ III.2.2.9.") == "nhiem vu iii.2.2.9"


def test_retone_moves_old_style_tone_to_the_first_vowel():
    assert retone("hoà") == nfc("hòa")
    assert retone("thuý") == nfc("thúy")
    assert retone("hoàn") == "hoàn"  # closed syllable: one rule for both styles
    assert retone("quý") == "quý"  # "qu" is a consonant


def test_slug():
    assert slug("Huyện ủy Ba Tơ") == "huyen-uy-ba-to"
    assert slug("Đảng ủy Khối Doanh nghiệp tỉnh") == "dang-uy-khoi-doanh-nghiep-tinh"


vietnamese = st.text(
    alphabet=st.sampled_from(list("aăâeêioôơuưyđAĂÂĐ áàảãạấầẩẫậéèẻẽẹ.,;-/ ")), max_size=30
)


@given(vietnamese)
def test_key_is_stable_under_normal_forms_and_idempotent(text):
    assert key(unicodedata.normalize("NFD", text)) == key(text)
    assert key(text.upper()) == key(text)
    assert key(key(text)) == key(text)


@given(vietnamese)
def test_key_is_ascii(text):
    assert key(text).isascii()
