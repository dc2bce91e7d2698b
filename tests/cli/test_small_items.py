"""Smaller command-line items of issue 17 (item 8): drop, --skip-invalid, coverage pictures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.command_line import run_cli

GRAPH = "https://example.org/dropme"


def test_drop_removes_one_organisation_graph_only(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    data = tmp_path / "d.ttl"
    data.write_text("<https://e/a> <https://e/b> 'x' .\n")
    assert run_cli("--store", store, "load", "--graph", GRAPH, str(data)).returncode == 0
    assert run_cli("--store", store, "load", "--graph", GRAPH + "2", str(data)).returncode == 0
    result = run_cli("--store", store, "drop", GRAPH)
    assert result.returncode == 0, result.stderr
    graphs = run_cli("--store", store, "sparql", "--format", "csv",
                     "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert GRAPH not in graphs.stdout.split() and GRAPH + "2" in graphs.stdout.split()
    again = run_cli("--store", store, "drop", GRAPH)
    assert again.returncode == 2 and "no graph" in again.stderr


@pytest.mark.parametrize("graph", ["https://w3id.org/aims-graph/graph/ontology",
                                   "https://w3id.org/aims-graph/graph/%6Fntology",
                                   "HTTPS://W3ID.ORG/aims-graph/graph/iso42001",
                                   "https://w3id.org/aims-graph/graph/import/../meta"])
def test_drop_refuses_reference_graphs_in_any_spelling(tmp_path: Path, graph: str) -> None:
    store = str(tmp_path / "store")
    result = run_cli("--store", store, "drop", graph)
    assert result.returncode == 2 and "reference graph" in result.stderr
    count = run_cli("--store", store, "sparql", "--format", "csv",
                    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/aims-graph/graph/ontology> { ?s ?p ?o } }")
    assert int(count.stdout.split()[1]) > 0


def test_skip_invalid_that_imports_nothing_fails(tmp_path: Path) -> None:
    sheet = tmp_path / "inventory.csv"
    template = run_cli("template", "--kind", "inventory").stdout.splitlines()[0]
    sheet.write_text(template + "\n" + ",".join(["!!"] * len(template.split(","))) + "\n")
    result = run_cli("--store", str(tmp_path / "store"), "import", "--skip-invalid", str(sheet))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "nothing imported" in result.stdout


def test_coverage_picture_without_out_is_refused(tmp_path: Path) -> None:
    result = run_cli("--store", "memory", "crosswalk", "coverage", "--from", "iso42001", "--to", "eu-ai-act",
                     "--format", "png", cwd=tmp_path)
    assert result.returncode == 2 and "--out" in result.stderr
    assert list(tmp_path.iterdir()) == []
