"""Reading a workbook or a CSV file into plain sheets of cells.

Only this module knows about file formats: the importer sees sheets with a header and
numbered rows.  Row numbers are the ones a person sees in the spreadsheet program (the
header is row 1), so error messages point at the right line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePath

from aims_graph.errors import InputError

XLSX_SUFFIXES = (".xlsx", ".xlsm")
COMMENT_MARK = "#"


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


def read_workbook(data: bytes, filename: str) -> list[Sheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(f"{filename}: not a readable .xlsx workbook ({error})") from error
    try:
        sheets = []
        for ws in book.worksheets:
            # Some programs write a wrong sheet size; without this, rows past it would be lost.
            ws.reset_dimensions()
            rows = [(n, list(cells)) for n, cells in enumerate(ws.iter_rows(values_only=True), start=1)]
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
    reader = csv.reader(io.StringIO(text), dialect)
    records: list[tuple[int, list[object]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, list(cells)))
            start = reader.line_num + 1
    except csv.Error as error:
        raise InputError(f"{filename}: line {reader.line_num}: malformed CSV ({error})") from error
    return _sheet(sheet_name, records)
