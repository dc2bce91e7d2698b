"""One contract, two stores: every case runs on pyoxigraph in-process and on a real Oxigraph server."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from aims_graph.errors import InputError
from aims_graph.knowledge.modules import META_GRAPH, discover_modules, ensure_reference
from aims_graph.rdf import io as rdf_io
from aims_graph.store import DEFAULT_DATA_GRAPH, Store

DATA = b"""@prefix ex: <https://example.org/t/> .
@prefix aims: <https://w3id.org/aims-graph/ontology#> .
ex:sys1 a aims:AISystem ; ex:name "Credit scorer"@en ; ex:score 42 ;
    ex:uses [ ex:label "anonymous dataset" ] .
"""
GRAPH = "https://example.org/graph/test"


def snapshot(store: Store) -> tuple[int, list[str], str]:
    """What a store holds, independent of blank-node labels: size, graphs, test-graph content."""
    graph = rdflib.Graph().parse(data=store.dump(ox.RdfFormat.N_TRIPLES, GRAPH), format="nt")
    from rdflib.compare import to_canonical_graph

    canonical = sorted(to_canonical_graph(graph).serialize(format="nt").splitlines())
    return len(store), store.named_graphs(), "\n".join(canonical)


def count(store: Store, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(result))["n"].value)


def test_reference_knowledge_is_loaded_once(any_store: Store) -> None:
    graphs = set(any_store.named_graphs())
    assert {m.graph for m in discover_modules()} <= graphs
    assert META_GRAPH in graphs
    assert ensure_reference(any_store) == []  # idempotent: nothing rewritten


def test_queries_see_the_union_of_graphs(any_store: Store) -> None:
    any_store.load(DATA, ox.RdfFormat.TURTLE, GRAPH)
    answer = any_store.query(
        "SELECT ?s WHERE { ?s a <https://w3id.org/aims-graph/ontology#AISystem> }"
    )
    assert [row["s"].value for row in answer] == ["https://example.org/t/sys1"]


def test_triples_without_a_graph_go_to_the_data_graph(any_store: Store) -> None:
    any_store.load(DATA, ox.RdfFormat.TURTLE)
    assert count(any_store, DEFAULT_DATA_GRAPH) == 5


def test_a_broken_file_changes_nothing(any_store: Store) -> None:
    any_store.load(DATA, ox.RdfFormat.TURTLE, GRAPH)
    before = snapshot(any_store)
    broken = DATA + b'<https://example.org/t/x> <https://example.org/t/p> "no end .\n'
    with pytest.raises(InputError, match=r"broken\.ttl:5:\d+"):
        rdf_io.load_bytes(any_store, broken, ox.RdfFormat.TURTLE, graph=GRAPH, source="broken.ttl")
    assert snapshot(any_store) == before


@pytest.mark.parametrize("name", sorted(rdf_io.FORMATS))
def test_each_syntax_round_trips(any_store: Store, name: str) -> None:
    rdf_format = rdf_io.FORMATS[name]
    any_store.load(DATA, ox.RdfFormat.TURTLE, GRAPH)
    exported = any_store.dump(rdf_format, GRAPH)
    copy = "https://example.org/graph/copy"
    any_store.load(exported, rdf_format, None if rdf_format.supports_datasets else copy)
    original = rdflib.Graph().parse(data=any_store.dump(ox.RdfFormat.N_TRIPLES, GRAPH), format="nt")
    if rdf_format.supports_datasets:
        # A dataset export names its graph: loading it back refills the same graph.
        assert count(any_store, GRAPH) == len(original)
        return
    again = rdflib.Graph().parse(data=any_store.dump(ox.RdfFormat.N_TRIPLES, copy), format="nt")
    assert isomorphic(original, again)


def test_replace_graph_keeps_the_old_content_when_the_new_is_broken(any_store: Store) -> None:
    any_store.load(DATA, ox.RdfFormat.TURTLE, GRAPH)
    with pytest.raises(SyntaxError):
        any_store.replace_graph(GRAPH, b"<a> <b> .", ox.RdfFormat.N_TRIPLES)
    assert count(any_store, GRAPH) == 5
    any_store.replace_graph(GRAPH, b"<https://e/a> <https://e/b> <https://e/c> .", ox.RdfFormat.N_TRIPLES)
    assert count(any_store, GRAPH) == 1


def test_drop_graph_and_dataset_dump(any_store: Store) -> None:
    any_store.load(DATA, ox.RdfFormat.TURTLE, GRAPH)
    dataset = any_store.dump(ox.RdfFormat.N_QUADS).decode()
    assert f"<{GRAPH}>" in dataset and f"<{META_GRAPH}>" in dataset
    any_store.drop_graph(GRAPH)
    assert GRAPH not in any_store.named_graphs()
    with pytest.raises(ValueError, match="holds one graph"):
        any_store.dump(ox.RdfFormat.TURTLE)


def test_update_is_applied(any_store: Store) -> None:
    any_store.update(f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <https://e/a> <https://e/b> 1 }} }}")
    assert count(any_store, GRAPH) == 1
    with pytest.raises(SyntaxError):
        any_store.query("SELECT WHERE {")
