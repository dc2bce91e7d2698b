"""Give results back the literals as the input wrote them.

Oxigraph stores typed literals of the XSD value types in canonical form: data that
says ``"4.0"^^xsd:decimal`` is read back as ``"4"^^xsd:decimal``, ``"04"^^xsd:integer``
as ``"4"``.  Same value, but another RDF term, so a report built from the store's
answers names a focus node or value the input never contained.  When the input is a
file (``aims-graph shacl``), its terms are the ones a reader expects to see; this maps
each canonical form back to the one written, wherever that is unambiguous.
"""

from __future__ import annotations

import dataclasses
from typing import Iterable

import pyoxigraph as ox

from .report import ValidationResult
from .terms import Term

_PLAIN = {
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}


def written_forms(triples: Iterable[ox.Triple]) -> dict[ox.Literal, ox.Literal]:
    """Canonical literal -> the literal as written, for every typed literal the store
    would rewrite; a canonical form written two ways is left out (no way to choose)."""
    typed = {
        term
        for t in triples
        for term in (t.subject, t.object)
        if isinstance(term, ox.Literal) and term.datatype.value not in _PLAIN
    }
    if not typed:
        return {}
    written = sorted(typed, key=str)
    store = ox.Store()
    keys = [ox.NamedNode(f"urn:aims-graph:lexical:{i}") for i in range(len(written))]
    predicate = ox.NamedNode("urn:aims-graph:lexical:is")
    store.extend(ox.Quad(key, predicate, literal) for key, literal in zip(keys, written))
    forms: dict[ox.Literal, set[ox.Literal]] = {}
    for key, literal in zip(keys, written):
        stored = next(store.quads_for_pattern(key, predicate, None)).object
        if stored != literal:
            forms.setdefault(stored, set()).add(literal)
    return {canonical: next(iter(found)) for canonical, found in forms.items() if len(found) == 1}


def restore(results: Iterable[ValidationResult], forms: dict[ox.Literal, ox.Literal]) -> list[ValidationResult]:
    """The results with their focus nodes and values as written in the input."""
    if not forms:
        return list(results)

    def written(term: Term | None) -> Term | None:
        return forms.get(term, term) if isinstance(term, ox.Literal) else term

    return [dataclasses.replace(r, focus_node=written(r.focus_node), value=written(r.value)) for r in results]
