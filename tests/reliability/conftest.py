"""Budgets and servers for the reliability tests.

``make test`` runs these tests in a bounded form (a couple of minutes on two cores);
``make reliability`` sets ``AIMS_GRAPH_RELIABILITY=full`` for more clients, longer runs
and more fuzzing.  Every server a test starts is stopped by its fixture, also when the
test fails, and lives in a temporary directory of its own.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.reliability.listener import Listener
from tests.reliability.server import ApiServer, create_token, run_cli_under_limit


@dataclass(frozen=True)
class Budget:
    """How hard each test pushes (the CLI corpus and the fuzzing seed also follow the mode)."""

    mode: str
    load_clients: int
    load_seconds: float
    crash_writers: int
    crash_rounds: int
    crash_writes_before_kill: int
    fuzz_examples: int
    fuzz_seconds: int


BOUNDED = Budget(mode="bounded", load_clients=50, load_seconds=12, crash_writers=12,
                 crash_rounds=1, crash_writes_before_kill=60, fuzz_examples=20, fuzz_seconds=60)
FULL = Budget(mode="full", load_clients=200, load_seconds=120, crash_writers=40,
              crash_rounds=5, crash_writes_before_kill=400, fuzz_examples=200, fuzz_seconds=900)


def full_mode() -> bool:
    """``AIMS_GRAPH_RELIABILITY=full`` (``make reliability``); also read when collecting cases."""
    return os.environ.get("AIMS_GRAPH_RELIABILITY", "").strip().lower() == "full"


@pytest.fixture(scope="session")
def budget() -> Budget:
    return FULL if full_mode() else BOUNDED


@pytest.fixture(scope="session")
def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the reference knowledge loaded once; tests copy it instead of rebuilding."""
    store = tmp_path_factory.mktemp("template") / "store"
    done = run_cli_under_limit(store, "info")
    assert done.returncode == 0, done.stderr
    return store


class ServerPool:
    """Starts services on private copies of the template store and stops them all.

    ``start(env={...})`` starts on a new copy; ``start(store=DIR, token=T)`` restarts on
    an existing store (after a crash, say) on a new port; ``memory_limit`` caps the
    address space of the service and its sidecar (for servers that receive bombs).
    """

    def __init__(self, directory: Path, template: Path) -> None:
        self.directory = directory
        self.template = template
        self.started: list[ApiServer] = []

    def start(self, env: dict[str, str] | None = None, store: Path | None = None,
              token: str | None = None, memory_limit: int | None = None) -> ApiServer:
        number = len(self.started)
        if store is None:
            store = self.directory / f"store-{number}"
            shutil.copytree(self.template, store)
        server = ApiServer(store=store, log=self.directory / f"server-{number}.log",
                           env=env or {}, token=token or create_token(store), memory_limit=memory_limit)
        self.started.append(server)
        return server.start()

    def stop_all(self) -> None:
        errors = []
        for server in self.started:
            try:
                server.stop()
            except RuntimeError as error:
                errors.append(str(error))
        assert not errors, errors


@pytest.fixture
def start_server(tmp_path: Path, template_store: Path) -> Iterator[Callable[..., ApiServer]]:
    """``ServerPool.start`` for one test; every server it started is stopped afterwards."""
    pool = ServerPool(tmp_path, template_store)
    yield pool.start
    pool.stop_all()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()
