"""Workbooks filled by the tests themselves, starting from the template the CLI hands out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from aims_graph.spreadsheet import write_workbook

Rows = dict[str, list[dict[str, object]]]

SYSTEMS = [
    {"id": "credit-scoring", "name": "Retail credit scoring", "purpose": "Scores loan applications",
     "domain": "credit", "life_cycle_stage": "Operation and monitoring", "owner": "Ana Lopez",
     "roles": "provider; deployer", "annex_iii_use_case": "Annex III point 5(b)", "performs_profiling": "yes"},
    {"id": "chatbot", "name": "Service chatbot", "owner": "Dana Novak", "roles": "deployer",
     "supplier": "Chatline AI GmbH", "interacts_with_natural_persons": True, "life_cycle_stage": "6.2.5"},
]
FILLED: Rows = {
    "inventory": SYSTEMS,
    "datasets": [{"id": "loan-book", "name": "Loan book", "system": "credit-scoring", "role": "training",
                  "source": "core banking export", "collected_on": "2024-12-31", "personal_data": "yes",
                  "quality_dimension": "bias", "quality_passed": "no"}],
    "risk-register": [{"id": "R-1", "system": "credit-scoring", "title": "Unfair refusals", "source_category": "B.5",
                       "likelihood": 4, "severity": 5, "treatment_option": "modify", "controls": "A.7.4; A.6.2.4",
                       "residual_score": 8}],
    "controls": [{"control": "A.7.4", "applicable": "yes", "status": "implemented", "owner": "Ana Lopez",
                  "evidence_title": "Data quality dashboard", "evidence_location": "https://intranet.example/dq",
                  "evidence_date": dt.date(2025, 4, 1)},
                 {"control": "A.4.4", "applicable": "no", "justification": "no own tooling"}],
    "incidents": [{"id": "INC-1", "system": "credit-scoring", "title": "Wrong scores", "occurred_on": "2025-05-02",
                   "aware_on": "2025-05-03", "reported_on": "2025-05-12", "serious": "yes",
                   "kind": "other serious incident", "status": "open"}],
}


def fill_template(path: Path, rows: Rows, *, drop_columns: dict[str, str] | None = None,
                  rename_sheets: dict[str, str] | None = None) -> Path:
    """Start from the real template, then write rows under the header as a person would."""
    write_workbook(path)
    book = load_workbook(path)
    for sheet_name, records in rows.items():
        sheet = book[sheet_name]
        header = [cell.value for cell in sheet[1]]
        for record in records:
            sheet.append([record.get(column) for column in header])
    for sheet_name, column in (drop_columns or {}).items():
        sheet = book[sheet_name]
        header = [cell.value for cell in sheet[1]]
        sheet.delete_cols(header.index(column) + 1)
    for old, new in (rename_sheets or {}).items():
        book[old].title = new
    book.save(path)
    return path
