"""Named queries: the HTTP API, the library, raw pyoxigraph and rdflib, one query at a time.

All four answer the same SPARQL text: the catalogue's query with its parameters bound
(the library contender binds them itself, as ``aims-graph query`` does).  Each
contender is one process that does its set-up, then per query one uncounted warm-up
run (which also counts the rows) and ``repeats`` timed runs.  Every contender consumes
the whole answer: HTTP reads the body, pyoxigraph serialises the solutions to SPARQL
JSON (what the API sends), rdflib lists its rows, the library builds its QueryAnswer.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

from aims_graph.devtools.benchmarks.probe import mark_baseline, timed
from aims_graph.devtools.benchmarks.report import Case, Measurement, Section, Target, ratio, seconds
from aims_graph.devtools.benchmarks.runner import run_child
from aims_graph.devtools.benchmarks.workload import Workload, build_store
from aims_graph.rdf.namespaces import AIMS
from aims_graph.serving.ports import free_port, stop_process, wait_until_up

CHILD_TASKS = ("http", "library", "pyoxigraph", "rdflib")
HTTP, LIBRARY, RAW, RDFLIB = "HTTP API", "library (aims_graph.store)", "pyoxigraph Store.query", "rdflib Graph.query"
CONTENDERS = [HTTP, LIBRARY, RAW, RDFLIB]
HTTP_RATIO, SMALL_QUERY_S, HTTP_ADDED_S, RDFLIB_FACTOR = 1.5, 0.010, 0.005, 20.0
# A first run this slow is the only sample: repeating a query that takes seconds would
# cost minutes and tell little (there is no cache for a warm-up to fill but the OS's).
SLOW_S = 1.0
# Values for required parameters, by type (concepts by scheme): real identifiers that
# the reference schemes carry.
_CONCEPTS = {"eu-ai-act": "Article 26", "iso42001": "A.6.2.4", "": "Article 9"}


# ---- children -------------------------------------------------------------------------

def _each_query(queries: list[dict[str, object]], run: Callable[[dict[str, object]], object],
                rows: Callable[[object], int], *, repeats: int, warmup: bool = True,
                timeout_s: float = 0, cap_s: float = 0) -> dict[str, object]:
    """Time every query; the first run's answer is counted (outside the clock) and, with
    ``warmup``, that run is not a sample, unless it took ``SLOW_S`` or more: then it is
    the only sample.  A failing query is recorded and the others go on; ``timeout_s``
    bounds each run (SIGALRM, which interrupts pure-Python engines); ``cap_s`` is the
    limit someone else enforces (the service's query timeout), recorded when it struck.
    A query marked ``skip`` is recorded as over the cap without running."""
    out: dict[str, object] = {}
    for query in queries:
        record: dict[str, object] = {"samples": [], "rows": None, "error": None, "timed_out": False}
        samples: list[float] = []
        if query.get("skip"):
            record.update(timed_out=True, timeout_s=query["skip"], error=f"over {query['skip']:.0f} s through HTTP: not run")
            out[str(query["name"])] = record
            continue
        try:
            for index in range(repeats + int(warmup)):
                with _alarm(timeout_s):
                    elapsed, answer = timed(lambda: run(query))
                if index == 0:
                    record["rows"] = rows(answer)
                if index > 0 or not warmup or elapsed >= SLOW_S:
                    samples.append(elapsed)
                if index == 0 and elapsed >= SLOW_S:
                    break
        except _Timeout:
            limit = timeout_s or cap_s
            record.update(timed_out=True, timeout_s=limit, error=f"over {limit:.0f} s")
        except Exception as error:  # noqa: BLE001 - a failing contender is a result, not a crash
            first = str(error).splitlines()[0] if str(error) else ""
            record["error"] = f"{type(error).__name__}: {first}"[:300]
        record["samples"] = samples
        out[str(query["name"])] = record
    return {"queries": out}


def _json_rows(body: object) -> int:
    import json

    return len(json.loads(body)["results"]["bindings"])  # type: ignore[arg-type]


class _Timeout(Exception):
    pass


class _alarm:
    def __init__(self, seconds_: float) -> None:
        self.seconds = seconds_

    def __enter__(self) -> None:
        if self.seconds > 0:
            signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *_: object) -> None:
        if self.seconds > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)

    @staticmethod
    def _fire(*_: object) -> None:
        raise _Timeout()


def http(args: dict[str, object]) -> dict[str, object]:
    """``GET /queries/{name}`` with the parameters in the query string: the API's own
    route for named queries, which binds and checks them as the library does."""
    import httpx

    client = httpx.Client(base_url=str(args["url"]), timeout=None)
    headers = {"Accept": "application/sparql-results+json"}
    mark_baseline()

    def run(query: dict[str, object]) -> bytes:
        response = client.get(f"/queries/{query['name']}", params=query["params"], headers=headers)  # type: ignore[arg-type]
        if response.status_code == 503 and b"timeout" in response.content.lower():
            raise _Timeout()
        response.raise_for_status()
        return response.content

    return _each_query(args["queries"], run, _json_rows, repeats=int(args["repeats"]),  # type: ignore[arg-type]
                       cap_s=float(args["cap_s"]))  # type: ignore[arg-type]


def library(args: dict[str, object]) -> dict[str, object]:
    from aims_graph.named_queries import default_catalogue
    from aims_graph.store import open_store

    store = open_store(str(args["store"]))
    catalogue = default_catalogue()
    mark_baseline()

    def run(query: dict[str, object]) -> object:
        return catalogue.run(store, str(query["name"]), query["params"])  # type: ignore[arg-type]

    return _each_query(args["queries"], run, len, repeats=int(args["repeats"]))  # type: ignore[arg-type]


def pyoxigraph(args: dict[str, object]) -> dict[str, object]:
    import pyoxigraph as ox

    store = ox.Store(str(args["store"]))
    mark_baseline()

    def run(query: dict[str, object]) -> bytes:
        result = store.query(str(query["sparql"]), use_default_graph_as_union=True)
        return result.serialize(format=ox.QueryResultsFormat.JSON)

    return _each_query(args["queries"], run, _json_rows, repeats=int(args["repeats"]))  # type: ignore[arg-type]


def rdflib(args: dict[str, object]) -> dict[str, object]:
    import rdflib as rl

    dataset = rl.Dataset(default_union=True)
    elapsed, _ = timed(lambda: dataset.parse(str(args["nquads"]), format="nquads"))
    mark_baseline()

    def run(query: dict[str, object]) -> list[object]:
        return list(dataset.query(str(query["sparql"])))

    result = _each_query(args["queries"], run, len, repeats=int(args["repeats"]),  # type: ignore[arg-type]
                         warmup=False, timeout_s=float(args["timeout_s"]))  # type: ignore[arg-type]
    result["parse_s"] = elapsed
    return result


# ---- parent ---------------------------------------------------------------------------

def _sample_iris(store: object) -> dict[str, str]:
    """An Annex III system with an owner and a dataset: nodes with plenty to answer about."""
    found: dict[str, str] = {}
    for key, pattern in (("system", f"?x a <{AIMS}AISystem> ; <{AIMS}annexIIIUseCase> ?u ; <{AIMS}owner> ?o"),
                         ("artefact", f"?x a <{AIMS}Dataset>")):
        rows = list(store.query(f"SELECT ?x WHERE {{ {pattern} }} ORDER BY ?x LIMIT 1"))  # type: ignore[attr-defined]
        if rows:
            found[key] = rows[0]["x"].value
    return found


def _required_params(query: object, iris: dict[str, str]) -> dict[str, str] | None:
    """Values for the query's required parameters; None when one has no known value."""
    params: dict[str, str] = {}
    for spec in query.params:  # type: ignore[attr-defined]
        if not spec.required:
            continue
        if spec.type.kind == "concept":
            value = _CONCEPTS.get(spec.type.scheme)
        elif spec.type.kind == "iri":
            value = iris.get(spec.name)
        else:
            value = None
        if value is None:
            return None
        params[spec.name] = value
    return params


def plan_queries(store_dir: Path, nquads: Path | None) -> tuple[list[dict[str, object]], list[str]]:
    """Every catalogue query with bound SPARQL (and the dataset dumped for rdflib)."""
    import pyoxigraph as ox

    from aims_graph.named_queries import default_catalogue
    from aims_graph.store import open_store

    catalogue = default_catalogue()
    planned, skipped = [], []
    with open_store(str(store_dir)) as store:
        iris = _sample_iris(store)
        for query in catalogue:
            params = _required_params(query, iris)
            if params is None:
                skipped.append(query.name)
                continue
            planned.append({"name": query.name, "params": params,
                            "sparql": catalogue.bound_sparql(store, query.name, params)})
        if nquads is not None:
            nquads.write_bytes(store.dump(ox.RdfFormat.N_QUADS))
    return planned, skipped


class ApiServer:
    """``uvicorn aims_graph.api.main:create_app --factory`` on a free loopback port, serving ``store``.

    The service answers queries through an Oxigraph sidecar process of its own
    (``aims_graph.serving.sidecar``): its memory is part of the service's and is counted.  The
    service's query timeout is the benchmark's per-query cap.
    """

    def __init__(self, store_dir: Path, log: Path, query_timeout_s: float) -> None:

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {key: value for key, value in os.environ.items() if not key.startswith("AIMS_GRAPH_")}
        env.update(AIMS_GRAPH_STORE=str(store_dir), AIMS_GRAPH_QUERY_TIMEOUT=str(int(query_timeout_s)),
                   AIMS_GRAPH_MAX_RESULT_BYTES=str(1 << 40), AIMS_GRAPH_MAX_ROWS=str(1 << 40))
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "aims_graph.api.main:create_app", "--factory", "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
                env=env, stdout=sink, stderr=subprocess.STDOUT,
            )
        try:
            wait_until_up(self.url + "/health", self.process, 600, log)
        except RuntimeError:
            self.stop()
            raise

    def peak_rss_kb(self) -> dict[str, int]:
        """High-water marks of the service process and of every process below it."""
        peaks: dict[str, int] = {}
        todo = [self.process.pid]
        while todo:
            pid = todo.pop()
            proc = Path(f"/proc/{pid}")
            try:
                status = dict(line.split(":", 1) for line in (proc / "status").read_text().splitlines() if ":" in line)
                name = status["Name"].strip()
                peaks[f"{name} ({pid})"] = int(status.get("VmHWM", "0 kB").split()[0])
                for task in (proc / "task").iterdir():
                    todo += [int(child) for child in (task / "children").read_text().split()]
            except (OSError, KeyError, ValueError):
                continue
        return peaks

    def stop(self) -> None:
        stop_process(self.process)


def _http_measurement(store_dir: Path, args: dict[str, object], timeout_s: float, workdir: Path) -> Measurement:
    server = ApiServer(store_dir, workdir / "api-server.log", float(args["cap_s"]))  # type: ignore[arg-type]
    try:
        measured = run_child(HTTP, "queries.http", {**args, "url": server.url}, timeout_s=timeout_s, workdir=workdir)
        processes = server.peak_rss_kb()
    finally:
        server.stop()
    measured.info.update(client_peak_rss_kb=measured.peak_rss_kb, service_processes_peak_rss_kb=processes)
    measured.peak_rss_kb = sum(processes.values()) or None
    measured.baseline_rss_kb = None
    return measured


def run_section(workload: Workload, *, repeats: int, rdflib_repeats: int, rdflib_timeout_s: float,
                cap_s: float, timeout_s: float, with_rdflib: bool = True) -> Section:
    """``cap_s`` bounds each query: the service cancels it, and the in-process contenders
    (whose Rust evaluation a signal cannot stop) do not start the queries that hit it."""
    section = Section("queries", "Named queries (median per query)", list(CONTENDERS))
    store_dir = build_store(workload)
    nquads = workload.workdir / "dataset.nq" if with_rdflib else None
    planned, skipped = plan_queries(store_dir, nquads)
    if skipped:
        section.notes.append(f"not run (a required parameter has no sample value): {', '.join(skipped)}")
    base = {"queries": planned, "store": str(store_dir), "repeats": repeats, "cap_s": cap_s}
    processes = {HTTP: _http_measurement(store_dir, base, timeout_s, workload.workdir)}
    over = {name for name, record in processes[HTTP].info.get("queries", {}).items()  # type: ignore[union-attr]
            if record["timed_out"]}
    capped = [{**query, "skip": cap_s} if query["name"] in over else query for query in planned]
    capped_args = {**base, "queries": capped}
    processes[LIBRARY] = run_child(LIBRARY, "queries.library", capped_args, timeout_s=timeout_s, workdir=workload.workdir)
    processes[RAW] = run_child(RAW, "queries.pyoxigraph", capped_args, timeout_s=timeout_s, workdir=workload.workdir)
    if over:
        section.notes.append(f"over the {cap_s:.0f} s cap through HTTP, so not run in process: {', '.join(sorted(over))}")
    if with_rdflib:
        args = {**base, "nquads": str(nquads), "repeats": rdflib_repeats, "timeout_s": rdflib_timeout_s}
        processes[RDFLIB] = run_child(RDFLIB, "queries.rdflib", args, timeout_s=timeout_s, workdir=workload.workdir)
        if "parse_s" in processes[RDFLIB].info:
            section.notes.append(f"rdflib read the {nquads.stat().st_size / 1e6:,.0f} MB N-Quads dump in "
                                 f"{processes[RDFLIB].info['parse_s']:.1f} s before its queries (not counted)")
    else:
        section.contenders.remove(RDFLIB)
    section.notes.append("HTTP API: GET /queries/{name} on a uvicorn process, whose queries run in its "
                         "Oxigraph sidecar; its peak memory is the two processes' together")
    for name, measured in processes.items():
        section.memory[name] = Measurement(name, peak_rss_kb=measured.peak_rss_kb,
                                           baseline_rss_kb=measured.baseline_rss_kb, error=measured.error,
                                           info={k: v for k, v in measured.info.items() if k != "queries"})
    for query in planned:
        section.cases.append(_case(str(query["name"]), processes))
    _summarise(section)
    return section


def _case(name: str, processes: dict[str, Measurement]) -> Case:
    case = Case(name)
    rows = {}
    for contender, measured in processes.items():
        record = measured.info.get("queries", {}).get(name)  # type: ignore[union-attr]
        if record is None:
            case.measurements[contender] = Measurement(contender, error=measured.error or "not run")
            continue
        case.measurements[contender] = Measurement(
            contender, samples_s=list(record["samples"]), error=record["error"], timed_out=record["timed_out"],
            lower_bound_s=record.get("timeout_s"),
        )
        if record["rows"] is not None:
            rows[contender] = record["rows"]
    distinct = set(rows.values())
    case.info["rows"] = next(iter(distinct)) if len(distinct) == 1 else rows
    if len(distinct) > 1:
        case.info["rows_differ"] = True
    http_m, raw_m = case.measurements.get(HTTP), case.measurements.get(RAW)
    http_s, raw_s = http_m and http_m.median_s, raw_m and raw_m.median_s
    if http_s is not None and raw_s is not None:
        if raw_s < SMALL_QUERY_S:
            added = http_s - raw_s
            case.targets.append(Target(f"HTTP adds ≤ {HTTP_ADDED_S * 1000:.0f} ms (raw < 10 ms)",
                                       f"+{added * 1000:.1f} ms", added <= HTTP_ADDED_S))
        else:
            factor = http_s / raw_s
            case.targets.append(Target(f"HTTP ≤ {HTTP_RATIO}x raw pyoxigraph", f"{factor:.2f}x", factor <= HTTP_RATIO))
    else:
        why = "HTTP over the cap" if http_m is not None and http_m.timed_out else "a contender failed"
        case.targets.append(Target("HTTP against raw pyoxigraph", why, None))
    rdflib_m = case.measurements.get(RDFLIB)
    if rdflib_m is not None:
        speed = ratio(rdflib_m.at_least_s, http_s)
        slowest = ratio(rdflib_m.median_s, http_m.lower_bound_s if http_m and http_m.timed_out else None)
        if slowest is not None:
            # HTTP hit the cap, rdflib did not: its speed-up is at most this.
            value, met = f"≤ {slowest:.2f}x", False if slowest < RDFLIB_FACTOR else None
        elif speed is None:
            value, met = "rdflib failed" if http_s is not None else "not judged", None
        elif rdflib_m.timed_out:
            # A lower bound proves the target when it is high enough, never disproves it.
            value, met = f"≥ {speed:.0f}x", True if speed >= RDFLIB_FACTOR else None
        else:
            value, met = f"{speed:.0f}x", speed >= RDFLIB_FACTOR
        case.targets.append(Target(f"HTTP ≥ {RDFLIB_FACTOR:.0f}x faster than rdflib", value, met))
    return case


def _summarise(section: Section) -> None:
    """One line per target kind: how many queries meet it, and the worst case."""
    kinds: dict[str, list[Target]] = {}
    for case in section.cases:
        for target in case.targets:
            key = "HTTP against raw pyoxigraph" if target.name.startswith("HTTP adds") or "raw" in target.name \
                else target.name
            kinds.setdefault(key, []).append(target)
    for key, targets in kinds.items():
        met = sum(1 for t in targets if t.met)
        missed = sum(1 for t in targets if t.met is False)
        unjudged = len(targets) - met - missed
        value = f"{met}/{len(targets)}" + (f" ({unjudged} not judged)" if unjudged else "")
        section.targets.append(Target(f"{key}: queries meeting it", value,
                                      False if missed else None if unjudged else True))
    for case in section.cases:
        for contender, measured in case.measurements.items():
            if measured.error and not measured.timed_out:
                section.notes.append(f"{contender} failed on {case.name}: {measured.error}")
    differing = [c.name for c in section.cases if c.info.get("rows_differ")]
    if differing:
        section.notes.append(f"row counts differ between contenders for: {', '.join(differing)}")
    slow = max(section.cases, key=lambda c: (c.measurements.get(HTTP) or Measurement(HTTP)).median_s or 0,
               default=None)
    if slow is not None and slow.measurements.get(HTTP) and slow.measurements[HTTP].median_s is not None:
        section.notes.append(f"slowest query through HTTP: {slow.name} ({seconds(slow.measurements[HTTP].median_s)})")
