"""Article 111(2) (research rows B35, C12) wherever a date is answered: classification, the
timeline (library and GET /systems/{id}/timeline) and validation as of a date (library and
GET /validate?asOf=). A high-risk system placed on the market before Chapter III applies to it,
and not substantially modified since, is not covered; one intended for public authorities must
comply by the deadline its provision version carries (2 August 2030, read from the graph)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aims_graph.classification import classify, timeline
from aims_graph.law import law_of
from aims_graph.store import Store, open_store
from aims_graph.validation import validate
from tests.api.conftest import app_client, settings, tokens  # noqa: F401  (fixtures)

EX = "https://example.org/legacy/"
GRAPH = "https://example.org/legacy/graph"
RISK_MANAGEMENT = "https://w3id.org/aims-graph/shapes/HighRiskRiskManagement"
_SYSTEM = "a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:provider ex:Org"
DATA = f"""@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix eu: <https://w3id.org/aims-graph/eu-ai-act/> .
@prefix ex: <{EX}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:Org a aims:Organisation . ex:AIMS a aims:AIManagementSystem ; aims:operatedBy ex:Org .
ex:New {_SYSTEM} ; aims:placedOnMarketOn "2028-01-10"^^xsd:date .
ex:Legacy {_SYSTEM} ; aims:placedOnMarketOn "2026-01-15"^^xsd:date .
ex:LegacyPublic {_SYSTEM} ; aims:placedOnMarketOn "2026-01-15"^^xsd:date ; aims:intendedForPublicAuthorities true .
""".encode()


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with open_store("memory") as opened:
        opened.load(DATA, ox.RdfFormat.TURTLE, GRAPH)
        yield opened


def article_9_days(entries) -> list[tuple[str, str]]:
    return [(e.date, e.version.rsplit("/", 1)[1]) for e in entries if e.provision and e.provision.notation == "Article 9"]


def test_the_public_authority_deadline_is_data_with_its_source(store: Store) -> None:
    rows = list(store.query(
        "SELECT ?d ?s WHERE { GRAPH ?g { ?pv <https://w3id.org/aims-graph/ontology#versionOf> "
        "<https://w3id.org/aims-graph/eu-ai-act/Article-111-2> ; <https://w3id.org/aims-graph/ontology#publicAuthorityDeadline> ?d ; "
        "<http://purl.org/dc/terms/source> ?s FILTER(isLiteral(?s)) } }"))
    assert {(r["d"].value, "C12" in r["s"].value) for r in rows} == {("2030-08-02", True)}
    law = law_of(store)
    assert {law.public_authority_deadline("https://w3id.org/aims-graph/eu-ai-act/Article-111-2", v) for v in law.versions} \
        == {dt.date(2030, 8, 2)}


def test_timeline_applies_article_111_2(store: Store) -> None:
    assert article_9_days(timeline(store, EX + "New")) == [("2027-12-02", "2026-1744")]
    legacy = timeline(store, EX + "Legacy")
    assert article_9_days(legacy) == []  # not covered until a significant design change
    assert any(e.provision and e.provision.notation == "Article 4" for e in legacy)  # not a high-risk-only duty
    # The 2024 text ended before 2 August 2030: the deadline falls under the amended text only.
    assert article_9_days(timeline(store, EX + "LegacyPublic")) == [("2030-08-02", "2026-1744")]


def test_timeline_agrees_with_classify(store: Store) -> None:
    [public] = classify(store, EX + "LegacyPublic", write=False, as_of=dt.date(2031, 1, 1))
    [article_9] = [o for o in public.obligations if o.provision and o.provision.notation == "Article 9"]
    assert (article_9.applies_from, article_9.applies_on_as_of) == ("2030-08-02", True)


def test_validation_as_of_applies_article_111_2(store: Store) -> None:
    def missing_risk_management(on: dt.date) -> set[str]:
        return {f.focus_node.removeprefix(EX) for f in validate(store, as_of=on).findings() if f.shape == RISK_MANAGEMENT}
    assert missing_risk_management(dt.date(2029, 1, 1)) == {"New"}
    assert missing_risk_management(dt.date(2030, 8, 2)) == {"New", "LegacyPublic"}
    unfiltered = {f.focus_node.removeprefix(EX) for f in validate(store).findings() if f.shape == RISK_MANAGEMENT}
    assert unfiltered == {"New", "Legacy", "LegacyPublic"}


@pytest.fixture(scope="module")
def service(settings, tokens) -> Iterator[TestClient]:  # noqa: F811
    with app_client(settings, query_timeout_s=20) as client:
        loaded = client.post("/import", params={"graph": GRAPH}, content=DATA,
                             headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert loaded.status_code == 200, loaded.text
        yield client


def test_api_timeline_and_validate_apply_article_111_2(service: TestClient, tokens) -> None:  # noqa: F811
    reader = tokens.header("reader")
    response = service.get("/systems/LegacyPublic/timeline", headers=reader)
    assert response.status_code == 200, response.text
    days = [e["date"] for e in response.json()["timeline"] if e["provision"]["notation"] == "Article 9"]
    assert days == ["2030-08-02"]
    answer = service.get("/validate", params={"asOf": "2029-01-01"}, headers=reader)
    assert answer.status_code == 200, answer.text
    focus = {f["focus_node"] for r in answer.json()["requirements"] if r["notation"] == "Article 9" for f in r["findings"]}
    assert focus == {EX + "New"}
