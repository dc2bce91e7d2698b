"""Which graphs belong to the product and which to an organisation: one answer for
the HTTP service, the CLI and the spreadsheet import.

Three kinds of graph IRI:

* **reference**: the graph of a reference module (ontology, standards, crosswalks,
  shapes) or the ``meta`` graph that records their versions.  Only the reference
  loader (``aims_graph.knowledge.modules.ensure_reference``, run when a store opens and by
  ``aims-graph reload``) writes them: no write path takes them, whatever the role,
  because a change would be undone at the next open anyway and would silently
  change every organisation's conformance results meanwhile.
* **reserved**: any other IRI under ``https://w3id.org/aims-graph/graph/`` (a future
  module's name, ``derived``, a scratch graph): the product's namespace, written by an
  admin only.
* **organisation**: everything else, including the organisation graphs under that
  namespace (``data``, ``example`` and the spreadsheet imports' ``import/...``).

IRIs are compared after RFC 3986 syntax-based normalisation (case of scheme and host,
percent-encoded unreserved characters, dot segments, default port): RDF itself tells
``.../graph/%6Fntology`` from ``.../graph/ontology``, but a name that a reader cannot
tell from a reference graph's, or that a resolver would take for one, is no name for
an organisation's graph.
"""

from __future__ import annotations

import enum
import re
from typing import Iterable
from urllib.parse import urlsplit, urlunsplit

from aims_graph.errors import InputError
from aims_graph.knowledge.modules import GRAPH_BASE, reference_graphs
from aims_graph.store.base import DEFAULT_DATA_GRAPH

IMPORT_GRAPH_BASE = GRAPH_BASE + "import/"
ORGANISATION_GRAPHS = frozenset({DEFAULT_DATA_GRAPH, GRAPH_BASE + "example"})
ORGANISATION_PREFIXES = (IMPORT_GRAPH_BASE,)  # spreadsheet imports, one graph per source
_DEFAULT_PORTS = {"http": 80, "https": 443}
_UNRESERVED = re.compile(r"%([0-9A-Fa-f]{2})")


class GraphKind(enum.Enum):
    ORGANISATION = "organisation"
    RESERVED = "reserved"
    REFERENCE = "reference"


def normalised(iri: str) -> str:
    """``iri`` after RFC 3986 section 6.2.2 normalisation (an unparsable IRI is returned as is)."""
    try:
        parts = urlsplit(iri)
        port = parts.port
    except ValueError:
        return iri
    host = (parts.hostname or "").lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        userinfo = netloc.rpartition("@")[0] + "@" if "@" in netloc else ""
        keep_port = port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower())
        netloc = userinfo + host + (f":{port}" if keep_port else "")
    path = _remove_dot_segments(_decode_unreserved(parts.path))
    return urlunsplit((parts.scheme.lower(), netloc, path,
                       _decode_unreserved(parts.query), _decode_unreserved(parts.fragment)))


def _decode_unreserved(text: str) -> str:
    """Decode %XX of unreserved characters; upper-case the hex digits of the others."""
    def one(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if char.isascii() and (char.isalnum() or char in "-._~") else "%" + match.group(1).upper()

    return _UNRESERVED.sub(one, text)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)


def graph_kind(iri: str, reference: frozenset[str] | None = None) -> GraphKind:
    """Whether ``iri`` names a reference graph, a reserved one or an organisation's
    (``reference``: the normalised reference graph IRIs, when the caller has them)."""
    name = normalised(iri)
    if name in (reference if reference is not None else _reference_names()):
        return GraphKind.REFERENCE
    if name.startswith(GRAPH_BASE) and name not in ORGANISATION_GRAPHS and not name.startswith(ORGANISATION_PREFIXES):
        return GraphKind.RESERVED
    return GraphKind.ORGANISATION


def _reference_names() -> frozenset[str]:
    return frozenset(normalised(g) for g in reference_graphs())


def is_reference_graph(iri: str) -> bool:
    return graph_kind(iri) is GraphKind.REFERENCE


def of_kind(graphs: Iterable[str], kind: GraphKind) -> list[str]:
    """The graphs of ``kind`` among ``graphs``, sorted, each once."""
    reference = _reference_names()
    return sorted(g for g in set(graphs) if graph_kind(g, reference) is kind)


class ReferenceGraphWrite(InputError):
    """A write would change reference knowledge."""


def check_not_reference(graphs: Iterable[str], source: str) -> None:
    """Refuse (before anything is written) a write whose graphs include a reference graph."""
    reference = of_kind(graphs, GraphKind.REFERENCE)
    if reference:
        raise ReferenceGraphWrite(
            f"{source}: would write the reference graph(s) {', '.join(reference)}: reference knowledge "
            "is written only by the reference loader, from the files under ontology/ and shapes/ "
            "('aims-graph reload'); write organisation data to another graph")
