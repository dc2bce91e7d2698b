"""A system written through the API is classified before the write is acknowledged: /systems
never lists it without its categories, and the stored derivations equal a fresh classification
after every kind of write (issue 16, part 3)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from aims_graph.classification import DERIVED_GRAPH, classify
from aims_graph.api.settings import Settings
from tests.api.conftest import Tokens, app_client

EX = "https://example.org/onwrite/"
AIMS = "https://w3id.org/aims-graph/ontology#"
ORG_GRAPH = "https://example.org/onwrite/organisation"
SYSTEM_GRAPH = "https://example.org/onwrite/systems"
PREFIXES = (f"@prefix ex: <{EX}> . @prefix aims: <{AIMS}> . @prefix eu: <https://w3id.org/aims-graph/eu-ai-act/> . "
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
ORGANISATION = f"{PREFIXES}ex:Org a aims:Organisation . ex:AIMS a aims:AIManagementSystem ; aims:operatedBy ex:Org .\n"
HIRING = (f"{PREFIXES}ex:Hiring a aims:AISystem ; rdfs:label \"Hiring\" ; aims:provider ex:Org ; "
          "aims:annexIIIUseCase eu:Annex-III-point-4-a .\n")
UPDATE = {"Content-Type": "application/sparql-update"}


@pytest.fixture(scope="module")
def service(settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with app_client(settings, query_timeout_s=20) as client:
        put = client.put("/store", params={"graph": ORG_GRAPH}, content=ORGANISATION.encode(),
                         headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert put.status_code == 201, put.text
        yield client


def listed(client: TestClient, tokens: Tokens) -> dict[str, str]:
    response = client.get("/systems", headers=tokens.header("reader"))
    assert response.status_code == 200, response.text
    return {row["system"].removeprefix(EX): row["categories"] for row in response.json()["rows"]}


def stored_equals_fresh(client: TestClient) -> None:
    """The derived graph holds exactly what classifying the store now derives."""
    store = client.app.state.store
    rows = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}")
    stored = {(t.subject, t.predicate, t.object) for t in rows}
    fresh = classify(store, write=False)
    derived_now = {(r.iri, tuple(r.categories)) for r in fresh}
    stored_categories = {(s.value, o.value.removeprefix(AIMS)) for s, p, o in stored if p.value == AIMS + "hasRiskCategory"}
    assert stored_categories == {(iri, c) for iri, categories in derived_now for c in categories}


def test_a_written_system_is_listed_with_its_categories(service: TestClient, tokens: Tokens) -> None:
    editor = tokens.header("editor")
    # GSP PUT: a new Annex III system of the organisation.
    put = service.put("/store", params={"graph": SYSTEM_GRAPH}, content=HIRING.encode(),
                      headers={**editor, "Content-Type": "text/turtle"})
    assert put.status_code == 201, put.text
    assert listed(service, tokens)["Hiring"] == "high-risk (Annex III use case)"
    stored_equals_fresh(service)

    # INSERT DATA: an Article 6(3) exception is claimed; the category changes at once.
    claim = (f"INSERT DATA {{ GRAPH <{SYSTEM_GRAPH}> {{ <{EX}Hiring> <{AIMS}article6_3Exception> "
             "<https://w3id.org/aims-graph/eu-ai-act/Article-6-3-a> } }")
    assert service.post("/update", content=claim, headers={**UPDATE, **editor}).status_code == 204
    assert listed(service, tokens)["Hiring"] == "not high-risk under Article 6(3)"
    stored_equals_fresh(service)

    # An update with a pattern on the graph: the exception goes again.
    drop = (f"DELETE {{ GRAPH <{SYSTEM_GRAPH}> {{ ?s <{AIMS}article6_3Exception> ?e }} }} "
            f"WHERE {{ GRAPH <{SYSTEM_GRAPH}> {{ ?s <{AIMS}article6_3Exception> ?e }} }}")
    assert service.post("/update", content=drop, headers={**UPDATE, **editor}).status_code == 204
    assert listed(service, tokens)["Hiring"] == "high-risk (Annex III use case)"

    # /import: a second system, minimal risk.
    imported = service.post("/import", params={"graph": SYSTEM_GRAPH},
                            content=f"{PREFIXES}ex:Notes a aims:AISystem ; rdfs:label \"Notes\" .".encode(),
                            headers={**editor, "Content-Type": "text/turtle"})
    assert imported.status_code == 200, imported.text
    assert listed(service, tokens)["Notes"] == "minimal risk"
    stored_equals_fresh(service)

    # The organisation changes (it no longer operates the management system): every system's
    # obligations are derived again, although no system was written.
    unlink = f"DELETE DATA {{ GRAPH <{ORG_GRAPH}> {{ <{EX}AIMS> <{AIMS}operatedBy> <{EX}Org> }} }}"
    assert service.post("/update", content=unlink, headers={**UPDATE, **editor}).status_code == 204
    obligations = service.app.state.store.query(
        f"ASK {{ GRAPH <{DERIVED_GRAPH}> {{ <{EX}Hiring> <{AIMS}obligationApplies> ?o }} }}")
    assert not bool(obligations)
    relink = f"INSERT DATA {{ GRAPH <{ORG_GRAPH}> {{ <{EX}AIMS> <{AIMS}operatedBy> <{EX}Org> }} }}"
    assert service.post("/update", content=relink, headers={**UPDATE, **editor}).status_code == 204
    assert bool(service.app.state.store.query(
        f"ASK {{ GRAPH <{DERIVED_GRAPH}> {{ <{EX}Hiring> <{AIMS}obligationApplies> ?o }} }}"))

    # GSP DELETE: the systems and their derivations disappear.
    assert service.delete("/store", params={"graph": SYSTEM_GRAPH}, headers=editor).status_code == 204
    assert "Hiring" not in listed(service, tokens)
    left = service.app.state.store.query(f"ASK {{ GRAPH <{DERIVED_GRAPH}> {{ <{EX}Hiring> ?p ?o }} }}")
    assert not bool(left)
    stored_equals_fresh(service)


def test_a_refused_write_classifies_nothing(service: TestClient, tokens: Tokens) -> None:
    before = service.app.state.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}")
    count = next(iter(before))["n"].value
    bad = service.put("/store", params={"graph": SYSTEM_GRAPH}, content=b"ex:Broken a aims:AISystem",
                      headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
    assert bad.status_code == 400
    after = service.app.state.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}")
    assert next(iter(after))["n"].value == count
