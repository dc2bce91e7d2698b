"""Read the shape of a SPARQL request without evaluating it, for the command line and
the library: tell a query from an update and a SELECT from a CONSTRUCT (to pick the
answer's format), and find a named query's variables.

Nothing here decides what a request may do: the HTTP service parses every request
with ``aims_graph.sparql`` and decides on the parse.
"""

from __future__ import annotations

import re

# Comments, string literals and IRIs: nothing inside them is SPARQL syntax.
OPAQUE_TOKENS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s+)<[^>]*>\s*)*", re.IGNORECASE)
_FORM = re.compile(r"^\s*(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE_WORD = re.compile(
    r"\b(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)


def without_comments(text: str) -> str:
    """Blank out comments and string literals but keep IRIs, so keywords are real keywords."""

    def keep_iris(match: re.Match[str]) -> str:
        token = match.group(0)
        return token if token.startswith("<") else " "

    return OPAQUE_TOKENS.sub(keep_iris, text)


def masked(text: str) -> str:
    """The text with comments, strings and IRIs blanked out, every offset kept."""
    return OPAQUE_TOKENS.sub(lambda m: " " * len(m.group(0)), text)


def query_form(text: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``, or None when it is not a query."""
    body = _PROLOGUE.sub("", without_comments(text), count=1)
    match = _FORM.match(body)
    return match.group(1).upper() if match else None


def is_update(text: str) -> bool:
    """True when the text is (or contains) a SPARQL Update operation rather than a query."""
    cleaned = without_comments(text)
    body = _PROLOGUE.sub("", cleaned, count=1)
    if _FORM.match(body):
        return False
    return bool(_UPDATE_WORD.search(body))

