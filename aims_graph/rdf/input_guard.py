"""Refuse inputs built to exhaust the parser, decided on a parse of their structure.

pyoxigraph's parsers are fast and safe for ordinary input, but some shapes cost far more
than their size:

* RDF/XML: internal XML entities are expanded without limit (a 1 kB "billion laughs"
  document becomes gigabytes), and parsing time grows with the square of the element
  depth (60,000 levels, 2.76 MB: 72 s).
* JSON-LD: memory grows with the square of the nesting depth (10,000 levels: over 6 GB),
  and with every inline ``@context`` the whole active context is copied for the objects
  below it (252 levels of 1,200 terms each, 9.4 MB: 6.7 GB, then the process aborted).

Every store write passes its input through ``check_untrusted`` first.  The decision is
made on a real tokeniser's events (expat for XML, ijson's C parser for JSON), which
stream: the pass itself keeps no tree and needs little memory whatever the input.  A
document the tokeniser cannot read is refused here too, so no shape the checks did not
see can reach pyoxigraph.  The limits are far above what any honest governance record
needs and far below what hurts.
"""

from __future__ import annotations

import io
import xml.parsers.expat
from dataclasses import dataclass, field

import ijson  # type: ignore[import-untyped]
import pyoxigraph as ox

from aims_graph.errors import InputError

MAX_JSON_DEPTH = 256
"""Nested JSON objects and arrays."""
MAX_JSON_MEMBERS = 5_000_000
"""Keys plus values in one JSON-LD document (a 50 MB body of short values has about 3 million)."""
MAX_CONTEXT_TERMS = 100_000
"""Term definitions in all the ``@context`` values of one document together."""
MAX_CONTEXT_WORK = 250_000
"""The expansion work of the contexts: for every object that carries a ``@context``, the
number of terms active there (its own plus every enclosing object's).  This is what the
JSON-LD parser copies, and holds while it reads nested objects: about 630 bytes each
(measured with pyoxigraph 0.5), so the limit keeps that near 160 MB."""
MAX_XML_DEPTH = 256
"""Nested XML elements in RDF/XML."""

GUARDED_FORMATS = (ox.RdfFormat.RDF_XML, ox.RdfFormat.JSON_LD, ox.RdfFormat.STREAMING_JSON_LD)
"""The formats whose parsers can be exhausted; other inputs need no pass."""
_CONTEXT = "@context"
_JSON_CONTAINERS = {"start_map": True, "start_array": False}


def check_untrusted(data: bytes, rdf_format: ox.RdfFormat, source: str) -> None:
    """Raise InputError when ``data`` is a parser bomb for ``rdf_format``."""
    if rdf_format == ox.RdfFormat.RDF_XML:
        check_xml(data, source)
    elif rdf_format in (ox.RdfFormat.JSON_LD, ox.RdfFormat.STREAMING_JSON_LD):
        check_jsonld(data, source)


# --- RDF/XML ----------------------------------------------------------------------------

class _XmlRefused(Exception):
    """Raised from an expat handler to stop the pass at once."""


def check_xml(data: bytes, source: str) -> None:
    """Refuse XML that declares an entity or nests deeper than ``MAX_XML_DEPTH``."""
    parser = xml.parsers.expat.ParserCreate()
    depth = 0

    def opened(_name: str, _attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > MAX_XML_DEPTH:
            raise _XmlRefused(f"RDF/XML nested more than {MAX_XML_DEPTH} elements deep is refused "
                              f"(line {parser.CurrentLineNumber})")

    def closed(_name: str) -> None:
        nonlocal depth
        depth -= 1

    def entity(name: str, is_parameter: bool, *_: object) -> None:
        kind = "parameter entity" if is_parameter else "entity"
        raise _XmlRefused(f"RDF/XML with an XML {kind} declaration (<!ENTITY {'% ' if is_parameter else ''}"
                          f"{name} ...>, line {parser.CurrentLineNumber}) is refused: entities are not "
                          "needed for RDF and are the vehicle of entity-expansion attacks")

    parser.StartElementHandler = opened
    parser.EndElementHandler = closed
    parser.EntityDeclHandler = entity
    # Never resolve anything outside the document (no DTD, no external entity).
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except _XmlRefused as refusal:
        raise InputError(f"{source}: {refusal}") from None
    except xml.parsers.expat.ExpatError as error:
        raise InputError(f"{source}:{error.lineno}:{error.offset + 1}: not well-formed XML: "
                         f"{xml.parsers.expat.ErrorString(error.code)}") from None


# --- JSON-LD ----------------------------------------------------------------------------

@dataclass
class _Container:
    """One open JSON object or array during the counting pass."""

    is_object: bool
    context_of: "_Container | None" = None
    """The node object whose ``@context`` this container is (or is an item of)."""
    own_terms: int = 0
    """Term definitions of this object's own ``@context``."""
    bearers_below: int = 0
    """Objects with a ``@context`` inside this one (itself included once it closes)."""
    next_is_context: bool = False


@dataclass
class JsonShape:
    """What the counting pass measured; ``refusal`` names the first limit passed."""

    depth: int = 0
    members: int = 0
    context_terms: int = 0
    context_work: int = 0
    stack: list[_Container] = field(default_factory=list)

    def refusal(self) -> str | None:
        if len(self.stack) > MAX_JSON_DEPTH:
            return f"JSON-LD nested more than {MAX_JSON_DEPTH} levels deep is refused"
        if self.members > MAX_JSON_MEMBERS:
            return f"JSON-LD with more than {MAX_JSON_MEMBERS:,} keys and values is refused"
        if self.context_terms > MAX_CONTEXT_TERMS:
            return (f"JSON-LD whose @context values define more than {MAX_CONTEXT_TERMS:,} terms "
                    "in all is refused")
        if self.context_work > MAX_CONTEXT_WORK:
            return (f"JSON-LD whose nested @context values add up to more than {MAX_CONTEXT_WORK:,} "
                    "active term definitions is refused (each object with a @context copies every "
                    "term active around it): define the terms once, in the top-level @context")
        return None

    def open(self, is_object: bool) -> None:
        parent = self.stack[-1] if self.stack else None
        context_of = None
        if parent is not None and parent.next_is_context:
            context_of = parent
            parent.next_is_context = False
        elif parent is not None and not parent.is_object:
            context_of = parent.context_of  # an item of an array of contexts
        self.stack.append(_Container(is_object, context_of))
        self.depth = max(self.depth, len(self.stack))

    def key(self, name: str) -> None:
        self.members += 1
        container = self.stack[-1]
        if container.context_of is not None and container.is_object:
            container.context_of.own_terms += 1
            self.context_terms += 1
        container.next_is_context = name == _CONTEXT

    def scalar(self) -> None:
        self.members += 1
        if self.stack:
            self.stack[-1].next_is_context = False  # a context given as an IRI or null

    def close(self) -> None:
        container = self.stack.pop()
        below = container.bearers_below
        if container.own_terms:
            below += 1
            self.context_work += container.own_terms * below
        if self.stack:
            self.stack[-1].bearers_below += below


def measure_json(data: bytes) -> JsonShape:
    """Count a JSON document's nesting, members and context work, stopping at the first
    limit passed.  Raises ``ijson.JSONError`` on text that is not JSON."""
    shape = JsonShape()
    for event, value in ijson.basic_parse(io.BytesIO(data)):
        if event in _JSON_CONTAINERS:
            shape.open(_JSON_CONTAINERS[event])
        elif event == "map_key":
            shape.key(value)
        elif event in ("end_map", "end_array"):
            shape.close()
        else:
            shape.scalar()
        if shape.refusal() is not None:
            break
    return shape


def check_jsonld(data: bytes, source: str) -> None:
    """Refuse JSON-LD past the depth, size or context-work limits, or not JSON at all."""
    try:
        shape = measure_json(data)
    except ijson.JSONError as error:
        raise InputError(f"{source}: not valid JSON: {str(error).strip() or type(error).__name__}") from None
    refusal = shape.refusal()
    if refusal is not None:
        raise InputError(f"{source}: {refusal}")
