"""Every competency question answered on the example organisation (examples/README.md).

Each test names the finding it checks; expected values come from the example files'
documented intent, never from running the query.
"""

from __future__ import annotations

from typing import Any

import pytest

from aims_graph.named_queries import QueryAnswer, run
from aims_graph.store import Store
from tests.queries.conftest import HL

AIMS = "https://w3id.org/aims-graph/ontology#"
ISO = "https://w3id.org/aims-graph/iso42001/"
EU = "https://w3id.org/aims-graph/eu-ai-act/"


def cells(answer: QueryAnswer, *columns: str) -> set[tuple[Any, ...]]:
    """The distinct combinations of some columns, as plain values."""
    return {tuple(record[c] for c in columns) for record in answer.records()}


def test_list_systems_shows_all_thirteen_systems_with_the_roles_harbourline_holds(example_store: Store) -> None:
    answer = run(example_store, "list-systems")
    assert len(answer) == 13
    roles = {r["system"]: r["roles"] for r in answer.records()}
    assert roles[HL + "CreditScoring"] == "provider, deployer" or roles[HL + "CreditScoring"] == "deployer, provider"
    assert roles[HL + "CVScreening"] == "deployer"
    assert roles[HL + "HealthTriageApp"] == "distributor"
    assert all(r["inScope"] for r in answer.records())
    high = run(example_store, "list-systems", {"category": AIMS + "HighRiskAnnexIII"})
    assert set(high.column("system")) == {HL + "CreditScoring", HL + "CVScreening", HL + "InsurancePricing",
                                          HL + "AffordabilityCheck"}


def test_systems_by_risk_category_counts_the_classification(example_store: Store) -> None:
    answer = run(example_store, "systems-by-risk-category")
    counts = {r["category"]: r["systemCount"] for r in answer.records()}
    assert counts[AIMS + "HighRiskAnnexIII"] == 4
    assert counts[AIMS + "HighRiskAnnexI"] == 3
    assert counts[AIMS + "Prohibited"] == 1
    assert sum(counts.values()) >= 13


def test_trace_system_follows_credit_scoring_to_models_datasets_and_its_ground(example_store: Store) -> None:
    answer = run(example_store, "trace-system", {"system": HL + "CreditScoring"})
    facts = cells(answer, "aspect", "item")
    assert ("purpose", HL + "CreditScoringPurpose") in facts
    assert ("domain", HL + "ConsumerCredit") in facts
    assert ("life-cycle stage", "https://w3id.org/aims-graph/iso22989/6.2.6") in facts
    assert ("owner", HL + "MarcWeber") in facts
    assert cells(answer, "aspect", "detail") >= {("operator", "provider"), ("operator", "deployer")}
    assert {("model", HL + "CreditModelV3"), ("model", HL + "CreditModelV2")} <= facts
    datasets = {r["item"]: r for r in answer.records() if r["aspect"] == "dataset"}
    assert set(datasets) == {HL + "CreditTraining", HL + "CreditValidation", HL + "CreditTest"}
    assert "derived from https://example.org/harbourline/LoanBookExtract" in datasets[HL + "CreditTraining"]["note"]
    assert "collected on 2025-01-31" in datasets[HL + "CreditTraining"]["note"]
    category = [r for r in answer.records() if r["aspect"] == "risk category"]
    assert [r["item"] for r in category] == [AIMS + "HighRiskAnnexIII"]
    assert "Annex III point 5(b)" in category[0]["detail"]
    assert answer.column("aspect")[0] == "purpose" and answer.column("aspect")[-1] == "risk category"


def test_risk_chain_links_the_credit_bias_risk_to_its_source_treatment_controls_and_evidence(example_store: Store) -> None:
    answer = run(example_store, "risk-chain", {"system": HL + "CreditScoring"})
    assert set(answer.column("risk")) == {HL + "RiskCreditBias", HL + "RiskCreditDrift"}
    chain = cells(answer, "risk", "sourceCategory", "treatment", "controlNotation", "status", "evidence")
    assert (HL + "RiskCreditBias", "B.5", HL + "TreatCreditBias", "A.7.4", "partially implemented", HL + "EV-A.7.4") in chain
    assert (HL + "RiskCreditBias", "B.5", HL + "TreatCreditBias", "A.6.2.6", "implemented", None) in chain
    assert (HL + "RiskCreditDrift", "B.2", HL + "TreatCreditDrift", None, None, None) in chain
    everything = run(example_store, "risk-chain")
    assert len(set(everything.column("risk"))) == 14


def test_untreated_high_risk_is_exactly_the_cv_discrimination_risk(example_store: Store) -> None:
    answer = run(example_store, "untreated-high-risk")
    assert answer.records() == [{
        "system": HL + "CVScreening", "systemLabel": "TalentSift CV screening service",
        "category": "high-risk (Annex III use case)", "risk": HL + "RiskCVDiscrimination",
        "riskLabel": "CV ranking disadvantages women returning from career breaks",
        "score": 15, "threshold": 12, "aboveThreshold": True, "treatmentStatuses": "no treatment"}]


def test_control_dependents_of_a_6_2_4_reach_the_credit_system_and_article_9(example_store: Store) -> None:
    answer = run(example_store, "control-dependents", {"control": "A.6.2.4"})
    assert set(answer.column("applicable")) == {True}
    found = cells(answer, "dependent", "item")
    assert {("implementation", HL + "CI-A.6.2.4"), ("risk treatment", HL + "TreatCreditBias"),
            ("risk", HL + "RiskCreditBias"), ("system", HL + "CreditScoring"),
            ("mapped provision", EU + "Article-9"), ("mapped provision", EU + "Article-15")} <= found
    implementation = next(r for r in answer.records() if r["dependent"] == "implementation")
    assert implementation["status"] == "implemented" and implementation["detail"]


def test_control_dependents_of_a_5_2_include_the_audit_nonconformity(example_store: Store) -> None:
    answer = run(example_store, "control-dependents", {"control": "A.5.2"})
    findings = [r for r in answer.records() if r["dependent"] == "audit finding"]
    assert [(r["item"], r["status"]) for r in findings] == [(HL + "NCImpactAssessmentCV", "open")]
    assert findings[0]["detail"] == "raised in AIMS internal audit 2026"


def test_control_dependents_of_an_excluded_control_show_the_exclusion_and_its_reason(example_store: Store) -> None:
    answer = run(example_store, "control-dependents", {"control": ISO + "A.10.4"})
    assert set(answer.column("applicable")) == {False}
    assert "no customer relationship" in answer.records()[0]["justification"]
    assert not {"implementation", "risk", "system"} & set(answer.column("dependent"))


def test_article_coverage_of_article_26_shows_deployed_high_risk_systems_controls_and_gaps(example_store: Store) -> None:
    answer = run(example_store, "article-coverage", {"article": "Article 26"})
    applies = {(r["system"], r["role"]) for r in answer.records() if r["section"] == "applies to"}
    assert {s for s, _ in applies} == {HL + "CreditScoring", HL + "CVScreening", HL + "InsurancePricing",
                                       HL + "LiftSafetyMonitor", HL + "AffordabilityCheck"}
    assert {role for _, role in applies} == {"deployer"}
    addressed = {(r["itemNotation"], r["status"]) for r in answer.records() if r["section"] == "addressed by"}
    assert {("A.9.2", "implemented"), ("A.9.4", "implemented"), ("A.7.4", "partially implemented")} <= addressed
    gaps = {(r["provision"], r["system"]) for r in answer.records() if r["section"] == "gap"}
    conditional = {(r["provision"], r["system"]) for r in answer.records() if r["section"] == "conditional gap"}
    # Art. 26(4) binds only a deployer that controls the input data (a condition in words);
    # it is mapped only to A.7.4, which is partially implemented.
    assert ("Article 26(4)", HL + "CVScreening") in conditional - gaps
    assert ("Article 26(12)", HL + "CVScreening") in gaps
    # Art. 26(1) is covered by the implemented A.9.4.
    assert not {p for p, _ in gaps} & {"Article 26(1)", "Article 26(2)", "Article 26(5)", "Article 26(6)"}
    order = answer.column("section")
    assert order == sorted(order, key=["applies to", "addressed by", "gap", "conditional gap"].index)


def test_article_coverage_of_a_paragraph_also_shows_what_is_mapped_to_its_article(example_store: Store) -> None:
    answer = run(example_store, "article-coverage", {"article": "Article 26(1)"})
    assert {r["provision"] for r in answer.records() if r["section"] == "applies to"} == {"Article 26(1)"}
    addressed = {(r["provision"], r["itemNotation"]) for r in answer.records() if r["section"] == "addressed by"}
    assert addressed == {("Article 26", "A.9.2"), ("Article 26(1)", "A.9.4")}
    assert "gap" not in answer.column("section")


def test_change_impact_of_the_defective_fraud_labels_reaches_sentinel_and_its_stakeholders(example_store: Store) -> None:
    answer = run(example_store, "change-impact", {"artefact": HL + "FraudLabels2023"})
    assert set(answer.column("system")) == {HL + "FraudDetection"}
    found = cells(answer, "impact", "item")
    assert {("system", HL + "FraudDetection"), ("risk", HL + "RiskFraudFalsePositives"),
            ("stakeholder", HL + "CardHolders"), ("stakeholder", HL + "JonasLindqvist")} <= found
    assert "open incident" not in answer.column("impact")
    assert ("system", "through model Sentinel anomaly and fraud model 4.2") in cells(answer, "impact", "detail")


def test_change_impact_of_a_model_reaches_every_system_built_on_it(example_store: Store) -> None:
    nimbus = run(example_store, "change-impact", {"artefact": HL + "NimbusLLM"})
    assert set(nimbus.column("system")) == {HL + "CustomerChatbot", HL + "CodingAssistant"}
    base = run(example_store, "change-impact", {"artefact": HL + "CreditModelV2"})
    assert set(base.column("system")) == {HL + "CreditScoring"}
    assert "obligation" in base.column("impact")


def test_missing_impact_assessment_is_exactly_the_cv_screening_service(example_store: Store) -> None:
    answer = run(example_store, "missing-impact-assessment")
    assert cells(answer, "system", "missing") == {(HL + "CVScreening", "AI system impact assessment")}


def test_statement_of_applicability_lists_all_38_controls_in_number_order(example_store: Store) -> None:
    answer = run(example_store, "statement-of-applicability")
    notations = answer.column("notation")
    assert len(notations) == 38 and notations[0] == "A.2.2" and notations[-1] == "A.10.4"
    assert notations.index("A.6.2.8") < notations.index("A.7.2")
    rows = {r["notation"]: r for r in answer.records()}
    assert rows["A.3.3"]["implementation"] == "not implemented"
    assert rows["A.8.5"]["implementation"] == "planned"
    assert rows["A.7.4"]["implementation"] == rows["A.5.2"]["implementation"] == "partially implemented"
    assert rows["A.6.2.6"]["implementation"] == "implemented" and rows["A.6.2.6"]["evidenceCount"] == 0
    assert {n for n, r in rows.items() if r["applicable"] is False} == {"A.5.5", "A.10.4"}
    one = run(example_store, "statement-of-applicability", {"soa": HL + "SoA"})
    assert one.records() == answer.records()


def test_third_party_components_name_suppliers_and_the_systems_that_use_them(example_store: Store) -> None:
    answer = run(example_store, "third-party-components")
    pairs = cells(answer, "component", "supplier")
    assert {(HL + "CVScreening", HL + "TalentSift"), (HL + "InsurancePricing", HL + "Actuaria"),
            (HL + "NimbusLLM", HL + "NimbusAI"), (HL + "VocalisModel", HL + "VocalisLabs")} <= pairs
    systems = {c for c, kind in cells(answer, "component", "kind") if kind == "AI system"}
    assert systems == {HL + "CVScreening", HL + "InsurancePricing", HL + "CodingAssistant", HL + "EmotionPilot",
                       HL + "HealthTriageApp", HL + "LiftSafetyMonitor", HL + "CashSortingRobot", HL + "AffordabilityCheck"}
    assert (HL + "NimbusLLM", HL + "CodingAssistant") in cells(answer, "component", "system")
    article_25 = {r["provision"] for r in answer.records() if r["provision"]}
    assert article_25 and all(p.startswith("Article 25") for p in article_25)


def test_serious_incident_deadlines_flag_the_late_credit_report(example_store: Store) -> None:
    answer = run(example_store, "serious-incident-deadlines", {"asOf": "2026-11-29"})
    assert answer.records() == [{
        "incident": HL + "IncidentCreditAgeBias",
        "incidentLabel": "systematic refusal of applicants aged 18-24 after release 3.2",
        "system": HL + "CreditScoring", "systemLabel": "Harbourline Credit Scoring Engine",
        "kind": "other serious incident", "awareOn": "2026-03-02", "deadlineDays": 15,
        "dueOn": "2026-03-17", "reportedOn": "2026-03-27", "daysTaken": 25, "verdict": "reported late"}]


def test_concept_mappings_read_relations_from_the_given_concepts_side(example_store: Store) -> None:
    answer = run(example_store, "concept-mappings", {"concept": "iso42001:6.1.2"})
    rows = {(r["otherNotation"], r["direction"]): r for r in answer.records()}
    assert rows[("Article 9", "outgoing")]["relation"] == "intersects with"
    # stored as iso23894 6.4.2 subset-of iso42001 6.1.2; seen from 6.1.2 it is a superset.
    assert rows[("6.4.2", "incoming")]["relation"] == "superset of"
    assert {r["rationale"] for r in answer.records()} <= {"syntactic", "semantic", "functional"}
    assert all(r["justification"] and r["status"] for r in answer.records())
    assert not any(r["otherNotationDerived"] for r in answer.records())


def test_concept_mappings_flag_a_provisional_number_on_the_other_side(example_store: Store) -> None:
    answer = run(example_store, "concept-mappings", {"concept": "iso42001:C.3.3"})
    rows = {r["otherNotation"]: r for r in answer.records()}
    # ISO/IEC 23894 B.4 follows from B.2 and B.3 but was never seen printed.
    assert rows["B.4"]["otherNotationDerived"] is True


def test_derived_notations_list_every_provisional_number_in_document_order(example_store: Store) -> None:
    answer = run(example_store, "derived-notations")
    by_scheme: dict[str, list[str]] = {}
    for record in answer.records():
        by_scheme.setdefault(record["scheme"].rsplit("/", 1)[-1], []).append(record["notation"])
        assert record["derivation"].startswith("number derived"), record["notation"]
    assert by_scheme["iso23894"] == [f"A.{n}" for n in range(2, 13)] + [f"B.{n}" for n in range(4, 9)]
    assert by_scheme["iso22989"][-1] == "6.2.3" and by_scheme["iso22989"][0] == "5.19.2"
    assert set(by_scheme) == {"iso23894", "iso22989"}
    # Harbourline's risk sources name B.5 five times, B.7 three times and B.4 once; the 23894-42001
    # crosswalk maps each Annex B item once.
    uses = {r["notation"]: (r["mappings"], r["usedBy"]) for r in answer.records() if r["usedBy"]}
    assert uses == {"B.4": (1, 1), "B.5": (1, 5), "B.7": (1, 3)}


def test_provisional_law_lists_the_one_source_facts_of_the_amended_ai_act(example_store: Store) -> None:
    # docs/research/eu-ai-act-amendments.md: titles not found (B8, B28, B41), titles and headings
    # seen once (B30, B32, B33), and the date of Article 6(1a)-(1c) read from Article 113 (C17).
    answer = run(example_store, "provisional-law")
    rows = cells(answer, "notation", "kind")
    assert rows == {(n, "provision") for n in ("Article 4a", "Article 60a", "Annex XIV", "Article 75b",
                                              "Article 75c", "Article 75d", "Article 6(1a)",
                                              "Article 6(1b)", "Article 6(1c)")} | {
        ("Article 75", "provision version"), ("Article 77", "provision version")}
    assert set(answer.column("version")) == {EU + "version/2026-1744"}
    assert all(len(note) > 40 for note in answer.column("note"))
    assert {r["label"] for r in answer.records() if r["notation"] == "Article 75"} == {
        "Market surveillance and control of AI systems and mutual assistance"}


def test_uncovered_provider_obligations_include_human_oversight_but_not_risk_management(example_store: Store) -> None:
    answer = run(example_store, "uncovered-provider-obligations")
    provisions = set(answer.column("provision"))
    assert "Article 14" in provisions      # mapped only by a no-relationship row
    assert "Article 43" in provisions
    assert "Article 9" not in provisions   # A.6.2.4 is implemented and maps to it
    assert "Article 26(1)" not in provisions  # a deployer obligation
    applicable = run(example_store, "uncovered-provider-obligations", {"onlyApplicable": "true"})
    assert set(applicable.column("provision")) <= provisions
    # Harbourline provides the Credit Scoring Engine and, under Article 25(1)(a), the Mortgage
    # Affordability Check (derived aims:consideredProvider).
    provided = {"Harbourline Credit Scoring Engine", "Harbourline Mortgage Affordability Check"}
    assert all(set(r["systems"].split(", ")) <= provided for r in applicable.records())
    assert {n for r in applicable.records() for n in r["systems"].split(", ")} == provided


def test_system_obligations_of_credit_scoring_carry_both_roles(example_store: Store) -> None:
    answer = run(example_store, "system-obligations", {"system": HL + "CreditScoring"})
    by_provision = {(r["provision"], r["role"]) for r in answer.records()}
    assert ("Article 9", "provider") in by_provision
    assert ("Article 27(1)", "deployer") in by_provision
    numbers = [int(p.split()[1].split("(")[0]) for p in answer.column("provision")]
    assert numbers == sorted(numbers)


@pytest.mark.parametrize("name", ["untreated-high-risk", "serious-incident-deadlines", "statement-of-applicability"])
def test_answers_convert_to_sparql_json_and_csv(example_store: Store, name: str) -> None:
    answer = run(example_store, name)
    body = answer.to_sparql_json()
    assert body["head"]["vars"] == list(answer.variables)
    assert len(body["results"]["bindings"]) == len(answer)
    assert answer.to_csv().splitlines()[0] == ",".join(answer.variables)
    assert len(answer.to_csv().splitlines()) >= len(answer) + 1


def test_change_impact_lists_an_open_incident_of_an_affected_system() -> None:
    # The example organisation has no open incident; add one to a private copy.
    import pyoxigraph as ox

    from aims_graph.store import open_store
    from tests.queries.conftest import load_example

    store = load_example(open_store("memory"))
    store.load(f"""
        @prefix aims: <{AIMS}> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <{HL}IncidentHeldPayments> a aims:Incident ; aims:incidentOf <{HL}FraudDetection> ;
            aims:status aims:Open ; aims:awareOn "2026-11-02"^^xsd:date .
        <{HL}IncidentOldClosed> a aims:Incident ; aims:incidentOf <{HL}FraudDetection> ; aims:status aims:Closed .
    """.encode(), ox.RdfFormat.TURTLE, "https://w3id.org/aims-graph/graph/data")
    answer = run(store, "change-impact", {"artefact": HL + "FraudLabels2023"})
    incidents = [(r["item"], r["detail"]) for r in answer.records() if r["impact"] == "open incident"]
    assert incidents == [(HL + "IncidentHeldPayments", "known since 2026-11-02")]


def _example_with(turtle: str) -> Store:
    """A private copy of the example organisation with some triples added."""
    import pyoxigraph as ox

    from aims_graph.store import open_store
    from tests.queries.conftest import load_example

    store = load_example(open_store("memory"))
    store.load(f"@prefix aims: <{AIMS}> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n{turtle}".encode(),
               ox.RdfFormat.TURTLE, "https://w3id.org/aims-graph/graph/data")
    return store


def test_a_control_covering_a_whole_article_covers_its_paragraphs() -> None:
    # The coverage rule's second half (a control equal to or a superset of a provision
    # containing the obligation's provision): its relation test once sat inside a UNION
    # branch, where the relation is unbound, so it never applied.
    before = run(_example_with(""), "article-coverage", {"article": "Article 26"})
    assert any(r["section"] == "gap" and r["provision"] == "Article 26(12)" for r in before.records())
    store = _example_with(f"""
        <urn:test:a624-article-26> a aims:Mapping ; aims:subject <{ISO}A.6.2.4> ;
            aims:object <{EU}Article-26> ; aims:setRelation aims:SupersetOf .
        <urn:test:a624-section-2> a aims:Mapping ; aims:subject <{ISO}A.6.2.4> ;
            aims:object <{EU}Chapter-III-Section-2> ; aims:setRelation aims:Equal .
    """)
    after = run(store, "article-coverage", {"article": "Article 26"})
    assert not [r for r in after.records() if r["section"] in ("gap", "conditional gap")]
    uncovered = {r["provision"] for r in run(store, "uncovered-provider-obligations").records()}
    assert "Article 14" not in uncovered and "Article 43" in uncovered


def test_third_party_components_include_a_model_known_only_by_its_provider() -> None:
    # A component whose provider is another organisation counts even without
    # aims:suppliedBy (the provider test once sat inside a UNION branch, where the
    # organisation is unbound); a component no system uses keeps an empty system.
    store = _example_with(f"""
        <urn:test:Aleph> a aims:Organisation ; rdfs:label "Aleph Models SA" .
        <urn:test:AlephModel> a aims:AIModel ; rdfs:label "Aleph scoring model" ; aims:provider <urn:test:Aleph> .
        <{HL}CashForecaster> aims:usesModel <urn:test:AlephModel> .
        <urn:test:AlephData> a aims:Dataset ; rdfs:label "Aleph reference data" ; aims:provider <urn:test:Aleph> .
    """)
    answer = run(store, "third-party-components")
    assert cells(answer, "component", "supplier", "system") >= {
        ("urn:test:AlephModel", "urn:test:Aleph", HL + "CashForecaster"),
        ("urn:test:AlephData", "urn:test:Aleph", None),
    }
    assert len([r for r in answer.records() if r["component"] == "urn:test:AlephData"]) == 1
