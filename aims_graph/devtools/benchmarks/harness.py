"""One benchmark run: generate the data, measure the chosen sections, collect the results."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable

from aims_graph.devtools.benchmarks import cli, imports, queries, remote, validation
from aims_graph.devtools.benchmarks.report import BenchResult
from aims_graph.devtools.benchmarks.workload import Generate, Workload, default_generate, generate

SECTIONS = ("import", "queries", "validation", "cli")


@dataclass
class BenchConfig:
    """What to measure and how often; ``quick()`` is the size the smoke test runs."""

    systems: int = 20_000
    seed: int = 1
    sections: tuple[str, ...] = SECTIONS
    import_repeats: int = 3
    query_repeats: int = 5
    validation_repeats: int = 3
    cli_repeats: int = 5  # whole processes per command (and as many of its peer)
    rdflib_repeats: int = 1
    rdflib_timeout_s: float = 120.0  # per query
    query_cap_s: float = 120.0  # per query, for every other contender (see queries.run_section)
    pyshacl_repeats: int = 1
    pyshacl_timeout_s: float = 3600.0
    pyshacl_systems: int = 300  # pySHACL (and the compiled engine beside it) on at most this many
    timeout_s: float = 3600.0  # per contender process
    with_rdflib: bool = True
    with_pyshacl: bool = True
    workdir: Path | None = None  # kept after the run when given; else a temporary directory
    extra_meta: dict[str, object] = field(default_factory=dict)
    store: str | None = None  # a remote store URL: adds the side-by-side "remote" section

    @classmethod
    def quick(cls, **overrides: object) -> "BenchConfig":
        values: dict[str, object] = dict(systems=300, import_repeats=2, query_repeats=3, validation_repeats=2,
                                         cli_repeats=1,
                                         rdflib_timeout_s=30.0, query_cap_s=60.0, pyshacl_timeout_s=600.0, pyshacl_systems=40,
                                         timeout_s=900.0)
        values.update(overrides)
        return cls(**values)  # type: ignore[arg-type]


def _versions() -> dict[str, str]:
    found = {}
    for package in ("aims-graph", "pyoxigraph", "rdflib", "pyshacl", "fastapi", "uvicorn"):
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def run_benchmarks(config: BenchConfig, *, generator: Generate = default_generate,
                   say: Callable[[str], None] = lambda _: None,
                   done: Callable[[BenchResult], None] = lambda _: None) -> BenchResult:
    """Measure ``config.sections`` on one generated organisation; ``say`` reports progress
    and ``done`` receives the result after every section (a long run keeps what it has)."""
    unknown = set(config.sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown benchmark section(s) {', '.join(sorted(unknown))}: use {', '.join(SECTIONS)}")
    workdir = config.workdir or Path(tempfile.mkdtemp(prefix="aims-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    started = dt.datetime.now(dt.timezone.utc)
    load_at_start = os.getloadavg()
    try:
        say(f"generating {config.systems:,} AI systems")
        workload = generate(workdir, config.systems, config.seed, generator)
        result = BenchResult({
            "date": started.isoformat(timespec="seconds"), "systems": config.systems, "seed": config.seed,
            "triples": workload.triples, "ntriples_bytes": workload.ntriples.stat().st_size,
            "cpus": os.cpu_count(), "load_average": " ".join(f"{x:.2f}" for x in load_at_start),
            "platform": platform.platform(), "python": platform.python_version(), "versions": _versions(),
            "repeats": {"import": config.import_repeats, "queries": config.query_repeats,
                        "validation": config.validation_repeats, "cli": config.cli_repeats,
                        "rdflib": config.rdflib_repeats,
                        "pyshacl": config.pyshacl_repeats},
            "pyshacl_systems": min(config.pyshacl_systems, config.systems),
            **config.extra_meta,
        })
        if "import" in config.sections:
            say("import")
            result.sections.append(imports.run_section(
                workload, repeats=config.import_repeats, rdflib_repeats=config.rdflib_repeats,
                timeout_s=config.timeout_s))
            done(result)
        if "queries" in config.sections:
            say("named queries")
            result.sections.append(queries.run_section(
                workload, repeats=config.query_repeats, rdflib_repeats=config.rdflib_repeats,
                rdflib_timeout_s=config.rdflib_timeout_s, cap_s=config.query_cap_s, timeout_s=config.timeout_s,
                with_rdflib=config.with_rdflib))
            done(result)
        if "validation" in config.sections:
            say("validation")
            def smaller(systems: int) -> Workload:
                say(f"generating {systems:,} AI systems for pySHACL")
                (workdir / "small").mkdir(exist_ok=True)
                return generate(workdir / "small", systems, config.seed, generator)

            result.sections.append(validation.run_section(
                workload, repeats=config.validation_repeats, pyshacl_repeats=config.pyshacl_repeats,
                pyshacl_timeout_s=config.pyshacl_timeout_s, pyshacl_systems=config.pyshacl_systems,
                timeout_s=config.timeout_s, with_pyshacl=config.with_pyshacl, small=smaller))
            done(result)
        if "cli" in config.sections:
            say("command line on the example organisation")
            result.sections.append(cli.run_section(workdir, repeats=config.cli_repeats, timeout_s=config.timeout_s))
            done(result)
        if config.store is not None:
            say(f"remote store {config.store}")
            result.sections.append(remote.run_section(workload, config.store, repeats=config.import_repeats,
                                                      timeout_s=config.timeout_s))
            done(result)
        result.meta["preparation_s"] = {k: round(v, 3) for k, v in workload.timings.items()}
        result.meta["load_average_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        result.meta["elapsed_s"] = round((dt.datetime.now(dt.timezone.utc) - started).total_seconds(), 1)
        return result
    finally:
        if config.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
