"""The conformance commands as a user runs them: real processes, real files, exit statuses."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib

from aims_graph.paths import EXAMPLES_DIR
from tests.command_line import run_cli

from .conftest import EXAMPLE_GRAPH, HL

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    location = str(tmp_path_factory.mktemp("cli") / "store")
    files = [str(p) for p in sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))]
    loaded = run_cli("--store", location, "load", "--graph", EXAMPLE_GRAPH, *files)
    assert loaded.returncode == 0, loaded.stderr
    return location


def test_validate_exits_1_on_violations_and_prints_the_summary_as_json(store: str) -> None:
    result = run_cli("--store", store, "validate", "--format", "json", "--engine", "compiled")
    assert result.returncode == 1, result.stderr
    summary = json.loads(result.stdout)
    failing = {e["notation"] for e in summary["requirements"] if e["status"] == "Violation"}
    assert {"Article 72", "Article 73", "6.1.3", "6.1.4", "Article 6(4)"} <= failing
    assert summary["violations"] == 8


def test_validate_prints_a_standard_report_in_turtle_and_json_ld(store: str) -> None:
    for output, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
        result = run_cli("--store", store, "validate", "--system", HL + "CreditScoring", "--format", output)
        assert result.returncode == 1, result.stderr
        graph = rdflib.Graph().parse(data=result.stdout, format=parser)
        [report] = graph.subjects(rdflib.RDF.type, SH.ValidationReport)
        assert graph.value(report, SH.conforms) == rdflib.Literal(False)
        shapes = {str(graph.value(r, SH.sourceShape)).rsplit("/", 1)[-1] for r in graph.objects(report, SH.result)}
        assert shapes == {"HighRiskPostMarketMonitoring", "SeriousIncidentReportedInTime", "ImplementedControlHasEvidence"}


def test_validate_text_table_and_exit_0_without_violation(store: str) -> None:
    result = run_cli("--store", store, "validate", "--system", HL + "CashForecaster")
    assert result.returncode == 0, result.stderr
    assert "0 violation(s)" in result.stdout and "Article 9" in result.stdout


def test_validate_errors_exit_2(store: str) -> None:
    unknown = run_cli("--store", store, "validate", "--system", HL + "NoSuchSystem")
    assert unknown.returncode == 2 and "NoSuchSystem" in unknown.stderr
    bad = run_cli("--store", store, "validate", "--format", "yaml")
    assert bad.returncode == 2 and "--format" in bad.stderr
    engine = run_cli("--store", store, "validate", "--engine", "fast")
    assert engine.returncode == 2 and "engine" in engine.stderr


def test_classify_json_and_text(store: str) -> None:
    result = run_cli("--store", store, "classify", "--format", "json")
    assert result.returncode == 0, result.stderr
    categories = {item["iri"].removeprefix(HL): item["categories"] for item in json.loads(result.stdout)}
    assert categories["DocumentCheck"] == ["NotHighRiskArticle6_3"] and categories["InsurancePricing"] == ["HighRiskAnnexIII"]
    text = run_cli("--store", store, "classify", "--system", HL + "EmotionPilot")
    assert text.returncode == 0 and "Article 5(1)(f)" in text.stdout


def test_soa_in_every_format_has_38_controls(store: str) -> None:
    outputs = {fmt: run_cli("--store", store, "soa", "--format", fmt) for fmt in ("csv", "json", "md", "html")}
    assert all(r.returncode == 0 for r in outputs.values()), {k: r.stderr for k, r in outputs.items()}
    rows = list(csv.DictReader(io.StringIO(outputs["csv"].stdout)))
    assert len(rows) == 38 and rows[0]["control"] == "A.2.2" and rows[-1]["control"] == "A.10.4"
    decisions = {row["control"]: row["decision"] for row in rows}
    assert [c for c, d in decisions.items() if d == "excluded"] == ["A.5.5", "A.10.4"]
    status = {row["control"]: row["implementation_status"] for row in rows}
    assert status["A.3.3"] == "not implemented" and status["A.8.5"] == "planned" and status["A.10.4"] == "none recorded"
    assert len(json.loads(outputs["json"].stdout)["controls"]) == 38
    assert sum(1 for line in outputs["md"].stdout.splitlines() if line.startswith("| A.")) == 38

    class Rows(HTMLParser):
        count = 0

        def handle_starttag(self, tag, attrs):
            self.count += tag == "tr"

    parser = Rows()
    parser.feed(outputs["html"].stdout)
    assert parser.count == 39  # header + 38 controls


def test_soa_shows_missing_decisions(tmp_path: Path) -> None:
    data = tmp_path / "soa.ttl"
    data.write_text("""@prefix aims: <https://w3id.org/aims-graph/ontology#> .
<https://example.org/SoA> a aims:StatementOfApplicability ; aims:hasDecision <https://example.org/D> .
<https://example.org/D> aims:decisionFor <https://w3id.org/aims-graph/iso42001/A.2.2> ; aims:applicable true ; aims:justification "policy needed" .
""")
    store = str(tmp_path / "store")
    assert run_cli("--store", store, "load", str(data)).returncode == 0
    result = run_cli("--store", store, "soa", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 38 and sum(r["decision"] == "missing" for r in rows) == 37
    assert rows[0]["justification"] == "policy needed"


def test_shacl_tool_on_plain_files(tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://e/PersonShape> a sh:NodeShape ; sh:targetClass <https://e/Person> ;
  sh:property [ sh:path <https://e/name> ; sh:minCount 1 ] .""")
    good, bad = tmp_path / "good.nt", tmp_path / "bad.jsonld"
    good.write_text('<https://e/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://e/Person> .\n'
                    '<https://e/a> <https://e/name> "A" .\n')
    bad.write_text('{"@id": "https://e/b", "@type": "https://e/Person"}')
    ok = run_cli("shacl", "--data", str(good), "--shapes", str(shapes))
    assert ok.returncode == 0, ok.stderr
    assert (None, SH.conforms, rdflib.Literal(True)) in rdflib.Graph().parse(data=ok.stdout, format="turtle")
    failed = run_cli("shacl", "--data", str(bad), "--shapes", str(shapes), "--format", "text")
    assert failed.returncode == 1 and "sh:conforms false (1 result(s))" in failed.stdout
    broken = tmp_path / "broken.ttl"
    broken.write_text("<https://e/a> <https://e/b> .")
    error = run_cli("shacl", "--data", str(broken), "--shapes", str(shapes))
    assert error.returncode == 2 and "broken.ttl" in error.stderr


def test_classify_counts_per_category_beyond_the_detail_limit(tmp_path: Path) -> None:
    data, location = tmp_path / "org.nt", str(tmp_path / "store")
    assert run_cli("generate", "--systems", "60", "--out", str(data)).returncode == 0
    assert run_cli("--store", location, "load", str(data)).returncode == 0
    counted = run_cli("--store", location, "classify")
    assert counted.returncode == 0, counted.stderr
    assert "systems and models" in counted.stdout and "MinimalRisk" in counted.stdout
    assert "Customer question answering system 0" not in counted.stdout
    detailed = run_cli("--store", location, "classify", "--details")
    assert "question" in detailed.stdout and "answering" in detailed.stdout


SYSTEM_FORMS = ["CreditScoring", f"{HL}CreditScoring", f"<{HL}CreditScoring>", "hl:CreditScoring"]


@pytest.mark.parametrize("form", SYSTEM_FORMS)
def test_every_command_that_takes_a_system_takes_the_same_forms(store: str, form: str, tmp_path: Path) -> None:
    """validate and classify once failed on an id ("expected IRI") that trace and chart accepted."""
    validated = run_cli("--store", store, "validate", "--system", form, "--format", "json")
    assert validated.returncode in (0, 1), validated.stderr
    assert json.loads(validated.stdout)["scope"] == f"{HL}CreditScoring"
    classified = run_cli("--store", store, "classify", "--system", form, "--format", "json")
    assert classified.returncode == 0, classified.stderr
    assert [row["iri"] for row in json.loads(classified.stdout)] == [f"{HL}CreditScoring"]
    traced = run_cli("--store", store, "trace", form, "--out", str(tmp_path / "t.svg"))
    assert traced.returncode == 0, traced.stderr
    charted = run_cli("--store", store, "chart", "--system", form, "--out", str(tmp_path / "c.png"))
    assert charted.returncode == 0, charted.stderr


@pytest.mark.parametrize("command", [["validate", "--system"], ["classify", "--system"], ["trace"]])
@pytest.mark.parametrize("form, message", [
    ("NoSuchSystem", "no AI system with id 'NoSuchSystem'"),
    (f"{HL}NoSuchSystem", f"no AI system {HL}NoSuchSystem"),
    ("<not an iri>", "is not a valid IRI"),
])
def test_a_system_that_does_not_resolve_is_a_one_line_error(store: str, command: list[str], form: str,
                                                             message: str, tmp_path: Path) -> None:
    extra = ["--out", str(tmp_path / "t.svg")] if command == ["trace"] else []
    result = run_cli("--store", store, *command, form, *extra)
    assert result.returncode == 2
    assert message in result.stderr.replace("AI system or model", "AI system")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
