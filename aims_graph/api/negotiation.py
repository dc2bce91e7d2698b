"""Content negotiation for SPARQL answers (RFC 9110 Accept with q-values)."""

from __future__ import annotations

import pyoxigraph as ox

SOLUTION_TYPES: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}


class NotAcceptable(ValueError):
    """No media type the client accepts can carry this kind of answer."""


def _ranges(accept: str | None) -> list[tuple[float, int, str]]:
    ranges = []
    for index, part in enumerate((accept or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((quality, -index, media))
    return sorted(ranges, reverse=True)


def choose(accept: str | None, offered: dict[str, object], default: str) -> str:
    """The offered media type the client prefers; the default for ``*/*`` or no header."""
    for quality, _, media in _ranges(accept):
        if quality <= 0:
            continue
        if media in offered:
            return media
        if media in {"*/*", "*"}:
            return default
        if media.endswith("/*"):
            prefix = media[:-1]
            match = next((m for m in offered if m.startswith(prefix)), None)
            if match:
                return match
    raise NotAcceptable(
        f"none of the accepted media types ({accept}) fits this answer; offered: {', '.join(offered)}"
    )
