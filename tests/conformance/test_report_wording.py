"""Validation reports a person can read: filled messages printed once, paths as IRIs,
datatypes by name, one finding per mistake, one row per finding (issue 17, item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.paths import EXAMPLES_DIR
from aims_graph.store import open_store
from aims_graph.validation import validate
from tests.command_line import run_cli

from .conftest import EXAMPLE_GRAPH, HL

XSD_IRI = "http://www.w3.org/2001/XMLSchema#"
BAD = """
@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix t: <https://example.org/t/> .
t:R a aims:Risk ; aims:hasLikelihood "high" ; aims:hasSeverity 2 ; aims:riskScore 4 .
t:D a aims:Dataset ; aims:collectedOn "yesterday" .
"""


@pytest.fixture(scope="module")
def bad_store():
    with open_store("memory") as store:
        store.load(BAD.encode(), ox.RdfFormat.TURTLE, EXAMPLE_GRAPH)
        yield store


def test_risk_score_message_is_filled_and_said_once(example_store) -> None:
    [finding] = [f for f in validate(example_store).findings() if f.shape.endswith("RiskScoreProduct")]
    assert finding.message == "The risk score 6 is not likelihood 2 times severity 4."


@pytest.mark.parametrize("engine", ["compiled", "pyshacl"])
def test_one_wrong_value_is_one_finding_worded_without_raw_iris(bad_store, engine) -> None:
    findings = [f for f in validate(bad_store, engine=engine).findings() if f.focus_node == "https://example.org/t/R"
                and f.shape.endswith("RiskValues")]
    assert len(findings) == 1, findings
    [likelihood] = findings
    assert set(likelihood.components) == {"DatatypeConstraintComponent", "MinInclusiveConstraintComponent",
                                          "MaxInclusiveConstraintComponent"}
    assert likelihood.path == "https://w3id.org/aims-graph/ontology#hasLikelihood"
    assert 'aims:hasLikelihood "high": must be an integer (xsd:integer)' in likelihood.message
    assert "at least 1" in likelihood.message and "at most 5" in likelihood.message
    [date] = [f for f in validate(bad_store, engine=engine).findings() if f.shape.endswith("DatasetFacts")]
    assert 'aims:collectedOn "yesterday": must be a date (xsd:date)' in date.message
    assert XSD_IRI not in date.message and XSD_IRI not in likelihood.message


def test_json_path_is_an_iri_or_a_sparql_path(example_store) -> None:
    summary = validate(example_store).summary()
    [missing] = [f for f in summary.findings if f.shape.endswith("SystemInScopeHasImpactAssessment")]
    assert missing.path == "^(<https://w3id.org/aims-graph/ontology#assessesSystem>)"
    assert not any("Predicate(" in (f.path or "") or "{?" in f.message for f in summary.findings)


def test_a_finding_citing_two_requirements_is_one_finding_naming_both(example_store) -> None:
    summary = validate(example_store).summary()
    [untreated] = [f for f in summary.findings if f.shape.endswith("RiskAboveThresholdTreated")]
    assert untreated.requirements == ("https://w3id.org/aims-graph/iso42001/6.1.3",
                                      "https://w3id.org/aims-graph/iso42001/8.3")
    assert summary.violations == sum(1 for f in summary.findings if f.severity == "Violation")
    by_requirement = {e.notation: e.findings for e in summary.requirements}
    assert untreated in by_requirement["6.1.3"] and untreated in by_requirement["8.3"]


def test_cli_prints_each_finding_once(tmp_path: Path) -> None:
    store = tmp_path / "store"
    files = sorted(str(p) for p in (EXAMPLES_DIR / "organisation").glob("*.ttl"))
    loaded = run_cli("--store", str(store), "load", "--graph", EXAMPLE_GRAPH, *files)
    assert loaded.returncode == 0, loaded.stderr
    text = run_cli("--store", str(store), "validate", "--format", "csv")
    assert text.returncode == 1, text.stderr
    rows = text.stdout.splitlines()
    assert rows[0] == "#,severity,requirements,focus node,message"
    untreated = [row for row in rows if HL + "RiskCVDiscrimination" in row]
    assert len(untreated) == 1 and '"6.1.3, 8.3"' in untreated[0]
    assert not any("{?" in row for row in rows)
    data = json.loads(run_cli("--store", str(store), "validate", "--format", "json").stdout)
    assert len(data["findings"]) == len(rows) - 1
