"""``aims-graph query`` and ``aims-graph queries`` as a user runs them: real processes."""

from __future__ import annotations

import csv
import io
import json

import pytest

from aims_graph.paths import EXAMPLES_DIR
from tests.command_line import run_cli
from tests.queries.conftest import EXAMPLE_GRAPH, HL


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = str(tmp_path_factory.mktemp("cli") / "store")
    files = sorted(str(p) for p in (EXAMPLES_DIR / "organisation").glob("*.ttl"))
    loaded = run_cli("--store", directory, "load", "--graph", EXAMPLE_GRAPH, *files)
    assert loaded.returncode == 0, loaded.stderr
    classified = run_cli("--store", directory, "classify")
    assert classified.returncode == 0, classified.stderr
    return directory


def test_list_shows_every_query_with_its_parameters() -> None:
    for args in (["query", "--list"], ["queries"]):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
        assert "control-dependents  control=concept(iso42001)" in result.stdout
        assert "serious-incident-deadlines  [asOf=date]" in result.stdout
        assert "untreated-high-risk" in result.stdout


def test_json_output_of_untreated_high_risk(store_dir: str) -> None:
    result = run_cli("--store", store_dir, "query", "untreated-high-risk", "--format", "json")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["query"] == "untreated-high-risk"
    assert [row["risk"] for row in body["rows"]] == [HL + "RiskCVDiscrimination"]


def test_csv_output_with_a_parameter(store_dir: str) -> None:
    result = run_cli("--store", store_dir, "query", "serious-incident-deadlines",
                     "--param", "asOf=2026-11-29", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["incident"], r["daysTaken"], r["verdict"]) for r in rows] == [
        (HL + "IncidentCreditAgeBias", "25", "reported late")]


def test_table_output_resolves_a_control_notation(store_dir: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")  # the table fits the terminal: give it room for whole IRIs
    result = run_cli("--store", store_dir, "query", "control-dependents", "-p", "control=A.6.2.4")
    assert result.returncode == 0, result.stderr
    assert "control-dependents:" in result.stdout and "CI-A.6.2.4" in result.stdout


def test_sparql_option_prints_the_bound_query_with_the_value_escaped() -> None:
    result = run_cli("--store", "memory", "query", "trace-system", "--sparql",
                     "--param", "system=https://e.example/x")
    assert result.returncode == 0, result.stderr
    assert "VALUES (?system) { (<https://e.example/x>) }" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["query", "no-such-query"], "no query named 'no-such-query'"),
    (["query", "trace-system"], "needs parameter 'system'"),
    (["query", "trace-system", "--param", "system=not an iri"], "'not an iri' is not an absolute IRI"),
    (["query", "trace-system", "--param", "system"], "write it as NAME=VALUE"),
    (["query", "serious-incident-deadlines", "--param", "asOf=yesterday"], "not a date"),
    (["query", "serious-incident-deadlines", "--param", "asOf=2025-02-30"], "February 2025 has 28 days"),
    (["query", "control-dependents", "--param", "control=A.6.10"], "no concept 'A.6.10' in iso42001"),
    (["query", "list-systems", "--format", "xml"], "is not one of: text, json, csv (or table, the same as text)"),
    (["query"], "name a query"),
])
def test_bad_input_gets_one_clear_line_and_status_2(args: list[str], message: str) -> None:
    result = run_cli("--store", "memory", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
