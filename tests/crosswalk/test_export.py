"""Exports: CSV for spreadsheets, Turtle for RDF tools, SSSOM for mapping tools; and the
file diff the CLI offers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.crosswalk import (
    CrosswalkError,
    CrosswalkIndex,
    MappingSet,
    candidate_sets,
    derive_candidates,
    diff_files,
    export,
    parse_sssom,
    read_sssom,
)
from aims_graph.crosswalk.sssom_io import COLUMNS
from aims_graph.errors import InputError

from .builders import make_store, row, write_crosswalk

ISO_EU = [row("iso42001:A.6.2.8", "euaiact:Article-12", "equal"), row("iso42001:A.5.2", "euaiact:Article-27", "subset-of")]
NIST_ISO = [row("nistairmf:GOVERN-1.1", "iso42001:A.6.2.8", "equal"), row("nistairmf:MAP-1.1", "iso42001:A.5.2", "subset-of")]


@pytest.fixture()
def sets(tmp_path: Path, concepts: frozenset[str]) -> list[MappingSet]:
    return [
        read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ISO_EU), concepts),
        read_sssom(write_crosswalk(tmp_path, "nist-ai-rmf", "iso42001", NIST_ISO), concepts),
    ]


def test_csv_has_one_row_per_mapping_with_its_set(sets: list[MappingSet]) -> None:
    table = list(csv.DictReader(io.StringIO(export(sets, "csv"))))
    assert list(table[0]) == ["mapping_set_id", *COLUMNS]
    assert [(r["mapping_set_id"].rsplit("/", 1)[-1], r["subject_id"], r["ir8477_relation"]) for r in table] == [
        ("iso42001-eu-ai-act", "iso42001:A.6.2.8", "equal"),
        ("iso42001-eu-ai-act", "iso42001:A.5.2", "subset-of"),
        ("nist-ai-rmf-iso42001", "nistairmf:GOVERN-1.1", "equal"),
        ("nist-ai-rmf-iso42001", "nistairmf:MAP-1.1", "subset-of"),
    ]


def test_turtle_of_several_sets_holds_all_of_them(sets: list[MappingSet]) -> None:
    graph = ox.Store()
    graph.load(export(sets, "ttl"), format=ox.RdfFormat.TURTLE)
    answer = graph.query("PREFIX aims: <https://w3id.org/aims-graph/ontology#> SELECT (COUNT(*) AS ?n) WHERE { ?m a aims:Mapping }")
    assert int(next(iter(answer))["n"].value) == 4


def test_sssom_export_needs_exactly_one_set_and_a_known_format(sets: list[MappingSet], concepts: frozenset[str]) -> None:
    with pytest.raises(InputError, match="^SSSOM export needs exactly one mapping set"):
        export(sets, "sssom")
    with pytest.raises(InputError, match="^export format 'xlsx' is not one of sssom, ttl, csv"):
        export(sets, "xlsx")
    assert parse_sssom(export(sets[:1], "sssom"), "export", concepts) == sets[0]


def test_candidate_sets_export_as_derived_sssom(sets: list[MappingSet], reference_dir: Path, concepts: frozenset[str]) -> None:
    index = CrosswalkIndex.from_store(make_store(reference_dir, [Path(s.path) for s in sets], concepts))
    (candidates,) = candidate_sets(index, derive_candidates(index))
    text = export([candidates], "sssom")
    assert "semapv:MappingChaining" in text and "\tcandidate\n" in text
    with pytest.raises(CrosswalkError, match="mapping_justification"):
        parse_sssom(text, "candidates", concepts)  # never accepted as an asserted crosswalk
    assert parse_sssom(text, "candidates", concepts, allow_derived=True).mappings == candidates.mappings


def test_diff_files_compares_two_versions(tmp_path: Path, reference_dir: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    old = write_crosswalk(tmp_path / "old", "iso42001", "eu-ai-act", ISO_EU)
    new = write_crosswalk(tmp_path / "new", "iso42001", "eu-ai-act", [ISO_EU[0]], version="2")
    result = diff_files(old, new, reference_dir)
    assert [r.object_id.rsplit("/", 1)[-1] for r in result.removed] == ["Article-27"]
    assert not result.added and not result.changed
    broken = write_crosswalk(tmp_path, "iso42001", "eu-ai-act", [row("iso42001:A.6.10", "euaiact:Article-12")])
    with pytest.raises(CrosswalkError, match="A.6.10"):
        diff_files(old, broken, reference_dir)
