"""``aims-graph query`` and ``aims-graph queries``: the named competency questions.

The commands only translate between the shell and ``aims_graph.named_queries``: parse
``--param k=v``, run, print.  Every check (unknown query, missing or ill-typed value)
lives in the catalogue, so the CLI and the HTTP API refuse the same input the same way.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from aims_graph.cli.app import app, get_store
from aims_graph.cli.tables import FORMAT_HELP, Column, check_format, print_document, short, show
from aims_graph.errors import InputError
from aims_graph.named_queries import NamedQuery, QueryAnswer, default_catalogue, list_queries

console = Console()


def parse_params(pairs: list[str]) -> dict[str, str]:
    """``["k=v", ...]`` -> ``{"k": "v"}``; the value may itself contain ``=``."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--param {pair!r}: write it as NAME=VALUE, e.g. --param system=https://...")
        if name.strip() in params:
            raise InputError(f"--param {name.strip()!r} is given twice")
        params[name.strip()] = value
    return params


def _signature(query: NamedQuery) -> str:
    parts = []
    for p in query.params:
        text = f"{p.name}={p.type}"
        parts.append(text if p.required else f"[{text}]")
    return " ".join(parts)


def print_catalogue(fmt: str = "text") -> None:
    """Name and parameters on one line, the summary indented below: readable at any width.
    In JSON and CSV, one row per query: its name, its parameters as the command line takes
    them (``[...]`` around optional ones) and its summary."""
    if fmt != "text":
        show("", [Column("name"), Column("parameters"), Column("summary")],
             [[query.name, _signature(query), query.summary] for query in list_queries()], fmt)
        return
    for query in list_queries():
        console.print(f"{query.name}  {_signature(query)}".rstrip(), highlight=False, markup=False)
        console.print(f"    {query.summary}", highlight=False, markup=False)
        for p in query.params:
            default = f" (default {p.default})" if p.default is not None else ""
            kind = "required" if p.required else "optional"
            console.print(f"      {p.name}: {p.type}, {kind}{default}. {p.description}",
                          highlight=False, markup=False)


def print_answer(answer: QueryAnswer, output_format: str) -> None:
    """JSON: the answer as the HTTP API gives it (``{"query", "variables", "rows"}``);
    CSV: a header of the variables, then the rows."""
    if output_format == "json":
        print_document(answer.to_json())
    elif output_format == "csv":
        sys.stdout.write(answer.to_csv())
    else:
        shown, rows = _readable(answer)
        show(f"{answer.query}: {len(answer)} row(s)", [Column(v, "fold") for v in shown], rows)


def _readable(answer: QueryAnswer) -> tuple[list[str], list[list[str]]]:
    """The columns a person reads: a column ``x`` with a sibling ``xLabel`` is shown as the
    label (the IRI's CURIE when a row has no label), and the label column is dropped."""
    variables = list(answer.variables)
    labelled = {v for v in variables if v + "Label" in variables}
    shown = [v for v in variables if not (v.endswith("Label") and v.removesuffix("Label") in labelled)]
    rows = []
    for row in answer.to_table_rows():
        cells = dict(zip(variables, row))
        rows.append([cells[v + "Label"] or short(cells[v]) if v in labelled else cells[v] for v in shown])
    return shown, rows


@app.command()
def query(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Name of the query ('--list' shows them).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="A parameter as NAME=VALUE; repeat for more.")] = None,
    output_format: Annotated[str, typer.Option(
        "--format", help="table (or text), json or csv; with --list too.")] = "table",
    show_list: Annotated[bool, typer.Option("--list", help="List the named queries and their parameters.")] = False,
    show_sparql: Annotated[bool, typer.Option("--sparql", help="Print the SPARQL with the parameters bound instead of running it.")] = False,
) -> None:
    """Run a named competency question, e.g. aims-graph query trace-system --param system=IRI."""
    output_format = check_format(output_format)
    if show_list:
        print_catalogue(output_format)
        return
    if name is None:
        raise InputError("name a query (aims-graph query NAME) or use --list")
    catalogue = default_catalogue()
    named = catalogue.get(name)
    params = parse_params(param or [])
    if show_sparql:
        # Only concept parameters need the store (to resolve notations to IRIs).
        needs_store = any(p.type.kind == "concept" for p in named.params)
        store = get_store(ctx) if needs_store else None
        sys.stdout.write(catalogue.bound_sparql(store, name, params))
        return
    print_answer(catalogue.run(get_store(ctx), name, params), output_format)


@app.command()
def queries(fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "text") -> None:
    """List the named queries (same as 'aims-graph query --list')."""
    print_catalogue(check_format(fmt))
