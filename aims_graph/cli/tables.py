"""The one way the CLI prints a table: as text that fits the terminal, as JSON or as CSV.

Every command that prints rows describes them once (columns and cells) and calls ``show``;
the format is the user's ``--format``. In text, IRIs are shortened to CURIEs with the
project's namespace table, long text wraps at word boundaries, identifiers fold, and the
table is as wide as the terminal (80 columns in a pipe, or ``$COLUMNS``). JSON (a list of
objects, one per row, keyed by the column names) and CSV (a header of the column names,
then the rows) carry the same cells with full IRIs, for programs; numbers stay numbers in
JSON. A command whose answer is a document of the library (a validation summary, a
classification, a named query's answer: what the HTTP API answers too) prints it with
``print_document``. docs/cli.md lists every command's columns.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from typing import Iterable, Sequence

from aims_graph.errors import InputError

FORMATS = ("text", "json", "csv")
FORMAT_HELP = "text (a table that fits the terminal), json or csv."
_SYNONYMS = {"table": "text"}  # the text form's older name, still accepted everywhere
Cell = str | int | None


@dataclass(frozen=True)
class Column:
    """A column: its heading, and how its cells behave when the table is too wide.

    ``wrap`` columns hold prose (wrapped at spaces), ``fold`` columns identifiers (cut
    anywhere, never "..."), ``keep`` columns short codes that are never broken."""

    name: str
    kind: str = "wrap"  # wrap, fold or keep
    justify: str = "left"


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    """``fmt`` if it is one of ``allowed`` (``table`` is read as ``text``), else a clear
    error naming them."""
    chosen = _SYNONYMS.get(fmt, fmt)
    if chosen not in allowed:
        also = " (or table, the same as text)" if "text" in allowed else ""
        raise InputError(f"--format {fmt!r} is not one of: {', '.join(allowed)}{also}")
    return chosen


def show(title: str, columns: Sequence[Column], rows: Iterable[Sequence[Cell]], fmt: str = "text",
         notes: Sequence[str] = (), shorten: bool = True, stderr: bool = False) -> None:
    """Print ``rows`` under ``columns`` in ``fmt``; ``notes`` (what abbreviations and marks
    mean) follow a text table and are left out of JSON and CSV.  ``stderr``: a text table
    that reports a failure goes to standard error (JSON and CSV are always the output)."""
    table = [["" if cell is None else cell for cell in row] for row in rows]
    if fmt == "json":
        names = [c.name for c in columns]
        print_document([dict(zip(names, row, strict=True)) for row in table])
        return
    cells = [[str(cell) for cell in row] for row in table]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        writer.writerows(cells)
        sys.stdout.write(buffer.getvalue())
    else:
        _print_text(title, columns, cells, notes, shorten, stderr)
    sys.stdout.flush()


def print_text(text: str) -> None:
    """A rendered document (Turtle, Markdown, HTML, CSV) on standard output, ending in one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def print_document(data: object) -> None:
    """A JSON document on standard output, as every command prints one."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def short(text: str) -> str:
    """An IRI cell as its CURIE when the namespace table knows its namespace."""
    from aims_graph.rdf.namespaces import curie

    return curie(text) if "://" in text and " " not in text else text


def _print_text(title: str, columns: Sequence[Column], cells: list[list[str]], notes: Sequence[str],
                shorten: bool, stderr: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False, stderr=stderr)
    # Short codes keep their width; the rest of the terminal is shared, prose getting the most.
    width = {c.name: max([len(c.name), *(len(line) for row in cells for line in row[i].splitlines())])
             for i, c in enumerate(columns)}
    too_wide = sum(width.values()) + 3 * len(columns) > console.width
    table = Table(title=title or None, title_justify="left", expand=too_wide)
    for column in columns:
        ratio = {"wrap": 3, "fold": 2}.get(column.kind) if table.expand else None
        table.add_column(column.name, justify=column.justify,  # type: ignore[arg-type]
                         overflow="fold", no_wrap=column.kind == "keep", ratio=ratio,
                         min_width=min(width[column.name], 12) if column.kind != "keep" else None)
    for row in cells:
        table.add_row(*(escape(short(cell) if shorten else cell) for cell in row))
    console.print(table)
    for note in notes:
        console.print(escape(note), soft_wrap=False)
