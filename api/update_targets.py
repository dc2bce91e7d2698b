"""Which graphs a SPARQL update may write, read from its text in linear time.

A full SPARQL parser is no option here: rdflib's takes a minute for 170 kB of
``INSERT DATA``, and pyoxigraph exposes no update algebra.  The update grammar makes a
scan enough: at the top level (brace depth 0) every ``{...}`` group is either a
template or data block (after ``INSERT``, ``DELETE``, ``DATA``, or ``WHERE`` in
``DELETE WHERE``), which writes, or a ``WHERE`` pattern, which only reads.  Inside a
written block, ``GRAPH g {`` names a target graph and anything outside such a group
goes to the default graph (``WITH g`` when given).  Graph-management operations name
their targets after ``INTO``, ``TO``, ``CREATE``, ``DROP``, ``CLEAR`` and ``MOVE``.

The answer errs on the side of "more": a variable graph, ``ALL`` or ``NAMED`` yield
``ANY_GRAPH``, and a token the scan cannot place does too.  Comments and string
literals are blanked first, so neither can hide or fake a keyword or a brace.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urljoin

from aims_graph.sparql_text import without_comments

ANY_GRAPH = "any graph"
DEFAULT = "the default graph"

_TOKEN = re.compile(
    r"<[^<>\"{}|^`\\\s]*>"          # IRI
    r"|[?$][\w]+"                   # variable
    r"|[A-Za-z_][\w.-]*:[^\s{}();,]*|:[^\s{}();,]*"  # prefixed name
    r"|[A-Za-z]+"                   # keyword
    r"|[{};]"                       # structure
)
_WRITING_BLOCK = {"INSERT", "DELETE", "DATA"}
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def graphs_written(update: str) -> set[str]:
    """The graphs ``update`` may write: IRIs, ``DEFAULT`` or ``ANY_GRAPH``."""
    # Codepoint escapes are decoded in IRIs by the engine, so they are decoded here too.
    cleaned = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), without_comments(update))
    prefixes: dict[str, set[str]] = {}
    for match in re.finditer(r"PREFIX\s+([\w.-]*):\s*<([^>]*)>", cleaned, re.I):
        prefixes.setdefault(match.group(1), set()).add(match.group(2))
    resolve = _Resolver(prefixes, set(re.findall(r"BASE\s*<([^>]*)>", cleaned, re.I)))
    tokens = [m.group(0) for m in _TOKEN.finditer(cleaned)]
    written: set[str] = set()
    # Per operation, only what the rules look at: its verb, its WITH graph and its last
    # four tokens, so that the scan stays linear however long the operation is.
    verb, with_graph, recent = "", DEFAULT, deque(maxlen=4)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        upper = token.upper()
        if token == ";":
            verb, with_graph, recent = "", DEFAULT, deque(maxlen=4)
        elif token == "{":
            end = _closing(tokens, index)
            before = [t.upper() for t in list(recent)[-2:]]
            if before and (before[-1] in _WRITING_BLOCK or before == ["DELETE", "WHERE"]):
                written |= _block_targets(tokens[index + 1:end], with_graph, resolve)
            recent.append("{}")
            index = end
        else:
            if recent and recent[-1].upper() == "WITH":
                with_graph = resolve(token)
            if not verb and upper not in {"PREFIX", "BASE"} and not token.endswith(":") and not token.startswith("<"):
                verb = upper
            recent.append(token)
            written |= _management_targets(list(recent), verb, resolve)
        index += 1
    return written


class _Resolver:
    """Graph references to IRIs.  A prefix or base declared twice with different IRIs
    (the operations of one request may each have a prologue) resolves to ``ANY_GRAPH``:
    the scan does not track which declaration an operation sees."""

    def __init__(self, prefixes: dict[str, set[str]], bases: set[str]) -> None:
        self.prefixes = prefixes
        self.bases = bases

    def __call__(self, token: str) -> str:
        """A graph reference as an IRI; ``ANY_GRAPH`` for a variable or anything unclear."""
        if token.startswith("<"):
            return self._absolute(token[1:-1])
        prefix, colon, local = token.partition(":")
        if colon and len(self.prefixes.get(prefix, ())) == 1:
            return self._absolute(next(iter(self.prefixes[prefix]))) + local
        return ANY_GRAPH

    def _absolute(self, iri: str) -> str:
        """Relative IRIs are resolved against the base, dot segments removed, as the engine does."""
        if _ABSOLUTE.match(iri) or not self.bases:
            return iri
        return urljoin(next(iter(self.bases)), iri) if len(self.bases) == 1 else ANY_GRAPH


def _closing(tokens: list[str], start: int) -> int:
    depth = 0
    for index in range(start, len(tokens)):
        depth += {"{": 1, "}": -1}.get(tokens[index], 0)
        if depth == 0:
            return index
    return len(tokens)  # unbalanced: the engine will refuse it; scan what there is


def _block_targets(block: list[str], default: str, resolve: _Resolver) -> set[str]:
    """Targets of one template or data block: its GRAPH groups, else the default graph."""
    found: set[str] = set()
    outside = False
    index = 0
    while index < len(block):
        if block[index].upper() == "GRAPH" and index + 2 < len(block) and block[index + 2] == "{":
            found.add(resolve(block[index + 1]))
            index = _closing(block, index + 2)
        elif block[index] not in {";", "}"}:
            outside = True
        index += 1
    if outside:
        found.add(default)
    return found


def _management_targets(recent: list[str], verb: str, resolve: _Resolver) -> set[str]:
    """Targets named by the operation's last tokens (LOAD INTO, DROP, COPY ... TO ...)."""
    upper = [t.upper() for t in recent]
    last = upper[-1]
    if last in {"ALL", "NAMED"} and verb in {"DROP", "CLEAR"}:
        return {ANY_GRAPH}
    if last == "DEFAULT" and len(upper) > 1 and upper[-2] in {"TO", "DROP", "CLEAR", "SILENT"}:
        return {DEFAULT}
    if last in {"GRAPH", "SILENT", "TO", "INTO"}:
        return set()
    previous = [t for t in upper[:-1] if t not in {"GRAPH", "SILENT"}]
    if not previous:
        return set()
    trigger = previous[-1]
    if trigger in {"INTO", "TO"} or (trigger in {"CREATE", "DROP", "CLEAR"} and verb == trigger):
        return {resolve(recent[-1])}
    if trigger == "MOVE" and verb == "MOVE":  # MOVE empties its source
        return {DEFAULT if last == "DEFAULT" else resolve(recent[-1])}
    return set()
