"""Reference graphs are written by no request, whatever the door, the role or the spelling.

Every test runs with ``reference_unchanged``: the service's reference graphs are
fingerprinted before and after, and must be identical.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from aims_graph.store import DEFAULT_DATA_GRAPH
from tests.api.conftest import ROOT, Tokens

pytestmark = pytest.mark.usefixtures("reference_unchanged")  # once for the module: before and after

BASE = "https://w3id.org/aims-graph/graph/"
ONTOLOGY = BASE + "ontology"
TRIPLE = "<urn:attack:s> <urn:attack:p> <urn:attack:o>"
UPDATE = {"Content-Type": "application/sparql-update"}
ROLES = ("editor", "admin")

# Bodies for POST /import?graph=<data graph>: each names a reference graph in its own way.
SPELLINGS = {
    "nquads graph column": ("application/n-quads", f"{TRIPLE} <{ONTOLOGY}> .\n"),
    "nquads after a harmless quad": ("application/n-quads", f"{TRIPLE} .\n{TRIPLE} <{BASE}iso42001> .\n"),
    "nquads percent-encoded": ("application/n-quads", f"{TRIPLE} <{BASE}%6Fntology> .\n"),
    "nquads upper-case scheme and host, default port": (
        "application/n-quads", f"{TRIPLE} <HTTPS://W3ID.ORG:443/aims-graph/graph/meta> .\n"),
    "nquads dot segments": ("application/n-quads", f"{TRIPLE} <{BASE}import/../iso42001> .\n"),
    "nquads encoded dot segments": ("application/n-quads", f"{TRIPLE} <{BASE}import/%2E%2E/shapes-integrity> .\n"),
    "trig GRAPH block": ("application/trig", f"GRAPH <{ONTOLOGY}> {{ {TRIPLE} }}"),
    "trig bare block": ("application/trig", f"<{BASE}eu-ai-act> {{ {TRIPLE} }}"),
    "trig prefixed name": ("application/trig", f"@prefix g: <{BASE}> . g:meta {{ {TRIPLE} }}"),
    "trig relative IRI against @base": ("application/trig", f"@base <{BASE}import/x> . <../iso23894> {{ {TRIPLE} }}"),
    "trig SPARQL-style BASE": ("application/trig", f"BASE <{BASE}> GRAPH <nist-ai-rmf> {{ {TRIPLE} }}"),
    "trig default block then a named one": ("application/trig", f"{{ {TRIPLE} }} <{ONTOLOGY}> {{ {TRIPLE} }}"),
    "json-ld @graph with @id": ("application/ld+json", json.dumps(
        {"@id": ONTOLOGY, "@graph": [{"@id": "urn:attack:s", "urn:attack:p": {"@id": "urn:attack:o"}}]})),
    "json-ld @id relative to @base": ("application/ld+json", json.dumps(
        {"@context": {"@base": BASE}, "@id": "iso42001",
         "@graph": [{"@id": "urn:attack:s", "urn:attack:p": {"@id": "urn:attack:o"}}]})),
    "json-ld nested named graph": ("application/ld+json", json.dumps(
        [{"@id": "urn:attack:s", "urn:attack:p": {"@id": "urn:attack:o"}},
         {"@id": BASE + "meta", "@graph": {"@id": "urn:attack:s", "urn:attack:p": "x"}}])),
}


def holds_attack(client: TestClient) -> bool:
    return client.get("/sparql", params={"query": "ASK { <urn:attack:s> ?p ?o }"}).json()["boolean"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_import_refuses_quads_naming_a_reference_graph(client: TestClient, tokens: Tokens,
                                                       spelling: str, role: str) -> None:
    media, body = SPELLINGS[spelling]
    response = client.post("/import", params={"graph": DEFAULT_DATA_GRAPH}, content=body.encode(),
                           headers={**tokens.header(role), "Content-Type": media})
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "reference graph is read-only"
    assert not holds_attack(client)  # all or nothing: the harmless quads were not written either


@pytest.mark.parametrize("graph", [
    BASE + "iso42001", BASE + "%6Fntology", "HTTPS://w3id.org/aims-graph/graph/meta",
    BASE + "import/../alignment", BASE + "./crosswalk-iso42001-eu-ai-act",
])
@pytest.mark.parametrize("role", ROLES)
def test_graph_store_refuses_reference_graphs_to_every_role(client: TestClient, tokens: Tokens,
                                                            role: str, graph: str) -> None:
    auth = tokens.header(role)
    turtle = {**auth, "Content-Type": "text/turtle"}
    for response in (client.put("/store", params={"graph": graph}, content=f"{TRIPLE} .", headers=turtle),
                     client.post("/store", params={"graph": graph}, content=f"{TRIPLE} .", headers=turtle),
                     client.delete("/store", params={"graph": graph}, headers=auth),
                     client.post("/import", params={"graph": graph}, content=f"{TRIPLE} .", headers=turtle)):
        assert response.status_code == 403, response.text
        assert response.json()["error"] == "reference graph is read-only"
        assert "reference loader" in response.json()["detail"]


@pytest.mark.parametrize("update", [
    f"INSERT DATA {{ GRAPH <{ONTOLOGY}> {{ {TRIPLE} }} }}",
    f"DROP GRAPH <{BASE}meta>",
    "DROP ALL",
    "CLEAR NAMED",
    "DELETE WHERE { GRAPH ?g { <urn:attack:s> ?p ?o } }",
])
def test_an_admin_update_may_not_write_reference_graphs_either(client: TestClient, tokens: Tokens,
                                                               update: str) -> None:
    response = client.post("/update", content=update, headers={**UPDATE, **tokens.header("admin")})
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "reference graph is read-only"


@pytest.mark.parametrize("role", ROLES)
def test_a_spreadsheet_may_not_be_imported_into_a_reference_graph(client: TestClient, tokens: Tokens,
                                                                  role: str) -> None:
    workbook = ROOT / "examples" / "spreadsheets" / "example-lender.xlsx"
    upload = {"file": (workbook.name, workbook.read_bytes(), "application/octet-stream")}
    for graph in (BASE + "iso42001", BASE + "import/../iso42001"):
        response = client.post("/import", params={"graph": graph, "replace": "true"}, files=upload,
                               headers=tokens.header(role))
        assert response.status_code == 403, response.text


def test_the_product_namespace_needs_an_admin_and_other_spellings_are_other_graphs(
        client: TestClient, tokens: Tokens) -> None:
    # A different path (case is significant there) under the product's namespace: an
    # admin may write it, an editor may not.
    reserved = BASE + "Ontology"
    body = {"Content-Type": "application/n-triples"}
    refused = client.put("/store", params={"graph": reserved}, content=f"{TRIPLE} .",
                         headers={**tokens.header("editor"), **body})
    assert refused.status_code == 403 and refused.json()["error"] == "reserved graph"
    assert client.put("/store", params={"graph": reserved}, content=f"{TRIPLE} .",
                      headers={**tokens.header("admin"), **body}).status_code == 201
    assert client.delete("/store", params={"graph": reserved}, headers=tokens.header("admin")).status_code == 204
    # Outside the namespace (another path): an organisation's graph like any other.
    elsewhere = "https://w3id.org/AIMS-graph/graph/ontology"
    written = client.post("/import", content=f"{TRIPLE} <{elsewhere}> .".encode(),
                          headers={**tokens.header("editor"), "Content-Type": "application/n-quads"})
    assert written.status_code == 200, written.text
    assert written.json()["graphs"] == [elsewhere]
    assert client.delete("/store", params={"graph": elsewhere}, headers=tokens.header("editor")).status_code == 204
    assert not holds_attack(client)


def test_organisation_quads_beside_the_target_are_written_where_they_say(client: TestClient, tokens: Tokens) -> None:
    other = "https://example.org/test/other-graph"
    body = f"{TRIPLE} .\n{TRIPLE} <{other}> .\n".encode()
    response = client.post("/import", params={"graph": "https://example.org/test/target"}, content=body,
                           headers={**tokens.header("editor"), "Content-Type": "application/n-quads"})
    assert response.status_code == 200, response.text
    assert response.json()["graphs"] == [other, "https://example.org/test/target"]
    for graph in response.json()["graphs"]:
        read = client.get("/store", params={"graph": graph}, headers={"Accept": "application/n-triples"})
        assert len(list(ox.parse(read.content, format=ox.RdfFormat.N_TRIPLES))) == 1
        assert client.delete("/store", params={"graph": graph}, headers=tokens.header("editor")).status_code == 204
