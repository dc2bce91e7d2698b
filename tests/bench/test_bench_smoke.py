"""The benchmark harness below --quick size: every section runs, every contender measures.

Timings are never asserted (the machine is shared and the sizes are tiny); the
structure of the JSON, the work each contender did and the agreement between
contenders are.
"""

from __future__ import annotations

import json

import pytest

from tests.command_line import run_cli

SMOKE_SIZE = ["--systems", "80", "--repeats", "1", "--pyshacl-systems", "12"]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    # The smallest organisation that still holds every risk category, one timed run each: the
    # harness is what is checked here, and the suite's time goes to the product's tests.
    done = run_cli("bench", "--quick", *SMOKE_SIZE, "--json", str(out), timeout=1800)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def _ran(measurement: dict) -> None:
    assert measurement["error"] is None, measurement["error"]
    assert measurement["samples_s"] and all(s > 0 for s in measurement["samples_s"])
    assert measurement["median_s"] > 0


def test_meta_records_the_run(quick_run: tuple[dict, str]) -> None:
    data, _ = quick_run
    meta = data["meta"]
    assert meta["systems"] == 80
    assert meta["triples"] > 2_000
    assert meta["command"].startswith("aims-graph bench --quick")
    assert {"pyoxigraph", "rdflib", "pyshacl"} <= set(meta["versions"])
    assert set(data["sections"]) == {"import", "queries", "validation", "cli"}


def test_every_importer_loads_every_triple(quick_run: tuple[dict, str]) -> None:
    data, _ = quick_run
    section = data["sections"]["import"]
    (case,) = section["cases"]
    assert set(case["measurements"]) == set(section["contenders"])
    for measurement in case["measurements"].values():
        _ran(measurement)
        assert measurement["peak_mb"] > 0
        assert measurement["info"]["quads"] == data["meta"]["triples"]
    (target,) = case["targets"]
    assert target["met"] in (True, False) and target["value"].endswith("x")


def test_every_named_query_runs_everywhere(quick_run: tuple[dict, str]) -> None:
    data, _ = quick_run
    section = data["sections"]["queries"]
    from aims_graph.named_queries import list_queries

    assert {c["name"] for c in section["cases"]} == {q.name for q in list_queries()}
    for case in section["cases"]:
        for contender in ("HTTP API", "library (aims_graph.store)", "pyoxigraph Store.query"):
            _ran(case["measurements"][contender])
        # The project's three paths answer the same query with the same rows.
        rows = case["info"]["rows"]
        if isinstance(rows, dict):
            assert len({rows[c] for c in rows if not c.startswith("rdflib")}) == 1, rows
        rdflib_run = case["measurements"]["rdflib Graph.query"]
        assert rdflib_run["samples_s"] or rdflib_run["error"]
        assert case["targets"], case["name"]
    for name, process in section["memory"].items():
        assert process["error"] is None and process["peak_mb"] > 0, name


def test_validation_engines_and_incremental_update(quick_run: tuple[dict, str]) -> None:
    data, _ = quick_run
    side_by_side, full = data["sections"]["validation"]["cases"]
    for contender in ("compiled engine", "pySHACL"):
        _ran(side_by_side["measurements"][contender])
    assert side_by_side["measurements"]["compiled engine"]["info"]["data_triples"] == \
        side_by_side["measurements"]["pySHACL"]["info"]["data_triples"]
    judged = {t["name"]: t for t in side_by_side["targets"]}
    assert judged["identical results (compiled and pySHACL)"]["met"] in (True, False)
    incremental = full["measurements"]["compiled, incremental after one edit"]
    _ran(incremental)
    assert len(incremental["samples_s"]) == 2 * data["meta"]["repeats"]["validation"]
    assert incremental["info"]["results_after_edit"] == incremental["info"]["results_before_edit"] + 1
    # Classification on write: the edited system is re-derived and stored before the write is
    # acknowledged; its stored categories equal a fresh classification after each edit.
    reclassified = full["measurements"]["classification on write, one edited system"]
    _ran(reclassified)
    assert len(reclassified["samples_s"]) == 2 * data["meta"]["repeats"]["validation"]
    assert reclassified["info"]["stored_equals_fresh"] is True
    assert "HighRiskAnnexIII" in reclassified["info"]["categories_seen"]
    # Its peer in the same run: the service's path for a write it cannot bound, every system
    # re-classified; the ratio is judged against the systems' count.
    everything = full["measurements"]["classification on write, every system (unbounded write)"]
    _ran(everything)
    assert everything["info"]["classified_nodes"] >= data["meta"]["systems"]
    judged = {t["name"]: t for t in full["targets"]}
    assert judged["re-classification after one edited system < 50 ms"]["met"] in (True, False)
    systems = data["meta"]["systems"]
    [share] = [t for n, t in judged.items()
               if n.startswith(f"one edited system ≥ {systems / 20:,.0f}x faster than re-classifying all {systems:,}")]
    assert share["met"] in (True, False) and share["value"].split("x")[0].replace(",", "").isdigit()


def test_pictures_are_timed_against_their_text_form_on_the_example(quick_run: tuple[dict, str]) -> None:
    data, _ = quick_run
    cases = {case["name"].split()[0]: case for case in data["sections"]["cli"]["cases"]}
    assert set(cases) == {"chart", "crosswalk", "reason"}
    for name in ("chart", "crosswalk"):
        for measurement in cases[name]["measurements"].values():
            _ran(measurement)
        (target,) = cases[name]["targets"]
        assert target["met"] in (True, False) and target["value"].endswith("x")
    _ran(cases["reason"]["measurements"]["command"])
    assert not cases["reason"]["targets"]


def test_table_shows_each_section(quick_run: tuple[dict, str]) -> None:
    _, stdout = quick_run
    for title in ("Import", "Named queries", "SHACL validation", "Command line"):
        assert title in stdout
    assert "met" in stdout or "missed" in stdout


def test_unknown_section_is_refused() -> None:
    done = run_cli("bench", "--quick", "--only", "import,speed")
    assert done.returncode == 2
    assert "--only 'import,speed'" in done.stderr and "import, queries, validation, cli" in done.stderr
