"""``aims-graph bench``: the side-by-side benchmarks (see docs/performance.md)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from aims_graph.cli.app import app
from aims_graph.errors import InputError

# Wide enough for the query table when the output is a file or a pipe.
console = Console(width=None if sys.stdout.isatty() else 180)


def _sections(only: str | None) -> tuple[str, ...]:
    from aims_graph.devtools.benchmarks.harness import SECTIONS

    if not only:
        return SECTIONS
    chosen = tuple(part.strip() for part in only.split(",") if part.strip())
    unknown = [part for part in chosen if part not in SECTIONS]
    if unknown or not chosen:
        raise InputError(f"--only {only!r}: choose from {', '.join(SECTIONS)} (comma-separated)")
    return chosen


@app.command()
def bench(
    systems: Annotated[int | None, typer.Option(help="AI systems to generate (default 20,000; 300 with --quick).")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="Small data and few repeats: checks the harness, not the speed.")] = False,
    json_file: Annotated[Path | None, typer.Option("--json", help="Also write the results as JSON to this file.")] = None,
    only: Annotated[str | None, typer.Option(help="Sections to run, comma-separated: import,queries,validation,cli.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated organisation.")] = 1,
    repeats: Annotated[int | None, typer.Option(help="Timed runs per measurement (import, queries, validation, cli).")] = None,
    rdflib_timeout: Annotated[float | None, typer.Option(help="Seconds allowed to rdflib per query; beyond, a lower bound is reported.")] = None,
    query_cap: Annotated[float | None, typer.Option(help="Seconds a named query may take through HTTP (the service's timeout); one over it is not run in process.")] = None,
    pyshacl_timeout: Annotated[float | None, typer.Option(help="Seconds allowed to the (single) pySHACL run.")] = None,
    pyshacl_systems: Annotated[int | None, typer.Option(help="pySHACL, and the compiled engine beside it, run on at most this many systems (default 300; 40 with --quick).")] = None,
    no_rdflib: Annotated[bool, typer.Option("--no-rdflib", help="Leave rdflib out of the query section.")] = False,
    no_pyshacl: Annotated[bool, typer.Option("--no-pyshacl", help="Leave pySHACL out of the validation section.")] = False,
    workdir: Annotated[Path | None, typer.Option(help="Keep the generated data and stores here (default: a temporary directory, removed).")] = None,
    store: Annotated[str | None, typer.Option("--store", help="A remote SPARQL store (URL) to measure beside the embedded one: load and named queries (docs/stores.md). Its data graph is replaced.")] = None,
) -> None:
    """Benchmark import, named queries and validation against pyoxigraph, rdflib and pySHACL, and the
    command line's pictures against their text form."""
    from aims_graph.devtools.benchmarks import BenchConfig, BenchResult, run_benchmarks
    from aims_graph.devtools.benchmarks.report import render

    if systems is not None and systems < 1:
        raise InputError("--systems must be at least 1")
    overrides: dict[str, object] = {"sections": _sections(only), "seed": seed, "workdir": workdir,
                                    "with_rdflib": not no_rdflib, "with_pyshacl": not no_pyshacl, "store": store,
                                    "extra_meta": {"command": "aims-graph " + shlex.join(sys.argv[1:])}}
    if systems is not None:
        overrides["systems"] = systems
    if repeats is not None:
        if repeats < 1:
            raise InputError("--repeats must be at least 1")
        overrides.update(import_repeats=repeats, query_repeats=repeats, validation_repeats=repeats, cli_repeats=repeats)
    if rdflib_timeout is not None:
        overrides["rdflib_timeout_s"] = rdflib_timeout
    if pyshacl_timeout is not None:
        overrides["pyshacl_timeout_s"] = pyshacl_timeout
    if query_cap is not None:
        overrides["query_cap_s"] = query_cap
    if pyshacl_systems is not None:
        if pyshacl_systems < 1:
            raise InputError("--pyshacl-systems must be at least 1")
        overrides["pyshacl_systems"] = pyshacl_systems
    config = BenchConfig.quick(**overrides) if quick else BenchConfig(**overrides)  # type: ignore[arg-type]
    err = Console(stderr=True)

    def save(result: BenchResult) -> None:
        if json_file is not None:
            json_file.parent.mkdir(parents=True, exist_ok=True)
            json_file.write_text(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    result = run_benchmarks(config, say=lambda step: err.print(f"[dim]bench: {step}…[/]"), done=save)
    save(result)
    render(result, console)
    if json_file is not None:
        console.print(f"results written to {json_file}")
