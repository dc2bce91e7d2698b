"""Terms in the product's namespaces that the product does not define: typos, mostly.

An IRI such as ``aims:ownr`` or ``eu-ai-act:Annex-III-point-5-x`` parses as RDF and would
load without a word, yet every query, shape and classification rule would then pass
over it: the system looks as if the fact were missing.  So data is checked, quad by
quad as a parser streams it, against the terms the ontology and the reference schemes
define.  Only the ``aims:`` namespace and the reference schemes' namespaces are
checked: an organisation's own IRIs, and other vocabularies, are its business.

The known terms are the subjects of the ontology and reference modules
(``aims_graph.knowledge.modules``), read once per process.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

import pyoxigraph as ox

from aims_graph.errors import InputError
from aims_graph.rdf.namespaces import AIMS, PREFIXES, SCHEME_BASE, curie

if TYPE_CHECKING:
    from aims_graph.store.base import Store

CHECKED_NAMESPACES: tuple[str, ...] = (AIMS, *(ns for ns in PREFIXES.values() if ns.startswith(SCHEME_BASE)))
"""The namespaces whose every term must be defined by the product."""

_SHOWN = 5  # unknown terms listed in one message; the rest are counted


@lru_cache(maxsize=1)
def known_terms() -> frozenset[str]:
    """Every IRI in a checked namespace that the ontology or a reference module defines."""
    from aims_graph.knowledge.modules import discover_modules

    known: set[str] = set()
    for module in discover_modules():
        if module.name.startswith(("shapes-", "crosswalk-")):
            continue  # shapes and mappings use terms, they do not define them
        for quad in ox.parse(module.build(), format=ox.RdfFormat.TURTLE):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(CHECKED_NAMESPACES):
                known.add(quad.subject.value)
    return frozenset(known)


@lru_cache(maxsize=1)
def _local_names() -> dict[str, list[str]]:
    """Namespace -> local names of its known terms, for suggestions."""
    names: dict[str, list[str]] = {ns: [] for ns in CHECKED_NAMESPACES}
    for iri in known_terms():
        namespace = max((ns for ns in CHECKED_NAMESPACES if iri.startswith(ns)), key=len)
        names[namespace].append(iri[len(namespace):])
    return names


def closest(iri: str) -> str | None:
    """The known term of the same namespace whose local name is nearest to ``iri``'s."""
    namespace = max((ns for ns in CHECKED_NAMESPACES if iri.startswith(ns)), key=len)
    local = iri[len(namespace):]
    names = _local_names()[namespace]
    # Properties start lower case and classes and concepts upper case: suggest the same kind.
    alike = [name for name in names if name[:1].islower() == local[:1].islower()] or names
    found = difflib.get_close_matches(local, alike, n=1, cutoff=0.6)
    return namespace + found[0] if found else None


@dataclass(frozen=True)
class UnknownTerm:
    """One undefined term and the first triple that uses it."""

    iri: str
    role: str
    """``subject``, ``predicate``, ``object`` or ``class`` (object of rdf:type)."""
    subject: str
    predicate: str

    def describe(self) -> str:
        nearest = closest(self.iri)
        hint = f"; did you mean {curie(nearest)}?" if nearest else ""
        where = (f"as the subject of a {curie(self.predicate)} triple" if self.role == "subject"
                 else f"used on {_name(self.subject)}")
        role = "property" if self.role == "predicate" else "class" if self.role == "class" else "value"
        return f"{curie(self.iri)} ({role} {where}) is not defined by aims-graph{hint}"


def _name(term: str) -> str:
    return curie(term) if not term.startswith("_:") else "a blank node"


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class TermCheck:
    """Collects the unknown terms of quads as they stream past; keeps one use per term."""

    def __init__(self) -> None:
        self._known = known_terms()
        self.found: dict[str, UnknownTerm] = {}

    def see(self, quad: ox.Quad | ox.Triple) -> None:
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        if isinstance(subject, ox.NamedNode):
            self._check(subject.value, "subject", quad)
        self._check(predicate.value, "predicate", quad)
        if isinstance(obj, ox.NamedNode):
            self._check(obj.value, "class" if predicate == _RDF_TYPE else "object", quad)

    def see_all(self, quads: Iterable[ox.Quad | ox.Triple]) -> "TermCheck":
        for quad in quads:
            self.see(quad)
        return self

    def _check(self, iri: str, role: str, quad: ox.Quad | ox.Triple) -> None:
        if iri.startswith(CHECKED_NAMESPACES) and iri not in self._known and iri not in self.found:
            self.found[iri] = UnknownTerm(iri, role, str(quad.subject).strip("<>"), quad.predicate.value)


class UnknownTermsError(InputError):
    """Data names terms the product does not define; the message lists them."""

    def __init__(self, source: str, terms: list[UnknownTerm], override: str) -> None:
        super().__init__(f"{source}: {describe(terms)} (to load it anyway: {override})")
        self.terms = terms


def describe(terms: list[UnknownTerm]) -> str:
    shown = "; ".join(term.describe() for term in terms[:_SHOWN])
    more = f"; and {len(terms) - _SHOWN} more unknown term(s)" if len(terms) > _SHOWN else ""
    return shown + more


def enforce(found: Iterable[UnknownTerm], source: str, *, allow: bool, override: str) -> list[str]:
    """Refuse data with unknown terms, or with ``allow`` return the warnings to show.

    ``override`` names the way to load anyway in the caller's own words (a CLI option,
    a query parameter).
    """
    terms = list(found)
    if not terms:
        return []
    if not allow:
        raise UnknownTermsError(source, terms, override)
    return [f"{source}: loaded although {term.describe()}" for term in terms]


_CHUNK = 500  # nodes per query when reading their facts


def check_facts(store: "Store", nodes: list[str], action: str) -> None:
    """Refuse ``action`` on nodes whose own facts name undefined terms.

    A classification reads the system's facts: a mistyped Annex III point would make it
    say "minimal risk" with full confidence, so it is refused instead, naming every
    unknown term per node.  Raises InputError.
    """
    problems: dict[str, TermCheck] = {}
    for start in range(0, len(nodes), _CHUNK):
        values = " ".join(f"<{node}>" for node in nodes[start:start + _CHUNK])
        rows = store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            check = problems.setdefault(row["s"].value, TermCheck())
            check.see(ox.Triple(row["s"], row["p"], row["o"]))
    named = {node: list(check.found.values()) for node, check in problems.items() if check.found}
    if named:
        parts = [f"{curie(node)}: {describe(terms)}" for node, terms in sorted(named.items())]
        raise InputError(f"cannot {action}: the facts of {len(named)} system(s) name terms aims-graph does not "
                         f"define (correct the data, then run it again): {' | '.join(parts)}")
