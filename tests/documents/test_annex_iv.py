"""Annex IV technical documentation drafted from the graph (issue 18, part 4).

The expected points come from Annex IV of Regulation (EU) 2024/1689 and the example
organisation's documented facts (examples/README.md); the checked-in documents under
examples/documents/ are regenerated here and the test fails when they drift. Regenerate
them after an intended change with ``python -m tests.documents.test_annex_iv``.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from aims_graph.errors import InputError
from aims_graph.paths import EXAMPLES_DIR
from aims_graph.reports.annex_iv import AnnexIV, annex_iv, render
from aims_graph.store import Store, open_store
from tests.command_line import run_cli
from tests.queries.conftest import EXAMPLE_GRAPH, HL, load_example

# A fixed as-of date, so that the checked-in documents do not change with the calendar.
AS_OF = dt.date(2026, 11, 29)
CHECKED_IN = {  # file under examples/documents/ -> (system, format)
    "annex-iv-credit-scoring.md": ("CreditScoring", "md"),
    "annex-iv-credit-scoring.json": ("CreditScoring", "json"),
    "annex-iv-fraud-detection.md": ("FraudDetection", "md"),
}
ANNEX_IV_POINTS = [
    "1(a)",
    "1(b)",
    "1(c)",
    "1(d)",
    "1(e)",
    "1(f)",
    "1(g)",
    "1(h)",
    "2(a)",
    "2(b)",
    "2(c)",
    "2(d)",
    "2(e)",
    "2(f)",
    "2(g)",
    "2(h)",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
]


def documents(store: Store) -> dict[str, str]:
    return {name: render(annex_iv(store, HL + system, AS_OF), fmt) for name, (system, fmt) in CHECKED_IN.items()}


def items(document: AnnexIV) -> dict[str, object]:
    return {item.point: item for section in document.sections for item in section.items}


@pytest.fixture(scope="module")
def credit(example_store: Store) -> AnnexIV:
    return annex_iv(example_store, HL + "CreditScoring", AS_OF)


@pytest.mark.parametrize("name", sorted(CHECKED_IN))
def test_checked_in_documents_match_what_the_graph_gives_today(example_store: Store, name: str) -> None:
    expected = (EXAMPLES_DIR / "documents" / name).read_text(encoding="utf-8")
    assert documents(example_store)[name] == expected, (
        f"examples/documents/{name} drifted from the graph: regenerate with python -m tests.documents.test_annex_iv"
    )


def test_the_points_are_those_of_annex_iv_in_its_order(credit: AnnexIV) -> None:
    assert [s.number for s in credit.sections] == [str(n) for n in range(1, 10)]
    assert list(items(credit)) == ANNEX_IV_POINTS


def test_filled_points_name_their_source_nodes(credit: AnnexIV) -> None:
    found = items(credit)
    data = {v.source for v in found["2(d)"].values}  # type: ignore[attr-defined]
    assert {
        HL + "CreditTraining",
        HL + "CreditValidation",
        HL + "CreditTest",
        HL + "LoanBookExtract",
        HL + "CreditDataGovernance",
    } <= data
    assert [v.source for v in found["1(h)"].values] == [HL + "CreditIFU"]  # type: ignore[attr-defined]
    assert [v.source for v in found["2(h)"].values] == [HL + "CreditPenTest"]  # type: ignore[attr-defined]
    assert [v.source for v in found["8"].values] == [HL + "CreditConformity"]  # type: ignore[attr-defined]


def test_the_missing_monitoring_plan_is_marked_with_article_72(credit: AnnexIV) -> None:
    # Intended finding 1 of the example organisation: no post-market monitoring plan.
    point = items(credit)["9"]
    assert (point.status, point.values) == ("missing", ())  # type: ignore[attr-defined]
    assert "Article 72" in point.needed_by  # type: ignore[attr-defined]
    assert credit.high_risk and credit.categories == ("HighRiskAnnexIII",)
    assert credit.filled + credit.missing == len(ANNEX_IV_POINTS)


def test_a_system_that_is_not_high_risk_gets_a_document_saying_why(example_store: Store) -> None:
    document = annex_iv(example_store, HL + "FraudDetection", AS_OF)
    assert not document.high_risk and document.sections == ()
    assert document.categories == ("MinimalRisk",)
    assert any("financial fraud" in ground.explanation for ground in document.classification)
    text = render(document, "md")
    assert "not a high-risk system" in text and "Article 11(1)" in text


def test_every_format_renders_and_an_unknown_one_is_refused(credit: AnnexIV) -> None:
    body = json.loads(render(credit, "json"))
    assert body["summary"] == {"filled": credit.filled, "missing": credit.missing}
    assert body["sections"][8]["items"][0]["status"] == "missing"
    page = render(credit, "html")
    assert page.startswith("<!DOCTYPE html>") and 'class="missing"' in page
    with pytest.raises(InputError, match="docx"):
        render(credit, "docx")


@pytest.fixture(scope="module")
def cli_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    location = str(tmp_path_factory.mktemp("annex-iv") / "store")
    files = [str(p) for p in sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))]
    loaded = run_cli("--store", location, "load", "--graph", EXAMPLE_GRAPH, *files)
    assert loaded.returncode == 0, loaded.stderr
    return location


def test_the_command_writes_the_document(cli_store: str) -> None:
    result = run_cli(
        "--store", cli_store, "docs", "annex-iv", "CreditScoring", "--format", "json", "--as-of", "2026-11-29"
    )
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["system"] == HL + "CreditScoring" and body["high_risk"] is True and body["as_of"] == "2026-11-29"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("NoSuchSystem",), "NoSuchSystem"),
        (("CreditScoring", "--format", "docx"), "--format"),
        (("CreditScoring", "--as-of", "2020-01-01"), "before 1 August 2024"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli_store: str, args: tuple[str, ...], says: str) -> None:
    result = run_cli("--store", cli_store, "docs", "annex-iv", *args)
    assert result.returncode == 2 and says in result.stderr and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def write() -> None:
    """Regenerate the checked-in documents from the example organisation."""
    store = load_example(open_store("memory"))
    target = EXAMPLES_DIR / "documents"
    for name, text in documents(store).items():
        Path(target / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    write()
