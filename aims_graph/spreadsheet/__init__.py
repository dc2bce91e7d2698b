"""Spreadsheet import: an organisation's registers (inventory, datasets, risks, controls,
incidents) and governance sheets (management system, models, documents, assessments,
impacts, audits) as filled templates, checked row by row and loaded into its own named graph."""

from aims_graph.spreadsheet.columns import KINDS, Column, SheetKind
from aims_graph.spreadsheet.importer import import_spreadsheet
from aims_graph.spreadsheet.report import ImportReport, RowError, SpreadsheetRejected
from aims_graph.spreadsheet.target import ImportConflict, ImportTarget, default_graph, import_target
from aims_graph.spreadsheet.template import csv_template, write_workbook

__all__ = [
    "KINDS", "Column", "ImportConflict", "ImportReport", "ImportTarget", "RowError", "SheetKind",
    "SpreadsheetRejected", "csv_template", "default_graph", "import_spreadsheet", "import_target",
    "write_workbook",
]
