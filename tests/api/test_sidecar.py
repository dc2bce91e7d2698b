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

from aims_graph.serving.sidecar import Sidecar
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
        from aims_graph.serving.sidecar import Sidecar
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


def _put(sidecar: Sidecar, graph: str, quads: int) -> httpx.Response:
    body = "".join(f'<urn:s{n}> <urn:p> "a value of some length, like a note {n}" .\n' for n in range(quads))
    return httpx.put(f"{sidecar.url}/store", params={"graph": graph}, content=body.encode(),
                     headers={"Content-Type": "application/n-triples"}, timeout=120)


def test_the_memory_watch_spares_a_write_and_counts_from_what_it_leaves(tmp_path: Path) -> None:
    """A bounded write once made the engine grow past the watch's limit, so the watch killed
    it mid-write (503 and a lost write); the same write outside ``writing`` still trips it."""
    sidecar = Sidecar(None, 30, memory_growth_mb=40).start()
    try:
        with sidecar.writing():
            assert _put(sidecar, "urn:g", 50_000).status_code in (201, 204)
        time.sleep(0.5)  # the watch samples every 20 ms: it has seen the grown engine
        assert sidecar.memory_restarts == 0 and ask(sidecar)
        try:
            _put(sidecar, "urn:h", 50_000)
        except httpx.HTTPError:
            pass  # the engine may be killed while it answers
        deadline = time.monotonic() + 10
        while sidecar.memory_restarts == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sidecar.memory_restarts == 1
    finally:
        sidecar.stop()
