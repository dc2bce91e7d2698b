"""The data graph a validation runs on: focus data, its context and fresh derivations.

Whole-store validation reads every organisation graph. Validating one AI system reads
only its *neighbourhood*: the system, the nodes that hang off it (models, datasets,
documents, risks, treatments, control implementations, evidence, classification
records) and the assessments and incidents that point at it; plus, as context that is
read but not validated, the management systems that cover it with their statement of
applicability, and the types of everything those nodes link to. Only nodes of the
neighbourhood are focus nodes of the report.

Derived facts come from ``classification.derive`` run in memory for the same scope,
so validation never writes and never reads stale derivations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pyoxigraph as ox

from aims_graph.classification import derive
from aims_graph.classification.inputs import ntriples, organisation_data, organisation_graphs, reference_context
from aims_graph.rdf.namespaces import AIMS, SKOS
from aims_graph.store.base import Store

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FOCUS = ox.NamedNode("urn:aims-graph:validation:focus")
CONTEXT = ox.NamedNode("urn:aims-graph:validation:context")

# Links to things a system shares with others (people, organisations, reference
# concepts, the management system): followed one step for their types, never further.
_SHARED_LINKS = [
    RDF_TYPE, AIMS + "owner", AIMS + "hasOperator", AIMS + "provider", AIMS + "deployer", AIMS + "importer",
    AIMS + "distributor", AIMS + "authorisedRepresentative", AIMS + "productManufacturer", AIMS + "suppliedBy",
    AIMS + "affects", AIMS + "hasDomain", AIMS + "lifeCycleStage", AIMS + "annexIIIUseCase",
    AIMS + "prohibitedPractice", AIMS + "article6_3Exception", AIMS + "coveredByAnnexI", AIMS + "implementsControl",
    AIMS + "decisionFor", AIMS + "impactDimension", AIMS + "impactDirection", AIMS + "impactLevel",
    AIMS + "implementationStatus", AIMS + "treatmentOption", AIMS + "incidentKind", AIMS + "status",
    AIMS + "sourceCategory", AIMS + "concernsRequirement", AIMS + "category", AIMS + "ground",
    AIMS + "obligationApplies", AIMS + "derivedBy", AIMS + "assessesSystem", AIMS + "incidentOf",
    AIMS + "raisedIn", "http://www.w3.org/ns/prov#wasDerivedFrom",
    *(SKOS + p for p in ("inScheme", "broader", "narrower", "hasTopConcept", "topConceptOf", "related")),
]


@dataclass
class ValidationData:
    """One in-memory dataset: FOCUS holds what is validated, CONTEXT what is only read."""

    store: ox.Store

    def focus_nodes(self) -> set:
        return {row["s"] for row in self.store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{FOCUS.value}> {{ ?s ?p ?o }} }}")}

    def triples(self) -> list[ox.Triple]:
        """The union of focus and context, for an engine that needs one graph."""
        return list(self.store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"))


def collect(store: Store, system_iri: str | None = None, as_of: dt.date | None = None) -> ValidationData:
    """The data to validate: the whole organisation, or one system's neighbourhood, with
    the classification as the law stands on ``as_of`` (default today)."""
    dataset = ox.Store()
    derived = derive(store, system_iri, as_of)
    if system_iri is None:
        _load(dataset, organisation_data(store), FOCUS)
    else:
        focus, context = _neighbourhood(store, system_iri)
        _load(dataset, focus, FOCUS)
        _load(dataset, context, CONTEXT)
    _load(dataset, derived.ntriples(), FOCUS)
    _load(dataset, reference_context(store), CONTEXT)
    return ValidationData(dataset)


def _load(dataset: ox.Store, ntriples: bytes, graph: ox.NamedNode) -> None:
    if ntriples:
        dataset.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)


def _neighbourhood(store: Store, system_iri: str) -> tuple[bytes, bytes]:
    graphs = " ".join(f"<{g}>" for g in organisation_graphs(store))
    if not graphs:
        return b"", b""
    shared = "|".join(f"<{p}>" for p in _SHARED_LINKS)
    system = f"<{system_iri}>"
    reach = (
        f"{{ BIND({system} AS ?start) }} UNION {{ ?start (<{AIMS}assessesSystem>|<{AIMS}incidentOf>) {system} }}"
        f" ?start (!({shared}))* ?n ."
    )
    focus = store.query(
        f"CONSTRUCT {{ ?n ?p ?o }} WHERE {{ {reach} VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?n ?p ?o }} }}"
    )
    context = store.query(
        "CONSTRUCT { ?o a ?type . ?aims ?ap ?ao . ?soa ?sp ?so . ?decision ?dp ?do } WHERE {"
        f" {{ {reach} ?n ?p ?o . ?o a ?type }}"
        f" UNION {{ ?aims <{AIMS}coversSystem> {system} ; ?ap ?ao ."
        f"   OPTIONAL {{ ?aims <{AIMS}hasStatementOfApplicability> ?soa . ?soa ?sp ?so ."
        f"     OPTIONAL {{ ?soa <{AIMS}hasDecision> ?decision . ?decision ?dp ?do }} }} }} }}"
    )
    return ntriples(focus), ntriples(context)


