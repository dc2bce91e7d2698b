"""The CLI writes no reference graph either: load, import and their spellings; reload rewrites them."""

from __future__ import annotations

from pathlib import Path

from tests.command_line import run_cli

ISO = "https://w3id.org/aims-graph/graph/iso42001"
TRIPLE = "<urn:attack:s> <urn:attack:p> <urn:attack:o>"


def test_load_and_import_refuse_reference_graphs_and_change_nothing(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    quads = tmp_path / "attack.nq"
    quads.write_text(f"{TRIPLE} .\n{TRIPLE} <https://w3id.org/aims-graph/graph/import/../iso42001> .\n")
    trig = tmp_path / "attack.trig"
    trig.write_text(f"@prefix g: <https://w3id.org/aims-graph/graph/> . g:meta {{ {TRIPLE} }}")
    triples = tmp_path / "attack.ttl"
    triples.write_text(f"{TRIPLE} .\n")
    inventory = Path(__file__).resolve().parents[2] / "examples" / "spreadsheets" / "inventory.csv"
    attempts = [
        ("load", str(quads)),
        ("load", str(triples), str(trig)),
        ("load", str(triples), "--graph", "HTTPS://W3ID.ORG/aims-graph/graph/iso42001"),
        ("load", str(triples), "--graph", ISO, "--replace"),
        ("import", str(inventory), "--graph", ISO),
    ]
    for args in attempts:
        result = run_cli("--store", store, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "reference graph" in result.stderr and "aims-graph reload" in result.stderr, result.stderr
    ask = run_cli("--store", store, "sparql", "ASK { <urn:attack:s> ?p ?o }", "--format", "json")
    assert '"boolean":false' in ask.stdout.replace(" ", ""), ask.stdout


def test_reload_rewrites_the_reference_graphs_and_says_so(tmp_path: Path) -> None:
    result = run_cli("--store", str(tmp_path / "store"), "reload")
    assert result.returncode == 0, result.stderr
    assert "reloaded" in result.stdout and "reference module(s)" in result.stdout
