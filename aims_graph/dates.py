"""Calendar dates typed by people, read in one place so every command says the same thing.

``2025-02-30`` has the right form and is still no date; telling the user "write
YYYY-MM-DD" for it sends them looking for a typo that is not there, so the message says
which part of the date does not exist.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_FORM = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_FORM_HINT = "write YYYY-MM-DD (e.g. 2025-03-31)"


class NotADate(ValueError):
    """``str()`` is the whole sentence; ``reason`` the part after "is not a date:", for
    callers that name the text themselves."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r} is not a date: {reason}")
        self.reason = reason


def parse_date(text: str) -> dt.date:
    """The date ``text`` writes as YYYY-MM-DD; NotADate says what is wrong with it."""
    match = _FORM.fullmatch(text.strip())
    if match is None:
        raise NotADate(text, _FORM_HINT)
    year, month, day = (int(part) for part in match.groups())
    if year < 1:
        raise NotADate(text, "there is no year 0")
    if not 1 <= month <= 12:
        raise NotADate(text, f"there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise NotADate(text, f"{calendar.month_name[month]} {year} has {last} days")
    return dt.date(year, month, day)
