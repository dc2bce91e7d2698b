"""Behaviour of the engine beyond result equality: query budget, sources, the RDF
report, messages, input forms and errors."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.sparql import prepareQuery

from aims_graph.shacl import ShapesError, StoreSource, load_shapes, plan, validate
from aims_graph.shacl.paths import Predicate, Sequence

from .test_equivalence import CASES, PREFIXES

EX = "http://example.org/"
SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <http://example.org/> .
ex:PersonShape a sh:NodeShape ; sh:targetClass ex:Person ;
    sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:maxCount 1 ; sh:datatype xsd:string ] ;
    sh:property [ sh:path ex:age ; sh:minInclusive 0 ; sh:message "age must not be negative"@en ] ;
    sh:property [ sh:path ( ex:worksFor ex:name ) ; sh:minCount 1 ] ;
    sh:sparql [ sh:message "{$this} is older than {?value}" ;
                sh:select "SELECT $this ?value WHERE { $this <http://example.org/age> ?value . FILTER(?value > 120) }" ] .
"""


def people(n: int) -> str:
    """n people, every third without a name, every fifth with a negative age, every
    fourth working for an organisation without a name."""
    lines = ["@prefix ex: <http://example.org/> .", "ex:org ex:name \"Org\" ."]
    for i in range(n):
        name = "" if i % 3 == 0 else f'ex:name "P{i}" ;'
        age = -i if i % 5 == 0 else i
        employer = "ex:nameless" if i % 4 == 0 else "ex:org"
        lines.append(f"ex:p{i} a ex:Person ; {name} ex:age {age} ; ex:worksFor {employer} .")
    return "\n".join(lines)


def store_of(turtle: str, graph: ox.NamedNode | None = None) -> ox.Store:
    store = ox.Store()
    store.load(turtle.encode(), ox.RdfFormat.TURTLE, to_graph=graph or ox.DefaultGraph())
    return store


class CountingSource(StoreSource):
    """A store source that remembers every query it answered."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.queries: list[str] = []

    def query(self, text: str):
        self.queries.append(text)
        return super().query(text)


def test_one_query_per_constraint_whatever_the_number_of_focus_nodes():
    constraints = len(plan(load_shapes(SHAPES)).queries)
    assert constraints == 6  # name: minCount, maxCount, datatype; age: minInclusive; sequence: minCount; sh:sparql
    for n in (5, 300):
        source = CountingSource(store_of(people(n)))
        report = validate(SHAPES, source)
        assert len(source.queries) == constraints
        assert len({r.focus_node for r in report.results}) >= n // 3


def test_results_as_python_objects():
    report = validate(SHAPES, store_of(people(6)))
    missing_name = {
        r.focus_node.value
        for r in report.results
        if r.source_constraint_component.value.endswith("#MinCountConstraintComponent")
        and r.result_path == Predicate(ox.NamedNode(EX + "name"))
    }
    assert missing_name == {EX + "p0", EX + "p3"}
    negative = [r for r in report.results if r.source_constraint_component.value.endswith("#MinInclusiveConstraintComponent")]
    assert {(r.focus_node.value, r.value.value) for r in negative} == {(EX + "p5", "-5")}
    assert [m.value for m in negative[0].messages] == ["age must not be negative"]
    assert not report.conforms
    assert report.fallbacks == []


def test_default_and_sparql_messages():
    report = validate(SHAPES, store_of(people(2) + "\nex:old a ex:Person ; ex:name \"Old\" ; ex:age 130 ; ex:worksFor ex:org ."))
    sparql = [r for r in report.results if r.source_constraint is not None]
    assert [m.value for r in sparql for m in r.messages] == [f"{EX}old is older than 130"]
    minimum = next(r for r in report.results if r.source_constraint_component.value.endswith("#MinCountConstraintComponent"))
    assert "Fewer than 1 values" in minimum.messages[0].value


def test_data_in_named_graphs_is_seen_through_the_union_default_graph():
    report = validate(SHAPES, store_of(people(6), ox.NamedNode("https://w3id.org/aims-graph/graph/data")))
    assert {r.focus_node.value for r in report.results} == {EX + "p0", EX + "p3", EX + "p4", EX + "p5"}


def test_report_as_rdf_round_trips_through_turtle_and_json_ld():
    report = validate(SHAPES, store_of(people(6)))
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    for fmt in ("turtle", "json-ld"):
        graph = rdflib.Graph().parse(data=report.serialize(fmt), format=fmt)
        root = graph.value(predicate=rdflib.RDF.type, object=sh.ValidationReport)
        assert graph.value(root, sh.conforms).toPython() is False
        assert len(list(graph.objects(root, sh.result))) == len(report.results)
    sequence = next(r for r in report.results if isinstance(r.result_path, Sequence))
    assert sequence.result_path == Sequence((Predicate(ox.NamedNode(EX + "worksFor")), Predicate(ox.NamedNode(EX + "name"))))


def test_conforming_data_gives_a_conforming_report():
    data = '@prefix ex: <http://example.org/> . ex:org ex:name "Org" . ex:a a ex:Person ; ex:name "A" ; ex:age 3 ; ex:worksFor ex:org .'
    report = validate(SHAPES, store_of(data))
    assert report.conforms and report.results == []
    graph = report.to_rdflib()
    assert (None, rdflib.URIRef("http://www.w3.org/ns/shacl#conforms"), rdflib.Literal(True)) in graph


def test_shapes_from_file_text_triples_and_rdflib_agree(tmp_path: Path):
    file = tmp_path / "shapes.ttl"
    file.write_text(SHAPES)
    store = store_of(people(7))
    inputs = (file, SHAPES, list(ox.parse(SHAPES, ox.RdfFormat.TURTLE)), rdflib.Graph().parse(data=SHAPES, format="turtle"))
    keys = [{(r.focus_node, r.source_constraint_component, r.value) for r in validate(s, store).results} for s in inputs]
    assert all(k == keys[0] for k in keys) and keys[0]


@pytest.mark.parametrize(
    "bad, words",
    [
        ("ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount \"x\" ] .", "sh:minCount must be an integer"),
        ("ex:S sh:targetNode ex:a ; sh:property [ sh:path \"p\" ] .", "is not a path"),
        ("ex:S sh:targetNode ex:a ; sh:minCount 1 .", "only property shapes may use"),
        ("ex:S sh:targetNode ex:a ; sh:property [ sh:path [ ex:odd ex:p ] ] .", "is not a SHACL path"),
        ("ex:S sh:targetNode ex:a ; sh:in ( ex:a ", "does not parse"),
    ],
)
def test_bad_shapes_are_rejected_with_the_reason(bad: str, words: str):
    with pytest.raises(ShapesError, match=words):
        validate("@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n" + bad, ox.Store())


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match="blank nodes cannot be named"):
        validate(SHAPES, ox.Store(), focus_nodes=[ox.BlankNode()])
    with pytest.raises(TypeError, match="query"):
        validate(SHAPES, object())


def test_sparql_constraint_must_select_this():
    shapes = SHAPES.replace("SELECT $this ?value WHERE", "SELECT ?value WHERE")
    with pytest.raises(ShapesError, match="must select"):
        validate(shapes, store_of(people(2)))


def test_broken_sparql_constraint_names_the_shape():
    shapes = SHAPES.replace("FILTER(?value > 120)", "FILTER(?value >")
    with pytest.raises(ValueError, match="PersonShape"):
        validate(shapes, store_of(people(2)))


# ---- a real Oxigraph server: the compiled SPARQL is standard and runs remotely ------------


class HttpSource:
    """The SPARQL 1.1 protocol seen through the engine's one-method protocol."""

    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, text: str):
        construct = text.lstrip().upper().startswith("CONSTRUCT")
        accept = "application/n-triples" if construct else "application/sparql-results+json"
        response = httpx.post(self.url + "/query", data={"query": text}, headers={"Accept": accept}, timeout=30)
        response.raise_for_status()
        if construct:
            return list(ox.parse(response.content, ox.RdfFormat.N_TRIPLES))
        return ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    binary = Path(sys.executable).parent / "oxigraph"
    proc = subprocess.Popen([str(binary), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_remote_oxigraph_gives_the_same_report(server: str):
    data = people(12)
    response = httpx.post(server + "/store", params={"graph": "https://w3id.org/aims-graph/graph/data"}, content=data.encode(), headers={"Content-Type": "text/turtle"})
    response.raise_for_status()
    remote = validate(SHAPES, HttpSource(server))
    local = validate(SHAPES, store_of(data))
    as_set = lambda rep: {(r.focus_node, r.result_path, r.value, r.source_constraint_component) for r in rep.results}  # noqa: E731
    assert as_set(remote) == as_set(local) and as_set(local)


def test_remote_fallback_reads_the_data_over_construct(server: str):
    recursive = SHAPES + "ex:PersonShape sh:property [ sh:path ex:knows ; sh:node ex:PersonShape ] ."
    remote = validate(recursive, HttpSource(server))
    local = validate(recursive, store_of(people(12)))
    assert [f.shape.value for f in remote.fallbacks] == [EX + "PersonShape"]
    as_set = lambda rep: {(r.focus_node, r.result_path, r.value, r.source_constraint_component) for r in rep.results}  # noqa: E731
    assert as_set(remote) == as_set(local) and as_set(local)


def test_compiled_queries_parse_with_a_second_sparql_parser():
    """rdflib's parser is independent of Oxigraph's: every query the compiler writes
    for the equivalence cases must be plain SPARQL 1.1 that it accepts too."""
    texts = [q.text for body in CASES.values() for q in plan(load_shapes(PREFIXES + body)).queries]
    assert len(texts) >= len(CASES)
    for text in texts:
        prepareQuery(text)
