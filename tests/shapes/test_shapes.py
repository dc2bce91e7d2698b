"""Every shape fires on its failing cases and stays silent on its passing case.

tests/shapes/cases/<Shape>.trig holds one graph ``case:pass`` and one or more graphs
``case:fail*``; expectations.tsv says, independently of the shapes files, which severity
and which requirements each shape must report. Each case is validated through the real
path: loaded into a store with the reference knowledge, classified in memory, validated
with both engines.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.store import DEFAULT_DATA_GRAPH, open_store
from aims_graph.validation import load_bundle, validate

HERE = Path(__file__).parent
CASES = HERE / "cases"
SHAPES = "https://w3id.org/aims-graph/shapes/"
BASE = "https://w3id.org/aims-graph/"
CASE = "urn:aims-graph:case:"


@dataclass(frozen=True)
class Expectation:
    severity: str
    requirements: frozenset[str]


def _expectations() -> dict[str, Expectation]:
    lines = [line for line in (HERE / "expectations.tsv").read_text().splitlines() if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t")
    return {
        SHAPES + row["shape"]: Expectation(
            row["severity"], frozenset() if row["requirements"] == "-" else frozenset(BASE + r for r in row["requirements"].split())
        )
        for row in rows
    }


EXPECTED = _expectations()


def _graphs(path: Path) -> dict[str, bytes]:
    dataset = ox.Store()
    dataset.load(path.read_bytes(), format=ox.RdfFormat.TRIG)
    return {
        g.value.removeprefix(CASE): dataset.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        for g in dataset.named_graphs()
    }


def _cases() -> list[tuple[str, str, bytes]]:
    found = []
    for path in sorted(CASES.glob("*.trig")):
        for name, data in sorted(_graphs(path).items()):
            found.append((SHAPES + path.stem, name, data))
    return found


ALL_CASES = _cases()


@pytest.fixture(scope="module")
def store():
    with open_store("memory") as opened:
        yield opened


def _fired(store, data: bytes, engine: str):
    store.replace_graph(DEFAULT_DATA_GRAPH, data, ox.RdfFormat.N_TRIPLES)
    report = validate(store, engine=engine)
    return report.findings(), report.bundle


@pytest.mark.parametrize("engine", ["pyshacl", "compiled"])
@pytest.mark.parametrize(("shape", "graph", "data"), ALL_CASES,
                         ids=[f"{s.removeprefix(SHAPES)}-{g}" for s, g, _ in ALL_CASES])
def test_case(store, shape: str, graph: str, data: bytes, engine: str) -> None:
    findings, bundle = _fired(store, data, engine)
    own = [f for f in findings if f.shape == shape]
    if graph == "pass":
        assert own == [], f"{shape} fired on its passing case: {[f.message for f in own]}"
        return
    assert own, f"{shape} did not fire on case {graph}; fired instead: {sorted({f.shape for f in findings})}"
    expected = EXPECTED[shape]
    assert {f.severity for f in own} == {expected.severity}
    assert frozenset(bundle.shapes[shape].requirements) == expected.requirements
    assert all(f.focus_node.startswith("https://example.org/") for f in own)


def test_every_targeted_shape_has_cases_and_expectations() -> None:
    targeted = {iri for iri, info in load_bundle().shapes.items() if info.targeted}
    with_cases = {shape for shape, graph, _ in ALL_CASES if graph == "pass"}
    failing = {shape for shape, graph, _ in ALL_CASES if graph.startswith("fail")}
    assert targeted == with_cases == failing == set(EXPECTED)


def test_every_requirement_is_a_concept_of_the_reference_schemes(store) -> None:
    requirements = {r for info in load_bundle().shapes.values() for r in info.requirements}
    values = " ".join(f"<{r}>" for r in requirements)
    rows = store.query(f"SELECT ?r WHERE {{ VALUES ?r {{ {values} }} ?r a <http://www.w3.org/2004/02/skos/core#Concept> }}")
    assert {row["r"].value for row in rows} == requirements


def test_every_conformance_shape_is_documented() -> None:
    for info in load_bundle().shapes.values():
        if not info.targeted:
            continue
        assert info.label and info.comment, info.iri
        assert info.message or info.module == "integrity", info.iri
        if info.module != "integrity":
            assert info.requirements, f"{info.iri} checks no requirement"
