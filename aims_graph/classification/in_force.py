"""Validation as of a date: a finding about an EU AI Act requirement counts only when that
requirement applies, on the date, to the system it is about.

The conformance shapes check requirements (``aims:checksRequirement``) of obligations the
classification derived; whether such an obligation is already due depends on the version of
the act in force and on the system's route (an Annex III system owes Article 9 from
2 December 2027, an Annex I system from 2 August 2028). Findings on requirements that are not
EU AI Act provisions (ISO/IEC 42001, data integrity) are always kept.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from aims_graph.classification import applicability
from aims_graph.law import Law

EU = "https://w3id.org/aims-graph/eu-ai-act/"


def requirement_applies(law: Law, work: ox.Store, focus: str, requirement: str, on: dt.date) -> bool:
    """True when the requirement is no EU AI Act provision, or applies on ``on`` to ``focus``."""
    if not requirement.startswith(EU):
        return True
    route_rows = work.query(f"SELECT ?c WHERE {{ <{focus}> <{applicability.AIMS}hasRiskCategory> ?c }}")
    route_list = sorted({row["c"].value for row in route_rows  # type: ignore[union-attr,index]
                         if row["c"].value in applicability.ROUTES}) or [None]  # type: ignore[index]
    placed = applicability.placed_on_market(work, focus)
    for route in route_list:
        found = law.application(requirement, on, route, placed)
        if found is not None and found.applies_on(on):
            return True
    return False
