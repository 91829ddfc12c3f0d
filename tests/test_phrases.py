from datetime import date

import pytest

from nq28_analysis.common.errors import DeadlinePhraseError
from nq28_analysis.reference.phrases import describe_rule, parse_phrase

STAGGERED = (
    "thực hiện theo Kế hoạch số 151-KH/TU ngày 16/11/2022 của Ban Thường vụ Tỉnh ủy; trong "
    "đó, đối với cấp tỉnh đã hoàn thành trong tháng 12/2022; cấp huyện hoàn thành trong tháng "
    "01/2023; cấp cơ sở hoàn thành trước ngày 28/02/2023"
)


@pytest.mark.parametrize(
    ("phrase", "kind", "due"),
    [
        ("hoàn thành trong quý II/2023", "fixed", date(2023, 6, 30)),
        ("Hoàn thành trong Quý 4/2024", "fixed", date(2024, 12, 31)),
        ("hoàn thành trong năm 2023", "fixed", date(2023, 12, 31)),
        ("hoàn thành trong tháng 01/2023", "fixed", date(2023, 1, 31)),
        ("hoàn thành trước ngày 28/02/2023", "fixed", date(2023, 2, 28)),
        ("thực hiện thường xuyên", "recurring", None),
        ("thực hiện thường xuyên liên tục", "recurring", None),
        ("tuyên truyền thường xuyên", "recurring", None),
        ("thuc hien thuong xuyen", "recurring", None),
        ("theo yêu cầu của Trung ương", "on_request", None),
        ("thực hiện ngay sau khi có quy định, hướng dẫn của Trung ương", "after_guidance", None),
        ("theo nhiệm kỳ", "term", None),
        ("thực hiện hằng năm", "annual", None),
        ("thực hiện hàng năm", "annual", None),
        ("không có thời hạn", "none", None),
    ],
)
def test_phrase_kinds(phrase, kind, due):
    rule = parse_phrase(phrase)
    assert (rule.kind, rule.due) == (kind, due)


def test_plan_phrases_name_their_plan():
    rule = parse_phrase(
        "thực hiện theo Kế hoạch số 121-KH/TU ngày 10/8/2022 của Ban Thường vụ Tỉnh ủy"
    )
    assert (rule.kind, rule.document) == ("per_plan", "121-KH/TU")
    assert parse_phrase("theo Kế hoạch số 12-KH/TW").document == "12-KH/TW"


def test_staggered_phrase_has_a_date_per_level():
    rule = parse_phrase(STAGGERED)
    assert rule.kind == "staggered"
    assert rule.document == "151-KH/TU"
    assert rule.levels == (
        ("tinh", date(2022, 12, 31)),
        ("huyen", date(2023, 1, 31)),
        ("co-so", date(2023, 2, 28)),  # "trước ngày 28/02/2023": that day is still on time
    )
    assert rule.last_due == date(2023, 2, 28)


@pytest.mark.parametrize(
    "phrase",
    ["", "sớm", "hoàn thành trong quý V/2023", "hoàn thành trước ngày 31/02/2023", "theo kế hoạch"],
)
def test_unknown_or_impossible_phrases_are_errors(phrase):
    with pytest.raises(DeadlinePhraseError, match="Không hiểu"):
        parse_phrase(phrase)


def test_describe_rule_in_vietnamese():
    assert describe_rule(parse_phrase("hoàn thành trong quý II/2023")) == (
        "Hoàn thành trước hoặc trong ngày 30/06/2023"
    )
    assert "cấp huyện: 31/01/2023" in describe_rule(parse_phrase(STAGGERED))
    assert describe_rule(parse_phrase("theo nhiệm kỳ")).startswith("Theo nhiệm kỳ")
