"""When each derived obligation applies: the as-of rule (``aims_graph.law``) applied to an
obligation of one system.

An obligation applies on a date only if its provision, in the version of the act in force
on that date, applies on that date for the system's route. The route is the risk category
through which the obligation reaches the system (Annex III and Annex I high-risk systems
have different dates, Article 113(c)); a system that reaches it through both routes is
bound from the earlier date. When the system's classification rests on narrower points
of that provision (Article 5(1)(ba) under Article 5), the obligation binds through those
points, so their date counts (the latest of them): Article 5(1)(a) has bound since
2 February 2025 although Article 5 as a whole took its amended wording on 27 July 2026. A system placed on the market before a
transitional cut-off (Article 111(4)) gets that provision version's date.
"""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox

from aims_graph.law import ActVersion, Application, Law
from aims_graph.rdf.namespaces import AIMS

ROUTES = (AIMS + "HighRiskAnnexIII", AIMS + "HighRiskAnnexI")


def placed_on_market(work: ox.Store, node: str) -> dt.date | None:
    """The earliest recorded date the system was placed on the market or put into service."""
    rows = work.query(f"SELECT ?d WHERE {{ VALUES ?p {{ <{AIMS}placedOnMarketOn> <{AIMS}putIntoServiceOn> }} "
                      f"<{node}> ?p ?d }}")
    dates = [dt.date.fromisoformat(row["d"].value) for row in rows]  # type: ignore[union-attr,index]
    return min(dates) if dates else None


def routes(work: ox.Store, node: str, obligation: str) -> list[str | None]:
    """The high-risk routes through which the obligation reaches the system (None: no route)."""
    rows = work.query(f"SELECT ?c WHERE {{ <{node}> <{AIMS}hasRiskCategory> ?c . "
                      f"<{obligation}> <{AIMS}appliesToCategory> ?c }}")
    found = [row["c"].value for row in rows if row["c"].value in ROUTES]  # type: ignore[union-attr,index]
    return sorted(found) or [None]


def narrower_grounds(work: ox.Store, node: str, provision: str) -> list[str]:
    """Grounds of the system's classification records that lie inside the provision."""
    rows = work.query(
        f"SELECT DISTINCT ?g WHERE {{ <{node}> <{AIMS}classification> ?r . ?r <{AIMS}category> ?c ; <{AIMS}ground> ?g . "
        f"?g <http://www.w3.org/2004/02/skos/core#broader>+ <{provision}> }}")
    return sorted(row["g"].value for row in rows)  # type: ignore[union-attr,index]


def application(law: Law, on: dt.date, provision: str, route_list: list[str | None], grounds: list[str],
                placed: dt.date | None) -> Application | None:
    """The obligation's provision as it applies on ``on`` (None: not part of the act then)."""
    best: Application | None = None
    for route in route_list:
        found = law.application(provision, on, route, placed)
        if found is None:
            continue
        inner = [law.application(ground, on, route, placed) for ground in grounds]
        if any(i is None for i in inner):  # the point the classification rests on is not in force
            found = None
        elif inner:
            latest = max(i.applies_from for i in inner if i is not None)
            found = Application(found.provision, found.notation, found.version, latest)
        if found is not None and (best is None or found.applies_from < best.applies_from):
            best = found
    return best


def starts(law: Law, provision: str, route_list: list[str | None], grounds: list[str],
           placed: dt.date | None) -> list[Application]:
    """Each version under which the obligation starts to apply, and the day (for a timeline)."""
    found: dict[str, Application] = {}
    for route in route_list:
        for start in law.starts(provision, route, placed):
            inner = [s.applies_from for ground in grounds for s in law.starts(ground, route, placed)
                     if s.version == start.version]
            if grounds and not inner:  # the point it binds through is not in that version
                continue
            day = max(inner) if inner else start.applies_from
            if start.version.in_force_until is not None and day > start.version.in_force_until:
                continue
            candidate = Application(start.provision, start.notation, start.version, day)
            kept = found.get(start.version.iri)
            if kept is None or candidate.applies_from < kept.applies_from:
                found[start.version.iri] = candidate
    return sorted(found.values(), key=lambda a: a.applies_from)


# Article 111(2) (research rows B35, C12): a high-risk system placed on the market or put into
# service before Chapter III applies to it is covered only once its design changes significantly
# after that day (a substantial modification); one intended for public authorities must comply by
# the deadline the provision version gives (aims:publicAuthorityDeadline, 2 August 2030 in both
# versions of the act).
_REQUIREMENTS = "https://w3id.org/aims-graph/eu-ai-act/Chapter-III-Section-2"
ARTICLE_111_2 = "https://w3id.org/aims-graph/eu-ai-act/Article-111-2"


def only_high_risk(work: ox.Store, obligation: str) -> bool:
    """True when the obligation applies to high-risk categories only (Article 111(2) concerns
    operators of high-risk systems; Article 4 or Article 50 duties are not touched)."""
    rows = work.query(f"SELECT ?c WHERE {{ <{obligation}> <{AIMS}appliesToCategory> ?c }}")
    return {row["c"].value for row in rows} <= set(ROUTES)  # type: ignore[union-attr,index]


def legacy_deadline(law: Law, work: ox.Store, node: str, version: ActVersion, route_list: list[str | None],
                    placed: dt.date | None) -> tuple[bool, dt.date | None]:
    """(is legacy, day it must comply by) for a high-risk system under Article 111(2) in one
    version of the act: legacy when it was placed before the Chapter III date of its route in
    that version and was not substantially modified on or after that day; a legacy system
    intended for public authorities complies by the version's public-authority deadline, any
    other is not covered (None)."""
    if placed is None:
        return False, None
    cut_offs = [a.applies_from for a in (law.application_in(_REQUIREMENTS, version, r) for r in route_list if r) if a]
    if not cut_offs:
        return False, None
    cut_off = min(cut_offs)
    rows = work.query(f"SELECT ?d WHERE {{ <{node}> <{AIMS}valueChainEvent> ?e . ?e a <{AIMS}SubstantialModification> ; "
                      f"<{AIMS}occurredOn> ?d }}")
    modified = [dt.date.fromisoformat(row["d"].value) for row in rows]  # type: ignore[union-attr,index]
    if placed >= cut_off or any(day >= cut_off for day in modified):
        return False, None
    public = bool(work.query(f"ASK {{ <{node}> <{AIMS}intendedForPublicAuthorities> true }}"))
    return True, law.public_authority_deadline(ARTICLE_111_2, version) if public else None


def legacy_start(law: Law, work: ox.Store, node: str, application: Application, route_list: list[str | None],
                 placed: dt.date | None) -> dt.date | None:
    """The day a high-risk-only duty starts for the system under the version of ``application``:
    its own date, or for a legacy system (Article 111(2)) the later public-authority deadline,
    or None when the legacy system is not covered at all."""
    legacy, deadline = legacy_deadline(law, work, node, application.version, route_list, placed)
    if not legacy:
        return application.applies_from
    return max(application.applies_from, deadline) if deadline else None
