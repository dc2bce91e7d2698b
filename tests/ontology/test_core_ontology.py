"""The core ontology and its alignment: documented, well-formed, consistent under HermiT.

The reasoner tests start the real HermiT (Java) through aims_graph.knowledge.reasoning; each run
takes a few seconds, so the example organisation is classified once per module.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from aims_graph.knowledge.reasoning import (
    JavaMissingError,
    ReasoningInputError,
    reason,
)
from aims_graph.paths import EXAMPLES_DIR, ONTOLOGY_DIR, REFERENCE_DIR

AIMS = Namespace("https://w3id.org/aims-graph/ontology#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VS = Namespace("http://www.w3.org/2003/06/sw-vocab-status/ns#")
ONTOLOGY_IRI = URIRef("https://w3id.org/aims-graph/ontology")
EU = "https://w3id.org/aims-graph/eu-ai-act/"

# Documents a dcterms:source may cite, each with the pattern of a well-formed reference.
SOURCE_PATTERNS = (
    r"ISO/IEC 42001:2023, (\d+(\.\d+)*|A\.\d+(\.\d+)*|Annex [A-D](\.\d+)?)",
    r"ISO/IEC 23894:2023, (\d+(\.\d+)*|Annex [A-C])",
    r"ISO/IEC 22989:2022, \d+(\.\d+)*",
    r"ISO 31000:2018, \d+(\.\d+)*",
    r"Regulation \(EU\) 2024/1689, (Article (\d+)(\(\d+[a-z]?\))?(\([a-z]+\))?|Annex [IVX]+( point \d+\([a-z]\))?|Chapter [IVX]+)",
    r"Regulation \(EU\) 2016/679, Article \d+\(\d+\)",
    r"Regulation \(EU\) 2026/1744, Article [1-4]",
    r"NIST AI 100-1, Section \d+",
    r"NIST IR 8477",
)
# Properties left without rdfs:domain on purpose: any governed item can have an owner or
# evidence, and version/appliesFrom describe both concepts and concept schemes.
DOMAIN_FREE = {AIMS.owner, AIMS.hasEvidence, AIMS.version, AIMS.appliesFrom}


# The aims: vocabulary spans the core ontology and the crosswalk vocabulary module.
VOCABULARY_ONTOLOGIES = {ONTOLOGY_IRI, URIRef("https://w3id.org/aims-graph/ontology/crosswalk-vocabulary")}


@pytest.fixture(scope="module")
def core() -> Graph:
    graph = Graph().parse(ONTOLOGY_DIR / "aims.ttl")
    return graph.parse(ONTOLOGY_DIR / "crosswalk-vocabulary.ttl")


@pytest.fixture(scope="module")
def alignment() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "alignment.ttl")


def aims_terms(graph: Graph) -> set[URIRef]:
    nodes = set(graph.subjects()) | set(graph.objects())
    return {n for n in nodes if isinstance(n, URIRef) and n.startswith(str(AIMS))}


def test_ontology_header_carries_version_and_metadata(core: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in core
    for prop in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license,
                 DCTERMS.created, DCTERMS.modified):
        assert core.value(ONTOLOGY_IRI, prop) is not None, prop


def test_every_aims_term_is_declared_and_documented(core: Graph) -> None:
    problems = []
    for term in sorted(aims_terms(core)):
        labels = [o for o in core.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        definitions = [o for o in core.objects(term, SKOS.definition) if isinstance(o, Literal) and o.language == "en"]
        if not labels or not definitions:
            problems.append(f"{term}: missing English label or definition")
        if not set(core.objects(term, RDFS.isDefinedBy)) & VOCABULARY_ONTOLOGIES:
            problems.append(f"{term}: not rdfs:isDefinedBy the ontology")
        if core.value(term, VS.term_status) is None:
            problems.append(f"{term}: no vs:term_status")
        if core.value(term, RDF.type) is None:
            problems.append(f"{term}: used but never declared")
    assert not problems, "\n".join(problems)


def test_every_source_cites_a_known_document_in_a_known_form(core: Graph) -> None:
    bad = []
    for subject, source in core.subject_objects(DCTERMS.source):
        text = str(source)
        if not any(re.fullmatch(p, text) for p in SOURCE_PATTERNS):
            bad.append(f"{subject}: {text!r}")
        article = re.match(r"Regulation \(EU\) 2024/1689, Article (\d+)", text)
        if article and not 1 <= int(article.group(1)) <= 113:
            bad.append(f"{subject}: the AI Act has no {text!r}")
    assert not bad, "\n".join(bad)


def test_cited_clauses_and_articles_exist_in_the_reference_schemes(core: Graph) -> None:
    """A cited ISO clause must be a notation of its scheme (or the parent of one), and a cited
    article or annex of the AI Act must exist; this catches invented or draft numbering."""
    schemes = {"ISO/IEC 42001:2023": "iso42001", "ISO/IEC 23894:2023": "iso23894",
               "ISO/IEC 22989:2022": "iso22989", "Regulation (EU) 2024/1689": "eu-ai-act"}
    notations = {
        document: {str(n) for n in Graph().parse(REFERENCE_DIR / f"{scheme}.ttl").objects(None, SKOS.notation)}
        for document, scheme in schemes.items()
    }
    unknown = []
    for subject, source in core.subject_objects(DCTERMS.source):
        document, _, cited = str(source).partition(", ")
        if document not in notations:
            continue
        if document.startswith("Regulation"):
            cited = re.match(r"(Article \d+|Annex [IVX]+|Chapter [IVX]+)", cited).group(1)
        known = notations[document]
        if cited not in known and not any(n.startswith(cited + ".") for n in known):
            unknown.append(f"{subject}: {source}")
    assert not unknown, "\n".join(unknown)


def test_object_and_datatype_properties_have_domain_and_range(core: Graph) -> None:
    missing = []
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in core.subjects(RDF.type, kind):
            if not str(prop).startswith(str(AIMS)):
                continue
            inherited = any(core.objects(prop, RDFS.subPropertyOf))
            if core.value(prop, RDFS.range) is None and not inherited:
                missing.append(f"{prop}: no range")
            if core.value(prop, RDFS.domain) is None and not inherited and prop not in DOMAIN_FREE:
                missing.append(f"{prop}: no domain")
    assert not missing, "\n".join(missing)


def test_operator_properties_name_their_role(core: Graph) -> None:
    operators = set(core.subjects(RDFS.subPropertyOf, AIMS.hasOperator))
    assert operators, "no operator sub-properties"
    for prop in operators:
        role = core.value(prop, AIMS.operatorRole)
        assert (role, RDF.type, AIMS.OperatorRole) in core, prop


def test_risk_categories_are_grounded_in_ai_act_concepts(core: Graph) -> None:
    for category in core.subjects(RDF.type, AIMS.RiskCategory):
        for ground in core.objects(category, AIMS.groundProvision):
            assert str(ground).startswith(EU), (category, ground)
    assert {str(g) for g in core.objects(AIMS.HighRiskAnnexIII, AIMS.groundProvision)} == {
        EU + "Article-6", EU + "Annex-III"
    }


def test_alignment_imports_nothing_and_uses_only_declared_aims_terms(core: Graph, alignment: Graph) -> None:
    assert not list(alignment.objects(None, OWL.imports))
    undeclared = [t for t in aims_terms(alignment) if core.value(t, RDF.type) is None]
    assert not undeclared, undeclared


def test_alignment_declares_every_external_term_it_uses_once(alignment: Graph) -> None:
    """OWL 2 DL needs a declaration for each external IRI and forbids class/property puns."""
    used = set()
    for s, p, o in alignment:
        if p in (RDFS.subClassOf, RDFS.subPropertyOf):
            used.add(o)
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    for term in used:
        declared = set(alignment.objects(term, RDF.type)) & kinds
        assert len(declared) == 1, (term, declared)


def test_alignment_uses_the_lower_case_airo_namespace(alignment: Graph) -> None:
    iris = {str(n) for n in alignment.all_nodes() if isinstance(n, URIRef)}
    assert any(i.startswith("https://w3id.org/airo#") for i in iris)
    assert not [i for i in iris if "w3id.org/AIRO#" in i]


def test_core_and_alignment_are_consistent_with_no_unsatisfiable_classes() -> None:
    report = reason()
    assert report.coherent, report.explanation
    assert report.unsatisfiable_classes == []


def test_reasoner_reports_an_inconsistent_input() -> None:
    data = """@prefix aims: <https://w3id.org/aims-graph/ontology#> .
    <https://example.org/t> a aims:RiskTreatment ; aims:treatmentOption aims:Avoid , aims:Retain ."""
    report = reason([data])
    assert not report.consistent
    assert "https://example.org/t" in report.explanation
    assert "functional property <https://w3id.org/aims-graph/ontology#treatmentOption>" in report.explanation


def test_reasoner_rejects_a_likelihood_outside_the_scale() -> None:
    data = """@prefix aims: <https://w3id.org/aims-graph/ontology#> .
    <https://example.org/r> a aims:Risk ; aims:hasLikelihood 7 ."""
    report = reason([data])
    assert not report.consistent
    assert "hasLikelihood" in report.explanation and "outside the allowed range" in report.explanation


def test_reasoner_lists_unsatisfiable_classes_of_a_consistent_input() -> None:
    data = """@prefix aims: <https://w3id.org/aims-graph/ontology#> .
    @prefix owl: <http://www.w3.org/2002/07/owl#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    <https://example.org/Impossible> a owl:Class ;
        rdfs:subClassOf aims:AISystem , [ a owl:Class ; owl:complementOf aims:AISystem ] ."""
    report = reason([data])
    assert report.consistent and not report.coherent
    assert report.unsatisfiable_classes == ["https://example.org/Impossible"]
    assert "https://example.org/Impossible" in report.explanation


def test_reasoner_names_the_input_that_is_not_turtle() -> None:
    with pytest.raises(ReasoningInputError, match="Turtle text #1"):
        reason(["this is not turtle ."])
    with pytest.raises(ReasoningInputError, match="file not found"):
        reason([Path("/nonexistent/data.ttl")])


def test_missing_java_gives_an_actionable_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(JavaMissingError, match="install"):
        reason()


@pytest.fixture(scope="module")
def example_org() -> tuple[Graph, dict[str, list[str]]]:
    files = sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))
    data = Graph()
    for path in files:
        data.parse(path)
    # With the compiled reference modules, so that their concept kinds meet our ranges.
    report = reason([*sorted(REFERENCE_DIR.glob("*.ttl")), *files])
    assert report.consistent, report.explanation
    return data, report.inferred_types


def test_reasoning_finds_every_third_party_system(example_org: tuple[Graph, dict[str, list[str]]]) -> None:
    data, inferred = example_org
    supplied = {str(s) for s in data.subjects(AIMS.suppliedBy, None) if (s, RDF.type, AIMS.AISystem) in data}
    found = {iri for iri, classes in inferred.items() if str(AIMS.ThirdPartyAISystem) in classes}
    assert supplied and found == supplied


def test_reasoning_flags_declared_prohibited_practices_and_control_exclusions(
    example_org: tuple[Graph, dict[str, list[str]]],
) -> None:
    data, inferred = example_org
    declared = {str(s) for s in data.subjects(AIMS.prohibitedPractice, None)}
    flagged = {i for i, c in inferred.items() if str(AIMS.ProhibitedPracticeCandidate) in c}
    assert declared and flagged == declared
    excluded = {str(s) for s in data.subjects(AIMS.applicable, Literal(False))}
    inferred_exclusions = {i for i, c in inferred.items() if str(AIMS.ExcludedControlDecision) in c}
    assert excluded and inferred_exclusions == excluded
