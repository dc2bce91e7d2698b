"""An OSCAL catalog of one reference scheme: every concept a control, nested as the
document nests its provisions, with the identifier and title only.

The text of ISO standards is copyrighted, and the schemes carry none of it; a catalog
holds no more than the scheme (no statements, no guidance), so every scheme is exported
the same way.  Every concept becomes a control rather than some becoming groups: a
crosswalk may map any concept (a clause, an article, a whole annex), and a mapping
collection can only point at controls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyoxigraph as ox

from aims_graph.crosswalk.index import SCHEME_ALIASES, natural_key
from aims_graph.errors import NotFoundError
from aims_graph.exports.oscal.documents import Document, control_id, document, metadata, prop
from aims_graph.rdf.namespaces import AIMS, DCTERMS, SCHEME_BASE, SKOS
from aims_graph.store.base import Store


@dataclass(frozen=True)
class Scheme:
    """A reference scheme as a catalog's metadata shows it."""

    name: str
    iri: str
    title: str
    version: str
    license: str


@dataclass(frozen=True)
class _Concept:
    iri: str
    notation: str
    title: str
    kind: str
    parent: str | None
    applies_from: str | None
    derived: bool
    provisional: bool


def reference_scheme(store: Store, name: str) -> Scheme:
    """The scheme called ``name`` (``iso42001``, or a crosswalk prefix such as ``euaiact``);
    :class:`NotFoundError` naming the schemes the store holds when it has no such scheme."""
    rows = list(store.query(f"""
        PREFIX skos: <{SKOS}>
        PREFIX dcterms: <{DCTERMS}>
        PREFIX aims: <{AIMS}>
        SELECT ?scheme (SAMPLE(?t) AS ?title) (SAMPLE(?v) AS ?version) (SAMPLE(?l) AS ?license) WHERE {{
          ?scheme a skos:ConceptScheme .
          FILTER(STRSTARTS(STR(?scheme), "{SCHEME_BASE}"))
          OPTIONAL {{ ?scheme dcterms:title ?t }}
          OPTIONAL {{ ?scheme aims:version ?v }}
          OPTIONAL {{ ?scheme dcterms:license ?l }}
        }} GROUP BY ?scheme
    """))  # type: ignore[arg-type]
    names = ((row["scheme"].value.removeprefix(SCHEME_BASE), row) for row in rows)
    schemes = {name: row for name, row in names if "/" not in name and "#" not in name}
    wanted = SCHEME_ALIASES.get(name, name)
    if wanted not in schemes:
        raise NotFoundError(f"no reference scheme {name!r} in the store; known: {', '.join(sorted(schemes))}")
    row = schemes[wanted]

    def text(key: str) -> str:
        return row[key].value if row[key] is not None else ""

    return Scheme(wanted, SCHEME_BASE + wanted, text("title") or wanted, text("version") or "unversioned",
                  text("license"))


def catalog(store: Store, scheme_name: str, *, last_modified: datetime) -> Document:
    """The OSCAL catalog of scheme ``scheme_name``, as the store holds it."""
    scheme = reference_scheme(store, scheme_name)
    concepts = _concepts(store, scheme.iri)
    children: dict[str | None, list[_Concept]] = {}
    for concept in concepts.values():
        parent = concept.parent if concept.parent in concepts else None
        children.setdefault(parent, []).append(concept)

    def controls(parent: str | None, ancestors: frozenset[str]) -> list[Document]:
        ordered = sorted(children.get(parent, []), key=lambda c: natural_key(c.notation))
        return [_control(c, controls(c.iri, ancestors | {c.iri})) for c in ordered if c.iri not in ancestors]

    links = [{"href": scheme.iri, "rel": "alternate"}]
    if scheme.license:
        links.append({"href": scheme.license, "rel": "license"})
    meta = metadata(scheme.title, scheme.version, last_modified, links=links,
                    remarks=f"Identifiers and titles only, as aims-graph's concept scheme {scheme.iri} carries "
                            "them; no text of the document itself.")
    return document("catalog", meta, {"controls": controls(None, frozenset())})


def _control(concept: _Concept, subcontrols: list[Document]) -> Document:
    props = [prop("label", concept.notation), prop("alt-identifier", concept.iri)]
    if concept.applies_from:
        props.append(prop("appliesFrom", concept.applies_from, AIMS))
    if concept.derived:
        props.append(prop("notationDerived", "true", AIMS))
    if concept.provisional:
        props.append(prop("provisional", "true", AIMS))
    control: Document = {"id": control_id(concept.iri), "title": concept.title, "props": props}
    if concept.kind:
        control["class"] = concept.kind
    if subcontrols:
        control["controls"] = subcontrols
    return control


def _concepts(store: Store, scheme_iri: str) -> dict[str, _Concept]:
    scheme = ox.NamedNode(scheme_iri)
    rows = list(store.query(f"""
        PREFIX skos: <{SKOS}>
        PREFIX aims: <{AIMS}>
        SELECT ?c (SAMPLE(?n) AS ?notation) (SAMPLE(?l) AS ?label) (SAMPLE(?b) AS ?broader)
               (SAMPLE(?k) AS ?kind) (MIN(?a) AS ?appliesFrom) (SAMPLE(?d) AS ?derived) (SAMPLE(?p) AS ?provisional)
        WHERE {{
          ?c skos:inScheme {scheme} ; skos:notation ?n .
          OPTIONAL {{ ?c skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), "en") || LANG(?l) = "") }}
          OPTIONAL {{ ?c skos:broader ?b . ?b skos:inScheme {scheme} }}
          OPTIONAL {{ ?c a ?k FILTER(STRSTARTS(STR(?k), "{AIMS}")) }}
          OPTIONAL {{ ?c aims:appliesFrom ?a }}
          OPTIONAL {{ ?c aims:notationDerived ?d }}
          OPTIONAL {{ ?c aims:provisional ?p }}
        }} GROUP BY ?c
    """))  # type: ignore[arg-type]

    def value(row: Any, key: str) -> str | None:
        return row[key].value if row[key] is not None else None

    concepts = {}
    for row in rows:
        iri, notation = row["c"].value, value(row, "notation") or ""
        concepts[iri] = _Concept(
            iri=iri, notation=notation, title=value(row, "label") or notation,
            kind=(value(row, "kind") or "").removeprefix(AIMS), parent=value(row, "broader"),
            applies_from=value(row, "appliesFrom"), derived=value(row, "derived") == "true",
            provisional=value(row, "provisional") == "true",
        )
    return concepts
