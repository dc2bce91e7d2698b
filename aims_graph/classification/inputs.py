"""The parts of a store that classification and validation read, as N-Triples.

Both work on a small scratch graph instead of the whole store: the organisation's own
facts, plus a *reference context* cut from the reference modules (types, class and
property hierarchy, concept hierarchy, notations and the obligations). That keeps
pySHACL and the rules fast, makes the same code run against an embedded store or a
remote endpoint, and leaves stale derivations (the ``derived`` graph) out of the input.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Iterable
from typing import Self

import pyoxigraph as ox

from aims_graph.knowledge.modules import GRAPH_BASE, META_GRAPH, loaded_versions
from aims_graph.rdf.namespaces import AIMS
from aims_graph.store.base import Store

DERIVED_GRAPH = GRAPH_BASE + "derived"
# Links from an AI system to nodes of its own whose facts the rules read: the value-chain events
# of Article 25(1) and the provider's Article 6(3) assessments (Article 6(4)). A derivation reads
# those nodes' triples with the system's, and a write to one of them re-classifies its system.
LINKS_READ_BY_RULES = (AIMS + "valueChainEvent", AIMS + "hasArticle6_3Assessment")

# Predicates of reference knowledge that rules and shapes need (sh:class follows
# rdfs:subClassOf; Annex III points are found through skos:broader; ...).
_CONTEXT_PREDICATES = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
    "http://www.w3.org/2004/02/skos/core#broader",
    "http://www.w3.org/2004/02/skos/core#inScheme",
    "http://www.w3.org/2004/02/skos/core#notation",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    AIMS + "operatorRole",
    AIMS + "meetsProvision",
    AIMS + "inVersion",
    AIMS + "reportingDeadlineDays",
)
# Reference modules read whole: the obligations are relations, not a list of concepts, and
# the provision versions say what each version of the act lists (Article 2(2)).
_WHOLE_MODULES = ("eu-ai-act-obligations", "eu-ai-act-versions")


def _is_context_module(graph: str) -> bool:
    name = graph.removeprefix(GRAPH_BASE)
    return not name.startswith(("shapes-", "crosswalk-")) and graph != META_GRAPH


def reference_context(store: Store) -> bytes:
    """Reference facts (N-Triples) that rules and shapes need, cached per loaded version."""
    return _reference_context(store, _context_versions(store))


def reference_quads(store: Store) -> list[ox.Quad]:
    """The reference context parsed once (per loaded version): a scratch graph for one system
    is then filled by copying quads instead of parsing the same N-Triples again."""
    versions = _context_versions(store)
    cached = _PARSED.get(versions)
    if cached is None:
        cached = list(ox.parse(_reference_context(store, versions), format=ox.RdfFormat.N_TRIPLES))
        _PARSED.clear()
        _PARSED[versions] = cached
    return cached


class RulesGraph:
    """The rules' working data for one derivation: the reference context, parsed once per
    loaded version into the default graph of a store shared by every derivation, and this
    derivation's own facts in a named graph of their own; every query reads the two as its
    default graph. Nothing of the reference context is copied per derivation (a single edited
    system is derived in milliseconds), and concurrent derivations do not see each other.
    Use it as a context manager: leaving drops the derivation's own graph."""

    def __init__(self, store: Store, *parts: bytes) -> None:
        self._shared = _shared_reference(store)
        self._graph = ox.NamedNode(f"urn:aims-graph:rules-work:{uuid.uuid4().hex}")
        for part in parts:
            if part:
                self._shared.load(part, format=ox.RdfFormat.N_TRIPLES, to_graph=self._graph)

    def query(self, sparql: str) -> object:
        return self._shared.query(sparql, default_graph=[ox.DefaultGraph(), self._graph])

    def add(self, triples: Iterable[ox.Triple]) -> None:
        self._shared.extend(ox.Quad(t.subject, t.predicate, t.object, self._graph) for t in triples)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self._shared.remove_graph(self._graph)


def _shared_reference(store: Store) -> ox.Store:
    versions = _context_versions(store)
    shared = _SHARED.get(versions)
    if shared is None:
        shared = ox.Store()
        shared.extend(reference_quads(store))
        _SHARED.clear()
        _SHARED[versions] = shared
    return shared


def _context_versions(store: Store) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((g, v) for g, v in loaded_versions(store).items() if _is_context_module(g)))


_PARSED: dict[tuple, list[ox.Quad]] = {}
_SHARED: dict[tuple, ox.Store] = {}


_CACHE: dict[tuple, bytes] = {}


def _reference_context(store: Store, versions: tuple[tuple[str, str], ...]) -> bytes:
    cached = _CACHE.get(versions)
    if cached is not None:
        return cached
    graphs = " ".join(f"<{graph}>" for graph, _ in versions)
    whole = " ".join(f"<{GRAPH_BASE}{name}>" for name in _WHOLE_MODULES)
    predicates = " ".join(f"<{p}>" for p in _CONTEXT_PREDICATES)
    result = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE {"
        f" {{ VALUES ?g {{ {graphs} }} VALUES ?p {{ {predicates} }} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)) }}"
        f" UNION {{ VALUES ?g {{ {whole} }} GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s)) }} }}"
    )
    data = ntriples(result)
    _CACHE.clear()  # one version at a time is all a process needs
    _CACHE[versions] = data
    return data


@functools.cache
def _reference_graph_names() -> frozenset[str]:
    """The product's graphs. Their names follow from the files of the checkout, fixed while a
    process runs, and finding them walks the file system (20 ms): once per process."""
    from aims_graph.knowledge.modules import reference_graphs

    return frozenset(reference_graphs())


def is_organisation_graph(graph: str) -> bool:
    """A graph of the organisation's own data: not reference knowledge, shapes or derived facts."""
    return (graph not in _reference_graph_names() and graph != DERIVED_GRAPH
            and not graph.startswith(GRAPH_BASE + "shapes-"))


def organisation_graphs(store: Store) -> list[str]:
    """Named graphs that hold an organisation's own data (not reference, not derived)."""
    return [g for g in store.named_graphs() if is_organisation_graph(g)]


def organisation_data(store: Store, subjects: list[str] | None = None, *,
                      predicates: tuple[str, ...] | None = None) -> bytes:
    """All triples of the organisation graphs (N-Triples), or only those of ``subjects``; only
    those of ``predicates`` when given (the store then looks up each subject and predicate
    instead of walking every triple of the subject)."""
    graphs = organisation_graphs(store)
    if not graphs:
        return b""
    restrict = ""
    if subjects is not None:
        if not subjects:
            return b""
        restrict = "VALUES ?s { " + " ".join(f"<{s}>" for s in subjects) + " }"
    # The subjects go inside GRAPH and the graphs into a FILTER: Oxigraph then looks each
    # subject up; with both as outer VALUES it joined them after a scan (12 s against
    # 0.06 s for 4,000 subjects of a 1,000-system organisation).
    pattern = "?s ?p ?o" if predicates is None else one_of(predicates, "?s", "?o", "?p")
    listed = ", ".join(f"<{g}>" for g in graphs)
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ {restrict} {pattern} }} "
                         f"FILTER(?g IN ({listed})) }}")
    return ntriples(result)


def one_of(predicates: Iterable[str], subject: str, obj: str, bound_to: str) -> str:
    """A pattern matching ``subject`` and ``obj`` linked by any of ``predicates``, which it binds
    to ``bound_to``: one pattern per predicate, joined by UNION. Oxigraph joins a ``VALUES`` of
    predicates only after walking every triple of a bound subject or object (1.6 ms against
    0.06 ms for a management system covering 5,000 systems), where a constant predicate is one
    index look-up."""
    return " UNION ".join(f"{{ {subject} <{p}> {obj} BIND(<{p}> AS {bound_to}) }}" for p in predicates)


def ntriples(result: object) -> bytes:
    """The triples of a CONSTRUCT answer as N-Triples."""
    if not isinstance(result, ox.QueryTriples):
        raise TypeError("expected the triples of a CONSTRUCT query")
    return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""


def scratch(*parts: bytes, base: list[ox.Quad] | None = None) -> ox.Store:
    """An in-memory store holding ``base`` and the given N-Triples documents in its default graph."""
    graph = ox.Store()
    if base:
        graph.extend(base)
    for part in parts:
        if part:
            graph.load(part, format=ox.RdfFormat.N_TRIPLES)
    return graph
