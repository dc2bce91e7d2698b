"""A store behind any SPARQL 1.1 Query/Update (+ Graph Store Protocol) endpoint.

This is the road for organisations that outgrow one machine.  Every exchange goes
through ``SparqlClient`` (``sparql_http``), which knows each engine's quirks
(``engines``).  The endpoint must answer queries over the union of its named graphs as
the default graph (Oxigraph: ``--union-default-graph``; Fuseki: ``tdb2:unionDefaultGraph
true``; GraphDB, Virtuoso and Neptune do so by default).

Loads are all-or-nothing at any size.  A load that fits in one request (the engine's
``batch_bytes``) and one graph is one Graph Store POST, which the engine applies as one
transaction.  A larger load (or one spanning several graphs) is written in batches into
a private staging graph per target graph, then one SPARQL update adds every staging
graph to its target and drops it: a failed batch drops the staging graphs and the
targets never saw a triple.  Staging graphs are hidden from ``named_graphs``.
"""

from __future__ import annotations

import os
import uuid

import pyoxigraph as ox

from aims_graph.rdf.input_guard import check_untrusted
from aims_graph.store.base import (
    DEFAULT_DATA_GRAPH,
    UNNAMED_GRAPH,
    GraphName,
    QueryResult,
    ResultFormat,
    Store,
    StoreError,
)
from aims_graph.store.batches import batches
from aims_graph.store.sparql_http import SparqlClient

TIMEOUT_ENV = "AIMS_GRAPH_REMOTE_TIMEOUT"
STAGING_PREFIX = "https://w3id.org/aims-graph/graph/staging/"
"""Graphs a load in progress writes before its last step; never organisation data."""


def remote_timeout_s() -> float:
    return float(os.environ.get(TIMEOUT_ENV, "60"))


class RemoteStore(Store):
    def __init__(self, client: SparqlClient, batch_bytes: int | None = None) -> None:
        self.client = client
        self.batch_bytes = batch_bytes or client.profile.batch_bytes
        self.description = f"remote SPARQL endpoint {client.endpoints.query} ({client.profile.name})"

    @classmethod
    def connect(cls, spec: str, timeout_s: float | None = None) -> "RemoteStore":
        try:
            client = SparqlClient.connect(spec, timeout_s or remote_timeout_s())
        except (StoreError, SyntaxError) as error:
            raise StoreError(f"cannot reach the SPARQL endpoint {spec}: {error}") from error
        return cls(client)

    def query(self, sparql: str) -> QueryResult:
        if _answers_with_graph(sparql):
            data = self.client.query(sparql, ox.RdfFormat.N_TRIPLES.media_type)
            return _triples(data)
        data = self.client.query(sparql, ox.QueryResultsFormat.JSON.media_type)
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def query_to_bytes(self, sparql: str, result_format: ResultFormat) -> bytes:
        return self.client.query(sparql, result_format.media_type)

    def update(self, sparql: str) -> None:
        self.client.update(sparql)

    def load(self, data: bytes, rdf_format: ox.RdfFormat, graph: str | None = None) -> None:
        # Parse the whole input here first: a malformed file never reaches the endpoint.
        check_untrusted(data, rdf_format, "input")
        parsed = ox.Store()
        parsed.load(data, format=rdf_format, to_graph=ox.NamedNode(graph or DEFAULT_DATA_GRAPH))
        targets = [g for g in parsed.named_graphs() if isinstance(g, ox.NamedNode)]
        if not targets:
            return
        if len(targets) == 1:
            whole = list(batches(parsed, targets[0], self.batch_bytes))
            if len(whole) == 1:
                self.client.write_graph("POST", targets[0].value, whole[0])
                return
        self._staged(parsed, targets, "ADD")

    def replace_graph(self, graph: str, data: bytes, rdf_format: ox.RdfFormat) -> None:
        check_untrusted(data, rdf_format, "input")
        target = ox.NamedNode(graph)
        parsed = ox.Store()
        parsed.load(data, format=rdf_format, to_graph=target)
        if not len(parsed):
            self.drop_graph(graph)
            return
        whole = list(batches(parsed, target, self.batch_bytes))
        if len(whole) == 1:
            self.client.write_graph("PUT", graph, whole[0])
            return
        self._staged(parsed, [target], "MOVE")

    def _staged(self, parsed: ox.Store, targets: list[ox.NamedNode], verb: str) -> None:
        """Write each target's triples to a staging graph in batches, then ``ADD`` (or
        ``MOVE``, which replaces) every staging graph into its target in one update."""
        load_id = uuid.uuid4().hex
        staging = {t: ox.NamedNode(f"{STAGING_PREFIX}{load_id}/{n}") for n, t in enumerate(targets)}
        try:
            for target, scratch in staging.items():
                for batch in batches(parsed, target, self.batch_bytes):
                    self.client.write_graph("POST", scratch.value, batch)
            moves = [f"{verb} SILENT {scratch} TO {target}" for target, scratch in staging.items()]
            drops = [f"DROP SILENT GRAPH {scratch}" for scratch in staging.values()] if verb == "ADD" else []
            self.client.update(" ;\n".join(moves + drops))
        except BaseException:
            self._drop_quietly(list(staging.values()))
            raise

    def _drop_quietly(self, graphs: list[ox.NamedNode]) -> None:
        try:
            self.client.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in graphs))
        except (StoreError, SyntaxError):
            pass  # the original failure is the one to report; staging graphs stay hidden

    def drop_graph(self, graph: GraphName) -> None:
        if isinstance(graph, ox.DefaultGraph):
            if self.client.profile.has_unnamed_graph:
                self.update("CLEAR SILENT DEFAULT")
        else:
            self.update(f"DROP SILENT GRAPH {ox.NamedNode(graph)}")

    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None = None) -> bytes:
        if graph is not None:
            data = self.client.read_graph(graph, ox.RdfFormat.N_TRIPLES.media_type)
            return _reserialise(data, rdf_format, graph)
        if not rdf_format.supports_datasets:
            raise ValueError(
                f"{rdf_format.name} holds one graph: name the graph to export, or choose "
                "N-Quads or TriG for the whole dataset"
            )
        # A CONSTRUCT would lose graph names: read graph by graph instead, the unnamed
        # default graph included.
        dataset = ox.Store()
        for name in [*self.named_graphs(), UNNAMED_GRAPH]:
            node = name if isinstance(name, ox.DefaultGraph) else ox.NamedNode(name)
            dataset.load(self.dump(ox.RdfFormat.N_TRIPLES, name), format=ox.RdfFormat.N_TRIPLES, to_graph=node)
        return dataset.dump(format=rdf_format)

    def named_graphs(self) -> list[str]:
        # GROUP BY rather than DISTINCT: Virtuoso answers it from its graph index at once,
        # while DISTINCT scans every quad (seconds on a small store).
        result = self.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        graphs = (row["g"].value for row in result if isinstance(row["g"], ox.NamedNode))
        return sorted(g for g in graphs if not self._hidden(g))

    def _hidden(self, graph: str) -> bool:
        """The engine's own graphs and unfinished loads: never organisation data."""
        return graph.startswith(STAGING_PREFIX) or self.client.profile.is_system_graph(graph)

    def __len__(self) -> int:
        result = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(row["n"].value) for row in result
                   if isinstance(row["g"], ox.NamedNode) and not self._hidden(row["g"].value))

    def close(self) -> None:
        self.client.close()


def _answers_with_graph(sparql: str) -> bool:
    """Whether a query answers with a graph (CONSTRUCT/DESCRIBE) rather than solutions."""
    from aims_graph.sparql.text import query_form

    return query_form(sparql) in {"CONSTRUCT", "DESCRIBE"}


def _triples(data: bytes) -> ox.QueryTriples:
    scratch = ox.Store()
    scratch.load(data, format=ox.RdfFormat.N_TRIPLES)
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def _reserialise(data: bytes, target: ox.RdfFormat, graph: GraphName) -> bytes:
    if target == ox.RdfFormat.N_TRIPLES:
        return data
    node = graph if isinstance(graph, ox.DefaultGraph) else ox.NamedNode(graph)
    scratch = ox.Store()
    scratch.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=node)
    return scratch.dump(format=target, from_graph=node)
