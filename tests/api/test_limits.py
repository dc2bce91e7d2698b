"""Size limits: request bodies, answer rows and answer bytes; CORS; no stack trace anywhere."""

from __future__ import annotations

from fastapi.testclient import TestClient

from aims_graph.api.settings import Settings
from tests.api.conftest import Tokens, app_client

CROSS = "SELECT * WHERE { ?s ?p ?o } LIMIT 3000"


def test_a_declared_oversized_body_is_refused_before_it_is_read(settings: Settings, tokens: Tokens) -> None:
    with app_client(settings, max_body_bytes=1000) as client:
        body = b"<urn:a> <urn:b> <urn:c> .\n" * 100
        response = client.post("/store", params={"graph": "urn:g"}, content=body,
                               headers={**tokens.header("editor"), "Content-Type": "application/n-triples"})
        assert response.status_code == 413
        assert response.json()["error"] == "request too large"
        assert client.get("/store", params={"graph": "urn:g"}).status_code == 404


def test_a_streamed_oversized_body_is_refused(settings: Settings) -> None:
    def chunks():
        for _ in range(100):
            yield b"# padding padding padding padding\n"

    with app_client(settings, max_body_bytes=1000) as client:
        response = client.post("/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413
        assert response.json()["error"] == "request too large"


def test_answers_above_the_row_limit_are_refused_not_cut(settings: Settings) -> None:
    with app_client(settings, max_result_rows=1000) as client:
        for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
            response = client.get("/sparql", params={"query": CROSS}, headers={"Accept": accept})
            assert response.status_code == 413, accept
            assert response.json()["error"] == "result too large"
            assert "3000 rows" in response.json()["detail"]
        graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1500"})
        assert graph.status_code == 413
        assert client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"}).status_code == 200


def test_answers_above_the_byte_limit_are_cut_off_at_once(settings: Settings) -> None:
    with app_client(settings, max_result_bytes=100_000) as client:
        response = client.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"})
        assert response.status_code == 413
        assert "AIMS_GRAPH_MAX_RESULT_BYTES" in response.json()["detail"]
        assert client.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_cors_answers_only_listed_origins(settings: Settings) -> None:
    with app_client(settings, cors_origins=("https://governance.example",)) as client:
        allowed = client.options("/sparql", headers={"Origin": "https://governance.example",
                                                     "Access-Control-Request-Method": "POST"})
        assert allowed.headers["access-control-allow-origin"] == "https://governance.example"
        refused = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in refused.headers


def test_no_cors_header_without_configuration(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers


def test_a_failing_store_answers_json_without_a_traceback(settings: Settings) -> None:
    with app_client(settings) as client:
        client.app.state.sidecar.stop()  # the engine is gone and cannot come back
        client.app.state.sidecar.wait_running = lambda: None
        response = client.get("/sparql", params={"query": "ASK {}"})
        assert response.status_code == 503
        assert response.json()["error"] == "store unavailable"
        assert "Traceback" not in response.text
