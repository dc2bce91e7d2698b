"""The quads an update writes, when its text says them outright.

A SPARQL update made only of ``INSERT DATA`` and ``DELETE DATA`` operations on named
graphs names every quad it adds or removes; anything else (a ``WHERE`` clause, the
default graph, ``LOAD``, ``CLEAR``...) has an effect only the engine can tell.  Knowing
the quads lets a write be tracked precisely (for live validation) instead of by
re-reading whole graphs.  rdflib parses the text; its parser is slow on long inputs
(about 6 s for 2,000 triples), so only short updates are read, which is what
programmatic edits send.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate

from aims_graph.shacl.terms import from_rdflib

MAX_TEXT = 4096
"""Longer updates are not parsed here (characters)."""

_DATA_OPERATIONS = {"InsertData", "DeleteData"}


def data_quads(text: str) -> list[ox.Quad] | None:
    """Every quad the update inserts or deletes, or None when its text does not say them
    all (another kind of operation, triples in the default graph, a text over
    ``MAX_TEXT`` or one rdflib cannot read)."""
    if len(text) > MAX_TEXT:
        return None
    try:
        operations = translateUpdate(parseUpdate(text)).algebra
    except Exception:  # rdflib raises pyparsing and its own errors alike; the engine will say why
        return None
    quads: list[ox.Quad] = []
    for operation in operations:
        if operation.name not in _DATA_OPERATIONS or operation.triples:
            return None
        for graph, triples in (operation.quads or {}).items():
            graph_name = from_rdflib(graph)
            quads += [ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), graph_name) for s, p, o in triples]
    return quads
