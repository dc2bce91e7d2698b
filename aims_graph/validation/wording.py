"""Plain-language wording of validation findings, the same whichever engine ran.

The engines' default result messages name raw IRIs (``<http://www.w3.org/2001/XMLSchema#date>``)
and differ between pySHACL and the compiled engine. A finding therefore takes the message
its shape declares (a ``sh:sparql`` message arrives filled by the engine), and where a
shape declares none for the part that failed, the report words what failed itself from
the constraint's parameters in the shapes graph: the property as a CURIE, the value, and
what the value must be ("must be a date (xsd:date), at least 1").
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from aims_graph.rdf.namespaces import RDFS, XSD, curie
from aims_graph.shacl.paths import Alternative, Inverse, Path, Predicate, Repeat, Sequence
from aims_graph.validation.shapes import SH, ShapesBundle

_RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
_RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"

DATATYPE_WORDS = {
    XSD + "date": "a date",
    XSD + "dateTime": "a date and time",
    XSD + "boolean": "true or false",
    XSD + "integer": "an integer",
    XSD + "decimal": "a decimal number",
    XSD + "double": "a number",
    XSD + "string": "plain text",
    XSD + "anyURI": "a web address",
}
"""What a reader calls the datatypes the shapes ask for; the CURIE follows in brackets."""


def term_text(term: object) -> str:
    """An RDF term as a person reads it: CURIE for IRIs, the quoted lexical form for literals."""
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.Literal):
        return f'"{term.value}"'
    return str(term)


def path_text(path: Path) -> str:
    """A SHACL path as a SPARQL property path written with CURIEs (``^aims:assessesSystem``)."""
    if isinstance(path, Predicate):
        return curie(path.iri.value)
    if isinstance(path, Inverse):
        return "^" + _grouped(path.path)
    if isinstance(path, Sequence):
        return "/".join(_grouped(step) for step in path.steps)
    if isinstance(path, Alternative):
        return "|".join(_grouped(option) for option in path.options)
    if isinstance(path, Repeat):
        return _grouped(path.path) + path.operator
    raise TypeError(f"not a SHACL path: {path!r}")


def _grouped(path: Path) -> str:
    text = path_text(path)
    return f"({text})" if isinstance(path, (Sequence, Alternative)) else text


def requirement_text(bundle: ShapesBundle, shape: object, components: Iterable[str]) -> str:
    """What the failed constraints of ``shape`` (a node or property shape) ask, e.g.
    "must be an integer (xsd:integer), at least 1, at most 5"."""
    parts = [_wording(bundle, shape, component) for component in components]
    return ", ".join(dict.fromkeys(p for p in parts if p))


def _wording(bundle: ShapesBundle, shape: object, component: str) -> str:
    name = component.removeprefix(SH).removesuffix("ConstraintComponent")
    parameter = name[0].lower() + name[1:]
    values = bundle.values(shape, SH + parameter)
    first = values[0] if values else None
    if name == "Datatype" and isinstance(first, ox.NamedNode):
        words = DATATYPE_WORDS.get(first.value)
        return f"must be {words} ({curie(first.value)})" if words else f"must be a literal of {curie(first.value)}"
    simple = {
        "MinInclusive": "at least", "MaxInclusive": "at most", "MinExclusive": "more than",
        "MaxExclusive": "less than", "MinCount": "needs at least", "MaxCount": "allows at most",
        "MinLength": "characters, at least", "MaxLength": "characters, at most",
        "Class": "must be an instance of", "HasValue": "must include", "NodeKind": "must be of node kind",
        "Pattern": "must match the pattern",
    }
    if name in ("MinCount", "MaxCount") and isinstance(first, ox.Literal):
        return f"{simple[name]} {first.value} value{'s' if first.value != '1' else ''}"
    if name in simple and first is not None:
        return f"{simple[name]} {_plain(first)}"
    if name == "In" and first is not None:
        return "must be one of " + ", ".join(_plain(member) for member in _members(bundle, first))
    if name == "Node" and first is not None:
        return f"must be {_label(bundle, first)}"
    if name == "QualifiedMinCount":
        [count] = bundle.values(shape, SH + "qualifiedMinCount") or [None]
        [inner] = bundle.values(shape, SH + "qualifiedValueShape") or [None]
        classes = bundle.values(inner, SH + "class") if inner is not None else []
        what = " or ".join(curie(c.value) for c in classes if isinstance(c, ox.NamedNode)) or "conforming value"
        return f"needs at least {count.value if isinstance(count, ox.Literal) else 1} {what}"
    return f"fails {curie(SH + name[0].lower() + name[1:])}"


def _plain(term: object) -> str:
    """A parameter value: numbers and text bare, IRIs as CURIEs."""
    return term.value if isinstance(term, ox.Literal) else term_text(term)


def _members(bundle: ShapesBundle, head: object) -> list[object]:
    members, seen = [], set()
    while head is not None and head not in seen and not (isinstance(head, ox.NamedNode) and head.value.endswith("#nil")):
        seen.add(head)
        members += bundle.values(head, _RDF_FIRST)
        rest = bundle.values(head, _RDF_REST)
        head = rest[0] if rest else None
    return members


def _label(bundle: ShapesBundle, shape: object) -> str:
    """A value shape by its rdfs:label ("an Annex III point"), else by its CURIE."""
    labels = [v for v in bundle.values(shape, RDFS + "label") if isinstance(v, ox.Literal)]
    if labels:
        text = labels[0].value
        return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"
    return f"conform to {term_text(shape)}"
