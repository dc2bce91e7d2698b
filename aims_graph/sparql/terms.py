"""The RDF terms of a parsed request, and how each is written back as SPARQL.

The written form is canonical on purpose: absolute ``<IRI>``s, double-quoted strings
with only the escapes a reader cannot misread, so that the engine reads what was checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from aims_graph.rdf.namespaces import RDF, XSD


@dataclass(frozen=True, slots=True)
class Iri:
    value: str

    def sparql(self) -> str:
        return f"<{self.value}>"


@dataclass(frozen=True, slots=True)
class Var:
    name: str

    def sparql(self) -> str:
        return f"?{self.name}"


@dataclass(frozen=True, slots=True)
class BNode:
    """A blank node: a label from the text, or one the parser made for ``[]``, ``[ ... ]``
    or a collection (``generated``: no label in the text can name it)."""

    label: str
    generated: bool = False

    def sparql(self) -> str:
        return f"_:{self.label}"


@dataclass(frozen=True, slots=True)
class Literal:
    value: str
    language: str | None = None
    datatype: str = XSD + "string"

    def sparql(self) -> str:
        if self.language is not None:
            return f"{quoted(self.value)}@{self.language}"
        if self.datatype == XSD + "string":
            return quoted(self.value)
        return f"{quoted(self.value)}^^<{self.datatype}>"


Term = Iri | Var | BNode | Literal
RDF_NIL = Iri(RDF + "nil")
RDF_FIRST = Iri(RDF + "first")
RDF_REST = Iri(RDF + "rest")
RDF_TYPE = Iri(RDF + "type")


_SHORT_STRING_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def quoted(value: str) -> str:
    """A string literal's text: the four characters a short string cannot hold escaped.

    SPARQL, Turtle and N-Triples share this rule (``"..."`` holds anything but a quote, a
    backslash and the two line breaks), so this is the project's one string escaper: the
    N-Triples writer and the reference compiler use it too.
    """
    return f'"{value.translate(_SHORT_STRING_ESCAPES)}"'
