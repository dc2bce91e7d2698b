"""The catalogue of named competency questions (``aims_graph/queries/*.rq``).

One public surface for the CLI, the HTTP API and tests:

- ``list_queries()`` / ``get_query(name)``: the parsed headers (name, summary, tags,
  typed parameters) from which help texts and the OpenAPI schema are generated, with
  ``describe(query)`` and ``param_json_schema(spec)`` as JSON;
- ``run(store, name, params)``: check and bind the parameters, run the query and return a
  ``QueryAnswer`` (variables and rows of RDF terms, with JSON and CSV conversions);
- ``bound_sparql(store, name, params)``: the exact SPARQL that ``run`` sends, for callers
  that want the endpoint's own serialisation (``store.query_to_bytes``).

Parameter values are user input: they are validated into RDF terms and bound through a
VALUES block (see ``binding``), so no value can alter a query.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Mapping

import pyoxigraph as ox

from aims_graph.errors import InputError, NotFoundError
from aims_graph.named_queries.binding import bind, mentions_variable, where_offset
from aims_graph.named_queries.header import (
    NamedQuery,
    ParamSpec,
    ParamType,
    parse_query_file,
    parse_query_text,
)
from aims_graph.named_queries.params import bind_params, check_value, resolve_concept, scalar_term
from aims_graph.named_queries.results import QueryAnswer, answer_from, plain_value
from aims_graph.paths import QUERIES_DIR
from aims_graph.sparql.text import query_form
from aims_graph.store.base import Queryable, Store

__all__ = [
    "Catalogue",
    "NamedQuery",
    "ParamSpec",
    "ParamType",
    "QueryAnswer",
    "bound_sparql",
    "default_catalogue",
    "describe",
    "get_query",
    "list_queries",
    "param_json_schema",
    "parse_query_text",
    "plain_value",
    "resolve_concept",
    "run",
]


def _check_body(query: NamedQuery) -> None:
    """Refuse a query whose body cannot work with its header, naming the file."""
    where = str(query.path)
    if query.name != query.path.stem:
        raise InputError(f"{where}: query name {query.name!r} differs from the file name "
                         f"{query.path.stem!r}")
    if query_form(query.sparql) != "SELECT":
        raise InputError(f"{where}: a named query must be a SELECT query")
    for spec in query.params:
        if not mentions_variable(query.sparql, spec.name):
            raise InputError(f"{where}: parameter {spec.name!r} is not used as ?{spec.name} "
                             "in the query")
        if spec.default is not None:
            try:
                check_value(spec, spec.default)
            except ValueError as error:
                raise InputError(f"{where}: default of parameter {spec.name!r} "
                                 f"({spec.type}) is {error}") from None
    if query.params and where_offset(query.sparql) < 0:
        raise InputError(f"{where}: the query needs a 'WHERE {{' group to bind parameters in")
    try:
        # Parse (and run on nothing) with a placeholder for every parameter: catches syntax
        # errors and a VALUES block that does not fit, when the catalogue loads.
        ox.Store().query(bind(query.sparql, {p.name: ox.Literal("") for p in query.params}))
    except SyntaxError as error:
        raise InputError(f"{where}: SPARQL syntax error: {error}") from None


class Catalogue:
    """The named queries of one directory, checked when loaded."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        queries: dict[str, NamedQuery] = {}
        for path in sorted(directory.glob("*.rq")):
            query = parse_query_file(path)
            _check_body(query)
            queries[query.name] = query
        self._queries = queries

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def names(self) -> list[str]:
        return list(self._queries)

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._queries, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise NotFoundError(f"no query named {name!r}; {hint}the named queries are: "
                                f"{', '.join(sorted(self._queries))}") from None

    def bound_sparql(self, store: Queryable | None, name: str,
                     params: Mapping[str, object] | None = None) -> str:
        """The query text with the checked parameters bound (``store`` resolves concepts)."""
        query = self.get(name)
        return bind(query.sparql, bind_params(query, params or {}, store))

    def run(self, store: Store, name: str, params: Mapping[str, object] | None = None) -> QueryAnswer:
        """Answer one named query over the store's union of graphs."""
        sparql = self.bound_sparql(store, name, params)
        result = store.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError(f"query {name!r} did not return solutions")
        return answer_from(name, result)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The queries shipped in ``aims_graph/queries``, parsed once per process."""
    return Catalogue(QUERIES_DIR)


def list_queries() -> list[NamedQuery]:
    return list(default_catalogue())


def get_query(name: str) -> NamedQuery:
    return default_catalogue().get(name)


def run(store: Store, name: str, params: Mapping[str, object] | None = None) -> QueryAnswer:
    return default_catalogue().run(store, name, params)


def bound_sparql(store: Queryable | None, name: str, params: Mapping[str, object] | None = None) -> str:
    return default_catalogue().bound_sparql(store, name, params)


def param_json_schema(spec: ParamSpec) -> dict[str, object]:
    """A JSON Schema for one parameter, as OpenAPI wants it for a query-string parameter."""
    kind = spec.type.kind
    schema: dict[str, object]
    if kind == "integer":
        schema = {"type": "integer"}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "iri":
        schema = {"type": "string", "format": "iri"}
    elif kind == "enum":
        schema = {"type": "string", "enum": list(spec.type.choices)}
    elif kind == "concept":
        scheme = spec.type.scheme or "any scheme"
        schema = {"type": "string", "description": f"concept IRI or notation ({scheme})"}
    else:
        schema = {"type": "string"}
    if spec.default is not None:
        # Typed through the same rule as user input, so the schema shows 10, not "10".
        default = spec.default if kind in ("concept", "iri") else scalar_term(spec.type, spec.default)
        schema["default"] = plain_value(default) if not isinstance(default, str) else default
    return schema


def describe(query: NamedQuery) -> dict[str, object]:
    """A JSON-ready description of one query, as ``GET /queries`` lists it."""
    return {
        "name": query.name,
        "summary": query.summary,
        "description": query.description,
        "tags": list(query.tags),
        "parameters": [
            {
                "name": p.name,
                "type": str(p.type),
                "required": p.required,
                "default": p.default,
                "description": p.description,
                "schema": param_json_schema(p),
            }
            for p in query.params
        ],
    }
