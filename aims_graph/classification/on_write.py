"""The stored classification kept current write by write (issue 16, part 3: "classification
stays correct on the live store").

``aims-graph classify`` writes every system's categories, records and obligations into the
derived graph, and the inventory (``/systems``, the named queries) reads them there. A
service that accepted a new or edited system without classifying it would list it with no
category, or with the category of its old facts. ``StoredClassification.after_write`` is
called by the service for every write, after the write and before it is acknowledged, with
the subjects the write touched; it re-derives exactly the classified nodes those subjects can
change and replaces their derivations in one update:

* an AI system or general-purpose AI model among the subjects: that node;
* a node whose facts the rules read through a system's link (a value-chain event of
  Article 25, an Article 6(3) assessment): the systems that link it;
* a subject that is no longer classified but has derivations (a deleted system): they go;
* a management system or organisation, now or at an earlier write (the rules read them for
  every system: who operates a management system, who is established outside the Union),
  a write whose subjects are unknown, or a bulk write (more than ``BULK`` subjects): every
  node, as ``classify`` does.

The derivation is as of the day of the write (``as_of``), like ``classify``'s default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from aims_graph.classification import classify, reclassify
from aims_graph.classification.inputs import DERIVED_GRAPH, LINKS_READ_BY_RULES, one_of
from aims_graph.rdf.namespaces import AIMS, RDFS
from aims_graph.store.base import Store

CLASSIFIED_TYPES = (AIMS + "AISystem", AIMS + "GeneralPurposeAIModel")
CONTEXT_TYPES = (AIMS + "AIManagementSystem", AIMS + "Organisation")
# A write touching more subjects than this is a bulk load: one derivation of everything is
# cheaper than looking each subject up (and keeps the look-ups' VALUES blocks small).
BULK = 2_000


class StoredClassification:
    """Re-classifies what a write touched, in the store's derived graph."""

    def __init__(self, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.today = today
        self._context: set[str] | None = None  # management systems and organisations seen so far

    def after_write(self, store: Store, subjects: set[str] | None) -> list[str] | None:
        """Bring the derived graph up to date for a write that touched ``subjects`` (None: not
        known). Returns the nodes re-derived, or None when everything was."""
        on = self.today()
        if self._context is None:
            self._context = context_subjects(store)
        if subjects is not None and not subjects:
            return []
        if subjects is None or len(subjects) > BULK or subjects & (self._context | context_subjects(store, subjects)):
            self._context = context_subjects(store)
            classify(store, as_of=on)
            return None
        nodes = classified_among(store, subjects) | systems_linking(store, subjects)
        gone = _derived_among(store, subjects) - nodes
        if nodes or gone:
            reclassify(store, sorted(nodes), sorted(gone), as_of=on)
        return sorted(nodes)


def _values(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in iris)


def context_subjects(store: Store, among: set[str] | None = None) -> set[str]:
    """Management systems and organisations (what the rules read for every system)."""
    if among is not None and not among:
        return set()
    restrict = f"VALUES ?s {{ {_values(sorted(among))} }}" if among is not None else ""
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ {restrict} VALUES ?type {{ {_values(CONTEXT_TYPES)} }} "
                       "?s a ?type . FILTER(isIRI(?s)) }")
    return {row["s"].value for row in rows}  # type: ignore[union-attr,index]


def classified_among(store: Store, among: set[str]) -> set[str]:
    """Which of ``among`` the rules classify (AI systems and general-purpose AI models)."""
    if not among:
        return set()
    rows = store.query(
        f"SELECT DISTINCT ?node WHERE {{ VALUES ?node {{ {_values(sorted(among))} }} "
        f"VALUES ?type {{ {_values(CLASSIFIED_TYPES)} }} ?node a ?class . "
        f"?class <{RDFS}subClassOf>* ?type . FILTER(isIRI(?node)) }}")
    return {row["node"].value for row in rows}  # type: ignore[union-attr,index]


def systems_linking(store: Store, among: set[str]) -> set[str]:
    """The systems that link one of ``among`` through a link whose target the rules read."""
    if not among:
        return set()
    rows = store.query(f"SELECT DISTINCT ?n WHERE {{ VALUES ?e {{ {_values(sorted(among))} }} "
                       f"{one_of(LINKS_READ_BY_RULES, '?n', '?e', '?link')} FILTER(isIRI(?n)) }}")
    return {row["n"].value for row in rows}  # type: ignore[union-attr,index]


def _derived_among(store: Store, among: set[str]) -> set[str]:
    """Which of ``among`` have derivations of their own in the derived graph."""
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ VALUES ?s {{ {_values(sorted(among))} }} "
                       f"VALUES ?p {{ <{AIMS}hasRiskCategory> <{AIMS}classification> }} ?s ?p ?o }} }}")
    return {row["s"].value for row in rows}  # type: ignore[union-attr,index]
