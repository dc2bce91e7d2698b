"""The remote store side by side with the embedded one (``aims-graph bench --store URL``):
the same generated organisation loaded, then every named query answered, through the
library on each store.

What moving to a SPARQL engine costs or gains is the question, so both contenders are
the library (``aims_graph.store``), each in a fresh process: the embedded store on disk,
and the remote endpoint named by ``--store``.  Every load repeat starts from a remote
store without the data graph (dropped outside the clock); the reference knowledge is
loaded before the clock starts, as for the embedded importer.
"""

from __future__ import annotations

import time
from pathlib import Path

from aims_graph.devtools.benchmarks import queries
from aims_graph.errors import InputError
from aims_graph.knowledge.modules import reference_graphs
from aims_graph.devtools.benchmarks.imports import _repeated
from aims_graph.devtools.benchmarks.probe import mark_baseline
from aims_graph.devtools.benchmarks.report import Case, Measurement, Section, ratio
from aims_graph.devtools.benchmarks.runner import run_child
from aims_graph.devtools.benchmarks.workload import Workload, build_store

CHILD_TASKS = ("load",)
EMBEDDED = "embedded (disk)"


def load(args: dict[str, object]) -> dict[str, object]:
    """Load the N-Triples file into a remote store that holds no data graph yet."""
    from aims_graph.rdf.io import load_files
    from aims_graph.store import open_store

    store = open_store(str(args["store"]))
    store.drop_graph(str(args["graph"]))
    mark_baseline()
    start = time.perf_counter()
    load_files(store, [Path(str(args["file"]))])
    elapsed = time.perf_counter() - start
    quads = len(store)
    store.close()
    return {"samples": [elapsed], "quads": quads}


def run_section(workload: Workload, store_url: str, *, repeats: int, timeout_s: float) -> Section:
    from aims_graph.classification import classify
    from aims_graph.store import RemoteStore, open_store

    with open_store(store_url) as probe:
        engine = probe.client.profile.name if isinstance(probe, RemoteStore) else "?"
        # Other organisation data would change every answer (and must not be dropped by a benchmark).
        others = sorted(set(probe.named_graphs()) - reference_graphs() - {workload.graph})
    if others:
        raise InputError(f"--store {store_url}: the benchmark needs a store holding only reference knowledge "
                         f"(it replaces {workload.graph}); this one also holds {', '.join(others[:5])}")
    remote = f"remote ({engine})"
    section = Section("remote", f"Remote store ({engine}) beside the embedded store", [EMBEDDED, remote])
    loads = Case(f"load {workload.ntriples.stat().st_size / 1e6:,.0f} MB of N-Triples, {workload.triples:,} triples")
    loads.measurements[EMBEDDED] = _repeated(EMBEDDED, "imports.aims_disk", workload, repeats, timeout_s)
    merged = Measurement(remote)
    for _ in range(repeats):
        one = run_child(remote, "remote.load", {"store": store_url, "graph": workload.graph,
                                                "file": str(workload.ntriples)},
                        timeout_s=timeout_s, workdir=workload.workdir)
        if one.error:
            merged.error = one.error
            break
        merged.samples_s += one.samples_s
        merged.peak_rss_kb = max(merged.peak_rss_kb or 0, one.peak_rss_kb or 0)
    loads.measurements[remote] = merged
    section.cases.append(loads)

    store_dir = build_store(workload)
    planned, skipped = queries.plan_queries(store_dir, None)
    if skipped:
        section.notes.append(f"not run (a required parameter has no sample value): {', '.join(skipped)}")
    with open_store(store_url) as store:
        start = time.perf_counter()
        classify(store)
        section.notes.append(f"classification on the remote store took {time.perf_counter() - start:.1f} s "
                             f"(embedded: {workload.timings.get('classify_s', 0):.1f} s)")
    processes = {}
    for contender, spec in ((EMBEDDED, str(store_dir)), (remote, store_url)):
        processes[contender] = run_child(contender, "queries.library",
                                         {"queries": planned, "store": spec, "repeats": repeats},
                                         timeout_s=timeout_s, workdir=workload.workdir)
    for query in planned:
        case = _query_case(str(query["name"]), processes)
        section.cases.append(case)
    slower = [r for c in section.cases[1:]
              if (r := ratio(c.measurements[remote].median_s, c.measurements[EMBEDDED].median_s)) is not None]
    if slower:
        slower.sort()
        section.notes.append(f"remote / embedded time per named query: median {slower[len(slower) // 2]:.2f}x, "
                             f"range {slower[0]:.2f}x to {slower[-1]:.2f}x")
    return section


def _query_case(name: str, processes: dict[str, Measurement]) -> Case:
    case = Case(name)
    rows = {}
    for contender, measured in processes.items():
        record = measured.info.get("queries", {}).get(name)  # type: ignore[attr-defined]
        if record is None:
            case.measurements[contender] = Measurement(contender, error=measured.error or "not run")
            continue
        case.measurements[contender] = Measurement(contender, samples_s=list(record["samples"]),
                                                   error=record["error"], timed_out=record["timed_out"])
        if record["rows"] is not None:
            rows[contender] = record["rows"]
    case.info["rows"] = rows
    return case
