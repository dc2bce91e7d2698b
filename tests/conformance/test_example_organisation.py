"""The example organisation validates with exactly its documented findings.

Expected findings come from examples/README.md: the six "intended findings" plus the
Article 50 note, and the gap-report findings for the defects the README records under
"further deliberate defects" (control status, missing evidence, defective dataset in use).
"""

from __future__ import annotations

import pytest

from aims_graph.validation import validate

from .conftest import HL

SHAPES = "https://w3id.org/aims-graph/shapes/"

INTENDED = {
    # README "Intended findings"
    ("Violation", "CreditScoring", "HighRiskPostMarketMonitoring"),  # 1, Article 72
    ("Violation", "CVScreening", "SystemInScopeHasImpactAssessment"),  # 2, 6.1.4 / A.5.2
    ("Violation", "IncidentCreditAgeBias", "SeriousIncidentReportedInTime"),  # 3, Article 73
    ("Violation", "RiskCVDiscrimination", "RiskAboveThresholdTreated"),  # 4, 6.1.3
    ("Violation", "RiskCodeLeakage", "RiskScoreProduct"),  # 5, scoring rule
    ("Warning", "AcceptableUsePolicy", "DocumentedInformationReviewNotOverdue"),  # 6, 7.5
    ("Violation", "DocumentCheck", "Article6_3AssessmentBeforePlacing"),  # 11, Article 6(4)
    ("Info", "CustomerChatbot", "TransparencyNotice"),  # Article 50 note
}
DOCUMENTED_DEFECTS = {
    # README "Further deliberate defects": the gap report of the statement of applicability
    ("Warning", "SoA", "IncludedControlImplemented"),  # A.3.3 not implemented, A.8.5 planned
    ("Info", "SoA", "IncludedControlFullyImplemented"),  # A.5.2, A.7.4 partial
    ("Warning", "CI-A.6.2.6", "ImplementedControlHasEvidence"),  # implemented, no evidence
    ("Violation", "FraudLabels2023", "DefectiveDatasetNotInUse"),  # defective dataset in use
}


def _keys(report) -> set[tuple[str, str, str]]:
    return {(f.severity, f.focus_node.removeprefix(HL), f.shape.removeprefix(SHAPES)) for f in report.findings()}


@pytest.mark.parametrize("engine", ["pyshacl", "compiled"])
def test_whole_organisation_has_exactly_the_documented_findings(example_store, engine) -> None:
    report = validate(example_store, engine=engine)
    assert _keys(report) == INTENDED | DOCUMENTED_DEFECTS
    gaps = {f.value.rsplit("/", 1)[-1] for f in report.findings() if f.shape.endswith("IncludedControlImplemented")}
    partial = {f.value.rsplit("/", 1)[-1] for f in report.findings() if f.shape.endswith("IncludedControlFullyImplemented")}
    in_use = {f.value.rsplit("/", 1)[-1] for f in report.findings() if f.shape.endswith("DefectiveDatasetNotInUse")}
    assert (gaps, partial, in_use) == ({"A.3.3", "A.8.5"}, {"A.5.2", "A.7.4"}, {"FraudDetection", "SentinelModel"})
    assert report.has_violations


def test_late_incident_message_gives_the_days(example_store) -> None:
    report = validate(example_store, engine="compiled")
    [late] = [f for f in report.findings() if f.shape.endswith("SeriousIncidentReportedInTime")]
    assert "25 days" in late.message and "15 days" in late.message


def test_late_article_6_3_assessment_gives_both_dates(example_store) -> None:
    report = validate(example_store, engine="compiled")
    [late] = [f for f in report.findings() if f.shape.endswith("Article6_3AssessmentBeforePlacing")]
    assert "dated 2026-10-02" in late.message and "put into service on 2026-09-14" in late.message


def test_summary_groups_findings_by_requirement(example_store) -> None:
    summary = validate(example_store, engine="compiled").summary()
    status = {e.notation: e.status for e in summary.requirements if e.notation}
    assert status["Article 72"] == status["Article 73"] == status["6.1.4"] == status["Article 6(4)"] == "Violation"
    assert status["Article 9"] == status["Article 27"] == status["5.2"] == "pass"
    assert status["Article 50"] == "Info"
    assert (summary.violations, summary.conforms) == (8, False)


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        ("CreditScoring", {("Violation", "CreditScoring", "HighRiskPostMarketMonitoring"),
                           ("Violation", "IncidentCreditAgeBias", "SeriousIncidentReportedInTime"),
                           ("Warning", "CI-A.6.2.6", "ImplementedControlHasEvidence")}),
        ("CVScreening", {("Violation", "CVScreening", "SystemInScopeHasImpactAssessment"),
                         ("Violation", "RiskCVDiscrimination", "RiskAboveThresholdTreated")}),
        ("CodingAssistant", {("Violation", "RiskCodeLeakage", "RiskScoreProduct")}),
        ("CashForecaster", set()),
        ("DocumentCheck", {("Violation", "DocumentCheck", "Article6_3AssessmentBeforePlacing")}),
    ],
)
@pytest.mark.parametrize("engine", ["pyshacl", "compiled"])
def test_one_system_reports_only_its_own_focus_nodes(example_store, system, expected, engine) -> None:
    report = validate(example_store, HL + system, engine=engine)
    assert _keys(report) == expected
    assert report.scope == HL + system


def test_validation_writes_nothing(example_store) -> None:
    before = len(example_store)
    validate(example_store, engine="compiled")
    validate(example_store, HL + "CreditScoring", engine="compiled")
    assert len(example_store) == before


def test_clean_example_has_no_finding() -> None:
    import pyoxigraph as ox

    from aims_graph.store import open_store

    from .conftest import example_file

    with open_store("memory") as store:
        store.load(example_file("governance-architect.ttl").read_bytes(), ox.RdfFormat.TURTLE)
        for engine in ("pyshacl", "compiled"):
            report = validate(store, engine=engine)
            assert report.findings() == [] and report.summary().conforms


def test_one_system_is_validated_on_its_neighbourhood_only(example_store) -> None:
    import pyoxigraph as ox

    from aims_graph.validation.data import collect

    focus = {node.value for node in collect(example_store, HL + "CreditScoring").focus_nodes() if isinstance(node, ox.NamedNode)}
    whole = {node.value for node in collect(example_store).focus_nodes() if isinstance(node, ox.NamedNode)}
    assert {HL + n for n in ("CreditScoring", "RiskCreditBias", "IncidentCreditAgeBias", "CI-A.6.2.6", "CreditTechDoc")} <= focus
    assert not {HL + n for n in ("CVScreening", "AcceptableUsePolicy", "SoA", "Harbourline", "ElenaMarchetti")} & focus
    assert len(focus) < len(whole) / 2
