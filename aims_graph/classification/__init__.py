"""EU AI Act classification: run the rules of shapes/rules/ and record what they derive.

``derive`` computes, without writing anything, each system's risk categories, the
classification records that explain them and the obligations that apply; ``classify``
also writes those facts into the named graph ``.../graph/derived``, replacing earlier
derivations for the same systems in one update (so readers never see half a result).

The rules run on a scratch in-memory graph made of the organisation facts they read and
a cut of the reference knowledge: a later rule sees what earlier ones derived (as
sh:order demands) without ever touching the store before the final write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

import pyoxigraph as ox

from aims_graph.classification import applicability
from aims_graph.classification.inputs import (
    DERIVED_GRAPH,
    LINKS_READ_BY_RULES,
    RulesGraph,
    ntriples,
    one_of,
    organisation_data,
    reference_quads,
    scratch,
)
from aims_graph.classification.model import AppliedObligation, Provision, Record, SystemClassification, TimelineEntry
from aims_graph.classification.rules import load_rules
from aims_graph.errors import NotFoundError
from aims_graph.law import Law, law_of
from aims_graph.rdf.namespaces import AIMS
from aims_graph.store.base import Store

__all__ = [
    "DERIVED_GRAPH",
    "Derivation",
    "SystemClassification",
    "TimelineEntry",
    "classify",
    "derive",
    "reclassify",
    "timeline",
]

_CLASSIFIED = (AIMS + "AISystem", AIMS + "GeneralPurposeAIModel")
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# Focus nodes per rule query. Oxigraph joins a VALUES block of more than about a
# thousand rows differently, and the obligations rule then grew quadratically (0.014 s
# for 1,000 focus nodes, 0.54 s for 1,500 on the same 2,000-system graph); chunks keep
# every query on the fast side, so a derivation grows linearly with the systems.
_CHUNK = 500
# What the rules read of a management system: its type and who operates it. Its other facts,
# above all its aims:coversSystem list, which grows with the organisation (20,000 systems,
# 20,000 triples), are never read; naming the predicates lets the store look up just these
# instead of walking the whole list for every single-system derivation (10 ms of a 40 ms
# re-classification at 5,000 systems, measured 8 December 2026).
_MANAGEMENT_SYSTEM_FACTS = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", AIMS + "operatedBy")


class Derivation:
    """The derived triples (in ``graph``) and the focus nodes they were derived for."""

    def __init__(self, graph: ox.Store, focus: list[str]) -> None:
        self.graph = graph
        self.focus = focus

    def ntriples(self) -> bytes:
        return self.graph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(DERIVED_GRAPH))


def classified_nodes(store: Store, system_iri: str | None = None) -> list[str]:
    """The AI systems and general-purpose AI models to classify; checks ``system_iri`` exists."""
    types = " ".join(f"<{t}>" for t in _CLASSIFIED)
    restrict = f"VALUES ?node {{ <{system_iri}> }}" if system_iri else ""
    rows = store.query(
        f"SELECT DISTINCT ?node WHERE {{ {restrict} VALUES ?type {{ {types} }} "
        f"?node a ?class . ?class {_SUBCLASS}* ?type . FILTER(isIRI(?node)) }} ORDER BY ?node"
    )
    nodes = [row["node"].value for row in rows]
    if system_iri and not nodes:
        raise NotFoundError(f"{system_iri} is not an aims:AISystem or aims:GeneralPurposeAIModel in the store")
    return nodes


def _rule_facts(store: Store, nodes: list[str]) -> bytes:
    """The organisation facts the rules read: every triple of the classified nodes and of the
    organisations, and of each management system only ``_MANAGEMENT_SYSTEM_FACTS``."""
    rows = store.query(
        f"SELECT DISTINCT ?s ?type WHERE {{ VALUES ?type {{ <{AIMS}AIManagementSystem> <{AIMS}Organisation> }} "
        "?s a ?type . FILTER(isIRI(?s)) }"
    )
    found = [(row["s"].value, row["type"].value) for row in rows]  # type: ignore[union-attr]
    organisations = {s for s, kind in found if kind == AIMS + "Organisation"}
    management_systems = sorted({s for s, kind in found if kind == AIMS + "AIManagementSystem"})
    return (organisation_data(store, sorted(set(nodes) | organisations))
            + organisation_data(store, management_systems, predicates=_MANAGEMENT_SYSTEM_FACTS))


def _linked_facts(store: Store, nodes: list[str]) -> bytes:
    """The own facts of the nodes that hang off the classified nodes and that the rules read
    (``LINKS_READ_BY_RULES``: value-chain events, Article 6(3) assessments), with the link to
    them, in one answer so that a node written as a blank node keeps its link."""
    linked = one_of(LINKS_READ_BY_RULES, "?n", "?e", "?link")
    parts = []
    for start in range(0, len(nodes), _CHUNK):
        values = " ".join(f"<{n}>" for n in nodes[start:start + _CHUNK])
        parts.append(ntriples(store.query(
            f"CONSTRUCT {{ ?n ?link ?e . ?e ?p ?o }} WHERE {{ GRAPH ?g {{ VALUES ?n {{ {values} }} {linked} "
            f"?e ?p ?o }} FILTER(?g != <{DERIVED_GRAPH}>) }}")))
    return b"".join(parts)


def derive(store: Store, system_iri: str | None = None, as_of: dt.date | None = None) -> Derivation:
    """Run every rule for one system (or all) as the law stands on ``as_of`` (default today)
    and return the derived triples; writes nothing."""
    return _derive(store, classified_nodes(store, system_iri), as_of)


def reclassify(store: Store, nodes: list[str], gone: Sequence[str] = (), *,
               as_of: dt.date | None = None) -> Derivation:
    """Classify the given classified nodes and record the result, dropping the derivations of
    ``gone`` (nodes no longer classified) in the same update (``on_write`` uses it)."""
    derivation = _derive(store, nodes, as_of)
    store.update(_replacement(Derivation(derivation.graph, [*derivation.focus, *gone])))
    return derivation


def _derive(store: Store, nodes: list[str], as_of: dt.date | None) -> Derivation:
    derived = ox.Store()
    target = ox.NamedNode(DERIVED_GRAPH)
    with RulesGraph(store, _rule_facts(store, nodes), _linked_facts(store, nodes),
                    _version_marker(law_of(store), as_of or dt.date.today())) as work:
        # The rules derive no types, so each target class has the same focus nodes throughout.
        focus_of: dict[str, list[str]] = {}
        for rule in load_rules():
            if rule.target_class not in focus_of:
                focus_of[rule.target_class] = _focus_nodes(work, rule.target_class, nodes)
            focus = focus_of[rule.target_class]
            if not focus:
                continue
            # All chunks of one rule read the same graph (what earlier rules derived), as
            # one query over every focus node would; only then is the rule's output added.
            triples = [t for start in range(0, len(focus), _CHUNK)
                       for t in work.query(rule.bound_to(focus[start:start + _CHUNK]))]  # type: ignore[attr-defined]
            work.add(triples)
            derived.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
    return Derivation(derived, nodes)


def _version_marker(law: Law, on: dt.date) -> bytes:
    """The one fact through which the rules see the date: which version of the act is in
    force (aims:versionInForce on the scheme). It lives in the scratch graph only."""
    version = law.version_in_force(on)
    if version is None:
        return b""
    return f"<https://w3id.org/aims-graph/eu-ai-act> <{AIMS}versionInForce> <{version.iri}> .\n".encode()


def _focus_nodes(work: RulesGraph, target_class: str, nodes: list[str]) -> list[str]:
    if not nodes:
        return []
    values = " ".join(f"<{n}>" for n in nodes)
    rows = work.query(
        f"SELECT DISTINCT ?n WHERE {{ VALUES ?n {{ {values} }} ?n a ?c . ?c {_SUBCLASS}* <{target_class}> }}"
    )
    return [row["n"].value for row in rows]  # type: ignore[attr-defined]


def classify(store: Store, system_iri: str | None = None, *, write: bool = True,
             as_of: dt.date | None = None) -> list[SystemClassification]:
    """Classify one system (or every system and GPAI model) as the law stands on ``as_of``
    (default today) and, by default, record the result.

    The previous derivations of the classified nodes are replaced in the same update
    that writes the new ones; classifying everything also drops derivations of nodes
    that no longer exist.
    """
    on = as_of or dt.date.today()
    derivation = derive(store, system_iri, on)
    if write and system_iri is None:
        # A whole-store derivation can be any size: replaced as a graph, which a remote
        # store writes in batches (an engine may refuse one huge INSERT DATA).
        store.replace_graph(DERIVED_GRAPH, derivation.ntriples(), ox.RdfFormat.N_TRIPLES)
    elif write:
        store.update(_replacement(derivation))
    return results(store, derivation, on)


def _replacement(derivation: Derivation) -> str:
    """One system's derivations replaced in one update (small: one system's worth)."""
    body = derivation.ntriples().decode("utf-8")
    insert = f"INSERT DATA {{ GRAPH <{DERIVED_GRAPH}> {{\n{body}\n}} }}"
    values = " ".join(f"<{n}>" for n in derivation.focus)
    delete = (
        f"DELETE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{DERIVED_GRAPH}> {{"
        f" {{ VALUES ?x {{ {values} }} ?x <{AIMS}classification> ?s . ?s ?p ?o }}"
        f" UNION {{ VALUES ?s {{ {values} }} ?s ?p ?o }} }} }}"
    )
    return f"{delete} ;\n{insert}"


def results(store: Store, derivation: Derivation, as_of: dt.date | None = None) -> list[SystemClassification]:
    """Typed results read from the derived triples and the reference context, each obligation
    dated by the as-of rule."""
    on = as_of or dt.date.today()
    work = _result_graph(store, derivation)
    law = law_of(store)
    out = []
    for node in derivation.focus:
        kind = "AISystem" if _is_a(work, node, AIMS + "AISystem") else "GeneralPurposeAIModel"
        item = SystemClassification(node, _label(work, node), kind, as_of=on.isoformat())
        item.categories = sorted(
            row["c"].value.removeprefix(AIMS)
            for row in work.query(f"SELECT ?c WHERE {{ <{node}> <{AIMS}hasRiskCategory> ?c }}")
        )
        item.records = _records(work, node)
        item.obligations = [_dated(law, work, node, o, on) for o in _obligations(work, node)]
        out.append(item)
    return out


def _result_graph(store: Store, derivation: Derivation) -> ox.Store:
    work = scratch(organisation_data(store, derivation.focus), _linked_facts(store, derivation.focus),
                   base=reference_quads(store))
    work.extend(ox.Quad(q.subject, q.predicate, q.object) for q in derivation.graph)
    return work


def _dated(law: Law, work: ox.Store, node: str, obligation: AppliedObligation, on: dt.date) -> AppliedObligation:
    if obligation.provision is None:
        return obligation
    found = applicability.application(
        law, on, obligation.provision.iri, applicability.routes(work, node, obligation.iri),
        applicability.narrower_grounds(work, node, obligation.provision.iri), applicability.placed_on_market(work, node))
    if found is None:
        return obligation
    start: dt.date | None = found.applies_from
    if applicability.only_high_risk(work, obligation.iri):  # Article 111(2) for systems already placed
        start = applicability.legacy_start(law, work, node, found, applicability.routes(work, node, obligation.iri),
                                           applicability.placed_on_market(work, node))
    if start is None:
        return replace(obligation, version=found.version.iri, applies_on_as_of=False)
    return replace(obligation, applies_from=start.isoformat(), version=found.version.iri,
                   applies_on_as_of=obligation.decided and start <= on and found.version.in_force_on(on))


def timeline(store: Store, system_iri: str, as_of: dt.date | None = None,
             until: dt.date | None = None) -> list[TimelineEntry]:
    """In date order, when each obligation of the system (classified as of ``as_of``) starts
    to apply and under which version of the act; with ``until``, only what starts by then.
    A high-risk-only duty of a legacy system (Article 111(2)) starts on the public-authority
    deadline, or not at all, as ``classify`` dates it."""
    on = as_of or dt.date.today()
    derivation = derive(store, system_iri, on)
    work = _result_graph(store, derivation)
    law = law_of(store)
    entries = []
    for node in derivation.focus:
        placed = applicability.placed_on_market(work, node)
        for obligation in _obligations(work, node):
            if obligation.provision is None:
                continue
            provision = obligation.provision.iri
            route_list = applicability.routes(work, node, obligation.iri)
            high_risk_only = applicability.only_high_risk(work, obligation.iri)
            for start in applicability.starts(law, provision, route_list,
                                              applicability.narrower_grounds(work, node, provision), placed):
                day: dt.date | None = start.applies_from
                if high_risk_only:
                    day = applicability.legacy_start(law, work, node, start, route_list, placed)
                    if day is not None and start.version.in_force_until is not None and day > start.version.in_force_until:
                        day = None  # that version ended before the deadline came
                if day is not None and (until is None or day <= until):
                    entries.append(TimelineEntry(day.isoformat(), obligation.iri, obligation.label,
                                                 obligation.provision, start.version.iri, start.version.label,
                                                 obligation.decided))
    return sorted(entries, key=lambda e: (e.date, e.provision.notation or "" if e.provision else "", e.obligation))


def _is_a(work: ox.Store, node: str, cls: str) -> bool:
    return bool(work.query(f"ASK {{ <{node}> a ?c . ?c {_SUBCLASS}* <{cls}> }}"))


def _label(work: ox.Store, node: str) -> str | None:
    rows = list(work.query(f"SELECT ?l WHERE {{ <{node}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }} LIMIT 1"))
    return rows[0]["l"].value if rows else None


def _provision(work: ox.Store, iri: str) -> Provision:
    rows = list(work.query(f"SELECT ?n WHERE {{ <{iri}> <http://www.w3.org/2004/02/skos/core#notation> ?n }} LIMIT 1"))
    return Provision(iri, rows[0]["n"].value if rows else None)


def _records(work: ox.Store, node: str) -> list[Record]:
    rows = work.query(
        f"SELECT ?r ?c ?e ?rule WHERE {{ <{node}> <{AIMS}classification> ?r . "
        f"?r <{AIMS}explanation> ?e ; <{AIMS}derivedBy> ?rule . OPTIONAL {{ ?r <{AIMS}category> ?c }} }} ORDER BY ?r"
    )
    records = []
    for row in rows:
        record = row["r"].value
        grounds = sorted(
            (_provision(work, g["g"].value) for g in work.query(f"SELECT ?g WHERE {{ <{record}> <{AIMS}ground> ?g }}")),
            key=lambda p: p.iri,
        )
        category = row["c"].value.removeprefix(AIMS) if row["c"] else None
        records.append(Record(record, category, tuple(grounds), row["e"].value, row["rule"].value))
    return records


def _obligations(work: ox.Store, node: str) -> list[AppliedObligation]:
    rows = work.query(
        f"SELECT ?o ?label ?p ?cond ?how WHERE {{ <{node}> ?how ?o . "
        f"VALUES ?how {{ <{AIMS}obligationApplies> <{AIMS}obligationMayApply> }} "
        f"OPTIONAL {{ ?o <http://www.w3.org/2000/01/rdf-schema#label> ?label }} "
        f"OPTIONAL {{ ?o <{AIMS}derivedFromProvision> ?p }} OPTIONAL {{ ?o <{AIMS}condition> ?cond }} }} ORDER BY ?o"
    )
    found: dict[str, AppliedObligation] = {}
    for row in rows:
        iri = row["o"].value
        if iri in found:
            continue
        provision = _provision(work, row["p"].value) if row["p"] else None
        found[iri] = AppliedObligation(
            iri,
            row["label"].value if row["label"] else iri,
            provision,
            row["cond"].value if row["cond"] else None,
            decided=row["how"].value == f"{AIMS}obligationApplies",
        )
    return list(found.values())
