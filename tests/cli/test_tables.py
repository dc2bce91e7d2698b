"""Tables a person can read (issue 17, item 6): labels instead of IRIs, text wrapped to the
terminal, prose columns wide enough to read, abbreviations explained, json and csv."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aims_graph.paths import EXAMPLES_DIR

EXAMPLE_GRAPH = "https://w3id.org/aims-graph/graph/example"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    location = str(tmp_path_factory.mktemp("tables") / "store")
    files = sorted(str(p) for p in (EXAMPLES_DIR / "organisation").glob("*.ttl"))
    for args in (["load", "--graph", EXAMPLE_GRAPH, *files], ["classify", "--format", "json"]):
        assert run(location, *args).returncode == 0
    return location


def run(store: str, *args: str, columns: int = 80) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("AIMS_GRAPH_STORE", None)
    return subprocess.run([sys.executable, "-m", "aims_graph.cli.app_main", "--store", store, *args],
                          capture_output=True, text=True, env=env, timeout=300)


def test_list_systems_fits_the_terminal_and_shows_labels(store: str) -> None:
    result = run(store, "query", "list-systems")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "Marc Weber" in result.stdout and "https://example.org/harbourline/MarcWeber" not in result.stdout
    assert "ownerLabel" not in result.stdout


def test_explain_gives_the_justification_room_and_has_csv(store: str) -> None:
    wide = run(store, "crosswalk", "explain", "A.5.2", columns=120)
    assert wide.returncode == 0, wide.stderr
    assert "A process for assessing the potential" in wide.stdout
    rows = list(csv.reader(io.StringIO(run(store, "crosswalk", "explain", "A.5.2", "--format", "csv").stdout)))
    assert rows[0] == ["relation", "other", "scheme", "rationale", "status", "justification"] and len(rows) > 1


def test_classify_explains_its_obligation_counts(store: str) -> None:
    result = run(store, "classify")
    assert result.returncode == 0, result.stderr
    assert "+" not in "".join(line for line in result.stdout.splitlines() if "│" in line)
    assert "'may apply' depend on a condition" in " ".join(result.stdout.split())


def test_validate_json_lists_findings(store: str) -> None:
    data = json.loads(run(store, "validate", "--format", "json").stdout)
    assert data["findings"] and all("requirements" in f for f in data["findings"])
