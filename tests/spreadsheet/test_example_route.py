"""The spreadsheet route reaches the same report as the Turtle: the example organisation,
copied into the templates and imported alone into a fresh store, gets exactly the findings
its Turtle gets (issue 17 item 3)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from aims_graph.spreadsheet import import_spreadsheet
from aims_graph.store import Store, open_store
from aims_graph.validation import Finding, validate
from tests.conformance.conftest import EXAMPLE_GRAPH, load_example
from tests.spreadsheet.filling import fill_template
from tests.spreadsheet.from_turtle import example_sheets


def comparable(finding: Finding, renamed: dict[str, str]) -> tuple:
    """A finding with the Turtle's IRIs replaced by the ones its rows get (longest first, so
    that an IRI is never replaced inside a longer one)."""
    def rename(text: str | None) -> str | None:
        if text is None:
            return None
        for old in sorted(renamed, key=len, reverse=True):
            text = text.replace(old, renamed[old])
        return text

    return (rename(finding.focus_node), finding.shape, finding.severity, rename(finding.value), finding.path,
            finding.components, finding.requirements, rename(finding.message))


def test_the_example_organisation_from_spreadsheets_alone_gets_the_findings_of_its_turtle(tmp_path: Path) -> None:
    with open_store("memory") as turtle:
        load_example(turtle)
        sheets = example_sheets(turtle, EXAMPLE_GRAPH, org="harbourline")
        expected = Counter(comparable(f, sheets.renamed) for f in validate(turtle).summary().findings)
    workbook = fill_template(tmp_path / "harbourline.xlsx", sheets.rows)
    with open_store("memory") as store:
        report = import_spreadsheet(store, workbook, org="harbourline")
        assert not report.errors
        got = Counter(comparable(f, {}) for f in validate(store).summary().findings)
    assert sum(expected.values()) >= 10  # the example's intended findings are there to compare
    missing, extra = expected - got, got - expected
    assert not missing and not extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}"


def test_every_row_of_the_example_becomes_a_row_of_its_sheet(tmp_path: Path) -> None:
    """Nothing of the example is left behind: each system, risk and document is a row."""
    with open_store("memory") as turtle:
        load_example(turtle)
        sheets = example_sheets(turtle, EXAMPLE_GRAPH, org="harbourline")
        counts = {cls: len(list(turtle.query(
            f"SELECT DISTINCT ?s WHERE {{ ?s a <https://w3id.org/aims-graph/ontology#{cls}> }}")))
            for cls in ("AISystem", "Risk", "Policy", "AIObjective", "RiskAssessment", "InternalAudit")}
    workbook = fill_template(tmp_path / "harbourline.xlsx", sheets.rows)
    with open_store("memory") as store:
        report = import_spreadsheet(store, workbook, org="harbourline")
        assert report.imported["inventory"] == counts["AISystem"]
        assert report.imported["risk-register"] == counts["Risk"]
        assert report.imported["audits"] == counts["InternalAudit"]
        for cls in ("Policy", "AIObjective", "RiskAssessment"):
            assert len(list(store.query(
                f"SELECT DISTINCT ?s WHERE {{ ?s a <https://w3id.org/aims-graph/ontology#{cls}> }}"))) == counts[cls]
