"""Query timeouts are real: the answer is 503 in time, the engine's CPU is freed, others are served.

Two heavy queries, because Oxigraph stops them differently: a two-way cross product
under COUNT is cancelled by Oxigraph's own ``--timeout-s``; a three-way one is not (it
checks its flag too rarely), so the service restarts the sidecar.  Both must satisfy
the same promise.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from aims_graph.serving.sidecar import Sidecar
from aims_graph.api.settings import Settings
from tests.api.conftest import LiveServer, Tokens, app_client, live_service
from tests.procfs import processes

TIMEOUT_S = 2
CHEAP = "ASK { ?s ?p ?o }"
CANCELLED_BY_OXIGRAPH = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
NEEDS_A_RESTART = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def oxigraph_processes(parent: int) -> list[int]:
    """The sidecar(s) below the server process."""
    return [pid for pid, (name, ppid) in processes().items() if name == "oxigraph" and ppid == parent]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process; 0 once it is gone (it uses no more)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    if fields[0] in {"Z", "X"}:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / 100


@pytest.fixture(scope="module")
def server(tokens: Tokens, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_service(tokens, tmp_path_factory, "timeout", AIMS_GRAPH_QUERY_TIMEOUT=str(TIMEOUT_S), AIMS_GRAPH_UPDATE_TIMEOUT=str(TIMEOUT_S)) as live:
        yield live


@pytest.mark.parametrize("heavy", [CANCELLED_BY_OXIGRAPH, NEEDS_A_RESTART])
def test_a_heavy_query_times_out_frees_the_cpu_and_others_are_served(server: LiveServer, heavy: str) -> None:
    sidecars = oxigraph_processes(server.process.pid)
    assert len(sidecars) == 1
    outcome: dict[str, object] = {}

    def run_heavy() -> None:
        started = time.monotonic()
        response = httpx.get(server.url + "/sparql", params={"query": heavy}, timeout=60)
        outcome.update(status=response.status_code, body=response.json(),
                       seconds=time.monotonic() - started, done=time.monotonic())

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.5)
    cheap = httpx.get(server.url + "/sparql", params={"query": CHEAP}, timeout=10)
    cheap_done = time.monotonic()
    thread.join(timeout=30)

    assert cheap.status_code == 200 and cheap.json()["boolean"] is True
    assert cheap_done < outcome["done"], "the cheap query waited for the heavy one"
    assert outcome["status"] == 503
    assert outcome["body"]["error"] == "query timeout"
    assert outcome["seconds"] <= TIMEOUT_S + 1

    time.sleep(max(0.0, outcome["done"] + 1 - time.monotonic()))
    watched = set(sidecars) | set(oxigraph_processes(server.process.pid))
    before = sum(cpu_seconds(pid) for pid in watched)
    time.sleep(1.0)
    after = sum(cpu_seconds(pid) for pid in watched)
    assert after - before < 0.1, f"the engine still burns CPU: {after - before:.2f} s in 1 s"

    again = httpx.get(server.url + "/sparql", params={"query": CHEAP}, timeout=10)
    assert again.status_code == 200


def test_a_store_restarted_after_a_timeout_keeps_its_data(server: LiveServer, tokens: Tokens) -> None:
    graph = "https://example.org/timeout/kept"
    put = httpx.put(server.url + "/store", params={"graph": graph}, content=b"<urn:a> <urn:b> <urn:c> .",
                    headers={**tokens.header("editor"), "Content-Type": "application/n-triples"})
    assert put.status_code == 201
    timed_out = httpx.get(server.url + "/sparql", params={"query": NEEDS_A_RESTART}, timeout=60)
    assert timed_out.status_code == 503
    kept = httpx.get(server.url + "/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    assert kept.status_code == 200 and b"<urn:a>" in kept.content, kept.text


def test_a_heavy_update_is_stopped_and_rolled_back(server: LiveServer, tokens: Tokens) -> None:
    graph = "https://example.org/timeout/heavy"
    update = f"INSERT {{ GRAPH <{graph}> {{ ?a ?b ?i }} }} WHERE {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }}"
    started = time.monotonic()
    response = httpx.post(server.url + "/update", content=update, timeout=60,
                          headers={**tokens.header("editor"), "Content-Type": "application/sparql-update"})
    assert response.status_code == 503 and response.json()["error"] == "query timeout"
    assert time.monotonic() - started <= TIMEOUT_S + 1
    assert httpx.get(server.url + "/store", params={"graph": graph}).status_code == 404


@pytest.mark.parametrize("heavy", [CANCELLED_BY_OXIGRAPH, NEEDS_A_RESTART])
def test_on_a_remote_store_the_client_timeout_answers_503(heavy: str, tmp_path: Path) -> None:
    """No sidecar for a remote endpoint: the service answers 503 in time either way; the
    endpoint's own limit (here Oxigraph's --timeout-s) decides when its work stops."""
    with Sidecar(tmp_path / "remote", TIMEOUT_S) as remote:
        with app_client(Settings(store=remote.url, query_timeout_s=TIMEOUT_S)) as client:
            started = time.monotonic()
            response = client.get("/sparql", params={"query": heavy})
            assert response.status_code == 503 and response.json()["error"] == "query timeout"
            assert time.monotonic() - started <= TIMEOUT_S + 1
            assert remote.restarts == 0  # a remote endpoint is never restarted by the service
            assert client.get("/sparql", params={"query": CHEAP}).status_code == 200
