"""Incremental validation: after every write the cached report must equal a full
validation, while only the nodes a write can reach are re-checked.

SPARQL-based constraints are bounded by their declared ``aims:reach``. A reach that is
too short is the shape author's mistake; the random-edit tests below (small W3C-style
cases, and the project's shapes on generated data) are what catch it: an edit beyond the
declared reach leaves a stale result, and the cached report then differs from a fresh
full validation.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox

from aims_graph.shacl import IncrementalValidator, load_shapes, validate
from aims_graph.shacl.incremental import ANY_NODE, REACH

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


XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PREFIXES = """
@prefix aims: <https://w3id.org/aims-graph/ontology#> .
"""
# Who knows a person with a negative age (the query reads the nodes that know the focus node).
KNOWN_BY_NEGATIVE = """ex:Extra a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:sparql [ a sh:SPARQLConstraint ; {reach}
        sh:select "SELECT $this ?value WHERE {{ ?value <http://example.org/knows> $this . ?value <http://example.org/age> ?a . FILTER(?a < 0) }}" ] ."""


def with_extra(reach: str):
    return load_shapes(SHAPES_TEXT + PREFIXES + KNOWN_BY_NEGATIVE.format(reach=reach))


def negative_age(store: ox.Store, person: str) -> set:
    return write(store, ox.Quad(n(person), n("age"), ox.Literal("-9", datatype=XSD_INTEGER)), add=True)


def test_a_sparql_constraint_without_reach_is_rerun_alone_in_full():
    shapes = with_extra("")
    store = populated(9)
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    assert [shape for shape, _ in inc.unbounded()] == [n("Extra")]
    rechecked = inc.update(negative_age(store, "p5"))
    assert rechecked is not None  # the Core shapes stay bounded
    assert n("p6") in rechecked  # p5 knows p6: found by re-running the SPARQL constraint in full
    assert keys(inc.report()) == keys(validate(shapes, store))


def test_a_declared_reach_bounds_a_sparql_constraint():
    shapes = with_extra("aims:reach [ sh:inversePath ex:knows ] ;")
    store = populated(9)
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    assert inc.unbounded() == []
    changed = negative_age(store, "p5")
    # p5 knows p6 (the reach); p4 knows p5 (the Core sh:node on ex:knows); nobody else
    assert inc.affected(changed) == {n("p4"), n("p5"), n("p6")}
    inc.update(changed)
    assert keys(inc.report()) == keys(validate(shapes, store))
    assert any(r.focus_node == n("p6") and r.value == n("p5") for r in inc.report().results)


def test_sh_this_and_any_node_are_the_two_ends_of_a_reach():
    store = populated(6)
    focus_only = IncrementalValidator(with_extra("aims:reach sh:this ;"), store)
    anything = IncrementalValidator(with_extra("aims:reach aims:AnyNode ;"), store)
    assert focus_only.unbounded() == []
    assert [s for s, _ in anything.unbounded()] == [n("Extra")]
    focus_only.validate_all()
    assert focus_only.affected(negative_age(store, "p2")) == {n("p1"), n("p2")}  # p1: the Core sh:node


def test_a_reach_that_is_too_short_is_caught_by_comparing_with_a_full_validation():
    """What the random-edit tests guard against: a wrong reach leaves stale results."""
    shapes = with_extra("aims:reach sh:this ;")  # wrong: the query reads who knows $this
    store = populated(9)
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    inc.update(negative_age(store, "p5"))
    assert keys(inc.report()) != keys(validate(shapes, store))


W3C_STYLE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix aims: <https://w3id.org/aims-graph/ontology#> .
ex:ScoreShape a sh:NodeShape ; sh:targetClass ex:Risk ;
    sh:sparql [ a sh:SPARQLConstraint ; aims:reach sh:this ;
        sh:select "SELECT $this ?value WHERE { $this <http://example.org/score> ?value ; <http://example.org/likelihood> ?l ; <http://example.org/severity> ?s . FILTER(?value != ?l * ?s) }" ] .
ex:ThresholdShape a sh:NodeShape ; sh:targetClass ex:Risk ;
    sh:sparql [ a sh:SPARQLConstraint ;
        aims:reach ( [ sh:inversePath ex:hasRisk ] [ sh:inversePath ex:covers ] ) ;
        sh:select "SELECT $this ?value WHERE { $this <http://example.org/score> ?value . ?system <http://example.org/hasRisk> $this . ?scope <http://example.org/covers> ?system ; <http://example.org/threshold> ?t . FILTER(?value > ?t) FILTER NOT EXISTS { $this <http://example.org/treatedBy> ?x } }" ] .
ex:TreatmentShape a sh:NodeShape ; sh:targetObjectsOf ex:treatedBy ;
    sh:property [ sh:path ex:applies ; sh:minCount 1 ; sh:class ex:Control ] ;
    sh:sparql [ a sh:SPARQLConstraint ; aims:reach ex:applies ;
        sh:select "SELECT $this ?value WHERE { $this <http://example.org/applies> ?value . FILTER NOT EXISTS { ?value <http://example.org/status> <http://example.org/Done> } }" ] .
ex:AuditShape a sh:NodeShape ; sh:targetClass ex:Scope ;
    sh:sparql [ a sh:SPARQLConstraint ; aims:reach aims:AnyNode ;
        sh:select "SELECT $this WHERE { FILTER NOT EXISTS { ?audit a <http://example.org/Audit> } }" ] .
"""


def small_organisation(rng: random.Random) -> ox.Store:
    store = ox.Store()

    def add(s: str, p: str, o: object) -> None:
        store.add(ox.Quad(n(s), RDF_TYPE if p == "a" else n(p), o if isinstance(o, ox.Literal) else n(o)))

    for scope in ("scope0", "scope1"):
        add(scope, "a", "Scope")
        add(scope, "threshold", ox.Literal(str(rng.randint(4, 12)), datatype=XSD_INTEGER))
    for c in range(4):
        add(f"control{c}", "a", "Control")
        if c % 2:
            add(f"control{c}", "status", "Done")
    for i in range(8):
        add(f"scope{i % 2}", "covers", f"sys{i}")
        for j in range(3):
            risk = f"risk{i}-{j}"
            add(f"sys{i}", "hasRisk", risk)
            add(risk, "a", "Risk")
            likelihood, severity = rng.randint(1, 5), rng.randint(1, 5)
            add(risk, "likelihood", ox.Literal(str(likelihood), datatype=XSD_INTEGER))
            add(risk, "severity", ox.Literal(str(severity), datatype=XSD_INTEGER))
            add(risk, "score", ox.Literal(str(likelihood * severity + (j == 2)), datatype=XSD_INTEGER))
            if rng.random() < 0.5:
                add(risk, "treatedBy", f"treatment{i}-{j}")
                add(f"treatment{i}-{j}", "applies", f"control{rng.randrange(4)}")
    return store


def test_random_edits_with_sparql_constraints_keep_the_cache_exact():
    shapes = load_shapes(W3C_STYLE)
    rng = random.Random(11)
    store = small_organisation(rng)
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    assert [s for s, _ in inc.unbounded()] == [n("AuditShape")]
    nodes = ["scope0", "scope1", "sys1", "sys6", "risk2-0", "risk3-1", "risk5-2", "treatment1-1", "treatment4-0",
             "control0", "control1", "audit", "Done"]
    predicates = ["threshold", "covers", "hasRisk", "score", "likelihood", "treatedBy", "applies", "status", "a"]
    for step in range(80):
        if rng.random() < 0.45:
            changed = write(store, rng.choice(list(store)), add=False)
        else:
            predicate = rng.choice(predicates)
            if predicate in ("threshold", "score", "likelihood"):
                obj = ox.Literal(str(rng.randint(1, 25)), datatype=XSD_INTEGER)
            elif predicate == "a":
                obj = n(rng.choice(["Risk", "Scope", "Control", "Audit"]))
            else:
                obj = n(rng.choice(nodes))
            subject = n(rng.choice(nodes))
            changed = write(store, ox.Quad(subject, RDF_TYPE if predicate == "a" else n(predicate), obj), add=True)
        inc.update(changed)
        assert keys(inc.report()) == keys(validate(shapes, store)), f"diverged at step {step}"


def test_recursive_shapes_go_to_pyshacl_and_only_they_are_rerun_in_full():
    shapes = load_shapes(SHAPES_TEXT + "ex:PersonShape sh:property [ sh:path ex:knows ; sh:node ex:PersonShape ] .")
    store = populated(9)
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    assert [s for s, _ in inc.unbounded()] == [n("PersonShape")]
    changed = write(store, ox.Quad(n("p4"), n("name"), ox.Literal("P4")), add=False)
    assert inc.update(changed) is not None
    assert keys(inc.report()) == keys(validate(shapes, store))
    assert inc.report().fallbacks


def test_blank_nodes_make_updates_full_validations():
    store = populated(9)
    plain = IncrementalValidator(SHAPES, store)
    plain.validate_all()
    changed = write(store, ox.Quad(n("p2"), n("knows"), ox.BlankNode()), add=True)
    assert plain.update(changed) is None
    assert keys(plain.report()) == keys(validate(SHAPES, store))


# ---- the project's shapes ---------------------------------------------------------------

SH = "http://www.w3.org/ns/shacl#"
AIMS = "https://w3id.org/aims-graph/ontology#"
FOCUS_GRAPH = ox.NamedNode("urn:aims-graph:validation:focus")
# Constraints whose query reads beyond any path from the focus node, declared aims:AnyNode:
# each is cheap to re-run in full (it targets the management system or its statement of
# applicability). Adding one here is a decision, not an accident.
GLOBAL_SPARQL = {"ManagementSystemHasInternalAudit", "EveryControlDecided"}


def project_shapes():
    from aims_graph.validation.shapes import load_bundle

    return load_shapes(list(load_bundle().triples))


def test_every_project_sparql_constraint_declares_its_reach():
    shapes = project_shapes()
    index = shapes.index
    owners = {t.object: t.subject for t in index.triples if t.predicate.value == SH + "sparql"}
    assert len(owners) >= 15
    assert [owner for c, owner in owners.items() if not index.objects(c, REACH)] == []
    unbounded = IncrementalValidator(shapes, ox.Store()).unbounded()
    assert {shape.value.rsplit("/", 1)[-1] for shape, _ in unbounded} == GLOBAL_SPARQL
    assert all(ANY_NODE in index.objects(c, REACH) for _, c in unbounded)


def generated_validation_data(systems: int, seed: int, tmp_path: Path) -> ox.Store:
    """The validation data of a generated organisation, as ``aims-graph validate`` builds it
    (organisation data, derived classification, reference context)."""
    from aims_graph.devtools.generator import generate_file
    from aims_graph.rdf.io import load_files
    from aims_graph.store import open_store
    from aims_graph.validation.data import collect

    path = tmp_path / "generated.nt"
    generate_file(path, systems=systems, seed=seed, fmt="nt")
    with open_store("memory") as store:
        load_files(store, [path])
        return collect(store).store


def test_random_edits_on_generated_data_keep_the_project_report_exact(tmp_path):
    shapes = project_shapes()
    data = generated_validation_data(25, 5, tmp_path)
    rng = random.Random(3)
    inc = IncrementalValidator(shapes, data)
    full = inc.validate_all()
    assert full.results and keys(full) == keys(validate(shapes, data))

    def instances(cls: str) -> list:
        return sorted({q.subject for q in data.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(AIMS + cls))}, key=str)

    pools = {c: instances(c) for c in ("AISystem", "Risk", "RiskTreatment", "ControlImplementation", "Dataset",
                                       "Incident", "AIManagementSystem", "ApplicabilityDecision", "Person")}
    assert all(pools.values()), {k: len(v) for k, v in pools.items()}
    edited = [node for c in ("AISystem", "Risk", "RiskTreatment", "ControlImplementation") for node in pools[c]]

    def integer() -> ox.Literal:
        return ox.Literal(str(rng.randint(0, 25)), datatype=XSD_INTEGER)

    def boolean() -> ox.Literal:
        return ox.Literal(rng.choice(["true", "false"]), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))

    def status() -> ox.NamedNode:
        return ox.NamedNode(AIMS + rng.choice(["Implemented", "PartiallyImplemented", "Planned", "NotImplemented"]))

    additions = [
        ("AISystem", "owner", lambda: rng.choice(pools["Person"] + pools["AISystem"])),
        ("AISystem", "hasRisk", lambda: rng.choice(pools["Risk"])),
        ("AISystem", "lifeCycleStage", lambda: ox.NamedNode(f"https://w3id.org/aims-graph/iso22989/6.2.{rng.randint(2, 9)}")),
        ("AISystem", "trainingDataset", lambda: rng.choice(pools["Dataset"])),
        ("AIManagementSystem", "coversSystem", lambda: rng.choice(pools["AISystem"])),
        ("AIManagementSystem", "riskAcceptanceThreshold", integer),
        ("Risk", "riskScore", integer),
        ("Risk", "hasLikelihood", integer),
        ("Risk", "hasTreatment", lambda: rng.choice(pools["RiskTreatment"])),
        ("RiskTreatment", "appliesControl", lambda: rng.choice(pools["ControlImplementation"])),
        ("RiskTreatment", "residualRiskScore", integer),
        ("ControlImplementation", "implementationStatus", status),
        ("ControlImplementation", "hasEvidence", lambda: rng.choice(pools["Risk"])),
        ("Dataset", "defective", boolean),
        ("Incident", "status", lambda: ox.NamedNode(AIMS + "Open")),
        ("ApplicabilityDecision", "applicable", boolean),
    ]
    removed: list[ox.Quad] = []
    for step in range(40):
        roll = rng.random()
        if roll < 0.4:  # remove a triple of a system, risk, treatment or control implementation
            node = rng.choice(edited)
            quad = rng.choice(list(data.quads_for_pattern(node, None, None)) + list(data.quads_for_pattern(None, None, node)))
            data.remove(quad)
            removed.append(quad)
        elif roll < 0.55 and removed:  # put a removed triple back
            quad = removed.pop(rng.randrange(len(removed)))
            data.add(quad)
        else:
            cls, predicate, value = rng.choice(additions)
            quad = ox.Quad(rng.choice(pools[cls]), ox.NamedNode(AIMS + predicate), value(), FOCUS_GRAPH)
            data.add(quad)
        inc.update({quad.subject, quad.object})
        assert keys(inc.report()) == keys(validate(shapes, data)), f"diverged at step {step} ({quad})"


def test_walks_through_literals_and_shared_values_keep_the_cache_exact():
    """A path that reaches a literal and steps back from it (people sharing a name), and
    value checks on a value shared by many focus nodes (everyone works for org1)."""
    shapes = load_shapes("""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:Namesake a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ( ex:name [ sh:inversePath ex:name ] ) ; sh:maxCount 1 ] .
ex:Employer a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:worksFor ; sh:class ex:Org ; sh:node [ sh:property [ sh:path ex:name ; sh:minCount 1 ] ] ] .
""")
    rng = random.Random(4)
    store = populated(12)
    for j in range(4):
        if j != 2:
            store.add(ox.Quad(n(f"org{j}"), RDF_TYPE, n("Org")))
    inc = IncrementalValidator(shapes, store)
    inc.validate_all()
    for step in range(60):
        if rng.random() < 0.4:
            changed = write(store, rng.choice(list(store)), add=False)
        else:
            subject = n(rng.choice([f"p{i}" for i in range(12)] + ["org1", "org2", "org3"]))
            predicate = rng.choice(["name", "name", "worksFor", "type"])
            if predicate == "name":
                quad = ox.Quad(subject, n("name"), ox.Literal(rng.choice(["P1", "P2", "Org 1", "x"])))
            elif predicate == "worksFor":
                quad = ox.Quad(subject, n("worksFor"), n(rng.choice(["org1", "org2", "org3", "p4"])))
            else:
                quad = ox.Quad(subject, RDF_TYPE, n(rng.choice(["Org", "Person"])))
            changed = write(store, quad, add=True)
        inc.update(changed)
        assert keys(inc.report()) == keys(validate(shapes, store)), f"diverged at step {step}"
