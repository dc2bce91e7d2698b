"""N-Triples lines written as text.

The spreadsheet importer and the synthetic-data generator both produce many small
triples; writing N-Triples lines directly keeps them streaming and byte-stable (the
same input always gives the same bytes), which an in-memory graph serialiser does not
promise.
"""

from __future__ import annotations

import datetime as dt

from aims_graph.rdf.namespaces import AIMS, RDF, XSD
from aims_graph.sparql.terms import quoted

RDF_TYPE = f"<{RDF}type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
RDFS_COMMENT = "<http://www.w3.org/2000/01/rdf-schema#comment>"


def iri(value: str) -> str:
    """An IRI term; callers build IRIs from checked ids, so no escaping is needed here."""
    return f"<{value}>"


def aims(local: str) -> str:
    return f"<{AIMS}{local}>"


text = quoted  # a plain string literal: N-Triples escapes strings as SPARQL does


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
