"""``aims-graph crosswalk`` on the crosswalks a fresh store holds."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.command_line import run_cli


def test_coverage_of_the_ai_act_by_iso42001_as_json() -> None:
    result = run_cli("--store", "memory", "crosswalk", "coverage", "--from", "iso42001", "--to", "eu-ai-act",
                     "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    by_notation = {row["notation"]: row for row in report["rows"]}
    assert by_notation["Article 9"]["status"] == "partly covered"
    assert by_notation["Article 14"]["status"] == "not covered"  # recorded as no-relationship
    assert sum(report["counts"].values()) == len(report["rows"])


def test_coverage_picture_is_a_png(tmp_path: Path) -> None:
    out = tmp_path / "cov.png"
    result = run_cli("--store", "memory", "crosswalk", "coverage", "--from", "nist-ai-rmf", "--to", "iso42001",
                     "--format", "png", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_explain_lists_mappings_in_both_directions() -> None:
    result = run_cli("--store", "memory", "crosswalk", "explain", "A.5.2", "--format", "json")
    data = json.loads(result.stdout)
    others = {m["other_notation"] for m in data["mappings"]}
    assert "Article 27" in others and "GOVERN 4.1" in others


def test_explain_table_marks_a_provisional_number_and_says_what_the_mark_means() -> None:
    result = run_cli("--store", "memory", "crosswalk", "explain", "iso42001:C.3.3")
    assert result.returncode == 0, result.stderr
    assert "B.4*" in result.stdout
    assert "* number derived from the document's structure, not seen printed" in " ".join(result.stdout.split())


def test_export_sssom_of_one_set_and_csv_of_all() -> None:
    sssom = run_cli("--store", "memory", "crosswalk", "export", "--format", "sssom", "--set", "iso22989-eu-ai-act")
    assert sssom.returncode == 0, sssom.stderr
    assert "#mapping_set_id: https://w3id.org/aims-graph/crosswalk/iso22989-eu-ai-act" in sssom.stdout
    table = run_cli("--store", "memory", "crosswalk", "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(rows) >= 400


def test_unknown_concept_and_scheme_are_clear_errors() -> None:
    """A bad argument is not a file: its error carries no ``<request>:0:`` location."""
    result = run_cli("--store", "memory", "crosswalk", "explain", "A.6.10")
    assert result.returncode == 2 and result.stderr.lstrip().startswith("error: no concept is named 'A.6.10'")
    result = run_cli("--store", "memory", "crosswalk", "coverage", "--from", "iso9999", "--to", "eu-ai-act")
    assert result.returncode == 2 and result.stderr.lstrip().startswith("error: scheme 'iso9999' is not loaded")
