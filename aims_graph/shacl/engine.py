"""Run compiled shapes against a SPARQL source and collect the results.

A *plan* is decided per targeted shape: either all its queries compile, or the whole
shape goes to pySHACL (partial compilation would split one shape's results between
two engines with different blank-node and ordering behaviour).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyoxigraph as ox

from .compile import Compiler, focus_pattern
from .fallback import validate_with_pyshacl
from .messages import default_message
from .model import ShapesGraph, ShapesInput, load_shapes
from .paths import Predicate
from .query import CompiledQuery, Unsupported
from .report import Fallback, ValidationReport, ValidationResult
from .source import SparqlSource, as_source
from .sparql import substitute_message
from .terms import Term


@dataclass
class Plan:
    """The queries to run and the shapes left to pySHACL."""

    queries: list[CompiledQuery]
    fallbacks: list[Fallback]


def plan(graph: ShapesGraph, focus_nodes: list[Term] | None = None) -> Plan:
    """Compile every active targeted shape, or record why it falls back."""
    queries: list[CompiledQuery] = []
    fallbacks: list[Fallback] = []
    for shape in graph.targeted:
        try:
            queries += Compiler(graph).queries(shape, focus_pattern(shape, focus_nodes))
        except Unsupported as why:
            fallbacks.append(Fallback(shape.node, str(why)))
    return Plan(queries, fallbacks)


def validate(
    shapes: ShapesInput,
    data: ox.Store | SparqlSource,
    focus_nodes: Iterable[Term] | None = None,
    *,
    shapes_format: ox.RdfFormat | None = None,
) -> ValidationReport:
    """Validate ``data`` against ``shapes``; with ``focus_nodes``, check only those
    nodes (each still has to be a target of a shape to be checked)."""
    graph = load_shapes(shapes, shapes_format)
    source = as_source(data)
    restrict = _focus_list(focus_nodes)
    compiled = plan(graph, restrict)
    # Each query is DISTINCT over what makes a result (and, for compared pairs, the
    # other value), so a repeated result here is one SHACL asks for, not noise.
    results: list[ValidationResult] = []
    for query in compiled.queries:
        results += run(query, source)
    if compiled.fallbacks:
        shapes_to_check = [f.shape for f in compiled.fallbacks]
        results += validate_with_pyshacl(graph, shapes_to_check, source, restrict)
    return ValidationReport(results, compiled.fallbacks)


def _focus_list(focus_nodes: Iterable[Term] | None) -> list[Term] | None:
    if focus_nodes is None:
        return None
    nodes = list(dict.fromkeys(focus_nodes))
    for node in nodes:
        if not isinstance(node, (ox.NamedNode, ox.Literal)):
            raise ValueError(f"focus node {node!r} must be an IRI or a literal: blank nodes cannot be named in a query")
    return nodes


def run(query: CompiledQuery, source: SparqlSource) -> list[ValidationResult]:
    """Execute one compiled query and turn each solution into a validation result."""
    shape, c = query.shape, query.constraint
    try:
        solutions = source.query(query.text)
    except SyntaxError as err:
        raise ValueError(
            f"shape {shape.node}: the query for {c.component.value} was rejected: {err}"
        ) from err
    names = [v.value for v in solutions.variables]
    out = []
    for row in solutions:
        bound = {n: row[n] for n in names if row[n] is not None}
        focus = bound["this"]
        value = focus if query.value == "this" else bound.get(query.value) if query.value else None
        path = shape.path
        if query.path and isinstance(bound.get(query.path), ox.NamedNode):
            path = Predicate(bound[query.path])
        if c.kind == "SPARQL":
            value = focus if value is None and shape.path is None else value
            templates = query.messages or tuple(shape.messages)
            messages = tuple(ox.Literal(substitute_message(m.value, bound), language=m.language) for m in templates)
        else:
            messages = tuple(shape.messages)
        out.append(
            ValidationResult(
                focus_node=focus,
                result_path=path,
                value=value,
                source_constraint_component=c.component,
                source_shape=shape.node,
                severity=shape.severity,
                messages=messages or (ox.Literal(default_message(c, shape)),),
                source_constraint=c.arg if c.kind == "SPARQL" else None,
            )
        )
    return out
