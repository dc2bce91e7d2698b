"""``/oscal/...``: the OSCAL documents over HTTP.  A GRC tool that fetched a mapping
collection finds the catalogs it names at the paths it names; unknown subjects, in any
spelling, are a JSON 404 that shows nothing of the service's inside."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from trestle.oscal import catalog as trestle_catalog
from trestle.oscal import component as trestle_component
from trestle.oscal import mapping as trestle_mapping

from aims_graph.api.settings import Settings
from tests.api.conftest import EXAMPLE_GRAPH, ROOT, Tokens, app_client


@pytest.fixture(scope="module")
def service(settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with app_client(settings, query_timeout_s=10) as client:
        body = b"\n".join(path.read_bytes() for path in sorted((ROOT / "examples" / "organisation").glob("*.ttl")))
        loaded = client.post("/import", params={"graph": EXAMPLE_GRAPH}, content=body,
                             headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert loaded.status_code == 200, loaded.text
        yield client


def _controls(catalog: trestle_catalog.Catalog) -> set[str]:
    ids, stack = set(), list(catalog.controls)
    while stack:
        control = stack.pop()
        ids.add(control.id)
        stack.extend(control.controls or [])
    return ids


def test_a_mapping_names_catalogs_the_service_answers(service: TestClient, tokens: Tokens) -> None:
    answer = service.get("/oscal/mappings/nist-ai-rmf-iso42001", headers=tokens.header("reader"))
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    (mapping,) = trestle_mapping.Model.model_validate_json(answer.content).mapping_collection.mappings
    for resource, side in ((mapping.source_resource, "sources"), (mapping.target_resource, "targets")):
        assert resource.href.startswith("/oscal/catalogs/")
        fetched = service.get(resource.href, headers=tokens.header("reader"))
        assert fetched.status_code == 200, resource.href
        catalog = trestle_catalog.Model.model_validate_json(fetched.content).catalog
        assert {item.id_ref for m in mapping.maps for item in getattr(m, side)} <= _controls(catalog)


def test_component_definition_points_at_the_services_catalog(service: TestClient, tokens: Tokens) -> None:
    answer = service.get("/oscal/component-definition", headers=tokens.header("reader"),
                         params={"soa": "https://example.org/harbourline/SoA"})
    assert answer.status_code == 200, answer.text
    document = trestle_component.Model.model_validate_json(answer.content).component_definition
    (implementations,) = document.components[0].control_implementations
    assert implementations.source == "/oscal/catalogs/iso42001"
    catalog = trestle_catalog.Model.model_validate_json(service.get(implementations.source).content).catalog
    assert {r.control_id for r in implementations.implemented_requirements} <= _controls(catalog)


@pytest.mark.parametrize("path", [
    "/oscal/catalogs/iso9001",
    "/oscal/catalogs/..%2F..%2Fetc%2Fpasswd",
    "/oscal/catalogs/iso42001%00",
    "/oscal/catalogs/%3Chttps%3A%2F%2Fw3id.org%2Faims-graph%2Fiso42001%3E",
    "/oscal/catalogs/iso42001%22%20%7D%20UNION%20%7B",
    "/oscal/catalogs/" + "x" * 5000,
    "/oscal/mappings/iso42001-iso9001",
    "/oscal/mappings/..%2Fiso42001-eu-ai-act",
    "/oscal/component-definition?soa=https://example.org/harbourline/NoSuchSoA",
    "/oscal/component-definition?soa=%3E%20%7D%20%23",
])
def test_unknown_subjects_are_json_404s(service: TestClient, tokens: Tokens, path: str) -> None:
    answer = service.get(path, headers=tokens.header("reader"))
    assert answer.status_code == 404, answer.text
    body = answer.json()
    assert set(body) == {"error", "detail"} and body["error"] == "not found"
    assert "Traceback" not in answer.text and "127.0.0.1" not in answer.text and "/tmp" not in answer.text
