"""/sparql: the SPARQL 1.1 Protocol for queries, every format, every refusal."""

from __future__ import annotations

import csv
from dataclasses import replace
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

ONTOLOGY = "https://w3id.org/aims-graph/ontology#"
SELECT = f"SELECT ?label WHERE {{ <{ONTOLOGY}AISystem> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
CONSTRUCT = f"CONSTRUCT {{ <{ONTOLOGY}AISystem> ?p ?o }} WHERE {{ <{ONTOLOGY}AISystem> ?p ?o }}"


def labels_from(media: str, body: bytes) -> set[str]:
    """Parse a SELECT answer with a parser independent of the server's serialiser."""
    if media == "application/sparql-results+json":
        return {b["label"]["value"] for b in json.loads(body)["results"]["bindings"]}
    if media == "application/sparql-results+xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return {lit.text for lit in ET.fromstring(body).iter(f"{ns}literal")}
    if media == "text/csv":
        return {row["label"] for row in csv.DictReader(io.StringIO(body.decode()))}
    rows = body.decode().splitlines()[1:]
    return {ox.parse(f"<x:s> <x:p> {row} .".encode(), format=ox.RdfFormat.N_TRIPLES).__next__().object.value
            for row in rows}


@pytest.mark.parametrize("media", ["application/sparql-results+json", "application/sparql-results+xml",
                                   "text/csv", "text/tab-separated-values"])
def test_select_answers_in_every_results_format(client: TestClient, media: str) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    labels = labels_from(media, response.content)
    assert labels and all("system" in label.lower() for label in labels)


@pytest.mark.parametrize("media, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_answers_in_every_rdf_format(client: TestClient, media: str, rdflib_format: str) -> None:
    response = client.post("/sparql", content=CONSTRUCT,
                           headers={"Content-Type": "application/sparql-query", "Accept": media})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media
    graph = rdflib.Graph().parse(data=response.content, format=rdflib_format)
    assert (rdflib.URIRef(ONTOLOGY + "AISystem"), rdflib.RDF.type, rdflib.OWL.Class) in graph


def test_default_formats_and_q_values(client: TestClient) -> None:
    plain = client.get("/sparql", params={"query": SELECT})
    assert plain.headers["content-type"] == "application/sparql-results+json"
    preferred = client.get("/sparql", params={"query": SELECT},
                           headers={"Accept": "text/csv;q=0.5, application/sparql-results+xml;q=0.9"})
    assert preferred.headers["content-type"].startswith("application/sparql-results+xml")
    graph = client.get("/sparql", params={"query": CONSTRUCT})
    assert graph.headers["content-type"].startswith("text/turtle")


def test_ask_and_form_post(client: TestClient) -> None:
    yes = client.post("/sparql", data={"query": f"ASK {{ <{ONTOLOGY}AISystem> ?p ?o }}"})
    no = client.post("/sparql", data={"query": "ASK { <urn:nothing> ?p ?o }"})
    assert (yes.json()["boolean"], no.json()["boolean"]) == (True, False)


def test_named_graph_uri_restricts_the_dataset(client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    only = "https://w3id.org/aims-graph/graph/ontology"
    response = client.get("/sparql", params={"query": query, "named-graph-uri": only})
    graphs = {b["g"]["value"] for b in response.json()["results"]["bindings"]}
    assert graphs == {only}


@pytest.mark.parametrize("request_args, status, error", [
    ({"params": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}}, 400, "update on the query endpoint"),
    ({"params": {"query": "DROP ALL"}}, 400, "update on the query endpoint"),
    ({"params": {"query": "SELEC ?s WHERE { ?s ?p ?o }"}}, 400, "syntax error"),
    ({"params": {"query": "SELECT ?s WHERE { ?s ?p ?o "}}, 400, "syntax error"),
    ({"params": {}}, 400, "missing query"),
    ({"params": {"query": SELECT}, "headers": {"Accept": "image/png"}}, 406, "not acceptable"),
    ({"params": {"query": CONSTRUCT}, "headers": {"Accept": "text/csv"}}, 406, "not acceptable"),
])
def test_bad_queries_get_json_errors(client: TestClient, request_args: dict, status: int, error: str) -> None:
    response = client.get("/sparql", **request_args)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "Traceback" not in response.text


def test_post_with_an_unknown_content_type_is_415(client: TestClient) -> None:
    response = client.post("/sparql", content=SELECT, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported media type"


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://127.0.0.1:9/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "PREFIX x: <urn:x#> # SERVICE in a comment does not hide the real one\n"
    "SELECT * WHERE { SERVICE <http://169.254.169.254/latest/> { ?s ?p ?o } }",
])
def test_service_to_an_endpoint_off_the_allow_list_is_refused(client: TestClient, query: str) -> None:
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert response.json()["error"] == "remote endpoint refused"


def test_service_on_the_allow_list_reaches_the_engine(client: TestClient) -> None:
    """An allowed target passes the guard.  The engine refuses port 9 in the middle of
    its streamed answer; that cut answer must come back as an error, not as a result."""
    app = client.app
    allowed = "http://127.0.0.1:9/"
    original = app.state.settings
    app.state.settings = replace(original, service_allowlist=(allowed,))
    try:
        response = client.post("/sparql", data={"query": f"SELECT * WHERE {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}"})
    finally:
        app.state.settings = original
    assert response.status_code == 502
    assert response.json()["error"] == "query failed"
    assert "port 9" in response.json()["detail"]
