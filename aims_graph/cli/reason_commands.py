"""``aims-graph reason``: what the OWL axioms entail about an organisation's data."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from aims_graph.cli.app import app, get_store
from aims_graph.classification.inputs import organisation_data
from aims_graph.reasoning import reason as run_reasoner

console = Console()


@app.command()
def reason(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Run HermiT over the ontology and the organisation's data: consistency and inferred types.

    Needs a Java runtime on PATH (HermiT is a Java program); exit status 1 when the
    data is inconsistent with the ontology or a class can have no member.
    """
    store = get_store(ctx)
    with console.status("reasoning with HermiT", spinner="dots"):
        report = run_reasoner([organisation_data(store).decode("utf-8")])
    if fmt == "json":
        sys.stdout.write(json.dumps({
            "consistent": report.consistent,
            "explanation": report.explanation,
            "unsatisfiable_classes": report.unsatisfiable_classes,
            "inferred_types": report.inferred_types,
            "triples": report.triples,
        }, indent=2) + "\n")
    else:
        verdict = "[green]consistent[/]" if report.consistent else "[red]inconsistent[/]"
        console.print(f"{verdict} ({report.triples} triples reasoned over)")
        if report.explanation:
            console.print(report.explanation)
        table = Table("individual", "inferred types")
        for individual, types in sorted(report.inferred_types.items()):
            table.add_row(individual, "\n".join(types))
        console.print(table)
    if not report.coherent:
        raise typer.Exit(1)
