""""The default graph" of a write or a read that names no graph: where it goes, and
what it returns.

A store's queries see the union of all graphs.  Writes that name no graph reach one of
two places: a file or request body loaded without a graph goes to the organisation's
data graph (``DEFAULT_DATA_GRAPH``), where validation reads it; a SPARQL update that
names no graph goes to the dataset's unnamed default graph (``UNNAMED_GRAPH``), which
the engine keeps apart.  The Graph Store Protocol's ``?default`` therefore covers both:
a read returns their triples as one graph, a delete empties both, and a replacement
leaves the body in the data graph and nothing in the unnamed one.  So whatever was
written "to the default graph", by any door, is what ``?default`` shows and removes.
"""

from __future__ import annotations

import pyoxigraph as ox

from aims_graph.store.base import DEFAULT_DATA_GRAPH, UNNAMED_GRAPH, Store

_NT = ox.RdfFormat.N_TRIPLES


def read_default(store: Store, rdf_format: ox.RdfFormat) -> bytes | None:
    """The default data (the data graph and the unnamed default graph) as one graph;
    None when both are empty."""
    merged = ox.Store()
    for graph in (DEFAULT_DATA_GRAPH, UNNAMED_GRAPH):
        merged.load(store.dump(_NT, graph), format=_NT)
    if not len(merged):
        return None
    return merged.dump(format=rdf_format, from_graph=ox.DefaultGraph())


def has_default(store: Store) -> bool:
    """Whether either part of the default data holds a triple."""
    return bool(store.query(f"ASK {{ GRAPH <{DEFAULT_DATA_GRAPH}> {{ ?s ?p ?o }} }}")) or bool(
        store.dump(_NT, UNNAMED_GRAPH).strip())


def drop_default(store: Store) -> None:
    """Empty both parts of the default data."""
    store.drop_graph(DEFAULT_DATA_GRAPH)
    store.drop_graph(UNNAMED_GRAPH)
