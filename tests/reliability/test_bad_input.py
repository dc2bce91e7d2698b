"""Every hostile or broken request gets a clear JSON 4xx (or 503) and changes nothing.

One service (short query timeout, small body limit) answers the whole corpus.  For each
case the test checks the status, that the answer is ``{"error", "detail"}`` JSON and
shows no internals (the engine's address or port, the store's path, a traceback), that
the loopback listener which every remote reference points at was never contacted, that
the service is still alive, and that the store's canonical fingerprint is the one it
had before.  A case that kills, hangs or changes the service gets a fresh one, so each
case is judged on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from tests.reliability.conftest import ServerPool
from tests.reliability.corpus import (
    chunks,
    corpus_bytes,
    deeply_nested_jsonld,
    deeply_nested_rdfxml,
    huge_literal_turtle,
    jsonld_context_bomb,
    long_value_query,
    wide_workbook,
)
from tests.reliability.fingerprint import Fingerprint, fingerprint
from tests.reliability.listener import Listener
from tests.reliability.server import BOMB_MEMORY_LIMIT, ApiServer, create_token, descendants

QUERY_TIMEOUT_S = 2
MAX_BODY = 2_000_000
SERVICE_ENV = {"AIMS_GRAPH_QUERY_TIMEOUT": str(QUERY_TIMEOUT_S),
               "AIMS_GRAPH_UPDATE_TIMEOUT": str(QUERY_TIMEOUT_S),
               "AIMS_GRAPH_MAX_BODY_BYTES": str(MAX_BODY)}
REQUEST_TIMEOUT_S = 30  # far above any honest rejection; a hung service fails the case
RECOVERY_S = 15  # how long the test waits for the service to serve its store again
RECOVERED_S = 5  # how long it may take without failing the case (a sidecar restart is ~0.5 s)
TARGET_GRAPH = "https://test.aims-graph.example/graph/bad-input"
REFERENCE_GRAPH = "https://w3id.org/aims-graph/graph/iso42001"

TURTLE, NTRIPLES, JSONLD, RDFXML = "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"
FORM, SPARQL_QUERY, SPARQL_UPDATE = "application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"


@dataclass(frozen=True)
class Case:
    """One bad request: the body comes from a corpus file or a generator."""

    id: str
    method: str
    path: str
    statuses: frozenset[int]
    body: str | Callable[[], bytes] | None = None
    content_type: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    token: str = "editor"  # editor, reader, none or wrong
    chunked: bool = False
    as_query: str | None = None  # send the corpus text as this query-string parameter
    upload: str | None = None  # send the body as the multipart file field, with this file name

    def __str__(self) -> str:
        return self.id


def _rdf_write(name: str, content_type: str, statuses: set[int], road: str = "store") -> Case:
    method, path = ("PUT", "/store") if road == "store" else ("POST", "/import")
    return Case(f"{road}:{name}", method, path, frozenset(statuses), name, content_type,
                {"graph": TARGET_GRAPH})


# docs/api.md: /store bodies may be Turtle, N-Triples, JSON-LD or RDF/XML; /import takes
# all six syntaxes.
_RDF_CORPUS = [
    ("malformed.ttl", TURTLE, {400}),
    ("malformed.jsonld", JSONLD, {400}),
    ("malformed.rdf", RDFXML, {400}),
    ("malformed.nt", NTRIPLES, {400}),
    ("invalid-iri.ttl", TURTLE, {400}),
    ("relative-iri.nt", NTRIPLES, {400}),
    ("not-utf8.nt", NTRIPLES, {400}),
    ("xxe-file.rdf", RDFXML, {400}),
    ("xxe-http.rdf", RDFXML, {400}),
    ("billion-laughs.rdf", RDFXML, {400, 413}),
    ("remote-context.jsonld", JSONLD, {400}),
    ("remote-context-import.jsonld", JSONLD, {400}),
]
# Through /import too: the JSON-LD attacks and one of each other kind (same parsers behind).
_IMPORT_SUBSET = {"malformed.ttl", "malformed.jsonld", "xxe-http.rdf", "billion-laughs.rdf",
                  "remote-context.jsonld", "remote-context-import.jsonld"}

CASES = [
    *[_rdf_write(name, media, statuses) for name, media, statuses in _RDF_CORPUS],
    *[_rdf_write(name, media, statuses, road="import") for name, media, statuses in _RDF_CORPUS
      if name in _IMPORT_SUBSET],
    Case("import:deeply-nested-jsonld", "POST", "/import", frozenset({400, 413}), deeply_nested_jsonld,
         JSONLD, {"graph": TARGET_GRAPH}),
    # Under this service's 2 MB body limit: 60 levels of 200 terms (366,000 active term copies).
    Case("import:jsonld-context-bomb", "POST", "/import", frozenset({400}), lambda: jsonld_context_bomb(60, 200),
         JSONLD, {"graph": TARGET_GRAPH}),
    Case("store:deeply-nested-rdfxml", "PUT", "/store", frozenset({400}), deeply_nested_rdfxml,
         RDFXML, {"graph": TARGET_GRAPH}),
    Case("import:wide-workbook", "POST", "/import", frozenset({400}), wide_workbook, upload="inventory.xlsx"),
    Case("sparql:value-over-16-mib", "GET", "/sparql", frozenset({413}), lambda: long_value_query().encode(),
         as_query="query"),
    Case("store:huge-literal-over-limit", "PUT", "/store", frozenset({413}),
         lambda: huge_literal_turtle(MAX_BODY + 1), TURTLE, {"graph": TARGET_GRAPH}),
    Case("store:oversized-chunked", "PUT", "/store", frozenset({413}),
         lambda: huge_literal_turtle(2 * MAX_BODY), TURTLE, {"graph": TARGET_GRAPH}, chunked=True),
    Case("import:oversized", "POST", "/import", frozenset({413}),
         lambda: huge_literal_turtle(2 * MAX_BODY), TURTLE, {"graph": TARGET_GRAPH}),
    Case("store:invalid-graph-iri", "PUT", "/store", frozenset({400, 422}), "valid.ttl", TURTLE,
         {"graph": "not an IRI"}),
    Case("store:unknown-media-type", "PUT", "/store", frozenset({415}), "valid.ttl",
         "application/x-not-rdf", {"graph": TARGET_GRAPH}),
    Case("store:no-token", "PUT", "/store", frozenset({401}), "valid.ttl", TURTLE,
         {"graph": TARGET_GRAPH}, token="none"),
    Case("store:wrong-token", "PUT", "/store", frozenset({401}), "valid.ttl", TURTLE,
         {"graph": TARGET_GRAPH}, token="wrong"),
    Case("store:reader-token", "PUT", "/store", frozenset({403}), "valid.ttl", TURTLE,
         {"graph": TARGET_GRAPH}, token="reader"),
    Case("store:delete-no-token", "DELETE", "/store", frozenset({401}),
         params={"graph": REFERENCE_GRAPH}, token="none"),
    Case("store:editor-writes-reference-graph", "PUT", "/store", frozenset({403}), "valid.ttl",
         TURTLE, {"graph": REFERENCE_GRAPH}),
    Case("import:no-token", "POST", "/import", frozenset({401}), "valid.ttl", TURTLE,
         {"graph": TARGET_GRAPH}, token="none"),
    Case("update:no-token", "POST", "/update", frozenset({401}), "update-on-query.ru", SPARQL_UPDATE,
         token="none"),
    Case("update:wrong-token", "POST", "/update", frozenset({401}), "update-on-query.ru",
         SPARQL_UPDATE, token="wrong"),
    Case("update:editor-deletes-every-graph", "POST", "/update", frozenset({403}), "update-on-query.ru",
         SPARQL_UPDATE),
    Case("import:editor-names-reference-graph-in-body", "POST", "/import", frozenset({403}),
         "reference-graph.nq", "application/n-quads"),
    Case("update:syntax-error", "POST", "/update", frozenset({400}), "syntax-error.ru", SPARQL_UPDATE),
    Case("update:load-loopback", "POST", "/update", frozenset({400}), "load-loopback.ru", SPARQL_UPDATE),
    Case("update:outlives-timeout", "POST", "/update", frozenset({503}), "slow-update.ru", SPARQL_UPDATE),
    Case("sparql:syntax-error", "GET", "/sparql", frozenset({400}), "syntax-error.rq", as_query="query"),
    Case("sparql:update-via-get", "GET", "/sparql", frozenset({400}), "update-on-query.ru",
         as_query="query"),
    Case("sparql:update-via-post", "POST", "/sparql", frozenset({400}), "update-on-query.ru",
         SPARQL_QUERY),
    Case("sparql:update-via-form", "POST", "/sparql", frozenset({400}), "update-on-query.ru", FORM,
         as_query="query"),
    Case("sparql:service-loopback", "GET", "/sparql", frozenset({400}), "service-loopback.rq",
         as_query="query"),
    Case("sparql:service-variable", "GET", "/sparql", frozenset({400}), "service-variable.rq",
         as_query="query"),
    Case("sparql:missing-query", "GET", "/sparql", frozenset({400, 422})),
    Case("sparql:outlives-timeout", "GET", "/sparql", frozenset({503}), "slow.rq", as_query="query"),
]


class Target:
    """The service under test, its tokens and the fingerprint its store must keep."""

    def __init__(self, pool: ServerPool, listener: Listener) -> None:
        self.pool = pool
        self.listener = listener
        self.server: ApiServer | None = None
        self.reader = ""
        self.baseline: Fingerprint | None = None

    def ready(self) -> ApiServer:
        """A live service whose store holds exactly the baseline; a fresh one if need be."""
        if self.server is None or not self.server.alive():
            if self.server is not None:
                self.server.stop()
            self.server = self.pool.start(env=SERVICE_ENV, memory_limit=BOMB_MEMORY_LIMIT)
            self.reader = create_token(self.server.store, "reader")
            self.baseline = fingerprint(self.server.url)
        return self.server

    def discard(self) -> None:
        """Throw the service away (hung, dead or changed); the next case gets a new one."""
        if self.server is not None:
            self.server.kill_hard()
        self.server = None


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory, template_store: Path) -> Iterator[Target]:
    pool = ServerPool(tmp_path_factory.mktemp("bad-input"), template_store)
    listener = Listener()
    try:
        yield Target(pool, listener)
    finally:
        listener.close()
        pool.stop_all()


def _headers(case: Case, target: Target, server: ApiServer) -> dict[str, str]:
    headers = {}
    if case.content_type and not case.as_query:
        headers["Content-Type"] = case.content_type
    tokens = {"editor": server.token, "reader": target.reader,
              "wrong": "aims_" + "0" * 43}
    if case.token in tokens:
        headers["Authorization"] = f"Bearer {tokens[case.token]}"
    return headers


def _send(case: Case, target: Target, server: ApiServer) -> httpx.Response:
    raw = b"" if case.body is None else (
        case.body() if callable(case.body) else corpus_bytes(case.body, target.listener.url))
    params = dict(case.params)
    data = None
    content: bytes | Iterator[bytes] | None = raw if case.body is not None else None
    if case.as_query and case.method == "GET":
        params[case.as_query] = raw.decode("utf-8")
        content = None
    elif case.as_query:
        data, content = {case.as_query: raw.decode("utf-8")}, None
    elif case.chunked:
        content = chunks(raw)
    if case.upload:
        return httpx.request(case.method, server.url + case.path, params=params,
                             files={"file": (case.upload, raw)}, headers=_headers(case, target, server),
                             timeout=REQUEST_TIMEOUT_S)
    return httpx.request(case.method, server.url + case.path, params=params, content=content,
                         data=data, headers=_headers(case, target, server), timeout=REQUEST_TIMEOUT_S)


def _engine_ports(server: ApiServer) -> list[str]:
    """The loopback ports the service's Oxigraph sidecar listens on (from its command line)."""
    ports = []
    for pid in descendants(server.process.pid if server.process else 0):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--bind" in argv:
            ports.append(argv[argv.index(b"--bind") + 1].decode().rsplit(":", 1)[1])
    return ports


def internals_shown(text: str, server: ApiServer, listener_url: str) -> list[str]:
    """Which internals an answer shows.  The listener's address is the client's own
    input (a SERVICE or LOAD target it named), so it may be echoed."""
    text = text.replace(listener_url, "")
    secrets = ["127.0.0.1", "localhost", "Traceback", str(server.store), str(server.store.resolve()),
               *(f":{port}" for port in _engine_ports(server))]
    return [secret for secret in secrets if secret in text]


def _died(server: ApiServer, seconds: float = 3) -> bool:
    """Whether the service is dead, allowing a dying process a moment to be reaped."""
    deadline = time.monotonic() + seconds
    while server.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not server.alive()


def _fingerprint_once_available(server: ApiServer) -> tuple[Fingerprint | None, float, str]:
    """The store's fingerprint as soon as the service serves it again, and how long that took."""
    began = time.monotonic()
    last = ""
    while time.monotonic() - began < RECOVERY_S:
        try:
            return fingerprint(server.url), time.monotonic() - began, ""
        except httpx.HTTPStatusError as error:
            last = f"{error.response.status_code} {error.response.text[:200]}"
        except httpx.HTTPError as error:
            last = f"{type(error).__name__}: {error}"
        time.sleep(0.25)
    return None, time.monotonic() - began, last


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_request_is_refused_clearly_and_changes_nothing(case: Case, target: Target) -> None:
    server = target.ready()
    began = time.monotonic()
    try:
        response = _send(case, target, server)
    except httpx.HTTPError as error:
        state = "died" if _died(server) else "hung"
        target.discard()
        pytest.fail(f"{case}: no answer ({type(error).__name__}: {error}); the service {state}:\n"
                    f"{server.log_errors()}")
    elapsed = time.monotonic() - began
    contacted = list(target.listener.requests)
    target.listener.requests.clear()

    if _died(server, seconds=0.2):
        target.discard()
        pytest.fail(f"{case}: the service died after answering {response.status_code}:\n{server.log_errors()}")
    after, waited, last = _fingerprint_once_available(server)
    if after is None:
        target.discard()
        pytest.fail(f"{case} (answered {response.status_code}): the service could not serve its store "
                    f"for {waited:.0f} s afterwards; last answer: {last}\n{server.log_errors()}")
    if after != target.baseline:
        difference = target.baseline.difference(after)
        target.discard()
        pytest.fail(f"{case}: the store changed ({response.status_code} {response.text[:200]}): {difference}")

    assert not contacted, f"{case}: the service reached out to the loopback listener: {contacted}"
    assert response.status_code in case.statuses, (
        f"{case}: expected {sorted(case.statuses)}, got {response.status_code}: {response.text[:300]}")
    assert response.headers.get("content-type", "").startswith("application/json"), (
        f"{case}: error answer is not JSON: {response.headers.get('content-type')}")
    answer = response.json()
    shown = internals_shown(response.text, server, target.listener.url)
    assert not shown, f"{case}: the answer shows internals {shown}: {response.text[:300]}"
    assert isinstance(answer.get("error"), str) and answer["error"].strip(), f"{case}: no 'error': {answer}"
    assert answer.get("detail"), f"{case}: no 'detail' saying why: {answer}"
    if case.statuses == {503}:
        assert elapsed < QUERY_TIMEOUT_S + 10, f"{case}: the timeout answer took {elapsed:.1f} s"
    assert waited < RECOVERED_S, f"{case}: the service needed {waited:.1f} s to serve its store again"
