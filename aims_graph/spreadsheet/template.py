"""Empty templates to fill: a CSV per sheet kind, or one workbook with every sheet.

Each template holds the header and one example row.  The example row starts with
``#``, which marks a comment row, so a template imports cleanly as it is and the
example can stay in the file as a reminder.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from aims_graph.spreadsheet.columns import KINDS, SheetKind
from aims_graph.spreadsheet.reading import COMMENT_MARK


def example_row(kind: SheetKind) -> list[str]:
    cells = [c.example for c in kind.columns]
    cells[0] = f"{COMMENT_MARK} example: {cells[0]}"
    return cells


def csv_template(kind: SheetKind) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(kind.names)
    writer.writerow(example_row(kind))
    return buffer.getvalue()


DOC_START, DOC_END = "<!-- columns:start -->", "<!-- columns:end -->"


def columns_markdown() -> str:
    """The column reference of docs/spreadsheets.md, generated so that it cannot drift."""
    parts = []
    for kind in KINDS.values():
        parts.append(f"### `{kind.name}`: {kind.title}\n")
        parts.append("| column | meaning | type | allowed values | example |")
        parts.append("|---|---|---|---|---|")
        for column in kind.columns:
            name = f"`{column.name}`" + (" (required)" if column.required else "")
            cells = [name, column.meaning, column.describe_type(), column.type.allowed(),
                     f"`{column.example}`" if column.example else ""]
            parts.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        parts.append("")
    return "\n".join(parts)


def update_docs(path: Path) -> None:
    """Rewrite the generated part of the documentation (between the two markers)."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(DOC_START)
    _, _, tail = rest.partition(DOC_END)
    path.write_text(f"{head}{DOC_START}\n{columns_markdown()}{DOC_END}{tail}", encoding="utf-8")


def write_workbook(path: Path, kinds: list[SheetKind] | None = None) -> Path:
    """A workbook with one sheet per kind; header cells carry the column's meaning as a note."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for kind in kinds or list(KINDS.values()):
        sheet = book.create_sheet(kind.name)
        sheet.append(kind.names)
        sheet.append(example_row(kind))
        for column, cell in zip(kind.columns, sheet[1]):
            cell.font = Font(bold=True)
            allowed = column.type.allowed()
            note = f"{column.meaning}\nType: {column.describe_type()}"
            if allowed:
                note += f"\nAllowed: {allowed[:600]}"
            if column.required:
                note += "\nRequired."
            cell.comment = Comment(note, "aims-graph", width=320, height=160)
            sheet.column_dimensions[cell.column_letter].width = max(14, len(column.name) + 4)
        for cell in sheet[2]:
            cell.font = Font(italic=True, color="808080")
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path

