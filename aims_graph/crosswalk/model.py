"""Typed crosswalk records and the set theory behind them (NIST IR 8477).

The SSSOM file, the RDF graph and the analyses all speak in these types so that a
relation is checked once, when it is read, and never re-parsed from strings later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from aims_graph.errors import InputError
from aims_graph.rdf.namespaces import AIMS, SKOS

SEMAPV = "https://w3id.org/semapv/vocab/"
GRAPH_BASE = "https://w3id.org/aims-graph/graph/"
CROSSWALK_BASE = "https://w3id.org/aims-graph/crosswalk/"


class CrosswalkError(InputError):
    """A crosswalk file (or request) is wrong; ``problems`` lists every (path, line, reason)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class Relation(Enum):
    """IR 8477 set theory relationship of the subject's content to the object's content."""

    EQUAL = "equal"
    SUBSET_OF = "subset-of"
    SUPERSET_OF = "superset-of"
    INTERSECTS_WITH = "intersects-with"
    NO_RELATIONSHIP = "no-relationship"

    @property
    def iri(self) -> str:
        return AIMS + _RELATION_LOCAL[self]

    @property
    def skos_match(self) -> str | None:
        """The SKOS mapping property asserted between the concepts; none for no-relationship."""
        return _SKOS_PROJECTION[self]

    @property
    def sssom_predicate(self) -> tuple[str, str]:
        """SSSOM ``predicate_id`` CURIE and ``predicate_modifier`` for this relation."""
        if self is Relation.NO_RELATIONSHIP:
            return "skos:relatedMatch", "Not"
        return "skos:" + (self.skos_match or "").removeprefix(SKOS), ""

    @property
    def inverse(self) -> Relation:
        """The relation read from the object's side (``a subset-of b`` is ``b superset-of a``)."""
        return _INVERSE.get(self, self)

    @property
    def covers(self) -> bool:
        """Whether the relation says one concept's content is contained in or equal to the other's."""
        return self in (Relation.EQUAL, Relation.SUBSET_OF, Relation.SUPERSET_OF)


_RELATION_LOCAL = {
    Relation.EQUAL: "Equal",
    Relation.SUBSET_OF: "SubsetOf",
    Relation.SUPERSET_OF: "SupersetOf",
    Relation.INTERSECTS_WITH: "IntersectsWith",
    Relation.NO_RELATIONSHIP: "NoRelationship",
}
_SKOS_PROJECTION = {
    Relation.EQUAL: SKOS + "exactMatch",
    Relation.SUBSET_OF: SKOS + "broadMatch",
    Relation.SUPERSET_OF: SKOS + "narrowMatch",
    Relation.INTERSECTS_WITH: SKOS + "relatedMatch",
    Relation.NO_RELATIONSHIP: None,
}
_INVERSE = {Relation.SUBSET_OF: Relation.SUPERSET_OF, Relation.SUPERSET_OF: Relation.SUBSET_OF}


def compose(first: Relation, second: Relation) -> Relation | None:
    """Relation of A to C given A ``first`` B and B ``second`` C, when set theory fixes it.

    Only chains of equal/subset/superset in one direction are sound; anything through
    intersects-with or no-relationship, and subset-then-superset, says nothing about A and C.
    """
    if first is Relation.EQUAL and second in _COMPOSABLE:
        return second
    if second is Relation.EQUAL and first in _COMPOSABLE:
        return first
    if first is second and first in (Relation.SUBSET_OF, Relation.SUPERSET_OF):
        return first
    return None


_COMPOSABLE = (Relation.EQUAL, Relation.SUBSET_OF, Relation.SUPERSET_OF)


class Rationale(Enum):
    """IR 8477 relationship type: why the two concepts are said to be related."""

    SYNTACTIC = "syntactic"
    SEMANTIC = "semantic"
    FUNCTIONAL = "functional"

    @property
    def iri(self) -> str:
        return AIMS + self.value.capitalize()


class Status(Enum):
    PROPOSED = "proposed"
    REVIEWED = "reviewed"
    CANDIDATE = "candidate"

    @property
    def iri(self) -> str:
        return AIMS + self.value.capitalize()


class Method(Enum):
    """How a mapping came about; the SSSOM ``mapping_justification`` says the same in SEMAPV."""

    MANUAL = "ManualMapping"
    DERIVED = "DerivedMapping"

    @property
    def iri(self) -> str:
        return AIMS + self.value

    @property
    def semapv(self) -> str:
        return SEMAPV + ("ManualMappingCuration" if self is Method.MANUAL else "MappingChaining")


@dataclass(frozen=True)
class MappingRecord:
    """One row of a crosswalk: subject and object are full concept IRIs."""

    subject_id: str
    subject_label: str
    object_id: str
    object_label: str
    relation: Relation
    rationale: Rationale
    comment: str
    source: str
    author_id: str
    reviewer_id: str
    confidence: Decimal
    status: Status
    method: Method = Method.MANUAL
    line: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return self.subject_id, self.object_id


@dataclass(frozen=True)
class MappingSet:
    """A crosswalk file's metadata and rows; equality ignores where it was read from."""

    id: str
    title: str
    description: str
    version: str
    license: str
    subject_source: str
    subject_source_version: str
    object_source: str
    object_source_version: str
    mapping_date: str
    mappings: tuple[MappingRecord, ...]
    creators: tuple[str, ...] = ()  # IRIs of the agents who made the set (SSSOM creator_id)
    path: str = field(default="", compare=False)

    @property
    def name(self) -> str:
        """The set's short name, the last segment of its id (``iso42001-eu-ai-act``): its file stem."""
        return self.id.rstrip("/").rsplit("/", 1)[-1]

    @property
    def graph_name(self) -> str:
        """Named graph holding the compiled set: ``graph/crosswalk-<file stem>``."""
        return f"{GRAPH_BASE}crosswalk-{self.name}"
