"""``/import`` and ``/store`` refuse undefined terms of the product's namespaces (issue 17, item 2)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Tokens

GRAPH = "https://example.org/typos"
BODY = b"""@prefix aims: <https://w3id.org/aims-graph/ontology#> .
<https://example.org/typos/S> a aims:AISystem ;
    aims:annexIIIUseCase <https://w3id.org/aims-graph/eu-ai-act/Annex-III-point-5-x> .
"""
ASK = "ASK { GRAPH <%s> { ?s ?p ?o } }" % GRAPH


def stored(client: TestClient, tokens: Tokens) -> bool:
    answer = client.get("/sparql", params={"query": ASK}, headers={**tokens.header("reader"),
                                                                   "Accept": "application/sparql-results+json"})
    return bool(answer.json()["boolean"])


@pytest.mark.parametrize(("method", "path"), [("post", "/import"), ("post", "/store"), ("put", "/store")])
def test_a_mistyped_concept_is_refused_and_nothing_is_written(client: TestClient, tokens: Tokens,
                                                              method: str, path: str) -> None:
    answer = client.request(method, path, params={"graph": GRAPH}, content=BODY,
                            headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
    assert answer.status_code == 400, answer.text
    detail = answer.json()["detail"]
    assert answer.json()["error"] == "bad input"
    assert "eu-ai-act:Annex-III-point-5-x" in detail and "did you mean eu-ai-act:Annex-III-point-5-" in detail
    assert "allowUnknownTerms=true" in detail
    assert not stored(client, tokens)


def test_allow_unknown_terms_writes_and_reports_the_warning(client: TestClient, tokens: Tokens) -> None:
    answer = client.post("/import", params={"graph": GRAPH, "allowUnknownTerms": "true"}, content=BODY,
                         headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
    assert answer.status_code == 200, answer.text
    assert any("Annex-III-point-5-x" in warning for warning in answer.json()["warnings"])
    assert stored(client, tokens)
    replaced = client.put("/store", params={"graph": GRAPH, "allowUnknownTerms": "true"}, content=BODY,
                          headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
    assert replaced.status_code == 204
    client.delete("/store", params={"graph": GRAPH}, headers=tokens.header("editor"))
