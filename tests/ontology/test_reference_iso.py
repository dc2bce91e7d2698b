"""The ISO reference schemes (42001, 23894, 22989, 27001) against the documents they index.

Identifiers are a closed list taken from the standards, so these tests pin the shape of each
list (how many controls per objective, which clauses exist), guard against identifiers that
public crosswalks invent, and check that the committed Turtle is what the tables compile to.
The structural checks run as SPARQL over the compiled files, the way an ontology QC report
would, so they test the published artefact rather than the table reader.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.knowledge.reference import (
    ConceptRow,
    ReferenceTableError,
    build_scheme,
    concept_iri,
    read_table,
    scheme_iri,
    scheme_version,
)
from aims_graph.paths import REFERENCE_DIR

ISO_SCHEMES = ("iso42001", "iso23894", "iso22989", "iso27001")

# The provision kinds of the vocabulary contract (plan/vocab.md, "Provisions").
PROVISION_KINDS = {
    "Provision", "Clause", "Annex", "ControlObjective", "AnnexAControl", "Chapter", "Section",
    "Article", "Paragraph", "Point", "AnnexPoint", "ProhibitedPractice", "RMFFunction",
    "RMFCategory", "RMFSubcategory", "StakeholderRole", "LifeCycleStage",
    "RiskSourceCategory", "RiskManagementObjective", "Principle",
}

PREFIXES = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX aims: <https://w3id.org/aims-graph/ontology#>
"""


@cache
def rows(scheme: str) -> tuple[ConceptRow, ...]:
    return tuple(read_table(REFERENCE_DIR / f"{scheme}.tsv"))


def by_notation(scheme: str) -> dict[str, ConceptRow]:
    return {row.notation: row for row in rows(scheme)}


def of_kind(scheme: str, kind: str) -> list[ConceptRow]:
    return [row for row in rows(scheme) if row.kind == kind]


def top_ancestor_below(scheme: str, notation: str, stop: str) -> str:
    """Climb skos:broader from ``notation`` to the ancestor whose parent is ``stop``."""
    table = by_notation(scheme)
    current = table[notation]
    while current.broader != stop:
        if not current.broader:
            raise AssertionError(f"{scheme}: {notation} is not under {stop}")
        current = table[current.broader]
    return current.notation


def store_with(scheme: str) -> ox.Store:
    store = ox.Store()
    for name in (f"{scheme}.meta.ttl", f"{scheme}.ttl"):
        store.load(path=str(REFERENCE_DIR / name), format=ox.RdfFormat.TURTLE)
    return store


def ask_rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    return [tuple(str(term.value) for term in solution) for solution in store.query(PREFIXES + query)]


# --- all four schemes -----------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ISO_SCHEMES)
def test_compiled_turtle_is_what_the_table_compiles_to(scheme: str) -> None:
    committed = (REFERENCE_DIR / f"{scheme}.ttl").read_text(encoding="utf-8")
    assert committed == build_scheme(scheme), (
        f"{scheme}.ttl is stale: run `python -m aims_graph.knowledge.reference` (make reference)"
    )


@pytest.mark.parametrize("scheme", ISO_SCHEMES)
def test_notations_and_their_iris_are_unique(scheme: str) -> None:
    notations = Counter(row.notation for row in rows(scheme))
    assert [n for n, count in notations.items() if count > 1] == []
    store = store_with(scheme)
    clashes = ask_rows(store, """
        SELECT ?notation WHERE {
          ?a skos:notation ?notation . ?b skos:notation ?notation . FILTER(?a != ?b)
        }""")
    assert clashes == []


@pytest.mark.parametrize("scheme", ISO_SCHEMES)
def test_every_broader_resolves_inside_the_scheme(scheme: str) -> None:
    dangling = ask_rows(store_with(scheme), f"""
        SELECT ?concept ?parent WHERE {{
          ?concept skos:broader ?parent .
          FILTER NOT EXISTS {{ ?parent a skos:Concept ; skos:inScheme <{scheme_iri(scheme)}> }}
        }}""")
    assert dangling == []


@pytest.mark.parametrize("scheme", ISO_SCHEMES)
def test_every_concept_has_one_label_a_kind_and_the_scheme_version(scheme: str) -> None:
    store = store_with(scheme)
    version = scheme_version(REFERENCE_DIR / f"{scheme}.meta.ttl")
    faulty = ask_rows(store, f"""
        SELECT ?concept WHERE {{
          ?concept skos:inScheme <{scheme_iri(scheme)}> .
          OPTIONAL {{ ?concept skos:prefLabel ?label }}
          OPTIONAL {{ ?concept aims:version ?version }}
        }}
        GROUP BY ?concept
        HAVING (COUNT(DISTINCT ?label) != 1 || COUNT(DISTINCT ?version) != 1
                || SAMPLE(STR(?version)) != "{version}")""")
    assert faulty == []
    assert {row.kind for row in rows(scheme)} <= PROVISION_KINDS


@pytest.mark.parametrize("scheme", ISO_SCHEMES)
def test_scheme_metadata_says_where_the_identifiers_were_checked(scheme: str) -> None:
    store = store_with(scheme)
    subject = f"<{scheme_iri(scheme)}>"
    for prop in ("dcterms:title", "dcterms:identifier", "aims:version", "dcterms:publisher",
                 "dcterms:issued", "dcterms:source", "prov:wasDerivedFrom", "dcterms:license",
                 "rdfs:comment"):
        assert store.query(PREFIXES + f"ASK {{ {subject} a skos:ConceptScheme ; {prop} ?v }}"), (
            f"{scheme}.meta.ttl lacks {prop}"
        )
    comment = ask_rows(store, f"SELECT ?c WHERE {{ {subject} rdfs:comment ?c }}")[0][0]
    assert "copyright" in comment and "identifiers and titles" in comment


def sentence_count(text: str) -> int:
    """Sentences end in . ! or ? followed by a space; dots inside ``A.6.2`` do not count."""
    body = text.strip()
    return len(re.findall(r"[.!?](?=\s)", body)) + (1 if body else 0)


@pytest.mark.parametrize("scheme", ISO_SCHEMES)
def test_no_concept_carries_more_than_one_sentence_of_text(scheme: str) -> None:
    long_notes = [row.notation for row in rows(scheme) if sentence_count(row.note) > 1]
    long_labels = [row.notation for row in rows(scheme) if sentence_count(row.label) > 1]
    assert long_notes == [] and long_labels == []


def test_sentence_counter_sees_a_second_sentence_and_ignores_clause_numbers() -> None:
    assert sentence_count("Covers A.6.1.2 and 6.1.4 only.") == 1
    assert sentence_count("First part. Second part.") == 2
    assert sentence_count("") == 0


# --- ISO/IEC 42001:2023 ---------------------------------------------------------------------


def test_42001_has_clauses_4_to_10_with_their_sub_clauses() -> None:
    clauses = of_kind("iso42001", "Clause")
    tops = [row.notation for row in clauses if not row.broader]
    assert tops == [str(n) for n in range(4, 11)]
    roots = (top_ancestor_below("iso42001", row.notation, "") for row in clauses)
    per_clause = Counter(root for root in roots if not root.startswith("Annex"))
    # 6: 6.1, 6.1.1-6.1.4, 6.2, 6.3; 7: 7.1-7.5, 7.5.1-7.5.3; 9: 9.1, 9.2, 9.2.1-2, 9.3, 9.3.1-3.
    assert per_clause == {"4": 5, "5": 4, "6": 8, "7": 9, "8": 5, "9": 9, "10": 3}


def test_42001_annex_a_has_38_controls_in_9_objectives() -> None:
    objectives = [row.notation for row in of_kind("iso42001", "ControlObjective")
                  if row.broader == "Annex A"]
    assert objectives == [f"A.{n}" for n in range(2, 11)]
    controls = of_kind("iso42001", "AnnexAControl")
    assert len(controls) == 38
    per_objective = Counter(top_ancestor_below("iso42001", c.notation, "Annex A") for c in controls)
    assert per_objective == {"A.2": 3, "A.3": 2, "A.4": 5, "A.5": 4, "A.6": 9,
                             "A.7": 5, "A.8": 4, "A.9": 3, "A.10": 3}


def test_42001_a6_keeps_its_two_sub_objectives() -> None:
    table = by_notation("iso42001")
    for sub in ("A.6.1", "A.6.2"):
        assert table[sub].kind == "ControlObjective" and table[sub].broader == "A.6"
        assert "A.6" in table[sub].note
    assert {c.broader for c in of_kind("iso42001", "AnnexAControl")
            if c.notation.startswith("A.6.")} == {"A.6.1", "A.6.2"}


def test_42001_control_numbers_never_end_in_1() -> None:
    # The x.1 position holds the objective statement in Table A.1 and in Annex B.
    assert [c.notation for c in of_kind("iso42001", "AnnexAControl")
            if c.notation.endswith(".1")] == []


@pytest.mark.parametrize("invented", ["A.6.10", "8.5", "A.3.4", "A.6.2.9", "A.4.1", "A.11",
                                      "A.5.1", "B.6.2.4", "11"])
def test_42001_lacks_identifiers_that_crosswalks_invent(invented: str) -> None:
    assert invented not in by_notation("iso42001")
    assert not store_with("iso42001").query(
        PREFIXES + f'ASK {{ ?c skos:notation "{invented}" }}'
    )


def test_42001_annex_b_is_one_concept_with_a_note() -> None:
    table = by_notation("iso42001")
    assert table["Annex B"].kind == "Annex" and table["Annex B"].note
    assert [n for n in table if n.startswith("B.")] == []
    assert {f"Annex {x}" for x in "ABCD"} <= table.keys()


def test_42001_annex_c_lists_11_objectives_and_7_risk_sources() -> None:
    objectives = [row.notation for row in of_kind("iso42001", "RiskManagementObjective")]
    sources = [row.notation for row in of_kind("iso42001", "RiskSourceCategory")]
    assert objectives == [f"C.2.{n}" for n in range(1, 12)]
    assert sources == [f"C.3.{n}" for n in range(1, 8)]


# --- ISO/IEC 23894:2023 ---------------------------------------------------------------------


def test_23894_has_the_eight_principles_of_table_1() -> None:
    principles = of_kind("iso23894", "Principle")
    assert [p.notation for p in principles] == [f"Table 1 {x})" for x in "abcdefgh"]
    assert {p.broader for p in principles} == {"4"}
    assert concept_iri("iso23894", "Table 1 a)").endswith("/iso23894/Table-1-a")


def test_23894_clause_structure() -> None:
    table = by_notation("iso23894")
    assert [r.notation for r in of_kind("iso23894", "Clause") if not r.broader] == ["4", "5", "6"]
    assert [n for n in table if table[n].broader == "5"] == [f"5.{i}" for i in range(1, 8)]
    assert [n for n in table if table[n].broader == "6"] == [f"6.{i}" for i in range(1, 8)]
    assert [n for n in table if table[n].broader == "6.4"] == [f"6.4.{i}" for i in range(1, 5)]
    assert [n for n in table if table[n].broader == "6.3"] == [f"6.3.{i}" for i in range(1, 5)]
    assert [n for n in table if table[n].broader == "5.4"] == [f"5.4.{i}" for i in range(1, 6)]
    # Fourth level: only the sub-clauses printed in NIST's crosswalk to ISO/IEC FDIS 23894;
    # 6.4.2.1, 6.4.2.2 and 6.4.3.1 were not seen printed and stay out.
    assert [n for n in table if table[n].broader == "6.4.2"] == [f"6.4.2.{i}" for i in range(3, 7)]
    assert [n for n in table if table[n].broader == "6.4.3"] == ["6.4.3.2", "6.4.3.3"]
    assert [n for n in table if n.count(".") >= 3] == [
        "6.4.2.3", "6.4.2.4", "6.4.2.5", "6.4.2.6", "6.4.3.2", "6.4.3.3"]
    assert table["6.4.3.3"].label == "Assessment of likelihood"


def test_23894_annexes_match_the_lists_42001_annex_c_repeats() -> None:
    objectives = of_kind("iso23894", "RiskManagementObjective")
    sources = of_kind("iso23894", "RiskSourceCategory")
    assert [o.notation for o in objectives] == [f"A.{n}" for n in range(2, 13)]
    assert [s.notation for s in sources] == [f"B.{n}" for n in range(2, 9)]
    assert [o.label for o in objectives] == [
        o.label for o in of_kind("iso42001", "RiskManagementObjective")]
    assert [s.label for s in sources] == [s.label for s in of_kind("iso42001", "RiskSourceCategory")]
    assert {"Annex A", "Annex B", "Annex C"} <= by_notation("iso23894").keys()


def test_23894_rows_not_in_the_table_of_contents_say_where_they_were_checked() -> None:
    table = by_notation("iso23894")
    below_toc = [r for r in rows("iso23894") if r.notation.count(".") >= 3]
    annex_items = of_kind("iso23894", "RiskManagementObjective") + of_kind(
        "iso23894", "RiskSourceCategory")
    for row in below_toc + annex_items:
        assert row.source, f"{row.notation} does not say where its number comes from"
    derived = {r.notation for r in annex_items if r.derived}
    assert derived == {f"A.{n}" for n in range(2, 13)} | {f"B.{n}" for n in range(4, 9)}
    assert not table["B.2"].derived and not table["B.3"].derived


# --- ISO/IEC 22989:2022 ---------------------------------------------------------------------

STAGES = ["Inception", "Design and development", "Verification and validation", "Deployment",
          "Operation and monitoring", "Continuous validation", "Re-evaluation", "Retirement"]


def test_22989_has_the_eight_life_cycle_stages_in_order() -> None:
    stages = of_kind("iso22989", "LifeCycleStage")
    assert [s.label for s in stages] == STAGES
    assert [s.notation for s in stages] == [f"6.2.{n}" for n in range(2, 10)]
    store = store_with("iso22989")
    for stage in stages:
        iri = concept_iri("iso22989", stage.notation)
        assert iri == f"https://w3id.org/aims-graph/iso22989/{stage.notation}"
        assert store.query(PREFIXES + f"ASK {{ <{iri}> a aims:LifeCycleStage }}")


def test_22989_stakeholder_roles_sit_under_5_19() -> None:
    table = by_notation("iso22989")
    main = [r.label for r in of_kind("iso22989", "StakeholderRole") if r.broader == "5.19"]
    assert main == ["AI provider", "AI producer", "AI customer", "AI partner", "AI subject",
                    "Relevant authorities"]
    for role in of_kind("iso22989", "StakeholderRole"):
        assert role.notation.startswith(role.broader + ".")
        assert not role.notation.endswith(".1"), "x.1 sub-clauses are general introductions"
    assert table["5.19.3.2"].label == "AI developer"
    assert table["5.19.4.2"].label == "AI user"


def test_22989_inferred_numbers_say_how_they_were_derived() -> None:
    for row in of_kind("iso22989", "StakeholderRole") + of_kind("iso22989", "LifeCycleStage"):
        assert row.source, f"{row.notation} does not say where its number comes from"
    # Every stage but 6.2.3 is cited by number in VAIR; 6.2.3 is the one gap between 6.2.2 and 6.2.4.
    derived_stages = [r.notation for r in of_kind("iso22989", "LifeCycleStage") if r.derived]
    assert derived_stages == ["6.2.3"]
    # 5.19.3.2 is cited by AIRO (5.19 itself is a clause, not a role); every other role number
    # follows from the order of the roles.
    checked_roles = [r.notation for r in of_kind("iso22989", "StakeholderRole") if not r.derived]
    assert checked_roles == ["5.19.3.2"]


# --- provisional numbers --------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ISO_SCHEMES)
def test_a_derived_notation_is_flagged_in_the_graph_and_says_how(scheme: str) -> None:
    derived = {row.notation for row in rows(scheme) if row.derived}
    for row in rows(scheme):
        says_derived = row.source.startswith("number derived")
        assert row.derived == says_derived, f"{scheme} {row.notation}: numbering and source disagree"
    flagged = {notation for (notation,) in ask_rows(store_with(scheme), """
        SELECT ?notation WHERE { ?c aims:notationDerived true ; skos:notation ?notation }""")}
    assert flagged == derived


def test_a_table_refuses_an_unknown_numbering_and_a_derived_row_without_source(tmp_path: Path) -> None:
    header = "notation\tkind\tbroader\tlabel\tnote\tapplies_from\tsource\tnumbering\n"
    table = tmp_path / "t.tsv"
    table.write_text(header + "B.4\tRiskSourceCategory\t\tLevel of automation\t\t\t\tguessed\n")
    with pytest.raises(ReferenceTableError, match=r"t.tsv:2: numbering 'guessed' is not one of derived"):
        read_table(table)
    table.write_text(header + "B.4\tRiskSourceCategory\t\tLevel of automation\t\t\t\tderived\n")
    with pytest.raises(ReferenceTableError, match=r"t.tsv:2: a derived notation needs a source"):
        read_table(table)


# --- ISO/IEC 27001:2022 ---------------------------------------------------------------------


def test_27001_has_the_harmonized_structure_clause_list() -> None:
    clauses = of_kind("iso27001", "Clause")
    assert len(clauses) == 41
    per_clause = Counter(top_ancestor_below("iso27001", row.notation, "") for row in clauses)
    assert per_clause == {"4": 5, "5": 4, "6": 7, "7": 9, "8": 4, "9": 9, "10": 3}
    table = by_notation("iso27001")
    assert table["6.3"].label == "Planning of changes"
    assert [table[n].label for n in ("10.1", "10.2")] == [
        "Continual improvement", "Nonconformity and corrective action"]
    assert "8.4" not in table and "A.5.1" not in table


def test_iso_tables_are_the_files_the_compiler_reads() -> None:
    # Guards the parametrisation above: every ISO scheme here is one the compiler knows.
    from aims_graph.knowledge.reference import table_schemes

    assert set(ISO_SCHEMES) <= set(table_schemes())
    assert all(Path(REFERENCE_DIR / f"{s}.ttl").is_file() for s in ISO_SCHEMES)
