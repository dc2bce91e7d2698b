"""What an import did, row by row: the answer to "what got in, what did not, and why"."""

from __future__ import annotations

from dataclasses import dataclass, field

from aims_graph.errors import InputError


@dataclass(frozen=True)
class RowError:
    """One problem at one place; ``row``/``column`` are ``None`` for a whole sheet or column."""

    sheet: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [f"sheet {self.sheet!r}"]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class ImportReport:
    source: str
    graph: str
    base: str
    imported: dict[str, int] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    skipped: list[RowError] = field(default_factory=list)
    triples: int = 0
    written: bool = False

    @property
    def skipped_rows(self) -> list[tuple[str, int | None]]:
        """Each skipped row (or whole sheet, row ``None``) once, in file order."""
        return list(dict.fromkeys((e.sheet, e.row) for e in self.skipped))

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source, "graph": self.graph, "base": self.base,
            "imported": self.imported, "triples": self.triples, "written": self.written,
            "errors": [e.to_dict() for e in self.errors],
            "skipped": [e.to_dict() for e in self.skipped],
        }


class SpreadsheetRejected(InputError):
    """The file has errors and ``skip_invalid`` was not asked for: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        count = len(report.errors)
        super().__init__(
            f"{report.source}: {count} error{'s' if count != 1 else ''}, nothing imported; "
            f"first: {report.errors[0]}"
        )
