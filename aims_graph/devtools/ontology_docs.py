"""Human-readable documentation of the aims: vocabulary, generated from the Turtle.

pyLODE was the first choice, but its 3.x releases read their own ``pyproject.toml``
from site-packages at start-up and fail when installed from a wheel; this page is small
enough to write directly.  Every class, property and individual of the ``aims:``
namespace gets its label, definition, source, status and, for properties, domain and
range, with links between terms, in the manner of W3C DPV's documentation.
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from aims_graph.paths import ONTOLOGY_DIR
from aims_graph.rdf import namespaces

AIMS = Namespace(namespaces.AIMS)
VS = Namespace("http://www.w3.org/2003/06/sw-vocab-status/ns#")
SOURCES = ("aims.ttl", "crosswalk-vocabulary.ttl", "alignment.ttl")
_KINDS = (
    ("Classes", (OWL.Class,)),
    ("Object properties", (OWL.ObjectProperty,)),
    ("Datatype properties", (OWL.DatatypeProperty,)),
    ("Annotation properties", (OWL.AnnotationProperty,)),
    ("Individuals", (OWL.NamedIndividual,)),
)
_PREFIXES = {
    str(AIMS): "aims:", "https://w3id.org/airo#": "airo:", "https://w3id.org/dpv#": "dpv:",
    "https://w3id.org/dpv/ai#": "ai:", "https://w3id.org/dpv/legal/eu/aiact#": "eu-aiact:",
    "http://www.w3.org/ns/prov#": "prov:", "http://www.w3.org/ns/dcat#": "dcat:",
    str(SKOS): "skos:", str(RDFS): "rdfs:", str(OWL): "owl:", str(DCTERMS): "dcterms:",
    namespaces.XSD: "xsd:", "http://xmlns.com/foaf/0.1/": "foaf:",
}


def load_vocabulary(directory: Path = ONTOLOGY_DIR) -> Graph:
    graph = Graph()
    for name in SOURCES:
        graph.parse(directory / name)
    return graph


def _short(term: object) -> str:
    text = str(term)
    for namespace, prefix in _PREFIXES.items():
        if text.startswith(namespace):
            return prefix + text[len(namespace):]
    return text


def _anchor(term: URIRef) -> str:
    return str(term)[len(str(AIMS)):]


def _link(term: object) -> str:
    if isinstance(term, URIRef) and str(term).startswith(str(AIMS)):
        return f'<a href="#{html.escape(_anchor(term))}"><code>{html.escape(_short(term))}</code></a>'
    if isinstance(term, URIRef):
        return f'<a href="{html.escape(str(term))}"><code>{html.escape(_short(term))}</code></a>'
    return html.escape(str(term))


def _describe_class_expression(graph: Graph, node: object) -> str:
    """Named classes link; a union reads 'A or B' so that domains stay legible."""
    if isinstance(node, BNode):
        union = graph.value(node, OWL.unionOf)
        if union is not None:
            return " or ".join(_link(member) for member in Collection(graph, union))
        return "(class expression)"
    return _link(node)


def _english(graph: Graph, term: URIRef, predicate: URIRef) -> str:
    values = [o for o in graph.objects(term, predicate) if isinstance(o, Literal)]
    preferred = [v for v in values if v.language == "en"] or values
    return str(preferred[0]) if preferred else ""


def _terms(graph: Graph, types: Iterable[URIRef]) -> list[URIRef]:
    found = {s for t in types for s in graph.subjects(RDF.type, t)
             if isinstance(s, URIRef) and str(s).startswith(str(AIMS))}
    return sorted(found, key=lambda t: _anchor(t).lower())


def _row(graph: Graph, term: URIRef) -> str:
    facts: list[tuple[str, str]] = []
    for label, predicate in (("source", DCTERMS.source), ("status", VS.term_status)):
        values = [html.escape(str(v)) for v in graph.objects(term, predicate)]
        if values:
            facts.append((label, "; ".join(sorted(values))))
    for label, predicate in (("subclass of", RDFS.subClassOf), ("subproperty of", RDFS.subPropertyOf),
                             ("domain", RDFS.domain), ("range", RDFS.range)):
        values = [_describe_class_expression(graph, v) for v in graph.objects(term, predicate)]
        if values:
            facts.append((label, ", ".join(sorted(values))))
    types = [_link(t) for t in graph.objects(term, RDF.type)
             if isinstance(t, URIRef) and str(t).startswith(str(AIMS))]
    if types:
        facts.append(("type", ", ".join(sorted(types))))
    for label, predicate in (("exact match", SKOS.exactMatch), ("close match", SKOS.closeMatch)):
        values = [_link(v) for v in graph.objects(term, predicate)]
        if values:
            facts.append((label, ", ".join(sorted(values))))
    details = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    return (
        f'<section id="{html.escape(_anchor(term))}"><h3>{html.escape(_english(graph, term, RDFS.label))} '
        f"<code>{html.escape(_short(term))}</code></h3>"
        f"<p>{html.escape(_english(graph, term, SKOS.definition))}</p><dl>{details}</dl></section>"
    )


def render(graph: Graph) -> str:
    """The whole vocabulary as one self-contained HTML page."""
    ontology = URIRef("https://w3id.org/aims-graph/ontology")
    title = _english(graph, ontology, DCTERMS.title) or "aims-graph ontology"
    sections, toc = [], []
    for heading, types in _KINDS:
        terms = _terms(graph, types)
        if not terms:
            continue
        slug = heading.lower().replace(" ", "-")
        toc.append(f'<li><a href="#{slug}">{heading}</a> ({len(terms)})</li>')
        sections.append(f'<h2 id="{slug}">{heading}</h2>' + "".join(_row(graph, t) for t in terms))
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}"
        "section{border-top:1px solid #ddd;padding:.3em 0}dt{font-weight:bold;float:left;width:9em}"
        "dd{margin-left:10em}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{html.escape(_english(graph, ontology, DCTERMS.description))}</p>"
        f"<p>Namespace <code>{html.escape(str(AIMS))}</code>, version "
        f"{html.escape(str(graph.value(ontology, OWL.versionInfo) or ''))}. "
        "Generated from ontology/*.ttl by <code>make docs</code>.</p>"
        f"<ul>{''.join(toc)}</ul>{''.join(sections)}</body></html>"
    )


def write(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    target.write_text(render(load_vocabulary()), encoding="utf-8")
    return target


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Generate the HTML documentation of the aims: vocabulary.")
    parser.add_argument("--out", type=Path, default=Path("docs/ontology"))
    print(write(parser.parse_args().out))
