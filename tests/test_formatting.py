"""Vietnamese number and date formatting."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq28_analysis.common.formatting import MINUS, change, day, days, is_missing, number, percent

MISSING = [None, float("nan"), pd.NA, pd.NaT]


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (0.855, 1, "85,5%"),
        (1.0, 1, "100%"),
        (0.5, 1, "50%"),
        (0.0, 1, "0%"),
        (0.9996, 1, "100%"),
        (0.12345, 2, "12,35%"),
        (0.1205, 2, "12,05%"),
        (0.8549, 0, "85%"),
        (12.5, 1, "1.250%"),
        (-0.25, 1, MINUS + "25%"),
        (-0.0004, 1, "0%"),
    ],
)
def test_percent(value, digits, expected):
    assert percent(value, digits) == expected


@pytest.mark.parametrize("value", MISSING)
def test_missing_values(value):
    assert percent(value) == "chưa có số liệu"
    assert number(value) == "—"
    assert change(value) == "—"
    assert day(value) == ""
    assert days(value) == ""


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (1234567, 0, "1.234.567"),
        (1234.5, 1, "1.234,5"),
        (1234.0, 1, "1.234,0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (2.5, 0, "3"),
        (0.125, 2, "0,13"),
        (-1234.5, 1, MINUS + "1.234,5"),
        (-0.4, 0, "0"),
    ],
)
def test_number(value, digits, expected):
    assert number(value, digits) == expected


def test_negative_numbers_use_the_minus_sign_not_a_hyphen():
    for text in (number(-5), percent(-0.5), change(-0.1), days(-3)):
        assert MINUS in text
        assert "-" not in text


def test_negative_digits_are_refused():
    with pytest.raises(ValueError, match="không âm"):
        number(1, digits=-1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2024, 12, 31), "31/12/2024"),
        (date(2025, 1, 5), "05/01/2025"),
        (datetime(2025, 3, 9, 23, 59), "09/03/2025"),
        (pd.Timestamp("2024-02-29 08:00"), "29/02/2024"),
    ],
)
def test_day(value, expected):
    assert day(value) == expected


def test_day_refuses_what_is_not_a_date():
    with pytest.raises(TypeError):
        day("2024-12-31")


@pytest.mark.parametrize(
    ("value", "expected"), [(45, "45 ngày"), (0, "0 ngày"), (1234, "1.234 ngày"), (45.0, "45 ngày")]
)
def test_days(value, expected):
    assert days(value) == expected


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0.052, {}, "+5,2 điểm %"),
        (-0.1, {}, MINUS + "10,0 điểm %"),
        (0, {}, "0,0 điểm %"),
        (-0.00004, {}, "0,0 điểm %"),
        (0.00004, {}, "0,0 điểm %"),
        (0.1234, {"digits": 2}, "+12,34 điểm %"),
        (0.25, {"points": False}, "+25,0%"),
        (-0.5, {"points": False, "digits": 0}, MINUS + "50%"),
    ],
)
def test_change(value, kwargs, expected):
    assert change(value, **kwargs) == expected


def test_is_missing():
    assert [is_missing(v) for v in MISSING] == [True] * 4
    assert [is_missing(v) for v in (0, 0.0, "", False, date(2024, 1, 1))] == [False] * 5


def _parse(text: str) -> Decimal:
    """Read a Vietnamese number back."""
    return Decimal(text.replace(".", "").replace(",", ".").replace(MINUS, "-"))


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_number_round_trips_integers(n):
    text = number(n)
    assert _parse(text) == n
    assert all(len(group) == 3 for group in text.lstrip(MINUS).split(".")[1:])


@given(st.floats(min_value=-10, max_value=10, allow_nan=False), st.integers(0, 3))
def test_percent_is_within_half_a_unit_of_the_last_digit(value, digits):
    text = percent(value, digits)
    assert text.endswith("%")
    shown = _parse(text[:-1])
    assert abs(shown - Decimal(str(value)) * 100) <= Decimal(1).scaleb(-digits) / 2


@given(st.floats(min_value=-1, max_value=1, allow_nan=False))
def test_change_is_signed_and_nfc(value):
    text = change(value)
    assert text.endswith(" điểm %")
    assert text[0] in "+" + MINUS or text.startswith("0,0 ")
    assert unicodedata.is_normalized("NFC", text)
