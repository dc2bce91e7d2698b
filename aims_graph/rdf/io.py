"""Reading and writing every common RDF syntax, atomically and without the network.

The whole input is parsed before anything is written: the store's ``load`` is one
transaction, so a malformed file leaves the store exactly as it was.  Parsing never
fetches anything (pyoxigraph's parsers resolve no JSON-LD remote context, no external
XML entity and no ``owl:imports``).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from aims_graph.errors import InputError, InputTooLarge
from aims_graph.rdf.input_guard import GUARDED_FORMATS, check_untrusted
from aims_graph.knowledge.graph_kinds import check_not_reference
from aims_graph.store.base import DEFAULT_DATA_GRAPH, Store
from aims_graph.store.embedded import EmbeddedStore
from aims_graph.rdf.unknown_terms import TermCheck, UnknownTerm, enforce

FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
_EXTENSIONS = {
    ".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nt": "ntriples",
    ".nq": "nquads", ".jsonld": "jsonld", ".json": "jsonld", ".rdf": "rdfxml",
    ".owl": "rdfxml", ".xml": "rdfxml",
}
_POSITION = re.compile(r"line (\d+) column (\d+)")
_LOG = logging.getLogger(__name__)
CLI_OVERRIDE = "--allow-unknown-terms"


def format_named(name: str) -> ox.RdfFormat:
    """The format for a user-facing name (``turtle``, ``nquads``...) or a media type."""
    key = name.strip().lower().replace("-", "").replace("_", "")
    if key in FORMATS:
        return FORMATS[key]
    media = name.split(";")[0].strip().lower()
    found = ox.RdfFormat.from_media_type(media) if "/" in media else None
    if found is None or found == ox.RdfFormat.N3:
        known = ", ".join(FORMATS)
        raise InputError(f"unknown RDF format {name!r}: use one of {known} or their media types")
    return found


def format_for_path(path: Path) -> ox.RdfFormat:
    name = _EXTENSIONS.get(path.suffix.lower())
    if name is None:
        raise InputError(
            f"{path}: cannot tell the RDF syntax from the extension {path.suffix or '(none)'!r}; "
            f"give --format ({', '.join(FORMATS)})"
        )
    return FORMATS[name]


def format_key(rdf_format: ox.RdfFormat) -> str:
    return next(key for key, value in FORMATS.items() if value == rdf_format)


def parse_error_message(source: str, error: Exception) -> str:
    """One line that names the input, the position the parser gives, and its reason."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    match = _POSITION.search(reason)
    where = f"{source}:{match.group(1)}:{match.group(2)}" if match else source
    return f"{where}: not valid RDF: {reason}"


def parse_failure(source: str, error: Exception) -> InputError:
    """The user error for a parser's refusal.  pyoxigraph raises MemoryError, before it
    allocates, for a single token above its 16 MiB buffer (a 30 MB IRI, say)."""
    if isinstance(error, MemoryError):
        return InputError(f"{source}: a single IRI or literal is longer than the parser accepts "
                          f"({error or 'out of memory'}); keep large content outside the graph")
    return InputError(parse_error_message(source, error))


PARSE_ERRORS = (SyntaxError, ValueError, MemoryError)
"""What pyoxigraph's parsers raise for an input they refuse."""


@dataclass(frozen=True)
class Survey:
    """What a body would write, read in one streaming pass before anything is stored."""

    graphs: frozenset[str]
    """The graph each quad names, and the target for the triples that name none."""
    quads: int
    named_graphs: bool
    """Whether any quad names a graph of its own."""
    unknown_terms: tuple[UnknownTerm, ...]
    """Terms of the product's namespaces that it does not define (``aims_graph.rdf.unknown_terms``)."""


def survey(data: bytes, rdf_format: ox.RdfFormat, graph: str | None, source: str,
           max_quads: int | None = None) -> Survey:
    """Parse ``data`` once, keeping no quad: its graphs, size and unknown terms, for the
    checks that must pass before a write (every quad's graph, a per-write quad limit, typos).

    Quads are not kept because a parsed quad costs Python objects worth 5-10 times its
    text, and a request's memory must stay bounded whatever its size (docs/reliability.md).
    """
    check_untrusted(data, rdf_format, source)
    return _survey(ox.parse(data, format=rdf_format), graph, source, max_quads)


def survey_file(path: Path, rdf_format: ox.RdfFormat, graph: str | None) -> Survey:
    """``survey`` for a file, streamed by the parser (a large file never sits in memory)."""
    if rdf_format in GUARDED_FORMATS:
        check_untrusted(read_file(path), rdf_format, str(path))
    try:
        quads = ox.parse(format=rdf_format, path=str(path))
    except OSError as error:
        raise InputError(f"{path}: cannot read the file: {error.strerror or error}") from error
    return _survey(quads, graph, str(path), None)


def _survey(quads: Iterable[ox.Quad], graph: str | None, source: str, max_quads: int | None) -> Survey:
    target = graph or DEFAULT_DATA_GRAPH
    graphs: set[str] = set()
    terms = TermCheck()
    named = False
    count = 0
    try:
        for quad in quads:
            count += 1
            if max_quads is not None and count > max_quads:
                break
            terms.see(quad)
            if isinstance(quad.graph_name, ox.NamedNode):
                named = True
                graphs.add(quad.graph_name.value)
            else:
                graphs.add(target)
    except PARSE_ERRORS as error:
        raise parse_failure(source, error) from error
    if max_quads is not None and count > max_quads:
        raise InputTooLarge(f"{source}: more than {max_quads:,} quads in one write (AIMS_GRAPH_MAX_QUADS): "
                            "split the data into several requests, or load it with `aims-graph load` "
                            "on the store itself")
    return Survey(frozenset(graphs), count, named, tuple(terms.found.values()))


def check_parses(data: bytes, rdf_format: ox.RdfFormat, source: str) -> None:
    """Parse a whole input without keeping it; raises InputError at the first defect."""
    check_untrusted(data, rdf_format, source)
    try:
        for _ in ox.parse(data, format=rdf_format):
            pass
    except PARSE_ERRORS as error:
        raise parse_failure(source, error) from error


def load_bytes(store: Store, data: bytes, rdf_format: ox.RdfFormat, *, graph: str | None,
               source: str) -> None:
    """Load one serialisation atomically, turning parser errors into a user error."""
    try:
        store.load(data, rdf_format, graph)
    except InputError:
        raise
    except PARSE_ERRORS as error:
        raise parse_failure(source, error) from error


def read_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file: {error.strerror or error}") from error


def load_files(store: Store, paths: list[Path], *, graph: str | None = None,
               rdf_format: ox.RdfFormat | None = None, allow_unknown_terms: bool = False) -> int:
    """Load several files as one import: all are read and checked before any is written.

    No file may write a reference graph (a quad naming one, or ``graph``), nor use a term
    of the product's namespaces that it does not define (unless ``allow_unknown_terms``:
    then each is logged as a warning): both are refused before anything is written.

    A single file needs no separate check: the store's load refuses a malformed input
    before writing (one transaction, or for a large on-disk load a full parse first;
    see ``EmbeddedStore._load``).  Returns the number of quads the store gained.
    """
    for path in paths:
        body = survey_file(path, rdf_format or format_for_path(path), graph)
        check_not_reference(set(body.graphs), str(path))
        _enforce_terms(body.unknown_terms, str(path), allow_unknown_terms)
    if len(paths) == 1 and isinstance(store, EmbeddedStore):
        return _load_one_file(store, paths[0], graph, rdf_format or format_for_path(paths[0]))
    prepared = []
    for path in paths:
        chosen = rdf_format or format_for_path(path)
        data = read_file(path)
        if len(paths) > 1:
            check_parses(data, chosen, str(path))
        prepared.append((path, data, chosen))
    before = len(store)
    for path, data, chosen in prepared:
        load_bytes(store, data, chosen, graph=graph, source=str(path))
    return len(store) - before


def _load_one_file(store: EmbeddedStore, path: Path, graph: str | None, rdf_format: ox.RdfFormat) -> int:
    """One file into an embedded store, read by pyoxigraph itself (a large file never
    passes through Python memory: see ``EmbeddedStore.load_path``)."""
    before = len(store)
    try:
        store.load_path(path, rdf_format, graph)
    except PARSE_ERRORS as error:
        raise parse_failure(str(path), error) from error
    except OSError as error:
        raise InputError(f"{path}: cannot read the file: {error.strerror or error}") from error
    return len(store) - before


def _enforce_terms(found: Iterable[UnknownTerm], source: str, allow: bool) -> None:
    for warning in enforce(found, source, allow=allow, override=CLI_OVERRIDE):
        _LOG.warning("%s", warning)


def replace_graph_with_files(store: Store, paths: list[Path], graph: str,
                             rdf_format: ox.RdfFormat | None = None, allow_unknown_terms: bool = False) -> int:
    """Make ``graph`` hold exactly the triples of ``paths``; re-running it changes nothing.

    The files are merged in a scratch store first, so a defect in any of them leaves
    the graph as it was.  Returns the number of triples the graph now holds.
    """
    check_not_reference({graph}, f"--graph {graph}")
    merged = ox.Store()
    target = ox.NamedNode(graph)
    for path in paths:
        chosen = rdf_format or format_for_path(path)
        data = read_file(path)
        check_untrusted(data, chosen, str(path))
        try:
            merged.load(data, format=chosen, to_graph=target)
        except PARSE_ERRORS as error:
            raise parse_failure(str(path), error) from error
    _enforce_terms(TermCheck().see_all(merged).found.values(), ", ".join(map(str, paths)), allow_unknown_terms)
    store.replace_graph(graph, merged.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=target),
                        ox.RdfFormat.N_TRIPLES)
    return len(merged)
