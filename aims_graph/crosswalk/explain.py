"""Everything the crosswalks say about one provision, from either side of each file."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from aims_graph.crosswalk.index import SCHEME_ALIASES, Concept, CrosswalkIndex
from aims_graph.errors import InputError, NotFoundError
from aims_graph.knowledge.reference import notation_slug


@dataclass(frozen=True)
class Explanation:
    other_concept: str
    other_notation: str
    other_label: str
    other_scheme: str
    other_notation_derived: bool  # the other concept's number was derived, not seen printed
    relation: str  # what the explained concept is to the other, IR 8477 term
    direction: str  # "subject" when the explained concept is the file's subject, else "object"
    rationale: str
    status: str
    confidence: str
    justification: str
    source: str
    mapping: str
    mapping_set: str


@dataclass(frozen=True)
class ExplainReport:
    concept: str
    notation: str
    label: str
    scheme: str
    notation_derived: bool
    mappings: tuple[Explanation, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve(index: CrosswalkIndex, name: str) -> Concept:
    """A concept from its IRI, ``scheme:notation`` (scheme name or SSSOM prefix) or a bare
    notation; a bare notation that several schemes use must be qualified."""
    if name in index.concepts:
        return index.concepts[name]
    scheme, sep, notation = name.partition(":")
    if sep and not notation.startswith("//"):
        wanted = SCHEME_ALIASES.get(scheme, scheme)
        matches = [c for c in index.concepts.values() if c.scheme == wanted and _names(c, notation)]
    else:
        matches = [c for c in index.concepts.values() if _names(c, name)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(f"no concept is named {name!r}")
    options = ", ".join(sorted(c.qualified for c in matches))
    raise InputError(f"{name!r} is ambiguous; qualify it as one of: {options}")


def _names(concept: Concept, text: str) -> bool:
    return concept.notation == text or concept.iri.rsplit("/", 1)[-1] == notation_slug(text)


def explain(index: CrosswalkIndex, name: str) -> ExplainReport:
    concept = resolve(index, name)
    rows = []
    for link in index.links(concept.iri):
        other = index.concepts.get(link.target)
        record = link.record
        rows.append(
            Explanation(
                other_concept=link.target,
                other_notation=other.notation if other else link.target,
                other_label=other.label if other else "",
                other_scheme=other.scheme if other else "",
                other_notation_derived=other.notation_derived if other else False,
                relation=link.relation.value,
                direction="object" if link.reversed else "subject",
                rationale=record.rationale.value,
                status=record.status.value,
                confidence=str(record.confidence),
                justification=record.comment,
                source=record.source,
                mapping=link.mapping,
                mapping_set=link.mapping_set,
            )
        )
    return ExplainReport(concept.iri, concept.notation, concept.label, concept.scheme,
                         concept.notation_derived, tuple(rows))
