"""Conformance commands: validate, classify, soa, and the general-purpose shacl tool.

Exit status: 0 when nothing is wrong, 1 when validation finds a violation (``validate``)
or the data does not conform (``shacl``), 2 for errors the user can fix.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from aims_graph import rdf_io
from aims_graph.classification import SystemClassification, classify as run_classification
from aims_graph.cli.app import app, get_store
from aims_graph.cli.tables import Column, show
from aims_graph.errors import InputError
from aims_graph.shacl import lexical
from aims_graph.shacl.report import ValidationReport, ValidationResult
from aims_graph.soa import FORMATS as SOA_FORMATS, render, statement_of_applicability
from aims_graph.systems import resolve_system
from aims_graph.validation import ENGINES, INTEGRITY, Summary, validate as run_validation
from aims_graph.validation.engines import engine_named
from aims_graph.validation.report import serialize_report

console = Console()
EXIT_FINDINGS = 1
_SEVERITY_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan", "pass": "green"}


def _choice(value: str, allowed: tuple[str, ...] | list[str], option: str) -> str:
    if value not in allowed:
        raise InputError(f"{option} {value!r} is not one of: {', '.join(allowed)}")
    return value


def _write(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


@app.command()
def validate(
    ctx: typer.Context,
    system: Annotated[str | None, typer.Option("--system", help="Validate only this AI system: its identifier, IRI or CURIE.")] = None,
    output: Annotated[str, typer.Option("--format", help="text, json (summary by requirement), csv (one row per finding), ttl or jsonld (sh:ValidationReport).")] = "text",
    engine: Annotated[str, typer.Option("--engine", help=f"SHACL engine: {', '.join(ENGINES)}.")] = "compiled",
) -> None:
    """Validate the organisation's data (or one AI system) against the integrity and conformance shapes."""
    _choice(output, ("text", "json", "csv", "ttl", "jsonld"), "--format")
    engine_named(engine)
    store = get_store(ctx)
    report = run_validation(store, resolve_system(store, system) if system else None, engine=engine)
    if output in ("ttl", "jsonld"):
        _write(report.serialize(output))
    elif output == "json":
        _write(report.summary().to_json())
    else:
        _print_summary(report.summary(), output)
    if report.has_violations:
        raise typer.Exit(EXIT_FINDINGS)


def _print_summary(summary: Summary, fmt: str) -> None:
    """Requirements with their status, then every finding once: a finding that cites
    several requirements (6.1.3 and 8.3) is one row naming them all, and each
    requirement lists the numbers of its findings."""
    number = {id(f): n for n, f in enumerate(summary.findings, 1)}
    notation = {e.requirement: e.notation or e.requirement for e in summary.requirements}
    if fmt == "text":
        show(f"Conformance by requirement ({summary.scope or 'whole store'}, engine {summary.engine})",
             [Column("requirement", "keep"), Column("title"), Column("status", "keep"), Column("findings", "wrap")],
             [[e.notation or e.requirement, e.title, e.status,
               ", ".join(f"#{number[id(f)]}" for f in e.findings if id(f) in number)]
              for e in summary.requirements])
    show("Findings (each once, with every requirement it cites)",
         [Column("#", "keep", "right"), Column("severity", "keep"), Column("requirements"), Column("focus node", "fold"),
          Column("message")],
         [[str(n), f.severity, ", ".join(notation.get(r, r) for r in f.requirements) or INTEGRITY, f.focus_node,
           f.message] for n, f in enumerate(summary.findings, 1)], fmt,
         notes=[f"{summary.violations} violation(s), {summary.warnings} warning(s), {summary.infos} note(s); "
                "Violation: a nonconformity; Warning: a recommendation; Info: a note."])


@app.command()
def classify(
    ctx: typer.Context,
    system: Annotated[str | None, typer.Option("--system", help="Classify only this AI system or GPAI model: its identifier, IRI or CURIE.")] = None,
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    details: Annotated[bool, typer.Option("--details", help=f"One row per system even beyond {DETAIL_LIMIT} systems.")] = False,
) -> None:
    """Derive EU AI Act risk categories and obligations and record them in the derived graph."""
    _choice(output, ("text", "json"), "--format")
    store = get_store(ctx)
    results = run_classification(store, resolve_system(store, system, models=True) if system else None)
    if output == "json":
        _write(json.dumps([r.to_dict() for r in results], indent=2, ensure_ascii=False))
        return
    if len(results) > DETAIL_LIMIT and not details:
        _print_category_counts(results)
    else:
        _print_classification(results)


DETAIL_LIMIT = 50
"""Beyond this many systems the text output counts systems per category: a table of
thousands of rows informs nobody (``--details`` or ``--format json`` give every row)."""


def _print_category_counts(results: list[SystemClassification]) -> None:
    counts: dict[str, int] = {}
    for item in results:
        for category in {record.category or "(not in this category)" for record in item.records}:
            counts[category] = counts.get(category, 0) + 1
    table = Table(title=f"EU AI Act classification: {len(results)} systems and models "
                        "(--details or --format json for each one)")
    table.add_column("category")
    table.add_column("systems and models", justify="right")
    for category, count in sorted(counts.items()):
        table.add_row(category, str(count))
    console.print(table)


def _print_classification(results: list[SystemClassification]) -> None:
    rows = []
    for item in results:
        decided = sum(1 for o in item.obligations if o.decided)
        count = f"{decided} apply, {len(item.obligations) - decided} may apply" if decided < len(item.obligations) \
            else f"{decided} apply"
        for index, record in enumerate(item.records):
            rows.append([item.label or item.iri if index == 0 else "", record.category or "(not in this category)",
                         "\n".join(g.notation or g.iri for g in record.grounds), record.explanation,
                         count if index == 0 else ""])
    show("EU AI Act classification",
         [Column("system"), Column("category"), Column("grounds", "keep"), Column("explanation"),
          Column("obligations")],
         rows, notes=["obligations: 'apply' are decided by the recorded facts; 'may apply' depend on a condition "
                      "a person must judge (aims:obligationMayApply)."])


@app.command()
def soa(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--format", help="csv, json, md or html.")] = "md",
    statement: Annotated[str | None, typer.Option("--soa", help="The statement of applicability (IRI) when the store holds several.")] = None,
) -> None:
    """Print the Statement of Applicability: all 38 ISO/IEC 42001 Annex A controls."""
    _choice(output, SOA_FORMATS, "--format")
    _write(render(statement_of_applicability(get_store(ctx), statement), output))


@app.command()
def shacl(
    data: Annotated[Path, typer.Option("--data", help="The data graph (any RDF syntax, by extension).")],
    shapes: Annotated[Path, typer.Option("--shapes", help="The shapes graph (any RDF syntax, by extension).")],
    output: Annotated[str, typer.Option("--format", help="ttl, jsonld or text.")] = "ttl",
    engine: Annotated[str, typer.Option("--engine", help=f"SHACL engine: {', '.join(ENGINES)}.")] = "compiled",
) -> None:
    """Validate any data graph against any shapes graph and print a standard sh:ValidationReport."""
    _choice(output, ("ttl", "jsonld", "text"), "--format")
    run = engine_named(engine)
    shapes_triples, data_triples = _read(shapes), _read(data)
    results = run(shapes_triples, data_triples)
    if engine == "compiled":  # its store rewrites literals in canonical form; report them as the files wrote them
        results = lexical.restore(results, lexical.written_forms([*data_triples, *shapes_triples]))
    report = ValidationReport(results)
    if output == "text":
        _print_results(report.results, report.conforms)
    else:
        _write(serialize_report(report, output))
    if not report.conforms:
        raise typer.Exit(EXIT_FINDINGS)


def _read(path: Path) -> list[ox.Triple]:
    """All triples of a file, relative IRIs resolved against the file (as SHACL test suites expect)."""
    rdf_format = rdf_io.format_for_path(path)
    try:
        quads = ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri())
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    except SyntaxError as error:
        raise InputError(f"{path}: {error}") from error


def _print_results(results: list[ValidationResult], conforms: bool) -> None:
    table = Table(title=f"sh:conforms {str(conforms).lower()} ({len(results)} result(s))")
    for column in ("severity", "focus node", "path", "value", "component", "message"):
        table.add_column(column, overflow="fold")
    for r in results:
        severity = r.severity.value.rsplit("#", 1)[-1]
        table.add_row(f"[{_SEVERITY_STYLE.get(severity, '')}]{severity}[/]", str(r.focus_node),
                      str(r.result_path or ""), str(r.value or ""),
                      r.source_constraint_component.value.rsplit("#", 1)[-1],
                      "; ".join(m.value for m in r.messages))
    console.print(table)
