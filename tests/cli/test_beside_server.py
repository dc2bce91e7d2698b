"""Commands on a store that a running ``aims-graph serve`` holds (issue 17, item 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.api.conftest import ROOT, LiveServer, Tokens, make_tokens
from tests.command_line import run_cli

EXAMPLE = ROOT / "examples" / "organisation" / "systems.ttl"
NEW = b"""@prefix aims: <https://w3id.org/aims-graph/ontology#> .
<https://example.org/beside/S> a aims:AISystem .
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Path, Tokens]]:
    tokens = make_tokens(tmp_path_factory.mktemp("tokens") / "tokens.json")
    store = tmp_path_factory.mktemp("served") / "store"
    assert run_cli("--store", str(store), "load", "--graph", "https://example.org/beside", str(EXAMPLE)).returncode == 0
    server = LiveServer(str(store), {"AIMS_GRAPH_TOKENS_FILE": str(tokens.file)}, ROOT)
    try:
        yield server, store, tokens
    finally:
        server.stop()


def test_a_held_store_names_the_server_and_the_way_round(served: tuple[LiveServer, Path, Tokens]) -> None:
    server, store, _ = served
    result = run_cli("--store", str(store), "info")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert f"a server ({server.url}) holds the store {store}" in message
    assert f"--store {server.url}" in message and "AIMS_GRAPH_STORE_TOKEN" in message
    assert "LOCK" not in message and "Traceback" not in message


@pytest.mark.parametrize(("args", "expected"), [
    (["info"], "https://example.org/beside"),
    (["sparql", "--format", "csv", "SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> "
      "'Harbourline Credit Scoring Engine' }"], "https://example.org/harbourline/CreditScoring"),
    (["query", "list-systems", "--format", "csv"], "Harbourline Credit Scoring Engine"),
    (["export", "--format", "ntriples", "--graph", "https://example.org/beside"],
     "<https://example.org/harbourline/CreditScoring>"),
    (["trace", "CreditScoring"], "wrote trace.svg"),
    (["soa", "--format", "csv"], "A.2.2"),
    (["classify", "--system", "CreditScoring", "--format", "json"], "Annex-III-point-5-b"),  # records in the derived graph: admin,
    (["validate", "--system", "CreditScoring", "--format", "json"], "CreditScoring"),
])
def test_read_commands_work_against_the_server(served: tuple[LiveServer, Path, Tokens], args: list[str],
                                               expected: str, tmp_path: Path) -> None:
    server, _, tokens = served
    token = {"AIMS_GRAPH_STORE_TOKEN": tokens.admin} if args[0] == "classify" else None
    result = run_cli("--store", server.url, *args, cwd=tmp_path, env=token)
    assert result.returncode in (0, 1), result.stderr  # validate: 1 when it finds violations
    assert expected in result.stdout


def test_writes_need_a_token_and_work_with_one(served: tuple[LiveServer, Path, Tokens], tmp_path: Path) -> None:
    server, _, tokens = served
    data = tmp_path / "new.ttl"
    data.write_bytes(NEW)
    refused = run_cli("--store", server.url, "load", "--graph", "https://example.org/beside-new", str(data))
    assert refused.returncode == 2 and ("401" in refused.stderr or "403" in refused.stderr), refused.stderr
    loaded = run_cli("--store", server.url, "load", "--graph", "https://example.org/beside-new", str(data),
                     env={"AIMS_GRAPH_STORE_TOKEN": tokens.editor})
    assert loaded.returncode == 0, loaded.stderr
    ask = run_cli("--store", server.url, "sparql", "ASK { <https://example.org/beside/S> ?p ?o }")
    assert ask.stdout.strip() == "true"
