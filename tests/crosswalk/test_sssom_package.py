"""Our SSSOM exports are read and validated by the reference implementation, the
``sssom`` package, both for small test sets and for every crosswalk of the project."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sssom.parsers import parse_sssom_table
from sssom.validators import validate

from aims_graph.crosswalk import MappingSet, read_sssom, write_sssom
from aims_graph.crosswalk.loading import load_crosswalks

from .builders import row, write_crosswalk

ROWS = [
    row("iso42001:A.5.2", "euaiact:Article-27", "intersects-with", subject_label="AI system impact assessment process"),
    row("iso42001:6.1.2", "euaiact:Article-9", "subset-of", mapping_status="reviewed", reviewer_id="orcid:0000-0002-1825-0097"),
    row("iso42001:A.5.3", "euaiact:Article-26", "no-relationship", confidence="1.0"),
]


def _check_with_sssom(mapping_set: MappingSet, tmp_path: Path) -> None:
    path = tmp_path / (mapping_set.id.rsplit("/", 1)[-1] + ".sssom.tsv")
    path.write_text(write_sssom(mapping_set), encoding="utf-8")
    # Not strict=True: sssom 0.4.21 inverts its metadata check in strict mode and refuses
    # every regular file; the caplog assertion below checks the same thing the right way.
    msdf = parse_sssom_table(path)
    reports = validate(msdf, fail_on_error=False)
    for kind, report in reports.items():
        assert report.results == [], f"{kind}: {[r.message for r in report.results]}"
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
