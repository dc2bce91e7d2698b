"""Validation as of a date: a finding about an EU AI Act requirement counts only when that
requirement applies, on the date, to the system it is about.

The conformance shapes check requirements (``aims:checksRequirement``) of obligations the
classification derived; whether such an obligation is already due depends on the version of
the act in force and on the system's route (an Annex III system owes Article 9 from
2 December 2027, an Annex I system from 2 August 2028), and, for a legacy high-risk system,
on Article 111(2) as ``classify`` applies it. Findings on requirements that are not EU AI Act
provisions (ISO/IEC 42001, data integrity) are always kept.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from aims_graph.classification import applicability
from aims_graph.law import Law
from aims_graph.rdf.namespaces import AIMS, SKOS

EU = "https://w3id.org/aims-graph/eu-ai-act/"


class InForce:
    """Whether EU AI Act requirements apply, on one date, to the focus nodes of one validation
    data graph. The routes and the placing date of a focus node are read once and kept, so
    filtering a whole report costs two small queries per focus node with EU AI Act findings."""

    def __init__(self, law: Law, work: ox.Store, on: dt.date) -> None:
        self.law = law
        self.work = work
        self.on = on
        self._facts: dict[str, tuple[list[str | None], dt.date | None]] = {}

    def applies(self, focus: str, requirement: str) -> bool:
        """True when the requirement is no EU AI Act provision, or applies on the date to ``focus``."""
        if not requirement.startswith(EU):
            return True
        route_list, placed = self._facts_of(focus)
        for route in route_list:
            found = self.law.application(requirement, self.on, route, placed)
            if found is None or not found.applies_on(self.on):
                continue
            if route is None or not self._high_risk_only(focus, requirement):
                return True
            start = applicability.legacy_start(self.law, self.work, focus, found, [route], placed)  # Article 111(2)
            if start is not None and start <= self.on:
                return True
        return False

    def _high_risk_only(self, focus: str, requirement: str) -> bool:
        """True when every obligation through which the requirement binds ``focus`` applies to
        high-risk categories only (Article 111(2) leaves the others, Article 50 say, alone)."""
        rows = self.work.query(
            f"SELECT DISTINCT ?c WHERE {{ <{focus}> <{AIMS}obligationApplies> ?o . "
            f"?o <{AIMS}derivedFromProvision> ?p . ?p <{SKOS}broader>* <{requirement}> . "
            f"?o <{AIMS}appliesToCategory> ?c }}")
        categories = {row["c"].value for row in rows}  # type: ignore[union-attr,index]
        return bool(categories) and categories <= set(applicability.ROUTES)

    def _facts_of(self, focus: str) -> tuple[list[str | None], dt.date | None]:
        facts = self._facts.get(focus)
        if facts is None:
            rows = self.work.query(f"SELECT ?c WHERE {{ <{focus}> <{AIMS}hasRiskCategory> ?c }}")
            route_list = sorted({row["c"].value for row in rows  # type: ignore[union-attr,index]
                                 if row["c"].value in applicability.ROUTES}) or [None]  # type: ignore[index]
            facts = self._facts[focus] = (route_list, applicability.placed_on_market(self.work, focus))
        return facts
