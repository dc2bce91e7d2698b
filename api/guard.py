"""What a request may touch: remote endpoints (SERVICE, LOAD) and the reference graphs.

Every SPARQL request is parsed first (``aims_graph.sparql``): a text the parser refuses
is a 400 and never reaches the engine, and the rules below are decided on the parse,
not on the text.  Two rules, checked before anything runs:

* A query or update reaches out to no endpoint except those on the allow-list
  (``AIMS_GRAPH_SERVICE_ALLOWLIST``): the server must not become a proxy into the
  network it runs in.
* The graphs under ``https://w3id.org/aims-graph/graph/`` belong to the product
  (ontology, standards, crosswalks, shapes, meta), except the organisation graphs
  ``data``, ``example`` and ``import/*`` (spreadsheet imports); only an admin writes them.
  For a SPARQL update the graphs it writes come from the parse: ``DROP ALL``,
  ``CLEAR NAMED`` or a ``GRAPH ?g`` template may write any graph, so they are admin-only.
"""

from __future__ import annotations

from typing import Iterable

from fastapi import HTTPException

from aims_graph.modules import GRAPH_BASE
from aims_graph.spreadsheet.iris import IMPORT_GRAPH_BASE
from aims_graph.sparql import ANY_GRAPH, Limits, ParsedRequest, SparqlSyntaxError, parse
from aims_graph.store import DEFAULT_DATA_GRAPH
from aims_graph.tokens import Role

ORGANISATION_GRAPHS = frozenset({DEFAULT_DATA_GRAPH, GRAPH_BASE + "example"})
ORGANISATION_PREFIXES = (IMPORT_GRAPH_BASE,)  # spreadsheet imports, one graph per file


def parsed_sparql(text: str, limits: Limits) -> ParsedRequest:
    """The request as the parser reads it, or a 400 with the parser's message."""
    try:
        return parse(text, limits)
    except SparqlSyntaxError as error:
        raise HTTPException(400, {"error": "syntax error", "detail": str(error)}) from error


def check_remote_targets(request: ParsedRequest, allowlist: Iterable[str]) -> None:
    """Refuse SERVICE and LOAD targets that are not on the allow-list (400)."""
    allowed = tuple(allowlist)
    refused = [t for t in request.remote_targets if not _allowed(t, allowed)]
    if refused:
        raise HTTPException(400, {
            "error": "remote endpoint refused",
            "detail": f"this server does not reach out to {', '.join(sorted(set(refused)))}: "
                      "SERVICE and LOAD may only name endpoints on AIMS_GRAPH_SERVICE_ALLOWLIST",
        })


def _allowed(target: str, allowlist: tuple[str, ...]) -> bool:
    # A variable (SERVICE ?endpoint, written "?endpoint") could be bound to anything at
    # run time; IRIs from the parse are absolute, so none starts with "?".
    return not target.startswith("?") and target in allowlist


def is_reserved(graph: str) -> bool:
    return (graph.startswith(GRAPH_BASE) and graph not in ORGANISATION_GRAPHS
            and not graph.startswith(ORGANISATION_PREFIXES))


def check_graph_write(graphs: Iterable[str], role: Role) -> None:
    """Refuse (403) a write to a reference graph unless the token is an admin's."""
    if role >= Role.ADMIN:
        return
    reserved = sorted(g for g in set(graphs) if g == ANY_GRAPH or is_reserved(g))
    if reserved:
        raise HTTPException(403, {
            "error": "reference graph is read-only",
            "detail": f"writing {', '.join(reserved)} needs an admin token: the graphs under "
                      f"{GRAPH_BASE} hold the product's reference knowledge (organisation data "
                      f"goes to {DEFAULT_DATA_GRAPH} or a graph of your own)",
        })
