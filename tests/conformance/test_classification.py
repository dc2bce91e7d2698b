"""EU AI Act classification: every Annex III area, every Article 5(1) practice, the
Article 6(3) exceptions and their profiling limit, the point 5(b) fraud carve-out,
Article 50, Annex I, general-purpose models and the obligations that follow."""

from __future__ import annotations

from datetime import date

import pyoxigraph as ox
import pytest

from aims_graph.classification import DERIVED_GRAPH, classify
from aims_graph.errors import NotFoundError
from aims_graph.store import open_store
from aims_graph.validation import validate

from .conftest import HL

EU = "https://w3id.org/aims-graph/eu-ai-act/"
EX = "https://example.org/"
PREFIXES = """@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix eu: <https://w3id.org/aims-graph/eu-ai-act/> .
@prefix ex: <https://example.org/> .
"""
ORG = "ex:Org a aims:Organisation ; aims:isPublicBody false ; aims:providesPublicService false .\n" \
      "ex:AIMS a aims:AIManagementSystem ; aims:operatedBy ex:Org .\n"


@pytest.fixture(scope="module")
def store():
    with open_store("memory") as opened:
        yield opened


def run(store, facts: str, node: str = "S"):
    store.replace_graph("https://w3id.org/aims-graph/graph/data", (PREFIXES + ORG + facts).encode(), ox.RdfFormat.TURTLE)
    [result] = [r for r in classify(store, write=False) if r.iri == EX + node]
    return result


def grounds(result) -> set[str]:
    return {g.iri.removeprefix(EU) for record in result.records for g in record.grounds}


ANNEX_III_POINTS = ["1-a", "1-b", "1-c", "2", "3-a", "3-b", "3-c", "3-d", "4-a", "4-b", "5-a", "5-b", "5-c", "5-d",
                    "6-a", "6-b", "6-c", "6-d", "6-e", "7-a", "7-b", "7-c", "7-d", "8-a", "8-b"]


@pytest.mark.parametrize("point", ANNEX_III_POINTS)
def test_every_annex_iii_point_is_high_risk(store, point: str) -> None:
    result = run(store, f"ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-{point} .")
    assert result.categories == ["HighRiskAnnexIII"]
    assert grounds(result) == {f"Annex-III-point-{point}", "Article-6-2"}
    assert point.split("-")[0] in result.records[0].explanation


@pytest.mark.parametrize("area", [str(n) for n in range(1, 9)])
def test_an_annex_iii_area_itself_is_high_risk(store, area: str) -> None:
    result = run(store, f"ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-{area} .")
    assert result.categories == ["HighRiskAnnexIII"]


@pytest.mark.parametrize("letter", list("abcdefgh"))
def test_every_article_5_practice_is_prohibited_and_nothing_else(store, letter: str) -> None:
    result = run(store, f"ex:S a aims:AISystem ; aims:prohibitedPractice eu:Article-5-1-{letter} ; "
                        "aims:annexIIIUseCase eu:Annex-III-point-1-c ; aims:interactsWithNaturalPersons true ; aims:deployer ex:Org .")
    assert result.categories == ["Prohibited"]
    assert grounds(result) == {"Article-5", f"Article-5-1-{letter}"}
    assert {o.iri.rsplit("/", 1)[-1] for o in result.obligations} == {"prohibited-practices", "ai-literacy"}


@pytest.mark.parametrize("letter", list("abcd"))
def test_article_6_3_exception_is_its_own_category_never_minimal_risk(store, letter: str) -> None:
    result = run(store, f"ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
                        f"aims:article6_3Exception eu:Article-6-3-{letter} ; aims:performsProfiling false .")
    assert result.categories == ["NotHighRiskArticle6_3"]
    [exemption] = [r for r in result.records if r.category == "NotHighRiskArticle6_3"]
    assert {g.iri.removeprefix(EU) for g in exemption.grounds} == {"Article-6-3", f"Article-6-3-{letter}", "Annex-III-point-4-a"}


DEROGATION = ("ex:S a aims:AISystem ; aims:provider ex:Org ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
              "aims:article6_3Exception eu:Article-6-3-b ; aims:performsProfiling false ; "
              "aims:placedOnMarketOn \"2026-09-01\"^^xsd:date")
ARTICLE_6_4_SHAPES = {"https://w3id.org/aims-graph/shapes/Article6_3AssessmentDocumented",
                      "https://w3id.org/aims-graph/shapes/Article6_3AssessmentBeforePlacing"}


@pytest.mark.parametrize(("assessment", "explained", "finding"), [
    ("", "no dated assessment is recorded", "Article6_3AssessmentDocumented"),
    (" ; aims:hasArticle6_3Assessment ex:A . ex:A a aims:Article6_3Assessment ; aims:reliesOnException eu:Article-6-3-b",
     "no dated assessment is recorded", "Article6_3AssessmentDocumented"),
    (" ; aims:hasArticle6_3Assessment ex:A . ex:A a aims:Article6_3Assessment ; dcterms:date \"2026-10-05\"^^xsd:date ; "
     "aims:reliesOnException eu:Article-6-3-b", "documented this assessment on 2026-10-05, relying on Article 6(3)(b)",
     "Article6_3AssessmentBeforePlacing"),
    (" ; aims:hasArticle6_3Assessment ex:A , ex:B . ex:A a aims:Article6_3Assessment ; dcterms:date \"2026-08-20\"^^xsd:date ; "
     "aims:assessedBy ex:Ana . ex:Ana a aims:Person . ex:B a aims:Article6_3Assessment ; dcterms:date \"2026-11-01\"^^xsd:date",
     "documented this assessment on 2026-08-20 (Article 6(4))", None),
])
def test_the_article_6_4_assessment_explains_the_derogation_and_its_absence_or_lateness_is_a_finding(
        store, assessment: str, explained: str, finding: str | None) -> None:
    """The derogation keeps its category and grounds whatever is documented (Article 6(3)); the
    record names the earliest dated assessment; a missing or undated one, or one dated after
    the system was placed on the market, is a finding on Article 6(4)."""
    head = "@prefix dcterms: <http://purl.org/dc/terms/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    result = run(store, head + DEROGATION + assessment + " .")
    assert result.categories == ["NotHighRiskArticle6_3"]
    [record] = [r for r in result.records if r.category == "NotHighRiskArticle6_3"]
    assert {g.iri.removeprefix(EU) for g in record.grounds} == {"Article-6-3", "Article-6-3-b", "Annex-III-point-4-a"}
    assert explained in record.explanation and "Article 49(2)" in record.explanation
    found = [f for f in validate(store, as_of=date(2026, 12, 8)).findings() if f.shape in ARTICLE_6_4_SHAPES]
    if finding is None:
        assert found == []
        return
    [one] = found
    assert one.shape.endswith(finding) and one.focus_node == EX + "S" and one.severity == "Violation"
    assert "https://w3id.org/aims-graph/eu-ai-act/Article-6-4" in one.requirements
    if finding.endswith("BeforePlacing"):
        assert one.message == ("The Article 6(3) assessment of this system is dated 2026-10-05, after the system was "
                               "placed on the market on 2026-09-01; Article 6(4) asks for it before.")


@pytest.mark.parametrize("letter", list("abcd"))
def test_profiling_keeps_the_system_high_risk_despite_an_exception(store, letter: str) -> None:
    result = run(store, f"ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; "
                        f"aims:article6_3Exception eu:Article-6-3-{letter} ; aims:performsProfiling true .")
    assert result.categories == ["HighRiskAnnexIII"]
    assert grounds(result) == {"Article-6-2", "Article-6-3", "Annex-III-point-4-a"}
    assert "profiling" in result.records[0].explanation


def test_financial_fraud_detection_is_carved_out_of_point_5b(store) -> None:
    result = run(store, "ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-5-b ; aims:financialFraudDetection true .")
    assert result.categories == ["MinimalRisk"]
    assert any(r.category is None and [g.iri for g in r.grounds] == [EU + "Annex-III-point-5-b"] for r in result.records)


def test_the_fraud_carve_out_applies_to_point_5b_only(store) -> None:
    result = run(store, "ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-5-c ; aims:financialFraudDetection true .")
    assert result.categories == ["HighRiskAnnexIII"]


@pytest.mark.parametrize(
    ("fact", "paragraph"),
    [("interactsWithNaturalPersons", "Article-50-1"), ("generatesSyntheticContent", "Article-50-2"),
     ("isEmotionRecognitionSystem", "Article-50-3"), ("isBiometricCategorisationSystem", "Article-50-3"),
     ("generatesDeepFakes", "Article-50-4")],
)
def test_article_50_transparency(store, fact: str, paragraph: str) -> None:
    result = run(store, f"ex:S a aims:AISystem ; aims:{fact} true ; aims:provider ex:Org ; aims:deployer ex:Org .")
    assert result.categories == ["TransparencyObligations"]
    assert grounds(result) == {paragraph}
    applied = {o.provision.iri.removeprefix(EU) for o in result.obligations if o.provision}
    assert paragraph in applied and not ({"Article-50-1", "Article-50-2", "Article-50-3", "Article-50-4"} - {paragraph}) & applied


def test_a_false_flag_derives_nothing(store) -> None:
    result = run(store, "ex:S a aims:AISystem ; aims:interactsWithNaturalPersons false ; aims:safetyComponentOfProduct false .")
    assert result.categories == ["MinimalRisk"]
    assert grounds(result) == set()


def test_annex_i_safety_component_with_third_party_assessment(store) -> None:
    result = run(store, "ex:S a aims:AISystem ; aims:safetyComponentOfProduct true ; "
                        "aims:requiresThirdPartyConformityAssessment true ; aims:coveredByAnnexI eu:Annex-I-Section-A-point-11 .")
    assert result.categories == ["HighRiskAnnexI"]
    assert grounds(result) == {"Article-6-1", "Annex-I-Section-A-point-11"}


def test_annex_i_without_third_party_assessment_is_not_high_risk(store) -> None:
    result = run(store, "ex:S a aims:AISystem ; aims:safetyComponentOfProduct true ; "
                        "aims:requiresThirdPartyConformityAssessment false ; aims:coveredByAnnexI eu:Annex-I-Section-A-point-11 .")
    assert result.categories == ["MinimalRisk"]


@pytest.mark.parametrize(
    ("facts", "category", "expected_grounds"),
    [("aims:trainingCompute 2.0e25", "GeneralPurposeAISystemicRisk", {"Article-51-1", "Article-51-2"}),
     ("aims:trainingCompute 1.0e24 ; aims:designatedSystemicRisk true", "GeneralPurposeAISystemicRisk", {"Article-51-1"}),
     ("aims:trainingCompute 1.0e25", "GeneralPurposeAI", {"Article-53"}),
     ("aims:designatedSystemicRisk false", "GeneralPurposeAI", {"Article-53"})],
)
def test_general_purpose_models(store, facts: str, category: str, expected_grounds: set[str]) -> None:
    result = run(store, f"ex:M a aims:GeneralPurposeAIModel ; aims:provider ex:Org ; {facts} .", node="M")
    assert result.categories == [category]
    assert grounds(result) == expected_grounds
    assert any("Article-53-1-a" == o.provision.iri.removeprefix(EU) for o in result.obligations if o.provision)


def test_a_high_risk_system_and_transparency_at_once(store) -> None:
    result = run(store, "ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:interactsWithNaturalPersons true .")
    assert result.categories == ["HighRiskAnnexIII", "TransparencyObligations"]


def test_obligations_follow_the_roles_the_organisation_holds(store) -> None:
    provided = run(store, "ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:provider ex:Org .")
    deployed = run(store, "ex:S a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:deployer ex:Org ; aims:provider ex:Vendor . ex:Vendor a aims:Organisation .")
    names = lambda r: {o.iri.rsplit("/", 1)[-1] for o in r.obligations}  # noqa: E731
    assert "risk-management-system" in names(provided) and "deployer-human-oversight" not in names(provided)
    assert "deployer-human-oversight" in names(deployed) and "risk-management-system" not in names(deployed)
    assert "fundamental-rights-impact-assessment" not in names(deployed)  # private deployer, point 4(a)


@pytest.mark.parametrize(
    ("organisation", "point", "applies"),
    [("aims:isPublicBody true", "4-a", True), ("aims:providesPublicService true", "1-a", True),
     ("aims:isPublicBody false", "5-b", True), ("aims:isPublicBody false", "5-c", True),
     ("aims:isPublicBody false", "5-a", False), ("aims:isPublicBody true", "2", False)],
)
def test_article_27_fria_condition(store, organisation: str, point: str, applies: bool) -> None:
    facts = (f"ex:Deployer a aims:Organisation ; {organisation} . ex:AIMS2 a aims:AIManagementSystem ; aims:operatedBy ex:Deployer .\n"
             f"ex:S a aims:AISystem ; aims:deployer ex:Deployer ; aims:annexIIIUseCase eu:Annex-III-point-{point} .")
    result = run(store, facts)
    assert ("fundamental-rights-impact-assessment" in {o.iri.rsplit("/", 1)[-1] for o in result.obligations}) is applies


def test_unknown_system_is_a_clear_error(store) -> None:
    with pytest.raises(NotFoundError, match="not an aims:AISystem"):
        classify(store, EX + "Nothing")


def test_example_organisation_classification(fresh_example_store) -> None:
    results = {r.iri.removeprefix(HL): r for r in classify(fresh_example_store)}
    assert {name: r.categories for name, r in results.items()} == {
        "CreditScoring": ["HighRiskAnnexIII"], "CVScreening": ["HighRiskAnnexIII"],
        "CustomerChatbot": ["TransparencyObligations"], "FraudDetection": ["MinimalRisk"],
        "InsurancePricing": ["HighRiskAnnexIII"], "CodingAssistant": ["MinimalRisk"],
        "EmotionPilot": ["Prohibited"], "CashForecaster": ["MinimalRisk"], "DocumentCheck": ["NotHighRiskArticle6_3"],
        "NimbusLLM": ["GeneralPurposeAI"],
        "HealthTriageApp": ["HighRiskAnnexI"], "LiftSafetyMonitor": ["HighRiskAnnexI"],
        "CashSortingRobot": ["HighRiskAnnexI"], "AffordabilityCheck": ["HighRiskAnnexIII"],
    }
    fria = {n for n, r in results.items() if any(o.iri.endswith("fundamental-rights-impact-assessment") for o in r.obligations)}
    assert fria == {"CreditScoring", "InsurancePricing", "AffordabilityCheck"}
    assert results["NimbusLLM"].obligations == []  # Harbourline is not its provider

    def articles(name: str) -> set[str]:
        return {o.provision.notation for o in results[name].obligations if o.provision and o.decided}

    def grounds(name: str) -> set[str]:
        return {g.notation for r in results[name].records for g in r.grounds}

    # Annex I Section A: itself a product (medical devices), and a safety component (lifts)
    assert {"Article 6(1)", "Annex I Section A point 11"} <= grounds("HealthTriageApp")
    assert articles("HealthTriageApp") == {"Article 24"}  # Harbourline only distributes it
    assert {"Article 6(1)", "Annex I Section A point 4"} <= grounds("LiftSafetyMonitor")
    assert "Article 26(1)" in articles("LiftSafetyMonitor") and "Article 9" not in articles("LiftSafetyMonitor")
    # Annex I Section B (machinery, Regulation (EU) 2023/1230 as amended): Article 2(2) only
    assert {"Article 2(2)", "Annex I Section B point 21"} <= grounds("CashSortingRobot")
    assert articles("CashSortingRobot") == set()
    # Article 25(1)(a): Harbourline put its name on Lendwise's engine and is now its provider
    assert {"Article 25(1)(a)", "Article 25(2)"} <= grounds("AffordabilityCheck")
    assert {"Article 9", "Article 16", "Article 25(1)", "Article 26(1)", "Article 27(1)"} <= articles("AffordabilityCheck")
    # Article 6(3) derogation: documentation (6(4)) and registration (49(2)), no high-risk duty
    assert articles("DocumentCheck") == {"Article 4", "Article 6(4)", "Article 49(2)"}


def test_classify_writes_the_derived_graph_and_replaces_one_system(fresh_example_store) -> None:
    store = fresh_example_store
    classify(store)
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}"
    first = int(next(iter(store.query(count)))["n"].value)
    assert first > 0
    store.update(f'DELETE DATA {{ GRAPH <https://w3id.org/aims-graph/graph/example> {{ <{HL}CVScreening> '
                 f'<https://w3id.org/aims-graph/ontology#annexIIIUseCase> <{EU}Annex-III-point-4-a> }} }}')
    [result] = classify(store, HL + "CVScreening")
    assert result.categories == ["MinimalRisk"]
    categories = {row["c"].value.rsplit("#", 1)[-1] for row in store.query(
        f"SELECT ?c WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ <{HL}CVScreening> <https://w3id.org/aims-graph/ontology#hasRiskCategory> ?c }} }}")}
    assert categories == {"MinimalRisk"}
    other = {row["c"].value.rsplit("#", 1)[-1] for row in store.query(
        f"SELECT ?c WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ <{HL}CreditScoring> <https://w3id.org/aims-graph/ontology#hasRiskCategory> ?c }} }}")}
    assert other == {"HighRiskAnnexIII"}
    classify(store)
    assert int(next(iter(store.query(count)))["n"].value) < first  # CVScreening lost its high-risk obligations


def test_the_rules_run_unchanged_in_pyshacl_shacl_af(example_store) -> None:
    """The rules are standard SHACL-AF: pySHACL (advanced=True) derives the same facts."""
    import pyshacl
    import rdflib

    from aims_graph.classification import _version_marker
    from aims_graph.classification.inputs import organisation_data, reference_context
    from aims_graph.law import law_of
    from aims_graph.classification.rules import RULES_DIR

    data = rdflib.Graph()
    data.parse(data=reference_context(example_store).decode(), format="nt")
    data.parse(data=organisation_data(example_store).decode(), format="nt")
    data.parse(data=_version_marker(law_of(example_store), date.today()).decode(), format="nt")
    rules = rdflib.Graph().parse(RULES_DIR / "classification.ttl")
    pyshacl.validate(data, shacl_graph=rules, advanced=True, inplace=True, inference="none")
    aims = rdflib.Namespace("https://w3id.org/aims-graph/ontology#")
    derived = (aims.hasRiskCategory, aims.obligationApplies, aims.obligationMayApply)
    theirs = {(str(s), str(p), str(o)) for p in derived for s, o in data.subject_objects(p)}
    ours = set()
    for result in classify(example_store, write=False):
        ours |= {(result.iri, str(aims.hasRiskCategory), str(aims) + c) for c in result.categories}
        ours |= {(result.iri, str(aims.obligationApplies if o.decided else aims.obligationMayApply), o.iri)
                 for o in result.obligations}
    assert theirs == ours and len(ours) > 50


def test_an_obligation_with_a_condition_in_words_is_only_conditional(example_store) -> None:
    """Article 26(9) binds deployers only where a data protection impact assessment is required:
    the data cannot tell, so the rules offer it as a possible obligation with its condition.
    Article 22 binds only providers established outside the Union, which the data records
    (aims:establishedOutsideUnion): Harbourline is not, so it is not listed at all."""
    results = {r.iri.rsplit("/", 1)[-1]: r for r in classify(example_store, write=False)}
    by_obligation = {o.iri.rsplit("/", 1)[-1]: o for o in results["CreditScoring"].obligations}
    dpia = by_obligation["deployer-dpia-information"]
    assert not dpia.decided and "DPIA" in dpia.condition
    assert "authorised-representative-high-risk" not in by_obligation
    registration = by_obligation["registration-provider"]
    assert registration.decided  # its Annex III point 2 exception is decided from the data
    assert by_obligation["risk-management-system"].decided and by_obligation["risk-management-system"].condition is None
