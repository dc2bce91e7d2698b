"""Comparable keys for validation results coming from different engines and parses.

Blank nodes get different ids in every parse, so a blank node is replaced by a
description of its outgoing triples (recursively, to a fixed depth): the data and
shapes blank nodes in the test graphs are all distinguishable that way.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox
import rdflib

from aims_graph.shacl.fallback import read_report
from aims_graph.shacl.model import Index
from aims_graph.shacl.report import ValidationResult
from aims_graph.shacl.terms import from_rdflib

DEPTH = 4


def ox_triples(graph: rdflib.Graph) -> list[ox.Triple]:
    return [ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in graph]


_STORE = ox.Store()


def stored(literal: ox.Literal) -> ox.Literal:
    """``literal`` as Oxigraph stores it (numbers in canonical form, integer subtypes
    as xsd:integer): the form the engine's answers come in."""
    quad = ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:p"), literal)
    _STORE.add(quad)
    found = next(iter(_STORE.quads_for_pattern(quad.subject, quad.predicate, None))).object
    _STORE.remove(ox.Quad(quad.subject, quad.predicate, found))
    return found


def canon(node, index: Index, depth: int = DEPTH):
    """A parse-independent stand-in for ``node``."""
    if node is None:
        return None
    if isinstance(node, ox.Literal):
        return str(stored(node))
    if not isinstance(node, ox.BlankNode):
        return str(node)
    if depth == 0:
        return "_:"
    return ("_:", tuple(sorted((str(p), repr(canon(o, index, depth - 1))) for p, o in index.outgoing(node))))


def result_key(r: ValidationResult, index: Index) -> tuple:
    """(focus, path, value, component, shape, severity) with blank nodes described."""
    return (
        canon(r.focus_node, index),
        r.result_path,
        canon(r.value, index),
        str(r.source_constraint_component),
        canon(r.source_shape, index),
        str(r.severity),
    )


def keys(results: Iterable[ValidationResult], index: Index) -> set[tuple]:
    return {result_key(r, index) for r in results}


def pyshacl_keys(report_graph: rdflib.Graph, index: Index) -> set[tuple]:
    """Keys of a pySHACL report; its blank nodes keep the ids of the input graphs, so
    they are described with ``index`` (the data and shapes pySHACL was given)."""
    return keys(read_report(Index(ox_triples(report_graph))), index)
