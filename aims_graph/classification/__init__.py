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

import pyoxigraph as ox

from aims_graph.classification.inputs import DERIVED_GRAPH, AIMS, organisation_data, reference_context, scratch
from aims_graph.classification.model import AppliedObligation, Provision, Record, SystemClassification
from aims_graph.classification.rules import Rule, load_rules
from aims_graph.errors import NotFoundError
from aims_graph.store.base import Store

__all__ = [
    "DERIVED_GRAPH",
    "Derivation",
    "SystemClassification",
    "classify",
    "derive",
]

_CLASSIFIED = (AIMS + "AISystem", AIMS + "GeneralPurposeAIModel")
_SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# Focus nodes per rule query. Oxigraph joins a VALUES block of more than about a
# thousand rows differently, and the obligations rule then grew quadratically (0.014 s
# for 1,000 focus nodes, 0.54 s for 1,500 on the same 2,000-system graph); chunks keep
# every query on the fast side, so a derivation grows linearly with the systems.
_CHUNK = 500


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


def _context_subjects(store: Store, nodes: list[str]) -> list[str]:
    """The classified nodes plus the management systems and organisations the rules consult."""
    rows = store.query(
        f"SELECT DISTINCT ?s WHERE {{ VALUES ?type {{ <{AIMS}AIManagementSystem> <{AIMS}Organisation> }} "
        "?s a ?type . FILTER(isIRI(?s)) }"
    )
    return sorted(set(nodes) | {row["s"].value for row in rows})


def derive(store: Store, system_iri: str | None = None) -> Derivation:
    """Run every rule for one system (or all) and return the derived triples; writes nothing."""
    nodes = classified_nodes(store, system_iri)
    work = scratch(reference_context(store), organisation_data(store, _context_subjects(store, nodes)))
    derived = ox.Store()
    target = ox.NamedNode(DERIVED_GRAPH)
    for rule in load_rules():
        focus = _focus_nodes(work, rule, nodes)
        if not focus:
            continue
        # All chunks of one rule read the same graph (what earlier rules derived), as
        # one query over every focus node would; only then is the rule's output added.
        triples = [t for start in range(0, len(focus), _CHUNK)
                   for t in work.query(rule.bound_to(focus[start:start + _CHUNK]))]
        work.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        derived.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
    return Derivation(derived, nodes)


def _focus_nodes(work: ox.Store, rule: Rule, nodes: list[str]) -> list[str]:
    if not nodes:
        return []
    values = " ".join(f"<{n}>" for n in nodes)
    rows = work.query(
        f"SELECT DISTINCT ?n WHERE {{ VALUES ?n {{ {values} }} ?n a ?c . ?c {_SUBCLASS}* <{rule.target_class}> }}"
    )
    return [row["n"].value for row in rows]


def classify(store: Store, system_iri: str | None = None, *, write: bool = True) -> list[SystemClassification]:
    """Classify one system (or every system and GPAI model) and, by default, record the result.

    The previous derivations of the classified nodes are replaced in the same update
    that writes the new ones; classifying everything also drops derivations of nodes
    that no longer exist.
    """
    derivation = derive(store, system_iri)
    if write and system_iri is None:
        # A whole-store derivation can be any size: replaced as a graph, which a remote
        # store writes in batches (an engine may refuse one huge INSERT DATA).
        store.replace_graph(DERIVED_GRAPH, derivation.ntriples(), ox.RdfFormat.N_TRIPLES)
    elif write:
        store.update(_replacement(derivation))
    return results(store, derivation)


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


def results(store: Store, derivation: Derivation) -> list[SystemClassification]:
    """Typed results read from the derived triples and the reference context."""
    work = scratch(reference_context(store), organisation_data(store, derivation.focus))
    work.extend(ox.Quad(q.subject, q.predicate, q.object) for q in derivation.graph)
    out = []
    for node in derivation.focus:
        kind = "AISystem" if _is_a(work, node, AIMS + "AISystem") else "GeneralPurposeAIModel"
        item = SystemClassification(node, _label(work, node), kind)
        item.categories = sorted(
            row["c"].value.removeprefix(AIMS)
            for row in work.query(f"SELECT ?c WHERE {{ <{node}> <{AIMS}hasRiskCategory> ?c }}")
        )
        item.records = _records(work, node)
        item.obligations = _obligations(work, node)
        out.append(item)
    return out


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
