"""A client that sends its request too slowly is answered 408 and disconnected.

Reproduced before the fix: a connection sending one byte every 4 s (or nothing at all)
was kept open indefinitely.  The server runs as an operator runs it (``aims-graph
serve``), with short deadlines so that the test takes seconds.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Iterator

import httpx
import pytest

from tests.api.conftest import LiveServer, Tokens, live_service

HEADER_TIMEOUT_S = 2
BODY_TIMEOUT_S = 3
TRICKLE_EVERY_S = 0.5  # slower than any honest client, faster than the keep-alive timeout


@pytest.fixture(scope="module")
def server(tokens: Tokens, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_service(tokens, tmp_path_factory, "slow", AIMS_GRAPH_HEADER_TIMEOUT=str(HEADER_TIMEOUT_S), AIMS_GRAPH_BODY_TIMEOUT=str(BODY_TIMEOUT_S)) as live:
        yield live


def _trickle(port: int, head: bytes, payload: bytes, limit_s: float) -> tuple[bytes, float]:
    """Send ``head`` at once, then ``payload`` one byte every ``TRICKLE_EVERY_S``; return
    what the server answered and when it closed the connection (seconds after connecting).

    A server that closes while a trickled byte is in flight resets the connection, and
    the reset may discard its answer: the answer is then empty, the closing time stands."""
    began = time.monotonic()
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=limit_s) as sock:
        sock.sendall(head)
        sock.settimeout(TRICKLE_EVERY_S)
        for byte in payload:
            try:
                sock.sendall(bytes([byte]))
                chunk = sock.recv(65536)
            except socket.timeout:
                if time.monotonic() - began > limit_s:
                    break
                continue
            except OSError:
                break
            answer += chunk
            if not chunk or b"\r\n\r\n" in answer:
                break
    return answer, time.monotonic() - began


def _stall(port: int, sent: bytes) -> tuple[bytes, float]:
    """Send ``sent`` and then nothing: the server's answer, and when it closed."""
    began = time.monotonic()
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(sent)
        while chunk := sock.recv(65536):
            answer += chunk
    return answer, time.monotonic() - began


def _status_and_body(answer: bytes) -> tuple[int, bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def _put_head(tokens: Tokens, length: int) -> bytes:
    return (b"PUT /store?graph=https://example.org/slow HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: text/turtle\r\nAuthorization: Bearer " + tokens.editor.encode() + b"\r\n"
            b"Content-Length: " + str(length).encode() + b"\r\n\r\n")


BODY = b'<https://example.org/s> <https://example.org/p> "' + b"x" * 200 + b'" .\n'


def test_headers_trickled_byte_by_byte_are_cut_off(server: LiveServer) -> None:
    request = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200 + b"\r\n\r\n"
    answer, closed_after = _trickle(server.port, b"", request, limit_s=30)
    assert closed_after < HEADER_TIMEOUT_S + 2, f"kept open {closed_after:.1f} s"
    assert not answer or _status_and_body(answer)[0] == 408, answer[:300]


def test_a_body_trickled_byte_by_byte_is_cut_off(server: LiveServer, tokens: Tokens) -> None:
    answer, closed_after = _trickle(server.port, _put_head(tokens, len(BODY)), BODY, limit_s=30)
    assert closed_after < BODY_TIMEOUT_S + 2, f"kept open {closed_after:.1f} s"
    assert not answer or _status_and_body(answer)[0] == 408, answer[:300]
    graph = httpx.get(server.url + "/store", params={"graph": "https://example.org/slow"})
    assert graph.status_code == 404, "the cut-off write must change nothing"


@pytest.mark.parametrize("sent", [b"", b"GET /health HTTP/1.1\r\nHost:"], ids=["nothing", "half-headers"])
def test_stalled_headers_get_408_json(server: LiveServer, sent: bytes) -> None:
    answer, closed_after = _stall(server.port, sent)
    assert closed_after < HEADER_TIMEOUT_S + 2
    status, body = _status_and_body(answer)
    assert status == 408
    assert json.loads(body) == {"error": "request timeout", "detail": json.loads(body)["detail"]}
    assert "headers" in json.loads(body)["detail"] and "AIMS_GRAPH_HEADER_TIMEOUT" in json.loads(body)["detail"]


def test_a_stalled_body_gets_408_json(server: LiveServer, tokens: Tokens) -> None:
    answer, closed_after = _stall(server.port, _put_head(tokens, len(BODY)) + BODY[:20])
    assert closed_after < BODY_TIMEOUT_S + 2
    status, body = _status_and_body(answer)
    assert status == 408, answer[:300]
    assert "AIMS_GRAPH_BODY_TIMEOUT" in json.loads(body)["detail"]


def test_an_honest_client_on_a_kept_alive_connection_is_served(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as http:
        for _ in range(3):
            assert http.get("/health").status_code == 200
            time.sleep(HEADER_TIMEOUT_S / 2)  # idle between requests is the keep-alive's business
        assert http.get("/health").status_code == 200
