"""Spreadsheet import: an organisation's registers (inventory, datasets, risks, controls,
incidents) and governance sheets (management system, models, documents, assessments,
impacts, audits) as filled templates, checked row by row and loaded into its own named graph.

The names below load their module on first use: the command line needs only the sheet
kinds (``columns``) to build its help, not the importer and everything it reads.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aims_graph.spreadsheet.columns import KINDS, Column, SheetKind
    from aims_graph.spreadsheet.importer import import_spreadsheet
    from aims_graph.spreadsheet.report import ImportReport, RowError, SpreadsheetRejected
    from aims_graph.spreadsheet.target import ImportConflict, ImportTarget, default_graph, import_target
    from aims_graph.spreadsheet.template import csv_template, write_workbook

_HOMES = {
    "KINDS": "columns", "Column": "columns", "SheetKind": "columns",
    "import_spreadsheet": "importer",
    "ImportReport": "report", "RowError": "report", "SpreadsheetRejected": "report",
    "ImportConflict": "target", "ImportTarget": "target", "default_graph": "target", "import_target": "target",
    "csv_template": "template", "write_workbook": "template",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
