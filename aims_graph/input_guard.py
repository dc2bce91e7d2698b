"""Refuse inputs built to exhaust the parser before any parser sees them.

pyoxigraph's RDF/XML parser expands internal XML entities without limit (a 1 kB
"billion laughs" document becomes gigabytes), and its JSON-LD parser needs memory that
grows with the square of the nesting depth (10,000 levels take more than 6 GB).  Both
would end the process, so every store write passes its input through ``check_untrusted``
first: it costs a scan of the text and refuses what no honest governance record needs.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from aims_graph.errors import InputError

MAX_JSON_DEPTH = 256
GUARDED_FORMATS = (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD, ox.RdfFormat.STREAMING_JSON_LD)
"""The formats whose parsers can be exhausted; other inputs need no scan."""
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")


def check_untrusted(data: bytes, rdf_format: ox.RdfFormat, source: str) -> None:
    """Raise InputError when ``data`` is a parser bomb for ``rdf_format``."""
    if rdf_format == ox.RdfFormat.RDF_XML and b"<!ENTITY" in data:
        raise InputError(
            f"{source}: RDF/XML with an XML entity declaration (<!ENTITY) is refused: entities "
            "are not needed for RDF and are the vehicle of entity-expansion attacks"
        )
    if rdf_format in (ox.RdfFormat.JSON_LD, ox.RdfFormat.STREAMING_JSON_LD):
        depth = deepest_nesting(data)
        if depth > MAX_JSON_DEPTH:
            raise InputError(
                f"{source}: JSON-LD nested {depth} levels deep is refused (at most {MAX_JSON_DEPTH})"
            )


def deepest_nesting(data: bytes) -> int:
    """The deepest nesting of JSON arrays and objects, strings left out."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub(b'""', data)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest
