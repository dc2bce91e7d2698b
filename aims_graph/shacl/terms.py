"""Vocabulary and term conversion shared by the SHACL engine.

pyoxigraph terms are the engine's own model; rdflib appears only at the edges
(pySHACL fallback, serialisers), so the conversions live here, in one place.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from aims_graph.rdf.namespaces import RDF, RDFS, XSD

SH = "http://www.w3.org/ns/shacl#"

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def sh(local: str) -> ox.NamedNode:
    """An IRI in the SHACL namespace."""
    return ox.NamedNode(SH + local)


RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
RDF_NIL = ox.NamedNode(RDF + "nil")
RDFS_CLASS = ox.NamedNode(RDFS + "Class")
RDFS_SUBCLASS_OF = ox.NamedNode(RDFS + "subClassOf")
OWL_IMPORTS = ox.NamedNode("http://www.w3.org/2002/07/owl#imports")
XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")
SH_VIOLATION = sh("Violation")


def to_rdflib(term: Term) -> rdflib.term.Node:
    """The rdflib twin of a pyoxigraph term (blank node ids are kept)."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":
        return rdflib.Literal(term.value)
    # normalize=False keeps the lexical form: rdflib would otherwise rewrite ill-formed
    # literals (e.g. "2011-01-01"^^xsd:dateTime), changing the values pySHACL reports
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value), normalize=False)


def from_rdflib(node: rdflib.term.Node) -> Term:
    """The pyoxigraph twin of an rdflib term (blank node ids are kept)."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"cannot convert {node!r} ({type(node).__name__}) to a pyoxigraph term")


def triples_to_rdflib(triples, graph: rdflib.Graph | None = None) -> rdflib.Graph:
    """Copy pyoxigraph triples or quads into an rdflib graph (graph names are dropped)."""
    graph = rdflib.Graph() if graph is None else graph
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph
