"""The REST views on the example organisation: systems, requirements, crosswalks, queries,
validation, SoA, export and import, and the OpenAPI document that describes them."""

from __future__ import annotations

import csv
import io
import json
from typing import Iterator

import pyoxigraph as ox
import pytest
import rdflib
from fastapi.testclient import TestClient

from aims_graph.named_queries import list_queries
from aims_graph.api.settings import Settings
from tests.api.conftest import EXAMPLE_GRAPH, ROOT, Tokens, app_client

HARBOURLINE = "https://example.org/harbourline/"
EXAMPLE_FILES = sorted((ROOT / "examples" / "organisation").glob("*.ttl"))
assert EXAMPLE_FILES, "the example organisation (examples/organisation/*.ttl) is missing"


def example_subjects() -> set[str]:
    """The AI systems the example files declare, read from the files themselves."""
    graph = rdflib.Graph()
    for path in EXAMPLE_FILES:
        graph.parse(path, format="turtle")
    system = rdflib.URIRef("https://w3id.org/aims-graph/ontology#AISystem")
    return {str(s) for s in graph.subjects(rdflib.RDF.type, system)}


@pytest.fixture(scope="module")
def views(settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    """A service holding the example organisation, loaded through POST /import."""
    with app_client(settings, query_timeout_s=10) as client:
        body = b"\n".join(path.read_bytes() for path in EXAMPLE_FILES)
        loaded = client.post("/import", params={"graph": EXAMPLE_GRAPH}, content=body,
                             headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert loaded.status_code == 200, loaded.text
        assert loaded.json()["quads"] > 1000
        yield client


def test_systems_lists_every_example_system_with_a_context_link(views: TestClient) -> None:
    response = views.get("/systems")
    assert response.status_code == 200
    assert 'rel="http://www.w3.org/ns/json-ld#context"' in response.headers["link"]
    assert {row["system"] for row in response.json()["rows"]} == example_subjects()


def test_systems_as_csv(views: TestClient) -> None:
    response = views.get("/systems", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["system"] for row in rows} == example_subjects()


def test_one_system_is_classified_with_its_grounds(views: TestClient) -> None:
    response = views.get("/systems/InsurancePricing")
    assert response.status_code == 200
    body = response.json()
    assert body["system"] == HARBOURLINE + "InsurancePricing"
    (classification,) = body["classification"]
    # Annex III point 5(c): risk assessment and pricing in life and health insurance.
    assert "HighRiskAnnexIII" in classification["categories"]
    as_rdf = views.get("/systems/InsurancePricing", headers={"Accept": "application/n-triples"})
    subjects = {t.subject.value for t in ox.parse(as_rdf.content, format=ox.RdfFormat.N_TRIPLES)}
    assert HARBOURLINE + "InsurancePricing" in subjects


def test_trace_by_iri_and_as_svg(views: TestClient) -> None:
    iri = HARBOURLINE + "InsurancePricing"
    trace = views.get(f"/systems/{iri}/trace")
    assert trace.status_code == 200
    aspects = {row["aspect"] for row in trace.json()["rows"]}
    assert {"purpose", "life-cycle stage"} <= aspects
    picture = views.get("/systems/InsurancePricing/trace.svg")
    assert picture.headers["content-type"] == "image/svg+xml"
    assert picture.content.lstrip().startswith(b"<?xml") and b"<svg" in picture.content


@pytest.mark.parametrize("path", ["/systems/NoSuchSystem", "/systems/NoSuchSystem/trace",
                                  "/systems/NoSuchSystem/trace.svg", "/systems/NoSuchSystem/annex-iv",
                                  "/validate?system=NoSuchSystem"])
def test_unknown_systems_are_404(views: TestClient, path: str) -> None:
    response = views.get(path)
    assert response.status_code == 404 and response.json()["error"] == "not found"


def test_annex_iv_as_json_markdown_and_html(views: TestClient) -> None:
    document = views.get("/systems/CreditScoring/annex-iv", params={"asOf": "2026-11-29"})
    assert document.status_code == 200, document.text
    body = document.json()
    assert body["system"] == "https://example.org/harbourline/CreditScoring" and body["high_risk"] is True
    points = {item["point"]: item for section in body["sections"] for item in section["items"]}
    assert points["9"]["status"] == "missing" and "Article 72" in points["9"]["needed_by"]
    markdown = views.get("/systems/CreditScoring/annex-iv", params={"format": "md"})
    assert markdown.headers["content-type"].startswith("text/markdown") and markdown.text.startswith("# Annex IV")
    page = views.get("/systems/FraudDetection/annex-iv", params={"format": "html"})
    assert page.headers["content-type"].startswith("text/html") and "not a high-risk system" in page.text


def test_annex_iv_refuses_an_unknown_format(views: TestClient) -> None:
    refused = views.get("/systems/CreditScoring/annex-iv", params={"format": "docx"})
    assert refused.status_code == 400 and "docx" in refused.json()["detail"]


def test_requirement_with_its_mappings_and_as_rdf(views: TestClient) -> None:
    response = views.get("/requirements/eu-ai-act/Article 9")
    assert response.status_code == 200
    body = response.json()
    assert body["iri"] == "https://w3id.org/aims-graph/eu-ai-act/Article-9"
    assert body["mappings"] and all(m["other"] for m in body["mappings"])
    assert (body["notation"], body["title"], body["appliesFrom"]) == ("Article 9", "Risk management system", "2026-08-02")
    assert body["parent"].endswith("/Chapter-III-Section-2") and body["notationDerived"] is False
    control = views.get("/requirements/iso42001/A.6.2.4").json()
    assert control["title"] and control["parentNotation"] == "A.6.2" and control["children"] == 0
    assert views.get("/requirements/iso23894/B.4").json()["notationDerived"] is True
    turtle = views.get("/requirements/iso42001/A.6.2.4", headers={"Accept": "text/turtle"})
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    notation = "http://www.w3.org/2004/02/skos/core#notation"
    assert any(t.predicate.value == notation and t.object.value == "A.6.2.4" for t in triples)
    assert views.get("/requirements/iso42001/Z.99").status_code == 404


def test_requirement_mappings_say_when_the_other_number_is_provisional(views: TestClient) -> None:
    mappings = views.get("/requirements/iso42001/C.3.3").json()["mappings"]
    flags = {m["otherNotation"]: m["otherNotationDerived"] for m in mappings}
    assert flags["B.4"] is True
    article_9 = views.get("/requirements/eu-ai-act/Article 9").json()["mappings"]
    assert article_9 and not any(m["otherNotationDerived"] for m in article_9)


def test_crosswalk_sets_coverage_and_explain(views: TestClient) -> None:
    sets = views.get("/crosswalks").json()
    files = sorted(path.name[: -len(".sssom.tsv")] for path in (ROOT / "ontology" / "crosswalks").glob("*.sssom.tsv"))
    assert sorted(s["id"].rsplit("/", 1)[-1] for s in sets) == files
    assert all(s["mappings"] > 0 for s in sets)
    coverage = views.get("/crosswalks/coverage", params={"from": "iso42001", "to": "eu-ai-act"})
    assert coverage.status_code == 200 and coverage.json()["rows"]
    explained = views.get("/crosswalks/explain", params={"concept": "A.5.2"}).json()
    assert explained["notation"] == "A.5.2" and explained["mappings"]
    assert views.get("/crosswalks/coverage", params={"from": "iso42001", "to": "nope"}).status_code == 400


def test_named_queries_are_listed_and_each_has_its_own_openapi_entry(views: TestClient) -> None:
    listed = {q["name"] for q in views.get("/queries").json()}
    catalogue = list_queries()
    assert listed == {q.name for q in catalogue}
    paths = views.get("/openapi.json").json()["paths"]
    for query in catalogue:
        operation = paths[f"/queries/{query.name}"]["get"]
        assert {p["name"] for p in operation.get("parameters", [])} == {p.name for p in query.params}
        required = {p["name"] for p in operation.get("parameters", []) if p["required"]}
        assert required == {p.name for p in query.params if p.required}


def test_a_named_query_binds_its_parameters_and_refuses_bad_ones(views: TestClient) -> None:
    iri = HARBOURLINE + "InsurancePricing"
    bound = views.get("/queries/trace-system", params={"system": iri})
    assert bound.status_code == 200 and bound.json()["rows"]
    injection = views.get("/queries/trace-system", params={"system": iri + "> } UNION { ?s ?p ?o"})
    assert injection.status_code == 400
    unknown = views.get("/queries/trace-system", params={"system": iri, "nope": "1"})
    assert unknown.status_code == 400 and "nope" in unknown.json()["detail"]
    missing = views.get("/queries/trace-system")
    assert missing.status_code == 400
    unknown_query = views.get("/queries/list-sytems")
    assert unknown_query.status_code == 404 and unknown_query.json()["error"] == "not found"
    assert "did you mean 'list-systems'?" in unknown_query.json()["detail"]
    assert all(query.name in unknown_query.json()["detail"] for query in list_queries())
    xml = views.get("/queries/list-systems", headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")


def test_validation_summary_by_requirement(views: TestClient) -> None:
    response = views.get("/validate")
    assert response.status_code == 200
    summary = response.json()
    assert summary["engine"] == "compiled" and summary["requirements"]
    assert summary["violations"] > 0  # the example carries deliberate defects (examples/README.md)
    assert views.get("/validate", params={"engine": "nope"}).status_code == 400


def test_statement_of_applicability_in_every_format(views: TestClient) -> None:
    as_json = views.get("/soa").json()
    assert as_json["statement_of_applicability"] == HARBOURLINE + "SoA"
    controls = {row["control"] for row in as_json["controls"]}
    as_csv = views.get("/soa", params={"format": "csv"})
    assert {row["control"] for row in csv.DictReader(io.StringIO(as_csv.text))} == controls
    assert views.get("/soa", params={"format": "html"}).headers["content-type"].startswith("text/html")
    assert views.get("/soa", params={"format": "md"}).headers["content-type"].startswith("text/markdown")
    assert views.get("/soa", params={"format": "pdf"}).status_code == 400


def test_export_one_graph_or_the_dataset(views: TestClient) -> None:
    graph = views.get("/export", params={"format": "turtle", "graph": EXAMPLE_GRAPH})
    exported = {str(s) for s in rdflib.Graph().parse(data=graph.text, format="turtle").subjects()}
    assert example_subjects() <= exported
    dataset = views.get("/export", params={"format": "trig"})
    assert dataset.headers["content-type"].startswith("application/trig")
    assert views.get("/export", params={"format": "turtle"}).status_code == 400
    bad_iri = views.get("/export", params={"format": "turtle", "graph": "not an iri\n"})
    assert bad_iri.status_code == 400 and "not a valid graph IRI" in bad_iri.json()["detail"]


def test_import_rules(client: TestClient, tokens: Tokens) -> None:
    body = b'<https://example.org/imp/a> <https://example.org/imp/b> "c" .'
    headers = {"Content-Type": "application/n-triples"}
    assert client.post("/import", content=body, headers=headers).status_code == 401
    assert client.post("/import", content=body, headers={**headers, **tokens.header("reader")}).status_code == 403
    quads = b"<urn:a> <urn:b> <urn:c> <https://w3id.org/aims-graph/graph/ontology> ."
    protected = client.post("/import", content=quads,
                           headers={"Content-Type": "application/n-quads", **tokens.header("editor")})
    assert protected.status_code == 403
    unknown = client.post("/import", content=b"x", headers={"Content-Type": "application/pdf", **tokens.header("editor")})
    assert unknown.status_code == 415
    bad = client.post("/import", content=b"<urn:a> <urn:b> .", headers={**headers, **tokens.header("editor")})
    assert bad.status_code == 400 and "request body" in bad.json()["detail"]
    good = client.post("/import", content=body, headers={**headers, **tokens.header("editor")})
    assert good.json() == {"quads": 1, "graph": "https://w3id.org/aims-graph/graph/data",
                           "graphs": ["https://w3id.org/aims-graph/graph/data"]}


def test_spreadsheet_upload(client: TestClient, tokens: Tokens) -> None:
    sheets = sorted((ROOT / "examples" / "spreadsheets").glob("*.xlsx"))
    assert sheets, "the example spreadsheets are missing"
    workbook = sheets[0]
    upload = {"file": (workbook.name, workbook.read_bytes(),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    assert client.post("/import", files=upload).status_code == 401
    response = client.post("/import", files=upload, headers=tokens.header("editor"))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["written"] is True and report["graph"].startswith("https://w3id.org/aims-graph/graph/import/")
    broken = {"file": ("risk-register.csv", b"not,a,register\n1,2,3\n", "text/csv")}
    rejected = client.post("/import", files=broken, headers=tokens.header("editor"))
    assert rejected.status_code == 400 and rejected.json()["error"] == "spreadsheet rejected"


def test_the_json_ld_context_turns_a_view_into_rdf(views: TestClient) -> None:
    context = views.get("/context.jsonld")
    assert context.headers["content-type"].startswith("application/ld+json")
    document = {**context.json(), "@graph": views.get("/systems").json()["rows"]}
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    systems = set(graph.objects(None, rdflib.URIRef("https://w3id.org/aims-graph/api#system")))
    assert all(isinstance(s, rdflib.URIRef) for s in systems)
    assert {str(s) for s in systems} == {row["system"] for row in document["@graph"]}
    assert example_subjects() <= {str(s) for s in systems}


def test_health(views: TestClient) -> None:
    body = views.get("/health").json()
    assert body == {"status": "ok", "store": body["store"], "engine": "answering", "writable": True}

