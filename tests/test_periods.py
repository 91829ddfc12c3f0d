import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nq28_analysis.common.errors import PeriodError
from nq28_analysis.common.periods import (
    Period,
    parse_period,
    parse_span,
    period_from_label,
    quarter_of,
)

FIRST = Period("Q", 2022, 4)


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2024-Q2", "Quý II năm 2024", date(2024, 4, 1), date(2024, 6, 30)),
        ("2022-Q4", "Quý IV năm 2022", date(2022, 10, 1), date(2022, 12, 31)),
        ("2024-H1", "6 tháng đầu năm 2024", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024-H2", "6 tháng cuối năm 2024", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024", "Năm 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_parse_label_start_end(text, label, start, end):
    period = parse_period(text)
    assert period.id == text
    assert period.label_vi == label
    assert (period.start, period.end) == (start, end)


def test_february_of_a_leap_year_ends_on_the_29th():
    assert parse_period("2024-Q1").quarters()[0].end == date(2024, 3, 31)
    from nq28_analysis.common.periods import month_end

    assert month_end(2024, 2) == date(2024, 2, 29)
    assert month_end(2023, 2) == date(2023, 2, 28)


def test_previous_and_next_cross_years():
    assert parse_period("2024-Q1").previous().id == "2023-Q4"
    assert parse_period("2023-Q4").next().id == "2024-Q1"
    assert parse_period("2024-H1").previous().id == "2023-H2"
    assert parse_period("2024").previous().id == "2023"


def test_quarters_of_half_year_and_year_and_last_quarter():
    assert [q.id for q in parse_period("2024-H2").quarters()] == ["2024-Q3", "2024-Q4"]
    assert [q.id for q in parse_period("2024").quarters()] == [
        "2024-Q1",
        "2024-Q2",
        "2024-Q3",
        "2024-Q4",
    ]
    assert parse_period("2024-H1").last_quarter.id == "2024-Q2"
    assert parse_period("2024").last_quarter.id == "2024-Q4"


def test_submission_deadline_is_days_after_the_end():
    assert parse_period("2024-Q4").submission_deadline(10) == date(2025, 1, 10)


@pytest.mark.parametrize("text", ["2024Q2", "2024-Q5", "Q2-2024", "", "24-Q1", "2024-H3"])
def test_bad_ids_are_errors_in_vietnamese(text):
    with pytest.raises(PeriodError, match="không hợp lệ"):
        parse_period(text)


def test_a_period_before_the_program_is_an_error():
    with pytest.raises(PeriodError, match="trước kỳ đầu tiên"):
        parse_period("2022-Q3", first=FIRST)
    # A year that ends after the first quarter is fine (2022 holds 2022-Q4).
    assert parse_period("2022", first=FIRST).id == "2022"
    with pytest.raises(PeriodError):
        parse_period("2021", first=FIRST)


def test_span():
    span = parse_span("2022-Q4..2024-Q4", first=FIRST)
    assert span.id == "2022-Q4..2024-Q4"
    assert len(span.quarters()) == 9
    assert span.quarters()[1].id == "2023-Q1"
    assert parse_span("2023..2024").id == "2023-Q1..2024-Q4"
    assert parse_span("2022..2023", first=FIRST).first == FIRST
    with pytest.raises(PeriodError):
        parse_span("2024-Q4..2023-Q1")
    with pytest.raises(PeriodError):
        parse_span("2024-Q4")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quý II năm 2024", "2024-Q2"),
        ("Quý II/2024", "2024-Q2"),
        ("quý 2/2024", "2024-Q2"),
        ("Q2/2024", "2024-Q2"),
        ("QUY IV NAM 2023", "2023-Q4"),
        ("Kỳ báo cáo: Quý I - 2025", "2025-Q1"),
        ("6 tháng đầu năm 2024", "2024-H1"),
        ("6 thang cuoi nam 2024", "2024-H2"),
        ("Năm 2024", "2024"),
        ("không rõ", None),
    ],
)
def test_period_from_label(text, expected):
    found = period_from_label(text)
    assert (found.id if found else None) == expected


def test_sorting_is_chronological():
    ids = ["2024-Q1", "2023-Q4", "2023-H2", "2023", "2024-Q2"]
    ordered = [p.id for p in sorted(parse_period(i) for i in ids)]
    assert ordered == ["2023-Q4", "2023-H2", "2023", "2024-Q1", "2024-Q2"]


quarters = st.builds(Period, st.just("Q"), st.integers(2000, 2100), st.integers(1, 4))
any_period = st.one_of(
    quarters,
    st.builds(Period, st.just("H"), st.integers(2000, 2100), st.integers(1, 2)),
    st.builds(Period, st.just("Y"), st.integers(2000, 2100), st.just(0)),
)


@given(any_period)
def test_round_trip_and_neighbours(period):
    assert parse_period(period.id) == period
    assert period.next().previous() == period
    assert period.previous().end < period.start
    assert (period.next().start - period.end).days == 1


@given(any_period)
def test_quarters_tile_the_period(period):
    qs = period.quarters()
    assert qs[0].start == period.start and qs[-1].end == period.end
    for a, b in itertools.pairwise(qs):
        assert (b.start - a.end).days == 1


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_quarter_of_contains_the_day(day):
    assert quarter_of(day).contains(day)
    assert period_from_label(quarter_of(day).label_vi) == quarter_of(day)


def test_span_label_keeps_roman_numerals():
    assert parse_span("2022-Q4..2024-Q2").label_vi == "Từ quý IV năm 2022 đến quý II năm 2024"
