"""The one store interface that every part of aims-graph talks to.

pyoxigraph's small API is the model: a handful of verbs, pyoxigraph terms and result
objects everywhere.  The embedded store and the remote SPARQL endpoint implement the
same verbs, so queries, validation and the API never ask which one they have.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol, Union, runtime_checkable

import pyoxigraph as ox

QueryResult = Union[ox.QuerySolutions, ox.QueryBoolean, ox.QueryTriples]


@runtime_checkable
class Queryable(Protocol):
    """Anything that answers SPARQL 1.1 queries over its data (all graphs together): a
    ``Store``, or a narrower reader such as the HTTP service's gateway to its engine."""

    def query(self, sparql: str) -> QueryResult:
        ...
ResultFormat = Union[ox.QueryResultsFormat, ox.RdfFormat]

DEFAULT_DATA_GRAPH = "https://w3id.org/aims-graph/graph/data"
# The dataset's unnamed default graph: where SPARQL writes land that name no graph.
UNNAMED_GRAPH = ox.DefaultGraph()
GraphName = Union[str, ox.DefaultGraph]


class StoreError(RuntimeError):
    """The store could not be reached or refused an operation; the message says which and why."""


class StoreTimeout(StoreError):
    """The store stopped a query that ran past its time limit."""


class Store(ABC):
    """A dataset of named graphs whose default graph, for queries, is the union of all graphs.

    The dataset also has its own unnamed default graph (``UNNAMED_GRAPH``): a SPARQL
    update that names no graph writes there.  Loads never do (triples without a graph
    go to the data graph), but dumps and drops reach it like any graph, so that no
    write is lost to an export.
    """

    description: str

    @abstractmethod
    def query(self, sparql: str) -> QueryResult:
        """Run a SPARQL 1.1 query; raises SyntaxError for a malformed query."""

    @abstractmethod
    def query_to_bytes(self, sparql: str, result_format: ResultFormat) -> bytes:
        """Run a query and return its serialised answer, so HTTP can pass it on unparsed."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update as one transaction."""

    @abstractmethod
    def load(self, data: bytes, rdf_format: ox.RdfFormat, graph: str | None = None) -> None:
        """Add a whole serialisation atomically: either every quad is written or none is.

        Triples without a graph go to ``graph`` (default: the data graph), in every
        syntax; quads that name a graph keep it.
        """

    @abstractmethod
    def replace_graph(self, graph: str, data: bytes, rdf_format: ox.RdfFormat) -> None:
        """Replace the content of one named graph by a serialisation of triples."""

    @abstractmethod
    def drop_graph(self, graph: GraphName) -> None:
        """Remove a named graph (silently if it does not exist), or empty ``UNNAMED_GRAPH``."""

    @abstractmethod
    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None = None) -> bytes:
        """Serialise the whole dataset, unnamed default graph included (quad formats), or
        one graph (any format; ``UNNAMED_GRAPH`` for the unnamed default graph)."""

    @abstractmethod
    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs that hold at least one triple."""

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(result))["n"].value)

    def close(self) -> None:
        """Release files and connections; the default has nothing to release."""

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
