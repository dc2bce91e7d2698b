"""The SHACL engines validation can use, behind one call with one result model.

``pyshacl`` is the reference engine. ``compiled`` is aims_graph.shacl (SHACL Core
compiled to SPARQL, sh:sparql run as written). Both return
``aims_graph.shacl.ValidationResult`` objects, so reports do not depend on the engine.

pySHACL is not thread-safe (its issue 314, and shared state in its SPARQL-based
constraints): every call builds its own rdflib graphs from immutable pyoxigraph triples
and runs under the process-wide ``PYSHACL_LOCK``.
"""

from __future__ import annotations

from typing import Callable, Iterable

import pyoxigraph as ox
import rdflib

from aims_graph.errors import InputError
from aims_graph.shacl.fallback import PYSHACL_LOCK, read_report
from aims_graph.shacl.model import Index
from aims_graph.shacl.report import ValidationResult
from aims_graph.shacl.terms import from_rdflib, triples_to_rdflib

Engine = Callable[[Iterable[ox.Triple], Iterable[ox.Triple]], list[ValidationResult]]


def run_pyshacl(shapes: Iterable[ox.Triple], data: Iterable[ox.Triple]) -> list[ValidationResult]:
    """Validate with pySHACL (no inference: the data already carries the class hierarchy)."""
    import pyshacl  # a fifth of the start-up of 'validate' and 'chart', which use the compiled engine

    shapes_graph = triples_to_rdflib(shapes)
    data_graph = triples_to_rdflib(data)
    try:
        with PYSHACL_LOCK:
            conforms, report, _ = pyshacl.validate(data_graph, shacl_graph=shapes_graph, inference="none",
                                                   advanced=False)
    except Exception as error:  # pySHACL raises bare errors for unusable shapes
        raise InputError(f"pySHACL could not use the shapes graph: {error}") from error
    if not isinstance(report, rdflib.Graph):
        raise InputError(f"pySHACL rejected the shapes graph: {report}")
    index = Index(ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in report)
    return read_report(index)


def run_compiled(shapes: Iterable[ox.Triple], data: Iterable[ox.Triple]) -> list[ValidationResult]:
    """Validate with the compiled engine of aims_graph.shacl on an in-memory store."""
    from aims_graph.shacl import ShapesError, validate

    store = ox.Store()
    # One N-Triples load: a third faster than adding the triples one by one, and the
    # store it builds answers the validation queries faster too (7.4 -> 5.7 s at 5,000 systems).
    store.load(ox.serialize(list(data), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)
    try:
        return validate(list(shapes), store).results
    except ShapesError as error:
        raise InputError(f"the compiled engine could not use the shapes graph: {error}") from error


ENGINES: dict[str, Engine] = {"pyshacl": run_pyshacl, "compiled": run_compiled}


def engine_named(name: str) -> Engine:
    try:
        return ENGINES[name]
    except KeyError:
        raise InputError(f"unknown SHACL engine {name!r}: use one of {', '.join(ENGINES)}") from None
