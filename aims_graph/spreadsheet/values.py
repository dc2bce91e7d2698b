"""Turning one spreadsheet cell into a checked value, or a reason why it cannot be.

Cells arrive as text (CSV) or as typed values (openpyxl gives numbers, booleans and
datetimes); every parser accepts both, so the same template works in either form.
Each parser raises ``ValueError`` with a reason meant for the person who filled the
sheet; the importer adds sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

from aims_graph.dates import parse_date
from aims_graph.spreadsheet import vocabulary
from aims_graph.spreadsheet.iris import ID_PATTERN

_TRUE = {"yes", "y", "true", "1", "x"}
_FALSE = {"no", "n", "false", "0"}
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
LIST_SEPARATOR = ";"


def cell_text(cell: object) -> str | None:
    """The cell as trimmed text, ``None`` when empty; whole floats lose their ``.0``."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "yes" if cell else "no"
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, dt.datetime):
        cell = cell.date() if cell.time() == dt.time() else cell
    if isinstance(cell, (dt.date, dt.datetime)):
        return cell.isoformat()
    text = str(cell).strip()
    return text or None


def parse_id(text: str) -> str:
    if not ID_PATTERN.match(text):
        raise ValueError(f"{text!r} is not a usable id: use letters, digits, '.', '_' and '-', "
                         "starting with a letter or digit")
    return text


def parse_bool(text: str) -> bool:
    key = text.lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"{text!r} is not yes or no")


def parse_cell_date(text: str) -> dt.date:
    """A date cell; a date-time (as spreadsheet programs store dates) counts by its day."""
    return parse_date(text[:10] if "T" in text else text)


def int_between(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number from {low} to {high}") from None
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}-{high}")
        return number

    return parse


def parse_non_negative(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number (write 3.2e24 or 0.81)") from None
    if number < 0 or number != number or number == float("inf"):
        raise ValueError(f"{text!r} is not a finite number of zero or more")
    return number


def parse_uri(text: str) -> str:
    if not _URI.match(text):
        raise ValueError(f"{text!r} is not a URI (e.g. https://intranet.example/doc/42 or file:///share/x.pdf)")
    return text


def uri_or_text(text: str) -> str:
    return text


def one_of(choices: dict[str, str]) -> Callable[[str], str]:
    """Case- and spacing-insensitive choice among named values."""
    def parse(text: str) -> str:
        key = re.sub(r"[\s_-]+", " ", text.strip().lower())
        if key not in choices:
            raise ValueError(f"{text!r} is not one of: {', '.join(choices)}")
        return choices[key]

    return parse


def notation(family: str) -> Callable[[str], tuple[str, str, str]]:
    def parse(text: str) -> tuple[str, str, str]:
        return vocabulary.resolve(family, text)

    return parse


@dataclass(frozen=True)
class ValueType:
    """A column's kind of value: how to parse it and how to describe it to people."""

    name: str
    parse: Callable[[str], object]
    allowed: Callable[[], str] = field(default=lambda: "")


def enum_type(choices: dict[str, str]) -> ValueType:
    return ValueType("choice", one_of(choices), lambda: ", ".join(choices))


def notation_type(family: str) -> ValueType:
    return ValueType(re.sub(r"^an? ", "", vocabulary.FAMILIES[family].description),
                     notation(family), lambda: ", ".join(vocabulary.allowed_values(family)))


ID = ValueType("id", parse_id, lambda: "letters, digits, '.', '_', '-'")
TEXT = ValueType("text", lambda text: text)
NAME = ValueType("name", lambda text: text, lambda: "a person's or organisation's name")
BOOL = ValueType("yes/no", parse_bool, lambda: "yes, no (also true/false, y/n, 1/0)")
DATE = ValueType("date", parse_cell_date, lambda: "YYYY-MM-DD")
SCORE = ValueType("integer", int_between(1, 5), lambda: "1-5")
RISK_SCORE = ValueType("integer", int_between(1, 25), lambda: "1-25")
RESIDUAL_SCORE = ValueType("integer", int_between(0, 25), lambda: "0-25 (0 when the risk is avoided)")
NUMBER = ValueType("number", parse_non_negative, lambda: "a number of zero or more, e.g. 0.81 or 3.2e24")
URI = ValueType("URI", parse_uri, lambda: "an absolute URI")
SOURCE = ValueType("URI or text", uri_or_text, lambda: "a URI, or free text when the source has none")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]
