"""The import and template commands as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from aims_graph.spreadsheet import KINDS
from tests.command_line import run_cli
from tests.spreadsheet.filling import FILLED, fill_template


def test_template_prints_a_csv_header_and_a_commented_example() -> None:
    result = run_cli("template", "--kind", "risk-register")
    assert result.returncode == 0, result.stderr
    header, example = result.stdout.splitlines()
    assert header.split(",") == KINDS["risk-register"].names
    assert example.startswith("# example: R-001,credit-scoring")


def test_template_writes_a_workbook_with_every_sheet(tmp_path: Path) -> None:
    target = tmp_path / "all.xlsx"
    assert run_cli("template", "--xlsx", str(target)).returncode == 0
    book = load_workbook(target)
    assert book.sheetnames == list(KINDS)
    assert [c.value for c in book["controls"][1]] == KINDS["controls"].names
    assert "Annex A control" in book["controls"]["A1"].comment.text


def test_import_reports_rows_and_graph_then_a_bad_file_lists_its_errors(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    good = fill_template(tmp_path / "registers.xlsx", FILLED)
    result = run_cli("--store", store, "import", str(good), "--org", "acme", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["written"] and report["imported"]["inventory"] == 2

    bad = tmp_path / "risk-register.csv"
    bad.write_text("id,system,title,likelihood\nR9,nowhere,Drift,2\nR10,credit-scoring,Bias,9\n", encoding="utf-8")
    result = run_cli("--store", store, "import", str(bad), "--org", "acme")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "nothing imported" in result.stderr and "unknown system 'nowhere'" in result.stderr
    assert "9 is outside 1-5" in result.stderr

    skipped = run_cli("--store", store, "import", str(bad), "--org", "acme", "--skip-invalid", "--json")
    assert skipped.returncode == 2 and "nothing imported" in skipped.stderr  # every row skipped
    assert [(e["row"], e["column"]) for e in json.loads(skipped.stdout)["skipped"]] == [(2, "system"), (3, "likelihood")]


def test_import_of_a_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("--store", "memory", "import", str(tmp_path / "nope.xlsx"))
    assert result.returncode == 2 and "cannot read the file" in result.stderr and "Traceback" not in result.stderr
