"""``aims-graph reason`` runs HermiT over the example organisation (needs the machine's Java)."""

from __future__ import annotations

import json
from pathlib import Path

from aims_graph.paths import EXAMPLES_DIR
from tests.cli.test_cli import run


def test_reason_reports_consistency_and_inferred_types(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    files = [str(p) for p in sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))]
    assert run("--store", store, "load", "--graph", "https://w3id.org/aims-graph/graph/example", *files).returncode == 0
    result = run("--store", store, "reason", "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["consistent"] and not report["unsatisfiable_classes"]
    third_party = "https://w3id.org/aims-graph/ontology#ThirdPartyAISystem"
    assert third_party in report["inferred_types"]["https://example.org/harbourline/CVScreening"]
    assert third_party not in report["inferred_types"].get("https://example.org/harbourline/CreditScoring", [])
