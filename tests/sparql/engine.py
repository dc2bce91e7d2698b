"""Run a SPARQL text on a real pyoxigraph store and give its answer or effect in a form
two runs can be compared by (blank nodes, which each run names afresh, made equal)."""

from __future__ import annotations

import pyoxigraph as ox

DATASET = r"""
@prefix e: <urn:e:> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
e:alice e:name "Alice"@en , "Alicia"@es ; e:age 34 ; e:knows e:bob , e:carol ; a e:Person .
e:bob e:name "Bob" ; e:age 27 ; e:knows e:carol ; a e:Person ; e:note "line\nbreak \"quoted\"" .
e:carol e:name "Carol" ; e:age 41 ; e:score 2.5 , 7.0e0 ; a e:Robot ; e:list ( 1 2 3 ) .
e:dave e:owner [ e:name "Nested" ; e:age -3 ] ; e:flag true ; e:when "2024-05-01"^^xsd:date .
<urn:e:g1> { e:alice e:role e:admin . e:bob e:role e:editor . e:s e:p e:o . }
<urn:e:g2> { e:carol e:role e:reader . e:s e:p "in g2" . }
"""


def scratch_store() -> ox.Store:
    store = ox.Store()
    store.load(DATASET.encode(), ox.RdfFormat.TRIG)
    return store


def _name(term: object) -> str:
    return "_:" if isinstance(term, ox.BlankNode) else str(term)


def answer(store: ox.Store, text: str) -> object:
    """A query's answer: a list of solutions, a boolean, or a set of triples."""
    result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [variable.value for variable in result.variables]
        return [tuple(_name(solution[name]) if solution[name] is not None else None for name in names)
                for solution in result]
    return sorted((_name(t.subject), _name(t.predicate), _name(t.object)) for t in result)


def content(store: ox.Store) -> dict[str, list[tuple[str, str, str]]]:
    """Each graph's quads, blank nodes made equal: what an update changed."""
    graphs: dict[str, list[tuple[str, str, str]]] = {}
    for quad in store:
        graph = "default" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        graphs.setdefault(graph, []).append((_name(quad.subject), _name(quad.predicate), _name(quad.object)))
    return {graph: sorted(quads) for graph, quads in graphs.items()}
