"""Credentials for a remote endpoint come from the environment or a private file and reach
the endpoint on every request; they never come from the command line."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from aims_graph.store.sparql_http import SparqlClient


class RecordingEndpoint:
    """A loopback SPARQL endpoint that answers every ASK with true and records the
    ``Authorization`` header of each request."""

    def __init__(self) -> None:
        self.seen: list[str | None] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                endpoint.seen.append(self.headers.get("Authorization"))
                body = json.dumps({"head": {}, "boolean": True}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/sparql"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[RecordingEndpoint]:
    for name in ("AIMS_GRAPH_STORE_TOKEN", "AIMS_GRAPH_STORE_USER", "AIMS_GRAPH_STORE_PASSWORD", "AIMS_GRAPH_ENGINE",
                 "AIMS_GRAPH_CREDENTIALS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.config/aims-graph/credentials.toml
    server = RecordingEndpoint()
    yield server
    server.close()


def ask(url: str) -> None:
    client = SparqlClient.connect(url, timeout_s=5)
    client.query("ASK {}", "application/sparql-results+json")
    client.close()


def test_a_bearer_token_from_the_environment(endpoint: RecordingEndpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMS_GRAPH_STORE_TOKEN", "t0k3n")
    ask(endpoint.url)
    assert endpoint.seen and set(endpoint.seen) == {"Bearer t0k3n"}


def test_basic_credentials_from_the_environment(endpoint: RecordingEndpoint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMS_GRAPH_STORE_USER", "alice")
    monkeypatch.setenv("AIMS_GRAPH_STORE_PASSWORD", "s3cret")
    ask(endpoint.url)
    assert set(endpoint.seen) == {"Basic YWxpY2U6czNjcmV0"}


def write_file(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_the_file_entry_with_the_longest_matching_url_wins(endpoint: RecordingEndpoint, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    origin = endpoint.url.removesuffix("/sparql")
    credentials = write_file(tmp_path / "credentials.toml", f"""
[[endpoint]]
url = "{origin}/"
token = "general"

[[endpoint]]
url = "{origin}/sparql"
username = "bob"
password = "pw"

[[endpoint]]
url = "http://127.0.0.2:1/"
token = "another host"
""")
    monkeypatch.setenv("AIMS_GRAPH_CREDENTIALS", str(credentials))
    ask(endpoint.url)
    assert set(endpoint.seen) == {"Basic Ym9iOnB3"}


def test_a_file_others_can_read_is_refused(endpoint: RecordingEndpoint, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    credentials = write_file(tmp_path / "credentials.toml", f'[[endpoint]]\nurl = "{endpoint.url}"\ntoken = "x"\n',
                             mode=0o644)
    monkeypatch.setenv("AIMS_GRAPH_CREDENTIALS", str(credentials))
    with pytest.raises(ValueError, match="readable by their owner only"):
        ask(endpoint.url)
    assert endpoint.seen == []


def test_no_credentials_send_no_header(endpoint: RecordingEndpoint) -> None:
    ask(endpoint.url)
    assert endpoint.seen and set(endpoint.seen) == {None}


def test_a_named_file_that_is_missing_is_an_error(endpoint: RecordingEndpoint, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMS_GRAPH_CREDENTIALS", str(tmp_path / "missing.toml"))
    with pytest.raises(ValueError, match="no such file"):
        ask(endpoint.url)
