"""Reading crosswalk files: good files load, every kind of bad row is refused with its
file and line, and a refused file loads nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from aims_graph.crosswalk import CrosswalkError, Relation, Status, read_sssom
from aims_graph.crosswalk.loading import load_crosswalks

from .builders import crosswalk_text, row, write_crosswalk

GOOD = [
    row("iso42001:A.5.2", "euaiact:Article-27", "intersects-with"),
    row("iso42001:6.1.2", "euaiact:Article-9", "subset-of", mapping_status="reviewed", reviewer_id="orcid:0000-0002-1825-0097"),
    row("iso42001:A.2.2", "euaiact:Article-50", "no-relationship", confidence="1"),
]
FIRST_ROW_LINE = crosswalk_text("iso42001", "eu-ai-act", []).count("\n") + 1


def test_good_file_loads_with_expanded_iris_and_types(tmp_path: Path, concepts: frozenset[str]) -> None:
    path = write_crosswalk(tmp_path, "iso42001", "eu-ai-act", GOOD)
    mapping_set = read_sssom(path, concepts)
    assert [m.subject_id for m in mapping_set.mappings] == [
        "https://w3id.org/aims-graph/iso42001/A.5.2",
        "https://w3id.org/aims-graph/iso42001/6.1.2",
        "https://w3id.org/aims-graph/iso42001/A.2.2",
    ]
    second = mapping_set.mappings[1]
    assert second.relation is Relation.SUBSET_OF
    assert second.status is Status.REVIEWED
    assert second.reviewer_id == "https://orcid.org/0000-0002-1825-0097"
    assert second.line == FIRST_ROW_LINE + 1
    assert mapping_set.mappings[2].confidence == Decimal(1)
    assert mapping_set.subject_source == "https://w3id.org/aims-graph/iso42001"


BAD_ROWS = {
    "unknown concept id": (row("iso42001:A.6.10", "euaiact:Article-9"), "not a concept"),
    "draft article number": (row("iso42001:A.5.2", "euaiact:Article-52"), "not a concept"),
    "concept of the wrong scheme": (row("nistairmf:GOVERN-1.1", "euaiact:Article-9"), "not in the declared source scheme"),
    "unknown prefix": (row("iso9001:A.5.2", "euaiact:Article-9"), "prefix 'iso9001'"),
    "unknown relation": (row("iso42001:A.5.2", "euaiact:Article-9", "equivalent-to"), "ir8477_relation 'equivalent-to'"),
    "predicate inconsistent with relation": (
        row("iso42001:A.5.2", "euaiact:Article-9", "equal", predicate_id="skos:broadMatch"),
        "does not project equal",
    ),
    "no-relationship without Not": (
        row("iso42001:A.5.2", "euaiact:Article-9", "no-relationship", predicate_modifier=""),
        "predicate_modifier must be 'Not'",
    ),
    "missing justification": (row("iso42001:A.5.2", "euaiact:Article-9", comment=""), "comment"),
    "missing source": (row("iso42001:A.5.2", "euaiact:Article-9", source=""), "source is empty"),
    "confidence above 1": (row("iso42001:A.5.2", "euaiact:Article-9", confidence="1.5"), "confidence '1.5'"),
    "confidence not a number": (row("iso42001:A.5.2", "euaiact:Article-9", confidence="high"), "confidence 'high'"),
    "unknown status": (row("iso42001:A.5.2", "euaiact:Article-9", mapping_status="approved"), "mapping_status 'approved'"),
    "unknown rationale": (row("iso42001:A.5.2", "euaiact:Article-9", rationale_type="legal"), "rationale_type 'legal'"),
    "derived row in an asserted file": (
        row("iso42001:A.5.2", "euaiact:Article-9", mapping_justification="semapv:MappingChaining", mapping_status="candidate"),
        "mapping_justification",
    ),
    "author not an IRI": (row("iso42001:A.5.2", "euaiact:Article-9", author_id="https://example.org/a team"), "not a valid IRI"),
    "reviewed without reviewer": (row("iso42001:A.5.2", "euaiact:Article-9", mapping_status="reviewed"), "reviewer_id"),
    "duplicated row": (GOOD[0], "duplicate of line"),
    "contradicting relation": ({**GOOD[0], "ir8477_relation": "equal", "predicate_id": "skos:exactMatch"}, "contradicts"),
}


@pytest.mark.parametrize("kind", sorted(BAD_ROWS))
def test_bad_row_is_refused_with_file_and_line(tmp_path: Path, concepts: frozenset[str], kind: str) -> None:
    bad, reason = BAD_ROWS[kind]
    path = write_crosswalk(tmp_path, "iso42001", "eu-ai-act", [*GOOD, bad])
    with pytest.raises(CrosswalkError) as caught:
        read_sssom(path, concepts)
    problems = caught.value.problems
    assert [p.line for p in problems] == [FIRST_ROW_LINE + len(GOOD)]
    assert problems[0].path == str(path)
    assert reason in problems[0].reason
    assert f"{path}:{FIRST_ROW_LINE + len(GOOD)}:" in str(caught.value)


def test_every_bad_row_of_a_file_is_reported(tmp_path: Path, concepts: frozenset[str]) -> None:
    rows = [row("iso42001:A.6.10", "euaiact:Article-9"), GOOD[0], row("iso42001:A.5.3", "euaiact:Article-9", comment="")]
    path = write_crosswalk(tmp_path, "iso42001", "eu-ai-act", rows)
    with pytest.raises(CrosswalkError) as caught:
        read_sssom(path, concepts)
    assert [p.line for p in caught.value.problems] == [FIRST_ROW_LINE, FIRST_ROW_LINE + 2]


def test_missing_metadata_and_unknown_column_are_refused(tmp_path: Path, concepts: frozenset[str]) -> None:
    text = crosswalk_text("iso42001", "eu-ai-act", GOOD).replace("#license: ", "#licence: ")
    text = text.replace("\tmapping_status\n", "\tstatus\n", 1)
    path = tmp_path / "iso42001-eu-ai-act.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CrosswalkError) as caught:
        read_sssom(path, concepts)
    reasons = [p.reason for p in caught.value.problems]
    assert "metadata license is missing" in reasons
    assert any("lacks column(s) mapping_status" in r and "unknown column(s) status" in r for r in reasons)


def test_metadata_iri_must_be_an_iri(tmp_path: Path, concepts: frozenset[str]) -> None:
    text = crosswalk_text("iso42001", "eu-ai-act", GOOD).replace(
        "#mapping_set_id: https://w3id.org/aims-graph/crosswalk/iso42001-eu-ai-act", "#mapping_set_id: our crosswalk"
    )
    path = tmp_path / "iso42001-eu-ai-act.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CrosswalkError) as caught:
        read_sssom(path, concepts)
    (problem,) = caught.value.problems
    assert problem.reason == "metadata mapping_set_id 'our crosswalk' is not an IRI"
    assert text.splitlines()[problem.line - 1].startswith("#mapping_set_id:")


def test_creators_are_read_as_iris(tmp_path: Path, concepts: frozenset[str]) -> None:
    path = write_crosswalk(tmp_path, "iso42001", "eu-ai-act", GOOD, creators=("aimsgraph:team", "orcid:0000-0002-1825-0097"))
    assert read_sssom(path, concepts).creators == ("https://w3id.org/aims-graph/team", "https://orcid.org/0000-0002-1825-0097")


@pytest.mark.parametrize(("creator", "why"), [
    # the spelling that made `sssom validate` refuse four of the five project files
    ("https://w3id.org/aims-graph/team", "uses prefix 'https' that curie_map does not declare"),
    ("ex:alice", "uses prefix 'ex' that curie_map does not declare"),
    ("team", "is not a CURIE (prefix:local)"),
    ("aimsgraph:", "is not a CURIE (prefix:local)"),
    ("aimsgraph:the team", "is not a valid IRI"),
])
def test_creators_must_be_curies_of_declared_prefixes(tmp_path: Path, concepts: frozenset[str], creator: str, why: str) -> None:
    path = write_crosswalk(tmp_path, "iso42001", "eu-ai-act", GOOD, creators=("aimsgraph:team", creator))
    with pytest.raises(CrosswalkError) as caught:
        read_sssom(path, concepts)
    (problem,) = caught.value.problems
    assert problem.reason == f"metadata creator_id {creator!r} {why}: SSSOM wants a CURIE whose prefix curie_map declares"
    assert path.read_text(encoding="utf-8").splitlines()[problem.line - 1] == "#creator_id:"


def test_broken_yaml_names_its_line(tmp_path: Path, concepts: frozenset[str]) -> None:
    text = crosswalk_text("iso42001", "eu-ai-act", GOOD).replace("#mapping_set_version:", "#mapping_set_version: [", 1)
    path = tmp_path / "broken.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CrosswalkError) as caught:
        read_sssom(path, concepts)
    assert "not valid YAML" in caught.value.problems[0].reason
    assert caught.value.problems[0].line > 1


def test_a_bad_file_stops_the_whole_directory(tmp_path: Path, reference_dir: Path) -> None:
    write_crosswalk(tmp_path, "iso42001", "eu-ai-act", GOOD)
    bad = write_crosswalk(tmp_path, "nist-ai-rmf", "iso42001", [row("nistairmf:GOVERN-9.9", "iso42001:A.5.2")])
    with pytest.raises(CrosswalkError) as caught:
        load_crosswalks(tmp_path, reference_dir)
    assert [(p.path, p.line) for p in caught.value.problems] == [(str(bad), FIRST_ROW_LINE)]


def test_directory_loads_when_every_file_is_good(tmp_path: Path, reference_dir: Path) -> None:
    write_crosswalk(tmp_path, "iso42001", "eu-ai-act", GOOD)
    write_crosswalk(tmp_path, "nist-ai-rmf", "iso42001", [row("nistairmf:GOVERN-1.1", "iso42001:A.2.2")])
    sets = load_crosswalks(tmp_path, reference_dir)
    assert [len(s.mappings) for s in sets] == [3, 1]


def test_set_id_must_match_the_file_name(tmp_path: Path, reference_dir: Path) -> None:
    path = tmp_path / "renamed.sssom.tsv"
    path.write_text(crosswalk_text("iso42001", "eu-ai-act", GOOD), encoding="utf-8")
    with pytest.raises(CrosswalkError, match="expected https://w3id.org/aims-graph/crosswalk/renamed"):
        load_crosswalks(tmp_path, reference_dir)
