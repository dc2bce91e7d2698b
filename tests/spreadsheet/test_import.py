"""Importing filled templates: what gets in, and that bad files change nothing."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Callable

import pytest

from aims_graph.classification import classify
from aims_graph.spreadsheet import (KINDS, SpreadsheetRejected, csv_template, default_graph,
                                    import_spreadsheet)
from aims_graph.store import Store, open_store
from tests.spreadsheet.filling import FILLED

AIMS = "https://w3id.org/aims-graph/ontology#"
BASE = "https://w3id.org/aims-graph/data/acme"
PREFIX = f"PREFIX aims: <{AIMS}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "


def select(store: Store, where: str) -> list[dict[str, str]]:
    rows = store.query(PREFIX + f"SELECT * WHERE {{ {where} }}")
    return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]  # type: ignore[union-attr]


@pytest.fixture
def store() -> Store:
    return open_store("memory")


def test_a_filled_template_is_queryable_in_both_kinds_of_store(any_store: Store, workbook: Callable[..., Path]) -> None:
    report = import_spreadsheet(any_store, workbook(), org="acme")
    assert report.written and report.graph == default_graph("registers.xlsx")
    # every sheet of the template is read; the governance sheets hold only their example (a comment)
    assert report.imported == dict.fromkeys(KINDS, 0) | {
        "inventory": 2, "datasets": 1, "risk-register": 1, "controls": 2, "incidents": 1}
    system = f"<{BASE}/system/credit-scoring>"
    assert select(any_store, f"{system} rdfs:label ?l ; aims:owner/rdfs:label ?o ; aims:trainingDataset ?d") == [
        {"l": "Retail credit scoring", "o": "Ana Lopez", "d": f"{BASE}/dataset/loan-book"}]
    assert select(any_store, f"{system} aims:annexIIIUseCase ?u ; aims:lifeCycleStage ?s") == [
        {"u": "https://w3id.org/aims-graph/eu-ai-act/Annex-III-point-5-b",
         "s": "https://w3id.org/aims-graph/iso22989/6.2.6"}]
    risk = select(any_store, f"{system} aims:hasRisk ?r . ?r aims:riskScore ?score ; "
                             "aims:hasTreatment/aims:appliesControl/aims:implementsControl/<http://www.w3.org/2004/02/skos/core#notation> ?c")
    assert sorted((r["score"], r["c"]) for r in risk) == [("20", "A.6.2.4"), ("20", "A.7.4")]
    assert select(any_store, f"<{BASE}/control/A.7.4> aims:implementationStatus ?s ; aims:hasEvidence/aims:location ?loc") == [
        {"s": AIMS + "Implemented", "loc": "https://intranet.example/dq"}]
    assert select(any_store, "?d aims:decisionFor/<http://www.w3.org/2004/02/skos/core#notation> 'A.4.4' ; aims:applicable ?a") == [
        {"d": f"{BASE}/decision/A.4.4", "a": "false"}]
    assert select(any_store, f"?i a aims:SeriousIncident ; aims:incidentOf {system} ; aims:incidentKind ?k") == [
        {"i": f"{BASE}/incident/INC-1", "k": AIMS + "OtherSeriousIncident"}]
    assert select(any_store, f"<{BASE}/system/chatbot> aims:suppliedBy/rdfs:label ?s ; aims:interactsWithNaturalPersons ?f") == [
        {"s": "Chatline AI GmbH", "f": "true"}]


def test_reimporting_the_same_file_leaves_the_store_as_one_import_did(store: Store, workbook: Callable[..., Path]) -> None:
    path = workbook()
    import_spreadsheet(store, path, org="acme")
    size = len(store)
    import_spreadsheet(store, path, org="acme")
    assert len(store) == size


def test_a_changed_file_replaces_what_its_graph_held(store: Store, workbook: Callable[..., Path]) -> None:
    import_spreadsheet(store, workbook(), org="acme")
    fewer = copy.deepcopy(FILLED)
    fewer["incidents"] = []
    import_spreadsheet(store, workbook(fewer), org="acme")
    assert select(store, "?i a aims:Incident") == []
    assert len(select(store, "?s a aims:AISystem")) == 2


def test_bytes_and_a_file_name_import_like_the_file(store: Store, workbook: Callable[..., Path]) -> None:
    path = workbook()
    report = import_spreadsheet(store, path.read_bytes(), filename="upload.xlsx", org="acme")
    assert report.graph == default_graph("upload.xlsx") and report.imported["inventory"] == 2


def test_the_example_workbook_and_the_example_csv_files_say_the_same(store: Store) -> None:
    folder = Path(__file__).resolve().parents[2] / "examples" / "spreadsheets"
    import_spreadsheet(store, folder / "example-lender.xlsx", org="lender", graph="urn:x:workbook")
    for kind in KINDS:  # the example keeps the five registers, as CSV and in the workbook
        if (folder / f"{kind}.csv").exists():
            import_spreadsheet(store, folder / f"{kind}.csv", org="lender", graph=f"urn:x:{kind}")
    def triples(where: str) -> set[tuple[str, str, str]]:
        # Leave out each graph's record of its import (its subject is the graph).
        return {(r["s"], r["p"], r["o"]) for r in select(store, f"{where} FILTER(!STRSTARTS(STR(?s), 'urn:x:'))")}
    from_workbook = triples("GRAPH <urn:x:workbook> { ?s ?p ?o }")
    from_csv = triples("GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:x:') && ?g != <urn:x:workbook>)")
    assert from_workbook == from_csv and len(from_workbook) > 400


def test_csv_templates_import_as_nothing_because_the_example_row_is_a_comment(store: Store, tmp_path: Path) -> None:
    for kind in KINDS.values():
        path = tmp_path / f"{kind.name}.csv"
        path.write_text(csv_template(kind), encoding="utf-8")
        report = import_spreadsheet(store, path)
        assert report.imported == {kind.name: 0} and not report.written


def test_a_csv_file_needs_its_kind_from_the_option_or_the_file_name(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "systems.csv"
    path.write_text("id,name\ns1,System one\n", encoding="utf-8")
    with pytest.raises(Exception, match="--kind"):
        import_spreadsheet(store, path)
    assert import_spreadsheet(store, path, kind="inventory").imported == {"inventory": 1}


def test_a_csv_risk_register_refers_to_systems_already_in_the_store(store: Store, tmp_path: Path) -> None:
    (tmp_path / "inventory.csv").write_text("id,name\ns1,System one\n", encoding="utf-8")
    (tmp_path / "risk-register.csv").write_text("id,system,title,likelihood,severity\nR1,s1,Drift,2,3\n", encoding="utf-8")
    import_spreadsheet(store, tmp_path / "inventory.csv")
    import_spreadsheet(store, tmp_path / "risk-register.csv")
    assert select(store, "?s aims:hasRisk/aims:riskScore ?n") == [
        {"s": "https://w3id.org/aims-graph/data/org/system/s1", "n": "6"}]


# --- bad files: each names sheet, row, column and reason, and writes nothing ----------------------

def rejected(store: Store, path: Path) -> list[tuple[str, int | None, str | None, str]]:
    size = len(store)
    with pytest.raises(SpreadsheetRejected) as caught:
        import_spreadsheet(store, path, org="acme")
    assert len(store) == size, "a rejected file must not change the store"
    return [(e.sheet, e.row, e.column, e.reason) for e in caught.value.report.errors]


def with_change(kind: str, index: int, **cells: object) -> dict[str, list[dict[str, object]]]:
    rows = copy.deepcopy(FILLED)
    rows[kind][index].update(cells)
    return rows


def test_missing_required_column(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(drop_columns={"risk-register": "title"}))
    assert errors == [("risk-register", None, "title", "required column is missing from the header")]


def test_unknown_control_id(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("controls", 0, control="A.6.10")))
    [(sheet, row, column, reason)] = errors
    # rows: 1 header, 2 the template's example (a comment), 3 the first filled row
    assert (sheet, row, column) == ("controls", 3, "control")
    assert "'A.6.10' is not an ISO/IEC 42001 Annex A control" in reason


def test_unknown_control_in_the_risk_register(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("risk-register", 0, controls="A.7.4; clause 8.5")))
    assert [(s, r, c) for s, r, c, _ in errors] == [("risk-register", 3, "controls")]


def test_bad_date(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("incidents", 0, aware_on="03/05/2025")))
    assert errors == [("incidents", 3, "aware_on", "'03/05/2025' is not a date: write YYYY-MM-DD (e.g. 2025-03-31)")]


def test_duplicate_id(store: Store, workbook: Callable[..., Path]) -> None:
    rows = copy.deepcopy(FILLED)
    rows["inventory"].append(dict(rows["inventory"][0], name="Copy"))
    errors = rejected(store, workbook(rows))
    assert errors == [("inventory", 5, "id", "duplicate id 'credit-scoring': already on row 3")]


def test_wrong_sheet(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(rename_sheets={"incidents": "Sheet1"}))
    assert errors == [("Sheet1", None, None, "unknown sheet: sheet names must be one of inventory, models, datasets, "
                       "risk-register, controls, incidents, management-system, documents, assessments, impacts, "
                       "audits, audit-findings")]


def test_unknown_system_reference(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("datasets", 0, system="credit-scoring; ghost")))
    assert errors == [("datasets", 3, "system", "unknown system 'ghost': not in the inventory sheet nor in the store")]


def test_bad_enum_and_out_of_range_values(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("risk-register", 0, likelihood=7, treatment_option="ignore")))
    assert [(c, reason) for _, _, c, reason in errors] == [
        ("likelihood", "7 is outside 1-5"),
        ("treatment_option", "'ignore' is not one of: avoid, modify, share, retain")]


def test_unknown_column(store: Store, workbook: Callable[..., Path], tmp_path: Path) -> None:
    path = tmp_path / "inventory.csv"
    path.write_text("id,name,ownr\ns1,One,Ana\n", encoding="utf-8")
    errors = rejected(store, path)
    assert [(s, r, c) for s, r, c, _ in errors] == [("inventory", 1, "ownr")]


def test_skip_invalid_imports_the_good_rows_and_lists_every_skipped_one(store: Store, workbook: Callable[..., Path]) -> None:
    rows = with_change("datasets", 0, system="ghost")
    rows["incidents"][0].update(aware_on="yesterday", kind="flood")
    report = import_spreadsheet(store, workbook(rows, rename_sheets={"controls": "soa"}), org="acme", skip_invalid=True)
    assert report.written and not report.errors
    assert report.skipped_rows == [("soa", None), ("datasets", 3), ("incidents", 3)]
    assert [(e.sheet, e.column) for e in report.skipped][-2:] == [("incidents", "aware_on"), ("incidents", "kind")]
    assert report.imported == {k: 0 for k in KINDS if k != "controls"} | {"inventory": 2, "risk-register": 1}
    assert len(select(store, "?s a aims:AISystem")) == 2 and select(store, "?d a aims:Dataset") == []


def test_a_kind_on_an_incident_that_is_not_serious_is_a_contradiction(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("incidents", 0, serious="no")))
    assert [(s, r, c) for s, r, c, _ in errors] == [("incidents", 3, "kind")]


def test_a_file_that_is_not_a_workbook_is_refused_clearly(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(Exception, match="broken.xlsx: not a readable .xlsx workbook"):
        import_spreadsheet(store, path)


def test_every_problem_of_a_row_is_listed_not_only_the_first(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("incidents", 0, system="ghost", occurred_on="May 2nd")))
    assert [(r, c) for _, r, c, _ in errors] == [(3, "occurred_on"), (3, "system")]


def test_value_chain_events_dates_and_article_5_facts_become_the_documented_terms(
        store: Store, workbook: Callable[..., Path]) -> None:
    import_spreadsheet(store, workbook(with_change(
        "inventory", 1, substantially_modified_by="Rebuild Ltd", substantially_modified_on="2028-02-01",
        placed_on_market_on="2026-05-01", intended_for_public_authorities="yes",
        law_enforcement_objective="Article 5(1)(h)(ii)", permitted_by_national_law="yes")), org="acme")
    [event] = select(store, "?s aims:valueChainEvent ?e . ?e a aims:SubstantialModification ; aims:occurredOn ?day ; "
                            "aims:performedBy ?who . ?who rdfs:label ?name")
    assert (event["day"], event["name"]) == ("2028-02-01", "Rebuild Ltd")
    [system] = select(store, "?s aims:placedOnMarketOn ?day ; aims:intendedForPublicAuthorities ?public ; "
                             "aims:permittedByNationalLaw ?law ; aims:lawEnforcementObjective ?objective")
    assert (system["day"], system["public"], system["law"]) == ("2026-05-01", "true", "true")
    assert system["objective"].endswith("/eu-ai-act/Article-5-1-h-ii")


@pytest.mark.parametrize(("specified", "cooperation_owed"), [("yes", False), ("no", True)])
def test_the_statement_not_to_change_it_into_a_high_risk_system_waives_article_25_2_cooperation(
        store: Store, workbook: Callable[..., Path], specified: str, cooperation_owed: bool) -> None:
    """The organisation provided the credit scorer; a customer changed its purpose (Art. 25(1)(c)).
    Had the organisation specified that it is not to be made high-risk, it owes no cooperation."""
    import_spreadsheet(store, workbook(with_change(
        "inventory", 0, purpose_changed_by="Repurpose Ltd", not_to_be_changed_into_high_risk=specified)), org="acme")
    assert select(store, "?s aims:notToBeChangedIntoHighRisk ?f") == [
        {"s": f"{BASE}/system/credit-scoring", "f": "true" if specified == "yes" else "false"}]
    [result] = classify(store, f"{BASE}/system/credit-scoring", write=False, as_of=dt.date(2028, 1, 15))
    owed = {o.provision.notation for o in result.obligations if o.provision and o.decided}
    assert ("Article 25(2)" in owed) is cooperation_owed
    assert "Article 16" not in owed  # the initial provider is no longer the provider either way


def test_a_modification_day_without_who_made_it_is_refused(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("inventory", 1, substantially_modified_on="2028-02-01")))
    assert [(s, r, c) for s, r, c, _ in errors] == [("inventory", 4, "substantially_modified_on")]
    assert "substantially_modified_by is empty" in errors[0][3]


def test_an_objective_outside_article_5_1_h_is_refused(store: Store, workbook: Callable[..., Path]) -> None:
    errors = rejected(store, workbook(with_change("inventory", 1, law_enforcement_objective="Article 5(1)(h)(iv)")))
    assert [(s, r, c) for s, r, c, _ in errors] == [("inventory", 4, "law_enforcement_objective")]
