"""Validation results as Python objects and as a standard sh:ValidationReport.

Results are kept as frozen dataclasses over pyoxigraph terms (cheap to compare,
hash and cache per focus node); the RDF report is built from them on demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib

from .paths import Path, path_triples
from .terms import RDF_TYPE, XSD_BOOLEAN, Term, sh, triples_to_rdflib


@dataclass(frozen=True)
class ValidationResult:
    focus_node: Term
    result_path: Path | None
    value: Term | None
    source_constraint_component: ox.NamedNode
    source_shape: Term
    severity: ox.NamedNode
    messages: tuple[ox.Literal, ...] = ()
    source_constraint: Term | None = None

    def key(self) -> tuple:
        """What identifies a result when two reports are compared (messages excluded)."""
        return (self.focus_node, self.result_path, self.value, self.source_constraint_component, self.source_shape, self.severity)


@dataclass(frozen=True)
class Fallback:
    """A shape that was validated by pySHACL instead of compiled SPARQL, and why."""

    shape: Term
    reason: str


@dataclass
class ValidationReport:
    results: list[ValidationResult]
    fallbacks: list[Fallback] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        """SHACL: a data graph conforms when validation produced no result at all."""
        return not self.results

    def triples(self) -> list[ox.Triple]:
        """The report as RDF (one blank node per report and per result)."""
        report = ox.BlankNode()
        out = [
            ox.Triple(report, RDF_TYPE, sh("ValidationReport")),
            ox.Triple(report, sh("conforms"), ox.Literal(str(self.conforms).lower(), datatype=XSD_BOOLEAN)),
        ]
        for r in self.results:
            node = ox.BlankNode()
            out += [
                ox.Triple(report, sh("result"), node),
                ox.Triple(node, RDF_TYPE, sh("ValidationResult")),
                ox.Triple(node, sh("focusNode"), r.focus_node),
                ox.Triple(node, sh("sourceConstraintComponent"), r.source_constraint_component),
                ox.Triple(node, sh("sourceShape"), r.source_shape),
                ox.Triple(node, sh("resultSeverity"), r.severity),
            ]
            if r.value is not None:
                out.append(ox.Triple(node, sh("value"), r.value))
            if r.result_path is not None:
                root, path = path_triples(r.result_path)
                out += [ox.Triple(node, sh("resultPath"), root), *path]
            if r.source_constraint is not None:
                out.append(ox.Triple(node, sh("sourceConstraint"), r.source_constraint))
            out += [ox.Triple(node, sh("resultMessage"), m) for m in r.messages]
        return out

    def to_rdflib(self) -> rdflib.Graph:
        graph = rdflib.Graph()
        graph.bind("sh", sh("").value)
        return triples_to_rdflib(self.triples(), graph)

    def serialize(self, format: str = "turtle") -> str:
        """The report as text; ``format`` is any rdflib serialiser name (turtle, json-ld, xml, nt)."""
        return self.to_rdflib().serialize(format=format)
