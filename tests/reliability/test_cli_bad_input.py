"""The command line refuses the same corpus: exit status 2, one clear line, store unchanged.

``aims-graph load`` reads each hostile or broken file into a directory store; the
command must stop with status 2 and a one-line ``error:`` naming the file, fetch
nothing (the loopback listener stays silent), and leave the store's canonical content
as it was.  ``aims-graph sparql`` must refuse a malformed query and an update.  The
bounded run takes one file of each kind of attack; the full run takes them all.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.reliability.conftest import full_mode
from tests.reliability.corpus import CORPUS, corpus_bytes, deeply_nested_jsonld
from tests.reliability.fingerprint import Fingerprint, fingerprint_of
from tests.reliability.listener import Listener
from tests.reliability.server import run_cli_under_limit, without_backtrace

GRAPH = "https://test.aims-graph.example/graph/cli-bad-input"
GENERATED = {"deeply-nested.jsonld": deeply_nested_jsonld}
_ALL_FILES = sorted(
    [p.name for p in CORPUS.iterdir() if p.suffix in {".ttl", ".nt", ".rdf", ".jsonld"} and p.name != "valid.ttl"]
    + list(GENERATED))
_BOUNDED_FILES = ["malformed.ttl", "invalid-iri.ttl", "xxe-http.rdf", "billion-laughs.rdf",
                  "remote-context.jsonld", "deeply-nested.jsonld"]
FILES = _ALL_FILES if full_mode() else _BOUNDED_FILES
QUERIES = ["syntax-error.rq", "update-on-query.ru"]


def store_fingerprint(store: Path) -> Fingerprint:
    """Read the directory directly (read-only): no service is running on it."""
    opened = ox.Store.read_only(str(store))
    output = io.BytesIO()
    opened.dump(output, format=ox.RdfFormat.N_QUADS)
    del opened  # releases the RocksDB handle before the next command opens the store
    return fingerprint_of(output.getvalue())


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory, template_store: Path) -> tuple[Path, Fingerprint]:
    store = tmp_path_factory.mktemp("cli-bad-input") / "store"
    shutil.copytree(template_store, store)
    return store, store_fingerprint(store)


def _one_error_line(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), f"expected one 'error:' line, got:\n{stderr}"
    return lines[0]


@pytest.mark.parametrize("name", FILES)
def test_load_refuses_bad_file_and_changes_nothing(name: str, cli_store, listener: Listener,
                                                   tmp_path: Path) -> None:
    store, baseline = cli_store
    path = tmp_path / name
    path.write_bytes(GENERATED[name]() if name in GENERATED else corpus_bytes(name, listener.url))
    done = run_cli_under_limit(store, "load", str(path), "--graph", GRAPH)
    assert done.returncode == 2, (f"{name}: exit status {done.returncode}, expected 2\n"
                                  f"stdout: {done.stdout[-500:]}\nstderr: {without_backtrace(done.stderr)[:1500]}")
    line = _one_error_line(done.stderr)
    assert name in line, f"{name}: the error does not name the file: {line}"
    assert not listener.requests, f"{name}: the command reached out to the listener: {listener.requests}"
    after = store_fingerprint(store)
    assert after == baseline, f"{name}: the store changed: {baseline.difference(after)}"


@pytest.mark.parametrize("name", QUERIES)
def test_sparql_refuses_bad_query(name: str, cli_store) -> None:
    store, baseline = cli_store
    done = run_cli_under_limit(store, "sparql", f"@{CORPUS / name}")
    assert done.returncode == 2, f"{name}: exit status {done.returncode}\n{done.stdout[-300:]}{done.stderr[-500:]}"
    _one_error_line(done.stderr)
    after = store_fingerprint(store)
    assert after == baseline, f"{name}: the store changed: {baseline.difference(after)}"
