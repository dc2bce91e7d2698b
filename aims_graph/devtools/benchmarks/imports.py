"""Import: the project's importer against pyoxigraph's bulk loader and rdflib.

Every repeat is a fresh process writing a fresh store, so no contender profits from a
warm page cache of its own earlier output or from memory an earlier run left behind.
The project store is opened (reference knowledge loaded) before the clock starts: the
measured work is ``aims_graph.rdf.io.load_files`` plus the flush that makes it durable,
exactly what ``aims-graph load`` does with a file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from aims_graph.devtools.benchmarks.probe import mark_baseline, timed
from aims_graph.devtools.benchmarks.report import Case, Measurement, Section, Target, ratio
from aims_graph.devtools.benchmarks.runner import run_child
from aims_graph.devtools.benchmarks.workload import Workload

CHILD_TASKS = ("aims_disk", "aims_memory", "pyoxigraph_bulk", "rdflib_parse")
CONTENDERS = {
    "aims-graph importer (disk)": "imports.aims_disk",
    "aims-graph importer (memory)": "imports.aims_memory",
    "pyoxigraph bulk_load (disk)": "imports.pyoxigraph_bulk",
    "rdflib Graph.parse": "imports.rdflib_parse",
}
SPEED_TARGET = 0.8  # foundation issue: at least 0.8x the speed of pyoxigraph's bulk load


def _project_load(store_spec: str, file: str) -> dict[str, object]:
    from aims_graph.rdf.io import load_files
    from aims_graph.store import open_store

    store = open_store(store_spec)
    mark_baseline()

    def work() -> int:
        added = load_files(store, [Path(file)])
        store.close()
        return added

    elapsed, added = timed(work)
    return {"samples": [elapsed], "quads": added}


def aims_disk(args: dict[str, str]) -> dict[str, object]:
    return _project_load(args["store"], args["file"])


def aims_memory(args: dict[str, str]) -> dict[str, object]:
    return _project_load("memory", args["file"])


def pyoxigraph_bulk(args: dict[str, str]) -> dict[str, object]:
    import pyoxigraph as ox

    store = ox.Store(args["store"])
    mark_baseline()

    def work() -> None:
        store.bulk_load(path=args["file"], format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(args["graph"]))
        store.flush()

    elapsed, _ = timed(work)
    return {"samples": [elapsed], "quads": len(store)}


def rdflib_parse(args: dict[str, str]) -> dict[str, object]:
    import rdflib

    graph = rdflib.Graph()
    mark_baseline()
    elapsed, _ = timed(lambda: graph.parse(args["file"], format="nt"))
    return {"samples": [elapsed], "quads": len(graph)}


def _repeated(contender: str, task: str, workload: Workload, repeats: int, timeout_s: float) -> Measurement:
    """``repeats`` fresh processes, each on a fresh store; samples merged, peak the highest."""
    merged = Measurement(contender)
    for index in range(repeats):
        store = workload.workdir / f"import-{task.rpartition('.')[2]}-{index}"
        args = {"file": str(workload.ntriples), "store": str(store), "graph": workload.graph}
        one = run_child(contender, task, args, timeout_s=timeout_s, workdir=workload.workdir)
        shutil.rmtree(store, ignore_errors=True)
        if one.error:
            merged.error, merged.timed_out, merged.lower_bound_s = one.error, one.timed_out, one.lower_bound_s
            break
        merged.samples_s += one.samples_s
        merged.info = one.info
        if merged.peak_rss_kb is None or (one.peak_rss_kb or 0) > merged.peak_rss_kb:
            merged.peak_rss_kb, merged.baseline_rss_kb = one.peak_rss_kb, one.baseline_rss_kb
    return merged


def run_section(workload: Workload, *, repeats: int, rdflib_repeats: int, timeout_s: float) -> Section:
    section = Section("import", "Import", list(CONTENDERS), layout="contenders")
    case = Case(f"{workload.ntriples.stat().st_size / 1e6:,.0f} MB of N-Triples, {workload.triples:,} triples")
    for contender, task in CONTENDERS.items():
        count = rdflib_repeats if task == "imports.rdflib_parse" else repeats
        case.measurements[contender] = _repeated(contender, task, workload, count, timeout_s)
    ours = case.measurements["aims-graph importer (disk)"]
    bulk = case.measurements["pyoxigraph bulk_load (disk)"]
    speed = ratio(bulk.median_s, ours.median_s)
    case.targets.append(Target(
        f"importer (disk) ≥ {SPEED_TARGET}x the speed of pyoxigraph bulk_load",
        "—" if speed is None else f"{speed:.2f}x",
        None if speed is None else speed >= SPEED_TARGET,
    ))
    rdflib_m = case.measurements["rdflib Graph.parse"]
    versus = ratio(rdflib_m.at_least_s, ours.median_s)
    if versus is not None:
        section.notes.append(f"rdflib's parser took {versus:.1f}x the time of the importer (disk)"
                             + (" at least (it timed out)" if rdflib_m.timed_out else ""))
    section.cases.append(case)
    return section
