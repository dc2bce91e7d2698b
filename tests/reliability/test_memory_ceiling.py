"""No single request within the body limit grows the service by more than 512 MB resident.

For each kind of input (a SPARQL query, RDF in each syntax, JSON-LD bombs, spreadsheets)
one request goes to a real service (uvicorn and its Oxigraph sidecar) while a sampler
sums the resident memory (``VmRSS`` in ``/proc/<pid>/status``) of every process of the
service every 20 ms.  The test asserts the peak growth over the baseline stays under the
ceiling, and that memory comes back afterwards (the growth left 3 s after the answer is
under half the ceiling).  The bounded form sends bodies of about 5 MB, the full form the
largest RDF body the service accepts (the byte limit or the per-write quad limit,
whichever comes first); the figures go to the results file and docs/reliability.md.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import httpx
import pytest

from aims_graph.api.settings import Settings
from tests.reliability.conftest import Budget, ServerPool, full_mode
from tests.reliability.corpus import (
    deeply_nested_rdfxml,
    jsonld_context_bomb,
    long_iri_turtle,
    wide_workbook,
)
from tests.reliability.results import record
from tests.reliability.server import ApiServer

CEILING_MB = 512
SETTLE_S = 3
MIB = 1024 * 1024
BODY_LIMIT = Settings.max_body_bytes
QUAD_LIMIT = Settings.max_quads_per_write


def resident_mb(pids: list[int]) -> float:
    """The summed resident memory of ``pids`` in MB (processes that ended count 0)."""
    total_kb = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


class Sampler:
    """The peak of ``resident_mb`` over the service's processes while a request runs."""

    def __init__(self, server: ApiServer) -> None:
        self.server = server
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, resident_mb(self.server.processes()))
            time.sleep(0.02)

    def __enter__(self) -> "Sampler":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def _size() -> int:
    return BODY_LIMIT - MIB if full_mode() else 5 * MIB


def _count(size: int, item: bytes) -> int:
    """How many items (one quad each) make the largest body the service accepts: within
    ``size`` bytes and within the per-write quad limit (a body over it is refused unread)."""
    return min(size // len(item), QUAD_LIMIT - 100)


def _ntriples(size: int) -> bytes:
    line = b'<https://example.org/s%09d> <https://example.org/p> "a value of some length, like a note" .\n'
    count = _count(size, line % 0)
    return b"".join(line % n for n in range(count))


def _turtle(size: int) -> bytes:
    return b"@prefix ex: <https://example.org/> .\n" + _ntriples(size - 64)


def _jsonld(size: int) -> bytes:
    item = b'{"@id": "ex:s%09d", "ex:p": "a value of some length, like a note"}'
    count = _count(size, item % 0 + b",")
    return (b'{"@context": {"ex": "https://example.org/"}, "@graph": ['
            + b",".join(item % n for n in range(count)) + b"]}")


def _rdfxml(size: int) -> bytes:
    item = (b'<rdf:Description rdf:about="https://example.org/s%09d">'
            b"<ex:p>a value of some length, like a note</ex:p></rdf:Description>\n")
    count = _count(size, item % 0)
    return (b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            b'xmlns:ex="https://example.org/">\n' + b"".join(item % n for n in range(count)) + b"</rdf:RDF>\n")


def _csv(size: int) -> bytes:
    row = b"system-%09d,Owner name,a description of some length,high\n"
    return b"name,owner,description,risk\n" + b"".join(row % n for n in range(size // len(row % 0)))


@dataclass(frozen=True)
class Kind:
    name: str
    method: str
    path: str
    make: Callable[[], bytes]
    media: str | None = None
    upload: str | None = None
    query: str | None = None


GRAPH = "https://test.aims-graph.example/graph/memory"
KINDS = [
    Kind("sparql-sorted-cross-product", "POST", "/sparql", lambda: b"", query=(
        "SELECT ?a ?b ?c ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 10")),
    Kind("turtle", "PUT", "/store", lambda: _turtle(_size()), "text/turtle"),
    Kind("ntriples", "PUT", "/store", lambda: _ntriples(_size()), "application/n-triples"),
    Kind("rdfxml", "PUT", "/store", lambda: _rdfxml(_size()), "application/rdf+xml"),
    Kind("jsonld", "PUT", "/store", lambda: _jsonld(_size()), "application/ld+json"),
    Kind("jsonld-context-bomb", "POST", "/import", jsonld_context_bomb, "application/ld+json"),
    Kind("rdfxml-deep", "POST", "/import", deeply_nested_rdfxml, "application/rdf+xml"),
    Kind("turtle-30-mb-iri", "PUT", "/store", long_iri_turtle, "text/turtle"),
    Kind("xlsx-wide", "POST", "/import", wide_workbook, upload="inventory.xlsx"),
    Kind("csv", "POST", "/import", lambda: _csv(_size()), upload="inventory.csv"),
]


def _send(server: ApiServer, kind: Kind, body: bytes) -> httpx.Response:
    if kind.query is not None:
        return httpx.post(server.url + kind.path, data={"query": kind.query},
                          headers={"Accept": "application/sparql-results+json"}, timeout=300)
    if kind.upload:
        return httpx.post(server.url + kind.path, files={"file": (kind.upload, body)}, headers=server.auth,
                          timeout=300)
    return httpx.request(kind.method, server.url + kind.path, params={"graph": GRAPH}, content=body,
                         headers={**server.auth, "Content-Type": kind.media or ""}, timeout=300)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, template_store: Path) -> Iterator[ApiServer]:
    """One service for every kind: each test measures from its own baseline."""
    pool = ServerPool(tmp_path_factory.mktemp("memory"), template_store)
    yield pool.start(env={"AIMS_GRAPH_QUERY_TIMEOUT": "5"})
    pool.stop_all()


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
def test_one_request_stays_under_the_memory_ceiling(kind: Kind, server: ApiServer, budget: Budget) -> None:
    body = kind.make()
    time.sleep(1)
    baseline = resident_mb(server.processes())
    began = time.monotonic()
    with Sampler(server) as sampler:
        response = _send(server, kind, body)
    seconds = time.monotonic() - began
    del body
    time.sleep(SETTLE_S)
    after = resident_mb(server.processes())
    figures = {"status": response.status_code, "seconds": round(seconds, 2),
               "baseline_mb": round(baseline), "peak_growth_mb": round(sampler.peak - baseline),
               "growth_after_mb": round(after - baseline)}
    if response.status_code >= 400:
        figures["error"] = response.json().get("error") if response.headers.get("content-type") == "application/json" \
            else response.text[:80]
    record(budget.mode, f"memory_ceiling:{kind.name}", figures)

    assert server.alive(), f"{kind.name}: the service died:\n{server.log_errors()}"
    assert response.status_code < 500 or response.status_code == 503, (
        f"{kind.name}: {response.status_code} {response.text[:300]}")
    assert sampler.peak - baseline < CEILING_MB, f"{kind.name}: {figures}"
    assert after - baseline < CEILING_MB / 2, f"{kind.name}: memory did not come back: {figures}"
    assert httpx.get(server.url + "/health", timeout=30).status_code == 200
