"""The example organisation, loaded and classified once, in an embedded and a remote store."""

from __future__ import annotations

from typing import Iterator

import pyoxigraph as ox
import pytest

from aims_graph.classification import classify
from aims_graph.paths import EXAMPLES_DIR
from aims_graph.store import Store, open_store
from tests.conftest import REMOTE_ENGINES, remote_server, store_url

EXAMPLE_GRAPH = "https://w3id.org/aims-graph/graph/example"
HL = "https://example.org/harbourline/"


def load_example(store: Store) -> Store:
    """Load examples/organisation/*.ttl into the example graph and derive the classification."""
    files = sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))
    assert files, "the example organisation is missing"
    for path in files:
        store.load(path.read_bytes(), ox.RdfFormat.TURTLE, EXAMPLE_GRAPH)
    classify(store)
    return store


@pytest.fixture(scope="session")
def example_store() -> Iterator[Store]:
    store = load_example(open_store("memory"))
    yield store
    store.close()


@pytest.fixture(scope="module", params=REMOTE_ENGINES)
def remote_example_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The example organisation on each remote engine in turn (Oxigraph server, Virtuoso)."""
    store = load_example(open_store(store_url(remote_server(request, request.param))))
    yield store
    store.close()


@pytest.fixture(scope="module", params=["embedded", *REMOTE_ENGINES])
def any_example_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """The example organisation in the embedded store, then on each remote engine."""
    if request.param == "embedded":
        yield request.getfixturevalue("example_store")
        return
    store = load_example(open_store(store_url(remote_server(request, request.param))))
    yield store
    store.close()
