"""Who an obligation is owed to and which Article 43 procedure applies (issue 18, part 2).

Expected answers come from the Act's text (Articles 43, 49, 71, 73, 74(6), 88) and the
example organisation's documented facts (examples/README.md), never from running the query.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aims_graph.classification import classify
from aims_graph.named_queries import QueryAnswer, run
from aims_graph.store import Store, open_store
from tests.queries.conftest import EXAMPLE_GRAPH, HL, load_example

AIMS = "https://w3id.org/aims-graph/ontology#"
BODY = "https://w3id.org/aims-graph/eu-ai-act/body/"
OBLIGATION = "https://w3id.org/aims-graph/eu-ai-act/obligation/"
EU = "https://w3id.org/aims-graph/eu-ai-act/"
_INPUTS_FALSE = " ; ".join(
    f"aims:{fact} false"
    for fact in (
        "interactsWithNaturalPersons",
        "generatesSyntheticContent",
        "isEmotionRecognitionSystem",
        "generatesDeepFakes",
        "safetyComponentOfProduct",
        "performsProfiling",
        "financialFraudDetection",
    )
)


def routes(answer: QueryAnswer) -> dict[str, set[tuple[str | None, str, str]]]:
    """Per system: (procedure, grounds, verdict) of every row."""
    found: dict[str, set[tuple[str | None, str, str]]] = {}
    for record in answer.records():
        found.setdefault(record["system"], set()).add((record["procedure"], record["grounds"], record["verdict"]))
    return found


def owed(answer: QueryAnswer, obligation: str) -> set[tuple[str, frozenset[str], str | None]]:
    """(addressee, grounds, recorded body) of one obligation."""
    return {
        (r["addressee"], frozenset(r["grounds"].split(", ")), r["recordedBody"])
        for r in answer.records()
        if r["obligation"] == OBLIGATION + obligation
    }


def with_extra(turtle: str) -> Store:
    """A private, reclassified copy of the example organisation with some triples added."""
    store = load_example(open_store("memory"))
    store.load(
        f"@prefix aims: <{AIMS}> . @prefix hl: <{HL}> . @prefix eu: <{EU}> .\n{turtle}".encode(),
        ox.RdfFormat.TURTLE,
        EXAMPLE_GRAPH,
    )
    classify(store)
    return store


def test_each_high_risk_example_system_gets_its_article_43_route(example_store: Store) -> None:
    found = routes(run(example_store, "conformity-route"))
    internal, sectoral = AIMS + "InternalControl", AIMS + "SectoralProcedure"
    assert found == {
        # Annex III points 4(a), 5(b), 5(c): internal control, Article 43(2).
        HL + "CreditScoring": {(internal, "Article 43(2)", "followed")},
        HL + "AffordabilityCheck": {(internal, "Article 43(2)", "followed")},
        HL + "CVScreening": {(internal, "Article 43(2)", "no conformity assessment recorded")},
        HL + "InsurancePricing": {(internal, "Article 43(2)", "no conformity assessment recorded")},
        # Annex I Section A (medical devices, lifts): the sectoral procedure, Article 43(3).
        HL + "HealthTriageApp": {(sectoral, "Article 43(3)", "followed")},
        HL + "LiftSafetyMonitor": {(sectoral, "Article 43(3)", "no conformity assessment recorded")},
        # Annex I Section B: Article 43 does not apply (Article 2(2)).
        HL + "CashSortingRobot": {(None, "Article 2(2)", "no procedure is due")},
    }


def test_the_route_names_the_recorded_notified_body_and_its_number(example_store: Store) -> None:
    answer = run(example_store, "conformity-route", {"system": HL + "HealthTriageApp"})
    [row] = answer.records()
    assert (row["notifiedBody"], row["notifiedBodyNumber"]) == (HL + "MedCertNotifiedBody", "9912")
    assert row["basis"] == "Annex I Section A" and "Annex VII" in row["explanation"]


@pytest.mark.parametrize(
    ("standards", "expected"),
    [
        ("true", {AIMS + "InternalControl", AIMS + "NotifiedBodyAssessment"}),
        ("false", {AIMS + "NotifiedBodyAssessment"}),
        (None, {AIMS + "NotifiedBodyAssessment"}),
    ],
)
def test_a_biometric_system_needs_a_notified_body_unless_standards_were_applied(
    standards: str | None, expected: set[str]
) -> None:
    fact = f"aims:harmonisedStandardsApplied {standards} ;" if standards else ""
    store = with_extra(f"""
        hl:FaceCategoriser a aims:AISystem ; aims:provider hl:Harbourline ; aims:deployer hl:Harbourline ;
            aims:annexIIIUseCase eu:Annex-III-point-1-b ; aims:isBiometricCategorisationSystem true ; {fact}
            {_INPUTS_FALSE} .""")
    answer = run(store, "conformity-route", {"system": HL + "FaceCategoriser"})
    assert {r["procedure"] for r in answer.records()} == expected
    assert {r["grounds"] for r in answer.records()} == {"Article 43(1)"}
    assert {r["choice"] for r in answer.records()} == (
        {"either (the provider chooses)"} if len(expected) == 2 else {"the only procedure"}
    )


def test_a_recorded_assessment_that_followed_another_procedure_is_reported() -> None:
    store = load_example(open_store("memory"))
    store.update(
        f"DELETE {{ GRAPH ?g {{ ?a <{AIMS}conformityProcedure> ?p }} }} INSERT {{ GRAPH ?g {{ ?a <{AIMS}conformityProcedure> "
        f"<{AIMS}SectoralProcedure> }} }} WHERE {{ VALUES ?a {{ <{HL}CreditConformity> }} GRAPH ?g {{ ?a <{AIMS}conformityProcedure> ?p }} }}"
    )
    [row] = run(store, "conformity-route", {"system": HL + "CreditScoring"}).records()
    assert row["verdict"] == "the recorded assessment followed another procedure"
    assert row["recordedProcedure"] == AIMS + "SectoralProcedure"


def test_serious_incidents_of_a_bank_system_go_to_its_financial_supervisor(example_store: Store) -> None:
    answer = run(
        example_store,
        "obligation-addressee",
        {"system": HL + "CreditScoring", "obligation": OBLIGATION + "serious-incident-reporting"},
    )
    # Article 73(1) names the market surveillance authority; Article 74(6) makes it the
    # financial supervisor of a regulated financial institution; Harbourline recorded the CSSF.
    assert owed(answer, "serious-incident-reporting") == {
        (BODY + "financial-supervisor", frozenset({"Article 73", "Article 74"}), HL + "CSSF"),
        (BODY + "financial-supervisor", frozenset({"Article 74"}), HL + "CSSF"),
    }
    assert all("Article 74(6)" in r["note"] for r in answer.records())
    assert {r["recordedBodyLabel"] for r in answer.records()} == {"Commission de Surveillance du Secteur Financier"}


def test_registration_is_owed_to_the_eu_database(example_store: Store) -> None:
    credit = run(example_store, "obligation-addressee", {"system": HL + "CreditScoring"})
    assert (BODY + "eu-database", frozenset({"Article 49", "Article 71"}), None) in owed(
        credit, "registration-provider"
    )
    derogation = run(example_store, "obligation-addressee", {"system": HL + "DocumentCheck"})
    assert (BODY + "eu-database", frozenset({"Article 49", "Article 71"}), None) in owed(
        derogation, "register-article-6-3-system"
    )
    assert (BODY + "national-competent-authority", frozenset({"Article 6"}), None) in owed(
        derogation, "document-article-6-3-assessment"
    )


def test_a_distributor_stays_with_the_market_surveillance_authority(example_store: Store) -> None:
    # Article 74(6) names placing on the market, putting into service and use, not distribution.
    answer = run(example_store, "obligation-addressee", {"system": HL + "HealthTriageApp"})
    assert owed(answer, "distributor-obligations") == {
        (BODY + "market-surveillance-authority", frozenset({"Article 74"}), None)
    }


def test_without_the_financial_fact_the_market_surveillance_authority_is_owed() -> None:
    store = load_example(open_store("memory"))
    store.update(f"DELETE WHERE {{ GRAPH <{EXAMPLE_GRAPH}> {{ <{HL}Harbourline> <{AIMS}financialInstitution> ?v }} }}")
    answer = run(
        store,
        "obligation-addressee",
        {"system": HL + "CreditScoring", "obligation": OBLIGATION + "serious-incident-reporting"},
    )
    assert {r["addressee"] for r in answer.records()} == {BODY + "market-surveillance-authority"}
    assert {r["note"] for r in answer.records()} == {""}


def test_a_general_purpose_model_is_supervised_by_the_ai_office() -> None:
    store = with_extra("""
        hl:HarbourLM a aims:GeneralPurposeAIModel ; aims:provider hl:Harbourline ;
            aims:trainingCompute 4.0e25 ; aims:designatedSystemicRisk false .""")
    answer = run(store, "obligation-addressee", {"system": HL + "HarbourLM"})
    supervisors = {(r["addressee"], r["grounds"]) for r in answer.records() if r["what"].startswith("supervised")}
    assert supervisors == {(BODY + "ai-office", "Article 88")}
    assert (BODY + "ai-office", frozenset({"Article 52"}), None) in owed(answer, "gpai-notification")
    assert (BODY + "ai-office", frozenset({"Article 55"}), None) in owed(answer, "gpai-systemic-risk-obligations")
