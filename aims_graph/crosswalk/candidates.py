"""Derived candidate mappings: two-hop chains whose set relations compose soundly.

If A equals B and B is a subset of C, then A is a subset of C, whatever schemes the
three concepts come from.  Chains through intersects-with or no-relationship (and a
subset followed by a superset) say nothing about A and C and are never followed.  The
results are proposals for a reviewer: method derived, status candidate, confidence the
product of the two hops', each carrying the path that explains it.  They live in
sets of their own (``crosswalk/candidates-<a>-<b>``, each in its own named graph) and
are never mixed into the asserted crosswalks.
"""

from __future__ import annotations

from dataclasses import dataclass

from aims_graph.crosswalk.index import CrosswalkIndex, Link, natural_key
from aims_graph.crosswalk.model import (
    CROSSWALK_BASE,
    MappingRecord,
    MappingSet,
    Method,
    Rationale,
    Relation,
    Status,
    compose,
)

DERIVER = "https://w3id.org/aims-graph/crosswalk/deriver"


@dataclass(frozen=True)
class Candidate:
    record: MappingRecord
    paths: tuple[tuple[Link, Link], ...]

    def explanation(self) -> str:
        return _explain(self.paths)


def _explain(paths: tuple[tuple[Link, Link], ...]) -> str:
    return " | ".join(_describe(first, second) for first, second in paths)


def _describe(first: Link, second: Link) -> str:
    return (
        f"{first.source} {first.relation.value} {first.target} ({first.mapping}); "
        f"{second.source} {second.relation.value} {second.target} ({second.mapping})"
    )


def derive_candidates(index: CrosswalkIndex) -> list[Candidate]:
    """All sound two-hop candidates between concepts of different schemes that no
    asserted mapping already relates (in either direction)."""
    found: dict[tuple[str, str], list[tuple[Relation, Link, Link]]] = {}
    for middle in sorted(index.graph.nodes):
        links = index.links(middle)
        for back in links:
            first = _flip(back)  # A -> middle
            for second in links:  # middle -> C
                start, end = first.source, second.target
                relation = compose(first.relation, second.relation)
                if relation is None or start == end or not _different_schemes(index, start, end):
                    continue
                if index.graph.has_edge(start, end):
                    continue
                if _scheme(index, start) > _scheme(index, end):
                    start, end, relation = end, start, relation.inverse
                    first, second = _flip(second), _flip(first)
                found.setdefault((start, end), []).append((relation, first, second))
    return [_candidate(index, key, chains) for key, chains in sorted(found.items(), key=lambda kv: _order(index, kv[0]))]


def _flip(link: Link) -> Link:
    return Link(link.target, link.source, link.relation.inverse, link.record, link.mapping, link.mapping_set, not link.reversed)


def _scheme(index: CrosswalkIndex, concept: str) -> str:
    return index.concepts[concept].scheme if concept in index.concepts else concept


def _different_schemes(index: CrosswalkIndex, a: str, b: str) -> bool:
    return _scheme(index, a) != _scheme(index, b)


def _order(index: CrosswalkIndex, key: tuple[str, str]) -> tuple:
    def k(iri: str) -> tuple:
        c = index.concepts.get(iri)
        return (_scheme(index, iri), natural_key(c.notation) if c else ())

    return k(key[0]), k(key[1])


def _candidate(index: CrosswalkIndex, key: tuple[str, str], chains: list[tuple[Relation, Link, Link]]) -> Candidate:
    relations = {relation for relation, _, _ in chains}
    # Several sound paths may agree or, for subset and superset together, pin equality.
    if Relation.EQUAL in relations or {Relation.SUBSET_OF, Relation.SUPERSET_OF} <= relations:
        relation = Relation.EQUAL
    else:
        (relation,) = relations
    paths = tuple(sorted({(f, s) for _, f, s in chains}, key=lambda p: (p[0].mapping, p[1].mapping)))
    best = max(f.record.confidence * s.record.confidence for f, s in paths)
    rationales = {link.record.rationale for path in paths for link in path}
    subject, obj = key
    record = MappingRecord(
        subject_id=subject,
        subject_label=_label(index, subject),
        object_id=obj,
        object_label=_label(index, obj),
        relation=relation,
        rationale=rationales.pop() if len(rationales) == 1 else Rationale.SEMANTIC,
        comment="Derived by chaining: " + _explain(paths),
        source="derived by aims-graph from the asserted crosswalks",
        author_id=DERIVER,
        reviewer_id="",
        confidence=best,
        status=Status.CANDIDATE,
        method=Method.DERIVED,
    )
    return Candidate(record, paths)


def _label(index: CrosswalkIndex, iri: str) -> str:
    concept = index.concepts.get(iri)
    return concept.label if concept else ""


def candidate_sets(index: CrosswalkIndex, candidates: list[Candidate]) -> list[MappingSet]:
    """Group candidates into one set per scheme pair, ready for RDF or SSSOM export."""
    grouped: dict[tuple[str, str], list[MappingRecord]] = {}
    for candidate in candidates:
        pair = (_scheme(index, candidate.record.subject_id), _scheme(index, candidate.record.object_id))
        grouped.setdefault(pair, []).append(candidate.record)
    return [
        MappingSet(
            id=f"{CROSSWALK_BASE}candidates-{a}-{b}",
            title=f"Derived candidate mappings from {a} to {b}",
            description="Two-hop chains of asserted mappings whose set relations compose soundly; not reviewed.",
            version="derived",
            license="https://creativecommons.org/licenses/by/4.0/",
            subject_source=f"https://w3id.org/aims-graph/{a}",
            subject_source_version="",
            object_source=f"https://w3id.org/aims-graph/{b}",
            object_source_version="",
            mapping_date="",
            mappings=tuple(records),
        )
        for (a, b), records in sorted(grouped.items())
    ]
