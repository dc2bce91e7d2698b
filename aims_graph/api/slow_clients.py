"""Deadlines for reading a request, so a client that trickles bytes cannot hold a connection.

uvicorn closes a connection only when it is idle between requests
(``timeout_keep_alive``); every byte received restarts nothing else, so a client that
sends one byte every few seconds, or connects and sends nothing, was kept forever (and
each such connection holds a socket, a parser and, once the body is awaited, a request
task).  This protocol (uvicorn's httptools protocol, which ``aims-graph serve`` selects
with ``http=PROTOCOL``) adds two deadlines:

* the request line and headers must arrive within ``AIMS_GRAPH_HEADER_TIMEOUT`` seconds
  of the connection opening, or of the request's first byte on a kept-alive connection;
* the body must arrive within ``AIMS_GRAPH_BODY_TIMEOUT`` seconds after the headers.

Past a deadline the client gets 408 JSON (when no answer has started) and the connection
is closed; the application sees a disconnect.
"""

from __future__ import annotations

import asyncio
import json
import os
from functools import lru_cache

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_SETTING = {"headers": "HEADER_TIMEOUT", "body": "BODY_TIMEOUT"}
PROTOCOL = "aims_graph.api.slow_clients:DeadlineHttpToolsProtocol"
"""What ``uvicorn.run(http=...)`` is given (a name, so the library never imports the API)."""


@lru_cache(maxsize=1)
def read_timeouts() -> tuple[float, float]:
    """(headers, body) deadlines in seconds, from the environment (docs/api.md)."""
    return (float(os.environ.get("AIMS_GRAPH_HEADER_TIMEOUT", "10")),
            float(os.environ.get("AIMS_GRAPH_BODY_TIMEOUT", "60")))


def _timeout_answer(part: str, seconds: float) -> bytes:
    body = json.dumps({"error": "request timeout",
                       "detail": f"the request's {part} did not arrive within {seconds:g} s "
                                 f"(AIMS_GRAPH_{_SETTING[part]}); send it faster"}).encode()
    return (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json\r\n"
            b"connection: close\r\ncontent-length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


class DeadlineHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with header and body deadlines."""

    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm("headers")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a new request on a kept-alive connection
            self._arm("headers")

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm("body")

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, part: str) -> None:
        self._disarm()
        headers_s, body_s = read_timeouts()
        seconds = headers_s if part == "headers" else body_s
        self._deadline = self.loop.call_later(seconds, self._expire, part, seconds)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self, part: str, seconds: float) -> None:
        self._deadline = None
        if self.transport.is_closing():
            return
        self.logger.info("closing a connection whose request %s took longer than %g s", part, seconds)
        cycle = self.cycle
        if cycle is None or not cycle.response_started:
            self.transport.write(_timeout_answer(part, seconds))
        if cycle is not None:
            cycle.disconnected = True  # the application sees a disconnect, writes nothing more
            cycle.message_event.set()
        self.transport.close()
