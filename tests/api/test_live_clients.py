"""Real SPARQL clients against a real running server, on the embedded and on a remote store."""

from __future__ import annotations

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.api.conftest import LiveServer, Tokens

ONTOLOGY = "https://w3id.org/aims-graph/ontology#"
SELECT = (f"SELECT ?label WHERE {{ <{ONTOLOGY}AISystem> "
          "<http://www.w3.org/2000/01/rdf-schema#label> ?label }")
CONSTRUCT = f"CONSTRUCT {{ <{ONTOLOGY}AISystem> ?p ?o }} WHERE {{ <{ONTOLOGY}AISystem> ?p ?o }}"


def wrapper(server: LiveServer, method: str, only_conneg: bool) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(method)
    client.setOnlyConneg(only_conneg)
    return client


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("only_conneg", [True, False])
def test_sparqlwrapper_select_in_every_format(live_server: LiveServer, method: str, only_conneg: bool) -> None:
    client = wrapper(live_server, method, only_conneg)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    labels = {b["label"]["value"] for b in client.queryAndConvert()["results"]["bindings"]}
    assert any("system" in label.lower() for label in labels)
    client.setReturnFormat(XML)
    assert client.queryAndConvert().getElementsByTagName("literal")
    for text_format in (CSV, TSV):
        client.setReturnFormat(text_format)
        rows = client.queryAndConvert().decode().strip().splitlines()
        assert len(rows) == len(labels) + 1


@pytest.mark.parametrize("method", [GET, POST])
def test_sparqlwrapper_construct_in_every_format(live_server: LiveServer, method: str) -> None:
    client = wrapper(live_server, method, True)
    client.setQuery(CONSTRUCT)
    for graph_format in (TURTLE, RDFXML, JSONLD, N3):
        client.setReturnFormat(graph_format)
        result = client.queryAndConvert()
        graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(
            data=result, format={TURTLE: "turtle", N3: "n3", JSONLD: "json-ld"}[graph_format])
        assert (rdflib.URIRef(ONTOLOGY + "AISystem"), rdflib.RDF.type, rdflib.OWL.Class) in graph, graph_format


def test_sparqlwrapper_ask(live_server: LiveServer) -> None:
    client = wrapper(live_server, GET, True)
    client.setQuery(f"ASK {{ <{ONTOLOGY}AISystem> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore_reads_through_the_service(live_server: LiveServer) -> None:
    graph = rdflib.Graph(SPARQLStore(live_server.url + "/sparql", returnFormat="json"))
    labels = {str(row.label) for row in graph.query(SELECT)}
    assert any("system" in label.lower() for label in labels)
    assert (rdflib.URIRef(ONTOLOGY + "AISystem"), rdflib.RDF.type, rdflib.OWL.Class) in graph
    post = rdflib.Graph(SPARQLStore(live_server.url + "/sparql", method="POST"))
    assert len(list(post.query(CONSTRUCT))) > 1


def test_graph_store_round_trip_over_the_network(live_server: LiveServer, tokens: Tokens) -> None:
    graph = "https://example.org/live/gsp"
    turtle = b"<https://example.org/live/a> <https://example.org/live/b> 'c' ."
    with httpx.Client(base_url=live_server.url) as http:
        put = http.put("/store", params={"graph": graph}, content=turtle,
                       headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert put.status_code == 201, put.text
        client = wrapper(live_server, GET, True)
        client.setQuery(f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        client.setReturnFormat(JSON)
        assert [b["o"]["value"] for b in client.queryAndConvert()["results"]["bindings"]] == ["c"]
        assert http.delete("/store", params={"graph": graph}, headers=tokens.header("reader")).status_code == 403
        assert http.delete("/store", params={"graph": graph}, headers=tokens.header("editor")).status_code == 204
        assert http.get("/store", params={"graph": graph}).status_code == 404
