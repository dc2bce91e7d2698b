"""Validate an organisation's data against the shapes in shapes/, by requirement.

``validate(store, system_iri=None, engine="pyshacl")`` classifies the scope in memory
(the EU AI Act shapes read the derived facts), collects the data to check (the whole
organisation, or one system's neighbourhood), runs the chosen SHACL engine and returns
a ``ConformanceReport``: the standard sh:ValidationReport plus a summary by clause,
control and article. Nothing is written to the store.
"""

from __future__ import annotations


from aims_graph.store.base import Store
from aims_graph.validation.data import collect
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
    "load_bundle",
    "validate",
]


def validate(store: Store, system_iri: str | None = None, engine: str = "compiled") -> ConformanceReport:
    """Validate the whole store, or only the focus nodes of one AI system."""
    run = engine_named(engine)
    bundle = load_bundle()
    data = collect(store, system_iri)
    results = run(bundle.triples, data.triples())
    if system_iri is not None:
        focus = data.focus_nodes()
        results = [r for r in results if r.focus_node in focus]
    results = sorted(results, key=result_order)
    return ConformanceReport(results, bundle, engine, system_iri, requirement_labels(data.store, bundle))
