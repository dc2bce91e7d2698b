"""The NIST AI RMF 1.0 scheme and its crosswalk to ISO/IEC 42001, checked against the documents.

The expected numbers are facts of NIST AI 100-1 (Tables 1-4): if a row is lost or invented in
the table, or the compiled Turtle drifts from it, these tests say which identifier is wrong.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
import rdflib
import yaml
from rdflib.namespace import RDF, SKOS

from aims_graph.knowledge.reference import build_scheme, concept_iri, notation_slug, scheme_iri
from aims_graph.paths import CROSSWALK_DIR, REFERENCE_DIR

SCHEME = "nist-ai-rmf"
AIMS = rdflib.Namespace("https://w3id.org/aims-graph/ontology#")
CROSSWALK = CROSSWALK_DIR / "nist-ai-rmf-iso42001.sssom.tsv"

# Subcategories per category, as printed in NIST AI 100-1 Tables 1-4.
SUBCATEGORIES_PER_CATEGORY = {
    "GOVERN 1": 7, "GOVERN 2": 3, "GOVERN 3": 2, "GOVERN 4": 3, "GOVERN 5": 2, "GOVERN 6": 2,
    "MAP 1": 6, "MAP 2": 3, "MAP 3": 5, "MAP 4": 2, "MAP 5": 2,
    "MEASURE 1": 3, "MEASURE 2": 13, "MEASURE 3": 3, "MEASURE 4": 3,
    "MANAGE 1": 4, "MANAGE 2": 4, "MANAGE 3": 2, "MANAGE 4": 3,
}  # fmt: skip


def _ids(prefix: str, parent: str, first: int, last: int) -> list[str]:
    return [f"{prefix}{parent}.{n}" for n in range(first, last + 1)]


# The closed list of ISO/IEC 42001:2023 clause and Annex A control identifiers.
ISO42001_IDS = frozenset(
    ["4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "6.1", "6.2", "6.3"]
    + _ids("", "6.1", 1, 4) + _ids("", "7", 1, 5) + _ids("", "7.5", 1, 3) + _ids("", "8", 1, 4)
    + ["9.1", "9.2", "9.3", "9.2.1", "9.2.2"] + _ids("", "9.3", 1, 3) + ["10.1", "10.2"]
    + _ids("A.", "2", 2, 4) + _ids("A.", "3", 2, 3) + _ids("A.", "4", 2, 6) + _ids("A.", "5", 2, 5)
    + _ids("A.", "6.1", 2, 3) + _ids("A.", "6.2", 2, 8) + _ids("A.", "7", 2, 6)
    + _ids("A.", "8", 2, 5) + _ids("A.", "9", 2, 4) + _ids("A.", "10", 2, 4)
)  # fmt: skip

PROJECTION = {
    "equal": ("skos:exactMatch", ""),
    "subset-of": ("skos:broadMatch", ""),
    "superset-of": ("skos:narrowMatch", ""),
    "intersects-with": ("skos:relatedMatch", ""),
    "no-relationship": ("skos:relatedMatch", "Not"),
}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(REFERENCE_DIR / f"{SCHEME}.ttl", format="turtle")
    g.parse(REFERENCE_DIR / f"{SCHEME}.meta.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def notations(graph: rdflib.Graph) -> dict[str, rdflib.URIRef]:
    """Notation -> concept IRI for every concept of the compiled scheme."""
    found: dict[str, rdflib.URIRef] = {}
    for concept in graph.subjects(SKOS.inScheme, rdflib.URIRef(scheme_iri(SCHEME))):
        for notation in graph.objects(concept, SKOS.notation):
            assert str(notation) not in found, f"notation {notation} is used twice"
            found[str(notation)] = concept
    return found


def _of_kind(graph: rdflib.Graph, kind: str) -> set[str]:
    return {str(graph.value(c, SKOS.notation)) for c in graph.subjects(RDF.type, AIMS[kind])}


def test_compiled_turtle_is_fresh() -> None:
    compiled = (REFERENCE_DIR / f"{SCHEME}.ttl").read_text(encoding="utf-8")
    assert compiled == build_scheme(SCHEME), "run `make reference` to recompile nist-ai-rmf.ttl"


def test_four_functions_are_the_top_concepts(graph: rdflib.Graph) -> None:
    functions = _of_kind(graph, "RMFFunction")
    assert functions == {"GOVERN", "MAP", "MEASURE", "MANAGE"}
    tops = {str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.topConceptOf, None)}
    assert tops == functions
    declared = set(graph.objects(rdflib.URIRef(scheme_iri(SCHEME)), SKOS.hasTopConcept))
    assert declared == {rdflib.URIRef(concept_iri(SCHEME, f)) for f in functions}


def test_nineteen_categories_split_by_function(graph: rdflib.Graph) -> None:
    categories = _of_kind(graph, "RMFCategory")
    assert categories == set(SUBCATEGORIES_PER_CATEGORY)
    per_function = Counter(c.split()[0] for c in categories)
    assert per_function == {"GOVERN": 6, "MAP": 5, "MEASURE": 4, "MANAGE": 4}


def test_seventy_two_subcategories_with_document_counts(graph: rdflib.Graph) -> None:
    subcategories = _of_kind(graph, "RMFSubcategory")
    assert len(subcategories) == 72
    per_category = Counter(s.split(".")[0] for s in subcategories)
    assert per_category == SUBCATEGORIES_PER_CATEGORY
    for category, count in SUBCATEGORIES_PER_CATEGORY.items():
        assert {s for s in subcategories if s.split(".")[0] == category} == {
            f"{category}.{n}" for n in range(1, count + 1)
        }, f"{category} is not numbered 1..{count} without gaps"


def test_broader_resolves_to_the_parent_notation(
    graph: rdflib.Graph, notations: dict[str, rdflib.URIRef]
) -> None:
    for notation, concept in notations.items():
        parents = list(graph.objects(concept, SKOS.broader))
        if " " not in notation:
            assert parents == [], f"function {notation} has a broader concept"
            continue
        expected = notation.split(".")[0] if "." in notation else notation.split()[0]
        assert parents == [notations[expected]], f"{notation} should sit under {expected}"


def test_iris_follow_the_slug_rule(notations: dict[str, rdflib.URIRef]) -> None:
    for notation, concept in notations.items():
        assert str(concept) == f"{scheme_iri(SCHEME)}/{notation_slug(notation)}"
    assert str(notations["GOVERN 1.1"]) == "https://w3id.org/aims-graph/nist-ai-rmf/GOVERN-1.1"


def test_every_statement_is_quoted_with_its_table(
    graph: rdflib.Graph, notations: dict[str, rdflib.URIRef]
) -> None:
    tables = {"GOVERN": 1, "MAP": 2, "MEASURE": 3, "MANAGE": 4}
    for notation, concept in notations.items():
        note = str(graph.value(concept, SKOS.scopeNote))
        source = str(graph.value(concept, rdflib.URIRef("http://purl.org/dc/terms/source")))
        where = "Figure 5" if " " not in notation else f"Table {tables[notation.split()[0]]}"
        assert re.fullmatch(rf"NIST AI 100-1, {where}: “.+”\.?", note), f"{notation}: {note}"
        assert where in source and "10.6028/NIST.AI.100-1" in source, f"{notation}: {source}"


def test_scheme_metadata(graph: rdflib.Graph) -> None:
    scheme = rdflib.URIRef(scheme_iri(SCHEME))
    dcterms = rdflib.Namespace("http://purl.org/dc/terms/")
    assert str(graph.value(scheme, dcterms.identifier)) == "NIST AI 100-1"
    assert str(graph.value(scheme, AIMS.version)) == "1.0"
    assert graph.value(scheme, dcterms.issued).toPython().isoformat() == "2023-01-26"
    assert graph.value(scheme, dcterms.source) == rdflib.URIRef("https://doi.org/10.6028/NIST.AI.100-1")


# --- crosswalk -------------------------------------------------------------------------------


def _split(path: Path) -> tuple[dict, list[dict[str, str]]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    meta_lines = [line[1:] for line in lines if line.startswith("#")]
    table = [line for line in lines if not line.startswith("#")]
    return yaml.safe_load("\n".join(meta_lines)), list(csv.DictReader(table, delimiter="\t"))


@pytest.fixture(scope="module")
def crosswalk() -> tuple[dict, list[dict[str, str]]]:
    return _split(CROSSWALK)


def test_crosswalk_metadata(crosswalk: tuple[dict, list[dict[str, str]]]) -> None:
    meta, _ = crosswalk
    assert meta["mapping_set_id"] == "https://w3id.org/aims-graph/crosswalk/nist-ai-rmf-iso42001"
    assert meta["subject_source"] == scheme_iri(SCHEME)
    assert meta["object_source"] == scheme_iri("iso42001")
    assert meta["curie_map"]["nistairmf"] == scheme_iri(SCHEME) + "/"
    assert meta["curie_map"]["iso42001"] == scheme_iri("iso42001") + "/"
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    declared = {e["slot_name"] for e in meta["extension_definitions"]}
    assert {"ir8477_relation", "rationale_type", "source", "mapping_status"} <= declared


def test_crosswalk_subjects_are_nist_concepts(
    crosswalk: tuple[dict, list[dict[str, str]]],
    graph: rdflib.Graph,
    notations: dict[str, rdflib.URIRef],
) -> None:
    _, rows = crosswalk
    known = {f"nistairmf:{notation_slug(n)}": n for n in notations}
    subjects = set()
    for line, row in enumerate(rows, start=2):
        assert row["subject_id"] in known, f"row {line}: {row['subject_id']} is not in the scheme"
        notation = known[row["subject_id"]]
        label = str(graph.value(notations[notation], SKOS.prefLabel))
        assert row["subject_label"] == label, f"row {line}: label {row['subject_label']!r} != {label!r}"
        subjects.add(notation)
    # The published crosswalk gives ISO items for every one of the 72 subcategories.
    assert subjects == {n for n in notations if n.count(".") == 1}


def test_crosswalk_objects_are_iso42001_identifiers(
    crosswalk: tuple[dict, list[dict[str, str]]],
) -> None:
    _, rows = crosswalk
    for line, row in enumerate(rows, start=2):
        prefix, _, local = row["object_id"].partition(":")
        assert prefix == "iso42001" and local in ISO42001_IDS, f"row {line}: {row['object_id']}"


def test_crosswalk_rows_are_typed_and_justified(
    crosswalk: tuple[dict, list[dict[str, str]]],
) -> None:
    _, rows = crosswalk
    assert rows, "the crosswalk has no rows"
    pairs = Counter((row["subject_id"], row["object_id"]) for row in rows)
    assert [p for p, n in pairs.items() if n > 1] == []
    for line, row in enumerate(rows, start=2):
        where = f"row {line} ({row['subject_id']} -> {row['object_id']})"
        assert row["ir8477_relation"] in PROJECTION, where
        assert (row["predicate_id"], row["predicate_modifier"]) == PROJECTION[row["ir8477_relation"]], where
        assert row["rationale_type"] in {"syntactic", "semantic", "functional"}, where
        assert row["comment"].strip() and row["source"].strip(), where
        assert row["mapping_justification"] == "semapv:ManualMappingCuration", where
        assert row["mapping_status"] == "proposed", where
        assert row["author_id"] == "aimsgraph:team", where
        assert 0.0 < float(row["confidence"]) <= 1.0, where


def test_annex_b_citations_map_to_annex_a_controls(
    crosswalk: tuple[dict, list[dict[str, str]]],
) -> None:
    """NIST's crosswalk cites Annex B guidance ids; each row keeps the printed id in its comment."""
    _, rows = crosswalk
    for line, row in enumerate(rows, start=2):
        local = row["object_id"].partition(":")[2]
        cited = "B." + local[2:] if local.startswith("A.") else local
        assert f"cited as {cited};" in row["comment"] or row["comment"].endswith(
            f"cited as {cited}."
        ), f"row {line}: comment does not record the cited id {cited}"


def test_crosswalk_loads_with_the_sssom_package(
    crosswalk: tuple[dict, list[dict[str, str]]],
) -> None:
    from sssom.parsers import parse_sssom_table

    _, rows = crosswalk
    msdf = parse_sssom_table(CROSSWALK)
    assert len(msdf.df) == len(rows)
    assert set(msdf.df["subject_id"]) == {row["subject_id"] for row in rows}
    assert set(msdf.df["object_id"]) == {row["object_id"] for row in rows}
