"""Validate an organisation's data against the shapes in shapes/, by requirement.

``validate(store, system_iri=None, engine="pyshacl")`` classifies the scope in memory
(the EU AI Act shapes read the derived facts), collects the data to check (the whole
organisation, or one system's neighbourhood), runs the chosen SHACL engine and returns
a ``ConformanceReport``: the standard sh:ValidationReport plus a summary by clause,
control and article. Nothing is written to the store.
"""

from __future__ import annotations


from aims_graph.store.base import Store
from aims_graph.validation.data import ValidationData, collect
from aims_graph.validation.engines import ENGINES, engine_named
from aims_graph.validation.report import INTEGRITY, ConformanceReport, Finding, RequirementStatus, Summary
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
    return ConformanceReport(results, bundle, engine, system_iri, _provisions(data, bundle))


def _provisions(data: ValidationData, bundle: ShapesBundle) -> dict[str, tuple[str | None, str | None]]:
    """Notation and title of every requirement the shapes check, from the reference context."""
    requirements = sorted({r for info in bundle.shapes.values() for r in info.requirements})
    if not requirements:
        return {}
    values = " ".join(f"<{r}>" for r in requirements)
    rows = data.store.query(
        f"SELECT ?r (SAMPLE(?n) AS ?notation) (SAMPLE(?t) AS ?title) WHERE {{ VALUES ?r {{ {values} }} "
        "OPTIONAL { GRAPH ?g { ?r <http://www.w3.org/2004/02/skos/core#notation> ?n } } "
        "OPTIONAL { GRAPH ?h { ?r <http://www.w3.org/2004/02/skos/core#prefLabel> ?t } } } GROUP BY ?r"
    )
    return {
        row["r"].value: (row["notation"].value if row["notation"] else None, row["title"].value if row["title"] else None)
        for row in rows
    }
