"""What a request may touch: remote endpoints (SERVICE, LOAD) and the reference graphs.

Every SPARQL request is parsed first (``aims_graph.sparql``): a text the parser refuses
is a 400 and never reaches the engine, and the rules below are decided on the parse,
not on the text.  Two rules, checked before anything runs:

* A query or update reaches out to no endpoint except those on the allow-list
  (``AIMS_GRAPH_SERVICE_ALLOWLIST``): the server must not become a proxy into the
  network it runs in.
* Reference graphs (ontology, standards, crosswalks, shapes, meta) are written by no
  request, whatever its role: only the reference loader writes them
  (``aims_graph.knowledge.graph_kinds`` says which graphs they are).  The rest of
  ``https://w3id.org/aims-graph/graph/`` except the organisation graphs (``data``,
  ``example``, ``import/*``) is the product's namespace: admin only.  For a SPARQL update
  the graphs it writes come from the parse: ``DROP ALL``, ``CLEAR NAMED`` or
  a ``GRAPH ?g`` template may write any graph, reference graphs included, so they are
  refused too.
"""

from __future__ import annotations

from typing import Iterable

from fastapi import HTTPException

from aims_graph.knowledge.graph_kinds import GraphKind, of_kind
from aims_graph.knowledge.modules import GRAPH_BASE
from aims_graph.serving.tokens import Role
from aims_graph.sparql import ANY_GRAPH, Limits, ParsedRequest, SparqlSyntaxError, parse
from aims_graph.store import DEFAULT_DATA_GRAPH


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


def check_graph_write(graphs: Iterable[str], role: Role) -> None:
    """Refuse (403) a write to a reference graph, or to a graph the write does not name
    (``ANY_GRAPH``), for every role; and to the product's other graphs unless the token
    is an admin's.  ``graphs`` may hold ``aims_graph.sparql.DEFAULT`` (allowed)."""
    written = set(graphs)
    named = written - {ANY_GRAPH}
    reference = of_kind(named, GraphKind.REFERENCE)
    if ANY_GRAPH in written or reference:
        what = ", ".join(reference) if reference else "any graph (reference graphs included)"
        raise HTTPException(403, {
            "error": "reference graph is read-only",
            "detail": f"this write would change {what}: reference knowledge is written only by the "
                      "reference loader, from the files under ontology/ and shapes/ (restart the "
                      "service or run 'aims-graph reload'); name the organisation graphs you write",
        })
    reserved = of_kind(named, GraphKind.RESERVED)
    if reserved and role < Role.ADMIN:
        raise HTTPException(403, {
            "error": "reserved graph",
            "detail": f"writing {', '.join(reserved)} needs an admin token: the graphs under "
                      f"{GRAPH_BASE} belong to the product (organisation data goes to "
                      f"{DEFAULT_DATA_GRAPH}, .../graph/import/... or a graph of your own)",
        })
