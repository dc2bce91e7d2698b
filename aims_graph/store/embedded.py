"""The default store: pyoxigraph in this process, on disk or in memory."""

from __future__ import annotations

import collections
import io
from pathlib import Path

import pyoxigraph as ox

from aims_graph.rdf.input_guard import GUARDED_FORMATS, check_untrusted
from aims_graph.store.base import DEFAULT_DATA_GRAPH, GraphName, QueryResult, ResultFormat, Store, StoreError


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
        self._load(rdf_format, graph, len(data), {"input": data})

    def load_path(self, path: Path, rdf_format: ox.RdfFormat, graph: str | None = None) -> None:
        """``load`` for a file: the bulk loader then reads the file itself, with no copy
        of it in Python memory.  Raises OSError when the file cannot be read."""
        self._load(rdf_format, graph, path.stat().st_size, {"path": str(path)})

    def _load(self, rdf_format: ox.RdfFormat, graph: str | None, size: int, source: dict[str, object]) -> None:
        """Load atomically with respect to bad input.

        Small inputs, and every input of an in-memory store, are one transaction.  A
        large input into an on-disk store goes through the bulk loader: into a graph
        that is empty so far, directly (a syntax error then drops what the loader had
        written, which can only be this input); otherwise after a parse of the whole
        input that keeps nothing, so a syntax error is raised before a byte is written.
        The price of the speed: a process killed during the write may leave part of
        the input loaded; re-running the import with ``--replace`` repairs it.
        """
        if "input" in source:
            check_untrusted(source["input"], rdf_format, "input")
        elif rdf_format in GUARDED_FORMATS:
            check_untrusted(Path(str(source["path"])).read_bytes(), rdf_format, str(source["path"]))
        to_graph = ox.NamedNode(graph or DEFAULT_DATA_GRAPH)
        if self.path is None or size < self.bulk_load_bytes:
            self._store.load(format=rdf_format, to_graph=to_graph, **source)
        elif not rdf_format.supports_datasets and not any(
                True for _ in self._store.quads_for_pattern(None, None, None, to_graph)):
            try:
                self._store.bulk_load(format=rdf_format, to_graph=to_graph, **source)
            except (SyntaxError, ValueError):
                self._store.remove_graph(to_graph)
                raise
        else:
            collections.deque(ox.parse(format=rdf_format, **source), maxlen=0)
            self._store.bulk_load(format=rdf_format, to_graph=to_graph, **source)

    def replace_graph(self, graph: str, data: bytes, rdf_format: ox.RdfFormat) -> None:
        # Parse first (in a scratch store) so that a bad serialisation is refused before
        # anything changes; then drop and insert in ONE update, which pyoxigraph applies
        # as one transaction, so no reader and no crash can see the graph half replaced.
        check_untrusted(data, rdf_format, "input")
        scratch = ox.Store()
        node = ox.NamedNode(graph)
        scratch.load(data, format=rdf_format, to_graph=node)
        triples = scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=node).decode("utf-8")
        self._store.update(f"DROP SILENT GRAPH {node} ; INSERT DATA {{ GRAPH {node} {{\n{triples}}} }}")

    def drop_graph(self, graph: GraphName) -> None:
        if isinstance(graph, ox.DefaultGraph):
            self._store.clear_graph(graph)
            return
        node = ox.NamedNode(graph)
        if self._store.contains_named_graph(node):
            self._store.remove_graph(node)

    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None = None) -> bytes:
        output = io.BytesIO()
        if graph is not None:
            node = graph if isinstance(graph, ox.DefaultGraph) else ox.NamedNode(graph)
            self._store.dump(output, format=rdf_format, from_graph=node)
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
