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
