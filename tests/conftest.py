"""Fixtures shared by the whole suite: real servers, started and stopped by the tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from aims_graph.serving.ports import free_port, stop_process, wait_until_up
from aims_graph.store import Store, open_store
from tests.engine_reset import drop_written_graphs
from tests.virtuoso import VirtuosoServer

BIN = Path(sys.executable).parent

# `make test` runs the suite on several workers (pytest-xdist, ``--dist loadgroup``).  A module's
# tests stay together on one worker, so that module-scoped fixtures (a started service, a bench
# run) are built once; the modules named here hold many independent cases over cheap fixtures
# and are dealt out in this many groups, so that no one module is the run's long tail.
SPREAD_MODULES = {
    "tests/shapes/test_shapes.py": 4,
    "tests/conformance/test_cli.py": 3,
    "tests/conformance/test_w3c_shacl.py": 2,
    "tests/conformance/test_classification.py": 2,
    "tests/reliability/test_memory_ceiling.py": 2,
    "tests/reliability/test_bad_input.py": 2,
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for index, item in enumerate(items):
        module = item.nodeid.split("::", 1)[0]
        groups = SPREAD_MODULES.get(module)
        name = f"{module}#{index % groups}" if groups else module
        item.add_marker(pytest.mark.xdist_group(name))


class OxigraphServer:
    """A real Oxigraph SPARQL server (from the ``oxigraph`` package) on a free loopback port."""

    def __init__(self, location: Path) -> None:
        executable = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
        if executable is None:
            raise RuntimeError("the oxigraph server binary is missing: install the test extras")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [executable, "serve", "--location", str(location), "--bind",
             f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until_up(self.url + "/query?query=ASK%7B%7D", self.process)

    def clear(self) -> None:
        """Drop what the tests wrote and keep the reference graphs (see ``drop_written_graphs``)."""
        drop_written_graphs(self.url + "/query", self.url + "/update", also="CLEAR SILENT DEFAULT")

    def stop(self) -> None:
        stop_process(self.process, grace_s=10)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """One Virtuoso 7 for the session (it starts in about 3 s); a missing binary fails."""
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


REMOTE_ENGINES = ("oxigraph", "virtuoso")
"""The SPARQL engines every remote-store test runs on, each a real server the tests start."""


def remote_server(request: pytest.FixtureRequest, engine: str) -> OxigraphServer | VirtuosoServer:
    """The session's server for ``engine``, emptied of what earlier tests wrote."""
    server: OxigraphServer | VirtuosoServer = request.getfixturevalue(f"{engine}_server")
    server.clear()
    return server


def store_url(server: OxigraphServer | VirtuosoServer) -> str:
    """The URL a user gives ``--store`` for this server (Virtuoso: its ``/sparql`` endpoint)."""
    return server.url + "/sparql" if isinstance(server, VirtuosoServer) else server.url


@pytest.fixture(params=["embedded", *REMOTE_ENGINES])
def any_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The same test runs against the embedded store and each real remote engine."""
    if request.param == "embedded":
        store = open_store("memory")
    else:
        store = open_store(store_url(remote_server(request, request.param)))
    yield store
    store.close()
