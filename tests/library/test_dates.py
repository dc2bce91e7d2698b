"""Dates typed by people: one reader, messages that say what is wrong."""

from __future__ import annotations

import datetime as dt

import pytest

from aims_graph.dates import parse_date


@pytest.mark.parametrize("text, day", [("2025-02-28", dt.date(2025, 2, 28)), ("2024-02-29", dt.date(2024, 2, 29)),
                                        (" 2027-12-02 ", dt.date(2027, 12, 2))])
def test_a_real_date_is_read(text: str, day: dt.date) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text, message", [
    ("2025-02-30", "'2025-02-30' is not a date: February 2025 has 28 days"),
    ("2025-02-29", "'2025-02-29' is not a date: February 2025 has 28 days"),
    ("2025-04-31", "'2025-04-31' is not a date: April 2025 has 30 days"),
    ("2025-13-01", "'2025-13-01' is not a date: there is no month 13"),
    ("2025-00-10", "'2025-00-10' is not a date: there is no month 0"),
    ("0000-01-01", "'0000-01-01' is not a date: there is no year 0"),
    ("03/05/2025", "'03/05/2025' is not a date: write YYYY-MM-DD (e.g. 2025-03-31)"),
    ("2025-2-3", "'2025-2-3' is not a date: write YYYY-MM-DD (e.g. 2025-03-31)"),
    ("yesterday", "'yesterday' is not a date: write YYYY-MM-DD (e.g. 2025-03-31)"),
])
def test_a_wrong_date_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value) == message
