"""What a parsed request does, read from its structure: the facts the guard decides on.

Graphs are named by absolute IRI, or by one of two markers: ``DEFAULT`` (the default
graph) and ``ANY_GRAPH`` (``ALL``, ``NAMED``, ``GRAPH ?g``: any graph at all).
"""

from __future__ import annotations

from dataclasses import dataclass

from aims_graph.sparql.terms import Term

ANY_GRAPH = "any graph"
DEFAULT = "the default graph"

Quad = tuple[Term, Term, Term, str]
"""Subject, predicate, object and graph (an IRI or ``DEFAULT``) of INSERT/DELETE DATA."""


@dataclass(frozen=True)
class Operation:
    """One update operation: its kind (``INSERT DATA``, ``MODIFY``, ``DROP``...), the graphs
    it may write and read, the documents it LOADs, and for INSERT DATA / DELETE DATA the
    quads it names."""

    kind: str
    writes: frozenset[str]
    reads: frozenset[str]
    loads: tuple[str, ...] = ()
    quads: tuple[Quad, ...] | None = None


@dataclass(frozen=True)
class ParsedRequest:
    """A query or an update as read, and ``text``: the same request re-serialised from the
    parse (absolute IRIs only, no PREFIX or BASE, no comments, keywords in capitals),
    which is what the engine must be sent."""

    text: str
    form: str | None
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``; None for an update."""
    operations: tuple[Operation, ...]
    services: tuple[str, ...]
    """Every SERVICE target, anywhere in the request: an IRI, or ``?name`` for a variable."""
    reads: frozenset[str]
    """For a query: the graphs named by FROM, FROM NAMED and GRAPH."""
    depth: int
    """The deepest nesting of ``{``, ``(`` and ``[``."""

    @property
    def is_update(self) -> bool:
        return self.form is None

    @property
    def writes(self) -> frozenset[str]:
        return frozenset().union(*(operation.writes for operation in self.operations))

    @property
    def remote_targets(self) -> tuple[str, ...]:
        """Everything the request would make the engine reach out to: SERVICE and LOAD."""
        return self.services + tuple(iri for operation in self.operations for iri in operation.loads)
