"""``python -m aims_graph.spreadsheet``: rewrite the column reference in docs/spreadsheets.md."""

from aims_graph.paths import PROJECT_ROOT
from aims_graph.spreadsheet.template import update_docs

if __name__ == "__main__":
    update_docs(PROJECT_ROOT / "docs" / "spreadsheets.md")
