"""``--as-of`` and ``?asOf=`` as a user meets them: the CLI in a real process, the HTTP service
on its real sidecar. Dates: research table C4 (Annex III high-risk duties from 2 December 2027)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import app_client, settings, tokens  # noqa: F401  (fixtures)
from tests.command_line import run_cli

DATA = b"""@prefix aims: <https://w3id.org/aims-graph/ontology#> .
@prefix eu: <https://w3id.org/aims-graph/eu-ai-act/> .
@prefix ex: <https://example.org/asof/> .
ex:Org a aims:Organisation . ex:AIMS a aims:AIManagementSystem ; aims:operatedBy ex:Org .
ex:Hiring a aims:AISystem ; aims:annexIIIUseCase eu:Annex-III-point-4-a ; aims:provider ex:Org .
"""
BAD = ["2027-02-30", "2024-07-31", "tomorrow", "2027-1-1"]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("asof")
    data = folder / "data.ttl"
    data.write_bytes(DATA)
    location = str(folder / "store")
    loaded = run_cli("--store", location, "load", "--graph", "https://example.org/asof/graph", str(data))
    assert loaded.returncode == 0, loaded.stderr
    return location


def _article_9(classification: list[dict]) -> dict:
    [system] = classification
    [found] = [o for o in system["obligations"] if o["provision"]["notation"] == "Article 9"]
    return found


def test_cli_classify_dates_each_obligation(store_dir: str) -> None:
    before = run_cli("--store", store_dir, "classify", "--as-of", "2027-06-30", "--format", "json")
    after = run_cli("--store", store_dir, "classify", "--as-of", "2027-12-02", "--format", "json")
    assert before.returncode == after.returncode == 0, before.stderr + after.stderr
    early, due = _article_9(json.loads(before.stdout)), _article_9(json.loads(after.stdout))
    assert early["applies_from"] == due["applies_from"] == "2027-12-02"
    assert (early["applies_on_as_of"], due["applies_on_as_of"]) == (False, True)
    assert due["version"].endswith("/version/2026-1744")


def test_cli_timeline_until_a_date_is_one_call(store_dir: str) -> None:
    result = run_cli("--store", store_dir, "timeline", "Hiring", "--until", "2027-12-02", "--format", "json")
    assert result.returncode == 0, result.stderr
    entries = json.loads(result.stdout)
    dates = [e["date"] for e in entries]
    assert dates == sorted(dates) and max(dates) == "2027-12-02"
    assert {"Article 9", "Article 4"} <= {e["provision"]["notation"] for e in entries}
    assert [e["version"].rsplit("/", 1)[1] for e in entries if e["provision"]["notation"] == "Article 4"] == \
        ["2024-1689", "2026-1744"]  # B7, C15: the 2024 wording from 2 February 2025, as replaced from 27 July 2026


@pytest.mark.parametrize("command", [["classify"], ["validate"], ["timeline", "Hiring"]])
@pytest.mark.parametrize("bad", BAD)
def test_cli_refuses_a_bad_as_of_in_one_line_with_exit_2(store_dir: str, command: list[str], bad: str) -> None:
    result = run_cli("--store", store_dir, *command, "--as-of", bad)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "as-of date" in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def service(settings, tokens) -> TestClient:  # noqa: F811
    with app_client(settings, query_timeout_s=20) as client:
        loaded = client.post("/import", params={"graph": "https://example.org/asof/graph"}, content=DATA,
                             headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert loaded.status_code == 200, loaded.text
        yield client


def test_api_system_as_of(service: TestClient, tokens) -> None:  # noqa: F811
    auth = tokens.header("reader")
    before = service.get("/systems/Hiring", params={"asOf": "2027-06-30"}, headers=auth)
    after = service.get("/systems/Hiring", params={"asOf": "2028-01-01"}, headers=auth)
    assert before.status_code == after.status_code == 200
    assert before.json()["asOf"] == "2027-06-30"
    assert _article_9(before.json()["classification"])["applies_on_as_of"] is False
    assert _article_9(after.json()["classification"])["applies_on_as_of"] is True


def test_api_timeline(service: TestClient, tokens) -> None:  # noqa: F811
    response = service.get("/systems/Hiring/timeline", params={"until": "2027-12-02"}, headers=tokens.header("reader"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["until"] == "2027-12-02"
    assert any(e["provision"]["notation"] == "Article 9" and e["date"] == "2027-12-02" for e in body["timeline"])


def test_api_validate_counts_article_9_only_once_it_applies(service: TestClient, tokens) -> None:  # noqa: F811
    def article_9_findings(on: str) -> int:
        response = service.get("/validate", params={"asOf": on}, headers=tokens.header("reader"))
        assert response.status_code == 200, response.text
        return sum(len(r["findings"]) for r in response.json()["requirements"] if r["notation"] == "Article 9")
    assert article_9_findings("2027-06-30") == 0
    assert article_9_findings("2027-12-02") >= 1


@pytest.mark.parametrize("path", ["/systems/Hiring", "/systems/Hiring/timeline", "/validate"])
@pytest.mark.parametrize("bad", BAD)
def test_api_refuses_a_bad_as_of_with_400(service: TestClient, tokens, path: str, bad: str) -> None:  # noqa: F811
    response = service.get(path, params={"asOf": bad}, headers=tokens.header("reader"))
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"error", "detail"} and "as-of date" in json.dumps(body) and "/work" not in json.dumps(body)
