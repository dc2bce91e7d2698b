"""Tables a person can read (issue 17, item 6): labels instead of IRIs, text wrapped to the
terminal, prose columns wide enough to read, abbreviations explained, json and csv."""

from __future__ import annotations

import csv
import io
import json

import pytest

from aims_graph.paths import EXAMPLES_DIR
from tests.command_line import run_cli

EXAMPLE_GRAPH = "https://w3id.org/aims-graph/graph/example"
TERMINAL = {"COLUMNS": "80"}  # the width every table below must fit


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    location = str(tmp_path_factory.mktemp("tables") / "store")
    files = sorted(str(p) for p in (EXAMPLES_DIR / "organisation").glob("*.ttl"))
    for args in (["load", "--graph", EXAMPLE_GRAPH, *files], ["classify", "--format", "json"]):
        assert run_cli("--store", location, *args, env=TERMINAL).returncode == 0
    return location


def test_list_systems_fits_the_terminal_and_shows_labels(store: str) -> None:
    result = run_cli("--store", store, "query", "list-systems", env=TERMINAL)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Marc Weber" in result.stdout and "https://example.org/harbourline/MarcWeber" not in result.stdout
    assert "ownerLabel" not in result.stdout


def test_explain_gives_the_justification_room_and_has_csv(store: str) -> None:
    wide = run_cli("--store", store, "crosswalk", "explain", "A.5.2", env={"COLUMNS": "120"})
    assert wide.returncode == 0, wide.stderr
    assert "A process for assessing the potential" in wide.stdout
    table = run_cli("--store", store, "crosswalk", "explain", "A.5.2", "--format", "csv", env=TERMINAL)
    rows = list(csv.reader(io.StringIO(table.stdout)))
    assert rows[0] == ["relation", "other", "scheme", "rationale", "status", "justification"] and len(rows) > 1


def test_classify_explains_its_obligation_counts(store: str) -> None:
    result = run_cli("--store", store, "classify", env=TERMINAL)
    assert result.returncode == 0, result.stderr
    assert "+" not in "".join(line for line in result.stdout.splitlines() if "│" in line)
    assert "'may apply' depend on a condition" in " ".join(result.stdout.split())


def test_validate_json_lists_findings(store: str) -> None:
    data = json.loads(run_cli("--store", store, "validate", "--format", "json", env=TERMINAL).stdout)
    assert data["findings"] and all("requirements" in f for f in data["findings"])
