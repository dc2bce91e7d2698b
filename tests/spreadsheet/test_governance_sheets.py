"""Rows of the governance sheets that contradict themselves are refused, naming the cell."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Callable

import pytest

from aims_graph.spreadsheet import SpreadsheetRejected, import_spreadsheet
from aims_graph.store import open_store
from tests.spreadsheet.filling import FILLED


@pytest.mark.parametrize(("sheet", "row", "column", "reason"), [
    ("documents", {"id": "m1", "kind": "performance metric", "title": "AUC", "system": "credit-scoring"},
     "metric_kind", "needs its metric_kind"),
    ("documents", {"id": "p1", "kind": "policy", "title": "AI policy", "metric_kind": "accuracy"},
     "metric_kind", "not a policy"),
    ("documents", {"id": "t1", "kind": "technical documentation", "title": "Annex IV file"},
     "system", "name it in the system column"),
    ("documents", {"id": "g1", "kind": "data-governance measure", "title": "Data charter"},
     "dataset", "name it in the dataset column"),
    ("documents", {"id": "p2", "kind": "policy", "title": "AI policy", "exception": "Article 6(3)(a)"},
     "exception", "is for an article 6(3) assessment, not a policy"),
    ("documents", {"id": "r1", "kind": "eu registration", "title": "Registration", "system": "credit-scoring",
                   "assessed_by": "Ana Lopez"}, "assessed_by", "not a eu registration"),
    ("documents", {"id": "a1", "kind": "article 6(3) assessment", "title": "Art. 6(3) assessment",
                   "system": "credit-scoring", "exception": "Article 6(4)"}, "exception", "Article 6(3)"),
    ("audit-findings", {"id": "NC-1", "audit": "a1", "kind": "nonconformity", "title": "no IA",
                        "action_due_on": "2026-01-31"}, "action_due_on", "action is empty"),
    ("datasets", {"id": "d2", "name": "Orphan data"}, "system", "system(s) or model(s)"),
    ("models", {"id": "m1", "name": "Model", "training_compute": "lots"}, "training_compute", "not a number"),
])
def test_contradictory_rows_are_refused_and_nothing_is_written(
        workbook: Callable[..., Path], sheet: str, row: dict[str, object], column: str, reason: str) -> None:
    rows = copy.deepcopy(FILLED)
    rows[sheet] = rows.get(sheet, []) + [row]
    with open_store("memory") as store:
        size = len(store)
        with pytest.raises(SpreadsheetRejected) as refused:
            import_spreadsheet(store, workbook(rows), org="acme")
        [error] = [e for e in refused.value.report.errors if e.sheet == sheet]
        assert error.column == column and reason in error.reason
        assert len(store) == size


def test_an_article_6_3_assessment_row_becomes_the_documented_terms(workbook: Callable[..., Path]) -> None:
    """The documents sheet records the Article 6(4) assessment: its system, date, assessor and the
    Art. 6(3) condition it relies on."""
    rows = copy.deepcopy(FILLED)
    rows["documents"] = [{"id": "a63", "kind": "article 6(3) assessment", "title": "Document checker assessment",
                          "system": "credit-scoring", "date": "2026-05-04", "exception": "Article 6(3)(a)",
                          "assessed_by": "Ana Lopez", "owner": "Ben Okafor"}]
    with open_store("memory") as store:
        import_spreadsheet(store, workbook(rows), org="acme")
        base = "https://w3id.org/aims-graph/data/acme"
        [row] = list(store.query(
            "PREFIX aims: <https://w3id.org/aims-graph/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
            f"SELECT ?a ?day ?point ?who WHERE {{ <{base}/system/credit-scoring> aims:hasArticle6_3Assessment ?a . "
            "?a a aims:Article6_3Assessment ; dcterms:date ?day ; aims:reliesOnException ?point ; "
            "aims:assessedBy/<http://www.w3.org/2000/01/rdf-schema#label> ?who }"))
        assert (row["a"].value, row["day"].value, row["point"].value, row["who"].value) == (  # type: ignore[index]
            f"{base}/document/a63", "2026-05-04", "https://w3id.org/aims-graph/eu-ai-act/Article-6-3-a", "Ana Lopez")
