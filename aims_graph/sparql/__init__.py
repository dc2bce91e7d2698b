"""A SPARQL 1.1 Query and Update parser: the structure the service decides on, and the
re-serialised text it sends the engine (see ``parser`` and ``analysis``); and ``text``,
the light reading of a request's shape for the command line and named queries.

The names below load their module on first use: the command line imports ``text`` at
start-up and must not pay for compiling the parser's lexer there.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aims_graph.sparql.analysis import ANY_GRAPH, DEFAULT, Operation, ParsedRequest
    from aims_graph.sparql.errors import SparqlSyntaxError
    from aims_graph.sparql.parser import Limits, parse

_HOMES = {
    "ANY_GRAPH": "analysis", "DEFAULT": "analysis", "Operation": "analysis", "ParsedRequest": "analysis",
    "SparqlSyntaxError": "errors",
    "Limits": "parser", "parse": "parser",
}

__all__ = ["ANY_GRAPH", "DEFAULT", "Limits", "Operation", "ParsedRequest", "SparqlSyntaxError", "parse"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
