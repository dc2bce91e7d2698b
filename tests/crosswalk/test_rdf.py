"""Compiling crosswalks to RDF: the table comes back unchanged out of a store, the
Turtle is byte-stable, the SKOS projection follows the relation, and every aims: term
used is declared in the ontology modules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from aims_graph.crosswalk import (
    compile_quads,
    known_concepts,
    mapping_sets_from_store,
    parse_sssom,
    read_sssom,
    to_turtle,
    write_sssom,
)
from aims_graph.crosswalk.loading import load_crosswalks
from aims_graph.paths import ONTOLOGY_DIR
from aims_graph.store import open_store

from .builders import UnionStore, row, write_crosswalk

SKOS = "http://www.w3.org/2004/02/skos/core#"
ROWS = [
    row("iso42001:A.5.2", "euaiact:Article-27", "intersects-with", subject_label="AI system impact assessment process"),
    row("iso42001:6.1.2", "euaiact:Article-9", "subset-of", mapping_status="reviewed",
        reviewer_id="orcid:0000-0002-1825-0097", comment='Says "risk" twice; tabs\tand quotes survive.'),
    row("iso42001:A.6.2.8", "euaiact:Article-12", "equal", rationale_type="functional", confidence="0.95"),
    row("iso42001:A.2.2", "euaiact:Article-50", "superset-of", rationale_type="syntactic"),
    row("iso42001:A.5.3", "euaiact:Article-26", "no-relationship", confidence="1.0"),
]


def _store_with(quads: list[ox.Quad]) -> UnionStore:
    store = UnionStore()
    store.store.extend(quads)
    return store


def test_sssom_to_rdf_to_sssom_is_the_same_table(tmp_path: Path, concepts: frozenset[str]) -> None:
    original = read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ROWS), concepts)
    (from_store,) = mapping_sets_from_store(_store_with(compile_quads(original)))
    assert set(from_store.mappings) == set(original.mappings)
    assert from_store == replace(original, mappings=from_store.mappings)
    written = write_sssom(from_store)
    again = parse_sssom(written, "exported", concepts)
    assert set(again.mappings) == set(original.mappings)
    assert again.title == original.title and again.mapping_date == original.mapping_date


def test_each_mapping_is_a_typed_resource_in_the_sets_named_graph(tmp_path: Path, concepts: frozenset[str]) -> None:
    mapping_set = read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ROWS), concepts)
    quads = compile_quads(mapping_set)
    assert {q.graph_name.value for q in quads} == {"https://w3id.org/aims-graph/graph/crosswalk-iso42001-eu-ai-act"}
    store = _store_with(quads)
    answer = store.query("""
        PREFIX aims: <https://w3id.org/aims-graph/ontology#>
        SELECT ?m ?relation ?confidence WHERE {
          ?m a aims:Mapping ; aims:subject <https://w3id.org/aims-graph/iso42001/A.6.2.8> ;
             aims:setRelation ?relation ; aims:confidence ?confidence ;
             aims:inMappingSet <https://w3id.org/aims-graph/crosswalk/iso42001-eu-ai-act> .
        }""")
    (solution,) = list(answer)
    assert solution["m"].value == "https://w3id.org/aims-graph/crosswalk/iso42001-eu-ai-act/A.6.2.8--Article-12"
    assert solution["relation"].value.endswith("#Equal")
    assert solution["confidence"].datatype.value == "http://www.w3.org/2001/XMLSchema#decimal"


def test_skos_projection_follows_the_relation(tmp_path: Path, concepts: frozenset[str]) -> None:
    mapping_set = read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ROWS), concepts)
    skos = {
        (t.subject.value.rsplit("/", 1)[-1], t.predicate.value.removeprefix(SKOS), t.object.value.rsplit("/", 1)[-1])
        for t in [q.triple for q in compile_quads(mapping_set)]
        if t.predicate.value.startswith(SKOS)
    }
    assert skos == {
        ("A.5.2", "relatedMatch", "Article-27"),
        ("6.1.2", "broadMatch", "Article-9"),
        ("A.6.2.8", "exactMatch", "Article-12"),
        ("A.2.2", "narrowMatch", "Article-50"),
    }


def test_turtle_is_deterministic_and_parses(tmp_path: Path, concepts: frozenset[str]) -> None:
    path = write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ROWS)
    first = to_turtle(read_sssom(path, concepts))
    (tmp_path / "reordered").mkdir()
    reordered = write_crosswalk(tmp_path / "reordered", "iso42001", "eu-ai-act", list(reversed(ROWS)))
    assert to_turtle(read_sssom(reordered, concepts)) == first
    parsed = list(ox.parse(first, format=ox.RdfFormat.TURTLE))
    assert len(parsed) == len(compile_quads(read_sssom(path, concepts)))


def _declared_aims_terms() -> set[str]:
    declared = set()
    for name in ("aims.ttl", "crosswalk-vocabulary.ttl"):
        for triple in ox.parse(path=str(ONTOLOGY_DIR / name)):
            if triple.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
                declared.add(triple.subject.value)
    return declared


def test_every_aims_term_used_is_declared(tmp_path: Path, concepts: frozenset[str]) -> None:
    mapping_set = read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ROWS), concepts)
    aims = "https://w3id.org/aims-graph/ontology#"
    used = {
        term.value
        for quad in compile_quads(mapping_set)
        for term in (quad.predicate, quad.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(aims)
    }
    assert used - _declared_aims_terms() == set()


def test_vocabulary_terms_are_documented() -> None:
    path = ONTOLOGY_DIR / "crosswalk-vocabulary.ttl"
    triples = list(ox.parse(path=str(path)))
    aims = "https://w3id.org/aims-graph/ontology#"
    terms = {t.subject.value for t in triples if t.subject.value.startswith(aims)}
    for predicate in ("http://www.w3.org/2000/01/rdf-schema#label", SKOS + "definition"):
        documented = {t.subject.value for t in triples if t.predicate.value == predicate}
        assert terms - documented == set(), predicate


def test_real_crosswalks_round_trip_through_the_project_store() -> None:
    """The lead's store compiles ontology/crosswalks/*.sssom.tsv; reading them back equals the
    files, set metadata included (creators, licence, version, sources and their versions, date),
    and so does the SSSOM exported from the store."""
    files = {s.id: s for s in load_crosswalks()}
    assert "https://w3id.org/aims-graph/crosswalk/nist-ai-rmf-iso42001" in files
    with open_store("memory") as store:
        from_store = {s.id: s for s in mapping_sets_from_store(store)}
    assert from_store.keys() == files.keys()
    concepts = known_concepts()
    for set_id, original in files.items():
        assert from_store[set_id].creators == ("https://w3id.org/aims-graph/team",), set_id
        stored = replace(from_store[set_id], mappings=tuple(original.mappings))
        assert set(from_store[set_id].mappings) == set(original.mappings), set_id
        assert stored == original, set_id
        exported = parse_sssom(write_sssom(from_store[set_id]), "export", concepts)
        assert replace(exported, mappings=original.mappings) == original and set(exported.mappings) == set(original.mappings)
