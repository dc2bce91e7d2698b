"""An OSCAL mapping collection from one crosswalk: each row a map from a control of the
subject scheme's catalog to a control of the object scheme's, with its NIST IR 8477
relationship, rationale, confidence and our justification.

OSCAL's mapping model is built on IR 8477 too, so relation and rationale carry over
word for word (``equal`` is OSCAL's ``equal-to``); what OSCAL has no field for (the
review status, the cited source, author and reviewer) travels as properties named by
the terms the crosswalk RDF uses (``aims:mappingStatus``, ``dcterms:source`` ...).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from urllib.parse import urlsplit

from aims_graph.crosswalk.index import scheme_name
from aims_graph.crosswalk.model import MappingRecord, MappingSet, Method, Relation, Status
from aims_graph.crosswalk.rdf import mapping_iri, mapping_sets_from_store
from aims_graph.errors import NotFoundError
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
)
from aims_graph.rdf.namespaces import AIMS, DCTERMS
from aims_graph.store.base import Store

RELATIONSHIPS = {
    Relation.EQUAL: "equal-to",
    Relation.SUBSET_OF: "subset-of",
    Relation.SUPERSET_OF: "superset-of",
    Relation.INTERSECTS_WITH: "intersects-with",
    Relation.NO_RELATIONSHIP: "no-relationship",
}
"""IR 8477 relation -> OSCAL relationship; the map's ``matching-rationale`` says whether an
``equal-to`` rests on the wording, the meaning or the function of the two provisions."""


def mapping_collection(store: Store, set_name: str, *, last_modified: datetime,
                       catalog_href: CatalogHref = catalog_file) -> Document:
    """The mapping collection of the crosswalk ``set_name`` (``iso42001-eu-ai-act``) held by
    the store; :class:`NotFoundError` naming the crosswalks it holds when there is none."""
    sets = {s.name: s for s in mapping_sets_from_store(store)}
    if set_name not in sets:
        raise NotFoundError(f"no crosswalk {set_name!r} in the store; known: {', '.join(sorted(sets)) or 'none'}")
    return collection(sets[set_name], last_modified=last_modified, catalog_href=catalog_href)


def collection(mapping_set: MappingSet, *, last_modified: datetime,
               catalog_href: CatalogHref = catalog_file) -> Document:
    """One mapping set as an OSCAL mapping collection."""
    if not mapping_set.mappings:
        raise NotFoundError(f"crosswalk {mapping_set.name!r} has no mappings, and an OSCAL mapping needs one")
    records = sorted(mapping_set.mappings, key=lambda r: r.key)
    rationales = Counter(r.rationale.value for r in records)
    derived = all(r.method is Method.DERIVED for r in records)
    provenance = {
        "method": "automation" if derived else "human",
        # the set's usual rationale; each map states its own, which overrides it
        "matching-rationale": max(sorted(rationales), key=lambda name: rationales[name]),
        "status": "complete" if all(r.status is Status.REVIEWED for r in records) else "draft",
        "mapping-description": mapping_set.description or mapping_set.title,
    }
    mapping = {
        "uuid": object_uuid(mapping_set.id),
        "source-resource": _resource(mapping_set.subject_source, mapping_set.subject_source_version,
                                     "subjectSource", "subjectVersion", catalog_href),
        "target-resource": _resource(mapping_set.object_source, mapping_set.object_source_version,
                                     "objectSource", "objectVersion", catalog_href),
        "maps": [_map(mapping_set, record) for record in records],
    }
    links = [{"href": mapping_set.id, "rel": "alternate"}, {"href": mapping_set.license, "rel": "license"}]
    meta = metadata(mapping_set.title, mapping_set.version, last_modified, links=links, **_creators(mapping_set))
    return document("mapping-collection", meta, {"provenance": provenance, "mappings": [mapping]})


def _resource(scheme_iri: str, version: str, source_term: str, version_term: str, href: CatalogHref) -> Document:
    props = [prop(source_term, scheme_iri, AIMS)]
    if version:
        props.append(prop(version_term, version, AIMS))
    return {"type": "catalog", "href": href(scheme_name(scheme_iri)), "props": props}


def _map(mapping_set: MappingSet, record: MappingRecord) -> Document:
    iri = mapping_iri(mapping_set, record)
    props = [prop("mappingStatus", record.status.value, AIMS), prop("creator", record.author_id, DCTERMS)]
    if record.source:
        props.append(prop("source", record.source, DCTERMS))
    if record.reviewer_id:
        props.append(prop("reviewer", record.reviewer_id, AIMS))
    return {
        "uuid": object_uuid(iri),
        "matching-rationale": record.rationale.value,
        "relationship": RELATIONSHIPS[record.relation],
        "sources": [{"type": "control", "id-ref": control_id(record.subject_id)}],
        "targets": [{"type": "control", "id-ref": control_id(record.object_id)}],
        "confidence-score": {"percentage": float(record.confidence)},
        "props": props,
        "links": [{"href": iri, "rel": "alternate"}],
        "remarks": one_line(record.comment),
    }


def _creators(mapping_set: MappingSet) -> Document:
    """The set's creators as OSCAL parties in the ``creator`` role (an ORCID is a person;
    any other creator, such as ``https://w3id.org/aims-graph/team``, an organisation)."""
    if not mapping_set.creators:
        return {}
    parties = [{"uuid": object_uuid(creator),
                "type": "person" if urlsplit(creator).hostname == "orcid.org" else "organization",
                "links": [{"href": creator, "rel": "reference"}]}
               for creator in mapping_set.creators]
    return {"roles": [{"id": "creator", "title": "Creator"}],
            "parties": parties,
            "responsible-parties": [{"role-id": "creator", "party-uuids": [p["uuid"] for p in parties]}]}
