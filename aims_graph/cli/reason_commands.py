"""``aims-graph reason``: what the OWL axioms entail about an organisation's data."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from aims_graph.cli.app import app, get_store
from aims_graph.cli.tables import Column, check_format, print_document, short, show

console = Console()


@app.command()
def reason(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="text, json or csv (csv: the inferred types).")] = "text",
) -> None:
    """Run HermiT over the ontology and the organisation's data: consistency and inferred types.

    Needs the 'reasoning' extra (pip install 'aims-graph[reasoning]') and a Java runtime
    on PATH (HermiT is a Java program); exit status 1 when the data is inconsistent with
    the ontology or a class can have no member.
    """
    fmt = check_format(fmt)
    # Imported here: the reasoner (owlready2, rdflib) is the optional 'reasoning' extra;
    # every other command, and --help, must start without it.
    from aims_graph.classification.inputs import organisation_data
    from aims_graph.knowledge.reasoning import reason as run_reasoner

    store = get_store(ctx)
    with console.status("reasoning with HermiT", spinner="dots"):
        report = run_reasoner([organisation_data(store).decode("utf-8")])
    if fmt == "json":
        print_document({
            "consistent": report.consistent,
            "explanation": report.explanation,
            "unsatisfiable_classes": report.unsatisfiable_classes,
            "inferred_types": report.inferred_types,
            "triples": report.triples,
        })
    else:
        if fmt == "text":
            verdict = "[green]consistent[/]" if report.consistent else "[red]inconsistent[/]"
            console.print(f"{verdict} ({report.triples} triples reasoned over)")
            if report.explanation:
                console.print(report.explanation, markup=False)
        show("Types inferred by HermiT", [Column("individual", "fold"), Column("inferred types", "fold")],
             [[individual, ", ".join(short(t) for t in types) if fmt == "text" else " ".join(types)]
              for individual, types in sorted(report.inferred_types.items())], fmt)
    if not report.coherent:
        raise typer.Exit(1)
