"""Coverage, derived candidates, diff, explain and gaps on a small world whose every
answer can be worked out by hand from the rows below."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.crosswalk import Method, Relation, Status, mapping_sets_from_store, read_sssom
from aims_graph.crosswalk.candidates import candidate_sets, derive_candidates
from aims_graph.crosswalk.coverage import COVERED, NOT_COVERED, PARTLY, CoverageReport, coverage
from aims_graph.crosswalk.diff import diff
from aims_graph.crosswalk.explain import explain
from aims_graph.crosswalk.gaps import IMPLEMENTED, NOT_APPLICABLE, NOT_IMPLEMENTED, gaps
from aims_graph.crosswalk.index import CrosswalkIndex
from aims_graph.crosswalk.plot import coverage_heatmap
from aims_graph.errors import InputError, NotFoundError
from aims_graph.crosswalk.rdf import compile_quads
from aims_graph.paths import ONTOLOGY_DIR

from .builders import UnionStore, make_store, row, write_crosswalk

ISO = "https://w3id.org/aims-graph/iso42001/"
EU = "https://w3id.org/aims-graph/eu-ai-act/"
NIST = "https://w3id.org/aims-graph/nist-ai-rmf/"

ISO_EU = [
    row("iso42001:A.5.2", "euaiact:Article-27", "subset-of"),
    row("iso42001:A.5.3", "euaiact:Article-27", "intersects-with"),
    row("iso42001:A.5.2", "euaiact:Article-26", "superset-of"),
    row("iso42001:A.6.2.8", "euaiact:Article-12", "equal", confidence="0.9"),
    row("iso42001:6.1.2", "euaiact:Article-9", "intersects-with"),
    row("iso42001:A.2.2", "euaiact:Article-50", "no-relationship"),
]
NIST_ISO = [
    row("nistairmf:GOVERN-1.1", "iso42001:A.6.2.8", "equal", confidence="0.5"),
    row("nistairmf:MAP-1.1", "iso42001:A.5.2", "subset-of"),
    row("nistairmf:MAP-1.1", "iso42001:6.1.2", "intersects-with"),
    row("nistairmf:GOVERN-1", "iso42001:A.2.2", "superset-of"),
    row("nistairmf:MANAGE", "iso42001:A.5", "superset-of"),
]


@pytest.fixture()
def files(tmp_path: Path) -> list[Path]:
    return [
        write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ISO_EU),
        write_crosswalk(tmp_path, "nist-ai-rmf", "iso42001", NIST_ISO),
    ]


@pytest.fixture()
def store(reference_dir: Path, files: list[Path], concepts: frozenset[str]) -> UnionStore:
    return make_store(reference_dir, files, concepts)


@pytest.fixture()
def index(store: UnionStore) -> CrosswalkIndex:
    return CrosswalkIndex.from_store(store)


def _statuses(report: CoverageReport) -> dict[str, str]:
    return {r.notation: r.status for r in report.rows}


def test_coverage_reads_files_in_both_directions(index: CrosswalkIndex) -> None:
    # The file maps iso42001 -> eu-ai-act; asking eu-ai-act -> iso42001 reads it backwards.
    for source, target in (("iso42001", "eu-ai-act"), ("euaiact", "iso42001")):
        report = coverage(index, source, target)
        assert report.target_scheme == ("eu-ai-act" if target == "eu-ai-act" else "iso42001")
    report = coverage(index, "iso42001", "eu-ai-act")
    assert _statuses(report) == {
        "Article 9": PARTLY,
        "Article 12": COVERED,
        "Article 26": COVERED,
        "Article 27": COVERED,
        "Article 50": NOT_COVERED,  # no-relationship rows never count as cover
    }
    assert report.counts() == {COVERED: 3, PARTLY: 1, NOT_COVERED: 1}
    assert report.by_group() == {
        "Chapter III": {COVERED: 3, PARTLY: 1, NOT_COVERED: 0},
        "Chapter IV": {COVERED: 0, PARTLY: 0, NOT_COVERED: 1},
    }
    (article_27,) = [r for r in report.rows if r.notation == "Article 27"]
    assert sorted((v.source_notation, v.relation) for v in article_27.via) == [
        ("A.5.2", "superset-of"),
        ("A.5.3", "intersects-with"),
    ]


def test_coverage_inherits_mappings_of_broader_concepts(index: CrosswalkIndex) -> None:
    report = coverage(index, "nist-ai-rmf", "iso42001")
    assert _statuses(report) == {
        "6.1.2": PARTLY,
        "A.2.2": COVERED,
        "A.5.2": COVERED,
        "A.5.3": COVERED,  # A.5.3 is within A.5, and A.5 is within MANAGE
        "A.6.2.8": COVERED,
    }
    (a53,) = [r for r in report.rows if r.notation == "A.5.3"]
    assert [(v.source_notation, v.inherited_from) for v in a53.via] == [("MANAGE", ISO + "A.5")]
    payload = json.loads(json.dumps(report.to_dict()))
    assert payload["counts"] == {COVERED: 4, PARTLY: 1, NOT_COVERED: 0}
    lines = report.to_csv().splitlines()
    assert lines[0].startswith("target_concept,notation,label,group,status")
    assert len(lines) == 1 + len(report.rows)


def test_coverage_of_an_unknown_scheme_is_refused(index: CrosswalkIndex) -> None:
    with pytest.raises(InputError, match="^scheme 'iso9001' is not loaded"):
        coverage(index, "iso9001", "eu-ai-act")


@pytest.mark.parametrize("suffix", ["png", "svg"])
def test_heatmap_is_written(index: CrosswalkIndex, tmp_path: Path, suffix: str) -> None:
    path = coverage_heatmap(coverage(index, "iso42001", "eu-ai-act"), tmp_path / f"coverage.{suffix}")
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG") if suffix == "png" else b"<svg" in data[:500]
    if suffix == "svg":
        assert b"Chapter III" in data and b"partly covered" in data
        again = coverage_heatmap(coverage(index, "iso42001", "eu-ai-act"), tmp_path / "again.svg")
        assert again.read_bytes() == data


def test_heatmap_refuses_other_formats(index: CrosswalkIndex, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="png, svg"):
        coverage_heatmap(coverage(index, "iso42001", "eu-ai-act"), tmp_path / "coverage.pdf")


def test_candidates_only_compose_sound_chains(index: CrosswalkIndex) -> None:
    found = {
        (c.record.subject_id, c.record.relation, c.record.object_id): c for c in derive_candidates(index)
    }
    # GOVERN 1.1 = A.6.2.8 = Article 12; MAP 1.1 ⊆ A.5.2 ⊆ Article 27.  Nothing goes through
    # intersects-with (MAP 1.1 / 6.1.2 / Article 9), no-relationship (A.2.2 / Article 50) or
    # subset-then-superset (MAP 1.1 ⊆ A.5.2 ⊇ Article 26).  Subjects come from the scheme
    # whose name sorts first, so eu-ai-act concepts are subjects here.
    assert set(found) == {
        (EU + "Article-12", Relation.EQUAL, NIST + "GOVERN-1.1"),
        (EU + "Article-27", Relation.SUPERSET_OF, NIST + "MAP-1.1"),
    }
    equal = found[(EU + "Article-12", Relation.EQUAL, NIST + "GOVERN-1.1")]
    assert equal.record.method is Method.DERIVED and equal.record.status is Status.CANDIDATE
    assert str(equal.record.confidence) == "0.45"
    assert "A.6.2.8" in equal.explanation() and equal.record.comment.endswith(equal.explanation())
    ((first, second),) = equal.paths
    assert (first.source, first.target, second.target) == (EU + "Article-12", ISO + "A.6.2.8", NIST + "GOVERN-1.1")


def test_candidates_skip_pairs_already_asserted(
    reference_dir: Path, files: list[Path], concepts: frozenset[str], tmp_path: Path
) -> None:
    extra = write_crosswalk(tmp_path, "nist-ai-rmf", "eu-ai-act", [row("nistairmf:GOVERN-1.1", "euaiact:Article-12", "intersects-with")])
    index = CrosswalkIndex.from_store(make_store(reference_dir, [*files, extra], concepts))
    assert [c.record.object_id for c in derive_candidates(index)] == [NIST + "MAP-1.1"]


def test_candidates_live_in_their_own_sets_and_graphs(store: UnionStore, index: CrosswalkIndex) -> None:
    asserted = mapping_sets_from_store(store)
    sets = candidate_sets(index, derive_candidates(index))
    assert [s.id for s in sets] == ["https://w3id.org/aims-graph/crosswalk/candidates-eu-ai-act-nist-ai-rmf"]
    quads = [q for s in sets for q in compile_quads(s)]
    assert {q.graph_name.value for q in quads} == {"https://w3id.org/aims-graph/graph/crosswalk-candidates-eu-ai-act-nist-ai-rmf"}
    store.store.extend(quads)
    after = {s.id: s for s in mapping_sets_from_store(store)}
    for original in asserted:
        assert after[original.id] == original  # asserted sets untouched
    assert {m.status for m in after[sets[0].id].mappings} == {Status.CANDIDATE}


def test_diff_reports_added_removed_and_changed(files: list[Path], concepts: frozenset[str], tmp_path: Path) -> None:
    old = read_sssom(files[0], concepts)
    changed_rows = [
        row("iso42001:A.5.2", "euaiact:Article-27", "equal"),  # relation changed
        {**ISO_EU[1], "comment": "Reworded."},  # comment changed
        *ISO_EU[3:5],  # unchanged; A.5.2 / Article 26 and A.2.2 / Article 50 removed
        row("iso42001:A.5.3", "euaiact:Article-26", "intersects-with"),  # added
    ]
    (tmp_path / "new").mkdir()
    new = read_sssom(write_crosswalk(tmp_path / "new", "iso42001", "eu-ai-act", changed_rows, version="1.1"), concepts)
    result = diff(old, new)
    assert [(r.subject_id, r.object_id) for r in result.added] == [(ISO + "A.5.3", EU + "Article-26")]
    assert sorted((r.subject_id, r.object_id) for r in result.removed) == [
        (ISO + "A.2.2", EU + "Article-50"),
        (ISO + "A.5.2", EU + "Article-26"),
    ]
    assert {(c.subject_id, tuple(c.changes)) for c in result.changed} == {
        (ISO + "A.5.2", ("relation",)),
        (ISO + "A.5.3", ("comment",)),
    }
    (relation_change,) = result.relation_changes
    assert relation_change.changes["relation"] == ("subset-of", "equal")
    assert diff(old, replace(old, version="2")).to_dict() == {"added": [], "removed": [], "changed": []}


def test_explain_lists_mappings_from_both_sides(index: CrosswalkIndex) -> None:
    report = explain(index, "A.5.2")
    assert report.concept == ISO + "A.5.2"
    rows = {(m.other_notation, m.relation, m.direction) for m in report.mappings}
    assert rows == {
        ("Article 27", "subset-of", "subject"),
        ("Article 26", "superset-of", "subject"),
        ("MAP 1.1", "superset-of", "object"),  # the file says MAP 1.1 subset-of A.5.2
    }
    assert all(m.justification and m.source and m.rationale == "semantic" for m in report.mappings)


@pytest.mark.parametrize("name", ["euaiact:Article 12", "eu-ai-act:Article-12", EU + "Article-12", "Article 12"])
def test_explain_resolves_every_way_of_naming_a_concept(index: CrosswalkIndex, name: str) -> None:
    assert explain(index, name).concept == EU + "Article-12"


def test_explain_refuses_unknown_names(index: CrosswalkIndex) -> None:
    with pytest.raises(NotFoundError, match="^no concept is named 'A.6.10'"):
        explain(index, "A.6.10")


ORGANISATION_DATA = """
@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix eu: <https://w3id.org/aims-graph/eu-ai-act/> .
@prefix iso: <https://w3id.org/aims-graph/iso42001/> .
@prefix ex: <https://example.org/lender/> .

ex:lender a aims:Organisation .
ex:other a aims:Organisation .
ex:scoring a aims:AISystem ; rdfs:label "Credit scoring" ;
    aims:deployer ex:lender ; aims:hasRiskCategory aims:HighRiskAnnexIII ;
    aims:obligationApplies ex:inform-people .
ex:elsewhere a aims:AISystem ; aims:deployer ex:other ; aims:hasRiskCategory aims:HighRiskAnnexIII .

ex:fria a aims:Obligation ; rdfs:label "Assess impact on fundamental rights" ;
    aims:bindsRole aims:DeployerRole ; aims:appliesToCategory aims:HighRiskAnnexIII ;
    aims:derivedFromProvision eu:Article-27 .
ex:deployer-duties a aims:Obligation ; aims:bindsRole aims:DeployerRole ;
    aims:appliesToCategory aims:HighRiskAnnexIII ; aims:derivedFromProvision eu:Article-26 .
ex:keep-logs a aims:Obligation ; aims:bindsRole aims:DeployerRole ;
    aims:appliesToCategory aims:HighRiskAnnexIII ; aims:derivedFromProvision eu:Article-12 .
ex:manage-risk a aims:Obligation ; aims:bindsRole aims:DeployerRole ;
    aims:appliesToCategory aims:HighRiskAnnexIII ; aims:derivedFromProvision eu:Article-9 .
ex:provider-only a aims:Obligation ; aims:bindsRole aims:ProviderRole ;
    aims:appliesToCategory aims:HighRiskAnnexIII ; aims:derivedFromProvision eu:Article-12 .
ex:inform-people a aims:Obligation ; aims:bindsRole aims:DeployerRole ;
    aims:appliesToCategory aims:TransparencyObligations ; aims:derivedFromProvision eu:Article-50 .

ex:impact-process a aims:ControlImplementation ; aims:implementsControl iso:A.5.2 ;
    aims:implementationStatus aims:Implemented .
ex:event-logs a aims:ControlImplementation ; aims:implementsControl iso:A.6.2.8 ;
    aims:implementationStatus aims:Planned .
ex:aims a aims:AIManagementSystem ; aims:operatedBy ex:lender ; aims:hasStatementOfApplicability ex:soa .
ex:soa aims:hasDecision [ aims:decisionFor iso:A.5.3 ; aims:applicable false ;
    aims:justification "Impact assessments are not documented separately." ] .
"""


@pytest.fixture()
def organisation_store(store: UnionStore) -> UnionStore:
    store.load_turtle(ONTOLOGY_DIR / "aims.ttl", "https://w3id.org/aims-graph/graph/ontology")
    store.store.load(ORGANISATION_DATA, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/aims-graph/graph/data"))
    return store


def test_gaps_follow_role_category_crosswalk_implementation_and_soa(organisation_store: UnionStore, index: CrosswalkIndex) -> None:
    report = gaps(organisation_store, index, organisation="https://example.org/lender/lender")
    checks = {c.obligation.rsplit("/", 1)[-1]: c for c in report.checks}
    # provider-only binds another role; the other organisation's system is filtered out.
    assert set(checks) == {"fria", "deployer-duties", "keep-logs", "manage-risk", "inform-people"}
    assert {c.system for c in report.checks} == {"https://example.org/lender/scoring"}
    states = {name: {f.notation: f.state for f in c.controls} for name, c in checks.items()}
    assert states == {
        "fria": {"A.5.2": IMPLEMENTED, "A.5.3": NOT_APPLICABLE},
        "deployer-duties": {"A.5.2": IMPLEMENTED},
        "keep-logs": {"A.6.2.8": NOT_IMPLEMENTED},
        "manage-risk": {},  # mapped only to clause 6.1.2, which is no Annex A control
        "inform-people": {},  # mapped only by a no-relationship row
    }
    assert {c.obligation.rsplit("/", 1)[-1] for c in report.gaps} == {"fria", "keep-logs", "manage-risk", "inform-people"}
    assert checks["inform-people"].applies_because == "asserted"
    assert checks["keep-logs"].reason == "A.6.2.8 not implemented"
    assert checks["manage-risk"].reason.startswith("no ISO/IEC 42001 control")
    assert checks["fria"].controls[1].detail == "Impact assessments are not documented separately."
    payload = json.loads(json.dumps(report.to_dict()))
    assert len(payload["gaps"]) == 4 and len(payload["satisfied"]) == 1
    assert report.to_csv().count("\n") == 1 + len(report.checks)


def test_gaps_without_organisation_cover_every_system(organisation_store: UnionStore, index: CrosswalkIndex) -> None:
    report = gaps(organisation_store, index)
    assert {c.system.rsplit("/", 1)[-1] for c in report.checks} == {"scoring", "elsewhere"}


def test_gaps_refuse_an_organisation_that_is_not_an_iri(organisation_store: UnionStore, index: CrosswalkIndex) -> None:
    with pytest.raises(InputError, match="^organisation .* is not an IRI"):
        gaps(organisation_store, index, organisation="ex:lender> } ; DROP ALL ; {")
