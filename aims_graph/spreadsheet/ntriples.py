"""N-Triples lines written as text.

The spreadsheet importer and the synthetic-data generator both produce many small
triples; writing N-Triples lines directly keeps them streaming and byte-stable (the
same input always gives the same bytes), which an in-memory graph serialiser does not
promise.
"""

from __future__ import annotations

import datetime as dt

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = f"<{RDF}type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
RDFS_COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"
DCTERMS = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
AIMS = "https://w3id.org/aims-graph/ontology#"

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def iri(value: str) -> str:
    """An IRI term; callers build IRIs from checked ids, so no escaping is needed here."""
    return f"<{value}>"


def aims(local: str) -> str:
    return f"<{AIMS}{local}>"


def text(value: str) -> str:
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in value)
    return f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f"{text(value)}^^<{XSD}{datatype}>"


def date(value: dt.date) -> str:
    return typed(value.isoformat(), "date")


def boolean(value: bool) -> str:
    return typed("true" if value else "false", "boolean")


def integer(value: int) -> str:
    return typed(str(value), "integer")


def double(value: float) -> str:
    return typed(repr(float(value)), "double")


def any_uri(value: str) -> str:
    return typed(value, "anyURI")


def line(subject: str, predicate: str, obj: str) -> str:
    return f"{subject} {predicate} {obj} .\n"
