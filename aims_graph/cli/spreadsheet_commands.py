"""Commands for an organisation's own data: import, template, generate, trace, chart."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from aims_graph.cli.app import EXIT_ERROR, app, get_store
from aims_graph.cli.tables import Column, check_format, print_document, show
from aims_graph.errors import InputError
from aims_graph.spreadsheet.columns import KINDS, kind_named

if TYPE_CHECKING:
    from aims_graph.spreadsheet import ImportReport, RowError

# The importer and the workbook writer (openpyxl) are imported by the commands that use them.

console = Console()
err_console = Console(stderr=True)


def _print_errors(out: Console, title: str, errors: list[RowError], fmt: str = "text") -> None:
    """CSV: one row per problem (sheet, row, column, reason) on standard output.  Text: a
    table on a terminal; one unwrapped line per error otherwise, for logs and grep."""
    if fmt == "text" and not out.is_terminal:
        out.print(title, highlight=False, soft_wrap=True)
        for error in errors:
            out.print(f"  {error}", highlight=False, soft_wrap=True, markup=False)
        return
    show(title, [Column("sheet", "keep"), Column("row", "keep", "right"), Column("column", "keep"), Column("reason")],
         [[error.sheet, error.row, error.column, error.reason] for error in errors], fmt, stderr=out.stderr)


@app.command("import")
def import_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A workbook (.xlsx, one sheet per kind) or a .csv file of one kind.")],
    kind: Annotated[str | None, typer.Option(help=f"Sheet kind of a CSV file: {', '.join(KINDS)}.")] = None,
    graph: Annotated[str | None, typer.Option(help="Named graph this source owns (default: .../graph/import/<file name>).")] = None,
    org: Annotated[str, typer.Option(help="Id of your organisation, used in data IRIs.")] = "org",
    base: Annotated[str | None, typer.Option(help="Base of data IRIs (default https://w3id.org/aims-graph/data/<org>).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the graph even when another import (another "
                                                            "file, organisation or base) or other data wrote it.")] = False,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid rows and list the skipped ones.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text, json (the import report) or csv (the rows refused or "
                                                        "skipped: sheet, row, column, reason).")] = "text",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
) -> None:
    """Import a filled template; any error rejects the whole file unless --skip-invalid.

    The graph records the file, organisation and time; a later import of another file,
    organisation or base into the same graph is refused unless --replace.
    """
    from aims_graph.spreadsheet import SpreadsheetRejected, import_spreadsheet

    if kind is not None and kind_named(kind) is None:
        raise InputError(f"unknown --kind {kind!r}: use one of {', '.join(KINDS)}")
    fmt = "json" if as_json else check_format(fmt)
    store = get_store(ctx)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        tasks: dict[str, int] = {}

        def advance(sheet: str, done: int, total: int) -> None:
            if sheet not in tasks:
                tasks[sheet] = bar.add_task(f"checking {sheet}", total=total)
            bar.update(tasks[sheet], completed=done)

        try:
            report = import_spreadsheet(store, file, kind=kind, graph=graph, org=org, base=base, replace=replace,
                                        skip_invalid=skip_invalid, progress=advance)
        except SpreadsheetRejected as rejected:
            if fmt == "json":
                print_document(rejected.report.to_dict())
            else:
                _print_errors(err_console, f"{file}: nothing imported", rejected.report.errors, fmt)
            err_console.print(f"[bold red]error:[/] {len(rejected.report.errors)} problem(s); fix them or "
                              "use --skip-invalid to import the valid rows", highlight=False)
            raise typer.Exit(EXIT_ERROR) from rejected
    _print_report(report, fmt)
    if report.skipped and not report.written:
        # --skip-invalid that skipped every row imported nothing: a script must not go on.
        err_console.print("[bold red]error:[/] nothing imported: every row was skipped", highlight=False)
        raise typer.Exit(EXIT_ERROR)


def _print_report(report: ImportReport, fmt: str) -> None:
    """JSON: the report.  CSV: the skipped rows, the sentence that sums up on standard error."""
    if fmt == "json":
        print_document(report.to_dict())
        return
    if report.skipped or fmt == "csv":
        _print_errors(console, f"skipped {len(report.skipped_rows)} row(s) or sheet(s)", report.skipped, fmt)
    said = err_console if fmt == "csv" else console
    rows = ", ".join(f"{count} {sheet}" for sheet, count in report.imported.items()) or "no rows"
    if report.written:
        said.print(f"imported {rows} from {report.source}: {report.triples} triples in graph {report.graph}",
                   highlight=False, soft_wrap=True)
    else:
        said.print(f"nothing imported from {report.source}: no valid rows", highlight=False)


@app.command()
def template(
    kind: Annotated[str | None, typer.Option(help=f"Print the CSV template of one kind: {', '.join(KINDS)}.")] = None,
    xlsx: Annotated[Path | None, typer.Option(help="Write a workbook with every sheet (or only --kind).")] = None,
) -> None:
    """Print a CSV template (header + a '#' example row) or write an .xlsx workbook."""
    from aims_graph.spreadsheet.template import csv_template, write_workbook

    chosen = None
    if kind is not None:
        chosen = kind_named(kind)
        if chosen is None:
            raise InputError(f"unknown --kind {kind!r}: use one of {', '.join(KINDS)}")
    if xlsx is not None:
        write_workbook(xlsx, [chosen] if chosen else None)
        err_console.print(f"wrote {xlsx}", highlight=False)
    elif chosen is not None:
        sys.stdout.write(csv_template(chosen))
    else:
        raise InputError("give --kind KIND to print a CSV template, or --xlsx FILE to write a workbook")


@app.command()
def generate(
    systems: Annotated[int, typer.Option(help="Number of AI systems.", min=1)] = 100,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same bytes.")] = 1,
    out: Annotated[Path, typer.Option(help="Output file.")] = Path("synthetic.nt"),
    rdf_format: Annotated[str, typer.Option("--format", help="nt, ttl or nq.")] = "nt",
    org: Annotated[str, typer.Option(help="Organisation id in the data IRIs.")] = "synthetic",
    graph: Annotated[str | None, typer.Option(help="Graph of the quads (nq only).")] = None,
    manifest: Annotated[Path | None, typer.Option(help="Write the manifest JSON here (default: <out>.manifest.json).")] = None,
) -> None:
    """Write a synthetic organisation with a known number of defects of each kind."""
    from aims_graph.devtools.generator import generate_file

    result = generate_file(out, systems=systems, seed=seed, fmt=rdf_format, org=org, graph=graph)
    target = manifest or out.with_name(out.name + ".manifest.json")
    target.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    console.print(f"wrote {result['counts']['triples']} triples to {out}; manifest {target}", highlight=False)


@app.command()
def trace(
    ctx: typer.Context,
    system: Annotated[str, typer.Argument(help="The AI system: its identifier, IRI or CURIE.")],
    out: Annotated[Path, typer.Option(help="Picture file; .svg or .png.")] = Path("trace.svg"),
) -> None:
    """Draw what one AI system is traced to: data, models, risks, treatments, controls, evidence, obligations."""
    from aims_graph.reports.pictures import trace_picture
    from aims_graph.systems import resolve_system

    fmt = out.suffix.lstrip(".").lower()
    store = get_store(ctx)
    data = trace_picture(store, resolve_system(store, system), fmt)
    out.write_bytes(data)
    console.print(f"wrote {out} ({len(data)} bytes)", highlight=False)


@app.command()
def chart(
    ctx: typer.Context,
    out: Annotated[Path, typer.Option(help="Picture file; .svg or .png.")] = Path("conformance.png"),
    system: Annotated[str | None, typer.Option(help="Validate one AI system only: its identifier, IRI or CURIE.")] = None,
    results: Annotated[Path | None, typer.Option(help="Chart these [requirement, passed, failed] rows "
                                                      "(a JSON list) instead of validating the store.")] = None,
) -> None:
    """Bar chart of passed and failed checks per clause, control or article.

    With --system, the organisation-level requirements the system depends on (its management
    system's policy, objectives, statement of applicability, internal audit) are validated
    too and drawn as rows marked '(organisation)'."""
    from aims_graph.reports.pictures import conformance_chart, read_rows, rows_from_summary, system_rows

    title = "Conformance by requirement"
    if results is not None:
        rows = read_rows(results)
    else:
        from aims_graph.systems import resolve_system, system_name
        from aims_graph.validation import validate

        store = get_store(ctx)
        iri = resolve_system(store, system) if system else None
        rows = system_rows(store, iri) if iri else rows_from_summary(validate(store).summary())
        title += f" of {system_name(store, iri)}" if iri else " (whole store)"
    data = conformance_chart(rows, out.suffix.lstrip(".").lower(), title)
    out.write_bytes(data)
    console.print(f"wrote {out} ({len(data)} bytes, {len(rows)} requirements)", highlight=False)
