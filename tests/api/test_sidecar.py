"""The Oxigraph sidecar: it starts, keeps data across restarts, cleans up, dies with its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import httpx
import pytest

from aims_graph.sidecar import Sidecar
from aims_graph.store import StoreError
from tests.api.conftest import ROOT
from tests.procfs import alive


def ask(sidecar: Sidecar) -> bool:
    response = httpx.get(f"{sidecar.url}/query", params={"query": "ASK { ?s ?p ?o }"},
                         headers={"Accept": "application/sparql-results+json"})
    return response.json()["boolean"]


def test_a_memory_sidecar_keeps_data_across_a_restart_and_cleans_up(tmp_path: Path) -> None:
    sidecar = Sidecar(None, 1).start()
    scratch = sidecar.location
    try:
        httpx.post(f"{sidecar.url}/update", content=b"INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
                   headers={"Content-Type": "application/sparql-update"}).raise_for_status()
        first = sidecar.pid
        sidecar.restart(first)
        assert sidecar.pid != first and not alive(first)
        assert ask(sidecar)
    finally:
        sidecar.stop()
    assert not scratch.exists()


def test_a_locked_directory_is_a_clear_error(tmp_path: Path) -> None:
    with Sidecar(tmp_path / "store", 1):
        with pytest.raises(StoreError, match="exited at start"):
            Sidecar(tmp_path / "store", 1).start()


def test_the_sidecar_dies_with_its_parent(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from aims_graph.sidecar import Sidecar
        sidecar = Sidecar(Path({str(tmp_path / "store")!r}), 1).start()
        print(sidecar.pid, flush=True)
        time.sleep(60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    assert alive(child)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(child), "the sidecar outlived its parent"
