"""The as-of rule: which version of the AI Act is in force on a date, and whether a
provision applies on that date for a system of a given route.

The rule is the one documented in ontology/reference/README.md ("Reading the law on a
date"); the data is the ``eu-ai-act`` scheme and ``eu-ai-act-versions.ttl``. It lives here,
once, because every legal answer (classification, validation, the timeline) must read
the law the same way: a provision not in the version in force does not apply, and its
date of application is the one of that version for the system's route (Annex III or
Annex I), or of a transitional rule for systems already on the market (Article 111(4)).

The law is read from the store once per loaded version of its modules and kept as plain
Python maps: answering is then a few dictionary look-ups per obligation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aims_graph.dates import NotADate, parse_date
from aims_graph.errors import InputError
from aims_graph.knowledge.modules import GRAPH_BASE, loaded_versions
from aims_graph.rdf.namespaces import AIMS, RDFS, SKOS
from aims_graph.store.base import Store

ENTRY_INTO_FORCE = dt.date(2024, 8, 1)
"""Regulation (EU) 2024/1689 entered into force on 1 August 2024 (Article 113, first
paragraph): before that there is no AI Act to answer from."""
_MODULES = (GRAPH_BASE + "eu-ai-act", GRAPH_BASE + "eu-ai-act-versions")


def as_of_date(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """The as-of date a user wrote (default: today); a one-line InputError when it is not a
    date or falls before the AI Act entered into force."""
    if text is None or not text.strip():
        return today or dt.date.today()
    try:
        on = parse_date(text)
    except NotADate as error:
        raise InputError(f"as-of date {text!r} is not a date: {error.reason}") from None
    if on < ENTRY_INTO_FORCE:
        raise InputError(f"as-of date {on.isoformat()} is before 1 August 2024, when Regulation (EU) 2024/1689 "
                         "entered into force: there is no AI Act to apply on that date")
    return on


@dataclass(frozen=True)
class ActVersion:
    """One version of the act (the 2024 text, the text as amended) and when it was in force."""

    iri: str
    label: str
    in_force_from: dt.date
    in_force_until: dt.date | None

    def in_force_on(self, on: dt.date) -> bool:
        return self.in_force_from <= on and (self.in_force_until is None or on <= self.in_force_until)


@dataclass(frozen=True)
class Application:
    """When a provision applies in one version of the act, for one route."""

    provision: str
    notation: str | None
    version: ActVersion
    applies_from: dt.date

    def applies_on(self, on: dt.date) -> bool:
        return self.applies_from <= on and self.version.in_force_on(on)


@dataclass(frozen=True)
class _Dated:
    """A provision version: its date, and the route or transitional case it is restricted to."""

    version: str
    applies_from: dt.date | None
    category: str | None
    placed_before: dt.date | None


@dataclass
class Law:
    """The versions of the act and the dates of its provisions, as plain maps."""

    versions: list[ActVersion]
    members: dict[str, set[str]] = field(default_factory=dict)  # provision -> versions it belongs to
    broader: dict[str, str] = field(default_factory=dict)
    notation: dict[str, str] = field(default_factory=dict)
    own_date: dict[str, dt.date] = field(default_factory=dict)  # the concept's aims:appliesFrom
    dated: dict[str, list[_Dated]] = field(default_factory=dict)
    limits: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (provision, version) -> listed
    # (provision, version) -> the day legacy systems for public authorities comply by (Article 111(2))
    public_authority_deadlines: dict[tuple[str, str], dt.date] = field(default_factory=dict)

    def version_in_force(self, on: dt.date) -> ActVersion | None:
        return next((v for v in self.versions if v.in_force_on(on)), None)

    def in_version(self, provision: str, version: ActVersion) -> bool:
        return version.iri in self.members.get(provision, set())

    def application(self, provision: str, on: dt.date, category: str | None = None,
                    placed_on_market: dt.date | None = None) -> Application | None:
        """The provision in the version in force on ``on`` for a system of ``category`` (an
        aims: risk category IRI) placed on the market on ``placed_on_market``; None when the
        provision is not part of that version (not yet inserted, or deleted)."""
        version = self.version_in_force(on)
        if version is None:
            return None
        return self.application_in(provision, version, category, placed_on_market)

    def application_in(self, provision: str, version: ActVersion, category: str | None = None,
                       placed_on_market: dt.date | None = None) -> Application | None:
        """The provision in one given version (None when it is not part of it)."""
        if not self.in_version(provision, version):
            return None
        start = self._own(provision, version, category, placed_on_market)
        ancestor = self.broader.get(provision)
        while start is None and ancestor is not None:
            start = self._routed(ancestor, version, category)
            ancestor = self.broader.get(ancestor)
        if start is None:
            start = self.own_date.get(provision)
        if start is None:
            return None
        return Application(provision, self.notation.get(provision), version, start)

    def starts(self, provision: str, category: str | None = None,
               placed_on_market: dt.date | None = None) -> list[Application]:
        """Each version under which the provision starts to apply, with the day it does:
        the later of its date in that version and the version's entry into force, kept only
        when that day falls while the version is in force (the 2024 dates that the amending
        act deferred before they arrived never applied)."""
        found = []
        for version in self.versions:
            application = self.application_in(provision, version, category, placed_on_market)
            if application is None:
                continue
            start = max(application.applies_from, version.in_force_from)
            if version.in_force_until is not None and start > version.in_force_until:
                continue
            found.append(Application(provision, application.notation, version, start))
        return found

    def limited_to(self, provision: str, on: dt.date) -> set[str] | None:
        """What a limiting provision (Article 2(2)) lists in the version in force, if any."""
        version = self.version_in_force(on)
        return None if version is None else self.limits.get((provision, version.iri))

    def public_authority_deadline(self, provision: str, version: ActVersion) -> dt.date | None:
        """The public-authority deadline a transitional provision (Article 111(2)) sets in a version."""
        return self.public_authority_deadlines.get((provision, version.iri))

    def within(self, provision: str, listed: set[str]) -> bool:
        """True when the provision is one of ``listed`` or part of one of them."""
        node: str | None = provision
        while node is not None:
            if node in listed:
                return True
            node = self.broader.get(node)
        return False

    def _own(self, provision: str, version: ActVersion, category: str | None,
             placed_on_market: dt.date | None) -> dt.date | None:
        candidates = [d for d in self.dated.get(provision, []) if d.version == version.iri and d.applies_from]
        transitional = [d for d in candidates if d.placed_before is not None and placed_on_market is not None
                        and placed_on_market < d.placed_before and d.category in (None, category)]
        if transitional:
            return transitional[0].applies_from
        plain = [d for d in candidates if d.placed_before is None]
        routed = [d for d in plain if category is not None and d.category == category]
        general = [d for d in plain if d.category is None]
        chosen = routed or general
        return chosen[0].applies_from if chosen else None

    def _routed(self, ancestor: str, version: ActVersion, category: str | None) -> dt.date | None:
        for d in self.dated.get(ancestor, []):
            if d.version == version.iri and d.category is not None and d.category == category \
                    and d.placed_before is None and d.applies_from:
                return d.applies_from
        return None


_CACHE: dict[tuple, Law] = {}


def law_of(store: Store) -> Law:
    """The law as the store holds it, cached per loaded version of its modules."""
    key = tuple(sorted((g, v) for g, v in loaded_versions(store).items() if g in _MODULES))
    cached = _CACHE.get(key)
    if cached is None:
        cached = _read(store)
        _CACHE.clear()
        _CACHE[key] = cached
    return cached


def _date(term: object) -> dt.date | None:
    return None if term is None else dt.date.fromisoformat(term.value)  # type: ignore[attr-defined]


def _read(store: Store) -> Law:
    graphs = " ".join(f"<{g}>" for g in _MODULES)

    def rows(pattern: str) -> list:
        return list(store.query(f"SELECT * WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ {pattern} }} }}"))  # type: ignore[arg-type]

    versions = sorted(
        (ActVersion(r["v"].value, r["label"].value if r["label"] else r["v"].value, _date(r["from"]),  # type: ignore[arg-type]
                    _date(r["until"]))
         for r in rows(f"?v a <{AIMS}LegalActVersion> ; <{AIMS}inForceFrom> ?from . "
                       f"OPTIONAL {{ ?v <{AIMS}inForceUntil> ?until }} OPTIONAL {{ ?v <{RDFS}label> ?label }}")),
        key=lambda v: v.in_force_from)
    law = Law(versions)
    for r in rows(f"?c <{AIMS}inVersion> ?v . FILTER NOT EXISTS {{ ?c <{AIMS}versionOf> ?x }}"):
        law.members.setdefault(r["c"].value, set()).add(r["v"].value)
    for r in rows(f"?c <{SKOS}broader> ?b"):
        law.broader[r["c"].value] = r["b"].value
    for r in rows(f"?c <{SKOS}notation> ?n"):
        law.notation[r["c"].value] = r["n"].value
    for r in rows(f"?c <{AIMS}appliesFrom> ?d . FILTER NOT EXISTS {{ ?c <{AIMS}versionOf> ?x }}"):
        law.own_date[r["c"].value] = _date(r["d"])  # type: ignore[assignment]
    for r in rows(f"?pv <{AIMS}versionOf> ?c ; <{AIMS}inVersion> ?v . OPTIONAL {{ ?pv <{AIMS}appliesFrom> ?d }} "
                  f"OPTIONAL {{ ?pv <{AIMS}appliesToCategory> ?cat }} "
                  f"OPTIONAL {{ ?pv <{AIMS}forSystemsPlacedBefore> ?before }}"):
        law.dated.setdefault(r["c"].value, []).append(_Dated(
            r["v"].value, _date(r["d"]), r["cat"].value if r["cat"] else None, _date(r["before"])))
    for r in rows(f"?pv <{AIMS}versionOf> ?c ; <{AIMS}inVersion> ?v ; <{AIMS}limitsApplicationTo> ?listed"):
        law.limits.setdefault((r["c"].value, r["v"].value), set()).add(r["listed"].value)
    for r in rows(f"?pv <{AIMS}versionOf> ?c ; <{AIMS}inVersion> ?v ; <{AIMS}publicAuthorityDeadline> ?d"):
        law.public_authority_deadlines[(r["c"].value, r["v"].value)] = _date(r["d"])  # type: ignore[assignment]
    return law
