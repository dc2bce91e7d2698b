"""The shapes graph read into plain Python objects.

Parsing happens once, up front, so that a malformed shapes graph fails with a
clear message before any query runs, and so that the compiler works on typed
values (paths, lists, numbers) instead of raw triples.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Any, Iterable

import pyoxigraph as ox
import rdflib

from .paths import Path, PathError, parse_path, read_list
from .terms import OWL_IMPORTS, from_rdflib, RDF_TYPE, RDFS_CLASS, RDFS_SUBCLASS_OF, SH_VIOLATION, XSD_BOOLEAN, Term, sh


class ShapesError(ValueError):
    """The shapes graph is not valid SHACL (names the shape and the problem)."""


class Index:
    """Subject -> predicate -> objects lookup over a shapes graph."""

    def __init__(self, triples: Iterable) -> None:
        self.triples: list[ox.Triple] = list(dict.fromkeys(ox.Triple(t.subject, t.predicate, t.object) for t in triples))
        self._spo: dict = {}
        for t in self.triples:
            self._spo.setdefault(t.subject, {}).setdefault(t.predicate, []).append(t.object)

    def objects(self, subject, predicate) -> list:
        return self._spo.get(subject, {}).get(predicate, [])

    def one(self, subject, predicate):
        values = self.objects(subject, predicate)
        return values[0] if values else None

    def outgoing(self, subject) -> list[tuple]:
        """All (predicate, object) pairs of ``subject``."""
        return [(p, o) for p, os in self._spo.get(subject, {}).items() for o in os]

    def instances(self, cls) -> list:
        """SHACL instances of ``cls``: rdf:type of it or of one of its subclasses."""
        classes, todo = {cls}, [cls]
        while todo:
            for sub in self.subjects(RDFS_SUBCLASS_OF, todo.pop()):
                if sub not in classes:
                    classes.add(sub)
                    todo.append(sub)
        return [s for c in classes for s in self.subjects(RDF_TYPE, c)]

    def subjects(self, predicate, obj=None) -> list:
        return [
            s
            for s, po in self._spo.items()
            if predicate in po and (obj is None or obj in po[predicate])
        ]


@dataclass(frozen=True)
class Constraint:
    """One constraint component instance: ``kind`` is the component's local name
    without ``ConstraintComponent`` (e.g. ``MinCount``); ``arg`` its main parameter."""

    kind: str
    arg: Any
    options: tuple = ()

    @property
    def component(self) -> ox.NamedNode:
        return self.arg if self.kind == "Custom" else sh(f"{self.kind}ConstraintComponent")

    def option(self, name: str, default: Any = None) -> Any:
        return dict(self.options).get(name, default)


@dataclass
class Targets:
    classes: list[Term] = field(default_factory=list)
    nodes: list[Term] = field(default_factory=list)
    subjects_of: list[Term] = field(default_factory=list)
    objects_of: list[Term] = field(default_factory=list)
    advanced: list[Term] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.classes or self.nodes or self.subjects_of or self.objects_of or self.advanced)


@dataclass
class Shape:
    node: Term
    path: Path | None
    targets: Targets
    constraints: list[Constraint]
    properties: list[Term]
    severity: ox.NamedNode
    messages: list[ox.Literal]
    deactivated: bool

    def references(self) -> list[Term]:
        """Shapes this shape needs in order to be evaluated (nesting and sh:property)."""
        refs = list(self.properties)
        for c in self.constraints:
            if c.kind in ("Node", "Not"):
                refs.append(c.arg)
            elif c.kind in ("And", "Or", "Xone"):
                refs.extend(c.arg)
            elif c.kind in ("QualifiedMinCount", "QualifiedMaxCount"):
                refs.append(c.arg[0])
        return refs


# parameter -> (component kind, value reader); single-parameter components only
_SIMPLE = {
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "minInclusive": "MinInclusive",
    "maxInclusive": "MaxInclusive",
    "minExclusive": "MinExclusive",
    "maxExclusive": "MaxExclusive",
    "equals": "Equals",
    "disjoint": "Disjoint",
    "lessThan": "LessThan",
    "lessThanOrEquals": "LessThanOrEquals",
    "node": "Node",
    "not": "Not",
    "hasValue": "HasValue",
}
_INTEGER = {"minCount": "MinCount", "maxCount": "MaxCount", "minLength": "MinLength", "maxLength": "MaxLength"}
_LISTS = {"and": "And", "or": "Or", "xone": "Xone", "in": "In", "languageIn": "LanguageIn"}
_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
_PARAMETERS = (
    *_SIMPLE, *_INTEGER, *_LISTS, "path", "property", "pattern", "uniqueLang", "closed", "qualifiedValueShape", "sparql",
)


class ShapesGraph:
    """All shapes of a shapes graph, keyed by their node."""

    def __init__(self, triples: Iterable) -> None:
        self.index = Index(triples)
        self.class_types = {RDFS_CLASS, *self.index.subjects(RDFS_SUBCLASS_OF, RDFS_CLASS)}
        self.custom_components = {
            comp: [self.index.one(p, sh("path")) for p in self.index.objects(comp, sh("parameter"))]
            for comp in self.index.instances(sh("ConstraintComponent"))
        }
        self.shapes: dict[Term, Shape] = {}
        self.parents: dict[Term, list[Term]] = {}
        for node in self._candidates():
            self._load(node)

    @property
    def targeted(self) -> list[Shape]:
        """Shapes that select focus nodes themselves (the starting points of validation)."""
        return [s for s in self.shapes.values() if s.targets and not s.deactivated]

    def _candidates(self) -> list[Term]:
        idx = self.index
        found: dict[Term, None] = {}
        for cls in ("NodeShape", "PropertyShape"):
            found.update(dict.fromkeys(idx.subjects(RDF_TYPE, sh(cls))))
        # SHACL 2.1: subjects of targets and of any constraint parameter are shapes
        for name in _TARGETS + _PARAMETERS:
            found.update(dict.fromkeys(idx.subjects(sh(name))))
        parameters = set(idx.subjects(RDF_TYPE, sh("Parameter"))) | {p for c in self.custom_components for p in idx.objects(c, sh("parameter"))}
        return [n for n in found if n not in parameters]

    def _load(self, node: Term) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        if isinstance(node, ox.Literal):
            raise ShapesError(f"a literal ({node}) is used where a shape is expected")
        shape = self._parse(node)
        self.shapes[node] = shape
        for ref in shape.references():
            self._load(ref)
        for prop in shape.properties:
            self.parents.setdefault(prop, []).append(node)
        return shape

    def _parse(self, node: Term) -> Shape:
        idx = self.index
        try:
            raw_path = idx.objects(node, sh("path"))
            if len(raw_path) > 1:
                raise ShapesError(f"shape {node} has {len(raw_path)} values for sh:path, expected one")
            path = parse_path(idx, raw_path[0]) if raw_path else None
            constraints = self._constraints(node, path is not None)
        except PathError as err:
            raise ShapesError(f"shape {node}: {err}") from err
        return Shape(
            node=node,
            path=path,
            targets=self._targets(node),
            constraints=constraints,
            properties=list(idx.objects(node, sh("property"))),
            severity=idx.one(node, sh("severity")) or SH_VIOLATION,
            messages=[m for m in idx.objects(node, sh("message")) if isinstance(m, ox.Literal)],
            deactivated=_is_true(idx.one(node, sh("deactivated"))),
        )

    def _targets(self, node: Term) -> Targets:
        idx = self.index
        targets = Targets(
            classes=list(idx.objects(node, sh("targetClass"))),
            nodes=list(idx.objects(node, sh("targetNode"))),
            subjects_of=list(idx.objects(node, sh("targetSubjectsOf"))),
            objects_of=list(idx.objects(node, sh("targetObjectsOf"))),
            advanced=list(idx.objects(node, sh("target"))),
        )
        if isinstance(node, ox.NamedNode) and self.class_types & set(idx.objects(node, RDF_TYPE)):
            targets.classes.append(node)
        return targets

    def _constraints(self, node: Term, is_property: bool) -> list[Constraint]:
        idx = self.index
        out: list[Constraint] = []
        for param, kind in _SIMPLE.items():
            out += [Constraint(kind, v) for v in idx.objects(node, sh(param))]
        for param, kind in _INTEGER.items():
            out += [Constraint(kind, _integer(node, param, v)) for v in idx.objects(node, sh(param))]
        for param, kind in _LISTS.items():
            out += [Constraint(kind, tuple(read_list(idx, v))) for v in idx.objects(node, sh(param))]
        flags = idx.one(node, sh("flags"))
        for pattern in idx.objects(node, sh("pattern")):
            out.append(Constraint("Pattern", pattern.value, (("flags", flags.value if flags else ""),)))
        for value in idx.objects(node, sh("uniqueLang")):
            if _is_true(value):
                out.append(Constraint("UniqueLang", True))
        if any(_is_true(v) for v in idx.objects(node, sh("closed"))):
            ignored = [m for lst in idx.objects(node, sh("ignoredProperties")) for m in read_list(idx, lst)]
            out.append(Constraint("Closed", tuple(ignored)))
        out += self._qualified(node)
        out += [Constraint("SPARQL", c) for c in idx.objects(node, sh("sparql"))]
        out += [Constraint("Custom", comp) for comp, params in self.custom_components.items() if any(idx.objects(node, p) for p in params)]
        if not is_property:
            bad = [c.kind for c in out if c.kind in ("MinCount", "MaxCount", "UniqueLang", "LessThan", "LessThanOrEquals", "QualifiedMinCount", "QualifiedMaxCount")]
            if bad:
                raise ShapesError(f"node shape {node} uses sh:{bad[0][0].lower() + bad[0][1:]}, which only property shapes may use")
        return out

    def _qualified(self, node: Term) -> list[Constraint]:
        idx = self.index
        out = []
        disjoint = _is_true(idx.one(node, sh("qualifiedValueShapesDisjoint")))
        for shape in idx.objects(node, sh("qualifiedValueShape")):
            for param, kind in (("qualifiedMinCount", "QualifiedMinCount"), ("qualifiedMaxCount", "QualifiedMaxCount")):
                for v in idx.objects(node, sh(param)):
                    out.append(Constraint(kind, (shape, _integer(node, param, v)), (("disjoint", disjoint),)))
        return out

    def siblings(self, prop: Term, qualified: Term) -> list[Term]:
        """Qualified value shapes of the other property shapes next to ``prop`` (for
        sh:qualifiedValueShapesDisjoint)."""
        found: dict[Term, None] = {}
        for parent in self.parents.get(prop, []):
            for other in self.index.objects(parent, sh("property")):
                for q in self.index.objects(other, sh("qualifiedValueShape")):
                    if q != qualified:
                        found[q] = None
        return list(found)

    def declared_prefixes(self, constraint: Term) -> dict[str, str]:
        """Prefixes an sh:sparql constraint declares through sh:prefixes/sh:declare,
        including those of the ontologies the owners owl:import."""
        out = {}
        owners = list(self.index.objects(constraint, sh("prefixes")))
        seen: set = set()
        while owners:
            owner = owners.pop()
            if owner in seen:
                continue
            seen.add(owner)
            owners += self.index.objects(owner, OWL_IMPORTS)
            for decl in self.index.objects(owner, sh("declare")):
                prefix, ns = self.index.one(decl, sh("prefix")), self.index.one(decl, sh("namespace"))
                if prefix is None or ns is None:
                    raise ShapesError(f"prefix declaration {decl} lacks sh:prefix or sh:namespace")
                out[prefix.value] = ns.value
        return out


def _is_true(value) -> bool:
    """Only the literal ``true`` switches a boolean parameter on: SHACL names no
    other form, and the W3C suite checks that "1"^^xsd:boolean does not."""
    return isinstance(value, ox.Literal) and value.value == "true" and value.datatype == XSD_BOOLEAN


def _integer(node: Term, param: str, value) -> int:
    try:
        number = int(value.value)
    except (AttributeError, ValueError):
        raise ShapesError(f"shape {node}: sh:{param} must be an integer, got {value}") from None
    if number < 0:
        raise ShapesError(f"shape {node}: sh:{param} must not be negative, got {number}")
    return number


def load_shapes(shapes: "ShapesInput", format: ox.RdfFormat | None = None) -> ShapesGraph:
    """Read a shapes graph from triples/quads, an rdflib graph, a file path, or RDF
    text (Turtle unless ``format`` says otherwise)."""
    if isinstance(shapes, ShapesGraph):
        return shapes
    try:
        if isinstance(shapes, FilePath):
            fmt = format or ox.RdfFormat.from_extension(shapes.suffix.lstrip("."))
            if fmt is None:
                raise ShapesError(f"{shapes}: cannot tell the RDF format from the file extension")
            triples = list(ox.parse(path=str(shapes), format=fmt, base_iri=shapes.resolve().as_uri()))
        elif isinstance(shapes, rdflib.Graph):
            triples = [ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in shapes]
        elif isinstance(shapes, (str, bytes)):
            triples = list(ox.parse(shapes, format=format or ox.RdfFormat.TURTLE))
        else:
            triples = list(shapes)
    except SyntaxError as err:
        raise ShapesError(f"shapes graph does not parse: {err}") from err
    return ShapesGraph(triples)


ShapesInput = ShapesGraph | FilePath | str | bytes | rdflib.Graph | Iterable[ox.Triple] | Iterable[ox.Quad]
