"""Incremental validation: after every write the cached report must equal a full
validation, while only the nodes a write can reach are re-checked."""

from __future__ import annotations

import random

import pyoxigraph as ox

from aims_graph.shacl import IncrementalValidator, load_shapes, validate

EX = "http://example.org/"
SHAPES_TEXT = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] ;
    sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:minInclusive 0 ] ;
    sh:property [ sh:path ( ex:worksFor ex:name ) ; sh:minCount 1 ] ;
    sh:property [ sh:path ex:knows ; sh:node ex:Named ] .
ex:Named sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:OrgShape a sh:NodeShape ; sh:targetObjectsOf ex:worksFor ; sh:property [ sh:path ex:name ; sh:maxCount 1 ] .
"""
SHAPES = load_shapes(SHAPES_TEXT)  # parsed once, so blank-node shapes compare equal across reports


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


def populated(count: int) -> ox.Store:
    store = ox.Store()
    for i in range(count):
        person = n(f"p{i}")
        store.add(ox.Quad(person, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n("Person")))
        if i % 3:
            store.add(ox.Quad(person, n("name"), ox.Literal(f"P{i}")))
        store.add(ox.Quad(person, n("age"), ox.Literal(str(i - 2), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
        store.add(ox.Quad(person, n("worksFor"), n(f"org{i % 4}")))
        store.add(ox.Quad(person, n("knows"), n(f"p{(i + 1) % count}")))
    for j in range(3):  # org3 has no name
        store.add(ox.Quad(n(f"org{j}"), n("name"), ox.Literal(f"Org {j}")))
    return store


def keys(report) -> set:
    return {r.key() for r in report.results}


def write(store: ox.Store, quad: ox.Quad, add: bool) -> set:
    (store.add if add else store.remove)(quad)
    return {quad.subject, quad.object}


def test_cached_report_starts_equal_to_a_full_validation():
    store = populated(12)
    inc = IncrementalValidator(SHAPES, store)
    assert keys(inc.validate_all()) == keys(inc.report()) == keys(validate(SHAPES, store))
    assert inc.report().results


def test_a_deep_change_reaches_the_focus_nodes_behind_it():
    store = populated(12)
    inc = IncrementalValidator(SHAPES, store)
    inc.validate_all()
    changed = write(store, ox.Quad(n("org3"), n("name"), ox.Literal("Org 3")), add=True)
    affected = inc.update(changed)
    assert {n("p3"), n("p7"), n("p11"), n("org3")} <= affected
    assert n("p1") not in affected
    assert keys(inc.report()) == keys(validate(SHAPES, store))


def test_a_change_through_a_nested_shape_is_seen():
    store = populated(12)
    inc = IncrementalValidator(SHAPES, store)
    inc.validate_all()
    before = keys(inc.report())
    changed = write(store, ox.Quad(n("p4"), n("name"), ox.Literal("P4")), add=False)  # p3 knows p4
    affected = inc.update(changed)
    assert n("p3") in affected
    assert keys(inc.report()) == keys(validate(SHAPES, store)) != before


def test_losing_the_target_type_drops_the_results():
    store = populated(12)
    inc = IncrementalValidator(SHAPES, store)
    inc.validate_all()
    assert any(r.focus_node == n("p0") for r in inc.report().results)
    changed = write(store, ox.Quad(n("p0"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n("Person")), add=False)
    inc.update(changed)
    assert not any(r.focus_node == n("p0") for r in inc.report().results)
    assert keys(inc.report()) == keys(validate(SHAPES, store))


def test_random_writes_keep_the_cache_exact():
    rng = random.Random(8)
    store = populated(15)
    inc = IncrementalValidator(SHAPES, store)
    inc.validate_all()
    predicates = ["name", "age", "worksFor", "knows"]
    for step in range(25):
        quads = list(store)
        if rng.random() < 0.5 and quads:
            quad = rng.choice(quads)
            changed = write(store, quad, add=False)
        else:
            subject = n(rng.choice([f"p{i}" for i in range(15)] + ["org3", "newcomer"]))
            predicate = rng.choice(predicates)
            obj = ox.Literal(str(rng.randint(-3, 3))) if predicate in ("name", "age") else n(rng.choice(["p1", "org3", "org9"]))
            changed = write(store, ox.Quad(subject, n(predicate), obj), add=True)
        inc.update(changed)
        assert keys(inc.report()) == keys(validate(SHAPES, store)), f"diverged at step {step}"


def test_sparql_constraints_make_every_update_a_full_validation():
    shapes = load_shapes(SHAPES_TEXT + """ex:Extra a sh:NodeShape ; sh:targetClass ex:Person ;
        sh:sparql [ sh:select "SELECT $this WHERE { ?other <http://example.org/knows> $this . ?other <http://example.org/age> ?a . FILTER(?a < 0) }" ] .""")
    store = populated(9)
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    changed = write(store, ox.Quad(n("p5"), n("age"), ox.Literal("-9", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))), add=True)
    assert inc.update(changed) is None
    assert keys(inc.report()) == keys(validate(shapes, store))


def test_recursive_shapes_and_blank_nodes_make_updates_full_validations():
    shapes = load_shapes(SHAPES_TEXT + "ex:PersonShape sh:property [ sh:path ex:knows ; sh:node ex:PersonShape ] .")
    store = populated(9)
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    assert inc.update({n("p1")}) is None
    plain = IncrementalValidator(SHAPES, store)
    plain.validate_all()
    anonymous = ox.BlankNode()
    changed = write(store, ox.Quad(n("p2"), n("knows"), anonymous), add=True)
    assert plain.update(changed) is None
    assert keys(plain.report()) == keys(validate(SHAPES, store))
