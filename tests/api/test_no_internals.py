"""Answers carry no internals: no engine address or port, no store or token-file path.

Reproduced before the fix: a request in flight when the sidecar died answered 503 with
``the SPARQL engine at http://127.0.0.1:<port>/query failed``; ``/health`` answered the
store's directory; a write to a server without tokens named the store's path.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from aims_graph.api.main import create_app
from aims_graph.api.settings import Settings

# Counting a three-way cross product keeps the engine busy well past the kill below.
BUSY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("internals") / "store"


@pytest.fixture(scope="module")
def service(store_dir: Path) -> Iterator[TestClient]:
    # A token file that does not exist yet: the service is read-only, and its refusal
    # of a write explains how to create a token.
    settings = Settings(store=str(store_dir), query_timeout_s=4,
                        tokens_file=store_dir.parent / "tokens.json")
    with TestClient(create_app(settings)) as client:
        yield client


def secrets_of(client: TestClient, store_dir: Path) -> list[str]:
    sidecar = client.app.state.sidecar
    return ["127.0.0.1", f":{sidecar.port}", str(sidecar.port), str(store_dir),
            os.path.realpath(store_dir), "tokens.json", "Traceback"]


def assert_no_internals(text: str, secrets: list[str]) -> None:
    shown = [secret for secret in secrets if secret in text]
    assert not shown, f"the answer shows {shown}: {text[:400]}"


def test_health_reports_state_not_paths(service: TestClient, store_dir: Path) -> None:
    response = service.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "store": "directory", "engine": "answering", "writable": False}
    assert_no_internals(response.text, secrets_of(service, store_dir))


def test_read_only_refusal_names_no_path(service: TestClient, store_dir: Path) -> None:
    response = service.put("/store", params={"graph": "https://example.org/g"},
                           content=b"<https://example.org/s> <https://example.org/p> 1 .",
                           headers={"Content-Type": "text/turtle"})
    assert response.status_code == 403
    assert "token create" in response.json()["detail"]
    assert_no_internals(response.text, secrets_of(service, store_dir))


def test_engine_dying_mid_query_answers_503_without_its_address(service: TestClient, store_dir: Path) -> None:
    service.post("/sparql", data={"query": "ASK {}"})  # the engine is up
    secrets = secrets_of(service, store_dir)
    sidecar = service.app.state.sidecar
    answers: list = []
    thread = threading.Thread(target=lambda: answers.append(
        service.get("/sparql", params={"query": BUSY})))
    thread.start()
    time.sleep(1.0)
    os.kill(sidecar.pid, signal.SIGKILL)
    thread.join(timeout=30)

    response = answers[0]
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "store unavailable"
    assert response.headers["retry-after"] == "1"
    assert_no_internals(response.text, secrets)
    sidecar.wait_running()
    health = service.get("/health")
    assert health.status_code == 200, health.text
