"""The one way the CLI prints a table: as text that fits the terminal, as JSON or as CSV.

Every command that prints rows describes them once (columns and cells as plain strings)
and calls ``show``; the format is the user's ``--format``. In text, IRIs are shortened to
CURIEs with the project's namespace table, long text wraps at word boundaries, identifiers
fold, and the table is as wide as the terminal (80 columns in a pipe, or ``$COLUMNS``).
JSON and CSV carry the same cells unshortened, for programs.
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


@dataclass(frozen=True)
class Column:
    """A column: its heading, and how its cells behave when the table is too wide.

    ``wrap`` columns hold prose (wrapped at spaces), ``fold`` columns identifiers (cut
    anywhere, never "..."), ``keep`` columns short codes that are never broken."""

    name: str
    kind: str = "wrap"  # wrap, fold or keep
    justify: str = "left"


def check_format(fmt: str, allowed: Sequence[str] = FORMATS) -> str:
    """``fmt`` if it is one of ``allowed``, else a clear error naming them."""
    if fmt not in allowed:
        raise InputError(f"--format {fmt!r} is not one of: {', '.join(allowed)}")
    return fmt


def show(title: str, columns: Sequence[Column], rows: Iterable[Sequence[str | None]], fmt: str = "text",
         notes: Sequence[str] = (), shorten: bool = True) -> None:
    """Print ``rows`` under ``columns`` in ``fmt``; ``notes`` (what abbreviations and marks
    mean) follow a text table and are left out of JSON and CSV."""
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if fmt == "json":
        names = [c.name for c in columns]
        sys.stdout.write(json.dumps([dict(zip(names, row)) for row in cells], indent=2, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([c.name for c in columns])
        writer.writerows(cells)
        sys.stdout.write(buffer.getvalue())
    else:
        _print_text(title, columns, cells, notes, shorten)
    sys.stdout.flush()


def short(text: str) -> str:
    """An IRI cell as its CURIE when the namespace table knows its namespace."""
    from aims_graph.rdf.namespaces import curie

    return curie(text) if "://" in text and " " not in text else text


def _print_text(title: str, columns: Sequence[Column], cells: list[list[str]], notes: Sequence[str],
                shorten: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    # Short codes keep their width; the rest of the terminal is shared, prose getting the most.
    width = {c.name: max([len(c.name), *(len(line) for row in cells for line in row[i].splitlines())])
             for i, c in enumerate(columns)}
    table = Table(title=title, title_justify="left", expand=sum(width.values()) + 3 * len(columns) > console.width)
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
