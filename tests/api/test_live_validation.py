"""GET /validate answers from the live conformance state, kept current by the writes of
/store, /import and /update: after every write it equals a fresh library validation.

The example organisation (examples/README.md, "intended findings") is loaded first; the
writes add, complete and remove an AI system in the scope of hl:AIMS, whose missing
owner is a Violation of shape:SystemInScopeHasOwner (ISO/IEC 42001 5.3, A.3.2).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from aims_graph.classification import DERIVED_GRAPH
from aims_graph.validation import validate
from aims_graph.api.settings import Settings
from tests.api.conftest import EXAMPLE_GRAPH, ROOT, Tokens, app_client

HL = "https://example.org/harbourline/"
AIMS = "https://w3id.org/aims-graph/ontology#"
OWNER_SHAPE = "https://w3id.org/aims-graph/shapes/SystemInScopeHasOwner"
SCRATCH = "https://example.org/test/live"
PREFIXES = (f"@prefix hl: <{HL}> . @prefix aims: <{AIMS}> . "
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
UPDATE = {"Content-Type": "application/sparql-update"}


def new_system(name: str, *, owner: bool = False) -> bytes:
    """An AI system in the scope of hl:AIMS (the coverage triple is hl:AIMS's)."""
    text = (f"{PREFIXES}hl:{name} a aims:AISystem ; rdfs:label \"{name}\"@en"
            f"{' ; aims:owner hl:ElenaMarchetti' if owner else ''} .\n"
            f"hl:AIMS aims:coversSystem hl:{name} .\n")
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def live(settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with app_client(settings, query_timeout_s=20) as client:
        body = b"\n".join(path.read_bytes() for path in sorted((ROOT / "examples" / "organisation").glob("*.ttl")))
        loaded = client.post("/import", params={"graph": EXAMPLE_GRAPH}, content=body,
                             headers={**tokens.header("editor"), "Content-Type": "text/turtle"})
        assert loaded.status_code == 200, loaded.text
        yield client


def canonical(summary: dict) -> dict:
    """The summary without the live metadata (findings are in one canonical order in
    both, so the rest must be equal as it stands)."""
    return {k: v for k, v in summary.items() if k != "live"}


def checked(client: TestClient, on: dt.date | None = None) -> dict:
    """GET /validate, asserted equal to a fresh validation of the same store as of today (what
    ``aims-graph validate`` runs: its --as-of defaults to today), or as of the live clock's day."""
    response = client.get("/validate")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["live"]["built_at"] and response.headers["X-Validation-Built-At"] == body["live"]["built_at"]
    assert response.headers["X-Validation-Incremental-Updates"] == str(body["live"]["incremental_updates"])
    fresh = validate(client.app.state.store, as_of=on or dt.date.today()).summary().to_dict()
    assert canonical(body) == canonical(fresh)
    return body


def owner_findings(body: dict) -> set[str]:
    return {f["focus_node"] for r in body["requirements"] for f in r["findings"] if f["shape"] == OWNER_SHAPE}


def test_writes_through_the_api_keep_validate_current(live: TestClient, tokens: Tokens) -> None:
    editor = tokens.header("editor")
    first = checked(live)
    assert first["live"]["rebuilt"] is True
    assert first["violations"] > 0 and HL + "NewSystem" not in owner_findings(first)

    # GSP PUT: a new system in scope without an owner.
    put = live.put("/store", params={"graph": SCRATCH}, content=new_system("NewSystem"),
                   headers={**editor, "Content-Type": "text/turtle"})
    assert put.status_code == 201, put.text
    after_put = checked(live)
    assert HL + "NewSystem" in owner_findings(after_put)
    assert after_put["live"]["rebuilt"] is False and after_put["live"]["incremental_updates"] >= 1
    assert after_put["violations"] > first["violations"]

    # GSP POST: the owner is added; the finding goes.
    post = live.post("/store", params={"graph": SCRATCH},
                     content=f"<{HL}NewSystem> <{AIMS}owner> <{HL}ElenaMarchetti> .".encode(),
                     headers={**editor, "Content-Type": "application/n-triples"})
    assert post.status_code == 204, post.text
    after_post = checked(live)
    assert HL + "NewSystem" not in owner_findings(after_post) and after_post["live"]["rebuilt"] is False

    # GSP PUT over it, without the owner again: the graph's previous content is replaced.
    again = live.put("/store", params={"graph": SCRATCH}, content=new_system("NewSystem"),
                     headers={**editor, "Content-Type": "text/turtle"})
    assert again.status_code == 204
    assert HL + "NewSystem" in owner_findings(checked(live))

    # GSP DELETE: the system and its coverage disappear, and with them every finding on it.
    assert live.delete("/store", params={"graph": SCRATCH}, headers=editor).status_code == 204
    after_delete = checked(live)
    assert not any(f["focus_node"] == HL + "NewSystem" for r in after_delete["requirements"] for f in r["findings"])
    assert canonical(after_delete) == canonical(first)

    # /import: another system without an owner.
    imported = live.post("/import", params={"graph": SCRATCH}, content=new_system("ImportedSystem"),
                         headers={**editor, "Content-Type": "text/turtle"})
    assert imported.status_code == 200, imported.text
    assert HL + "ImportedSystem" in owner_findings(checked(live))

    # /update into an organisation graph: the subjects it held and holds are re-read.
    text = f"INSERT DATA {{ GRAPH <{SCRATCH}> {{ <{HL}ImportedSystem> <{AIMS}owner> <{HL}ElenaMarchetti> }} }}"
    assert live.post("/update", content=text, headers={**UPDATE, **editor}).status_code == 204
    after_update = checked(live)
    assert HL + "ImportedSystem" not in owner_findings(after_update) and after_update["live"]["rebuilt"] is False

    # /update with a pattern, on the example's own graph: hl:CreditScoring loses its owner.
    drop_owner = (f"DELETE {{ GRAPH <{EXAMPLE_GRAPH}> {{ ?s <{AIMS}owner> ?o }} }} "
                  f"WHERE {{ GRAPH <{EXAMPLE_GRAPH}> {{ ?s <{AIMS}owner> ?o }} FILTER(?s = <{HL}CreditScoring>) }}")
    assert live.post("/update", content=drop_owner, headers={**UPDATE, **editor}).status_code == 204
    assert HL + "CreditScoring" in owner_findings(checked(live))

    # /update that also writes the default graph, whose effect is not bounded: rebuilt
    # in full before the next answer.
    clear = (f"DELETE WHERE {{ GRAPH <{SCRATCH}> {{ <{HL}ImportedSystem> <{AIMS}owner> ?o }} }} ;\n"
             "INSERT DATA { <urn:live:s> <urn:live:p> 1 }")
    assert live.post("/update", content=clear, headers={**UPDATE, **editor}).status_code == 204
    rebuilt = checked(live)
    assert rebuilt["live"]["rebuilt"] is True and rebuilt["live"]["incremental_updates"] == 0
    assert HL + "ImportedSystem" in owner_findings(rebuilt)

    # Put things back for the next test.
    restore = (f"INSERT DATA {{ GRAPH <{EXAMPLE_GRAPH}> {{ <{HL}CreditScoring> <{AIMS}owner> <{HL}ElenaMarchetti> }} }} ;\n"
               "DELETE DATA { <urn:live:s> <urn:live:p> 1 }")
    assert live.post("/update", content=restore, headers={**UPDATE, **editor}).status_code == 204
    assert live.delete("/store", params={"graph": SCRATCH}, headers=editor).status_code == 204
    checked(live)


def test_a_write_to_an_article_6_3_assessment_alone_reaches_its_system(live: TestClient, tokens: Tokens) -> None:
    """The example's hl:DocumentCheckAssessment is dated after the system was put into service
    (finding 11 of examples/README.md). Re-dating only the assessment node clears the finding in
    the live report and re-classifies the system that links it: its stored explanation names the
    new date (the rules read the assessment through aims:hasArticle6_3Assessment)."""
    editor, late = tokens.header("editor"), "https://w3id.org/aims-graph/shapes/Article6_3AssessmentBeforePlacing"
    dcterms_date = "<http://purl.org/dc/terms/date>"

    def redate(old: str, new: str) -> dict:
        text = (f"DELETE DATA {{ GRAPH <{EXAMPLE_GRAPH}> {{ <{HL}DocumentCheckAssessment> {dcterms_date} \"{old}\"^^<http://www.w3.org/2001/XMLSchema#date> }} }} ;\n"
                f"INSERT DATA {{ GRAPH <{EXAMPLE_GRAPH}> {{ <{HL}DocumentCheckAssessment> {dcterms_date} \"{new}\"^^<http://www.w3.org/2001/XMLSchema#date> }} }}")
        assert live.post("/update", content=text, headers={**UPDATE, **editor}).status_code == 204
        return checked(live)

    def explanation() -> str:
        rows = live.app.state.store.query(
            f"SELECT ?e WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ <{HL}DocumentCheck> <{AIMS}classification> ?r . "
            f"?r <{AIMS}category> <{AIMS}NotHighRiskArticle6_3> ; <{AIMS}explanation> ?e }} }}")
        [row] = list(rows)
        return row["e"].value

    before = checked(live)
    assert any(f["shape"] == late for r in before["requirements"] for f in r["findings"])
    in_time = redate("2026-10-02", "2026-09-01")
    assert not any(f["shape"] == late for r in in_time["requirements"] for f in r["findings"])
    assert in_time["live"]["rebuilt"] is False
    assert "documented this assessment on 2026-09-01" in explanation()
    back = redate("2026-09-01", "2026-10-02")
    assert canonical(back) == canonical(before)
    assert "documented this assessment on 2026-10-02" in explanation()


def test_live_report_is_as_of_the_day_it_answers(live: TestClient, tokens: Tokens) -> None:
    # A provided Annex III system with none of its artefacts: Article 9 binds it from
    # 2 December 2027 (research C4). The live answer, like validate --as-of, leaves the
    # finding out before that day and has it after, without a rebuild in between.
    editor = tokens.header("editor")
    system = (f"{PREFIXES}hl:LateSystem a aims:AISystem ; rdfs:label \"LateSystem\"@en ; aims:owner hl:ElenaMarchetti ; "
              "aims:provider hl:Harbourline ; aims:annexIIIUseCase <https://w3id.org/aims-graph/eu-ai-act/Annex-III-point-4-a> .\n"
              "hl:AIMS aims:coversSystem hl:LateSystem .\n").encode()
    risk_management = "https://w3id.org/aims-graph/shapes/HighRiskRiskManagement"
    state = live.app.state.live
    try:
        state.today = lambda: dt.date(2027, 1, 1)
        assert live.put("/store", params={"graph": SCRATCH}, content=system,
                        headers={**editor, "Content-Type": "text/turtle"}).status_code in (201, 204)
        unfiltered = {(f.focus_node, f.shape) for f in validate(live.app.state.store).findings()}
        assert (HL + "LateSystem", risk_management) in unfiltered
        before = checked(live, dt.date(2027, 1, 1))
        found = {(f["focus_node"], f["shape"]) for r in before["requirements"] for f in r["findings"]}
        assert (HL + "LateSystem", risk_management) not in found
        state.today = lambda: dt.date(2028, 1, 1)
        after = checked(live, dt.date(2028, 1, 1))
        found = {(f["focus_node"], f["shape"]) for r in after["requirements"] for f in r["findings"]}
        assert (HL + "LateSystem", risk_management) in found and after["live"]["rebuilt"] is False
    finally:
        state.today = dt.date.today
        assert live.delete("/store", params={"graph": SCRATCH}, headers=editor).status_code == 204
    checked(live)


def test_system_and_engine_parameters_validate_from_scratch(live: TestClient) -> None:
    scoped = live.get("/validate", params={"system": "CVScreening"})
    assert scoped.status_code == 200 and "live" not in scoped.json()
    assert scoped.json()["scope"] == HL + "CVScreening"


def test_concurrent_writes_and_reads_end_current(live: TestClient, tokens: Tokens) -> None:
    editor = tokens.header("editor")
    checked(live)
    errors: list[str] = []

    def writer(n: int) -> None:
        graph = f"{SCRATCH}/{n}"
        for round_ in range(3):
            name = f"Concurrent{n}x{round_}"
            response = live.put("/store", params={"graph": graph}, content=new_system(name, owner=round_ % 2 == 1),
                                headers={**editor, "Content-Type": "text/turtle"})
            if response.status_code not in (201, 204):
                errors.append(response.text)
            response = live.post("/store", params={"graph": graph},
                                 content=f"<{HL}{name}> <{AIMS}owner> <{HL}ElenaMarchetti> .".encode(),
                                 headers={**editor, "Content-Type": "application/n-triples"})
            if response.status_code != 204:
                errors.append(response.text)
        if n % 2 == 0:
            # The last write of even writers leaves a system without an owner.
            live.put("/store", params={"graph": graph}, content=new_system(f"Left{n}"),
                     headers={**editor, "Content-Type": "text/turtle"})

    def reader() -> None:
        for _ in range(4):
            response = live.get("/validate")
            if response.status_code != 200:
                errors.append(response.text)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors
    final = checked(live)
    assert {HL + "Left0", HL + "Left2"} <= owner_findings(final)
    assert not {HL + "Left1", HL + "Left3"} & owner_findings(final)
    for n in range(4):
        live.delete("/store", params={"graph": f"{SCRATCH}/{n}"}, headers=editor)
    checked(live)


def test_what_cannot_be_bounded_rebuilds_and_what_validation_never_reads_is_ignored(
        live: TestClient, tokens: Tokens) -> None:
    editor, admin = tokens.header("editor"), tokens.header("admin")
    before = checked(live)["live"]
    # Stored derivations are never read by validation: no update, no rebuild.
    derived = "https://w3id.org/aims-graph/graph/derived"
    triple = f"<{HL}X> <{AIMS}hasRiskCategory> <{AIMS}MinimalRisk> .".encode()
    put = live.put("/store", params={"graph": derived}, content=triple,
                   headers={**admin, "Content-Type": "application/n-triples"})
    assert put.status_code in (201, 204), put.text
    ignored = checked(live)["live"]
    assert not ignored["rebuilt"] and ignored["incremental_updates"] == before["incremental_updates"]
    assert live.delete("/store", params={"graph": derived}, headers=admin).status_code == 204
    # Blank nodes cannot be re-read by name: the next answer is a full build.
    blank = (PREFIXES + "hl:BlankSystem a aims:AISystem ; aims:owner [ a aims:Person ] .\n"
             "hl:AIMS aims:coversSystem hl:BlankSystem .\n").encode()
    assert live.put("/store", params={"graph": SCRATCH}, content=blank,
                    headers={**editor, "Content-Type": "text/turtle"}).status_code == 201
    rebuilt = checked(live)
    assert rebuilt["live"]["rebuilt"] and HL + "BlankSystem" not in owner_findings(rebuilt)
    assert live.delete("/store", params={"graph": SCRATCH}, headers=editor).status_code == 204
    checked(live)


def test_writes_behind_the_services_back_are_seen_when_watched() -> None:
    """A store written by someone else (another client of a remote endpoint): with
    ``watch`` the quads-per-graph check turns that into a rebuild; without, the report
    stays as it was (the documented limitation)."""
    import pyoxigraph as ox

    from aims_graph.store import open_store
    from aims_graph.validation.live import LiveConformance

    with open_store("memory") as store:
        for path in sorted((ROOT / "examples" / "organisation").glob("*.ttl")):
            store.load(path.read_bytes(), ox.RdfFormat.TURTLE, EXAMPLE_GRAPH)
        watched, blind = LiveConformance(watch=True), LiveConformance()
        watched.report(store), blind.report(store)
        store.load(new_system("Outsider"), ox.RdfFormat.TURTLE, SCRATCH)
        report, freshness = watched.report(store)
        assert freshness.rebuilt and HL + "Outsider" in {f.focus_node for f in report.findings()}
        report, freshness = blind.report(store)
        assert not freshness.rebuilt and HL + "Outsider" not in {f.focus_node for f in report.findings()}


def test_results_kept_from_another_day_are_checked_again() -> None:
    """Shapes compare dates with NOW(): a report on a later day re-validates the live
    data (no store read, no rebuild)."""
    import pyoxigraph as ox

    from aims_graph.store import open_store
    from aims_graph.validation.live import LiveConformance

    with open_store("memory") as store:
        for path in sorted((ROOT / "examples" / "organisation").glob("*.ttl")):
            store.load(path.read_bytes(), ox.RdfFormat.TURTLE, EXAMPLE_GRAPH)
        live = LiveConformance()
        first, _ = live.report(store)
        calls = []
        validator = live._validator
        original = validator.validate_all
        validator.validate_all = lambda: calls.append(1) or original()  # type: ignore[method-assign]
        live.report(store)
        assert not calls
        live._day = "2000-01-01"
        again, freshness = live.report(store)
        assert calls and not freshness.rebuilt
        assert again.summary().to_dict() == first.summary().to_dict()


def test_a_spreadsheet_import_is_followed(live: TestClient, tokens: Tokens) -> None:
    before = checked(live)
    workbook = ROOT / "examples" / "spreadsheets" / "example-lender.xlsx"
    upload = {"file": (workbook.name, workbook.read_bytes(),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    response = live.post("/import", files=upload, headers=tokens.header("editor"))
    assert response.status_code == 200, response.text
    after = checked(live)
    assert not after["live"]["rebuilt"]
    focus = {f["focus_node"] for r in after["requirements"] for f in r["findings"]}
    assert focus != {f["focus_node"] for r in before["requirements"] for f in r["findings"]}, focus
    assert live.delete("/store", params={"graph": response.json()["graph"]},
                       headers=tokens.header("editor")).status_code == 204
    checked(live)


def test_an_update_that_names_its_quads_is_tracked_by_them(live: TestClient, tokens: Tokens,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """INSERT DATA / DELETE DATA on a named graph: no graph is re-read, no rebuild."""
    editor = tokens.header("editor")
    checked(live)

    def no_graph_reads(*_args: object) -> None:
        raise AssertionError("the update's quads were known: no graph should be re-read")

    monkeypatch.setattr("aims_graph.validation.live._graph_subjects", no_graph_reads)
    data = f"<{AIMS}owner>"
    insert = (f"INSERT DATA {{ GRAPH <{SCRATCH}/data> {{ <{HL}DataOnly> a <{AIMS}AISystem> . "
              f"<{HL}AIMS> <{AIMS}coversSystem> <{HL}DataOnly> }} }}")
    assert live.post("/update", content=insert, headers={**editor, **UPDATE}).status_code == 204
    added = checked(live)
    assert added["live"]["rebuilt"] is False and HL + "DataOnly" in owner_findings(added)
    owned = f"INSERT DATA {{ GRAPH <{SCRATCH}/data> {{ <{HL}DataOnly> {data} <{HL}ElenaMarchetti> }} }}"
    assert live.post("/update", content=owned, headers={**editor, **UPDATE}).status_code == 204
    completed = checked(live)
    assert completed["live"]["rebuilt"] is False and HL + "DataOnly" not in owner_findings(completed)
    removed = f"DELETE DATA {{ GRAPH <{SCRATCH}/data> {{ <{HL}DataOnly> {data} <{HL}ElenaMarchetti> }} }}"
    assert live.post("/update", content=removed, headers={**editor, **UPDATE}).status_code == 204
    again = checked(live)
    assert again["live"]["rebuilt"] is False and HL + "DataOnly" in owner_findings(again)
