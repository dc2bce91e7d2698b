"""Stores holding the example organisation, shared by the conformance tests."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
import pytest

from aims_graph.paths import EXAMPLES_DIR
from aims_graph.store import Store, open_store

EXAMPLE_GRAPH = "https://w3id.org/aims-graph/graph/example"
HL = "https://example.org/harbourline/"


def load_example(store: Store) -> None:
    for path in sorted((EXAMPLES_DIR / "organisation").glob("*.ttl")):
        store.load(path.read_bytes(), ox.RdfFormat.TURTLE, EXAMPLE_GRAPH)


@pytest.fixture(scope="module")
def example_store() -> Iterator[Store]:
    """A memory store with the reference knowledge and Harbourline (read-only in tests)."""
    with open_store("memory") as store:
        load_example(store)
        yield store


@pytest.fixture
def fresh_example_store() -> Iterator[Store]:
    """A store of its own, for tests that write (classification)."""
    with open_store("memory") as store:
        load_example(store)
        yield store


def example_file(name: str) -> Path:
    return EXAMPLES_DIR / name
