"""/update and /store: the Graph Store Protocol round trip and every rule that guards writes."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aims_graph.api.settings import Settings
from tests.api.conftest import Tokens, app_client

GRAPH = "https://example.org/test/gsp"
TURTLE = b"@prefix ex: <https://example.org/test/> . ex:a ex:b ex:c , ex:d ."
UPDATE = {"Content-Type": "application/sparql-update"}
ISO = "https://w3id.org/aims-graph/graph/iso42001"


def triples(client: TestClient, graph: str) -> set[tuple[str, str, str]]:
    response = client.get("/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
    if response.status_code == 404:
        return set()
    assert response.status_code == 200, response.text
    return {(t.subject.value, t.predicate.value, t.object.value)
            for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}


def test_graph_store_round_trip(client: TestClient, tokens: Tokens) -> None:
    editor = tokens.header("editor")
    created = client.put("/store", params={"graph": GRAPH}, content=TURTLE,
                         headers={**editor, "Content-Type": "text/turtle"})
    assert created.status_code == 201
    assert len(triples(client, GRAPH)) == 2
    added = client.post("/store", params={"graph": GRAPH},
                        content=b"<https://example.org/test/a> <https://example.org/test/b> <https://example.org/test/e> .",
                        headers={**editor, "Content-Type": "application/n-triples"})
    assert added.status_code == 204
    assert ("https://example.org/test/a", "https://example.org/test/b", "https://example.org/test/e") in triples(client, GRAPH)
    replaced = client.put("/store", params={"graph": GRAPH}, content=TURTLE,
                          headers={**editor, "Content-Type": "text/turtle"})
    assert replaced.status_code == 204 and len(triples(client, GRAPH)) == 2
    for media in ("text/turtle", "application/ld+json", "application/rdf+xml"):
        read = client.get("/store", params={"graph": GRAPH}, headers={"Accept": media})
        assert read.headers["content-type"].startswith(media)
        assert len(list(ox.parse(read.content, format=ox.RdfFormat.from_media_type(media)))) == 2
    assert client.delete("/store", params={"graph": GRAPH}, headers=editor).status_code == 204
    assert client.get("/store", params={"graph": GRAPH}).status_code == 404
    assert client.delete("/store", params={"graph": GRAPH}, headers=editor).status_code == 404


def test_default_names_the_data_graph_and_bare_get_is_the_dataset(client: TestClient, tokens: Tokens) -> None:
    put = client.put("/store", params={"default": ""}, content=TURTLE,
                     headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
    assert put.status_code in {201, 204}
    assert len(triples(client, "https://w3id.org/aims-graph/graph/data")) == 2
    dataset = client.get("/store", headers={"Accept": "application/n-quads"})
    graphs = {q.graph_name.value for q in ox.parse(dataset.content, format=ox.RdfFormat.N_QUADS)}
    assert {"https://w3id.org/aims-graph/graph/data", ISO} <= graphs
    client.delete("/store", params={"default": ""}, headers=tokens.header("editor"))


def test_a_malformed_body_is_refused_and_changes_nothing(client: TestClient, tokens: Tokens) -> None:
    editor = {**tokens.header("editor"), "Content-Type": "text/turtle"}
    client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers=editor)
    bad = client.put("/store", params={"graph": GRAPH}, content=b"@prefix ex: <x> . ex:a ex:b", headers=editor)
    assert bad.status_code == 400 and "request body" in bad.json()["detail"]
    assert len(triples(client, GRAPH)) == 2
    assert client.post("/store", params={"graph": GRAPH}, content=TURTLE,
                       headers={**editor, "Content-Type": "application/pdf"}).status_code == 415
    assert client.put("/store", content=TURTLE, headers=editor).json()["error"] == "missing graph"
    client.delete("/store", params={"graph": GRAPH}, headers=tokens.header("editor"))


def test_update_writes_with_an_editor_token(client: TestClient, tokens: Tokens) -> None:
    text = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:x:a> <urn:x:b> 'c' }} }}"
    response = client.post("/update", content=text, headers={**UPDATE, **tokens.header("editor")})
    assert response.status_code == 204, response.text
    assert ("urn:x:a", "urn:x:b", "c") in triples(client, GRAPH)
    form = client.post("/update", data={"update": f"DROP GRAPH <{GRAPH}>"}, headers=tokens.header("editor"))
    assert form.status_code == 204 and triples(client, GRAPH) == set()


@pytest.mark.parametrize("headers, status, error", [
    ({}, 401, "unauthorised"),
    ({"Authorization": "Bearer aims_not-a-real-token"}, 401, "unauthorised"),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, 401, "unauthorised"),
    ("reader", 403, "forbidden"),
])
def test_writes_without_an_editor_token_are_refused(client: TestClient, tokens: Tokens,
                                                    headers: dict | str, status: int, error: str) -> None:
    auth = tokens.header(headers) if isinstance(headers, str) else headers
    attempts = [
        client.post("/update", content=f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <urn:a> <urn:b> <urn:c> }} }}",
                    headers={**UPDATE, **auth}),
        client.put("/store", params={"graph": GRAPH}, content=TURTLE, headers={**auth, "Content-Type": "text/turtle"}),
        client.post("/store", params={"graph": GRAPH}, content=TURTLE, headers={**auth, "Content-Type": "text/turtle"}),
        client.delete("/store", params={"graph": ISO}, headers=auth),
    ]
    for response in attempts:
        assert response.status_code == status, response.text
        assert response.json()["error"] == error
    if status == 401:
        assert attempts[0].headers["www-authenticate"].startswith("Bearer")
    assert triples(client, GRAPH) == set()
    assert triples(client, ISO)


def test_a_wrong_token_is_refused_even_on_reads(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


@pytest.mark.parametrize("update", [
    f"DROP GRAPH <{ISO}>",
    "DROP ALL",
    "CLEAR NAMED",
    f"INSERT DATA {{ GRAPH <{ISO}> {{ <urn:a> <urn:b> <urn:c> }} }}",
    f"WITH <{ISO}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"PREFIX g: <https://w3id.org/aims-graph/graph/>\nCOPY <{GRAPH}> TO g:meta",
    f"MOVE <{ISO}> TO <{GRAPH}>",
])
def test_reference_graphs_need_an_admin(client: TestClient, tokens: Tokens, update: str) -> None:
    before = len(triples(client, ISO))
    refused = client.post("/update", content=update, headers={**UPDATE, **tokens.header("editor")})
    assert refused.status_code == 403 and refused.json()["error"] == "reference graph is read-only"
    assert len(triples(client, ISO)) == before


def test_gsp_writes_to_reference_graphs_need_an_admin(client: TestClient, tokens: Tokens) -> None:
    before = triples(client, ISO)
    for method in ("put", "post"):
        response = getattr(client, method)("/store", params={"graph": ISO}, content=TURTLE,
                                           headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert response.status_code == 403
    assert client.delete("/store", params={"graph": ISO}, headers=tokens.header("editor")).status_code == 403
    assert triples(client, ISO) == before


def test_an_admin_may_write_a_reference_graph(client: TestClient, tokens: Tokens) -> None:
    scratch = "https://w3id.org/aims-graph/graph/scratch-test"
    admin = {**UPDATE, **tokens.header("admin")}
    assert client.post("/update", content=f"INSERT DATA {{ GRAPH <{scratch}> {{ <urn:a> <urn:b> 1 }} }}",
                       headers=admin).status_code == 204
    assert triples(client, scratch)
    assert client.post("/update", content=f"DROP GRAPH <{scratch}>", headers=admin).status_code == 204


def test_the_organisation_graphs_are_open_to_editors(client: TestClient, tokens: Tokens) -> None:
    example = "https://w3id.org/aims-graph/graph/example"
    text = f"INSERT DATA {{ GRAPH <{example}> {{ <urn:editor> <urn:wrote> 1 }} }}"
    assert client.post("/update", content=text, headers={**UPDATE, **tokens.header("editor")}).status_code == 204
    assert client.post("/update", content=text.replace("INSERT", "DELETE"),
                       headers={**UPDATE, **tokens.header("editor")}).status_code == 204


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:9/data.ttl>",
    f"LOAD SILENT <http://169.254.169.254/> INTO GRAPH <{GRAPH}>",
    "INSERT { <urn:a> <urn:b> ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
])
def test_load_and_service_in_updates_are_refused(client: TestClient, tokens: Tokens, update: str) -> None:
    response = client.post("/update", content=update, headers={**UPDATE, **tokens.header("admin")})
    assert response.status_code == 400 and response.json()["error"] == "remote endpoint refused"


def test_update_syntax_errors_are_400(client: TestClient, tokens: Tokens) -> None:
    response = client.post("/update", content="INSERT DATA { <urn:a> <urn:b> }",
                           headers={**UPDATE, **tokens.header("editor")})
    assert response.status_code == 400 and response.json()["error"] == "syntax error"


def test_without_tokens_the_server_is_read_only_and_says_how_to_fix_it(settings: Settings) -> None:
    with app_client(settings, tokens_file=None) as client:
        response = client.post("/update", content="INSERT DATA { <urn:a> <urn:b> <urn:c> }", headers=UPDATE)
        assert response.status_code == 403
        assert response.json()["error"] == "read-only server"
        assert "token create --role editor" in response.json()["detail"]
        assert client.get("/health").json()["writable"] is False
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


OPEN_IN_READ_TOKEN_MODE = {"/health", "/context.jsonld"}


def test_read_token_mode_refuses_anonymous_reads_everywhere(settings: Settings, tokens: Tokens) -> None:
    with app_client(settings, require_read_token=True) as client:
        paths = client.get("/openapi.json").json()["paths"]
        readable = [path for path, operations in paths.items() if "get" in operations]
        assert len(readable) > 20
        for path in readable:
            url = path.replace("{system}", "InsurancePricing").replace("{scheme}", "iso42001") \
                      .replace("{notation}", "A.5.2")
            response = client.get(url)
            expected = 200 if path in OPEN_IN_READ_TOKEN_MODE else 401
            assert response.status_code == expected, (path, response.text)
        assert client.get("/sparql", params={"query": "ASK {}"}, headers=tokens.header("reader")).status_code == 200
        assert client.get("/store", params={"graph": ISO}, headers=tokens.header("reader")).status_code == 200
