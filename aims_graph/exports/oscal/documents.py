"""What every OSCAL document aims-graph writes shares: the OSCAL version, identifiers,
metadata, properties named by ontology terms, and the JSON text.

The documents are plain dicts in OSCAL's JSON form, so writing them needs no OSCAL
library; the tests load each one into compliance-trestle's models, which are generated
from OSCAL's own schemas.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aims_graph.rdf.namespaces import SCHEME_BASE

OSCAL_VERSION = "1.2.1"
"""The OSCAL release the documents follow: the first with the mapping model's ``no-relationship``."""

Document = dict[str, Any]
CatalogHref = Callable[[str], str]
"""Where a document that points at a catalog finds the catalog of a scheme (given its name)."""


def catalog_file(scheme: str) -> str:
    """The default reference to a scheme's catalog: the file name that ``aims-graph export
    --format oscal-catalog --scheme SCHEME --out`` is documented to write, beside the document."""
    return f"{scheme}.catalog.json"


def object_uuid(*names: str) -> str:
    """A name-based (version 5) UUID: the same subject gets the same UUID in every export,
    as OSCAL asks of the UUIDs of things that persist across revisions of a document."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "#".join(names)))


def document(kind: str, metadata: Document, body: Document) -> Document:
    """``{kind: {uuid, metadata, ...body}}``.  The document's UUID is derived from its content
    (its last-modified time aside), so that it changes when the document is revised, as OSCAL
    requires, and only then: two exports of the same data are the same document."""
    content = json.dumps([kind, {k: v for k, v in metadata.items() if k != "last-modified"}, body],
                         sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return {kind: {"uuid": object_uuid(f"https://w3id.org/aims-graph/oscal/{kind}", digest),
                   "metadata": metadata, **body}}


def metadata(title: str, version: str, last_modified: datetime, **more: Any) -> Document:
    """The metadata every OSCAL document needs, and the optional parts given in ``more``
    (OSCAL's hyphenated names: ``more={"responsible-parties": ...}`` through ``**``)."""
    if last_modified.tzinfo is None:
        raise ValueError("OSCAL wants a last-modified time with a time zone")
    stamp = last_modified.astimezone(UTC).replace(microsecond=0).isoformat()
    return {"title": one_line(title), "last-modified": stamp, "version": one_line(version),
            "oscal-version": OSCAL_VERSION, **{k: v for k, v in more.items() if v}}


def prop(name: str, value: str, ns: str | None = None) -> Document:
    """An OSCAL property.  With ``ns`` the pair names an RDF property (``ns`` + ``name`` is
    ``aims:appliesFrom``, ``dcterms:source`` ...): the terms of the ontology, not new ones."""
    made = {"name": name, "value": one_line(value)}
    return {**made, "ns": ns} if ns else made


def one_line(text: str) -> str:
    """``text`` with its whitespace runs made single spaces: OSCAL's single-line strings and
    tokens refuse line breaks and leading or trailing space."""
    return " ".join(text.split())


def scheme_of(concept_iri: str) -> str:
    """The scheme name of a reference concept (``https://w3id.org/aims-graph/iso42001/A.5.2``
    -> ``iso42001``), read from the IRI's path as docs/architecture.md fixes it."""
    return concept_iri.removeprefix(SCHEME_BASE).split("/", 1)[0]


def control_id(concept_iri: str) -> str:
    """The OSCAL control id of a reference concept: its IRI slug (``A.5.2``, ``Article-9``,
    ``GOVERN-1.1``), with ``clause-`` before a slug that starts with a digit, because an OSCAL
    id is a token and cannot; in the ISO documents such a number is a clause number."""
    slug = concept_iri.rstrip("/").rsplit("/", 1)[-1]
    return f"clause-{slug}" if slug[:1].isdigit() else slug


def to_json(doc: Document) -> bytes:
    """The document as OSCAL JSON text (UTF-8, indented, one newline at the end)."""
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
