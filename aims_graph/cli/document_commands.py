"""``aims-graph docs``: the documents the EU AI Act asks a provider for, drafted from the graph.

Exit status: 0 when the document was written (a document with missing points is still a
document), 2 for errors the user can fix (an unknown system, an unknown format).
"""

from __future__ import annotations

from typing import Annotated

import typer

from aims_graph.cli.app import get_store, sub_app
from aims_graph.cli.conformance_commands import AS_OF_HELP
from aims_graph.cli.tables import check_format, print_text

docs = sub_app("docs", "Documents the EU AI Act asks for, drafted from the graph (Annex IV technical documentation).")
# The formats of aims_graph.reports.annex_iv.FORMATS, named here so that --help does not load it.
ANNEX_IV_FORMATS = ("md", "html", "json")


@docs.command("annex-iv")
def annex_iv(
    ctx: typer.Context,
    system: Annotated[str, typer.Argument(help="The system: its identifier, IRI or CURIE.")],
    output: Annotated[str, typer.Option("--format", help="md, html or json.")] = "md",
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP)] = None,
) -> None:
    """Draft the Annex IV technical documentation of a high-risk system, point by point: each
    filled from the graph with its source node, or marked missing with the provision that
    asks for it. A system that is not high-risk gets a document that says so and why."""
    from aims_graph.law import as_of_date
    from aims_graph.reports.annex_iv import annex_iv as draft
    from aims_graph.reports.annex_iv import render
    from aims_graph.systems import resolve_system

    check_format(output, ANNEX_IV_FORMATS)
    on = as_of_date(as_of)
    store = get_store(ctx)
    print_text(render(draft(store, resolve_system(store, system), on), output))
