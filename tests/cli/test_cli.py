"""The command line as a user meets it: a real process, real files, real exit statuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims_graph.knowledge.modules import discover_modules
from tests.command_line import run_cli


def test_export_of_a_fresh_memory_store_holds_all_reference_knowledge() -> None:
    result = run_cli("--store", "memory", "export", "--format", "nquads")
    assert result.returncode == 0, result.stderr
    for module in discover_modules():
        assert f"<{module.graph}> ." in result.stdout, module.name


def test_store_is_read_from_the_environment(tmp_path: Path) -> None:
    data = tmp_path / "one.nt"
    data.write_text("<https://e/a> <https://e/b> <https://e/c> .\n")
    store = tmp_path / "store"
    assert run_cli("load", str(data), env={"AIMS_GRAPH_STORE": str(store)}).returncode == 0
    answer = run_cli("sparql", "ASK { <https://e/a> <https://e/b> <https://e/c> }",
                     env={"AIMS_GRAPH_STORE": str(store)})
    assert answer.stdout.strip() == "true"


def test_a_persistent_store_keeps_what_was_loaded(tmp_path: Path) -> None:
    data = tmp_path / "one.ttl"
    data.write_text("<https://e/a> <https://e/b> 'x' .\n")
    store = str(tmp_path / "store")
    assert run_cli("--store", store, "load", "--graph", "https://e/g", str(data)).returncode == 0
    answer = run_cli("--store", store, "sparql", "--format", "csv",
                     "SELECT ?o WHERE { GRAPH <https://e/g> { ?s ?p ?o } }")
    assert answer.stdout.splitlines() == ["o", "x"]


def test_malformed_rdf_names_file_line_and_column_and_writes_nothing(tmp_path: Path) -> None:
    good = tmp_path / "good.ttl"
    good.write_text("<https://e/a> <https://e/b> 'x' .\n")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<https://e/a> <https://e/b> 'x' .\n<https://e/a> <https://e/b> 'unterminated .\n")
    store = str(tmp_path / "store")
    result = run_cli("--store", store, "load", str(good), str(bad))
    assert result.returncode == 2
    assert f"{bad}:2:" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    answer = run_cli("--store", store, "sparql", "ASK { <https://e/a> ?p ?o }")
    assert answer.stdout.strip() == "false"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "data.unknown"], "cannot tell the RDF syntax"),
        (["load", "--format", "yaml", "x.ttl"], "unknown RDF format"),
        (["load", "missing.ttl"], "cannot read the file"),
        (["export", "--format", "turtle"], "holds one graph"),
        (["sparql", "SELEC ?x"], "not a SPARQL query"),
        (["sparql", "SELECT ?x WHERE {"], "SPARQL syntax error"),
        (["sparql", "DELETE WHERE { ?s ?p ?o }"], "only runs queries"),
    ],
)
def test_user_errors_are_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_cli("--store", "memory", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_endpoint_is_reported() -> None:
    from tests.conftest import free_port

    result = run_cli("--store", f"http://127.0.0.1:{free_port()}", "info")
    assert result.returncode == 2
    assert "cannot reach" in result.stderr and "Traceback" not in result.stderr


def test_remote_store_through_the_cli(oxigraph_server, tmp_path: Path) -> None:
    data = tmp_path / "x.jsonld"
    data.write_text('{"@id": "https://e/a", "https://e/b": "json"}')
    oxigraph_server.clear()
    assert run_cli("--store", oxigraph_server.url, "load", str(data)).returncode == 0
    answer = run_cli("--store", oxigraph_server.url, "sparql", "--format", "tsv",
                     "SELECT ?o WHERE { <https://e/a> <https://e/b> ?o }")
    assert answer.stdout.splitlines()[1] == '"json"'


def test_version_is_printed_without_opening_a_store(tmp_path: Path) -> None:
    from importlib.metadata import version

    result = run_cli("--store", str(tmp_path / "never-created"), "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"aims-graph {version('aims-graph')}"
    assert not (tmp_path / "never-created").exists()
