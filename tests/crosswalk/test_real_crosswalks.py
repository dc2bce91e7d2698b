"""The analyses on the project's own reference schemes and crosswalks, through the
project's store (``open_store("memory")`` loads ontology, schemes and crosswalks).

Expected answers are recomputed here from the store with independent SPARQL rather
than written down, because the crosswalk files are still growing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.crosswalk import Relation, compose
from aims_graph.crosswalk.candidates import derive_candidates
from aims_graph.crosswalk.coverage import COVERED, NOT_COVERED, coverage
from aims_graph.crosswalk.explain import explain
from aims_graph.crosswalk.gaps import gaps
from aims_graph.crosswalk.index import CrosswalkIndex
from aims_graph.crosswalk.plot import coverage_heatmap
from aims_graph.errors import InputError
from aims_graph.store import Store, open_store

ISO = "https://w3id.org/aims-graph/iso42001/"


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with open_store("memory") as opened:
        yield opened


@pytest.fixture(scope="module")
def index(store: Store) -> CrosswalkIndex:
    return CrosswalkIndex.from_store(store)


def _leaves(store: Store, scheme: str) -> set[str]:
    query = f"""
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?c WHERE {{
          ?c skos:inScheme <https://w3id.org/aims-graph/{scheme}> .
          FILTER NOT EXISTS {{ ?n skos:broader ?c }}
        }}"""
    return {s["c"].value for s in store.query(query)}


@pytest.mark.parametrize(("source", "target"), [("iso42001", "eu-ai-act"), ("nist-ai-rmf", "iso42001"), ("eu-ai-act", "iso42001")])
def test_coverage_rows_are_the_leaves_and_cite_real_mappings(store: Store, index: CrosswalkIndex, source: str, target: str, tmp_path: Path) -> None:
    report = coverage(index, source, target)
    assert {r.concept for r in report.rows} == _leaves(store, target)
    mappings = {s["m"].value for s in store.query("PREFIX aims: <https://w3id.org/aims-graph/ontology#> SELECT ?m WHERE { ?m a aims:Mapping }")}
    for r in report.rows:
        assert (r.status == NOT_COVERED) == (not r.via)
        assert {v.mapping for v in r.via} <= mappings
        assert all(index.concepts[v.source_concept].scheme == report.source_scheme for v in r.via)
        if r.status == COVERED:
            assert any(v.relation != "intersects-with" for v in r.via)
    assert sum(report.counts().values()) == len(report.rows)
    png = coverage_heatmap(report, tmp_path / "coverage.png")
    assert png.stat().st_size > 1000


def test_explain_a_control_lists_every_mapping_that_names_it(store: Store, index: CrosswalkIndex) -> None:
    report = explain(index, "A.5.2")
    assert report.concept == ISO + "A.5.2"
    query = f"""
        PREFIX aims: <https://w3id.org/aims-graph/ontology#>
        SELECT ?m WHERE {{ ?m a aims:Mapping . {{ ?m aims:subject <{ISO}A.5.2> }} UNION {{ ?m aims:object <{ISO}A.5.2> }} }}"""
    expected = {s["m"].value for s in store.query(query)}
    assert expected, "no crosswalk names ISO/IEC 42001 A.5.2"
    assert {m.mapping for m in report.mappings} == expected
    assert all(m.justification and m.source for m in report.mappings)
    assert not report.notation_derived


def test_explain_says_which_side_has_a_provisional_number(store: Store, index: CrosswalkIndex) -> None:
    derived = {s["c"].value for s in store.query(
        "PREFIX aims: <https://w3id.org/aims-graph/ontology#> SELECT ?c WHERE { ?c aims:notationDerived true }")}
    assert {c.iri for c in index.concepts.values() if c.notation_derived} == derived
    report = explain(index, "iso23894:B.4")
    assert report.notation_derived
    assert [(m.other_notation, m.other_notation_derived) for m in report.mappings] == [("C.3.3", False)]
    assert explain(index, "iso42001:C.3.3").mappings[0].other_notation_derived


def test_a_notation_two_schemes_share_must_be_qualified(index: CrosswalkIndex) -> None:
    shared = sorted(
        {c.notation for c in index.in_scheme("iso42001")} & {c.notation for c in index.in_scheme("iso27001")},
    )
    assert shared, "iso42001 and iso27001 share no clause number"
    with pytest.raises(InputError, match="ambiguous") as caught:
        explain(index, shared[0])
    assert f"iso42001:{shared[0]}" in str(caught.value)
    assert explain(index, f"iso42001:{shared[0]}").scheme == "iso42001"


def test_real_candidates_match_a_brute_force_walk(index: CrosswalkIndex) -> None:
    """Every two-hop walk over the mapping graph whose relations compose, between
    concepts of different schemes that no mapping joins yet, and nothing else.
    (Today the real files yield none: their only chains pair subset-of with superset-of.)"""
    expected = set()
    graph = index.graph
    for a, middle, first in graph.edges(data="link"):
        for _, c, second in graph.out_edges(middle, data="link"):
            if (
                compose(first.relation, second.relation) is not None
                and index.concepts[a].scheme != index.concepts[c].scheme
                and not graph.has_edge(a, c)
            ):
                expected.add(frozenset((a, c)))
    found = {frozenset((c.record.subject_id, c.record.object_id)) for c in derive_candidates(index)}
    assert found == expected
    for candidate in derive_candidates(index):
        composed = {compose(f.relation, s.relation) for f, s in candidate.paths}
        assert candidate.record.relation in composed or candidate.record.relation is Relation.EQUAL


def test_gaps_on_the_real_obligations(store: Store, index: CrosswalkIndex) -> None:
    data = """
        @prefix aims: <https://w3id.org/aims-graph/ontology#> .
        <https://example.org/bank> a aims:Organisation .
        <https://example.org/bank/scoring> a aims:AISystem ; aims:deployer <https://example.org/bank> ;
            aims:hasRiskCategory aims:HighRiskAnnexIII .
    """
    store.load(data.encode(), ox.RdfFormat.TURTLE, "https://w3id.org/aims-graph/graph/test-gaps")
    try:
        report = gaps(store, index, organisation="https://example.org/bank")
    finally:
        store.drop_graph("https://w3id.org/aims-graph/graph/test-gaps")
    expected = {
        s["o"].value
        for s in store.query("""
            PREFIX aims: <https://w3id.org/aims-graph/ontology#>
            SELECT ?o WHERE { ?o a aims:Obligation ; aims:bindsRole aims:DeployerRole ;
                                 aims:appliesToCategory aims:HighRiskAnnexIII }""")
    }
    assert expected, "no obligation binds deployers of Annex III high-risk systems"
    assert {c.obligation for c in report.checks} == expected
    # Nothing is implemented in this organisation, so every obligation is a gap.
    assert report.gaps == report.checks
    controls = {s["c"].value for s in store.query("PREFIX aims: <https://w3id.org/aims-graph/ontology#> SELECT ?c WHERE { ?c a aims:AnnexAControl }")}
    for check in report.checks:
        assert all(f.control in controls for f in check.controls)


def test_heatmap_labels_are_wrapped_never_cut(index: CrosswalkIndex, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    svg = coverage_heatmap(coverage(index, "iso42001", "eu-ai-act"), tmp_path / "coverage.svg").read_bytes()
    texts = [t.text or "" for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]
    words = " ".join(" ".join(texts).split())
    assert "…" not in words
    assert "technical documentation for providers of general-purpose AI models to downstream providers" in words
