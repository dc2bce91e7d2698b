"""Typos in the product's namespaces are refused on load, named with the closest term (issue 17, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.command_line import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = sorted((ROOT / "examples" / "organisation").glob("*.ttl"))
SYSTEM = """@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix eu-ai-act: <https://w3id.org/aims-graph/eu-ai-act/> .
<https://example.org/t/Scoring> a aims:AISystem ; rdfs:label "Scoring" ;
    {extra} .
"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { <https://example.org/t/Scoring> ?p ?o }"


def system_file(tmp_path: Path, extra: str, name: str = "system.ttl") -> Path:
    path = tmp_path / name
    path.write_text(SYSTEM.replace("{extra}", extra))
    return path


@pytest.mark.parametrize(("extra", "named", "suggested"), [
    ('aims:ownr <https://example.org/t/Alice>', "aims:ownr", "aims:owner"),
    ("aims:lifecycleStage <https://example.org/t/x>", "aims:lifecycleStage", "aims:lifeCycleStage"),
    ("aims:annexIIIUseCase eu-ai-act:Annex-III-point-5-x", "eu-ai-act:Annex-III-point-5-x",
     "eu-ai-act:Annex-III-point-5-"),
    ("a aims:AISystm", "aims:AISystm", "aims:AISystem"),
])
def test_an_unknown_term_is_refused_with_the_closest_one_and_nothing_is_written(
        tmp_path: Path, extra: str, named: str, suggested: str) -> None:
    store = str(tmp_path / "store")
    data = system_file(tmp_path, extra)
    result = run_cli("--store", store, "load", str(data))
    assert result.returncode == 2, result.stdout
    assert f"{data}: {named} (" in result.stderr and f"did you mean {suggested}" in result.stderr
    assert "--allow-unknown-terms" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("--store", store, "sparql", "--format", "csv", COUNT).stdout.split() == ["n", "0"]


def test_replace_refuses_unknown_terms_too(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    result = run_cli("--store", store, "load", "--replace", "--graph", "https://example.org/g",
                     str(system_file(tmp_path, "aims:ownr <https://example.org/t/Alice>")))
    assert result.returncode == 2 and "aims:ownr" in result.stderr


def test_allow_unknown_terms_loads_with_a_warning(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    result = run_cli("--store", store, "load", "--allow-unknown-terms",
                     str(system_file(tmp_path, "aims:ownr <https://example.org/t/Alice>")))
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "aims:ownr" in result.stderr
    assert run_cli("--store", store, "sparql", "--format", "csv", COUNT).stdout.split() == ["n", "3"]


def test_other_namespaces_and_the_example_organisation_load_cleanly(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    own = system_file(tmp_path, '<https://example.org/vocab#ownr> "x"', "own.ttl")
    result = run_cli("--store", store, "load", str(own), *map(str, EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_classify_refuses_a_system_whose_facts_name_unknown_concepts(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    data = system_file(tmp_path, "aims:annexIIIUseCase eu-ai-act:Annex-III-point-5-x")
    assert run_cli("--store", store, "load", "--allow-unknown-terms", str(data)).returncode == 0
    result = run_cli("--store", store, "classify", "--system", "Scoring")
    assert result.returncode == 2, result.stdout
    assert "cannot classify" in result.stderr and "eu-ai-act:Annex-III-point-5-x" in result.stderr
    assert "minimal" not in result.stdout
