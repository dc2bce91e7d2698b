"""Put parameter values into a query as a VALUES block, never by editing user text in.

grlc substitutes text for ``?_name`` placeholders, so a quote in a value can end a
literal and rewrite the query (grlc issue 101).  Here each value is already a validated
pyoxigraph term, serialised by ``str(term)`` (which escapes quotes, backslashes and line
breaks, and whose IRIs cannot contain ``>``), and all of them go into one inline
``VALUES`` block at the start of the outermost ``WHERE`` group.  The query text itself is
never touched otherwise, and the result is plain SPARQL 1.1 that any endpoint runs.
"""

from __future__ import annotations

import re
from typing import Mapping

import pyoxigraph as ox

from aims_graph.sparql.text import masked

_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def where_offset(sparql: str) -> int:
    """Offset just after the ``{`` that opens the outermost WHERE group; -1 if none."""
    match = _WHERE.search(masked(sparql))
    return match.end() if match else -1


def mentions_variable(sparql: str, name: str) -> bool:
    """True when ``?name`` or ``$name`` occurs as a variable outside comments and strings."""
    return re.search(rf"[?$]{re.escape(name)}\b", masked(sparql)) is not None


def values_block(terms: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``VALUES (?a ?b) { (<iri> "text") }``."""
    names = " ".join(f"?{name}" for name in terms)
    row = " ".join(str(term) for term in terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def bind(sparql: str, terms: Mapping[str, ox.NamedNode | ox.Literal | None]) -> str:
    """The query with ``terms`` bound; the text is unchanged when there is nothing to bind.

    A None (an optional parameter left unset) is left out of the block, which leaves its
    variable free just as ``UNDEF`` would: with an ``UNDEF`` row Virtuoso 7 answered
    ``risk-chain`` with a duplicate row."""
    given = {name: term for name, term in terms.items() if term is not None}
    if not given:
        return sparql
    offset = where_offset(sparql)
    if offset < 0:
        raise ValueError("the query has no WHERE group to bind parameters in")
    return f"{sparql[:offset]}\n  {values_block(given)}\n{sparql[offset:]}"
