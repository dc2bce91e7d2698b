"""The default store: pyoxigraph in this process, on disk or in memory."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox

from aims_graph.store.base import DEFAULT_DATA_GRAPH, QueryResult, ResultFormat, Store, StoreError


class EmbeddedStore(Store):
    """pyoxigraph's RocksDB store (``path``) or its in-memory store (``path=None``).

    Every write is one pyoxigraph transaction (``load`` and ``update`` are atomic), so a
    failed import leaves the store as it was and a killed process loses no acknowledged
    write on disk.
    """

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
        target = graph or (None if rdf_format.supports_datasets else DEFAULT_DATA_GRAPH)
        self._store.load(
            data,
            format=rdf_format,
            to_graph=ox.NamedNode(target) if target else None,
        )

    def replace_graph(self, graph: str, data: bytes, rdf_format: ox.RdfFormat) -> None:
        # Parse first (in a scratch store) so that a bad serialisation cannot leave the
        # graph dropped; then drop and load the checked quads in one transaction.
        scratch = ox.Store()
        scratch.load(data, format=rdf_format, to_graph=ox.NamedNode(graph))
        node = ox.NamedNode(graph)
        if self._store.contains_named_graph(node):
            self._store.remove_graph(node)
        self._store.extend(scratch.quads_for_pattern(None, None, None, None))

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
                f"{rdf_format.name} holds one graph: name one with --graph, or choose "
                "N-Quads or TriG for the whole dataset"
            )
        return output.getvalue()

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def __len__(self) -> int:
        return len(self._store)

    def close(self) -> None:
        self._store.flush()
