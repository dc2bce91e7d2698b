"""aims_graph.rdf.update_data: the quads an update names outright, or None."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from aims_graph.rdf.update_data import data_quads
from aims_graph.sparql import parse


def test_insert_and_delete_data_on_named_graphs_give_their_quads() -> None:
    quads = data_quads(parse('PREFIX a: <urn:a:> INSERT DATA { GRAPH <urn:g> { <urn:s> a:p "x"@en , 3 } } ;'
                             " DELETE DATA { GRAPH <urn:h> { <urn:t> a:p <urn:o> } }"))
    assert quads is not None
    assert set(quads) == {
        ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:a:p"), ox.Literal("x", language="en"), ox.NamedNode("urn:g")),
        ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:a:p"), ox.Literal(3), ox.NamedNode("urn:g")),
        ox.Quad(ox.NamedNode("urn:t"), ox.NamedNode("urn:a:p"), ox.NamedNode("urn:o"), ox.NamedNode("urn:h")),
    }


def test_the_quads_are_those_the_engine_writes() -> None:
    """Collections, ``[ ... ]``, typed literals and escapes give the quads the engine stores
    (blank nodes compared by shape: the engine makes its own)."""
    text = (r'BASE <urn:x/> PREFIX e: <urn:e:> INSERT DATA { GRAPH <g> { <s> e:p ( 1 "t\u00e9\n" ) ; '
            r'e:q [ e:r 2.5 ] , "d"^^e:t , true , -7 } }')
    quads = data_quads(parse(text))
    store = ox.Store()
    store.update(text)
    assert quads is not None and len(quads) == len(store) == 10
    assert _shape(quads) == _shape(list(store))


def _shape(quads: list[ox.Quad]) -> set[tuple[str, ...]]:
    def name(term: object) -> str:
        return "_" if isinstance(term, ox.BlankNode) else str(term)
    return {(name(q.subject), name(q.predicate), name(q.object), name(q.graph_name)) for q in quads}


@pytest.mark.parametrize("text", [
    "INSERT DATA { <urn:s> <urn:p> 1 }",  # the default graph
    "DELETE WHERE { GRAPH <urn:g> { ?s ?p ?o } }",  # a pattern: only the engine knows
    "INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> 1 } } ; CLEAR GRAPH <urn:h>",
    "LOAD <http://example.org/x.ttl>",
])
def test_anything_else_gives_none(text: str) -> None:
    assert data_quads(parse(text)) is None


def test_a_long_insert_is_read_whole_and_fast() -> None:
    """No length cap any more: 200 kB of INSERT DATA gives all its quads in well under 1 s."""
    body = "\n".join(f'<urn:s{i}> <urn:p> "value {i}" .' for i in range(6000))
    text = f"INSERT DATA {{ GRAPH <urn:g> {{\n{body}\n}} }}"
    assert len(text) > 200_000
    started = time.monotonic()
    quads = data_quads(parse(text))
    assert time.monotonic() - started < 1.0
    assert quads is not None and len(quads) == 6000
