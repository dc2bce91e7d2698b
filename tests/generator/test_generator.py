"""The synthetic organisation: deterministic, streaming, and honest about its defects."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.devtools.generator import DEFECTS, generate, generate_bytes
from aims_graph.errors import InputError
from aims_graph.store import open_store
from tests.command_line import run_cli

GRAPH = "https://w3id.org/aims-graph/graph/generated"


def count(store: object, query: str) -> int:
    return int(next(iter(store.query(query)))["n"].value)  # type: ignore[attr-defined]


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes() -> None:
    first, manifest = generate_bytes(systems=120, seed=11)
    second, again = generate_bytes(systems=120, seed=11)
    other, _ = generate_bytes(systems=120, seed=12)
    assert first == second and manifest == again
    assert first != other


def test_defect_counts_in_the_manifest_are_what_sparql_finds() -> None:
    started = time.perf_counter()
    data, manifest = generate_bytes(systems=500, seed=3)
    assert time.perf_counter() - started < 20
    store = open_store("memory")
    store.load(data, ox.RdfFormat.N_TRIPLES, GRAPH)
    assert count(store, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % GRAPH) == manifest["counts"]["triples"]
    defects = manifest["defects"]
    assert set(defects) == set(DEFECTS)
    for name, defect in defects.items():
        assert count(store, defect["query"]) == defect["count"], name
        assert defect["count"] >= 1, f"{name}: a 500-system organisation should show every defect"
    counts = manifest["counts"]
    aims = "PREFIX aims: <https://w3id.org/aims-graph/ontology#> "
    assert count(store, aims + "SELECT (COUNT(?s) AS ?n) WHERE { ?s a aims:AISystem }") == 500
    assert count(store, aims + "SELECT (COUNT(?s) AS ?n) WHERE { ?s a aims:Risk }") == counts["risks"]
    assert count(store, aims + "SELECT (COUNT(?s) AS ?n) WHERE { ?s a aims:Dataset }") == counts["datasets"]
    assert counts["systems_annex_iii"] == 50 and counts["systems_prohibited"] >= 1


def test_proportions_follow_the_declared_shares() -> None:
    _, manifest = generate_bytes(systems=2000, seed=5)
    counts = manifest["counts"]
    assert counts["systems_annex_iii"] == 200 and counts["systems_transparency"] == 300
    assert counts["systems_minimal"] > 1000
    assert 3 * 2000 <= counts["risks"] <= 8 * 2000
    assert manifest["defects"]["systems_without_owner"]["count"] == 100


@pytest.mark.parametrize("fmt,rdf_format", [("ttl", ox.RdfFormat.TURTLE), ("nq", ox.RdfFormat.N_QUADS)])
def test_turtle_and_nquads_hold_the_same_triples(fmt: str, rdf_format: ox.RdfFormat) -> None:
    reference, _ = generate_bytes(systems=40, seed=2)
    data, manifest = generate_bytes(systems=40, seed=2, fmt=fmt)
    expected, got = ox.Store(), ox.Store()
    expected.load(reference, format=ox.RdfFormat.N_TRIPLES)
    got.load(data, format=rdf_format)
    assert {(q.subject, q.predicate, q.object) for q in got} == {(q.subject, q.predicate, q.object) for q in expected}
    if fmt == "nq":
        assert {q.graph_name.value for q in got} == {GRAPH}


def test_output_streams_in_chunks_rather_than_one_write() -> None:
    class Counting(io.StringIO):
        writes = 0

        def write(self, text: str) -> int:
            Counting.writes += 1
            return super().write(text)

    generate(Counting(), systems=1500, seed=1)
    assert Counting.writes > 5


def test_bad_options_are_refused() -> None:
    with pytest.raises(InputError, match="unknown format"):
        generate_bytes(systems=3, fmt="xml")
    with pytest.raises(InputError, match="at least 1"):
        generate_bytes(systems=0)


def test_generate_command_writes_the_file_and_its_manifest(tmp_path: Path) -> None:
    out = tmp_path / "org.nt"
    result = run_cli("generate", "--systems", "30", "--seed", "4", "--out", str(out))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "org.nt.manifest.json").read_text())
    assert manifest["systems"] == 30 and out.read_bytes() == generate_bytes(systems=30, seed=4)[0]


def test_validation_finds_exactly_the_planted_defects() -> None:
    """The generated organisation is complete apart from its planted defects: each defect is
    reported by its shape exactly as often as the manifest says, and nothing else is found
    except notices (sh:Info)."""
    from collections import Counter

    from aims_graph.validation import validate

    data, manifest = generate_bytes(systems=40, seed=8)
    store = open_store("memory")
    store.load(data, ox.RdfFormat.N_TRIPLES, GRAPH)
    findings = validate(store).findings()
    by_shape = Counter(f.shape.rsplit("/", 1)[-1] for f in findings if f.severity != "Info")
    expected = Counter({d["shape"]: d["count"] for d in manifest["defects"].values() if d["count"]})
    assert by_shape == expected
    assert sum(expected.values()) >= 6
