"""The one error the SPARQL reader raises: what is wrong and where."""

from __future__ import annotations


class SparqlSyntaxError(ValueError):
    """A text this reader refuses, with its line and column (1-based, counted in the text
    after codepoint escapes are decoded) so that the caller can point at the spot."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        where = f"line {line}, column {column}: " if line is not None else ""
        super().__init__(where + message)
