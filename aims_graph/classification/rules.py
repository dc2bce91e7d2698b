"""The classification rules, read from shapes/rules/*.ttl (SHACL-AF sh:SPARQLRule).

A rule is data: its CONSTRUCT query, its sh:order and the node shape whose targets are
the rule's focus nodes ($this). This module turns them into runnable queries with the
prefixes of their sh:prefixes declarations and a VALUES clause that binds $this, which
is how SHACL-AF pre-binds the focus node.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from aims_graph.errors import InputError
from aims_graph.paths import SHAPES_DIR
from aims_graph.rdf.namespaces import RDFS

RULES_DIR = SHAPES_DIR / "rules"
_WHERE = re.compile(r"\bWHERE\s*\{")
_SH = "http://www.w3.org/ns/shacl#"


@dataclass(frozen=True)
class Rule:
    iri: str
    label: str
    order: float
    target_class: str
    query: str  # CONSTRUCT with PREFIX lines, $this unbound

    def bound_to(self, focus_nodes: list[str]) -> str:
        """The query with $this pre-bound to the focus nodes, as SHACL-AF does.

        The VALUES block opens the WHERE clause: a trailing VALUES clause would be
        joined only after the FILTERs ran, leaving $this unbound inside NOT EXISTS.
        """
        values = " ".join(f"<{node}>" for node in focus_nodes)
        match = _WHERE.search(self.query)
        if match is None:
            raise InputError(f"classification rule {self.iri} has no WHERE clause")
        return f"{self.query[: match.end()]} VALUES $this {{ {values} }} {self.query[match.end():]}"


@lru_cache(maxsize=4)
def load_rules(directory: Path = RULES_DIR) -> tuple[Rule, ...]:
    """Every (shape, rule) pair in the rules directory, sorted by sh:order then IRI."""
    graph = ox.Store()
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise InputError(f"no classification rules found in {directory}")
    for path in files:
        try:
            graph.load(path.read_bytes(), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
        except SyntaxError as error:
            raise InputError(f"{path}: {error}") from error
    rows = graph.query(
        f"""SELECT ?rule ?label ?order ?target ?text ?prefixes WHERE {{
              ?shape <{_SH}rule> ?rule ; <{_SH}targetClass> ?target .
              ?rule <{_SH}construct> ?text ; <{_SH}order> ?order ; <{RDFS}label> ?label .
              OPTIONAL {{ ?rule <{_SH}prefixes> ?prefixes }} }}"""
    )
    rules = []
    for row in rows:
        header = _prefix_lines(graph, row["prefixes"]) if row["prefixes"] else ""
        rules.append(
            Rule(
                iri=row["rule"].value,
                label=row["label"].value,
                order=float(row["order"].value),
                target_class=row["target"].value,
                query=header + row["text"].value,
            )
        )
    return tuple(sorted(rules, key=lambda r: (r.order, r.iri, r.target_class)))


def _prefix_lines(graph: ox.Store, declaring: ox.NamedNode | ox.BlankNode) -> str:
    if not isinstance(declaring, ox.NamedNode):
        raise InputError("sh:prefixes of a classification rule must name an IRI that has sh:declare")
    rows = graph.query(
        f"SELECT ?prefix ?ns WHERE {{ <{declaring.value}> <{_SH}declare> ?d . "
        f"?d <{_SH}prefix> ?prefix ; <{_SH}namespace> ?ns }}"
    )
    return "".join(f"PREFIX {row['prefix'].value}: <{row['ns'].value}>\n" for row in rows)
