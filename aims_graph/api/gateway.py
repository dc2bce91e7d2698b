"""Pass SPARQL queries and updates to the endpoint that holds the data, answers back unparsed.

The endpoint is the Oxigraph sidecar of an embedded store (see ``aims_graph.serving.sidecar``)
or the remote store's own endpoint; requests go through a ``SparqlClient`` (the
engine's protocol quirks in one place) with a keep-alive pool of its own, apart from the
store's, so runaway queries never hold the connections ``/health`` needs.  Answers
are buffered, never re-parsed; the client checks their status and ending (an answer
the engine cut at its time limit is a timeout, 503; one cut by a failure is 502), and
this module adds what only the service needs:

* A query that outruns its deadline by more than ``GRACE_S`` is one the engine did not
  cancel itself; the sidecar is restarted, which is what frees its CPU.
* An answer larger than the byte limit is cut off at once (closing the connection
  stops Oxigraph's evaluation); it never fills this process's memory.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Callable

import httpx
import pyoxigraph as ox

from aims_graph.serving.sidecar import Sidecar
from aims_graph.store import StoreError, StoreTimeout
from aims_graph.store.sparql_http import BrokenAnswer, SparqlClient, raise_for_status
from aims_graph.api.lookups import LookupCache

log = logging.getLogger("aims_graph.api")

GRACE_S = 0.5


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


def _unreachable(error: Exception) -> StoreError:
    """The error for an engine that refuses connections; its address goes to the log only."""
    log.warning("the SPARQL engine is unreachable: %s", error)
    return StoreError("the SPARQL engine is unreachable (it may be restarting); retry in a moment")


class SparqlGateway:
    def __init__(self, client: SparqlClient, timeouts: Timeouts, max_result_bytes: int,
                 sidecar: Sidecar | None = None) -> None:
        self.client = client
        self.timeouts = timeouts
        self.max_result_bytes = max_result_bytes
        self.sidecar = sidecar

    def query(self, text: str, media_type: str, dataset: dict[str, list[str]]) -> bytes:
        """The endpoint's answer to a query, serialised as ``media_type``."""
        params = [(k, v) for k, values in dataset.items() for v in values]
        limit_s = self.timeouts.query_s
        response, body = self._exchange(lambda: self.client.query_request(text, media_type, params, limit_s),
                                        limit_s)
        try:
            return self.client.checked_answer(text, media_type, response, body)
        except StoreTimeout as error:
            raise QueryTimeout(self._timeout_message(limit_s)) from error
        except BrokenAnswer as error:
            raise QueryFailed(str(error)) from error

    def update(self, text: str) -> None:
        self._exchange(lambda: self.client.update_request(text), self.timeouts.update_s)

    def _exchange(self, build: Callable[[], httpx.Request], limit_s: float) -> tuple[httpx.Response, bytes]:
        deadline = time.monotonic() + limit_s + GRACE_S
        try:
            return self._attempt(build(), limit_s, deadline)
        except httpx.ConnectError as error:
            if self.sidecar is None:
                raise _unreachable(error) from error
        # Nothing was sent: safe to try again once the sidecar is back (after a restart).
        self.sidecar.wait_running()
        try:
            return self._attempt(build(), limit_s, deadline)
        except httpx.ConnectError as error:
            raise _unreachable(error) from error

    def _attempt(self, request: httpx.Request, limit_s: float, deadline: float) -> tuple[httpx.Response, bytes]:
        pid = self.sidecar.pid if self.sidecar else None
        try:
            return self._send(request, limit_s, deadline)
        except httpx.TimeoutException as error:
            self._stuck(pid)
            raise QueryTimeout(self._timeout_message(limit_s)) from error
        except httpx.ConnectError:
            raise
        except httpx.TransportError as error:
            log.warning("the SPARQL engine failed: %s", error)
            raise StoreError("the SPARQL engine broke off the exchange (it may have been "
                             "restarted); retry in a moment") from error

    def _send(self, request: httpx.Request, limit_s: float, deadline: float) -> tuple[httpx.Response, bytes]:
        with self.client.stream(request, limit_s + GRACE_S) as response:
            if response.status_code >= 400:
                message = response.read()[:2000]
                try:
                    raise_for_status(response, message)
                except StoreError as error:
                    log.warning("the SPARQL engine answered %s: %s", response.status_code, error)
                    raise StoreError(f"the SPARQL engine answered {response.status_code}; the service log "
                                     "has its message") from None
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
            return response, b"".join(chunks)

    def _stuck(self, pid: int | None) -> None:
        """A request outlived its deadline: restart the sidecar so its CPU is freed."""
        if self.sidecar is not None:
            self.sidecar.restart_in_background(pid)

    @staticmethod
    def _timeout_message(limit_s: float) -> str:
        return (f"the request ran longer than {limit_s:g} s and was stopped "
                "(AIMS_GRAPH_QUERY_TIMEOUT / AIMS_GRAPH_UPDATE_TIMEOUT); narrow it or add LIMIT")

class GatewayReader:
    """The gateway as a ``Queryable``: look-ups made while preparing a request (a
    notation resolved to its concept) share the gateway's keep-alive connection, timeout
    and limits; with a ``LookupCache`` their answers are kept until a write."""

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
