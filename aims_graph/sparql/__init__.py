"""A SPARQL 1.1 Query and Update parser: the structure the service decides on, and the
re-serialised text it sends the engine (see ``parser`` and ``analysis``)."""

from aims_graph.sparql.analysis import ANY_GRAPH, DEFAULT, Operation, ParsedRequest
from aims_graph.sparql.errors import SparqlSyntaxError
from aims_graph.sparql.parser import Limits, parse

__all__ = ["ANY_GRAPH", "DEFAULT", "Limits", "Operation", "ParsedRequest", "SparqlSyntaxError", "parse"]
