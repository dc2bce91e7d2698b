"""Our SSSOM files and exports are read and validated by the reference implementation, the
``sssom`` package, both for small test sets and for every crosswalk of the project, and
survive its conversion to SSSOM/JSON and back."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from sssom.parsers import parse_sssom_json, parse_sssom_table
from sssom.util import MappingSetDataFrame
from sssom.validators import validate
from sssom.writers import write_json

from aims_graph.crosswalk import MappingSet, read_sssom, write_sssom
from aims_graph.crosswalk.loading import SUFFIX, load_crosswalks
from aims_graph.paths import CROSSWALK_DIR

from .builders import row, write_crosswalk

ROWS = [
    row("iso42001:A.5.2", "euaiact:Article-27", "intersects-with", subject_label="AI system impact assessment process"),
    row("iso42001:6.1.2", "euaiact:Article-9", "subset-of", mapping_status="reviewed", reviewer_id="orcid:0000-0002-1825-0097"),
    row("iso42001:A.5.3", "euaiact:Article-26", "no-relationship", confidence="1.0"),
]


def _validated(path: Path) -> MappingSetDataFrame:
    # Not strict=True: sssom 0.4.21 inverts its metadata check in strict mode and refuses
    # every regular file; the caplog assertion below checks the same thing the right way.
    msdf = parse_sssom_table(path)
    reports = validate(msdf, fail_on_error=False)
    for kind, report in reports.items():
        assert report.results == [], f"{path.name}: {kind}: {[r.message for r in report.results]}"
    return msdf


def _export(mapping_set: MappingSet, directory: Path) -> Path:
    path = directory / (mapping_set.id.rsplit("/", 1)[-1] + SUFFIX)
    path.write_text(write_sssom(mapping_set), encoding="utf-8")
    return path


def _check_with_sssom(mapping_set: MappingSet, tmp_path: Path) -> None:
    msdf = _validated(_export(mapping_set, tmp_path))
    assert [msdf.converter.expand(c) for c in msdf.metadata.get("creator_id", [])] == list(mapping_set.creators)
    table = msdf.df
    assert len(table) == len(mapping_set.mappings)
    by_pair = {(r.subject_id, r.object_id): r for r in table.itertuples()}
    converter = msdf.converter
    for record in mapping_set.mappings:
        found = by_pair[(converter.compress(record.subject_id), converter.compress(record.object_id))]
        predicate, modifier = record.relation.sssom_predicate
        assert found.predicate_id == predicate
        assert (getattr(found, "predicate_modifier", "") or "") == modifier
        assert found.mapping_justification == "semapv:" + record.method.semapv.rsplit("/", 1)[-1]
        assert float(found.confidence) == float(record.confidence)
        assert found.comment == record.comment


def test_small_export_parses_and_validates(tmp_path: Path, concepts: frozenset[str], caplog: pytest.LogCaptureFixture) -> None:
    mapping_set = read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ROWS), concepts)
    out = tmp_path / "out"
    out.mkdir()
    with caplog.at_level(logging.WARNING):
        _check_with_sssom(mapping_set, out)
    # Our extension columns are declared, so the parser must not call the metadata irregular.
    assert not [r for r in caplog.records if "not a standard SSSOM mapping set metadata" in r.getMessage()]


def test_every_project_crosswalk_exports_to_valid_sssom(tmp_path: Path) -> None:
    sets = load_crosswalks()
    assert sets, "ontology/crosswalks holds no crosswalk"
    for mapping_set in sets:
        _check_with_sssom(mapping_set, tmp_path)
        source = parse_sssom_table(mapping_set.path)
        assert len(source.df) == len(mapping_set.mappings), mapping_set.path


def test_every_project_crosswalk_file_passes_sssom_validate() -> None:
    """Four of the five files once failed: their creator_id was an IRI, and SSSOM wants a CURIE."""
    paths = sorted(CROSSWALK_DIR.glob("*" + SUFFIX))
    assert len(paths) >= 5
    for path in paths:
        _validated(path)


def test_export_declares_every_prefix_it_uses_and_its_sssom_version(tmp_path: Path, concepts: frozenset[str]) -> None:
    """The extension definitions name aims:, dcterms: and xsd: terms; an export that dropped
    those prefixes (as it once dropped xsd:) leaves SSSOM tools with CURIEs they cannot expand."""
    mapping_set = read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", ROWS), concepts)
    text = write_sssom(mapping_set)
    meta = yaml.safe_load("\n".join(line[1:] for line in text.splitlines() if line.startswith("#")))
    assert meta["sssom_version"] == "1.1"  # extension definitions are an SSSOM 1.1 feature
    assert meta["creator_id"] == ["aimsgraph:team"]
    curies = meta["creator_id"] + [v for d in meta["extension_definitions"] for k, v in d.items() if k != "slot_name"]
    assert {c.partition(":")[0] for c in curies} == {"aimsgraph", "aims", "dcterms", "xsd"}
    assert {c.partition(":")[0] for c in curies} <= meta["curie_map"].keys()
    assert {d["slot_name"] for d in meta["extension_definitions"]} == {"ir8477_relation", "rationale_type", "source", "mapping_status"}


def test_agents_outside_the_known_prefixes_are_still_written_as_curies(tmp_path: Path, concepts: frozenset[str]) -> None:
    rows = [row("iso42001:A.5.2", "euaiact:Article-27", author_id="https://example.org/people/alice")]
    mapping_set = read_sssom(write_crosswalk(tmp_path, "iso42001", "eu-ai-act", rows), concepts)
    out = tmp_path / "out"
    out.mkdir()
    mapping_set = replace(mapping_set, creators=("https://example.org/people/bob",))
    _check_with_sssom(mapping_set, out)
    text = write_sssom(mapping_set)
    assert "#- agent1:bob" in text and "\tagent1:alice\t" in text
    assert read_sssom(_export(mapping_set, out), concepts) == mapping_set


def _comparable(msdf: MappingSetDataFrame) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Set metadata and rows as plain values, the slots the set shares moved to the metadata."""
    msdf.condense()
    meta = {key: [vars(v) if hasattr(v, "slot_name") else v for v in value] if isinstance(value, list) else value
            for key, value in msdf.metadata.items()}
    columns = sorted(msdf.df.columns)
    rows = msdf.df[columns].fillna("").astype(str).to_dict("records")
    return meta, sorted(rows, key=lambda r: (r["subject_id"], r["object_id"]))


def test_every_project_crosswalk_survives_sssom_json_and_back(tmp_path: Path) -> None:
    """sssom converts each exported set to SSSOM/JSON and reads it back: the set metadata
    (creators, licence, versions, dates, extension definitions) and every row are unchanged.

    The values of the four extension columns are not part of the comparison: sssom 0.4.21
    drops undeclared and declared extension slots alike when it reads a table
    (mapping-commons/sssom-py#583); docs/crosswalks.md says what that costs a user."""
    for mapping_set in load_crosswalks():
        exported = _export(mapping_set, tmp_path)
        before = parse_sssom_table(exported)
        json_path = exported.with_suffix(".json")
        with json_path.open("w", encoding="utf-8") as out:
            write_json(before, out)
        after = parse_sssom_json(json_path)
        assert _comparable(after) == _comparable(before), mapping_set.id
        meta, rows = _comparable(after)
        assert len(rows) == len(mapping_set.mappings)
        assert meta["creator_id"] == ["aimsgraph:team"]
        assert (meta["license"], meta["mapping_set_version"], meta["mapping_date"]) == (
            mapping_set.license, mapping_set.version, mapping_set.mapping_date)
        for prefix, namespace in before.converter.bimap.items():
            assert after.converter.bimap[prefix] == namespace
