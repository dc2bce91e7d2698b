"""The spellings an attacker tries, against the service on a real sidecar: every refusal
is decided on the parsed request, and afterwards the reference graphs are unchanged and
no request reached the address the text named."""

from __future__ import annotations

from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from aims_graph.knowledge.graph_kinds import is_reference_graph
from tests.api.conftest import Tokens
from tests.reliability.listener import Listener

GRAPHS = "https://w3id.org/aims-graph/graph/"
REF = GRAPHS + "ontology"
DATA = GRAPHS + "data"
UPDATE = {"Content-Type": "application/sparql-update"}
QUERY = {"Content-Type": "application/sparql-query"}
TRIPLE = "<urn:a> <urn:b> 1"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    """A loopback address an SSRF would reach: it answers as a SPARQL endpoint would."""
    server = Listener()
    yield server
    server.close()


def reference_sizes(client: TestClient) -> dict[str, int]:
    answer = client.get("/sparql", params={
        "query": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"})
    assert answer.status_code == 200, answer.text
    return {row["g"]["value"]: int(row["n"]["value"]) for row in answer.json()["results"]["bindings"]
            if is_reference_graph(row["g"]["value"])}


WRITES_TO_REFERENCE = [
    "PREFIX ex:<http://x/> DROP ALL",
    "PREFIX ex:<http://x/>DROP ALL",
    "prefix ex: <http://x/> clear all",
    "PREFIX ex:<http://x/> CLEAR NAMED",
    f"PREFIX g:<{GRAPHS}> CLEAR GRAPH g:ontology",
    f"PREFIX g:<{GRAPHS}>MOVE g:ontology TO <urn:x>",
    f"PREFIX g:<{GRAPHS}> COPY <urn:x> TO g:ontology",
    f"PREFIX g:<{GRAPHS}> ADD DEFAULT TO g:ontology",
    f"PREFIX é: <{GRAPHS}> INSERT DATA {{ GRAPH é:ontology {{ {TRIPLE} }} }}",
    f"PREFIX Ωg: <{GRAPHS}> DELETE DATA {{ GRAPH Ωg:ontology {{ {TRIPLE} }} }}",
    f"BASE <{GRAPHS}> INSERT DATA {{ GRAPH <ontology> {{ {TRIPLE} }} }}",
    f"BASE <{GRAPHS}import/x/> INSERT DATA {{ GRAPH <../../ontology> {{ {TRIPLE} }} }}",
    f"BASE <{GRAPHS}data/> DROP GRAPH <./../ontology>",
    r"\u0044ROP ALL",
    rf"DROP GRAPH \u003C{REF}\u003E",
    rf"INSERT DATA {{ GRAPH <{GRAPHS[:-6]}gr\u0061ph/ontology> {{ {TRIPLE} }} }}",
    f"DROP # a comment\n GRAPH # another }} {{\n <{REF}>",
    f"DrOp SiLeNt GrApH <{REF}>",
    f"clear graph <{REF}>",
    f"PREFIX g:<{GRAPHS}> WITH g:ontology DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    f"WITH<{REF}>INSERT{{<urn:a><urn:b>1}}WHERE{{}}",
    f"PREFIX g:<{GRAPHS}> INSERT {{ GRAPH g:ontology {{ ?s ?p ?o }} }} USING <{DATA}> WHERE {{ ?s ?p ?o }}",
    "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"INSERT {{ GRAPH ?g {{ {TRIPLE} }} }} WHERE {{ GRAPH ?g {{ }} }}",
    f"INSERT DATA {{ GRAPH <{DATA}> {{ {TRIPLE} }} }} ; PREFIX g: <{GRAPHS}> DROP GRAPH g:ontology",
]


@pytest.mark.parametrize("text", WRITES_TO_REFERENCE)
def test_an_editor_cannot_write_reference_graphs_whatever_the_spelling(
        client: TestClient, tokens: Tokens, reference_unchanged: None, text: str) -> None:
    sizes = reference_sizes(client)
    response = client.post("/update", content=text.encode(), headers={**UPDATE, **tokens.header("editor")})
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "reference graph is read-only"
    anonymous = client.post("/update", content=text.encode(), headers=UPDATE)
    assert anonymous.status_code == 401
    assert reference_sizes(client) == sizes


def test_reading_a_reference_graph_into_organisation_data_is_allowed(
        client: TestClient, tokens: Tokens, reference_unchanged: None) -> None:
    """GRAPH in WHERE only reads: the guard must not refuse it."""
    text = (f"PREFIX g:<{GRAPHS}> INSERT {{ GRAPH <{DATA}> {{ ?s <urn:copied> true }} }} "
            f"WHERE {{ GRAPH g:ontology {{ ?s <urn:nothing> ?o }} }}")
    response = client.post("/update", content=text.encode(), headers={**UPDATE, **tokens.header("editor")})
    assert response.status_code == 204, response.text


def remote_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/sparql"
    return [
        f"SELECT * WHERE {{ SERVICE<{target}>{{ ?s ?p ?o }} }}",
        f"PREFIX s:<http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE s:sparql {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/x/> SELECT * WHERE {{ SERVICE <../sparql> {{ ?s ?p ?o }} }}",
        rf"SELECT * WHERE {{ SERVICE \u003Chttp://127.0.0.1:{port}/sparql\u003E {{ ?s ?p ?o }} }}",
        rf"SELECT * WHERE {{ \u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service # a comment\n silent <{target}> {{ ?s ?p ?o }} }}",
        f"PREFIX é: <http://127.0.0.1:{port}/> SELECT * {{ SeRvIcE é:sparql {{ }} }}",
        f"SELECT * {{ OPTIONAL {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * {{ {{ SELECT ?s {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} LIMIT 1",
        f"SELECT * {{ {{ }} UNION {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }}",
        f"SELECT * {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]


@pytest.mark.parametrize("index", range(13))
@pytest.mark.parametrize("role", ["anonymous", "editor"])
def test_no_query_reaches_another_address_whatever_the_spelling(
        client: TestClient, tokens: Tokens, listener: Listener, index: int, role: str) -> None:
    text = remote_queries(listener.port)[index]
    headers = {**QUERY, **(tokens.header("editor") if role == "editor" else {})}
    response = client.post("/sparql", content=text.encode(), headers=headers)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "remote endpoint refused"
    assert listener.requests == []


@pytest.mark.parametrize("text", [
    "LOAD<{url}/store?graph=x> INTO GRAPH <" + DATA + ">",
    "load silent <{url}/store> into graph <" + DATA + ">",
    "PREFIX l: <{url}/> LOAD l:store INTO GRAPH <" + DATA + ">",
    r"LOAD \u003C{url}/store>",
    "INSERT { GRAPH <" + DATA + "> { ?s ?p ?o } } WHERE { SERVICE<{url}/sparql> { ?s ?p ?o } }",
])
def test_an_editor_cannot_make_the_engine_load_or_query_another_address(
        client: TestClient, tokens: Tokens, listener: Listener, reference_unchanged: None, text: str) -> None:
    text = text.replace("{url}", listener.url)
    response = client.post("/update", content=text.encode(), headers={**UPDATE, **tokens.header("editor")})
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "remote endpoint refused"
    assert listener.requests == []


def test_two_thousand_braces_are_a_400_and_the_engine_keeps_answering(client: TestClient) -> None:
    text = "SELECT * WHERE " + "{" * 2000 + "}" * 2000
    response = client.get("/sparql", params={"query": text})
    assert response.status_code == 400
    assert response.json() == {"error": "syntax error", "detail": response.json()["detail"]}
    assert "nested deeper than 64 levels" in response.json()["detail"]
    assert client.get("/sparql", params={"query": "ASK { }"}).json()["boolean"] is True


@pytest.mark.parametrize("endpoint, text, error", [
    ("/sparql", "PREFIX ex:<http://x/> DROP ALL", "update on the query endpoint"),
    ("/sparql", r"\u0049NSERT DATA { <urn:a> <urn:b> 1 }", "update on the query endpoint"),
    ("/update", "PREFIX ex:<http://x/> SELECT * { ?s ?p ?o }", "query on the update endpoint"),
    ("/update", "ASK {}", "query on the update endpoint"),
])
def test_an_update_goes_to_update_and_a_query_to_sparql(
        client: TestClient, tokens: Tokens, reference_unchanged: None, endpoint: str, text: str, error: str) -> None:
    headers = {**(UPDATE if endpoint == "/update" else QUERY), **tokens.header("admin")}
    response = client.post(endpoint, content=text.encode(), headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == error


@pytest.mark.parametrize("text, where", [
    ("SELECT * WHERE { <relative> ?p ?o }", "line 1, column 18"),
    ("SELECT *\nWHERE { ?s ?p ?o FILTER(?s = ) }", "line 2, column 30"),
    ("PREFIX a: <urn:a:> SELECT * { b:x ?p ?o }", "line 1, column 31"),
])
def test_a_text_the_parser_refuses_is_a_400_with_its_message(client: TestClient, text: str, where: str) -> None:
    response = client.post("/sparql", content=text.encode(), headers=QUERY)
    assert response.status_code == 400
    assert response.json()["error"] == "syntax error"
    assert response.json()["detail"].startswith(where)


def test_the_engine_runs_the_re_serialised_text(client: TestClient, tokens: Tokens, reference_unchanged: None) -> None:
    """A BASE-relative, escaped, commented insert lands where the analysis said it would."""
    text = (f"BASE <{GRAPHS}import/> # organisation data\n"
            rf"INSERT DATA {{ GRAPH <../d\u0061ta> {{ <urn:parsed> <urn:by> 'the parser' }} }}")
    response = client.post("/update", content=text.encode(), headers={**UPDATE, **tokens.header("editor")})
    assert response.status_code == 204, response.text
    ask = f"ASK {{ GRAPH <{DATA}> {{ <urn:parsed> <urn:by> 'the parser' }} }}"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
