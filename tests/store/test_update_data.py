"""aims_graph.update_data: the quads an update names outright, or None."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aims_graph.update_data import MAX_TEXT, data_quads


def test_insert_and_delete_data_on_named_graphs_give_their_quads() -> None:
    quads = data_quads('PREFIX a: <urn:a:> INSERT DATA { GRAPH <urn:g> { <urn:s> a:p "x"@en , 3 } } ;'
                       " DELETE DATA { GRAPH <urn:h> { <urn:t> a:p <urn:o> } }")
    assert quads is not None
    assert set(quads) == {
        ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:a:p"), ox.Literal("x", language="en"), ox.NamedNode("urn:g")),
        ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:a:p"), ox.Literal(3), ox.NamedNode("urn:g")),
        ox.Quad(ox.NamedNode("urn:t"), ox.NamedNode("urn:a:p"), ox.NamedNode("urn:o"), ox.NamedNode("urn:h")),
    }


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:s> <urn:p> 1 }",  # the default graph
    "DELETE WHERE { GRAPH <urn:g> { ?s ?p ?o } }",  # a pattern: only the engine knows
    "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 1 } } ; CLEAR GRAPH <urn:h>",
    "LOAD <http://example.org/x.ttl>",
    "not sparql at all",
    "INSERT DATA { GRAPH <urn:g> { " + "<urn:s> <urn:p> 1 . " * (MAX_TEXT // 20) + "} }",  # too long to parse here
])
def test_anything_else_gives_none(text: str) -> None:
    assert data_quads(text) is None
