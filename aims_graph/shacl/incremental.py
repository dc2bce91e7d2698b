"""Re-validate only what a write can have changed, and keep the latest results.

A write that touches the nodes N can only change the results of focus nodes that
are in N or pass through a node of N on one of the walks their shapes make: the
sh:path of a property shape followed by the walks of the shapes nested under it
(sh:node, sh:not, sh:and/or/xone, qualified shapes, sh:property), plus the
predicates of sh:equals/disjoint/lessThan.  The walks are built per shape, every
prefix included, into one SPARQL property path; one query follows it backwards from
N, the affected nodes are re-validated with ``focus_nodes``, and their cached
results are replaced.  Cases this reasoning cannot bound fall back to a full validation:
SPARQL-based constraints and pySHACL fallbacks (arbitrary reach), and changed or
affected blank nodes (a query cannot name them).  Changes to the class hierarchy
(rdfs:subClassOf) move targets wholesale: call :meth:`validate_all` after them.
"""

from __future__ import annotations

from typing import Iterable

import pyoxigraph as ox

from .compile import PAIR_COMPONENTS
from .engine import plan, validate
from .model import ShapesInput, load_shapes
from .paths import Path, Predicate, Sequence, alternative, prefixes
from .report import ValidationReport, ValidationResult
from .source import SparqlSource, as_source
from .terms import Term

class IncrementalValidator:
    """Holds the current results per focus node for one shapes graph and one source."""

    def __init__(self, shapes: ShapesInput, data: ox.Store | SparqlSource, *, shapes_format: ox.RdfFormat | None = None) -> None:
        self.graph = load_shapes(shapes, shapes_format)
        self.source = as_source(data)
        self._results: dict[Term, list[ValidationResult]] = {}
        self._fallbacks: list = []
        self._local = not plan(self.graph).fallbacks and not any(
            c.kind == "SPARQL" for s in self.graph.shapes.values() for c in s.constraints
        )
        self._reach = self._reach_path() if self._local else None

    def validate_all(self) -> ValidationReport:
        """Validate everything and replace the cache."""
        report = validate(self.graph, self.source)
        self._results = {}
        self._store(report.results)
        self._fallbacks = report.fallbacks
        return report

    def affected(self, changed: Iterable[Term]) -> set[Term] | None:
        """Focus nodes whose results a change to ``changed`` can alter; None means
        "cannot be bounded, validate everything"."""
        nodes = list(dict.fromkeys(changed))
        if not self._local or any(isinstance(n, ox.BlankNode) for n in nodes):
            return None
        if not nodes:
            return set()
        if self._reach is None:
            return set(nodes)
        query = (
            f"SELECT DISTINCT ?x WHERE {{ VALUES ?n {{ {' '.join(str(n) for n in nodes)} }} "
            f"?x ({self._reach})? ?n . }}"
        )
        found = {row["x"] for row in self.source.query(query)} | set(nodes)
        if any(isinstance(n, ox.BlankNode) for n in found):
            return None
        return found

    def update(self, changed: Iterable[Term]) -> set[Term] | None:
        """Re-validate after a write that touched ``changed`` (subjects and objects of
        the added and removed triples); returns the focus nodes re-checked (None: all)."""
        nodes = self.affected(changed)
        if nodes is None:
            self.validate_all()
            return None
        if nodes:
            report = validate(self.graph, self.source, focus_nodes=sorted(nodes, key=str))
            for node in nodes:
                self._results.pop(node, None)
            self._store(report.results)
        return nodes

    def report(self) -> ValidationReport:
        """The current full report, assembled from the cache (no query)."""
        return ValidationReport([r for rs in self._results.values() for r in rs], list(self._fallbacks))

    def _store(self, results: Iterable[ValidationResult]) -> None:
        for r in results:
            self._results.setdefault(r.focus_node, []).append(r)

    def _reach_path(self) -> str | None:
        """The SPARQL path from a focus node to every node its validation looks at."""
        walks = [w for shape in self.graph.targeted if (w := self._walks(shape.node)) is not None]
        return alternative(walks).sparql() if walks else None

    def _walks(self, node: Term) -> Path | None:
        """Non-empty walks made when validating one node against shape ``node``
        (the shapes are known not to be recursive here: recursion means fallback)."""
        shape = self.graph.shapes[node]
        if shape.deactivated:
            return None
        on_values = [w for n in _nested(self.graph, shape) if (w := self._walks(n)) is not None]
        on_focus = [Predicate(c.arg) for c in shape.constraints if c.kind in PAIR_COMPONENTS]
        if shape.path is None:
            on_focus += on_values
        else:
            on_focus.append(prefixes(shape.path))
            if on_values:
                on_focus.append(Sequence((shape.path, alternative(on_values))))
        return alternative(on_focus) if on_focus else None


def _nested(graph, shape) -> list[Term]:
    """Shapes checked on the value nodes of ``shape`` (its focus, for node shapes)."""
    out = list(shape.properties)
    for c in shape.constraints:
        if c.kind in ("Node", "Not"):
            out.append(c.arg)
        elif c.kind in ("And", "Or", "Xone"):
            out.extend(c.arg)
        elif c.kind in ("QualifiedMinCount", "QualifiedMaxCount"):
            out.append(c.arg[0])
            if c.option("disjoint"):
                out.extend(graph.siblings(shape.node, c.arg[0]))
    return out
