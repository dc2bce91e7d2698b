"""Pictures are looked at by people; the tests check what a person would look for in them."""

from __future__ import annotations

import io
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from aims_graph.errors import AimsGraphError, InputError, NotFoundError
from aims_graph.paths import EXAMPLES_DIR
from aims_graph.rdf import io as rdf_io
from aims_graph.reports.pictures import conformance_chart, graphviz_binary, rows_from_results, trace_picture
from aims_graph.spreadsheet import import_spreadsheet
from aims_graph.store import Store, open_store
from aims_graph.systems import resolve_system
from tests.command_line import run_cli

EXAMPLE_GRAPH = "https://w3id.org/aims-graph/graph/example"
SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def svg_texts(data: bytes) -> str:
    root = ET.fromstring(data)
    assert root.tag == SVG + "svg"
    return " ".join(" ".join(t.text or "" for t in root.iter(SVG + "text")).split())


@pytest.fixture(scope="module")
def example() -> Store:
    store = open_store("memory")
    rdf_io.load_files(store, sorted((EXAMPLES_DIR / "organisation").glob("*.ttl")), graph=EXAMPLE_GRAPH)
    import_spreadsheet(store, EXAMPLES_DIR / "spreadsheets" / "example-lender.xlsx", org="lender")
    return store


def test_trace_of_an_example_organisation_system_shows_its_chain(example: Store) -> None:
    system = resolve_system(example, "CreditScoring")
    text = svg_texts(trace_picture(example, system, "svg"))
    labels = {row["l"].value for row in example.query(  # what the example itself says about the system
        "PREFIX aims: <https://w3id.org/aims-graph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"SELECT ?l WHERE {{ <{system}> (aims:hasRisk|aims:usesModel|aims:trainingDataset) ?x . ?x rdfs:label ?l }}")}
    assert labels
    for label in labels | {"Traceability of Harbourline Credit Scoring Engine"}:
        assert " ".join(label.split()[:2]) in text, label


def test_trace_of_an_imported_system_goes_from_risk_to_evidence(example: Store) -> None:
    system = resolve_system(example, "credit-scoring")
    assert system == "https://w3id.org/aims-graph/data/lender/system/credit-scoring"
    text = svg_texts(trace_picture(example, system, "svg"))
    for expected in ("Retail credit scoring", "Loan book 2019-2024", "Unfair refusals for young",
                     "treatment: modify", "status: implemented", "A.7.4 Quality of data for AI",
                     "Data quality dashboard", "Wrong scores after data feed", "B.5 Risk sources related to"):
        assert expected in text, expected


def test_trace_png_is_a_real_picture(example: Store) -> None:
    data = trace_picture(example, resolve_system(example, "credit-scoring"), "png")
    assert data.startswith(PNG_SIGNATURE)
    width, height = Image.open(io.BytesIO(data)).size
    assert width > 600 and height > 200


def test_systems_are_found_by_iri_or_id_and_unknown_ones_are_reported(example: Store) -> None:
    iri = "https://example.org/harbourline/CreditScoring"
    assert resolve_system(example, iri) == iri
    with pytest.raises(NotFoundError, match="no AI system with id 'ghost'"):
        resolve_system(example, "ghost")
    with pytest.raises(NotFoundError):
        resolve_system(example, "https://example.org/harbourline/Ghost")
    with pytest.raises(InputError, match="svg or png"):
        trace_picture(example, iri, "gif")


def test_conformance_chart_in_svg_and_png() -> None:
    rows = rows_from_results([("Article 10", True), ("Article 9", False), ("Article 9", True), ("A.6.2.4", False)])
    assert rows == [("A.6.2.4", 0, 1, 0, 0), ("Article 9", 1, 1, 0, 0), ("Article 10", 1, 0, 0, 0)]
    text = svg_texts(conformance_chart(rows, "svg"))
    assert all(name in text for name in ("Article 9", "Article 10", "A.6.2.4", "2 passed, 2 violations"))
    png = conformance_chart(rows, "png")
    assert png.startswith(PNG_SIGNATURE) and Image.open(io.BytesIO(png)).size[0] > 400
    assert conformance_chart(rows, "svg") == conformance_chart(rows, "svg")


def test_conformance_chart_refuses_bad_rows() -> None:
    with pytest.raises(InputError, match="no conformance results"):
        conformance_chart([], "png")
    with pytest.raises(InputError, match="row 1"):
        conformance_chart([("Article 9", -1, 0)], "png")


def test_a_missing_graphviz_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AimsGraphError, match="Graphviz is missing: install the 'graphviz-pure' package"):
        graphviz_binary()


def test_trace_and_chart_commands_write_files(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    workbook = EXAMPLES_DIR / "spreadsheets" / "example-lender.xlsx"
    assert run_cli("--store", store, "import", str(workbook)).returncode == 0
    out = tmp_path / "trace.svg"
    result = run_cli("--store", store, "trace", "credit-scoring", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "Retail credit scoring" in svg_texts(out.read_bytes())
    missing = run_cli("--store", store, "trace", "ghost")
    assert missing.returncode == 2 and "no AI system with id 'ghost'" in missing.stderr
    rows = tmp_path / "rows.json"
    rows.write_text('[["Article 9", 2, 1], ["Article 10", 0, 3]]')
    chart = tmp_path / "chart.png"
    done = run_cli("--store", store, "chart", "--results", str(rows), "--out", str(chart))
    assert done.returncode == 0 and chart.read_bytes().startswith(PNG_SIGNATURE)


def test_conformance_chart_from_the_validation_of_the_example_organisation(example: Store) -> None:
    from aims_graph.reports.pictures import rows_from_summary
    from aims_graph.validation import validate

    summary = validate(example).summary()
    rows = rows_from_summary(summary)
    assert len(rows) == len(summary.requirements)
    failing = {entry.notation or entry.requirement for entry in summary.requirements if entry.findings}
    assert failing and {name for name, _, *found in rows if sum(found)} == failing
    assert all(passed + sum(found) == len(set(entry.shapes) | {f.shape for f in entry.findings})
               for (_, passed, *found), entry in zip(rows, summary.requirements))
    text = svg_texts(conformance_chart(rows, "svg"))
    assert all(name in text for name in failing)


def test_trace_lists_the_obligations_once_the_system_is_classified() -> None:
    from aims_graph.classification import classify

    store = open_store("memory")
    rdf_io.load_files(store, sorted((EXAMPLES_DIR / "organisation").glob("*.ttl")), graph=EXAMPLE_GRAPH)
    system = resolve_system(store, "CreditScoring")
    classify(store, system)
    rows = [(row["o"].value, row["n"].value) for row in store.query(
        "PREFIX aims: <https://w3id.org/aims-graph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?o ?n WHERE {{ <{system}> aims:obligationApplies ?o . ?o aims:derivedFromProvision/skos:notation ?n }}")]
    notations = {notation for _, notation in rows}
    assert notations
    text = svg_texts(trace_picture(store, system, "svg"))
    assert f"{len({o for o, _ in rows})} obligations that apply:" in text
    assert all(f"{notation}:" in text for notation in notations)


def test_chart_colours_checks_by_the_severity_they_found(example: Store) -> None:
    from aims_graph.reports.pictures import rows_from_summary
    from aims_graph.validation import validate

    rows = {row[0]: row[1:] for row in rows_from_summary(validate(example).summary())}
    assert rows["Article 50"] == (0, 0, 0, 1)  # an Info reminder is a note, not a failure
    assert rows["7.5.2"][1] == 0 and rows["7.5.2"][2] > 0  # warnings only: no violation drawn
    assert rows["Article 72"][1] > 0
    chart = conformance_chart([("Article 50", 0, 0, 0, 1), ("Article 72", 0, 1, 0, 0), ("7.5.2", 1, 0, 1, 0)], "svg")
    root = ET.fromstring(chart)
    fills = " ".join(p.get("style", "") for p in root.iter(SVG + "path"))
    assert "#1f77b4" in fills and "#ef8f00" in fills and "#c62828" in fills
    assert "1 violation, 1 warning, 1 note" in svg_texts(chart)


def test_chart_of_one_system_names_it(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    files = sorted(str(p) for p in (EXAMPLES_DIR / "organisation").glob("*.ttl"))
    assert run_cli("--store", store, "load", "--graph", EXAMPLE_GRAPH, *files).returncode == 0
    out = tmp_path / "chart.svg"
    done = run_cli("--store", store, "chart", "--system", "CreditScoring", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Conformance by requirement of Harbourline Credit Scoring Engine" in svg_texts(out.read_bytes())


def test_trace_shows_every_linked_artefact_and_the_missing_monitoring_plan(example: Store) -> None:
    iri = resolve_system(example, "https://example.org/harbourline/CreditScoring")
    text = svg_texts(trace_picture(example, iri, "svg"))
    for artefact in ("instructions for credit officers", "Credit Scoring Engine risk management process",
                     "ROC AUC on the 2024 H2 test set", "missing: post-market monitoring plan"):
        assert artefact in text, artefact
