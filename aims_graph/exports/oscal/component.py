"""An OSCAL component definition of the organisation's AI management system: the controls
it implements, each with its implementation status and its evidence, and the controls its
statement of applicability excludes.

The component is the AI management system whose statement of applicability is chosen
(as ``aims-graph soa`` chooses it); its control implementations are grouped by the
catalog (scheme) of the controls they implement.  The status is the property
``implementation-status`` that compliance-trestle reads and writes, with OSCAL's values
(``implemented``, ``partial``, ``planned``, ``not-applicable`` for an excluded control;
``not-implemented``, which OSCAL's list allows beside its own, for aims:NotImplemented).
Evidence goes to the back matter as resources of type ``evidence``, linked from the
requirements it supports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pyoxigraph as ox

from aims_graph.crosswalk.index import natural_key
from aims_graph.errors import NotFoundError
from aims_graph.exports.oscal.catalog import reference_scheme
from aims_graph.exports.oscal.documents import (
    CatalogHref,
    Document,
    catalog_file,
    control_id,
    document,
    metadata,
    object_uuid,
    one_line,
    prop,
    scheme_of,
)
from aims_graph.rdf.namespaces import AIMS, DCTERMS, RDFS, SKOS
from aims_graph.reports.soa import StatementOfApplicability, statement_of_applicability
from aims_graph.store.base import Store

STATES = {
    AIMS + "Implemented": "implemented",
    AIMS + "PartiallyImplemented": "partial",
    AIMS + "Planned": "planned",
    AIMS + "NotImplemented": "not-implemented",
}
"""aims:ImplementationStatus -> OSCAL implementation state."""


@dataclass
class _Evidence:
    iri: str
    title: str = ""
    date: str = ""
    location: str = ""


@dataclass
class _Implementation:
    iri: str
    control: str
    label: str = ""
    comment: str = ""
    status: str = ""
    evidence: dict[str, _Evidence] = field(default_factory=dict)


def component_definition(store: Store, soa_iri: str | None = None, *, last_modified: datetime,
                         catalog_href: CatalogHref = catalog_file) -> Document:
    """The component definition of the AI management system of statement ``soa_iri`` (by
    default the store's only statement of applicability)."""
    soa = statement_of_applicability(store, soa_iri)
    implementations = _implementations(store)
    excluded = {row.iri: row.justification for row in soa.rows if row.decision == "excluded"}
    implemented = {i.control for i in implementations}
    if not implementations and not excluded:
        raise NotFoundError("the store holds no control implementation (aims:ControlImplementation) and no control "
                            "excluded by a statement of applicability: there is nothing to describe")
    justifications = {row.iri: row.justification for row in soa.rows}
    requirements: dict[str, list[Document]] = {}
    for implementation in implementations:
        requirements.setdefault(scheme_of(implementation.control), []).append(
            _implemented(implementation, justifications.get(implementation.control, "")))
    for control, why in sorted(excluded.items()):
        if control not in implemented:
            requirements.setdefault(scheme_of(control), []).append(_excluded(soa, control, why))
    system = _management_system(store, soa)
    component: Document = {
        "uuid": object_uuid(system["iri"]),
        "type": "process-procedure",
        "title": system["title"],
        "description": system["description"],
        "links": [{"href": system["iri"], "rel": "alternate"}],
        "control-implementations": [
            {"uuid": object_uuid(system["iri"], scheme),
             "source": catalog_href(scheme),
             "description": f"The controls of {reference_scheme(store, scheme).title} as {system['title']} "
                            "implements them, and those its statement of applicability excludes.",
             "implemented-requirements": sorted(rows, key=lambda r: natural_key(r["control-id"]))}
            for scheme, rows in sorted(requirements.items())
        ],
    }
    evidence = sorted({e.iri: e for i in implementations for e in i.evidence.values()}.values(), key=lambda e: e.iri)
    body: Document = {"components": [component]}
    if evidence:
        body["back-matter"] = {"resources": [_resource(e) for e in evidence]}
    # the edition of the statement of applicability is the version of the control set
    version = system["date"] or "unversioned"
    return document("component-definition", metadata(system["title"], version, last_modified), body)


def _implemented(implementation: _Implementation, justification: str) -> Document:
    props = [prop("implementation-status", STATES[implementation.status])] if implementation.status in STATES else []
    requirement: Document = {
        "uuid": object_uuid(implementation.iri, implementation.control),
        "control-id": control_id(implementation.control),
        "description": one_line(implementation.comment or implementation.label or implementation.iri),
        "links": [{"href": implementation.iri, "rel": "alternate"},
                  *({"href": "#" + object_uuid(e), "rel": "evidence"} for e in sorted(implementation.evidence))],
    }
    if props:
        requirement["props"] = props
    if justification:
        requirement["remarks"] = justification
    return requirement


def _excluded(soa: StatementOfApplicability, control: str, justification: str) -> Document:
    requirement: Document = {
        "uuid": object_uuid(soa.iri or "", control),
        "control-id": control_id(control),
        "description": "Excluded by the statement of applicability.",
        "props": [prop("implementation-status", "not-applicable")],
    }
    if justification:
        requirement["remarks"] = justification
    return requirement


def _resource(evidence: _Evidence) -> Document:
    resource: Document = {"uuid": object_uuid(evidence.iri), "title": one_line(evidence.title or evidence.iri),
                          "props": [prop("type", "evidence")], "document-ids": [{"identifier": evidence.iri}]}
    if evidence.date:
        resource["props"].append(prop("date", evidence.date, DCTERMS))
    if evidence.location:
        resource["rlinks"] = [{"href": evidence.location}]
    return resource


def _management_system(store: Store, soa: StatementOfApplicability) -> dict[str, str]:
    """IRI, title and description of the AI management system that holds the statement, and
    the statement's date; the statement itself stands in for a system the store lacks."""
    title = soa.label or "AI management system"
    found = {"iri": soa.iri or AIMS + "AIManagementSystem", "title": title, "description": title, "date": ""}
    if soa.iri is None:
        return found
    rows = list(store.query(f"""
        SELECT ?system (SAMPLE(?l) AS ?label) (SAMPLE(?c) AS ?comment) (MAX(?d) AS ?date) WHERE {{
          OPTIONAL {{ {ox.NamedNode(soa.iri)} <{DCTERMS}date> ?d }}
          OPTIONAL {{ ?system <{AIMS}hasStatementOfApplicability> {ox.NamedNode(soa.iri)} .
                     OPTIONAL {{ ?system <{RDFS}label> ?l }} OPTIONAL {{ ?system <{RDFS}comment> ?c }} }}
        }} GROUP BY ?system ORDER BY ?system LIMIT 1
    """))  # type: ignore[arg-type]
    row = rows[0]
    if row["date"] is not None:
        found["date"] = row["date"].value
    if row["system"] is not None:
        found["iri"] = row["system"].value
        found["title"] = one_line(row["label"].value) if row["label"] is not None else found["title"]
        found["description"] = row["comment"].value if row["comment"] is not None else found["title"]
    return found


def _implementations(store: Store) -> list[_Implementation]:
    """Every control implementation of a reference concept, with its evidence."""
    rows = list(store.query(f"""
        SELECT ?i ?control ?label ?comment ?status ?e ?title ?date ?location WHERE {{
          ?i <{AIMS}implementsControl> ?control . ?control <{SKOS}inScheme> ?scheme .
          FILTER(isIRI(?i))
          OPTIONAL {{ ?i <{RDFS}label> ?label }}
          OPTIONAL {{ ?i <{RDFS}comment> ?comment }}
          OPTIONAL {{ ?i <{AIMS}implementationStatus> ?status }}
          OPTIONAL {{ ?i <{AIMS}hasEvidence> ?e . FILTER(isIRI(?e))
                     OPTIONAL {{ ?e <{DCTERMS}title> ?title }} OPTIONAL {{ ?e <{DCTERMS}date> ?date }}
                     OPTIONAL {{ ?e <{AIMS}location> ?location }} }}
        }} ORDER BY ?i ?control ?label ?comment ?status ?e ?title ?date ?location
    """))  # type: ignore[arg-type]
    found: dict[tuple[str, str], _Implementation] = {}

    def value(row: Any, key: str) -> str:
        return row[key].value if row[key] is not None else ""

    for row in rows:
        key = (value(row, "i"), value(row, "control"))
        implementation = found.setdefault(key, _Implementation(*key))
        implementation.label = implementation.label or value(row, "label")
        implementation.comment = implementation.comment or value(row, "comment")
        implementation.status = implementation.status or value(row, "status")
        if row["e"] is not None:
            evidence = implementation.evidence.setdefault(value(row, "e"), _Evidence(value(row, "e")))
            evidence.title = evidence.title or value(row, "title")
            evidence.date = evidence.date or value(row, "date")
            evidence.location = evidence.location or value(row, "location")
    return list(found.values())
