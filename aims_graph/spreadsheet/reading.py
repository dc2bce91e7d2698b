"""Reading a workbook or a CSV file into plain sheets of cells.

Only this module knows about file formats: the importer sees sheets with a header and
numbered rows.  Row numbers are the ones a person sees in the spreadsheet program (the
header is row 1), so error messages point at the right line.

Limits hold by construction, on what is actually read and not on what a file declares:
rows are streamed (openpyxl's read-only mode, the declared dimension ignored), each row
keeps its cells up to its last value only, and reading stops with a clear error past
``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns or ``MAX_CELLS`` cells kept.  A 198 KB
workbook with one value at column XFD in each of 40,000 rows used to become 655 million
cells (5.5 GB); it is now refused at its first row.  A workbook's parts are limited in
their declared unpacked size too (``MAX_UNZIPPED_BYTES``): the zip reader stops at the
declared size, so a part cannot unpack to more.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Iterable, Iterator

from aims_graph.errors import InputError

XLSX_SUFFIXES = (".xlsx", ".xlsm")
COMMENT_MARK = "#"
MAX_ROWS = 100_000
MAX_COLUMNS = 512
MAX_CELLS = 2_000_000
"""Cells kept in all sheets together, counted up to the last value of each row."""
MAX_UNZIPPED_BYTES = 128 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 32 * 1024 * 1024
"""openpyxl reads a workbook's shared-strings part whole, so it has a smaller limit."""
MAX_CSV_LINE = 1024 * 1024
"""Characters in one line of a CSV file: bounds the fields of a row before they exist."""
_SHARED_STRINGS = "xl/sharedStrings.xml"


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)


def _blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _is_comment(cells: list[object]) -> bool:
    first = next((c for c in cells if c is not None and str(c).strip()), None)
    return isinstance(first, str) and first.lstrip().startswith(COMMENT_MARK)


def _sheet(name: str, records: list[tuple[int, list[object]]]) -> Sheet:
    """Header = first row that is neither blank nor a comment; data rows after it."""
    kept = [(n, cells) for n, cells in records if not _blank(cells)]
    header_at = next((i for i, (_, cells) in enumerate(kept) if not _is_comment(cells)), None)
    if header_at is None:
        return Sheet(name, [])
    header = ["" if c is None else str(c).strip() for c in kept[header_at][1]]
    while header and not header[-1]:
        header.pop()
    rows = [(n, cells) for n, cells in kept[header_at + 1:] if not _is_comment(cells)]
    return Sheet(name, header, rows)


def is_workbook(data: bytes, filename: str) -> bool:
    return PurePath(filename).suffix.lower() in XLSX_SUFFIXES or data[:4] == b"PK\x03\x04"


class _CellBudget:
    """Counts the cells kept while reading, across the sheets of one file."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.cells = 0

    def keep(self, sheet: str, number: int, cells: Iterable[object]) -> list[object]:
        """The row's cells up to its last value; refuses a row past a limit."""
        if number > MAX_ROWS:
            raise InputError(f"{self.filename}: sheet {sheet!r}: row {number} is past the {MAX_ROWS:,} rows "
                             "the importer reads; split the sheet")
        kept = list(cells)
        while kept and kept[-1] is None:
            kept.pop()
        if len(kept) > MAX_COLUMNS:
            raise InputError(f"{self.filename}: sheet {sheet!r}: row {number} has a value in column "
                             f"{get_column_letter(len(kept))}, past the {MAX_COLUMNS} columns the importer "
                             f"reads (up to column {get_column_letter(MAX_COLUMNS)})")
        self.cells += len(kept)
        if self.cells > MAX_CELLS:
            raise InputError(f"{self.filename}: sheet {sheet!r}: more than {MAX_CELLS:,} cells by row {number}, "
                             "the most the importer reads from one file; split it")
        return kept


def get_column_letter(index: int) -> str:
    """The spreadsheet name of a 1-based column number (1 -> A, 16384 -> XFD)."""
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _check_unpacked_sizes(data: bytes, filename: str) -> None:
    """Refuse a workbook whose parts declare more than the limits once unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise InputError(f"{filename}: not a readable .xlsx workbook ({error})") from error
    total = sum(part.file_size for part in parts)
    if total > MAX_UNZIPPED_BYTES:
        raise InputError(f"{filename}: the workbook unpacks to {total:,} bytes, more than the "
                         f"{MAX_UNZIPPED_BYTES:,} the importer reads")
    strings = sum(part.file_size for part in parts if part.filename == _SHARED_STRINGS)
    if strings > MAX_SHARED_STRINGS_BYTES:
        raise InputError(f"{filename}: the workbook's text table ({_SHARED_STRINGS}) unpacks to {strings:,} "
                         f"bytes, more than the {MAX_SHARED_STRINGS_BYTES:,} the importer reads")


def read_workbook(data: bytes, filename: str) -> list[Sheet]:
    import openpyxl

    _check_unpacked_sizes(data, filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(f"{filename}: not a readable .xlsx workbook ({error})") from error
    budget = _CellBudget(filename)
    try:
        sheets = []
        for ws in book.worksheets:
            # The declared size is ignored: some programs write a wrong one (rows past it
            # would be lost), and a hostile one would make every row that wide.
            ws.reset_dimensions()
            rows = [(n, budget.keep(ws.title, n, cells))
                    for n, cells in enumerate(ws.iter_rows(values_only=True), start=1)]
            sheets.append(_sheet(ws.title, rows))
        return sheets
    finally:
        book.close()


def read_csv(data: bytes, filename: str, sheet_name: str) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{filename}: not UTF-8 text at byte {error.start}; save the CSV as UTF-8") from error
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        pass  # one column, or too little text to tell: the comma default is right
    reader = csv.reader(_bounded_lines(text, filename), dialect)
    budget = _CellBudget(filename)
    records: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, budget.keep(sheet_name, start, [cell or None for cell in cells])))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"{filename}: line {reader.line_num}: malformed CSV ({error})") from error
    return _sheet(sheet_name, records)


def _bounded_lines(text: str, filename: str) -> Iterator[str]:
    """The lines of ``text`` for the CSV reader, refusing one longer than ``MAX_CSV_LINE``
    before the reader splits it into fields."""
    for number, line in enumerate(io.StringIO(text), start=1):
        if len(line) > MAX_CSV_LINE:
            raise InputError(f"{filename}: line {number} is {len(line):,} characters long, more than the "
                             f"{MAX_CSV_LINE:,} the importer reads")
        yield line
