"""``chart --system`` (issue 17 item 5): the organisation-level requirements a system depends
on are charted with it, marked as such, and unmet ones are not drawn green."""

from __future__ import annotations

from typing import Iterator

import pytest

from aims_graph.reports.pictures import conformance_chart, rows_from_summary, system_rows
from aims_graph.store import Store, open_store
from aims_graph.validation import validate
from tests.conformance.conftest import EXAMPLE_GRAPH, HL, load_example
from tests.pictures.test_pictures import svg_texts

AIMS = "https://w3id.org/aims-graph/ontology#"


@pytest.fixture(scope="module")
def without_policy() -> Iterator[Store]:
    """The example organisation whose management system lost its AI policy (5.2)."""
    with open_store("memory") as store:
        load_example(store)
        store.update(f"DELETE WHERE {{ GRAPH <{EXAMPLE_GRAPH}> {{ <{HL}AIMS> <{AIMS}hasPolicy> ?p }} }}")
        yield store


def _row(rows: list, name: str) -> tuple:
    return next(row for row in rows if row[0] == name)


def test_an_unmet_organisation_requirement_is_not_green_in_a_systems_chart(without_policy: Store) -> None:
    system = f"{HL}CreditScoring"
    rows = system_rows(without_policy, system)
    assert _row(rows, "5.2 (organisation)")[2] == 1  # the missing policy: one violation
    assert "6.1.3 (organisation)" in {row[0] for row in rows}  # the example's own SoA notes come along
    assert _row(rows, "5.2")[1] == 0  # ... and not a passed check of the system's own row
    # Before: the system's validation alone drew 5.2 as passed.
    assert _row(rows_from_summary(validate(without_policy, system).summary()), "5.2")[1:3] == (1, 0)
    text = svg_texts(conformance_chart(rows, "svg", "Conformance of CreditScoring"))
    assert "5.2 (organisation)" in text and "1 violation" in text


def test_only_the_covering_management_systems_findings_are_taken(without_policy: Store) -> None:
    other = f"{HL}Elsewhere"
    before = system_rows(without_policy, f"{HL}CreditScoring")
    without_policy.update(f"INSERT DATA {{ GRAPH <{EXAMPLE_GRAPH}> {{ <{other}> a <{AIMS}AIManagementSystem> . "
                          f"<{other}> <{AIMS}coversSystem> <{HL}Unrelated> }} }}")
    try:
        whole = validate(without_policy).summary()
        assert any(f.focus_node == other for f in whole.findings)  # the other AIMS has findings of its own
        assert system_rows(without_policy, f"{HL}CreditScoring") == before
    finally:
        without_policy.update(f"DELETE WHERE {{ GRAPH <{EXAMPLE_GRAPH}> {{ <{other}> ?p ?o }} }}")
