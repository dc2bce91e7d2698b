"""The engine against pySHACL, component by component.

Each case is a small shapes graph plus data that violates it in some places and not
in others.  pySHACL (advanced=False, no inference) is the oracle: both engines must
report the same set of (focus, path, value, component, severity, source shape).
"""

from __future__ import annotations

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib

from aims_graph.shacl import validate
from aims_graph.shacl.model import Index

from .keys import keys, ox_triples, pyshacl_keys

PREFIXES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
"""

PEOPLE = """
ex:Person rdfs:subClassOf ex:Agent .
ex:Student rdfs:subClassOf ex:Person .
ex:alice a ex:Person ; ex:name "Alice"@en, "Alicia"@es ; ex:age 30 ; ex:knows ex:bob, ex:carol ;
    ex:email "alice@example.org" ; ex:start 1 ; ex:end 5 ; ex:nick "Al" ; ex:code "AB-12" .
ex:bob a ex:Student ; ex:name "Bob"@en, "Robert"@en ; ex:age "twenty" ; ex:knows ex:alice ;
    ex:email "bob(at)example" ; ex:start 7 ; ex:end 3 ; ex:nick "Bob" ; ex:code "x" .
ex:carol a ex:Person ; ex:age -4 ; ex:knows [ ex:name "anon" ] ; ex:nick ex:carol ; ex:start 2 ; ex:end 2 .
ex:dan ex:age 200 ; ex:knows ex:alice ; ex:name "Dan" .
ex:acme a ex:Company ; ex:employs ex:alice, ex:dan .
ex:erin a ex:Person ; ex:age "x"^^xsd:integer ; ex:born "2020-13-45"^^xsd:date, "2020-01-02"^^xsd:date ;
    ex:code "7\\\"q" ; ex:knows ex:erin .
"""


def shape(body: str) -> str:
    """A property or node shape targeting all ex:Person instances."""
    return f"ex:S a sh:NodeShape ; sh:targetClass ex:Person ; {body} ."


def prop(path: str, body: str) -> str:
    return shape(f"sh:property [ sh:path {path} ; {body} ]")


CASES = {
    # value type
    "class-node": shape("sh:class ex:Agent"),
    "class-property": prop("ex:knows", "sh:class ex:Person"),
    "datatype-integer": prop("ex:age", "sh:datatype xsd:integer"),
    "datatype-string": prop("ex:name", "sh:datatype xsd:string"),
    "datatype-langString": prop("ex:name", "sh:datatype rdf:langString"),
    "nodeKind-iri": prop("ex:knows", "sh:nodeKind sh:IRI"),
    "nodeKind-literal": prop("ex:nick", "sh:nodeKind sh:Literal"),
    "nodeKind-blankOrIri": prop("ex:knows", "sh:nodeKind sh:BlankNodeOrIRI"),
    "nodeKind-node-shape": shape("sh:nodeKind sh:BlankNode"),
    # cardinality
    "minCount-1": prop("ex:email", "sh:minCount 1"),
    "minCount-2": prop("ex:name", "sh:minCount 2"),
    "maxCount-1": prop("ex:name", "sh:maxCount 1"),
    "maxCount-0": prop("ex:nick", "sh:maxCount 0"),
    # value range
    "minInclusive": prop("ex:age", "sh:minInclusive 0"),
    "maxInclusive": prop("ex:age", "sh:maxInclusive 150"),
    "minExclusive": prop("ex:age", "sh:minExclusive 0"),
    "maxExclusive": prop("ex:age", "sh:maxExclusive 30"),
    "range-node-shape": "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:age ; sh:minInclusive 0 ; sh:maxExclusive 100 .",
    # string based
    "minLength": prop("ex:nick", "sh:minLength 3"),
    "maxLength": prop("ex:email", "sh:maxLength 12"),
    "pattern": prop("ex:email", 'sh:pattern "^[a-z]+@[a-z.]+$"'),
    "pattern-flags": prop("ex:code", 'sh:pattern "^ab-[0-9]+$" ; sh:flags "i"'),
    "languageIn": prop("ex:name", 'sh:languageIn ( "en" )'),
    "uniqueLang": prop("ex:name", "sh:uniqueLang true"),
    "datatype-ill-formed": prop("ex:age", "sh:datatype xsd:integer"),
    "datatype-date": prop("ex:born", "sh:datatype xsd:date"),
    "pattern-escapes": prop("ex:code", 'sh:pattern "^[0-9]\\\\\\"[a-z]$"'),
    "closed-no-ignored": shape("sh:closed true ; sh:property [ sh:path ex:name ]"),
    # property pairs
    "equals": prop("ex:start", "sh:equals ex:end"),
    "disjoint": prop("ex:start", "sh:disjoint ex:end"),
    "lessThan": prop("ex:start", "sh:lessThan ex:end"),
    "lessThanOrEquals": prop("ex:start", "sh:lessThanOrEquals ex:end"),
    "equals-node-shape": shape("sh:equals ex:nick"),
    "disjoint-node-shape": shape("sh:disjoint ex:nick"),
    # logical
    "not": prop("ex:knows", "sh:not [ sh:class ex:Student ]"),
    "and": prop("ex:age", "sh:and ( [ sh:datatype xsd:integer ] [ sh:minInclusive 0 ] )"),
    "or": prop("ex:nick", "sh:or ( [ sh:nodeKind sh:IRI ] [ sh:minLength 3 ] )"),
    "xone": prop("ex:age", "sh:xone ( [ sh:minInclusive 18 ] [ sh:datatype xsd:integer ] )"),
    "or-node-shape": shape("sh:or ( [ sh:path ex:email ; sh:minCount 1 ] [ sh:path ex:nick ; sh:nodeKind sh:IRI ] )"),
    "not-with-property": prop("ex:knows", "sh:not [ sh:property [ sh:path ex:age ; sh:minCount 1 ] ]"),
    "xone-node-shapes": shape(
        "sh:xone ( [ sh:property [ sh:path ex:email ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] ] )"
    ),
    # shape-based
    "node": prop("ex:knows", "sh:node ex:Named") + " ex:Named sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ] .",
    "node-nested-twice": prop("ex:knows", "sh:node ex:Named")
    + " ex:Named sh:property [ sh:path ex:knows ; sh:node ex:Aged ] . ex:Aged sh:property [ sh:path ex:age ; sh:datatype xsd:integer ] .",
    "property-on-property": prop("ex:knows", "sh:property [ sh:path ex:age ; sh:minInclusive 0 ]"),
    "qualified-min": prop("ex:knows", "sh:qualifiedValueShape [ sh:class ex:Student ] ; sh:qualifiedMinCount 1"),
    "qualified-max": prop("ex:knows", "sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMaxCount 1"),
    "qualified-disjoint": shape(
        "sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Person ] ; sh:qualifiedMinCount 2 ; "
        "sh:qualifiedValueShapesDisjoint true ] ; "
        "sh:property [ sh:path ex:knows ; sh:qualifiedValueShape [ sh:class ex:Student ] ; sh:qualifiedMaxCount 0 ; "
        "sh:qualifiedValueShapesDisjoint true ]"
    ),
    "qualified-nested-node": prop(
        "ex:knows", "sh:qualifiedValueShape [ sh:node ex:Named ] ; sh:qualifiedMinCount 2 ; sh:qualifiedMaxCount 2"
    ) + " ex:Named sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
    # other
    "in": prop("ex:nick", 'sh:in ( "Al" "Bob" ex:carol )'),
    "in-node-shape": "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:in ( ex:alice ex:bob ) .",
    "hasValue": prop("ex:knows", "sh:hasValue ex:alice"),
    "hasValue-node-shape": "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:knows ; sh:hasValue ex:alice .",
    "closed": shape(
        "sh:closed true ; sh:ignoredProperties ( rdf:type ex:nick ex:code ) ; "
        "sh:property [ sh:path ex:name ] , [ sh:path ex:age ] , [ sh:path ex:knows ] , [ sh:path ex:email ]"
    ),
    # paths
    "path-inverse": prop("[ sh:inversePath ex:knows ]", "sh:minCount 2"),
    "path-sequence": prop("( ex:knows ex:age )", "sh:datatype xsd:integer"),
    "path-alternative": prop("[ sh:alternativePath ( ex:nick ex:email ) ]", "sh:nodeKind sh:Literal"),
    "path-zeroOrMore": prop("[ sh:zeroOrMorePath ex:knows ]", "sh:class ex:Person"),
    "path-oneOrMore": prop("[ sh:oneOrMorePath ex:knows ]", "sh:class ex:Person"),
    "path-zeroOrOne": prop("[ sh:zeroOrOnePath ex:knows ]", "sh:class ex:Person"),
    "path-inverse-sequence": prop("( [ sh:inversePath ex:employs ] ex:age )", "sh:maxCount 0"),
    # targets
    "targetNode": "ex:S a sh:NodeShape ; sh:targetNode ex:dan, ex:nobody ; sh:property [ sh:path ex:age ; sh:maxInclusive 150 ] .",
    "targetSubjectsOf": "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:age ; sh:class ex:Person .",
    "targetObjectsOf": "ex:S a sh:NodeShape ; sh:targetObjectsOf ex:employs ; sh:class ex:Student .",
    "target-implicit-class": "ex:Person a rdfs:Class, sh:NodeShape ; sh:property [ sh:path ex:email ; sh:minCount 1 ] .",
    "target-implicit-untyped-shape": "ex:Person a rdfs:Class ; sh:property [ sh:path ex:email ; sh:minCount 1 ] .",
    "target-property-shape": "ex:S a sh:PropertyShape ; sh:targetClass ex:Agent ; sh:path ex:age ; sh:datatype xsd:integer .",
    "targets-combined": "ex:S a sh:NodeShape ; sh:targetNode ex:dan ; sh:targetClass ex:Student ; sh:property [ sh:path ex:email ; sh:minCount 1 ] .",
    # severity, messages, deactivation
    "severity": prop("ex:email", "sh:minCount 1 ; sh:severity sh:Warning"),
    "severity-node": shape("sh:severity sh:Info ; sh:class ex:Student"),
    "deactivated-shape": shape("sh:deactivated true ; sh:class ex:Student"),
    "deactivated-property": prop("ex:email", "sh:minCount 1 ; sh:deactivated true"),
    "deactivated-nested": prop("ex:knows", "sh:node ex:Off") + " ex:Off sh:deactivated true ; sh:class ex:Nothing .",
    "message": prop("ex:email", 'sh:minCount 1 ; sh:message "needs an email"@en'),
    # SPARQL-based
    "sparql-node": shape(
        'sh:sparql [ sh:select "SELECT $this ?value WHERE { $this <http://example.org/start> ?value . FILTER(?value > 5) }" ]'
    ),
    "sparql-property-path": prop(
        "ex:start",
        'sh:sparql [ sh:select "SELECT $this ?value WHERE { $this $PATH ?value . $this <http://example.org/end> ?e . FILTER(?value > ?e) }" ]',
    ),
    "sparql-union-binding-this": shape(
        'sh:sparql [ sh:select "SELECT $this ?value WHERE { { $this <http://example.org/knows> ?value } UNION '
        '{ ?value <http://example.org/knows> $this } FILTER NOT EXISTS { ?value <http://example.org/email> ?e } }" ]'
    ),
    "sparql-prefixes": shape("sh:sparql [ sh:prefixes ex:decl ; sh:select \"SELECT $this WHERE { FILTER NOT EXISTS { $this ex:email ?e } }\" ]")
    + ' ex:decl sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .',
}


def _engine_keys(shapes: str, data: str, focus_nodes=None) -> tuple[set, list]:
    store = ox.Store()
    store.load(data.encode(), ox.RdfFormat.TURTLE)
    shape_triples = list(ox.parse(shapes, ox.RdfFormat.TURTLE))
    report = validate(shape_triples, store, focus_nodes=focus_nodes)
    index = Index([*(ox.Triple(q.subject, q.predicate, q.object) for q in store), *shape_triples])
    return keys(report.results, index), report.fallbacks


def _pyshacl_keys(shapes: str, data: str, focus_nodes=None) -> set:
    data_graph = rdflib.Graph().parse(data=data, format="turtle")
    shapes_graph = rdflib.Graph().parse(data=shapes, format="turtle")
    kwargs = {"focus_nodes": [str(n.value) for n in focus_nodes]} if focus_nodes else {}
    _, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph, advanced=False, inference="none", **kwargs)
    return pyshacl_keys(report, Index(ox_triples(data_graph) + ox_triples(shapes_graph)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_results_as_pyshacl(name: str):
    shapes, data = PREFIXES + CASES[name], PREFIXES + PEOPLE
    ours, fallbacks = _engine_keys(shapes, data)
    theirs = _pyshacl_keys(shapes, data)
    assert not fallbacks, f"{name} should compile, fell back: {fallbacks}"
    assert ours == theirs, f"only ours: {ours - theirs}\nonly pySHACL: {theirs - ours}"


RECURSIVE = "ex:R a sh:NodeShape ; sh:targetClass ex:Student ; sh:property [ sh:path ex:knows ; sh:node ex:R ] , [ sh:path ex:age ; sh:datatype xsd:integer ] ."
FALLBACK_CASES = {
    "recursive": (RECURSIVE, ["http://example.org/R"]),
    "recursive-next-to-compiled": (RECURSIVE + " " + prop("ex:email", "sh:minCount 1"), ["http://example.org/R"]),
    "sparql-this-in-nested-group": (
        shape('sh:sparql [ sh:select "SELECT $this WHERE { { FILTER NOT EXISTS { $this <http://example.org/email> ?e } } }" ]'),
        ["http://example.org/S"],
    ),
    "sparql-inside-node": (
        prop("ex:knows", "sh:node ex:Q")
        + ' ex:Q sh:sparql [ sh:select "SELECT $this WHERE { $this <http://example.org/start> ?s . FILTER(?s > 5) }" ] .',
        ["http://example.org/S"],
    ),
}


@pytest.mark.filterwarnings("ignore:.*Recursive Shape")
@pytest.mark.parametrize("name", sorted(FALLBACK_CASES))
def test_fallback_shapes_match_pyshacl_and_are_reported(name: str):
    body, expected_fallbacks = FALLBACK_CASES[name]
    shapes, data = PREFIXES + body, PREFIXES + PEOPLE
    ours, fallbacks = _engine_keys(shapes, data)
    assert sorted(f.shape.value for f in fallbacks) == expected_fallbacks
    assert all(f.reason for f in fallbacks)
    assert ours == _pyshacl_keys(shapes, data)


FOCUS = [ox.NamedNode("http://example.org/bob"), ox.NamedNode("http://example.org/erin")]


@pytest.mark.parametrize("name", ["minCount-1", "path-sequence", "qualified-disjoint", "sparql-node", "closed", "uniqueLang"])
def test_focus_restriction_matches_pyshacl(name: str):
    shapes, data = PREFIXES + CASES[name], PREFIXES + PEOPLE
    ours, _ = _engine_keys(shapes, data, focus_nodes=FOCUS)
    theirs = {k for k in _pyshacl_keys(shapes, data) if k[0] in {str(n) for n in FOCUS}}
    assert ours == theirs
    assert ours, "the case should report something for the chosen focus nodes"


@pytest.mark.filterwarnings("ignore:.*Recursive Shape")
def test_focus_restriction_applies_to_fallback_shapes():
    shapes, data = PREFIXES + RECURSIVE, PREFIXES + PEOPLE
    ours, fallbacks = _engine_keys(shapes, data, focus_nodes=FOCUS[:1])
    assert fallbacks
    assert ours == {k for k in _pyshacl_keys(shapes, data) if k[0] == str(FOCUS[0])}
