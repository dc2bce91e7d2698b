"""Commands that move RDF in and out of the store: load, export, sparql, info, reload, serve."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from aims_graph.cli import oscal_exports
from aims_graph.cli.app import app, get_store
from aims_graph.cli.exporting import ExportOptions, only
from aims_graph.cli.tables import FORMAT_HELP, Column, check_format, show
from aims_graph.errors import InputError, NotFoundError
from aims_graph.sparql.text import is_update, query_form
from aims_graph.store import DEFAULT_DATA_GRAPH, STORE_ENV, Store

console = Console()

_RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}


@app.command()
def load(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML).")],
    graph: Annotated[str | None, typer.Option(help="Named graph for the triples that name none (default: the "
                                                   "data graph); quads naming a graph keep it.")] = None,
    rdf_format: Annotated[str | None, typer.Option("--format", help="Syntax, when the extension does not tell it.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the content of --graph instead of adding to it.")] = False,
    allow_unknown_terms: Annotated[bool, typer.Option(
        "--allow-unknown-terms", help="Load even when the data uses aims: terms or reference concepts that "
                                      "aims-graph does not define (each is printed as a warning).")] = False,
) -> None:
    """Load RDF files into the store as one atomic import.

    Nothing is loaded when a file would write a reference graph (ontology, standards,
    crosswalks, shapes, meta): those come from the sources only ('aims-graph reload').
    Nor when it uses a term of the aims: namespace or a concept of a reference scheme
    that does not exist (a typo such as aims:ownr): the error names it and the closest
    existing term.
    """
    from aims_graph.rdf import io as rdf_io

    if replace and not graph:
        raise InputError("--replace needs --graph: name the graph whose content is replaced")
    store = get_store(ctx)
    chosen = rdf_io.format_named(rdf_format) if rdf_format else None
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        bar.add_task(f"loading {len(files)} file(s)", total=None)
        if replace:
            added = rdf_io.replace_graph_with_files(store, files, graph, rdf_format=chosen,
                                                    allow_unknown_terms=allow_unknown_terms)
        else:
            added = rdf_io.load_files(store, files, graph=graph, rdf_format=chosen,
                                      allow_unknown_terms=allow_unknown_terms)
    console.print(f"loaded {len(files)} file(s): {added} new quads (triples without a graph into "
                  f"{graph or DEFAULT_DATA_GRAPH})", highlight=False, soft_wrap=True)


# Exports that are documents built from the store rather than its RDF: format -> exporter.
EXPORTERS: dict[str, Callable[[Store, ExportOptions], bytes]] = {
    "oscal-catalog": oscal_exports.catalog,
    "oscal-mapping": oscal_exports.mapping,
    "oscal-component": oscal_exports.component,
}


@app.command()
def export(
    ctx: typer.Context,
    rdf_format: Annotated[str, typer.Option("--format", help="turtle, trig, ntriples, nquads, jsonld or rdfxml; "
                                                            f"or a document: {', '.join(EXPORTERS)}.")] = "nquads",
    graph: Annotated[str | None, typer.Option(help="Export one named graph only.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
    scheme: Annotated[str | None, typer.Option(help="oscal-catalog: the reference scheme (iso42001, eu-ai-act, "
                                                    "nist-ai-rmf, ...).")] = None,
    mapping_set: Annotated[str | None, typer.Option("--set", help="oscal-mapping: the crosswalk, e.g. "
                                                                  "iso42001-eu-ai-act.")] = None,
    soa: Annotated[str | None, typer.Option(help="oscal-component: the statement of applicability (IRI) when the "
                                                 "store holds several.")] = None,
) -> None:
    """Export the whole store (reference knowledge included) or one graph, or a document built from it."""
    from aims_graph.rdf import io as rdf_io

    store = get_store(ctx)
    options: ExportOptions = {"graph": graph, "scheme": scheme, "set": mapping_set, "soa": soa}
    if rdf_format in EXPORTERS:
        data = EXPORTERS[rdf_format](store, options)
    else:
        only(options, rdf_format, "graph")
        chosen = rdf_io.format_named(rdf_format)
        try:
            data = store.dump(chosen, graph)
        except ValueError as error:
            raise InputError(str(error)) from error
    if out:
        out.write_bytes(data)
        console.print(f"wrote {len(data)} bytes to {out}")
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@app.command()
def sparql(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A SPARQL query, or @FILE to read it from a file.")],
    result_format: Annotated[str, typer.Option(
        "--format", help="table (or text: IRIs as CURIEs), or the SPARQL results formats json, xml, csv, tsv "
                         "(SELECT/ASK); an RDF format for CONSTRUCT/DESCRIBE.")] = "table",
) -> None:
    """Run a SPARQL query over the union of all graphs.

    --format json, xml, csv and tsv are the W3C SPARQL 1.1 results formats (with full IRIs)."""
    from aims_graph.rdf import io as rdf_io

    text = rdf_io.read_file(Path(query[1:])).decode("utf-8") if query.startswith("@") else query
    if is_update(text):
        raise InputError("this is a SPARQL update; the sparql command only runs queries")
    if query_form(text) is None:
        raise InputError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    store = get_store(ctx)
    try:
        if result_format in ("table", "text"):
            _print_table(store.query(text))
            return
        form = query_form(text)
        chosen = (rdf_io.format_named(result_format) if form in {"CONSTRUCT", "DESCRIBE"}
                  else _result_format(result_format))
        sys.stdout.buffer.write(store.query_to_bytes(text, chosen))
    except SyntaxError as error:
        raise InputError(f"SPARQL syntax error: {error}") from error


def _result_format(name: str) -> ox.QueryResultsFormat:
    if name not in _RESULT_FORMATS:
        raise InputError(f"unknown results format {name!r}: use table, {', '.join(_RESULT_FORMATS)}")
    return _RESULT_FORMATS[name]


def _print_table(result: object) -> None:
    if isinstance(result, ox.QueryBoolean):
        console.print(str(bool(result)).lower())
        return
    if isinstance(result, ox.QueryTriples):
        for triple in result:
            console.print(f"{triple.subject} {triple.predicate} {triple.object} .", highlight=False)
        return
    variables = [v.value for v in result.variables]  # type: ignore[attr-defined]
    rows = [[_term_text(solution[v]) for v in variables] for solution in result]  # type: ignore[attr-defined]
    show("", [Column(v, "fold") for v in variables], rows, notes=[f"{len(rows)} row(s)"])


def _term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        return term.value
    return getattr(term, "value", str(term))


@app.command()
def info(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=FORMAT_HELP)] = "text",
) -> None:
    """Show what the store holds: graphs, sizes and reference module versions."""
    from aims_graph.knowledge.modules import META_GRAPH, loaded_versions, reference_graphs

    fmt = check_format(fmt)
    store = get_store(ctx)
    versions = loaded_versions(store)
    reference = reference_graphs()
    counts = {
        row["g"].value: int(row["n"].value)
        for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    }
    rows = [[graph, "meta" if graph == META_GRAPH else "reference" if graph in reference else "data",
             counts.get(graph, 0), versions.get(graph, "")] for graph in store.named_graphs()]
    show(f"store: {store.description}",
         [Column("graph", "fold"), Column("kind", "keep"), Column("triples", "keep", "right"),
          Column("version", "keep")],
         rows, fmt, notes=[f"{len(store)} quads in all"], shorten=False)


@app.command()
def drop(
    ctx: typer.Context,
    graph: Annotated[str, typer.Argument(help="IRI of the organisation graph to remove (see 'aims-graph info').")],
) -> None:
    """Remove one organisation graph (an import, the example, the data graph) from the store.

    Reference graphs (ontology, standards, crosswalks, shapes, meta) are refused: they
    come from the sources only ('aims-graph reload')."""
    from aims_graph.knowledge.graph_kinds import check_not_reference

    check_not_reference([graph], f"drop {graph}")
    store = get_store(ctx)
    if graph not in store.named_graphs():
        raise NotFoundError(f"the store has no graph {graph}: 'aims-graph info' lists its graphs")
    store.drop_graph(graph)
    console.print(f"dropped graph {graph}", highlight=False, soft_wrap=True)


@app.command()
def reload(ctx: typer.Context) -> None:
    """Rewrite every reference graph from the sources under ontology/ and shapes/.

    This is the one way to write reference knowledge. Opening a store already restores
    any reference graph whose version or content differs from what was loaded.
    """
    from aims_graph.knowledge.modules import ensure_reference

    store = get_store(ctx, reference=False)
    written = ensure_reference(store, progress=True, force=True)
    console.print(f"reloaded {len(written)} reference module(s)", highlight=False)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the HTTP API (SPARQL protocol, Graph Store Protocol, REST views).

    Local stores are served through an Oxigraph sidecar, which makes query timeouts real.

    Writes need a token ('aims-graph token create'); other settings: see docs/api.md.
    """
    import os

    import uvicorn

    from contextlib import nullcontext

    from aims_graph.cli.serving import is_directory, local_url, serving_note

    spec = ctx.find_root().obj["store_spec"]
    os.environ[STORE_ENV] = spec
    # Other commands on the same directory find the store locked: the note tells them
    # where this server answers (aims_graph.cli.serving).
    with serving_note(Path(spec), local_url(host, port)) if is_directory(spec) else nullcontext():
        # The service is named, not imported: the library never depends on the API package.
        # Its HTTP protocol closes connections that send their request too slowly.
        uvicorn.run("aims_graph.api.main:create_app", factory=True, host=host, port=port, log_level="info",
                    http="aims_graph.api.slow_clients:DeadlineHttpToolsProtocol")
