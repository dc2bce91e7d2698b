"""Fixtures of the crosswalk tests: a small reference directory and its concept IRIs."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims_graph.crosswalk import known_concepts
from aims_graph.knowledge.reference import ConceptRow, compile_table

from .builders import SCHEMES, scheme_ttl


@pytest.fixture(scope="session")
def reference_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("reference")
    for scheme, rows in SCHEMES.items():
        concept_rows = [
            ConceptRow(notation=n, kind=k, broader=b, label=label, note="", applies_from="", source="", line=i)
            for i, (n, k, b, label) in enumerate(rows, start=2)
        ]
        (directory / f"{scheme}.ttl").write_text(
            compile_table(scheme, concept_rows, "test") + scheme_ttl(scheme), encoding="utf-8"
        )
    return directory


@pytest.fixture(scope="session")
def concepts(reference_dir: Path) -> frozenset[str]:
    return known_concepts(reference_dir)


