"""How far the concepts of one scheme are covered by the concepts of another.

Rows are the leaf concepts of the target scheme (the finest provisions); a leaf also
inherits the mappings of its broader concepts, because a crosswalk row about a whole
article speaks about each of its paragraphs.  Inherited mappings count as full cover
only when the target lies inside the source (equal or target subset-of source); any
other inherited relation counts as partial cover.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from aims_graph.crosswalk.index import Concept, CrosswalkIndex, Link
from aims_graph.crosswalk.model import Relation

COVERED = "covered"
PARTLY = "partly covered"
NOT_COVERED = "not covered"
STATUSES = (COVERED, PARTLY, NOT_COVERED)


@dataclass(frozen=True)
class Via:
    """One mapping that contributes to a target concept's cover."""

    source_concept: str
    source_notation: str
    relation: str  # what the target is to the source concept, IR 8477 term
    mapping: str
    mapping_set: str
    inherited_from: str = ""  # broader target concept the mapping is attached to, if any


@dataclass(frozen=True)
class TargetCoverage:
    concept: str
    notation: str
    label: str
    group: str
    group_notation: str
    group_label: str
    status: str
    via: tuple[Via, ...] = field(default=())


@dataclass(frozen=True)
class CoverageReport:
    source_scheme: str
    target_scheme: str
    rows: tuple[TargetCoverage, ...]

    def counts(self) -> dict[str, int]:
        counted = Counter(row.status for row in self.rows)
        return {status: counted.get(status, 0) for status in STATUSES}

    def by_group(self) -> dict[str, dict[str, int]]:
        """``{group notation: {status: number of target concepts}}``, groups in scheme order."""
        table: dict[str, dict[str, int]] = {}
        for row in self.rows:
            table.setdefault(row.group_notation, dict.fromkeys(STATUSES, 0))[row.status] += 1
        return table

    def group_labels(self) -> dict[str, str]:
        return {row.group_notation: row.group_label for row in self.rows}

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "counts": self.counts()}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["target_concept", "notation", "label", "group", "status", "via_concepts", "relations", "mappings"])
        for row in self.rows:
            writer.writerow([
                row.concept,
                row.notation,
                row.label,
                row.group_notation,
                row.status,
                " ".join(v.source_notation for v in row.via),
                " ".join(v.relation for v in row.via),
                " ".join(v.mapping for v in row.via),
            ])
        return out.getvalue()


def coverage(index: CrosswalkIndex, source_scheme: str, target_scheme: str) -> CoverageReport:
    source = index.require_scheme(source_scheme)
    target = index.require_scheme(target_scheme)
    concepts = index.in_scheme(target)
    parents = {p for c in concepts for p in c.broader}
    rows = []
    for concept in concepts:
        if concept.iri in parents:
            continue
        direct = [_via(index, link, "") for link in _links_to(index, concept.iri, source)]
        inherited = [
            _via(index, link, ancestor)
            for ancestor in index.ancestors(concept.iri)
            for link in _links_to(index, ancestor, source)
        ]
        rows.append(_row(index, concept, direct, inherited))
    group_order = {c.iri: i for i, c in enumerate(concepts)}
    rows.sort(key=lambda r: group_order.get(r.group, -1))
    return CoverageReport(source, target, tuple(rows))


def _links_to(index: CrosswalkIndex, concept: str, source_scheme: str) -> list[Link]:
    return [
        link
        for link in index.links(concept)
        if link.relation is not Relation.NO_RELATIONSHIP
        and link.target in index.concepts
        and index.concepts[link.target].scheme == source_scheme
    ]


def _via(index: CrosswalkIndex, link: Link, inherited_from: str) -> Via:
    return Via(
        source_concept=link.target,
        source_notation=index.concepts[link.target].notation,
        relation=link.relation.value,
        mapping=link.mapping,
        mapping_set=link.mapping_set,
        inherited_from=inherited_from,
    )


def _row(index: CrosswalkIndex, concept: Concept, direct: list[Via], inherited: list[Via]) -> TargetCoverage:
    full = {Relation.EQUAL.value, Relation.SUBSET_OF.value}
    if any(v.relation != Relation.INTERSECTS_WITH.value for v in direct) or any(v.relation in full for v in inherited):
        status = COVERED
    elif direct or inherited:
        status = PARTLY
    else:
        status = NOT_COVERED
    group = index.concepts.get(concept.group)
    return TargetCoverage(
        concept=concept.iri,
        notation=concept.notation,
        label=concept.label,
        group=concept.group,
        group_notation=group.notation if group else concept.group,
        group_label=group.label if group else "",
        status=status,
        via=tuple(direct + inherited),
    )
