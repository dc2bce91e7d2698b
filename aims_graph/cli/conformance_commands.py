"""Conformance commands: validate, classify, soa, and the general-purpose shacl tool.

Exit status: 0 when nothing is wrong, 1 when validation finds a violation (``validate``)
or the data does not conform (``shacl``), 2 for errors the user can fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from aims_graph.cli.app import app, get_store
from aims_graph.cli.tables import FORMATS, Column, check_format, print_document, print_text, show
from aims_graph.errors import InputError
from aims_graph.reports.soa import FORMATS as SOA_FORMATS

if TYPE_CHECKING:
    import pyoxigraph as ox

    from aims_graph.classification import SystemClassification
    from aims_graph.shacl.report import ValidationResult
    from aims_graph.validation import Summary

# The library behind these commands (validation loads pySHACL and rdflib) is imported by
# each command when it runs: building the command line for --help must stay fast.

EXIT_FINDINGS = 1
ENGINE_NAMES = ("compiled", "pyshacl")
"""The engines of ``aims_graph.validation.ENGINES``, named here so that ``--help`` does not
load them (tests/cli/test_startup.py keeps the two equal)."""
AS_OF_HELP = "Read the law as it stands on this date (YYYY-MM-DD, default today; not before 2024-08-01)."


@app.command()
def validate(
    ctx: typer.Context,
    system: Annotated[str | None, typer.Option("--system", help="Validate only this AI system: its identifier, IRI or CURIE.")] = None,
    output: Annotated[str, typer.Option("--format", help="text, json (summary by requirement), csv (one row per finding), ttl or jsonld (sh:ValidationReport).")] = "text",
    engine: Annotated[str, typer.Option("--engine", help=f"SHACL engine: {', '.join(ENGINE_NAMES)}.")] = "compiled",
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
) -> None:
    """Validate the organisation's data (or one AI system) against the integrity and conformance shapes.

    An EU AI Act requirement counts only if it applies to its system on the --as-of date."""
    from aims_graph.law import as_of_date
    from aims_graph.systems import resolve_system
    from aims_graph.validation import validate as run_validation
    from aims_graph.validation.engines import engine_named

    output = check_format(output, (*FORMATS, "ttl", "jsonld"))
    engine_named(engine)
    on = as_of_date(as_of)
    store = get_store(ctx)
    report = run_validation(store, resolve_system(store, system) if system else None, engine=engine, as_of=on)
    if output in ("ttl", "jsonld"):
        print_text(report.serialize(output))
    elif output == "json":
        print_document(report.summary().to_dict())
    else:
        _print_summary(report.summary(), output)
    if report.has_violations:
        raise typer.Exit(EXIT_FINDINGS)


def _print_summary(summary: Summary, fmt: str) -> None:
    """Requirements with their status, then every finding once: a finding that cites
    several requirements (6.1.3 and 8.3) is one row naming them all, and each
    requirement lists the numbers of its findings."""
    from aims_graph.validation import INTEGRITY

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
    output: Annotated[str, typer.Option(
        "--format", help="text, json (one document per system, with its obligations) or csv (a row per derived "
                         "category).")] = "text",
    details: Annotated[bool, typer.Option("--details", help=f"One row per system even beyond {DETAIL_LIMIT} systems.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
) -> None:
    """Derive EU AI Act risk categories and obligations as of a date and record them in the derived graph.

    Each obligation carries its article, the date it applies from for the system's route and
    the version of the act in force on the --as-of date."""
    from aims_graph.classification import classified_nodes
    from aims_graph.classification import classify as run_classification
    from aims_graph.law import as_of_date
    from aims_graph.rdf.unknown_terms import check_facts
    from aims_graph.systems import resolve_system

    output = check_format(output)
    on = as_of_date(as_of)
    store = get_store(ctx)
    chosen = resolve_system(store, system, models=True) if system else None
    check_facts(store, classified_nodes(store, chosen), "classify")
    results = run_classification(store, chosen, as_of=on)
    if output == "json":
        print_document([r.to_dict() for r in results])
    elif output == "csv":
        _print_classification_rows(results)
    elif len(results) > DETAIL_LIMIT and not details:
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
    show(f"EU AI Act classification: {len(results)} systems and models (--details or --format json for each one)",
         [Column("category"), Column("systems and models", "keep", "right")],
         [[category, str(count)] for category, count in sorted(counts.items())])


def _obligation_counts(item: SystemClassification) -> tuple[int, int, int]:
    """How many of a system's obligations apply now, apply later, and may apply."""
    due = sum(1 for o in item.obligations if o.applies_on_as_of)
    decided = sum(1 for o in item.obligations if o.decided)
    return due, decided - due, len(item.obligations) - decided


def _print_classification_rows(results: list[SystemClassification]) -> None:
    """One CSV row per derived category (or exemption) of each system, every cell filled."""
    rows = []
    for item in results:
        now, later, may = _obligation_counts(item)
        rows += [[item.iri, item.label, item.kind, record.category, " ".join(g.iri for g in record.grounds),
                  record.explanation, now, later, may] for record in item.records]
    show("", [Column(name) for name in ("system", "label", "kind", "category", "grounds", "explanation",
                                        "obligations apply now", "obligations apply later", "obligations may apply")],
         rows, "csv")


def _print_classification(results: list[SystemClassification]) -> None:
    rows = []
    for item in results:
        due, later, may = _obligation_counts(item)
        count = ", ".join(part for part in (f"{due} apply now" if due else "", f"{later} apply later" if later else "",
                                            f"{may} may apply" if may else "") if part) or "none"
        for index, record in enumerate(item.records):
            rows.append([item.label or item.iri if index == 0 else "", record.category or "(not in this category)",
                         "\n".join(g.notation or g.iri for g in record.grounds), record.explanation,
                         count if index == 0 else ""])
    show("EU AI Act classification",
         [Column("system"), Column("category"), Column("grounds", "keep"), Column("explanation"),
          Column("obligations")],
         rows, notes=["obligations: 'apply now' are decided by the recorded facts and apply on the --as-of date; "
                      "'apply later' start on a later date of application (see `aims-graph timeline`); "
                      "'may apply' depend on a condition a person must judge (aims:obligationMayApply)."])


@app.command()
def timeline(
    ctx: typer.Context,
    system: Annotated[str, typer.Argument(help="The AI system or GPAI model: its identifier, IRI or CURIE.")],
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP + " The system is classified as of it.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Only what starts to apply by this date (YYYY-MM-DD).")] = None,
    output: Annotated[str, typer.Option("--format", help="text, json or csv.")] = "text",
) -> None:
    """When each EU AI Act obligation of a system starts to apply, in date order, and under which version of the act."""
    from dataclasses import asdict

    from aims_graph.classification import timeline as run_timeline
    from aims_graph.law import as_of_date
    from aims_graph.systems import resolve_system

    output = check_format(output)
    on, by = as_of_date(as_of), as_of_date(until) if until else None
    store = get_store(ctx)
    entries = run_timeline(store, resolve_system(store, system, models=True), on, by)
    if output == "json":
        print_document([asdict(e) for e in entries])
        return
    if output == "csv":
        show("", [Column(name) for name in ("from", "provision", "provision notation", "obligation", "label",
                                            "decided", "version", "version label")],
             [[e.date, e.provision.iri if e.provision else "", e.provision.notation if e.provision else "",
               e.obligation, e.label, str(e.decided).lower(), e.version, e.version_label] for e in entries], "csv")
        return
    show(f"Obligations by the date they start to apply (classified as of {on.isoformat()}"
         + (f", up to {by.isoformat()}" if by else "") + ")",
         [Column("from", "keep"), Column("provision", "keep"), Column("obligation"), Column("version of the act")],
         [[entry.date, entry.provision.notation if entry.provision else "",
           entry.label if entry.decided else f"{entry.label} (if its condition holds)", entry.version_label]
          for entry in entries])


@app.command()
def soa(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--format", help="csv, json, md or html.")] = "md",
    statement: Annotated[str | None, typer.Option("--soa", help="The statement of applicability (IRI) when the store holds several.")] = None,
) -> None:
    """Print the Statement of Applicability: all 38 ISO/IEC 42001 Annex A controls."""
    from aims_graph.reports.soa import render, statement_of_applicability

    check_format(output, SOA_FORMATS)
    print_text(render(statement_of_applicability(get_store(ctx), statement), output))


@app.command()
def shacl(
    data: Annotated[Path, typer.Option("--data", help="The data graph (any RDF syntax, by extension).")],
    shapes: Annotated[Path, typer.Option("--shapes", help="The shapes graph (any RDF syntax, by extension).")],
    output: Annotated[str, typer.Option("--format", help="ttl or jsonld (sh:ValidationReport), text, json or csv "
                                                            "(one row per result).")] = "ttl",
    engine: Annotated[str, typer.Option("--engine", help=f"SHACL engine: {', '.join(ENGINE_NAMES)}.")] = "compiled",
) -> None:
    """Validate any data graph against any shapes graph and print a standard sh:ValidationReport."""
    from aims_graph.shacl import lexical
    from aims_graph.shacl.report import ValidationReport
    from aims_graph.validation.engines import engine_named
    from aims_graph.validation.report import serialize_report

    output = check_format(output, ("ttl", "jsonld", *FORMATS))
    run = engine_named(engine)
    shapes_triples, data_triples = _read(shapes), _read(data)
    results = run(shapes_triples, data_triples)
    if engine == "compiled":  # its store rewrites literals in canonical form; report them as the files wrote them
        results = lexical.restore(results, lexical.written_forms([*data_triples, *shapes_triples]))
    report = ValidationReport(results)
    if output in FORMATS:
        _print_results(report.results, report.conforms, output)
    else:
        print_text(serialize_report(report, output))
    if not report.conforms:
        raise typer.Exit(EXIT_FINDINGS)


def _read(path: Path) -> list[ox.Triple]:
    """All triples of a file, relative IRIs resolved against the file (as SHACL test suites expect)."""
    import pyoxigraph as ox

    from aims_graph.rdf import io as rdf_io

    rdf_format = rdf_io.format_for_path(path)
    try:
        quads = ox.parse(path=str(path), format=rdf_format, base_iri=path.resolve().as_uri())
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    except SyntaxError as error:
        raise InputError(f"{path}: {error}") from error


def _print_results(results: list[ValidationResult], conforms: bool, fmt: str) -> None:
    """One row per result. JSON and CSV: full IRIs, a literal as its text, a blank node as
    ``_:id``, a path that is not one predicate in SPARQL's property path syntax. Text: the
    severity and the constraint component by their short names, other IRIs as CURIEs."""
    def named(iri: str, suffix: str = "") -> str:
        return iri.rsplit("#", 1)[-1].removesuffix(suffix) if fmt == "text" else iri

    show(f"sh:conforms {str(conforms).lower()} ({len(results)} result(s))",
         [Column("severity", "keep"), Column("focus node", "fold"), Column("path", "fold"), Column("value", "fold"),
          Column("component", "keep"), Column("message")],
         [[named(r.severity.value), _term(r.focus_node), _path(r.result_path), _term(r.value),
           named(r.source_constraint_component.value, "ConstraintComponent"), "; ".join(m.value for m in r.messages)]
          for r in results], fmt,
         notes=["component: the SHACL constraint component that found the result (Class is "
                "sh:ClassConstraintComponent, and so on)"])


def _path(path: object) -> str:
    """A predicate path as its IRI, any other SHACL path in SPARQL's property path syntax."""
    from aims_graph.shacl.paths import Predicate

    if path is None:
        return ""
    return path.iri.value if isinstance(path, Predicate) else path.sparql()  # type: ignore[attr-defined]


def _term(term: object) -> str:
    """An IRI as itself, a literal as its text, a blank node as ``_:id``."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return str(term)
    return getattr(term, "value", str(term))
