"""A loopback HTTP listener that records every request it gets.

Tests that must prove the service reaches out to nobody (JSON-LD remote contexts, XML
external entities, SERVICE and LOAD) point those references at this listener.  It
answers each request with usable content, so a service that does fetch would succeed
and be caught, instead of failing for an unrelated reason.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import free_port

_ANSWERS = {
    ".jsonld": ("application/ld+json", b'{"@context": {"name": "http://schema.org/name"}}'),
    ".ttl": ("text/turtle", b"<http://example.org/fetched> <http://example.org/p> \"fetched\" .\n"),
    ".dtd": ("application/xml-dtd", b'<!ENTITY fetched "fetched">'),
}
_SPARQL_ANSWER = ("application/sparql-results+json",
                  b'{"head": {"vars": ["x"]}, "results": {"bindings": []}}')


class Listener:
    """Records ``METHOD path`` of each request; ``url`` is its base address."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                requests.append(f"{self.command} {self.path}")
                suffix = next((s for s in _ANSWERS if self.path.split("?")[0].endswith(s)), None)
                media, body = _ANSWERS[suffix] if suffix else _SPARQL_ANSWER
                self.send_response(200)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = _answer

            def log_message(self, *_: object) -> None:
                """Silence: the recorded list is the log that matters."""

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
