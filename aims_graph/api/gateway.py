"""Pass SPARQL queries and updates to the endpoint that holds the data, answers back unparsed.

The endpoint is the Oxigraph sidecar of an embedded store (see ``aims_graph.sidecar``)
or the remote store's own endpoint.  Answers are buffered, never re-parsed: only their
size and last bytes are looked at, for three reasons.

* Oxigraph streams answers, so a query cancelled by ``--timeout-s`` (or failing in the
  middle, like a SERVICE call) still answers 200, with a truncated body that ends in
  the error message.  A body that does not end the way its format must end is such a
  failure (502); ``The SPARQL operation has been cancelled`` makes it a timeout (503).
* A query that outruns its deadline by more than ``GRACE_S`` is one Oxigraph does not
  cancel itself; the sidecar is restarted, which is what frees its CPU.
* An answer larger than the byte limit is cut off at once (closing the connection
  stops Oxigraph's evaluation); it never fills this process's memory.

One keep-alive ``httpx.Client`` serves every request of the process.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

from aims_graph.sidecar import Sidecar
from aims_graph.store import Endpoints, StoreError
from aims_graph.api.lookups import LookupCache

log = logging.getLogger("aims_graph.api")

GRACE_S = 0.5
CANCELLED = b"The SPARQL operation has been cancelled"
# How a complete answer ends, by format; CSV and TSV rows end anywhere, so for them
# only the cancellation marker tells a cut answer.
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


class QueryTimeout(Exception):
    """The query ran past the configured timeout and was stopped."""


class QueryFailed(Exception):
    """The engine failed in the middle of its answer; the message is its own reason."""


class ResultTooLarge(Exception):
    """The answer exceeds the configured size; the client should narrow the query."""


@dataclass(frozen=True)
class Timeouts:
    query_s: float
    update_s: float


def _unreachable(url: str, error: Exception) -> StoreError:
    """The error for an engine that refuses connections; its address goes to the log only."""
    log.warning("the SPARQL engine at %s is unreachable: %s", url, error)
    return StoreError("the SPARQL engine is unreachable (it may be restarting); retry in a moment")


class SparqlGateway:
    def __init__(self, endpoints: Endpoints, timeouts: Timeouts, max_result_bytes: int,
                 sidecar: Sidecar | None = None) -> None:
        self.endpoints = endpoints
        self.timeouts = timeouts
        self.max_result_bytes = max_result_bytes
        self.sidecar = sidecar
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeouts.query_s + GRACE_S, connect=5.0),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        )

    def query(self, text: str, media_type: str, dataset: dict[str, list[str]]) -> bytes:
        """The endpoint's answer to a query, serialised as ``media_type``."""
        body = self._exchange(
            self.endpoints.query, text, "application/sparql-query", media_type,
            self.timeouts.query_s, params=[(k, v) for k, values in dataset.items() for v in values],
        )
        tail = body.rstrip()
        if tail.endswith(CANCELLED):
            raise QueryTimeout(self._timeout_message(self.timeouts.query_s))
        if tail and not tail.endswith(_ENDINGS.get(media_type.split(";")[0], (b"",))):
            raise QueryFailed("the SPARQL engine failed while answering: "
                              + body[-300:].decode("utf-8", errors="replace"))
        return body

    def update(self, text: str) -> None:
        self._exchange(self.endpoints.update, text, "application/sparql-update", "*/*",
                       self.timeouts.update_s)

    def _exchange(self, url: str, text: str, content_type: str, accept: str, limit_s: float,
                  params: list[tuple[str, str]] | None = None) -> bytes:
        deadline = time.monotonic() + limit_s + GRACE_S
        try:
            return self._attempt(url, text, content_type, accept, limit_s, params, deadline)
        except httpx.ConnectError as error:
            if self.sidecar is None:
                raise _unreachable(url, error) from error
        # Nothing was sent: safe to try again once the sidecar is back (after a restart).
        self.sidecar.wait_running()
        try:
            return self._attempt(url, text, content_type, accept, limit_s, params, deadline)
        except httpx.ConnectError as error:
            raise _unreachable(url, error) from error

    def _attempt(self, url: str, text: str, content_type: str, accept: str, limit_s: float,
                 params: list[tuple[str, str]] | None, deadline: float) -> bytes:
        pid = self.sidecar.pid if self.sidecar else None
        try:
            return self._send(url, text, content_type, accept, limit_s, params, deadline)
        except httpx.TimeoutException as error:
            self._stuck(pid)
            raise QueryTimeout(self._timeout_message(limit_s)) from error
        except httpx.ConnectError:
            raise
        except httpx.TransportError as error:
            log.warning("the SPARQL engine at %s failed: %s", url, error)
            raise StoreError("the SPARQL engine broke off the exchange (it may have been "
                             "restarted); retry in a moment") from error

    def _send(self, url: str, text: str, content_type: str, accept: str, limit_s: float,
              params: list[tuple[str, str]] | None, deadline: float) -> bytes:
        headers = {"Content-Type": content_type, "Accept": accept}
        timeout = httpx.Timeout(limit_s + GRACE_S, connect=5.0)
        with self._http.stream("POST", url, content=text.encode("utf-8"), headers=headers,
                               params=params, timeout=timeout) as response:
            if response.status_code >= 400:
                message = response.read()[:2000].decode("utf-8", errors="replace").strip()
                if response.status_code == 400:
                    raise SyntaxError(message)
                log.warning("the SPARQL engine at %s answered %s: %s", url, response.status_code, message)
                raise StoreError(f"the SPARQL engine answered {response.status_code}; the service log "
                                 "has its message")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_result_bytes:
                    raise ResultTooLarge(
                        f"the answer exceeds {self.max_result_bytes} bytes "
                        "(AIMS_GRAPH_MAX_RESULT_BYTES): add LIMIT or narrow the query")
                if time.monotonic() > deadline:
                    # Closing the connection (leaving this block) stops the evaluation.
                    raise QueryTimeout(self._timeout_message(limit_s))
                chunks.append(chunk)
            return b"".join(chunks)

    def _stuck(self, pid: int | None) -> None:
        """A request outlived its deadline: restart the sidecar so its CPU is freed."""
        if self.sidecar is not None:
            self.sidecar.restart_in_background(pid)

    @staticmethod
    def _timeout_message(limit_s: float) -> str:
        return (f"the request ran longer than {limit_s:g} s and was stopped "
                "(AIMS_GRAPH_QUERY_TIMEOUT / AIMS_GRAPH_UPDATE_TIMEOUT); narrow it or add LIMIT")

    def close(self) -> None:
        self._http.close()


class GatewayReader:
    """The gateway as a ``Queryable``: look-ups made while preparing a request (a
    notation resolved to its concept) share the gateway's keep-alive connection, timeout
    and limits, instead of opening a connection per query as the remote store's
    SPARQLWrapper does; with a ``LookupCache`` their answers are kept until a write."""

    def __init__(self, gateway: SparqlGateway, cache: LookupCache | None = None) -> None:
        self.gateway = gateway
        self.cache = cache

    def query(self, sparql: str) -> ox.QuerySolutions:
        answer = self.cache.get(sparql) if self.cache is not None else None
        if answer is None:
            generation = self.cache.generation if self.cache is not None else 0
            answer = self.gateway.query(sparql, ox.QueryResultsFormat.JSON.media_type, {})
            if self.cache is not None:
                self.cache.put(sparql, answer, generation)
        return ox.parse_query_results(answer, format=ox.QueryResultsFormat.JSON)
