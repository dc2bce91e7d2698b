"""Validate an organisation's data against the shapes in shapes/, by requirement.

``validate(store, system_iri=None, engine="pyshacl")`` classifies the scope in memory
(the EU AI Act shapes read the derived facts), collects the data to check (the whole
organisation, or one system's neighbourhood), runs the chosen SHACL engine and returns
a ``ConformanceReport``: the standard sh:ValidationReport plus a summary by clause,
control and article. Nothing is written to the store.
"""

from __future__ import annotations


import datetime as dt

import pyoxigraph as ox

from aims_graph.classification.in_force import InForce
from aims_graph.law import Law, law_of
from aims_graph.store.base import Store
from aims_graph.shacl.report import ValidationResult
from aims_graph.validation.data import ValidationData, collect
from aims_graph.validation.engines import ENGINES, engine_named
from aims_graph.validation.report import (
    INTEGRITY, ConformanceReport, Finding, RequirementStatus, Summary, requirement_labels, result_order,
)
from aims_graph.validation.shapes import ShapesBundle, ShapeInfo, load_bundle

__all__ = [
    "ENGINES",
    "INTEGRITY",
    "ConformanceReport",
    "Finding",
    "RequirementStatus",
    "ShapeInfo",
    "ShapesBundle",
    "Summary",
    "in_force",
    "load_bundle",
    "validate",
]


def validate(store: Store, system_iri: str | None = None, engine: str = "compiled",
             as_of: dt.date | None = None) -> ConformanceReport:
    """Validate the whole store, or only the focus nodes of one AI system.

    With ``as_of``, systems are classified as the law stands on that date and a finding on an
    EU AI Act requirement is kept only when that requirement applies to its system then."""
    run = engine_named(engine)
    bundle = load_bundle()
    data = collect(store, system_iri, as_of)
    results = run(bundle.triples, data.triples())
    if system_iri is not None:
        focus = data.focus_nodes()
        results = [r for r in results if r.focus_node in focus]
    if as_of is not None:
        work = ox.Store()
        work.extend(ox.Quad(q.subject, q.predicate, q.object) for q in data.store)
        results = in_force(law_of(store), work, bundle, results, as_of)
    results = sorted(results, key=result_order)
    return ConformanceReport(results, bundle, engine, system_iri, requirement_labels(data.store, bundle))


def in_force(law: Law, work: ox.Store, bundle: ShapesBundle, results: list[ValidationResult],
             on: dt.date) -> list[ValidationResult]:
    """The results whose requirements apply on ``on`` to their focus node (see
    classification.in_force); ``work`` is the validation data in its default graph. The live
    report (validation.live) filters with it too, so both answer the same on the same day."""
    applicable = InForce(law, work, on)
    kept = []
    for result in results:
        source = result.source_shape
        shape = (bundle.owner_of(source) if not isinstance(source, ox.Literal) else None) or str(source)
        info = bundle.shapes.get(shape)
        requirements = info.requirements if info else ()
        focus = result.focus_node.value if isinstance(result.focus_node, ox.NamedNode) else None
        if not requirements or focus is None or any(applicable.applies(focus, r) for r in requirements):
            kept.append(result)
    return kept
