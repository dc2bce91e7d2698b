"""Article 73 deadlines for every incident kind, computed in SPARQL from the dates."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aims_graph.named_queries import run
from aims_graph.store import Store, open_store

INCIDENTS = b"""
@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix e: <https://e.example/> .
e:death aims:incidentKind aims:DeathOrSeriousHarm ; aims:awareOn "2026-11-20"^^xsd:date .
e:widespread aims:incidentKind aims:WidespreadInfringement ;
    aims:awareOn "2026-11-28"^^xsd:date ; aims:reportedOn "2026-11-30"^^xsd:date .
e:infrastructure aims:incidentKind aims:CriticalInfrastructureDisruption ;
    aims:awareOn "2026-11-28"^^xsd:date ; aims:reportedOn "2026-12-01"^^xsd:date .
e:general a aims:SeriousIncident ; aims:awareOn "2026-02-20"^^xsd:date ; aims:reportedOn "2026-03-07"^^xsd:date .
e:undated a aims:SeriousIncident .
e:ordinary a aims:Incident ; aims:awareOn "2026-01-01"^^xsd:date .
"""


@pytest.fixture(scope="module")
def store() -> Store:
    store = open_store("memory")
    store.load(INCIDENTS, ox.RdfFormat.TURTLE, "https://e.example/graph")
    return store


def verdicts(store: Store, as_of: str) -> dict[str, tuple[object, ...]]:
    answer = run(store, "serious-incident-deadlines", {"asOf": as_of})
    return {r["incident"].rsplit("/", 1)[-1]: (r["deadlineDays"], r["dueOn"], r["daysTaken"], r["verdict"])
            for r in answer.records()}


def test_each_kind_gets_its_own_deadline_and_one_row(store: Store) -> None:
    assert verdicts(store, "2026-11-29") == {
        "death": (10, "2026-11-30", None, "not reported, still within deadline"),
        "widespread": (2, "2026-11-30", 2, "reported on time"),
        "infrastructure": (2, "2026-11-30", 3, "reported late"),
        # 2026 is no leap year: 20 February + 15 days is 7 March, the last day allowed.
        "general": (15, "2026-03-07", 15, "reported on time"),
        "undated": (15, None, None, "awareness date missing"),
    }


def test_an_unreported_incident_becomes_overdue_after_its_due_day(store: Store) -> None:
    assert verdicts(store, "2026-12-01")["death"][3] == "not reported, overdue"
    assert verdicts(store, "2026-11-30")["death"][3] == "not reported, still within deadline"
