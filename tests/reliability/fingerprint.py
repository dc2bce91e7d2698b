"""What a store holds, as one value that can be compared before and after a request.

"The store is unchanged" must survive blank nodes: two dumps of the same data label
them differently (the service re-reads its dataset into a fresh store for each dump).
Quads without blank nodes are compared exactly, as sorted N-Quads lines; the quads
that hold blank nodes (about a thousand in the reference knowledge) are canonicalised
with RDFC-1.0 first.  Together the two digests decide isomorphism of the whole
dataset, at a fraction of the cost of canonicalising all of it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import httpx
import pyoxigraph as ox

NQUADS = ox.RdfFormat.N_QUADS


@dataclass(frozen=True)
class Fingerprint:
    ground_digest: str
    blank_digest: str
    graphs: dict[str, int]

    @property
    def quads(self) -> int:
        return sum(self.graphs.values())

    def difference(self, other: "Fingerprint") -> str:
        """A short account of what changed, for assertion messages."""
        changed = {graph: (self.graphs.get(graph, 0), other.graphs.get(graph, 0))
                   for graph in sorted(set(self.graphs) | set(other.graphs))
                   if self.graphs.get(graph, 0) != other.graphs.get(graph, 0)}
        return (f"{self.quads} -> {other.quads} quads; graph sizes changed (before, after): "
                f"{changed or 'none, but the content differs'}")


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()


def _has_blank_node(quad: ox.Quad) -> bool:
    return any(isinstance(term, ox.BlankNode) for term in (quad.subject, quad.object, quad.graph_name))


def fingerprint_of(nquads: bytes) -> Fingerprint:
    """The fingerprint of an N-Quads dump of a whole dataset."""
    ground, blank = [], ox.Dataset()
    graphs: dict[str, int] = {}
    for quad in ox.parse(nquads, format=NQUADS):
        name = str(quad.graph_name)
        graphs[name] = graphs.get(name, 0) + 1
        if _has_blank_node(quad):
            blank.add(quad)
        else:
            ground.append(str(quad))
    blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return Fingerprint(_digest(ground), _digest([str(quad) for quad in blank]), graphs)


def fingerprint(url: str) -> Fingerprint:
    """The dataset as the service itself serves it (Graph Store Protocol, whole dataset)."""
    response = httpx.get(url + "/store", headers={"Accept": NQUADS.media_type}, timeout=120)
    response.raise_for_status()
    return fingerprint_of(response.content)
