"""Fixtures for the HTTP service: an app on a real sidecar, tokens, and live uvicorn servers."""

from __future__ import annotations

import subprocess
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aims_graph.api.main import create_app
from aims_graph.api.settings import Settings
from aims_graph.knowledge.modules import reference_graphs
from aims_graph.serving.ports import free_port, stop_process, wait_until_up
from aims_graph.serving.tokens import Role, TokenFile
from tests.command_line import CLI, cli_environment
from tests.conftest import REMOTE_ENGINES, remote_server, store_url
from tests.reliability.fingerprint import Fingerprint, fingerprint_of

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_GRAPH = "https://w3id.org/aims-graph/graph/example"


@dataclass(frozen=True)
class Tokens:
    file: Path
    reader: str
    editor: str
    admin: str

    def header(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, role)}"}


def make_tokens(path: Path) -> Tokens:
    tokens = TokenFile(path)
    secrets = {role: tokens.create(role, "test")[1] for role in Role}
    return Tokens(path, secrets[Role.READER], secrets[Role.EDITOR], secrets[Role.ADMIN])


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Tokens:
    return make_tokens(tmp_path_factory.mktemp("tokens") / "tokens.json")


@pytest.fixture(scope="module")
def settings(tokens: Tokens) -> Settings:
    return Settings(store="memory", query_timeout_s=2, tokens_file=tokens.file)


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    """The service on a memory store, behind its real Oxigraph sidecar."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def app_client(settings: Settings, **changes: object) -> TestClient:
    """A client on a differently configured service; use it as a context manager."""
    return TestClient(create_app(replace(settings, **changes)))


class LiveServer:
    """``aims-graph serve`` in a subprocess on a free loopback port."""

    def __init__(self, store: str, env: dict[str, str], cwd: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [*CLI, "--store", store, "serve", "--port", str(self.port)],
            cwd=cwd, env=cli_environment(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.url + "/health", self.process, seconds=60)

    def stop(self) -> None:
        stop_process(self.process, grace_s=20)


@contextmanager
def live_service(tokens: Tokens, tmp_path_factory: pytest.TempPathFactory, name: str,
                 **env: str) -> Iterator[LiveServer]:
    """``aims-graph serve`` on a fresh directory store with the test tokens and ``env``
    (setting name -> value), stopped afterwards: for modules that need a server of their own."""
    live = LiveServer(str(tmp_path_factory.mktemp(name) / "store"),
                      {"AIMS_GRAPH_TOKENS_FILE": str(tokens.file), **env}, ROOT)
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module", params=["embedded", *REMOTE_ENGINES])
def live_server(request: pytest.FixtureRequest, tokens: Tokens,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real server on a directory store (with its sidecar), then on each remote engine."""
    env = {"AIMS_GRAPH_TOKENS_FILE": str(tokens.file), "AIMS_GRAPH_QUERY_TIMEOUT": "2"}
    if request.param == "embedded":
        store = str(tmp_path_factory.mktemp("live") / "store")
    else:
        store = store_url(remote_server(request, request.param))
    server = LiveServer(store, env, ROOT)
    yield server
    server.stop()


def reference_fingerprint(client: TestClient) -> Fingerprint:
    """The reference graphs as the service serves them (whole dataset, then only their quads)."""
    dataset = client.get("/store", headers={"Accept": "application/n-quads"})
    assert dataset.status_code == 200, dataset.text
    reference = {ox.NamedNode(graph) for graph in reference_graphs()}
    kept = ox.Dataset(q for q in ox.parse(dataset.content, format=ox.RdfFormat.N_QUADS) if q.graph_name in reference)
    return fingerprint_of(ox.serialize(kept, format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def reference_unchanged(client: TestClient) -> Iterator[None]:
    """Asserts after the module's tests that the service's reference graphs are exactly as before."""
    before = reference_fingerprint(client)
    yield
    after = reference_fingerprint(client)
    assert after == before, before.difference(after)
