"""An in-memory view of the store's concepts and asserted mappings for the analyses.

Every analysis needs the same two things: what each concept is (scheme, notation,
label, top-level group) and which mappings touch it in either direction.  Reading them
once with two SPARQL queries and holding them in a networkx graph keeps the analyses
free of query strings and lets them walk mappings regardless of the file's direction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import networkx as nx

from aims_graph.crosswalk.model import MappingRecord, MappingSet, Relation
from aims_graph.crosswalk.rdf import mapping_iri, mapping_sets_from_store
from aims_graph.crosswalk.sssom_io import SCHEME_PREFIXES
from aims_graph.errors import InputError
from aims_graph.rdf.namespaces import SCHEME_BASE

# SSSOM prefixes that differ from the scheme names used in IRIs and on the command line.
SCHEME_ALIASES = {p: ns[len(SCHEME_BASE):-1] for p, ns in SCHEME_PREFIXES.items()}

_CONCEPTS_QUERY = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX aims: <https://w3id.org/aims-graph/ontology#>
SELECT ?concept ?scheme ?notation ?label ?top ?broader ?derived
WHERE {
  ?concept skos:inScheme ?scheme .
  OPTIONAL { ?concept skos:notation ?notation }
  BIND (EXISTS { ?concept aims:notationDerived true } AS ?derived)
  OPTIONAL { ?concept skos:prefLabel ?label }
  OPTIONAL { ?concept skos:broader ?broader }
  OPTIONAL { ?concept skos:broader* ?top . ?top skos:topConceptOf ?scheme }
}
"""


@dataclass(frozen=True)
class Concept:
    iri: str
    scheme: str
    notation: str
    label: str
    group: str
    broader: tuple[str, ...]
    # True when the notation was derived, not seen printed (aims:notationDerived): a mapping
    # to such a concept is only as sure as that number.
    notation_derived: bool = False

    @property
    def qualified(self) -> str:
        """``scheme:notation``, the unambiguous way to name a concept to ``explain``."""
        return f"{self.scheme}:{self.notation}"


@dataclass(frozen=True)
class Link:
    """A mapping seen from one end: ``relation`` is what ``source`` is to ``target``."""

    source: str
    target: str
    relation: Relation
    record: MappingRecord
    mapping: str
    mapping_set: str
    reversed: bool


class CrosswalkIndex:
    """Concepts by IRI and a directed multigraph with one edge per mapping and direction."""

    def __init__(self, concepts: dict[str, Concept], sets: list[MappingSet]) -> None:
        self.concepts = concepts
        self.graph = nx.MultiDiGraph()
        for mapping_set in sets:
            for record in mapping_set.mappings:
                iri = mapping_iri(mapping_set, record)
                forward = Link(record.subject_id, record.object_id, record.relation, record, iri, mapping_set.id, False)
                backward = Link(record.object_id, record.subject_id, record.relation.inverse, record, iri, mapping_set.id, True)
                for link in (forward, backward):
                    self.graph.add_edge(link.source, link.target, link=link)

    @classmethod
    def from_store(cls, store: Any) -> CrosswalkIndex:
        concepts: dict[str, Concept] = {}
        broader: dict[str, set[str]] = {}
        for s in store.query(_CONCEPTS_QUERY):
            iri = s["concept"].value
            if s["broader"] is not None:
                broader.setdefault(iri, set()).add(s["broader"].value)
            top = s["top"].value if s["top"] is not None else iri
            known = concepts.get(iri)
            if known is not None and known.group <= top:
                continue
            concepts[iri] = Concept(
                iri=iri,
                scheme=scheme_name(s["scheme"].value),
                notation=s["notation"].value if s["notation"] is not None else iri.rsplit("/", 1)[-1],
                label=s["label"].value if s["label"] is not None else "",
                group=top,
                broader=(),
                notation_derived=s["derived"] is not None and s["derived"].value == "true",
            )
        for iri, parents in broader.items():
            c = concepts[iri]
            concepts[iri] = replace(c, broader=tuple(sorted(parents)))
        return cls(concepts, mapping_sets_from_store(store))

    def links(self, concept: str) -> list[Link]:
        """Every mapping touching ``concept``, each seen from ``concept``'s side."""
        if concept not in self.graph:
            return []
        return sorted(
            (data["link"] for _, _, data in self.graph.out_edges(concept, data=True)),
            key=lambda link: (link.target, link.mapping),
        )

    def in_scheme(self, scheme: str) -> list[Concept]:
        """Concepts of one scheme in reading order (``A.2`` before ``A.10``)."""
        return sorted((c for c in self.concepts.values() if c.scheme == scheme), key=lambda c: natural_key(c.notation))

    def ancestors(self, concept: str) -> list[str]:
        """Broader concepts, nearest first (breadth-first over ``skos:broader``)."""
        seen: list[str] = []
        frontier = list(self.concepts[concept].broader) if concept in self.concepts else []
        while frontier:
            nxt: list[str] = []
            for iri in frontier:
                if iri not in seen:
                    seen.append(iri)
                    nxt.extend(self.concepts[iri].broader if iri in self.concepts else ())
            frontier = nxt
        return seen

    def schemes(self) -> set[str]:
        return {c.scheme for c in self.concepts.values()}

    def require_scheme(self, scheme: str) -> str:
        """Normalise a scheme name or SSSOM prefix; refuse schemes the store lacks."""
        name = SCHEME_ALIASES.get(scheme, scheme)
        if name not in self.schemes():
            known = ", ".join(sorted(self.schemes()))
            raise InputError(f"scheme {scheme!r} is not loaded; known: {known}")
        return name


def natural_key(notation: str) -> tuple[tuple[int, str], ...]:
    """Sort key that reads the numbers inside identifiers, Arabic or Roman, as numbers,
    so that ``A.2`` comes before ``A.10`` and ``Chapter IV`` before ``Chapter IX``.

    Roman numerals are taken from I, V and X only, so that the letters of ``Annex C``
    or ``Annex D`` keep their alphabetical place.
    """
    key = []
    for part in re.split(r"(\d+|\b[IVX]+\b)", notation):
        if part.isdigit():
            key.append((int(part), ""))
        elif part and set(part) <= set("IVX"):
            key.append((_roman(part), ""))
        elif part:
            key.append((_TEXT, part))
    return tuple(key)


_TEXT = 10**9  # text sorts after numbers: clause 4 before Annex A


def _roman(numeral: str) -> int:
    values = [{"I": 1, "V": 5, "X": 10}[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def scheme_name(scheme_iri: str) -> str:
    return scheme_iri.rstrip("/").rsplit("/", 1)[-1]
