"""Every command that prints rows takes --format json and csv (issue 17, item 6): JSON is a
list of objects keyed by the column names, CSV the same columns and cells, with full IRIs;
checked on the example organisation against what the store, the library or another
format of the same command says (docs/cli.md lists the columns)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.named_queries import list_queries
from aims_graph.paths import CROSSWALK_DIR, EXAMPLES_DIR, SHAPES_DIR
from tests.cli.test_tables import EXAMPLE_GRAPH
from tests.command_line import run_cli

AIMS = "https://w3id.org/aims-graph/ontology#"
CREDIT_SCORING = "https://example.org/harbourline/CreditScoring"
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    location = str(tmp_path_factory.mktemp("formats") / "store")
    files = sorted(str(p) for p in (EXAMPLES_DIR / "organisation").glob("*.ttl"))
    assert run_cli("--store", location, "load", "--graph", EXAMPLE_GRAPH, *files).returncode == 0
    return location


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def table(store: str, *args: str) -> list[dict[str, object]]:
    """The rows of ``args --format json``, after checking that ``--format csv`` has the same
    columns and cells (JSON keeps numbers as numbers, CSV writes them as text)."""
    rows = json.loads(ok(run_cli("--store", store, *args, "--format", "json")))
    assert isinstance(rows, list) and all(isinstance(row, dict) for row in rows)
    header, *lines = list(csv.reader(io.StringIO(ok(run_cli("--store", store, *args, "--format", "csv")))))
    assert all(list(row) == header for row in rows)
    assert lines == [[str(value) for value in row.values()] for row in rows]
    return rows


def test_info_lists_every_graph_with_its_kind_size_and_version(store: str) -> None:
    rows = {row["graph"]: row for row in table(store, "info")}
    example = ox.Store()
    for path in (EXAMPLES_DIR / "organisation").glob("*.ttl"):
        example.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert rows[EXAMPLE_GRAPH]["kind"] == "data" and rows[EXAMPLE_GRAPH]["triples"] == len(example)
    iso = rows["https://w3id.org/aims-graph/graph/iso42001"]
    assert iso["kind"] == "reference" and iso["version"] and isinstance(iso["triples"], int) and iso["triples"] > 0


def test_token_list_gives_ids_roles_and_labels_never_secrets(store: str) -> None:
    secret = ok(run_cli("--store", store, "token", "create", "--role", "editor", "--label", "nightly import")).splitlines()[-1]
    rows = table(store, "token", "list")
    assert [(row["role"], row["label"]) for row in rows] == [("editor", "nightly import")]
    assert list(rows[0]) == ["id", "role", "label", "created"]
    assert secret not in json.dumps(rows)


@pytest.mark.parametrize("command", [["queries"], ["query", "--list"]])
def test_the_query_catalogue_names_every_query_with_its_parameters(store: str, command: list[str]) -> None:
    rows = table(store, *command)
    assert [row["name"] for row in rows] == [query.name for query in list_queries()]
    by_name = {row["name"]: row for row in rows}
    assert by_name["trace-system"]["parameters"].startswith("system=")
    assert all(row["summary"] for row in rows)


def test_classify_csv_has_a_row_per_derived_category_as_its_json_document_says(store: str) -> None:
    documents = json.loads(ok(run_cli("--store", store, "classify", "--format", "json")))
    header, *lines = list(csv.reader(io.StringIO(ok(run_cli("--store", store, "classify", "--format", "csv")))))
    rows = [dict(zip(header, line, strict=True)) for line in lines]
    assert [(row["system"], row["category"]) for row in rows] == [
        (document["iri"], record["category"] or "") for document in documents for record in document["records"]]
    credit = next(row for row in rows if row["system"] == CREDIT_SCORING)
    assert credit["category"] == "HighRiskAnnexIII"
    assert "https://w3id.org/aims-graph/eu-ai-act/Article-6-2" in credit["grounds"].split()
    assert int(credit["obligations apply now"]) + int(credit["obligations apply later"]) > 0


def test_timeline_csv_has_the_entries_of_its_json_document(store: str) -> None:
    entries = json.loads(ok(run_cli("--store", store, "timeline", "CreditScoring", "--format", "json")))
    header, *lines = list(csv.reader(io.StringIO(ok(run_cli("--store", store, "timeline", "CreditScoring", "--format", "csv")))))
    assert header[:5] == ["from", "provision", "provision notation", "obligation", "label"]
    assert [(line[0], line[3]) for line in lines] == [(entry["date"], entry["obligation"]) for entry in entries]
    assert entries and all(line[1].startswith("https://w3id.org/aims-graph/eu-ai-act/") for line in lines if line[1])


def test_shacl_json_and_csv_have_one_row_per_result_of_the_report(store: str) -> None:
    files = ["--data", str(EXAMPLES_DIR / "organisation" / "systems.ttl"),
             "--shapes", str(SHAPES_DIR / "integrity.ttl")]
    report = run_cli("--store", store, "shacl", *files)
    assert report.returncode == 1, report.stderr  # the systems file alone lacks the people it names
    results = ox.Store()
    results.load(report.stdout.encode(), format=ox.RdfFormat.TURTLE)
    expected = len(list(results.quads_for_pattern(None, ox.NamedNode(SH + "result"), None)))
    for fmt in ("json", "csv"):
        assert run_cli("--store", store, "shacl", *files, "--format", fmt).returncode == 1
    rows = json.loads(run_cli("--store", store, "shacl", *files, "--format", "json").stdout)
    header, *lines = list(csv.reader(io.StringIO(run_cli("--store", store, "shacl", *files, "--format", "csv").stdout)))
    assert len(rows) == len(lines) == expected > 0
    assert header == list(rows[0]) == ["severity", "focus node", "path", "value", "component", "message"]
    owner = next(row for row in rows if row["path"] == AIMS + "owner")
    assert owner["severity"] == SH + "Violation" and owner["component"] == SH + "ClassConstraintComponent"
    assert owner["focus node"].startswith("https://example.org/harbourline/")


def test_crosswalk_diff_as_rows(store: str, tmp_path: Path) -> None:
    old = CROSSWALK_DIR / "iso42001-eu-ai-act.sssom.tsv"
    lines = old.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("subject_id\t")) + 1
    columns = lines[first - 1].rstrip("\n").split("\t")
    changed = lines[first + 1].rstrip("\n").split("\t")
    changed[columns.index("comment")] = "Rewritten."
    new = tmp_path / "iso42001-eu-ai-act.sssom.tsv"
    new.write_text("".join([*lines[:first], "\t".join(changed) + "\n", *lines[first + 2:]]), encoding="utf-8")
    document = json.loads(ok(run_cli("--store", store, "crosswalk", "diff", str(old), str(new))))
    header, *rows = list(csv.reader(io.StringIO(ok(run_cli("--store", store, "crosswalk", "diff", str(old), str(new),
                                                        "--format", "csv")))))
    assert header == ["change", "subject_id", "object_id", "relation", "field", "old", "new"]
    assert [row[:3] for row in rows] == [["removed", r["subject_id"], r["object_id"]] for r in document["removed"]] + [
        ["changed", c["subject_id"], c["object_id"]] for c in document["changed"]]
    assert rows[0][0] == "removed" and rows[0][1].endswith("/iso42001/7.2") and rows[0][3] == "intersects-with"
    assert rows[-1][0] == "changed" and rows[-1][4] == "comment" and rows[-1][6] == "Rewritten."


def test_a_refused_import_lists_its_problem_rows_as_csv(store: str, tmp_path: Path) -> None:
    bad = tmp_path / "risk-register.csv"
    bad.write_text("id,system,title,likelihood\nR9,nowhere,Drift,2\nR10,elsewhere,Bias,9\n", encoding="utf-8")
    refused = run_cli("--store", store, "import", str(bad), "--format", "csv")
    assert refused.returncode == 2 and "3 problem(s)" in refused.stderr
    header, *rows = list(csv.reader(io.StringIO(refused.stdout)))
    assert header == ["sheet", "row", "column", "reason"]
    assert [tuple(row[:3]) for row in rows] == [("risk-register", "2", "system"), ("risk-register", "3", "likelihood"),
                                                ("risk-register", "3", "system")]
    assert "'nowhere'" in rows[0][3] and "9 is outside 1-5" in rows[1][3]
    as_json = json.loads(run_cli("--store", store, "import", str(bad), "--format", "json").stdout)
    assert [(str(e["row"]), e["column"]) for e in as_json["errors"]] == [(row[1], row[2]) for row in rows]


@pytest.mark.parametrize("args", [
    ["sparql", "SELECT ?s WHERE { ?s a <https://w3id.org/aims-graph/ontology#AISystem> }"],
    ["crosswalk", "coverage", "--from", "iso42001", "--to", "eu-ai-act"],
    ["query", "list-systems"],
])
def test_the_text_form_is_called_text_as_well_as_table(store: str, args: list[str]) -> None:
    assert ok(run_cli("--store", store, *args, "--format", "text")) == ok(run_cli("--store", store, *args, "--format", "table"))
