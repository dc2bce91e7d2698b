"""docs/spreadsheets.md must describe the columns and defects the code has."""

from __future__ import annotations

from aims_graph.devtools.generator import DEFECTS
from aims_graph.paths import PROJECT_ROOT
from aims_graph.spreadsheet.template import DOC_END, DOC_START, columns_markdown

DOC = PROJECT_ROOT / "docs" / "spreadsheets.md"


def test_the_column_reference_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    generated = text.split(DOC_START, 1)[1].split(DOC_END, 1)[0]
    assert generated.strip() == columns_markdown().strip(), "run: python -m aims_graph.spreadsheet"


def test_every_planted_defect_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert all(f"`{name}`" in text for name in DEFECTS)
