"""Import a filled template into the store, all or nothing, one named graph per source.

The whole file is read and checked before anything is written: cells against their
column types and the reference schemes, ids for duplicates, system references against
the inventory (in the same file or already in the store).  A file with any error
writes nothing, unless ``skip_invalid`` asks to import the good rows and list the rest.
The import then replaces the graph that this source owns, so importing the same file
twice leaves the store as one import did (but for the recorded time); which graph that
is, and when another import may replace it, is decided by ``target``.
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Callable

import pyoxigraph as ox

from aims_graph.errors import InputError
from aims_graph.rdf.namespaces import AIMS
from aims_graph.spreadsheet import values
from aims_graph.spreadsheet.columns import KINDS, SheetKind, fold, kind_named
from aims_graph.spreadsheet.governance import GOVERNANCE_BUILDERS
from aims_graph.spreadsheet.iris import DataIris
from aims_graph.spreadsheet.mapping import CORE_BUILDERS, Row, RowProblem
from aims_graph.spreadsheet.ntriples import text as literal
from aims_graph.spreadsheet.reading import Sheet, is_workbook, read_csv, read_workbook
from aims_graph.spreadsheet.report import ImportReport, RowError, SpreadsheetRejected
from aims_graph.spreadsheet.target import check_replaceable, import_target
from aims_graph.store.base import Store

Progress = Callable[[str, int, int], None]
"""Called as ``progress(sheet, rows_done, rows_total)`` while rows are checked."""

# Systems first, so that the other sheets can refer to the systems of the same file.
_ORDER = list(KINDS)
BUILDERS = {**CORE_BUILDERS, **GOVERNANCE_BUILDERS}


def import_spreadsheet(
    store: Store,
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    kind: str | None = None,
    graph: str | None = None,
    base: str | None = None,
    org: str = "org",
    replace: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Check and import one .xlsx workbook (a sheet per kind) or one .csv sheet.

    ``source`` is a path or the file's bytes (then ``filename`` names it, for the format,
    the default graph and messages).  ``kind`` names the sheet kind of a CSV file; when
    omitted, the file name must be the kind (``risk-register.csv``).  Raises
    ``SpreadsheetRejected`` (its ``report`` lists every error) when anything is wrong
    and ``skip_invalid`` is false; ``ImportConflict`` when the graph holds another
    import's data and ``replace`` is false (see ``target``).
    """
    if isinstance(source, bytes):
        data, name = source, filename or "upload"
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{path}: cannot read the file ({error.strerror})") from error
        name = filename or path.name
    target = import_target(name, org=org, base=base, graph=graph)
    check_replaceable(store, target, replace=replace)
    report = ImportReport(source=name, graph=target.graph, base=target.iris.base)
    sheets = _read(data, name, kind)
    lines = _check_and_build(store, sheets, target.iris, report, progress)
    if report.errors and not skip_invalid:
        raise SpreadsheetRejected(report)
    report.skipped, report.errors = report.errors, []
    if not lines:
        return report
    lines.update(dict.fromkeys(target.record_lines()))
    store.replace_graph(target.graph, "".join(lines).encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    report.triples, report.written = len(lines), True
    return report


def _read(data: bytes, name: str, kind: str | None) -> list[Sheet]:
    if is_workbook(data, name):
        if kind:
            raise InputError(f"{name}: --kind is for CSV files; a workbook names each sheet by its kind")
        return read_workbook(data, name)
    chosen = kind_named(kind or PurePath(name).stem)
    if chosen is None:
        raise InputError(
            f"{name}: cannot tell which sheet kind this CSV holds; give --kind "
            f"({', '.join(KINDS)}) or name the file after its kind"
        )
    return [read_csv(data, name, chosen.name)]


def _check_and_build(
    store: Store, sheets: list[Sheet], iris: DataIris, report: ImportReport, progress: Progress | None,
) -> dict[str, None]:
    by_kind: dict[str, Sheet] = {}
    for sheet in sheets:
        kind = kind_named(sheet.name)
        if kind is None:
            report.errors.append(RowError(sheet.name, None, None,
                                          f"unknown sheet: sheet names must be one of {', '.join(KINDS)}"))
        elif kind.name in by_kind:
            report.errors.append(RowError(sheet.name, None, None, f"a second sheet of kind {kind.name}"))
        elif sheet.header or sheet.rows:
            by_kind[kind.name] = sheet
    known_systems = _stored_systems(store, iris, report.graph)
    lines: dict[str, None] = {}
    for name in _ORDER:
        if name in by_kind:
            sheet = by_kind[name]
            built = _sheet_lines(KINDS[name], sheet, iris, known_systems, report, progress)
            lines.update(dict.fromkeys(built))
    return lines


def _stored_systems(store: Store, iris: DataIris, own_graph: str) -> set[str]:
    """Ids of systems already in the store under this base, outside the graph being replaced."""
    prefix = iris.system_prefix
    query = (
        f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{AIMS}AISystem> }} "
        f"FILTER(?g != <{own_graph}> && STRSTARTS(STR(?s), {literal(prefix)})) }}"
    )
    return {row["s"].value[len(prefix):] for row in store.query(query)}  # type: ignore[union-attr]


def _header_errors(kind: SheetKind, sheet: Sheet) -> tuple[dict[str, int], list[RowError]]:
    positions: dict[str, int] = {}
    errors = []
    for index, title in enumerate(sheet.header):
        column = fold(title)
        if not title:
            continue
        if column not in kind.names:
            errors.append(RowError(sheet.name, 1, title, f"unknown column; {kind.name} columns are "
                                                        f"{', '.join(kind.names)}"))
        elif column in positions:
            errors.append(RowError(sheet.name, 1, title, "the column appears twice"))
        else:
            positions[column] = index
    for column in kind.columns:
        if column.required and column.name not in positions:
            errors.append(RowError(sheet.name, None, column.name, "required column is missing from the header"))
    return positions, errors


def _sheet_lines(
    kind: SheetKind, sheet: Sheet, iris: DataIris, known_systems: set[str],
    report: ImportReport, progress: Progress | None,
) -> list[str]:
    positions, header_errors = _header_errors(kind, sheet)
    if header_errors:
        report.errors.extend(header_errors)
        return []
    seen: dict[str, int] = {}
    out: list[str] = []
    imported = 0
    total = len(sheet.rows)
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        row, errors = _parse_row(kind, sheet.name, number, cells, positions)
        errors += _row_references(kind, sheet.name, number, row, seen, known_systems)
        if not errors:
            try:
                out.extend(BUILDERS[kind.name](row, iris))
            except RowProblem as problem:
                errors = [RowError(sheet.name, number, problem.column, str(problem))]
        if errors:
            report.errors.extend(errors)
        else:
            imported += 1
            if kind.name == "inventory":
                known_systems.add(str(row["id"]))
        if progress and (done % 200 == 0 or done == total):
            progress(sheet.name, done, total)
    report.imported[kind.name] = imported
    return out


def _parse_row(
    kind: SheetKind, sheet: str, number: int, cells: list[object], positions: dict[str, int],
) -> tuple[Row, list[RowError]]:
    row = Row()
    errors = []
    for column in kind.columns:
        index = positions.get(column.name)
        text = values.cell_text(cells[index]) if index is not None and index < len(cells) else None
        if text is None:
            if column.required:
                errors.append(RowError(sheet, number, column.name, "required value is missing"))
            row[column.name] = [] if column.many else None
            continue
        try:
            parts = values.split_list(text) if column.many else [text]
            parsed = [column.type.parse(part) for part in parts]
        except ValueError as error:
            errors.append(RowError(sheet, number, column.name, str(error)))
            continue
        row[column.name] = parsed if column.many else parsed[0]
    extra = [i for i in range(len(cells)) if i not in positions.values() and values.cell_text(cells[i])]
    if extra:
        errors.append(RowError(sheet, number, None, f"value(s) in column(s) without a header: "
                                                    f"{', '.join(str(i + 1) for i in extra)}"))
    return row, errors


def _row_references(
    kind: SheetKind, sheet: str, number: int, row: Row, seen: dict[str, int], known_systems: set[str],
) -> list[RowError]:
    """Duplicate ids and unknown systems; columns that failed to parse are left out."""
    errors = []
    key_value = row.get(kind.key)
    key = key_value[0] if isinstance(key_value, tuple) else None if key_value is None else str(key_value)
    if key in seen:
        errors.append(RowError(sheet, number, kind.key, f"duplicate id {key!r}: already on row {seen[key]}"))
    elif key is not None:
        seen[key] = number
    if kind.references_systems:
        for system in row.many("system"):
            if str(system) not in known_systems:
                errors.append(RowError(sheet, number, "system",
                                       f"unknown system {system!r}: not in the inventory sheet nor in the store"))
    return errors
