"""Turn user-given parameter values into checked RDF terms.

Every value becomes a pyoxigraph ``NamedNode`` or ``Literal`` before it goes near a query:
the term constructors validate (an IRI with a space or ``>`` is refused) and ``str(term)``
escapes, so user text can never change the shape of a query.  Concept parameters accept
what people actually type (``A.6.2.4``, ``Article 26``, ``iso42001:6.1.2`` or the full IRI)
and are resolved against the store, so a typo is reported instead of answered with nothing.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Mapping

import pyoxigraph as ox

from aims_graph.dates import NotADate, parse_date
from aims_graph.errors import InputError, NotFoundError
from aims_graph.knowledge.reference import notation_slug, table_schemes
from aims_graph.named_queries.header import NamedQuery, ParamSpec, ParamType
from aims_graph.rdf.namespaces import SCHEME_BASE, XSD
from aims_graph.store.base import Queryable

Term = ox.NamedNode | ox.Literal
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_BOOLEANS = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False}
_MAX_TEXT = 2000


@lru_cache(maxsize=1)
def scheme_aliases() -> dict[str, str]:
    """Scheme names and their SSSOM prefixes (``euaiact``) -> scheme name (``eu-ai-act``)."""
    aliases: dict[str, str] = {}
    for scheme in table_schemes():
        aliases[scheme] = scheme
        aliases[scheme.replace("-", "")] = scheme
    return aliases


def _iri(value: str) -> ox.NamedNode:
    if not _SCHEME.match(value):
        raise ValueError("not an absolute IRI (it needs a scheme such as https:)")
    try:
        return ox.NamedNode(value)
    except ValueError as error:
        raise ValueError(f"not a valid IRI: {error}") from None


def scalar_term(param_type: ParamType, value: str) -> Term:
    kind = param_type.kind
    if kind == "iri":
        return _iri(value)
    if kind == "string":
        return ox.Literal(value)
    if kind == "integer":
        if not _INTEGER.match(value):
            raise ValueError("not an integer")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "date":
        try:
            return ox.Literal(parse_date(value).isoformat(), datatype=ox.NamedNode(XSD + "date"))
        except NotADate as error:
            raise ValueError(f"not a date: {error.reason}") from None
    if kind == "boolean":
        if value.lower() not in _BOOLEANS:
            raise ValueError("not a boolean (true or false)")
        return ox.Literal(_BOOLEANS[value.lower()])
    if kind == "enum":
        if value not in param_type.choices:
            raise ValueError(f"not one of {', '.join(param_type.choices)}")
        return ox.Literal(value)
    raise AssertionError(f"unhandled parameter type {kind}")


def check_value(spec: ParamSpec, value: str) -> None:
    """Check a value without a store (a concept only for being non-empty); raises ValueError."""
    if spec.type.kind == "concept":
        if not value.strip():
            raise ValueError("not a concept: it is empty")
        return
    scalar_term(spec.type, value)


_LOOKUP = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?concept ?scheme WHERE {
  { VALUES ?notation { %s } ?concept skos:notation ?notation ; skos:inScheme ?scheme . }
  UNION
  { VALUES ?concept { %s } ?concept skos:inScheme ?scheme . }
}"""


def resolve_concept(store: Queryable, value: str, scheme: str = "") -> ox.NamedNode:
    """The concept that ``value`` names, restricted to ``scheme`` when one is given.

    ``value`` may be a full IRI, a notation (``A.6.2.4``, ``Article 26``), an IRI slug
    (``Article-26``) or either prefixed by a scheme name (``iso42001:6.1.2``,
    ``euaiact:Article-9``).  Raises NotFoundError or InputError (ambiguous) otherwise.
    """
    text = value.strip()
    aliases = scheme_aliases()
    schemes = [scheme] if scheme else sorted(set(aliases.values()))
    prefix, _, rest = text.partition(":")
    if rest and prefix in aliases and not rest.startswith("//"):
        named = aliases[prefix]
        if scheme and named != scheme:
            raise InputError(f"{text!r} names a concept of {named}, but a {scheme} concept is needed")
        schemes, text = [named], rest
    candidates: list[ox.NamedNode] = []
    if _SCHEME.match(text) and "/" in text:
        try:
            candidates.append(_iri(text))
        except ValueError as error:
            raise InputError(f"{text!r} is {error}") from None
    else:
        for name in schemes:
            try:
                candidates.append(ox.NamedNode(f"{SCHEME_BASE}{name}/{notation_slug(text)}"))
            except ValueError:
                continue
    notation = ox.Literal(text)
    sparql = _LOOKUP % (str(notation), " ".join(str(c) for c in candidates) or "UNDEF")
    wanted = {SCHEME_BASE + name for name in schemes}
    found = sorted(
        {(row["concept"].value, row["scheme"].value) for row in store.query(sparql)
         if row["scheme"].value in wanted}
    )
    concepts = sorted({concept for concept, _ in found})
    where = f"in {scheme}" if scheme else "in any reference scheme"
    if not concepts:
        raise NotFoundError(f"no concept {value!r} {where}")
    if len(concepts) > 1:
        options = ", ".join(f"{s.rsplit('/', 1)[-1]}:{text}" for _, s in found)
        raise InputError(f"{value!r} is ambiguous: it names {len(concepts)} concepts; "
                         f"write one of {options}")
    return ox.NamedNode(concepts[0])


def bind_params(query: NamedQuery, given: Mapping[str, object], store: Queryable | None) -> dict[str, Term | None]:
    """Check ``given`` against the query's declared parameters and make RDF terms.

    Returns every declared parameter: a term, or None for an optional one left unset
    (left out of the VALUES block, so it matches anything).  A concept parameter needs ``store``.
    """
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        declared = ", ".join(p.name for p in query.params) or "none"
        raise InputError(f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {declared})")
    terms: dict[str, Term | None] = {}
    for spec in query.params:
        raw = given.get(spec.name)
        if raw is None or (isinstance(raw, str) and raw == "" and not spec.required):
            raw = spec.default
        if raw is None:
            if spec.required:
                raise InputError(f"query {query.name!r} needs parameter {spec.name!r} "
                                 f"({spec.type}): {spec.description}")
            terms[spec.name] = None
            continue
        text = _as_text(raw)
        if len(text) > _MAX_TEXT:
            raise InputError(f"parameter {spec.name!r} of query {query.name!r} is longer "
                             f"than {_MAX_TEXT} characters")
        if spec.type.kind == "concept":
            if store is None:
                raise InputError(f"parameter {spec.name!r} names a concept: resolving it needs a store")
            try:
                terms[spec.name] = resolve_concept(store, text, spec.type.scheme)
            except (InputError, NotFoundError) as error:
                raise type(error)(f"parameter {spec.name!r} of query {query.name!r}: {error}") from None
            continue
        try:
            terms[spec.name] = scalar_term(spec.type, text)
        except ValueError as error:
            raise InputError(f"parameter {spec.name!r} of query {query.name!r} "
                             f"({spec.type}): {text!r} is {error}") from None
    return terms


def _as_text(raw: object) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, (int, str, date)):
        return raw.isoformat() if isinstance(raw, date) else str(raw)
    if isinstance(raw, (ox.NamedNode, ox.Literal)):
        return raw.value
    raise InputError(f"parameter value {raw!r} must be text, a number, a boolean or a date")
