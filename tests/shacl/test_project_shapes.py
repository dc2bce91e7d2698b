"""The project's own shapes on the example organisation: same results as pySHACL,
and every shape compiled (none left to the slow fallback)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest

from aims_graph.paths import EXAMPLES_DIR, ONTOLOGY_DIR, SHAPES_DIR
from aims_graph.shacl import validate
from aims_graph.shacl.model import Index
from aims_graph.shacl.terms import triples_to_rdflib

from .keys import keys, ox_triples, pyshacl_keys

DATA_FILES = sorted((EXAMPLES_DIR / "organisation").glob("*.ttl")) + [ONTOLOGY_DIR / "aims.ttl"]
SHAPE_FILES = sorted(SHAPES_DIR.glob("*.ttl"))


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for file in DATA_FILES:
        store.load(path=str(file), format=ox.RdfFormat.TURTLE, base_iri=file.as_uri())
    return store


def test_there_is_something_to_check():
    assert SHAPE_FILES and len(DATA_FILES) > 1


@pytest.mark.parametrize("shapes_file", SHAPE_FILES, ids=lambda p: p.name)
def test_project_shapes_match_pyshacl_on_the_example(store: ox.Store, shapes_file: Path):
    shapes = list(ox.parse(path=str(shapes_file), format=ox.RdfFormat.TURTLE, base_iri=shapes_file.as_uri()))
    report = validate(shapes, store)
    assert report.fallbacks == []
    data = triples_to_rdflib(store)  # the data as the store holds it (see docs/shacl-engine.md)
    shapes_graph = triples_to_rdflib(shapes)
    _, pyshacl_report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=False, inference="none")
    index = Index([*ox_triples(data), *shapes])
    assert keys(report.results, index) == pyshacl_keys(pyshacl_report, index)
