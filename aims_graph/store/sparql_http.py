"""The one HTTP client for SPARQL 1.1 Protocol and Graph Store Protocol, shared by the
remote store and the HTTP service's gateway, speaking the protocol the way engines
actually accept it:

* queries go by GET when short (URL under ``GET_LIMIT`` bytes) and otherwise by
  form-encoded POST (``query=``); updates always by form-encoded POST (``update=``).
  A raw ``application/sparql-query`` body is never sent: Virtuoso 7 answers it with an
  empty result;
* every query carries, where the engine has one, its own time limit, so the engine
  stops the work and not only this client's wait;
* answers are checked for the ways engines report failure with status 200: Oxigraph
  ends a cancelled stream with a sentence, Virtuoso returns *incomplete* results with
  ``X-SQL-State: S1TAT``; both become ``StoreTimeout``;
* ASK answers are normalised to ``{"boolean": ...}`` (Virtuoso answers a one-row table).

Failures raise ``SyntaxError`` (the engine refused the request as malformed, status 400),
``StoreTimeout`` or ``StoreError``; ``httpx.ConnectError`` is left to callers that can
retry (the gateway restarts its sidecar).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterator, Sequence
from urllib.parse import urlencode
from xml.etree import ElementTree

import httpx
import pyoxigraph as ox

from aims_graph.sparql.text import query_form
from aims_graph.store.base import GraphName, StoreError, StoreTimeout
from aims_graph.store.credentials import credentials_for
from aims_graph.store.engines import (
    EngineProfile,
    Endpoints,
    first_query_url,
    profile_named,
    recognise,
    split_store_url,
)

GET_LIMIT = 2000
"""Longest URL sent by GET; longer queries go by POST (proxies cut long URLs)."""
CANCELLED = b"The SPARQL operation has been cancelled"
_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_FORM = "application/x-www-form-urlencoded"
Params = Sequence[tuple[str, str]]
# How a complete answer ends, by format: Oxigraph streams, so a query failing in the
# middle (a SERVICE call, say) still answers 200 with a truncated body ending in the
# error.  CSV and TSV rows end anywhere, so for them only the cancellation marker counts.
_ENDINGS = {
    "application/sparql-results+json": (b"}",),
    "application/ld+json": (b"}", b"]"),
    "application/sparql-results+xml": (b">",),
    "application/rdf+xml": (b">",),
    "text/turtle": (b".",),
    "application/n-triples": (b".",),
    "application/n-quads": (b".",),
    "application/trig": (b".", b"}"),
}


class SparqlClient:
    """One keep-alive connection pool to one SPARQL service, with its engine's profile."""

    def __init__(self, endpoints: Endpoints, profile: EngineProfile, timeout_s: float,
                 auth: httpx.Auth | None = None, max_connections: int = 64) -> None:
        self.endpoints = endpoints
        self.profile = profile
        self.timeout_s = timeout_s
        self._auth = auth
        self._http = httpx.Client(
            auth=auth, timeout=httpx.Timeout(timeout_s, connect=5.0),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=16))

    @classmethod
    def connect(cls, spec: str, timeout_s: float, max_connections: int = 64) -> "SparqlClient":
        """A client for the store URL ``spec``, its engine named or recognised by a first ASK."""
        url, engine = split_store_url(spec)
        auth = credentials_for(url)
        if engine is not None:
            profile = profile_named(engine)
            client = cls(profile.endpoints(url), profile, timeout_s, auth, max_connections)
            try:
                client.query("ASK {}", ox.QueryResultsFormat.JSON.media_type)
            except BaseException:
                client.close()
                raise
            return client
        probe_url = first_query_url(url)
        probe = cls(Endpoints(probe_url, probe_url, None), profile_named("generic"), timeout_s, auth,
                    max_connections)
        try:
            with probe.stream(probe.query_request("ASK {}", ox.QueryResultsFormat.JSON.media_type)) as answer:
                raise_for_status(answer, answer.read())
                server = answer.headers.get("server")
        except httpx.HTTPError as error:
            raise StoreError(f"{probe_url}: {error}") from error
        finally:
            probe.close()
        profile = recognise(server, url)
        return cls(profile.endpoints(probe_url), profile, timeout_s, auth, max_connections)

    def sibling(self, timeout_s: float, max_connections: int = 64) -> "SparqlClient":
        """A client for the same service with a pool of its own: the HTTP service's
        gateway keeps its traffic (runaway anonymous queries included) off the pool that
        the store, and so ``/health``, uses."""
        return SparqlClient(self.endpoints, self.profile, timeout_s, self._auth, max_connections)

    # -- requests -------------------------------------------------------------------

    def query_request(self, text: str, accept: str, dataset: Params = (),
                      limit_s: float | None = None) -> httpx.Request:
        """The request for a query: GET when its URL is short, else a form POST."""
        params: list[tuple[str, str]] = [("query", text), *dataset]
        if self.profile.timeout_param is not None:
            params.append((self.profile.timeout_param, str(int((limit_s or self.timeout_s) * 1000))))
        encoded = urlencode(params)
        headers = {"Accept": accept}
        if len(self.endpoints.query) + 1 + len(encoded) <= GET_LIMIT:
            return self._http.build_request("GET", self.endpoints.query + "?" + encoded, headers=headers)
        return self._http.build_request("POST", self.endpoints.query, content=encoded.encode("ascii"),
                                        headers={**headers, "Content-Type": _FORM})

    def update_request(self, text: str) -> httpx.Request:
        return self._http.build_request("POST", self.endpoints.update, content=urlencode({"update": text}),
                                        headers={"Content-Type": _FORM, "Accept": "*/*"})

    @contextmanager
    def stream(self, request: httpx.Request, limit_s: float | None = None) -> Iterator[httpx.Response]:
        """Send ``request`` and hold its answer open for reading; closing stops the engine's
        work on engines that notice a closed connection (Oxigraph does)."""
        timeout = httpx.Timeout(limit_s or self.timeout_s, connect=5.0)
        request.extensions["timeout"] = timeout.as_dict()
        response = self._http.send(request, stream=True)
        try:
            yield response
        finally:
            response.close()

    # -- whole exchanges ------------------------------------------------------------

    def query(self, text: str, accept: str, limit_s: float | None = None) -> bytes:
        """The engine's complete, checked answer to a query."""
        request = self.query_request(text, accept, limit_s=limit_s)
        body, response = self._exchange(request, limit_s, read_only=True)
        return self.checked_answer(text, accept, response, body)

    def update(self, text: str, limit_s: float | None = None) -> None:
        self._exchange(self.update_request(text), limit_s)

    def read_graph(self, graph: GraphName, accept: str) -> bytes:
        """One graph serialised as ``accept`` (empty when it does not exist)."""
        if isinstance(graph, ox.DefaultGraph) and not self.profile.has_unnamed_graph:
            return b""
        if self.endpoints.graph_store is None:
            where = "{ ?s ?p ?o }" if isinstance(graph, ox.DefaultGraph) else f"{{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}"
            return self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {where}", accept)
        request = self._http.build_request("GET", self.endpoints.graph_store, params=self._graph_params(graph),
                                           headers={"Accept": accept})
        try:
            body, _ = self._exchange(request, None, read_only=True)
        except _NotFound:
            return b""
        return body

    def write_graph(self, method: str, graph: str, ntriples: bytes) -> None:
        """Add (POST) or replace (PUT) one named graph's triples, given as N-Triples."""
        if self.endpoints.graph_store is None:
            body = ntriples.decode("utf-8")
            clear = f"DROP SILENT GRAPH {ox.NamedNode(graph)} ;\n" if method == "PUT" else ""
            # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in DATA.
            self.update(f"{clear}INSERT {{ GRAPH {ox.NamedNode(graph)} {{\n{body}}} }} WHERE {{}}")
            return
        request = self._http.build_request(method, self.endpoints.graph_store, params=self._graph_params(graph),
                                           content=ntriples, headers={"Content-Type": "application/n-triples"})
        self._exchange(request, None)

    def _graph_params(self, graph: GraphName) -> dict[str, str]:
        return {"default": ""} if isinstance(graph, ox.DefaultGraph) else {self.profile.graph_param: graph}

    def _exchange(self, request: httpx.Request, limit_s: float | None,
                  read_only: bool = False) -> tuple[bytes, httpx.Response]:
        """Send and read whole.  A read changes nothing, so after a broken connection it
        goes once more: a kept-alive connection may have died with an engine restart
        (the service's sidecar is restarted after a runaway query)."""
        attempts = 2 if read_only else 1
        for attempt in range(1, attempts + 1):
            try:
                with self.stream(request, limit_s) as response:
                    body = response.read()
            except httpx.TimeoutException as error:
                raise StoreTimeout(f"{request.url.copy_with(query=None)} gave no answer within "
                                   f"{limit_s or self.timeout_s:g} s") from error
            except httpx.TransportError as error:
                if attempt < attempts:
                    continue
                raise StoreError(f"{request.url.copy_with(query=None)}: {error}") from error
            except httpx.HTTPError as error:
                raise StoreError(f"{request.url.copy_with(query=None)}: {error}") from error
            raise_for_status(response, body)
            return body, response
        raise AssertionError("unreachable: the last attempt returns or raises")

    # -- answers --------------------------------------------------------------------

    def checked_answer(self, text: str, accept: str, response: httpx.Response, body: bytes) -> bytes:
        """The answer as the SPARQL standard spells it, or the failure it really was."""
        if incomplete(response, body):
            raise StoreTimeout(f"{self.endpoints.query} stopped the query at its time limit")
        # Comment lines carry no data (Virtuoso answers an empty CONSTRUCT with "# Empty NT").
        tail = b"\n".join(line for line in body.rstrip().splitlines() if not line.lstrip().startswith(b"#"))
        if tail.strip() and not tail.rstrip().endswith(_ENDINGS.get(accept.split(";")[0].strip(), (b"",))):
            raise BrokenAnswer("the SPARQL engine failed while answering: "
                               + body[-300:].decode("utf-8", errors="replace"))
        if self.profile.ask_as_table and query_form(text) == "ASK":
            return ask_answer(body, accept)
        if self.profile.booleans_as_digits:
            return canonical_booleans(body, accept)
        return body

    def close(self) -> None:
        self._http.close()


class _NotFound(StoreError):
    pass


class BrokenAnswer(StoreError):
    """The engine failed in the middle of its answer (status 200, body cut short)."""


def raise_for_status(response: httpx.Response, body: bytes) -> None:
    """Map an error status to the store's exceptions, quoting the engine's message."""
    if response.status_code < 400:
        return
    message = body[:2000].decode("utf-8", errors="replace").strip()
    if response.status_code == 404:
        raise _NotFound(message)
    if response.status_code == 400:
        raise SyntaxError(message)
    raise StoreError(f"{response.request.url.copy_with(query=None)} answered {response.status_code}: {message[:500]}")


def incomplete(response: httpx.Response, body: bytes) -> bool:
    """An answer the engine cut at its time limit yet sent with status 200."""
    return response.headers.get("x-sql-state") == "S1TAT" or body.rstrip().endswith(CANCELLED)


_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_DIGITS = {"0": "false", "1": "true"}


def canonical_booleans(body: bytes, media_type: str) -> bytes:
    """A JSON answer with ``"0"``/``"1"`` booleans (Virtuoso's spelling of stored
    ``false``/``true``: valid, not canonical) rewritten to the canonical spelling, so a
    stored boolean reads the same on every engine.  Other formats pass unchanged."""
    if media_type.split(";")[0].strip() != ox.QueryResultsFormat.JSON.media_type or _BOOLEAN.encode() not in body:
        return body  # no boolean can be in it: spare the parse
    answer = json.loads(body)
    for row in answer.get("results", {}).get("bindings", []):
        for cell in row.values():
            if cell.get("datatype") == _BOOLEAN and cell.get("value") in _DIGITS:
                cell["value"] = _DIGITS[cell["value"]]
    return json.dumps(answer).encode()


def ask_answer(body: bytes, media_type: str) -> bytes:
    """An ASK answer given as a table (Virtuoso: variable ``__ASK_RETVAL``, one row of 1 or
    0, or no row) rewritten as the standard boolean answer in the same format."""
    kind = media_type.split(";")[0].strip()
    if kind == ox.QueryResultsFormat.JSON.media_type:
        answer = json.loads(body)
        if "boolean" in answer:
            return body
        rows = answer.get("results", {}).get("bindings", [])
        value = any(str(row.get("__ASK_RETVAL", {}).get("value")) == "1" for row in rows)
        return json.dumps({"head": {}, "boolean": value}).encode()
    if kind == ox.QueryResultsFormat.XML.media_type:
        root = ElementTree.fromstring(body)
        if root.find(f"{{{_RESULTS_NS}}}boolean") is not None:
            return body
        literals = root.iter(f"{{{_RESULTS_NS}}}literal")
        value = any((literal.text or "").strip() == "1" for literal in literals)
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{_RESULTS_NS}"><head/>'
                f"<boolean>{str(value).lower()}</boolean></sparql>").encode()
    return body
