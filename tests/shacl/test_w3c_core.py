"""The W3C SHACL Core test suite, one test per manifest entry (tests/suites/w3c-shacl).

Results are compared as sets of (focus, path, value, component, severity, source
shape) keys; blank nodes are compared by their description (tests/shacl/keys.py) and
literals as Oxigraph stores them (numeric literals in canonical form), since that is
the data the engine sees.  pySHACL runs on the same entries so that the rule "every
test pySHACL passes must pass here" is itself tested.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
from rdflib.namespace import RDF

from aims_graph.shacl import ShapesError, validate
from aims_graph.shacl.fallback import read_report
from aims_graph.shacl.model import Index
from aims_graph.shacl.terms import from_rdflib

from .keys import keys, ox_triples, pyshacl_keys

TESTS = Path(__file__).resolve().parents[1] / "suites" / "w3c-shacl"
SUITE = TESTS / "core"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

FAILURE = "validation raises an error"

KNOWN_FAILURES: dict[str, str] = {
    "sparql/pre-binding/shapesGraph-001": (
        "$shapesGraph needs the shapes graph inside the data store; the shape falls back "
        "to pySHACL, which raises NotImplementedError for $shapesGraph as well"
    ),
}
"""W3C entries this engine fails, with the reason (each is an xfail(strict=True))."""

PYSHACL_FAILURES = {
    # pySHACL 0.40 treats "1"^^xsd:boolean as true for sh:uniqueLang
    "core/property/uniqueLang-002",
    # pySHACL 0.40 does not implement $shapesGraph
    "sparql/pre-binding/shapesGraph-001",
}
"""Entries pySHACL fails, measured by test_pyshacl_on_the_suite."""


@dataclass(frozen=True)
class Case:
    name: str
    manifest: Path
    data: Path
    shapes: Path
    report: rdflib.term.Node

    def graph(self, path: Path) -> rdflib.Graph:
        return _parse(path)

    @property
    def must_fail(self) -> bool:
        """sht:Failure: the shapes graph is invalid and validation must raise."""
        return self.report == SHT.Failure

    def expected(self) -> tuple[bool, set] | str:
        if self.must_fail:
            return FAILURE
        manifest = self.graph(self.manifest)
        index = Index(ox_triples(manifest) + ox_triples(self.graph(self.data)) + ox_triples(self.graph(self.shapes)))
        conforms = manifest.value(self.report, SH.conforms).toPython()
        return conforms, keys(read_report(index, [from_rdflib(self.report)]), index)


@lru_cache(maxsize=None)
def _parse(path: Path) -> rdflib.Graph:
    """rdflib parse that keeps lexical forms (ill-formed literals are test subjects)."""
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        return rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def _file(node: rdflib.term.Node) -> Path:
    return Path(str(node).removeprefix("file://"))


def collect(manifest: Path) -> list[Case]:
    """Every sht:Validate entry reachable from ``manifest`` through mf:include."""
    graph = _parse(manifest)
    cases = []
    for include in graph.objects(None, MF.include):
        cases += collect(_file(include))
    for entries in graph.objects(None, MF.entries):
        for entry in rdflib.collection.Collection(graph, entries):
            if (entry, RDF.type, SHT.Validate) not in graph:
                continue
            action = graph.value(entry, MF.action)
            cases.append(
                Case(
                    name=str(_file(entry).relative_to(TESTS)),
                    manifest=manifest,
                    data=_file(graph.value(action, SHT.dataGraph)),
                    shapes=_file(graph.value(action, SHT.shapesGraph)),
                    report=graph.value(entry, MF.result),
                )
            )
    return cases


CASES = collect(SUITE / "manifest.ttl")
SPARQL_CASES = collect(TESTS / "sparql" / "manifest.ttl")


def run_engine(case: Case) -> tuple[bool, set, list]:
    store = ox.Store()
    store.load(path=str(case.data), format=ox.RdfFormat.TURTLE, base_iri=case.data.as_uri())
    shapes = list(ox.parse(path=str(case.shapes), format=ox.RdfFormat.TURTLE, base_iri=case.shapes.as_uri()))
    report = validate(shapes, store)
    index = Index([*(ox.Triple(q.subject, q.predicate, q.object) for q in store), *shapes])
    return report.conforms, keys(report.results, index), report.fallbacks


@lru_cache(maxsize=None)
def run_pyshacl(case: Case) -> tuple[bool, frozenset] | str:
    data, shapes = _parse(case.data), _parse(case.shapes)
    try:
        outcome = pyshacl.validate(data, shacl_graph=shapes, advanced=False, inference="none")
    except Exception:  # pySHACL signals invalid shapes with several exception types
        return FAILURE
    conforms, graph, _ = outcome
    if not isinstance(graph, rdflib.Graph):  # ... or by returning a ValidationFailure
        return FAILURE
    index = Index(ox_triples(data) + ox_triples(shapes))
    return conforms, frozenset(pyshacl_keys(graph, index))


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[case.name])] if case.name in KNOWN_FAILURES else []
    return pytest.param(case, id=case.name, marks=marks)


def test_suite_is_found():
    assert len(CASES) > 90, f"only {len(CASES)} W3C core entries found under {SUITE}"


def _passes(expected, actual) -> bool:
    if FAILURE in (expected, actual):
        return expected == actual
    return expected[0] == actual[0] and expected[1] == set(actual[1])


@pytest.mark.parametrize("case", [_param(c) for c in CASES + SPARQL_CASES])
def test_engine_matches_expected_report(case: Case):
    if case.must_fail:
        with pytest.raises(ShapesError):
            run_engine(case)
        return
    expected_conforms, expected = case.expected()
    conforms, actual, _ = run_engine(case)
    assert actual == expected, f"missing {expected - actual}\nextra {actual - expected}"
    assert conforms == expected_conforms


def test_pyshacl_on_the_suite():
    """pySHACL's own score, so that the rule "every test pySHACL passes must pass here"
    is checked: our known failures must be among pySHACL's failures."""
    failures = {c.name for c in CASES + SPARQL_CASES if not _passes(c.expected(), run_pyshacl(c))}
    assert failures == PYSHACL_FAILURES
    assert set(KNOWN_FAILURES) <= failures
