"""The default store: pyoxigraph in this process, on disk or in memory."""

from __future__ import annotations

import collections
import io
from pathlib import Path

import pyoxigraph as ox

from aims_graph.store.base import DEFAULT_DATA_GRAPH, QueryResult, ResultFormat, Store, StoreError


class EmbeddedStore(Store):
    """pyoxigraph's RocksDB store (``path``) or its in-memory store (``path=None``).

    Every write is one pyoxigraph transaction (``load`` and ``update`` are atomic), so a
    failed import leaves the store as it was and a killed process loses no acknowledged
    write on disk.  The one exception is a large ``load`` into an on-disk store, which
    goes through pyoxigraph's bulk loader: see ``load``.
    """

    # Above this many bytes an on-disk load uses the bulk loader.  RocksDB makes one huge
    # transaction five times slower than the bulk loader (73 MB of N-Triples: 38 s
    # against 7.5 s, see docs/performance.md); below it the difference is noise.
    bulk_load_bytes = 4 * 1024 * 1024

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        try:
            self._store = ox.Store(str(path)) if path is not None else ox.Store()
        except OSError as error:
            raise StoreError(f"cannot open the store at {path}: {error}") from error
        self.description = f"embedded store at {path}" if path else "embedded in-memory store"

    def query(self, sparql: str) -> QueryResult:
        return self._store.query(sparql, use_default_graph_as_union=True)

    def query_to_bytes(self, sparql: str, result_format: ResultFormat) -> bytes:
        result = self.query(sparql)
        if isinstance(result, ox.QueryTriples):
            if not isinstance(result_format, ox.RdfFormat):
                raise ValueError("a CONSTRUCT or DESCRIBE answer needs an RDF format")
        elif not isinstance(result_format, ox.QueryResultsFormat):
            raise ValueError("a SELECT or ASK answer needs a SPARQL results format")
        return result.serialize(format=result_format)

    def update(self, sparql: str) -> None:
        self._store.update(sparql)

    def load(self, data: bytes, rdf_format: ox.RdfFormat, graph: str | None = None) -> None:
        """Load atomically with respect to bad input.

        Small inputs, and every input of an in-memory store, are one transaction.  A
        large input into an on-disk store is first parsed to the end without being kept
        (any syntax error is raised before a byte is written), then written by the bulk
        loader.  The price of the speed: a process killed during that write may leave
        part of the input loaded; re-running the import with ``--replace`` repairs it.
        """
        target = graph or (None if rdf_format.supports_datasets else DEFAULT_DATA_GRAPH)
        to_graph = ox.NamedNode(target) if target else None
        if self.path is not None and len(data) >= self.bulk_load_bytes:
            collections.deque(ox.parse(data, format=rdf_format), maxlen=0)
            self._store.bulk_load(data, format=rdf_format, to_graph=to_graph)
        else:
            self._store.load(data, format=rdf_format, to_graph=to_graph)

    def replace_graph(self, graph: str, data: bytes, rdf_format: ox.RdfFormat) -> None:
        # Parse first (in a scratch store) so that a bad serialisation is refused before
        # anything changes; then drop and insert in ONE update, which pyoxigraph applies
        # as one transaction, so no reader and no crash can see the graph half replaced.
        scratch = ox.Store()
        node = ox.NamedNode(graph)
        scratch.load(data, format=rdf_format, to_graph=node)
        triples = scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node).decode("utf-8")
        self._store.update(f"DROP SILENT GRAPH {node} ; INSERT DATA {{ GRAPH {node} {{\n{triples}}} }}")

    def drop_graph(self, graph: str) -> None:
        node = ox.NamedNode(graph)
        if self._store.contains_named_graph(node):
            self._store.remove_graph(node)

    def dump(self, rdf_format: ox.RdfFormat, graph: str | None = None) -> bytes:
        output = io.BytesIO()
        if graph is not None:
            self._store.dump(output, format=rdf_format, from_graph=ox.NamedNode(graph))
        elif rdf_format.supports_datasets:
            self._store.dump(output, format=rdf_format)
        else:
            raise ValueError(
                f"{rdf_format.name} holds one graph: name the graph to export, or choose "
                "N-Quads or TriG for the whole dataset"
            )
        return output.getvalue()

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store.flush()
