"""SHACL property paths as a small immutable tree.

The tree is rendered two ways: as a SPARQL 1.1 property path (the engine lets the
SPARQL engine walk paths in bulk) and back to SHACL's RDF form for sh:resultPath.
Paths are frozen dataclasses so they can be compared and hashed in result keys.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import pyoxigraph as ox

from .terms import RDF_FIRST, RDF_NIL, RDF_REST, sh


@dataclass(frozen=True)
class Predicate:
    iri: ox.NamedNode

    def sparql(self) -> str:
        return str(self.iri)


@dataclass(frozen=True)
class Inverse:
    path: "Path"

    def sparql(self) -> str:
        return f"^({self.path.sparql()})"


@dataclass(frozen=True)
class Sequence:
    steps: tuple["Path", ...]

    def sparql(self) -> str:
        return "(" + "/".join(s.sparql() for s in self.steps) + ")"


@dataclass(frozen=True)
class Alternative:
    options: tuple["Path", ...]

    def sparql(self) -> str:
        return "(" + "|".join(o.sparql() for o in self.options) + ")"


@dataclass(frozen=True)
class Repeat:
    """zeroOrMore (``*``), oneOrMore (``+``) or zeroOrOne (``?``)."""

    path: "Path"
    operator: str

    def sparql(self) -> str:
        return f"({self.path.sparql()}){self.operator}"


Path = Union[Predicate, Inverse, Sequence, Alternative, Repeat]

_REPEATS = {"zeroOrMorePath": "*", "oneOrMorePath": "+", "zeroOrOnePath": "?"}


class PathError(ValueError):
    """A sh:path value that is not a well-formed SHACL path."""


def read_list(index, head) -> list:
    """The members of an RDF list; malformed lists raise so bad shapes fail loudly."""
    items, seen = [], set()
    while head != RDF_NIL:
        if head in seen:
            raise PathError(f"RDF list at {head} is cyclic")
        seen.add(head)
        first, rest = index.one(head, RDF_FIRST), index.one(head, RDF_REST)
        if first is None or rest is None:
            raise PathError(f"RDF list node {head} lacks rdf:first or rdf:rest")
        items.append(first)
        head = rest
    return items


def parse_path(index, node) -> Path:
    """Read the SHACL path rooted at ``node`` from the shapes graph index."""
    if isinstance(node, ox.NamedNode):
        return Predicate(node)
    if isinstance(node, ox.Literal):
        raise PathError(f"a literal ({node}) is not a path")
    if index.one(node, RDF_FIRST) is not None:
        steps = tuple(parse_path(index, n) for n in read_list(index, node))
        if len(steps) < 2:
            raise PathError(f"sequence path {node} needs at least two members")
        return Sequence(steps)
    inverse = index.one(node, sh("inversePath"))
    if inverse is not None:
        return Inverse(parse_path(index, inverse))
    alternative = index.one(node, sh("alternativePath"))
    if alternative is not None:
        options = tuple(parse_path(index, n) for n in read_list(index, alternative))
        if len(options) < 2:
            raise PathError(f"alternative path {node} needs at least two members")
        return Alternative(options)
    for local, operator in _REPEATS.items():
        inner = index.one(node, sh(local))
        if inner is not None:
            return Repeat(parse_path(index, inner), operator)
    raise PathError(f"blank node {node} is not a SHACL path")


def path_triples(path: Path) -> tuple[ox.Term, list[ox.Triple]]:
    """SHACL's RDF encoding of ``path`` with fresh blank nodes: (root, triples)."""
    if isinstance(path, Predicate):
        return path.iri, []
    root = ox.BlankNode()
    if isinstance(path, Inverse):
        inner, triples = path_triples(path.path)
        return root, [ox.Triple(root, sh("inversePath"), inner), *triples]
    if isinstance(path, Repeat):
        local = next(k for k, v in _REPEATS.items() if v == path.operator)
        inner, triples = path_triples(path.path)
        return root, [ox.Triple(root, sh(local), inner), *triples]
    members = path.steps if isinstance(path, Sequence) else path.options
    head, triples = _list_triples(members)
    if isinstance(path, Sequence):
        return head, triples
    return root, [ox.Triple(root, sh("alternativePath"), head), *triples]


def _list_triples(members: tuple[Path, ...]) -> tuple[ox.Term, list[ox.Triple]]:
    cells = [ox.BlankNode() for _ in members]
    triples: list[ox.Triple] = []
    for i, (cell, member) in enumerate(zip(cells, members)):
        inner, more = path_triples(member)
        nxt = cells[i + 1] if i + 1 < len(cells) else RDF_NIL
        triples += [ox.Triple(cell, RDF_FIRST, inner), ox.Triple(cell, RDF_REST, nxt), *more]
    return cells[0], triples


def inverse(path: Path) -> Path:
    """``^path`` with the inversion pushed down to the predicates."""
    if isinstance(path, Predicate):
        return Inverse(path)
    if isinstance(path, Inverse):
        return path.path
    if isinstance(path, Sequence):
        return Sequence(tuple(inverse(s) for s in reversed(path.steps)))
    if isinstance(path, Alternative):
        return Alternative(tuple(inverse(o) for o in path.options))
    return Repeat(inverse(path.path), path.operator)


def prefixes(path: Path) -> Path:
    """A path matching every non-empty prefix of a walk along ``path``: the nodes a
    focus node passes through on the way to its value nodes."""
    if isinstance(path, Predicate):
        return path
    if isinstance(path, Inverse):
        return path if isinstance(path.path, Predicate) else prefixes(inverse(path.path))
    if isinstance(path, Alternative):
        return alternative([prefixes(o) for o in path.options])
    if isinstance(path, Repeat):
        return Sequence((Repeat(path.path, "*"), prefixes(path.path)))
    first, rest = path.steps[0], path.steps[1:]
    tail = rest[0] if len(rest) == 1 else Sequence(rest)
    return Alternative((prefixes(first), Sequence((first, prefixes(tail)))))


def alternative(options: list[Path]) -> Path:
    """``a|b|...`` without duplicates; a single option is returned as is."""
    unique = tuple(dict.fromkeys(options))
    return unique[0] if len(unique) == 1 else Alternative(unique)
