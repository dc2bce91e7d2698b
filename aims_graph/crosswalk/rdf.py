"""Compile mapping sets to RDF quads and read them back from a store.

Compilation yields a list of pyoxigraph ``Quad`` in the set's own named graph
(``graph/crosswalk-<stem>``), which the store layer loads as a module; ``to_turtle``
serialises the same statements, sorted, as deterministic Turtle for export.  Each
mapping becomes an ``aims:Mapping`` resource carrying every SSSOM column, so that
``mapping_sets_from_store`` rebuilds the table exactly, plus the plain SKOS match
between the two concepts for tools that only understand SKOS.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from aims_graph.crosswalk.model import MappingRecord, MappingSet, Method, Rationale, Relation, Status
from aims_graph.crosswalk.sssom_io import SCHEME_PREFIXES
from aims_graph.rdf.namespaces import AIMS, DCTERMS, SKOS, XSD

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_VERSION_INFO = "http://www.w3.org/2002/07/owl#versionInfo"
TURTLE_PREFIXES = {
    "aims": AIMS,
    "dcterms": DCTERMS,
    "skos": SKOS,
    "xsd": XSD,
    # the schemes under the crosswalks' own prefixes (euaiact:, as in their SSSOM files)
    **SCHEME_PREFIXES,
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PCHAR = "-._~!$&'()*+,;=:@"


def mapping_iri(mapping_set: MappingSet, record: MappingRecord) -> str:
    """``<set id>/<subject slug>--<object slug>``: readable and stable across versions.

    A set joins one subject scheme to one object scheme, so the two slugs identify a row.
    """
    def slug(iri: str) -> str:
        return quote(iri.rsplit("/", 1)[-1], safe=_PCHAR)

    return f"{mapping_set.id.rstrip('/')}/{slug(record.subject_id)}--{slug(record.object_id)}"


def compile_triples(mapping_set: MappingSet) -> list[ox.Triple]:
    """All statements of one set, sorted so that every serialisation is byte-stable."""
    node = ox.NamedNode
    set_node = node(mapping_set.id)
    triples: list[ox.Triple] = []

    def add(subject: ox.NamedNode, predicate: str, value: Any) -> None:
        if value in ("", None):
            return
        triples.append(ox.Triple(subject, node(predicate), value))

    def text(value: str) -> ox.Literal | None:
        return ox.Literal(value) if value else None

    add(set_node, RDF_TYPE, node(AIMS + "MappingSet"))
    add(set_node, DCTERMS + "title", text(mapping_set.title))
    add(set_node, DCTERMS + "description", text(mapping_set.description))
    add(set_node, OWL_VERSION_INFO, text(mapping_set.version))
    add(set_node, DCTERMS + "license", node(mapping_set.license))
    for creator in mapping_set.creators:
        add(set_node, DCTERMS + "creator", node(creator))
    add(set_node, AIMS + "subjectSource", node(mapping_set.subject_source))
    add(set_node, AIMS + "subjectVersion", text(mapping_set.subject_source_version))
    add(set_node, AIMS + "objectSource", node(mapping_set.object_source))
    add(set_node, AIMS + "objectVersion", text(mapping_set.object_source_version))
    if mapping_set.mapping_date:
        datatype = node(XSD + "date") if _DATE.match(mapping_set.mapping_date) else None
        add(set_node, DCTERMS + "date", ox.Literal(mapping_set.mapping_date, datatype=datatype))
    for record in mapping_set.mappings:
        m = node(mapping_iri(mapping_set, record))
        subject, obj = node(record.subject_id), node(record.object_id)
        add(m, RDF_TYPE, node(AIMS + "Mapping"))
        add(m, AIMS + "inMappingSet", set_node)
        add(m, AIMS + "subject", subject)
        add(m, AIMS + "subjectLabel", text(record.subject_label))
        add(m, AIMS + "object", obj)
        add(m, AIMS + "objectLabel", text(record.object_label))
        add(m, AIMS + "setRelation", node(record.relation.iri))
        add(m, AIMS + "rationale", node(record.rationale.iri))
        add(m, AIMS + "justification", text(record.comment))
        add(m, DCTERMS + "source", text(record.source))
        add(m, AIMS + "method", node(record.method.iri))
        add(m, AIMS + "confidence", ox.Literal(str(record.confidence), datatype=node(XSD + "decimal")))
        add(m, AIMS + "mappingStatus", node(record.status.iri))
        add(m, DCTERMS + "creator", node(record.author_id))
        add(m, AIMS + "reviewer", node(record.reviewer_id) if record.reviewer_id else None)
        add(m, AIMS + "subjectVersion", text(mapping_set.subject_source_version))
        add(m, AIMS + "objectVersion", text(mapping_set.object_source_version))
        if record.relation.skos_match:
            add(subject, record.relation.skos_match, obj)
    return sorted(set(triples), key=str)


def compile_quads(mapping_set: MappingSet) -> list[ox.Quad]:
    """The set's statements in its own named graph, ready for ``Store.extend``."""
    graph = ox.NamedNode(mapping_set.graph_name)
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in compile_triples(mapping_set)]


def to_turtle(*mapping_sets: MappingSet) -> str:
    """Deterministic Turtle of one or more sets: statements sorted, and the prefix block
    sorted too (the serialiser's own prefix order is not part of its contract)."""
    triples = sorted({t for mapping_set in mapping_sets for t in compile_triples(mapping_set)}, key=str)
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=TURTLE_PREFIXES)
    lines = data.decode("utf-8").splitlines()
    prefixes = sorted(line for line in lines if line.startswith("@prefix"))
    body = [line for line in lines if not line.startswith("@prefix")]
    return "\n".join(prefixes + [""] + body) + "\n"


_SETS_QUERY = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX aims: <https://w3id.org/aims-graph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?set ?title ?description ?version ?license ?subjectSource ?subjectVersion
       ?objectSource ?objectVersion ?date
WHERE {
  ?set a aims:MappingSet .
  OPTIONAL { ?set dcterms:title ?title }
  OPTIONAL { ?set dcterms:description ?description }
  OPTIONAL { ?set owl:versionInfo ?version }
  OPTIONAL { ?set dcterms:license ?license }
  OPTIONAL { ?set aims:subjectSource ?subjectSource }
  OPTIONAL { ?set aims:subjectVersion ?subjectVersion }
  OPTIONAL { ?set aims:objectSource ?objectSource }
  OPTIONAL { ?set aims:objectVersion ?objectVersion }
  OPTIONAL { ?set dcterms:date ?date }
}
"""

_CREATORS_QUERY = """
PREFIX aims: <https://w3id.org/aims-graph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?set ?creator WHERE { ?set a aims:MappingSet ; dcterms:creator ?creator } ORDER BY ?set ?creator
"""

_MAPPINGS_QUERY = """
PREFIX aims: <https://w3id.org/aims-graph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?set ?subject ?subjectLabel ?object ?objectLabel ?relation ?rationale ?justification
       ?source ?method ?confidence ?status ?creator ?reviewer
WHERE {
  ?mapping a aims:Mapping ; aims:inMappingSet ?set ; aims:subject ?subject ; aims:object ?object ;
           aims:setRelation ?relation ; aims:rationale ?rationale ; aims:method ?method ;
           aims:mappingStatus ?status .
  OPTIONAL { ?mapping aims:subjectLabel ?subjectLabel }
  OPTIONAL { ?mapping aims:objectLabel ?objectLabel }
  OPTIONAL { ?mapping aims:justification ?justification }
  OPTIONAL { ?mapping dcterms:source ?source }
  OPTIONAL { ?mapping aims:confidence ?confidence }
  OPTIONAL { ?mapping dcterms:creator ?creator }
  OPTIONAL { ?mapping aims:reviewer ?reviewer }
}
"""


def _value(solution: Any, name: str) -> str:
    term = solution[name]
    return "" if term is None else term.value


def _by_iri(kind: Any, iri: str) -> Any:
    return next(member for member in kind if member.iri == iri)


def mapping_sets_from_store(store: Any) -> list[MappingSet]:
    """Every mapping set in the store, rows sorted by (subject, object), sets by id.

    ``store`` is anything with ``query(sparql)`` answering over the union of graphs.
    """
    rows: dict[str, list[MappingRecord]] = {}
    for s in store.query(_MAPPINGS_QUERY):
        rows.setdefault(_value(s, "set"), []).append(
            MappingRecord(
                subject_id=_value(s, "subject"),
                subject_label=_value(s, "subjectLabel"),
                object_id=_value(s, "object"),
                object_label=_value(s, "objectLabel"),
                relation=_by_iri(Relation, _value(s, "relation")),
                rationale=_by_iri(Rationale, _value(s, "rationale")),
                comment=_value(s, "justification"),
                source=_value(s, "source"),
                author_id=_value(s, "creator"),
                reviewer_id=_value(s, "reviewer"),
                confidence=Decimal(_value(s, "confidence") or "0"),
                status=_by_iri(Status, _value(s, "status")),
                method=_by_iri(Method, _value(s, "method")),
            )
        )
    creators: dict[str, list[str]] = {}
    for s in store.query(_CREATORS_QUERY):
        creators.setdefault(_value(s, "set"), []).append(_value(s, "creator"))
    sets = []
    for s in store.query(_SETS_QUERY):
        set_id = _value(s, "set")
        sets.append(
            MappingSet(
                id=set_id,
                title=_value(s, "title"),
                description=_value(s, "description"),
                version=_value(s, "version"),
                license=_value(s, "license"),
                subject_source=_value(s, "subjectSource"),
                subject_source_version=_value(s, "subjectVersion"),
                object_source=_value(s, "objectSource"),
                object_source_version=_value(s, "objectVersion"),
                mapping_date=_value(s, "date"),
                mappings=tuple(sorted(rows.get(set_id, []), key=lambda r: r.key)),
                creators=tuple(creators.get(set_id, [])),
            )
        )
    return sorted(sets, key=lambda m: m.id)
