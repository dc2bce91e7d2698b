"""The quads an update writes, when its text says them outright.

A SPARQL update made only of ``INSERT DATA`` and ``DELETE DATA`` operations on named
graphs names every quad it adds or removes; anything else (a ``WHERE`` clause, the
default graph, ``LOAD``, ``CLEAR``...) has an effect only the engine can tell.  Knowing
the quads lets a write be tracked precisely (for live validation) instead of by
re-reading whole graphs.  The quads come from the parse the service already made
(``aims_graph.sparql``), which is linear in the text, so any length is read.
"""

from __future__ import annotations

import pyoxigraph as ox

from aims_graph.rdf.namespaces import XSD
from aims_graph.sparql import DEFAULT, ParsedRequest
from aims_graph.sparql.terms import BNode, Iri, Literal, Term

_DATA_OPERATIONS = {"INSERT DATA", "DELETE DATA"}


def data_quads(request: ParsedRequest) -> list[ox.Quad] | None:
    """Every quad the update inserts or deletes, or None when it does not name them all
    (another kind of operation, or triples in the default graph).  Blank nodes are fresh
    for each operation, as the engine makes them."""
    quads: list[ox.Quad] = []
    for operation in request.operations:
        if operation.kind not in _DATA_OPERATIONS or operation.quads is None:
            return None
        blank_nodes: dict[str, ox.BlankNode] = {}
        for subject, predicate, value, graph in operation.quads:
            if graph == DEFAULT:
                return None
            assert isinstance(predicate, Iri), "a DATA predicate is an IRI: the parser refused the rest"
            quads.append(ox.Quad(_resource(subject, blank_nodes), ox.NamedNode(predicate.value),
                                 _term(value, blank_nodes), ox.NamedNode(graph)))
    return quads


def _resource(term: Term, blank_nodes: dict[str, ox.BlankNode]) -> ox.NamedNode | ox.BlankNode:
    if isinstance(term, BNode):
        return blank_nodes.setdefault(term.label, ox.BlankNode())
    assert isinstance(term, Iri), "a DATA subject is an IRI or a blank node: the parser refused the rest"
    return ox.NamedNode(term.value)


def _term(term: Term, blank_nodes: dict[str, ox.BlankNode]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if not isinstance(term, Literal):
        return _resource(term, blank_nodes)
    if term.language is not None:
        return ox.Literal(term.value, language=term.language)
    if term.datatype == XSD + "string":
        return ox.Literal(term.value)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
