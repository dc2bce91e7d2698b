"""The namespaces aims-graph writes and reads, in one table.

CURIEs typed by a user (``aims:AISystem``, ``eu-ai-act:Article-9``) are expanded
with this table, and output shortens IRIs with it, so the two always agree.
"""

from __future__ import annotations

AIMS = "https://w3id.org/aims-graph/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SCHEME_BASE = "https://w3id.org/aims-graph/"

PREFIXES: dict[str, str] = {
    "aims": AIMS,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcat": "http://www.w3.org/ns/dcat#",
    **{scheme: f"{SCHEME_BASE}{scheme}/"
       for scheme in ("iso42001", "iso23894", "iso22989", "iso27001", "eu-ai-act", "nist-ai-rmf")},
}
"""Prefix -> namespace IRI for every vocabulary and reference scheme the project uses."""


def expand(curie: str) -> str | None:
    """The IRI of ``prefix:local`` when the prefix is one of ours, else None."""
    prefix, colon, local = curie.partition(":")
    if not colon or prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + local


def curie(iri: str) -> str:
    """``iri`` as ``prefix:local`` with the longest namespace of the table that it starts
    with, or the IRI unchanged when none fits (output stays exact, only shorter).

    A local part with ``/`` or ``#`` is not shortened: ``iso42001:`` must not swallow an
    IRI that merely shares its start with a concept scheme.
    """
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns) and len(iri) > len(ns)), key=len, default=None)
    if best is None:
        return iri
    local = iri[len(best):]
    if "/" in local or "#" in local:
        return iri
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{local}"
