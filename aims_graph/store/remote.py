"""A store behind any SPARQL 1.1 Query/Update + Graph Store Protocol endpoint.

This is the road for organisations that outgrow one machine: Oxigraph server, Apache
Jena Fuseki, GraphDB, Virtuoso or Amazon Neptune speak the same protocols.  Queries go
through SPARQLWrapper (POST, content negotiation only); graph writes and reads through
the Graph Store Protocol with httpx.  The endpoint must answer queries over the union of
its named graphs as the default graph (Oxigraph: ``--union-default-graph``; Fuseki:
``tdb2:unionDefaultGraph true``; GraphDB and Virtuoso do so by default).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.error import URLError

import httpx
import pyoxigraph as ox
from SPARQLWrapper import POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from aims_graph.input_guard import check_untrusted
from aims_graph.store.base import (
    DEFAULT_DATA_GRAPH,
    GraphName,
    QueryResult,
    ResultFormat,
    Store,
    StoreError,
    StoreTimeout,
    UNNAMED_GRAPH,
)

_TIMEOUT_S = float(os.environ.get("AIMS_GRAPH_REMOTE_TIMEOUT", "60"))
# Oxigraph's server streams its answer and, when its --timeout-s fires, ends the body
# with this sentence instead of an HTTP error.
_CANCELLED = b"The SPARQL operation has been cancelled"


@dataclass(frozen=True)
class Endpoints:
    """The three URLs of a SPARQL service.

    ``http://host:7878`` or ``http://host:7878/query`` give Oxigraph's layout
    (``/query``, ``/update``, ``/store``); other layouts set
    ``AIMS_GRAPH_UPDATE_URL`` and ``AIMS_GRAPH_GSP_URL`` next to the query URL.
    """

    query: str
    update: str
    graph_store: str

    @classmethod
    def from_url(cls, url: str) -> "Endpoints":
        base = url.rstrip("/")
        if base.endswith("/query"):
            base = base[: -len("/query")]
            query = url.rstrip("/")
        elif base.endswith("/sparql"):
            query = base
        else:
            query = base + "/query"
        return cls(
            query=query,
            update=os.environ.get("AIMS_GRAPH_UPDATE_URL", base + "/update"),
            graph_store=os.environ.get("AIMS_GRAPH_GSP_URL", base + "/store"),
        )


def _accept(result_format: ResultFormat) -> str:
    return result_format.media_type


class RemoteStore(Store):
    def __init__(self, endpoints: Endpoints, timeout_s: float = _TIMEOUT_S) -> None:
        self.endpoints = endpoints
        self.timeout_s = timeout_s
        self.description = f"remote SPARQL endpoint {endpoints.query}"
        self._http = httpx.Client(timeout=timeout_s)
        self._check_reachable()

    def _check_reachable(self) -> None:
        try:
            self._raw_query("ASK { }", "application/sparql-results+json")
        except StoreError as error:
            self._http.close()
            raise StoreError(f"cannot reach {self.endpoints.query}: {error}") from error

    def _raw_query(self, sparql: str, accept: str) -> bytes:
        client = SPARQLWrapper(self.endpoints.query)
        client.setMethod(POST)
        client.setRequestMethod("postdirectly")
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", accept)
        client.setTimeout(int(self.timeout_s))
        client.setQuery(sparql)
        try:
            response = client.query().response
            body = response.read()
        except SPARQLWrapperException as error:
            message = str(error)
            if "QueryBadFormed" in type(error).__name__ or "400" in message:
                raise SyntaxError(message) from error
            raise StoreError(message) from error
        except (URLError, OSError) as error:
            if "timed out" in str(error):
                raise StoreTimeout(f"{self.endpoints.query} gave no answer within {self.timeout_s} s") from error
            raise StoreError(str(error)) from error
        if body.rstrip().endswith(_CANCELLED):
            raise StoreTimeout(f"{self.endpoints.query} stopped the query at its time limit")
        return body

    def query(self, sparql: str) -> QueryResult:
        kind = _query_kind(sparql)
        if kind == "graph":
            data = self._raw_query(sparql, ox.RdfFormat.N_TRIPLES.media_type)
            return _triples(data)
        data = self._raw_query(sparql, ox.QueryResultsFormat.JSON.media_type)
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)

    def query_to_bytes(self, sparql: str, result_format: ResultFormat) -> bytes:
        return self._raw_query(sparql, _accept(result_format))

    def update(self, sparql: str) -> None:
        self._post(self.endpoints.update, sparql.encode(), "application/sparql-update")

    def _post(self, url: str, body: bytes, content_type: str, method: str = "POST",
              params: dict[str, str] | None = None) -> httpx.Response:
        try:
            response = self._http.request(
                method, url, content=body, params=params, headers={"Content-Type": content_type}
            )
        except httpx.HTTPError as error:
            raise StoreError(f"{url}: {error}") from error
        if response.status_code >= 400:
            raise StoreError(f"{url} answered {response.status_code}: {response.text[:500]}")
        return response

    def load(self, data: bytes, rdf_format: ox.RdfFormat, graph: str | None = None) -> None:
        # Parse the whole input here first: a malformed file must never reach the
        # endpoint half-sent.  One request then writes everything in one transaction.
        check_untrusted(data, rdf_format, "input")
        quads = ox.Store()
        quads.load(data, format=rdf_format, to_graph=ox.NamedNode(graph or DEFAULT_DATA_GRAPH))
        if not len(quads):
            return
        self.update("INSERT DATA {\n" + _nquads_as_update_body(quads) + "\n}")

    def replace_graph(self, graph: str, data: bytes, rdf_format: ox.RdfFormat) -> None:
        check_untrusted(data, rdf_format, "input")
        checked = ox.Store()
        checked.load(data, format=rdf_format, to_graph=ox.NamedNode(graph))
        body = checked.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        self._post(self.endpoints.graph_store, body, "application/n-triples", "PUT", {"graph": graph})

    def drop_graph(self, graph: GraphName) -> None:
        if isinstance(graph, ox.DefaultGraph):
            self.update("CLEAR SILENT DEFAULT")
        else:
            self.update(f"DROP SILENT GRAPH <{graph}>")

    def dump(self, rdf_format: ox.RdfFormat, graph: GraphName | None = None) -> bytes:
        if graph is not None:
            # The Graph Store Protocol's ``?default`` is the unnamed default graph (never
            # the union that queries see, which no GSP request returns).
            params = {"default": ""} if isinstance(graph, ox.DefaultGraph) else {"graph": graph}
            try:
                response = self._http.get(self.endpoints.graph_store, params=params,
                                          headers={"Accept": ox.RdfFormat.N_TRIPLES.media_type})
            except httpx.HTTPError as error:
                raise StoreError(f"{self.endpoints.graph_store}: {error}") from error
            if response.status_code == 404:
                return b""
            if response.status_code >= 400:
                raise StoreError(f"{self.endpoints.graph_store} answered {response.status_code}")
            return _reserialise(response.content, ox.RdfFormat.N_TRIPLES, rdf_format, graph)
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
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"].value for row in result if isinstance(row["g"], ox.NamedNode))

    def close(self) -> None:
        self._http.close()


def _query_kind(sparql: str) -> str:
    """Whether a query answers with a graph (CONSTRUCT/DESCRIBE) or with solutions."""
    from aims_graph.sparql_text import query_form

    return "graph" if query_form(sparql) in {"CONSTRUCT", "DESCRIBE"} else "solutions"


def _triples(data: bytes) -> ox.QueryTriples:
    scratch = ox.Store()
    scratch.load(data, format=ox.RdfFormat.N_TRIPLES)
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")


def _reserialise(data: bytes, source: ox.RdfFormat, target: ox.RdfFormat, graph: GraphName) -> bytes:
    if source == target:
        return data
    node = graph if isinstance(graph, ox.DefaultGraph) else ox.NamedNode(graph)
    scratch = ox.Store()
    scratch.load(data, format=source, to_graph=node)
    return scratch.dump(format=target, from_graph=node)


def _nquads_as_update_body(dataset: ox.Store) -> str:
    parts = []
    for name in dataset.named_graphs():
        body = dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name).decode()
        parts.append(f"GRAPH {name} {{\n{body}}}")
    return "\n".join(parts)
