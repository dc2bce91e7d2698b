"""Validate the shapes the compiler cannot handle with pySHACL, one shape set at a time.

pySHACL sees the whole shapes graph (so nested and recursive references resolve)
but only the fallback shapes keep their targets; every other shape is validated by
SPARQL and must not be reported twice.  The data graph is copied out of the source
with one CONSTRUCT, which is the price of the fallback and why it is reported.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox
import rdflib

from .model import Index, ShapesError, ShapesGraph
from .paths import parse_path
from .report import ValidationResult
from .source import SparqlSource
from .terms import RDF_TYPE, Term, from_rdflib, sh, triples_to_rdflib

_TARGET_PREDICATES = {sh(p) for p in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")}


# pySHACL keeps process-wide state while it evaluates SPARQL-based constraints: threads
# that validate at once, even with graphs of their own, can see each other's bindings
# (observed here as a residual-risk check reading another thread's score; pySHACL issue
# 314 is the shared-shapes-graph form of the same problem).  Every pySHACL run in this
# process therefore holds this lock.
PYSHACL_LOCK = threading.Lock()


def validate_with_pyshacl(
    graph: ShapesGraph, shapes: list[Term], source: SparqlSource, restrict: list[Term] | None
) -> list[ValidationResult]:
    """Results of pySHACL for the targeted shapes ``shapes`` (limited to ``restrict``)."""
    # Imported here: most shapes bundles (the project's own) need no fallback, and pySHACL
    # is a fifth of the start-up of 'validate' and 'chart'.
    import pyshacl
    import pyshacl.errors

    keep = set(shapes)
    data = triples_to_rdflib(source.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"))
    shapes_graph = triples_to_rdflib(t for t in graph.index.triples if _keeps(t, keep, graph))
    advanced = any(graph.shapes[s].targets.advanced for s in shapes)
    try:
        with PYSHACL_LOCK:
            outcome = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=advanced, inference="none")
    except (NotImplementedError, pyshacl.errors.ShapeLoadError, pyshacl.errors.ConstraintLoadError) as err:
        raise ShapesError(f"pySHACL, validating the shapes {', '.join(map(str, shapes))} as a fallback, failed: {err}") from err
    report = outcome[1]
    if not isinstance(report, rdflib.Graph):  # pySHACL returns a ValidationFailure for invalid shapes
        raise ShapesError(f"pySHACL rejected the shapes {', '.join(map(str, shapes))}: {report}")
    results = read_report(Index(ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in report))
    if restrict is not None:
        wanted = set(restrict)
        results = [r for r in results if r.focus_node in wanted]
    return results


def _keeps(t: ox.Triple, keep: set, graph: ShapesGraph) -> bool:
    """Drop the targets (explicit and implicit class targets) of shapes not in ``keep``."""
    if t.subject in keep or t.subject not in graph.shapes:
        return True
    if t.predicate in _TARGET_PREDICATES:
        return False
    return not (t.predicate == RDF_TYPE and t.object in graph.class_types)


def read_report(index: Index, reports: list[Term] | None = None) -> list[ValidationResult]:
    """The top-level results (not sh:detail) of the given sh:ValidationReport nodes
    (by default every report in ``index``)."""
    results = []
    for report_node in index.subjects(RDF_TYPE, sh("ValidationReport")) if reports is None else reports:
        for node in index.objects(report_node, sh("result")):
            path = index.one(node, sh("resultPath"))
            results.append(
                ValidationResult(
                    focus_node=index.one(node, sh("focusNode")),
                    result_path=parse_path(index, path) if path is not None else None,
                    value=index.one(node, sh("value")),
                    source_constraint_component=index.one(node, sh("sourceConstraintComponent")),
                    source_shape=index.one(node, sh("sourceShape")),
                    severity=index.one(node, sh("resultSeverity")),
                    messages=tuple(index.objects(node, sh("resultMessage"))),
                    source_constraint=index.one(node, sh("sourceConstraint")),
                )
            )
    return results
