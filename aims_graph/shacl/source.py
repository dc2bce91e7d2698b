"""Where the data comes from: anything that answers SPARQL 1.1 queries.

The engine only ever sends standard SPARQL to ``query``, so the same code validates
an embedded pyoxigraph store and, through an adapter with this one method, a remote
endpoint.
"""

from __future__ import annotations

import pyoxigraph as ox

from aims_graph.store.base import Queryable, QueryResult

SparqlSource = Queryable
"""The engine only needs ``query``: any store or endpoint adapter qualifies."""


class StoreSource:
    """A pyoxigraph store seen as one data graph: the union of all its graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def query(self, text: str) -> QueryResult:
        return self.store.query(text, use_default_graph_as_union=True)


def as_source(data: ox.Store | SparqlSource) -> SparqlSource:
    """Accept a pyoxigraph store directly; anything else must have ``query``."""
    if isinstance(data, ox.Store):
        return StoreSource(data)
    if isinstance(data, SparqlSource):
        return data
    raise TypeError(f"data source must be a pyoxigraph.Store or have a query(text) method, got {type(data).__name__}")
