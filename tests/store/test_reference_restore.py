"""A reference graph changed behind the loader's back is restored at the next open, and
the loader says which; a store with the same content is left alone."""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import Callable, TypeVar

import pyoxigraph as ox
import pytest

from aims_graph.knowledge.modules import META_GRAPH, content_digest, discover_modules, ensure_reference
from aims_graph.store import EmbeddedStore, Store, open_store

T = TypeVar("T")
ISO = "https://w3id.org/aims-graph/graph/iso42001"
SHAPES = next(m.graph for m in discover_modules() if m.name.startswith("shapes-"))


def tamper(store: Store) -> None:
    """Change two reference graphs without changing their sizes or the meta graph."""
    store.update(f"""
        DELETE {{ GRAPH <{ISO}> {{ ?c <http://www.w3.org/2004/02/skos/core#notation> "6.1.2" }} }}
        INSERT {{ GRAPH <{ISO}> {{ ?c <http://www.w3.org/2004/02/skos/core#notation> "6.1.2-forged" }} }}
        WHERE {{ GRAPH <{ISO}> {{ ?c <http://www.w3.org/2004/02/skos/core#notation> "6.1.2" }} }}""")
    # INSERT ... WHERE {} rather than INSERT DATA: Virtuoso refuses blank nodes in DATA.
    store.update(f"INSERT {{ GRAPH <{SHAPES}> {{ <urn:forged:s> <urn:forged:p> [] }} }} WHERE {{}}")


def in_process_run(open_: Callable[[], Store], work: Callable[[Store], T]) -> T:
    """Open a directory store, work on it and let it go, as one process run would (the
    store's lock is released only when pyoxigraph's store is collected)."""
    store = open_()
    result = work(store)
    store.close()
    del store
    gc.collect()
    return result


def test_a_changed_reference_graph_is_restored_at_the_next_open(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    location = tmp_path / "store"

    def record_then_tamper(store: Store) -> tuple[dict[str, str], bytes]:
        digests = {graph: content_digest(store, graph) for graph in (ISO, SHAPES)}
        meta = store.dump(ox.RdfFormat.N_TRIPLES, META_GRAPH)
        tamper(store)
        return digests, meta

    digests, meta = in_process_run(lambda: open_store(str(location)), record_then_tamper)
    # Without the loader, the change survives a restart.
    assert in_process_run(lambda: EmbeddedStore(location), lambda s: content_digest(s, ISO)) != digests[ISO]
    with caplog.at_level(logging.WARNING, logger="aims_graph.knowledge.modules"):
        after, meta_after = in_process_run(lambda: open_store(str(location)), lambda s: (
            {graph: content_digest(s, graph) for graph in (ISO, SHAPES)}, s.dump(ox.RdfFormat.N_TRIPLES, META_GRAPH)))
    assert after == digests and meta_after == meta
    restored = [r.getMessage() for r in caplog.records if "differs" in r.getMessage()]
    assert len(restored) == 2 and any(ISO in m for m in restored) and any(SHAPES in m for m in restored)


def test_the_check_is_the_same_on_a_remote_endpoint(any_store: Store) -> None:
    assert ensure_reference(any_store) == []  # blank-node labels as the endpoint gives them: no change
    tamper(any_store)
    assert sorted(ensure_reference(any_store)) == sorted(
        m.name for m in discover_modules() if m.graph in {ISO, SHAPES})
    assert ensure_reference(any_store) == []


def test_force_rewrites_every_module(any_store: Store) -> None:
    assert len(ensure_reference(any_store, force=True)) == len(discover_modules())
    assert ensure_reference(any_store) == []
