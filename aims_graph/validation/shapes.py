"""The conformance and integrity shapes, and what each shape says about itself.

Shapes are read from the files in shapes/ (the rules in shapes/rules/ are not
constraints and stay out). They are parsed once into pyoxigraph triples; every
validation gets its own copy for its engine (pySHACL is not thread-safe when a shapes
graph is shared, pySHACL issue 314). Results name the shape that produced them, which
may be a blank property shape: ``owner_of`` maps it to the named shape it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from aims_graph.errors import InputError
from aims_graph.paths import SHAPES_DIR
from aims_graph.rdf.namespaces import AIMS, RDFS

SH = "http://www.w3.org/ns/shacl#"
_SHAPE_CLASSES = (SH + "NodeShape", SH + "PropertyShape")
# Predicates through which a named shape owns the blank nodes it is built from.
_NESTING = {SH + p for p in ("property", "or", "and", "xone", "not", "node", "qualifiedValueShape", "sparql")}
_LIST = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#first", "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"}


@dataclass(frozen=True)
class ShapeInfo:
    iri: str
    label: str
    comment: str
    severity: str  # "Violation", "Warning" or "Info"
    message: str | None  # its sh:message, or its sh:sparql message (a template that results fill)
    requirements: tuple[str, ...]  # aims:checksRequirement concepts; empty for integrity shapes
    module: str  # file stem: integrity, iso42001, eu-ai-act
    targeted: bool  # False for value shapes that only other shapes refer to (sh:node)


@dataclass(frozen=True)
class ShapesBundle:
    triples: tuple[ox.Triple, ...]
    shapes: dict[str, ShapeInfo]
    owners: dict[ox.BlankNode, str]
    outgoing: dict[object, list[tuple[str, object]]]  # node -> (predicate IRI, object) of the shapes graph

    def values(self, node: object, predicate: str) -> list[object]:
        """The objects of ``node predicate ?o`` in the shapes graph: the parameters of a
        shape's constraints, read to word a finding."""
        return [obj for p, obj in self.outgoing.get(node, []) if p == predicate]

    def owner_of(self, shape: ox.NamedNode | ox.BlankNode) -> str | None:
        """The named shape a result's source shape belongs to."""
        if isinstance(shape, ox.NamedNode):
            return shape.value
        return self.owners.get(shape)


def shape_files(directory: Path = SHAPES_DIR) -> list[Path]:
    return sorted(directory.glob("*.ttl"))


@lru_cache(maxsize=4)
def load_bundle(directory: Path = SHAPES_DIR) -> ShapesBundle:
    """All shapes of ``directory`` (not its subfolders), with their metadata."""
    store = ox.Store()
    for path in shape_files(directory):
        try:
            store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri(),
                       to_graph=ox.NamedNode(path.as_uri()))
        except SyntaxError as error:
            raise InputError(f"{path}: {error}") from error
    triples = tuple(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in store))
    shapes = _shape_infos(store)
    outgoing: dict[object, list[tuple[str, object]]] = {}
    for t in triples:
        outgoing.setdefault(t.subject, []).append((t.predicate.value, t.object))
    return ShapesBundle(triples, shapes, _owners(outgoing, shapes), outgoing)


def _shape_infos(store: ox.Store) -> dict[str, ShapeInfo]:
    classes = " ".join(f"<{c}>" for c in _SHAPE_CLASSES)
    rows = store.query(
        f"""SELECT ?g ?shape ?label ?comment ?severity ?message
               (GROUP_CONCAT(DISTINCT STR(?req); separator=" ") AS ?reqs) WHERE {{
              GRAPH ?g {{ VALUES ?class {{ {classes} }} ?shape a ?class .
                FILTER(isIRI(?shape))
                OPTIONAL {{ ?shape <{RDFS}label> ?label }} OPTIONAL {{ ?shape <{RDFS}comment> ?comment }}
                OPTIONAL {{ ?shape <{SH}severity> ?severity }} OPTIONAL {{ ?shape <{SH}message>|(<{SH}sparql>/<{SH}message>) ?message }}
                OPTIONAL {{ ?shape <{AIMS}checksRequirement> ?req }} }}
            }} GROUP BY ?g ?shape ?label ?comment ?severity ?message"""
    )
    targets = " ".join(f"<{SH}{t}>" for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target"))
    targeted = {row["s"].value for row in store.query(
        f"SELECT DISTINCT ?s WHERE {{ VALUES ?t {{ {targets} }} GRAPH ?g {{ ?s ?t ?o }} }}")}
    infos = {}
    for row in rows:
        iri = row["shape"].value
        severity = row["severity"].value.removeprefix(SH) if row["severity"] else "Violation"
        infos[iri] = ShapeInfo(
            iri=iri,
            label=row["label"].value if row["label"] else iri.rsplit("/", 1)[-1],
            comment=row["comment"].value if row["comment"] else "",
            severity=severity,
            message=row["message"].value if row["message"] else None,
            requirements=tuple(sorted(row["reqs"].value.split())) if row["reqs"] and row["reqs"].value else (),
            module=Path(row["g"].value).stem,
            targeted=iri in targeted,
        )
    return infos


def _owners(outgoing: dict[object, list[tuple[str, object]]], shapes: dict[str, ShapeInfo]) -> dict[ox.BlankNode, str]:
    """Blank nodes (property shapes, lists, SPARQL constraints) reachable from each named
    shape through nesting predicates; the first named shape that reaches one owns it."""
    owners: dict[ox.BlankNode, str] = {}
    for iri in sorted(shapes):
        todo: list[object] = [ox.NamedNode(iri)]
        while todo:
            node = todo.pop()
            for predicate, obj in outgoing.get(node, []):
                if isinstance(obj, ox.BlankNode) and obj not in owners and (predicate in _NESTING or predicate in _LIST
                                                                           or isinstance(node, ox.BlankNode)):
                    owners[obj] = iri
                    todo.append(obj)
    return owners
