"""What differs between SPARQL engines, in one table: URL layout, Graph Store parameters,
system graphs, answer quirks and how much one request may carry.

An engine is named explicitly (``AIMS_GRAPH_ENGINE=virtuoso``, or the store URL's scheme
``virtuoso+http://host:8890/sparql``) or recognised from the ``Server`` header of the
first answer (Virtuoso and Oxigraph say who they are); anything else is ``generic``:
plain SPARQL 1.1 Protocol at the given URL, updates at the same URL, the Graph Store
Protocol only where ``AIMS_GRAPH_GSP_URL`` names it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

ENGINE_ENV = "AIMS_GRAPH_ENGINE"
UPDATE_URL_ENV = "AIMS_GRAPH_UPDATE_URL"
GSP_URL_ENV = "AIMS_GRAPH_GSP_URL"


@dataclass(frozen=True)
class Endpoints:
    """The URLs of a SPARQL service; ``graph_store`` is None when it offers no Graph Store
    Protocol (graphs are then written by SPARQL Update and read by CONSTRUCT)."""

    query: str
    update: str
    graph_store: str | None


@dataclass(frozen=True)
class EngineProfile:
    name: str
    graph_param: str
    """The Graph Store Protocol's query parameter naming a graph."""
    has_unnamed_graph: bool
    """Whether a write may target the unnamed default graph (Virtuoso has none: an update
    that names no graph is refused, so that graph is always empty there)."""
    system_graph_prefixes: tuple[str, ...]
    """Graphs the engine keeps for itself (their IRIs start so): never organisation data,
    so never listed, counted or exported.  Queries over the union still see their
    triples (Virtuoso's own schema, ~2,500 triples in no aims-graph vocabulary): Virtuoso's
    ``DEFINE input:*-graph-exclude`` would hide them, but it also empties every
    ``GRAPH <iri>`` pattern (7.2.5), so it is not used."""
    batch_bytes: int
    """How much N-Triples one write request may carry; larger loads go in batches."""
    timeout_param: str | None
    """The query parameter (milliseconds) that makes the engine stop a query itself."""
    ask_as_table: bool
    """ASK answers come as a one-row table ``__ASK_RETVAL`` instead of ``boolean``."""
    booleans_as_digits: bool = False
    """Stored booleans are answered as ``"1"``/``"0"`` (valid lexical forms, not canonical)."""

    def endpoints(self, query_url: str) -> Endpoints:
        """The service's URLs from the query URL; the environment overrides update and GSP."""
        parts = urlsplit(query_url)
        root = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        if self.name == "oxigraph":
            base = query_url.rstrip("/").removesuffix("/query")
            layout = Endpoints(base + "/query", base + "/update", base + "/store")
        elif self.name == "aims-graph":
            layout = Endpoints(root + "/sparql", root + "/update", root + "/store")
        elif self.name == "virtuoso":
            query = query_url if parts.path.strip("/") else root + "/sparql"
            layout = Endpoints(query, query, root + "/sparql-graph-crud")
        else:
            layout = Endpoints(query_url, query_url, None)
        return Endpoints(layout.query, os.environ.get(UPDATE_URL_ENV) or layout.update,
                         os.environ.get(GSP_URL_ENV) or layout.graph_store)

    def is_system_graph(self, graph: str) -> bool:
        return graph.startswith(self.system_graph_prefixes)


_MIB = 1024 * 1024
PROFILES = {
    "oxigraph": EngineProfile("oxigraph", "graph", True, (), 256 * _MIB, None, False),
    "virtuoso": EngineProfile(
        "virtuoso", "graph-uri", False,
        ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
         "http://localuriqaserver/"),
        # Its HTTP server reads a request whole into memory; 8 MiB is about 80,000 triples.
        8 * _MIB, "timeout", True, True),
    "generic": EngineProfile("generic", "graph", True, (), 8 * _MIB, None, False),
    # An aims-graph service (``aims-graph serve``), recognised by its /health answer: its own
    # SPARQL and Graph Store endpoints, 8 MiB per write (under its per-write quad limit).
    "aims-graph": EngineProfile("aims-graph", "graph", True, (), 8 * _MIB, None, False),
}


def split_store_url(spec: str) -> tuple[str, str | None]:
    """``virtuoso+http://h/sparql`` -> (``http://h/sparql``, ``virtuoso``); credentials in
    the URL are refused, since a command line is kept in shell history and process lists."""
    parts = urlsplit(spec)
    engine, plus, scheme = parts.scheme.rpartition("+")
    if scheme not in {"http", "https"}:
        raise ValueError(f"store URL {spec!r}: the scheme must be http or https, optionally "
                         f"prefixed by an engine ({', '.join(sorted(PROFILES))}), e.g. virtuoso+http://")
    if plus and engine not in PROFILES:
        raise ValueError(f"store URL {spec!r}: unknown engine {engine!r}; known: {', '.join(sorted(PROFILES))}")
    if parts.username is not None or parts.password is not None:
        raise ValueError("store URL: credentials in the URL are refused (they would stay in shell history); "
                         "set AIMS_GRAPH_STORE_USER/AIMS_GRAPH_STORE_PASSWORD, AIMS_GRAPH_STORE_TOKEN "
                         "or a credentials file (docs/stores.md)")
    url = urlunsplit((scheme, parts.netloc, parts.path, parts.query, parts.fragment))
    return url, engine or os.environ.get(ENGINE_ENV) or None


def profile_named(name: str) -> EngineProfile:
    if name not in PROFILES:
        raise ValueError(f"{ENGINE_ENV}={name!r}: unknown engine; known: {', '.join(sorted(PROFILES))}")
    return PROFILES[name]


def first_query_url(url: str) -> str:
    """Where to send the first query, before the engine is known: Oxigraph's layout
    (``/query`` under a bare host) or the URL as given."""
    path = urlsplit(url).path.rstrip("/")
    return url.rstrip("/") + "/query" if path == "" else url


def recognise(server_header: str | None, url: str) -> EngineProfile:
    """The engine that answered, from its ``Server`` header, else from the URL layout."""
    product = (server_header or "").split("/", 1)[0].strip().lower()
    if product in PROFILES:
        return PROFILES[product]
    path = urlsplit(url).path.rstrip("/")
    return PROFILES["oxigraph"] if path in {"", "/query"} else PROFILES["generic"]
