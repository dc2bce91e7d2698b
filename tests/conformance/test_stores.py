"""Classification and validation give the same answers on the embedded store and on a
real remote SPARQL endpoint (Oxigraph server)."""

from __future__ import annotations

from aims_graph.classification import DERIVED_GRAPH, classify
from aims_graph.validation import validate

from .conftest import HL, load_example


def test_classify_and_validate_on_any_store(any_store) -> None:
    load_example(any_store)
    results = {r.iri.removeprefix(HL): r.categories for r in classify(any_store)}
    assert results["CreditScoring"] == ["HighRiskAnnexIII"] and results["EmotionPilot"] == ["Prohibited"]
    rows = any_store.query(
        f"SELECT ?c WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ <{HL}FraudDetection> "
        "<https://w3id.org/aims-graph/ontology#hasRiskCategory> ?c } }"
    )
    assert [row["c"].value.rsplit("#", 1)[-1] for row in rows] == ["MinimalRisk"]
    classify(any_store, HL + "FraudDetection")  # replacing one system's derivations works remotely too
    report = validate(any_store, HL + "CreditScoring", engine="compiled")
    assert {f.shape.rsplit("/", 1)[-1] for f in report.findings()} == {
        "HighRiskPostMarketMonitoring", "SeriousIncidentReportedInTime", "ImplementedControlHasEvidence"}
