"""The example files: they parse, use only documented terms and carry the facts that the
classification rules and conformance checks read (the intended findings of
examples/README.md depend on them)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from aims_graph.paths import EXAMPLES_DIR, ONTOLOGY_DIR, REFERENCE_DIR

AIMS = Namespace("https://w3id.org/aims-graph/ontology#")
HL = Namespace("https://example.org/harbourline/")
BASE = "https://w3id.org/aims-graph/"
EXAMPLE_FILES = sorted(EXAMPLES_DIR.rglob("*.ttl"))

# The classification inputs every system must state, true or false (docs/vocab).
BOOLEAN_INPUTS = (
    AIMS.interactsWithNaturalPersons, AIMS.generatesSyntheticContent, AIMS.isEmotionRecognitionSystem,
    AIMS.isBiometricCategorisationSystem, AIMS.generatesDeepFakes, AIMS.safetyComponentOfProduct,
    AIMS.performsProfiling, AIMS.financialFraudDetection,
)
# The 38 controls of ISO/IEC 42001:2023 Annex A, as the standard numbers them.
ANNEX_A = (
    "A.2.2 A.2.3 A.2.4 A.3.2 A.3.3 A.4.2 A.4.3 A.4.4 A.4.5 A.4.6 A.5.2 A.5.3 A.5.4 A.5.5 "
    "A.6.1.2 A.6.1.3 A.6.2.2 A.6.2.3 A.6.2.4 A.6.2.5 A.6.2.6 A.6.2.7 A.6.2.8 A.7.2 A.7.3 "
    "A.7.4 A.7.5 A.7.6 A.8.2 A.8.3 A.8.4 A.8.5 A.9.2 A.9.3 A.9.4 A.10.2 A.10.3 A.10.4"
).split()


@pytest.fixture(scope="module")
def core() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "aims.ttl")


@pytest.fixture(scope="module")
def org() -> Graph:
    graph = Graph()
    for path in sorted((EXAMPLES_DIR / "organisation").glob("*.ttl")):
        graph.parse(path)
    return graph


def test_there_are_example_files() -> None:
    assert EXAMPLES_DIR / "governance-architect.ttl" in EXAMPLE_FILES
    assert len([p for p in EXAMPLE_FILES if p.parent.name == "organisation"]) >= 2


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES_DIR)))
def test_example_parses_and_uses_only_documented_terms(path: Path, core: Graph) -> None:
    graph = Graph().parse(path)
    assert len(graph) > 10
    used = {n for n in graph.all_nodes() if isinstance(n, URIRef) and n.startswith(str(AIMS))}
    used |= {p for p in graph.predicates() if p.startswith(str(AIMS))}
    undocumented = sorted(t for t in used if core.value(t, RDFS.label) is None)
    assert not undocumented, f"{path.name} uses terms not in ontology/aims.ttl: {undocumented}"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES_DIR)))
def test_examples_assert_no_derived_classification(path: Path) -> None:
    graph = Graph().parse(path)
    for derived in (AIMS.hasRiskCategory, AIMS.classification, AIMS.obligationApplies):
        assert not list(graph.subject_objects(derived)), f"{path.name} asserts {derived}"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: str(p.relative_to(EXAMPLES_DIR)))
def test_every_system_states_its_classification_inputs(path: Path) -> None:
    graph = Graph().parse(path)
    systems = list(graph.subjects(RDF.type, AIMS.AISystem))
    problems = []
    for system in systems:
        for prop in BOOLEAN_INPUTS:
            values = list(graph.objects(system, prop))
            if len(values) != 1 or not isinstance(values[0], Literal) or not isinstance(values[0].value, bool):
                problems.append(f"{system}: {prop} must have one boolean value")
        for prop in (AIMS.hasIntendedPurpose, AIMS.lifeCycleStage, AIMS.owner):
            if graph.value(system, prop) is None:
                problems.append(f"{system}: no {prop}")
        if graph.value(system, AIMS.provider) is None and graph.value(system, AIMS.deployer) is None:
            problems.append(f"{system}: neither provider nor deployer")
    assert not problems, "\n".join(problems)


def test_provision_values_use_the_reference_iri_scheme(org: Graph) -> None:
    expected = {
        AIMS.annexIIIUseCase: BASE + "eu-ai-act/Annex-III-point-",
        AIMS.prohibitedPractice: BASE + "eu-ai-act/Article-5-1-",
        AIMS.article6_3Exception: BASE + "eu-ai-act/Article-6-3-",
        AIMS.lifeCycleStage: BASE + "iso22989/",
        AIMS.sourceCategory: BASE + "iso23894/B.",
        AIMS.implementsControl: BASE + "iso42001/A.",
        AIMS.decisionFor: BASE + "iso42001/A.",
    }
    for prop, prefix in expected.items():
        values = list(org.objects(None, prop))
        assert values, prop
        assert all(str(v).startswith(prefix) for v in values), (prop, values)


def test_every_reference_concept_the_examples_cite_exists() -> None:
    reference = Graph()
    for path in REFERENCE_DIR.glob("*.ttl"):
        reference.parse(path)
    cited = set()
    for path in EXAMPLE_FILES:
        graph = Graph().parse(path)
        cited |= {n for n in graph.all_nodes() if isinstance(n, URIRef) and n.startswith(BASE)
                  and not n.startswith(str(AIMS))}
    assert cited
    unknown = sorted(c for c in cited if (c, RDF.type, None) not in reference)
    assert not unknown, unknown


def test_example_organisation_has_at_least_eight_systems_in_scope(org: Graph) -> None:
    systems = set(org.subjects(RDF.type, AIMS.AISystem))
    covered = set(org.objects(HL.AIMS, AIMS.coversSystem))
    assert len(systems) >= 8 and covered == systems


def test_statement_of_applicability_decides_every_annex_a_control_once(org: Graph) -> None:
    decisions = list(org.objects(HL.SoA, AIMS.hasDecision))
    controls = [str(org.value(d, AIMS.decisionFor)) for d in decisions]
    assert sorted(controls) == sorted(BASE + "iso42001/" + c for c in ANNEX_A)
    for decision in decisions:
        assert org.value(decision, AIMS.applicable) is not None, decision
        assert str(org.value(decision, AIMS.justification) or "").strip(), decision


def test_every_applicable_control_has_an_implementation_and_excluded_ones_none(org: Graph) -> None:
    implemented = {org.value(ci, AIMS.implementsControl) for ci in org.subjects(RDF.type, AIMS.ControlImplementation)}
    for decision in org.objects(HL.SoA, AIMS.hasDecision):
        control = org.value(decision, AIMS.decisionFor)
        applicable = org.value(decision, AIMS.applicable).value
        assert (control in implemented) == applicable, control


def test_only_the_documented_risk_has_a_wrong_score(org: Graph) -> None:
    wrong = set()
    for risk in org.subjects(AIMS.riskScore, None):
        likelihood = org.value(risk, AIMS.hasLikelihood).value
        severity = org.value(risk, AIMS.hasSeverity).value
        if org.value(risk, AIMS.riskScore).value != likelihood * severity:
            wrong.add(risk)
    assert wrong == {HL.RiskCodeLeakage}


def test_only_the_documented_risk_above_threshold_is_untreated(org: Graph) -> None:
    threshold = org.value(HL.AIMS, AIMS.riskAcceptanceThreshold).value
    untreated = {
        r for r in org.subjects(AIMS.riskScore, None)
        if org.value(r, AIMS.riskScore).value > threshold and org.value(r, AIMS.hasTreatment) is None
        and (r, RDF.type, AIMS.ResidualRisk) not in org
    }
    assert untreated == {HL.RiskCVDiscrimination}


def test_the_serious_incident_was_reported_after_its_deadline(org: Graph, core: Graph) -> None:
    incidents = list(org.subjects(RDF.type, AIMS.SeriousIncident))
    assert incidents == [HL.IncidentCreditAgeBias]
    incident = incidents[0]
    deadline = core.value(org.value(incident, AIMS.incidentKind), AIMS.reportingDeadlineDays).value
    aware: date = org.value(incident, AIMS.awareOn).value
    reported: date = org.value(incident, AIMS.reportedOn).value
    assert (reported - aware).days > deadline


def test_exactly_one_annex_iii_system_lacks_an_impact_assessment(org: Graph) -> None:
    assessments = set(org.subjects(RDF.type, AIMS.ImpactAssessment))
    assessments |= set(org.subjects(RDF.type, AIMS.FundamentalRightsImpactAssessment))
    assessed = {org.value(a, AIMS.assessesSystem) for a in assessments}
    listed = set(org.subjects(AIMS.annexIIIUseCase, None))
    assert listed - assessed == {HL.CVScreening}


def test_provided_high_risk_system_misses_only_its_monitoring_plan(org: Graph) -> None:
    artefacts = (
        AIMS.hasTechnicalDocumentation, AIMS.hasLogging, AIMS.hasInstructionsForUse,
        AIMS.hasHumanOversightMeasure, AIMS.hasPerformanceMetric, AIMS.hasRiskManagementProcess,
        AIMS.hasPostMarketMonitoringPlan,
    )
    missing = [a for a in artefacts if org.value(HL.CreditScoring, a) is None]
    assert missing == [AIMS.hasPostMarketMonitoringPlan]


def test_nonconformity_is_raised_in_the_audit_and_has_an_open_corrective_action(org: Graph) -> None:
    nonconformities = list(org.subjects(RDF.type, AIMS.Nonconformity))
    assert len(nonconformities) == 1
    nc = nonconformities[0]
    assert (org.value(nc, AIMS.raisedIn), RDF.type, AIMS.InternalAudit) in org
    action = org.value(nc, AIMS.addressedBy)
    assert org.value(action, AIMS.status) == AIMS.Open
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(org.value(action, AIMS.dueDate)))
