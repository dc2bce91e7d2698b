"""Cut a parsed dataset into N-Triples batches of bounded size, one graph at a time,
without ever splitting a blank node's triples across two batches.

Each write request gets fresh blank nodes from the engine, so ``_:b`` in two requests
would become two different nodes: the triples connected through blank nodes (a
component) always travel in the same batch.
"""

from __future__ import annotations

from typing import Iterator

import pyoxigraph as ox


def batches(dataset: ox.Store, graph: ox.NamedNode, max_bytes: int) -> Iterator[bytes]:
    """N-Triples of ``graph`` in batches of about ``max_bytes`` (a single blank-node
    component larger than that is one batch of its own)."""
    components = _Components()
    lines: list[tuple[ox.BlankNode | None, bytes]] = []
    for quad in dataset.quads_for_pattern(None, None, None, graph):
        nodes = [t for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]
        for node in nodes[1:]:
            components.join(nodes[0], node)
        line = f"{quad.subject} {quad.predicate} {quad.object} .\n".encode("utf-8")
        lines.append((nodes[0] if nodes else None, line))
    groups: dict[object, list[bytes]] = {}
    batch: list[bytes] = []
    size = 0
    for blank, line in lines:
        if blank is not None:
            groups.setdefault(components.root(blank), []).append(line)
            continue
        batch.append(line)
        size += len(line)
        if size >= max_bytes:
            yield b"".join(batch)
            batch, size = [], 0
    for group in groups.values():
        batch.extend(group)
        size += sum(len(line) for line in group)
        if size >= max_bytes:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)


class _Components:
    """Union-find over blank nodes."""

    def __init__(self) -> None:
        self._parent: dict[object, object] = {}

    def root(self, node: object) -> object:
        parent = self._parent.setdefault(node, node)
        while parent != node:
            grand = self._parent[parent]
            self._parent[node] = grand
            node, parent = parent, grand
        return node

    def join(self, a: object, b: object) -> None:
        self._parent[self.root(a)] = self.root(b)
