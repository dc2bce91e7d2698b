"""``aims-graph reason`` runs HermiT over the example organisation (needs the machine's Java)."""

from __future__ import annotations

import json
from pathlib import Path

from aims_graph.paths import EXAMPLES_DIR
from tests.command_line import run_cli


def test_reason_reports_consistency_and_inferred_types(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    files = [str(p) for p in sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))]
    loaded = run_cli("--store", store, "load", "--graph", "https://w3id.org/aims-graph/graph/example", *files)
    assert loaded.returncode == 0
    result = run_cli("--store", store, "reason", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["consistent"] and not report["unsatisfiable_classes"]
    third_party = "https://w3id.org/aims-graph/ontology#ThirdPartyAISystem"
    assert third_party in report["inferred_types"]["https://example.org/harbourline/CVScreening"]
    assert third_party not in report["inferred_types"].get("https://example.org/harbourline/CreditScoring", [])


def test_reason_names_every_ill_typed_literal_instead_of_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "bad.ttl"
    data.write_text(
        "@prefix aims: <https://w3id.org/aims-graph/ontology#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://example.org/x/R1> a aims:Risk ; aims:hasLikelihood "high"^^xsd:integer .\n'
        '<https://example.org/x/S1> a aims:AISystem ; aims:performsProfiling "none"^^xsd:boolean ;\n'
        '    aims:placedOnMarketOn "2025-02-30"^^xsd:date .\n', encoding="utf-8")
    store = str(tmp_path / "store")
    assert run_cli("--store", store, "load", str(data)).returncode == 0
    result = run_cli("--store", store, "reason")
    assert result.returncode == 2 and "Traceback" not in result.stderr + result.stdout
    assert "3 literal(s) are not of their datatype" in result.stderr
    for written, datatype in (("high", "integer"), ("none", "boolean"), ("2025-02-30", "date")):
        assert f'"{written}" (as written) is not a valid xsd:{datatype}' in result.stderr
