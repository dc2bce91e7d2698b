"""The answer of a named query: variables and rows of RDF terms, plus plain conversions.

Rows keep pyoxigraph terms so that nothing is lost (datatype, language, IRI versus
string); ``records`` gives JSON-ready values for the API and the CLI, ``to_csv`` and
``to_table_rows`` give text for people.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from aims_graph.rdf.namespaces import XSD

_INTEGERS = {XSD + t for t in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte")}
_NUMBERS = {XSD + "decimal", XSD + "double", XSD + "float"}

TermOrNone = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def plain_value(term: TermOrNone) -> Any:
    """A JSON value for a term: IRIs and texts as strings, numbers and booleans as such."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        try:
            if datatype in _INTEGERS:
                return int(term.value)
            if datatype in _NUMBERS:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def typed_value(term: TermOrNone) -> dict[str, str] | None:
    """A term in the SPARQL 1.1 JSON results form ({"type", "value", ...})."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD + "string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


@dataclass(frozen=True)
class QueryAnswer:
    """The solutions of one run: ``rows`` are dicts from every variable to a term or None."""

    query: str
    variables: tuple[str, ...]
    rows: tuple[dict[str, TermOrNone], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, variable: str) -> list[Any]:
        """The plain values of one variable, row by row (handy in tests and reports)."""
        if variable not in self.variables:
            raise KeyError(f"query {self.query!r} has no variable {variable!r}")
        return [plain_value(row[variable]) for row in self.rows]

    def records(self) -> list[dict[str, Any]]:
        """Rows as JSON-ready dicts of plain values."""
        return [{v: plain_value(row[v]) for v in self.variables} for row in self.rows]

    def to_json(self) -> dict[str, Any]:
        """``{"query", "variables", "rows"}`` with plain values: the API's default body."""
        return {"query": self.query, "variables": list(self.variables), "rows": self.records()}

    def to_sparql_json(self) -> dict[str, Any]:
        """The W3C SPARQL 1.1 Query Results JSON form, for clients that want the types."""
        bindings = [
            {v: typed_value(row[v]) for v in self.variables if row[v] is not None}
            for row in self.rows
        ]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.variables)
        for row in self.to_table_rows():
            writer.writerow(row)
        return out.getvalue()

    def to_table_rows(self) -> list[list[str]]:
        """Every cell as text; unbound cells are empty."""
        return [["" if row[v] is None else _text(row[v]) for v in self.variables] for row in self.rows]


def _text(term: TermOrNone) -> str:
    value = plain_value(term)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def answer_from(query: str, solutions: ox.QuerySolutions) -> QueryAnswer:
    variables = tuple(v.value for v in solutions.variables)
    rows = tuple({name: solution[name] for name in variables} for solution in solutions)
    return QueryAnswer(query, variables, rows)
