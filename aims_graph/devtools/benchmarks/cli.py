"""The command line as a person runs it: whole processes on the example organisation.

A command that draws a picture is timed against its natural peer, the same command that
prints the same answer as text (``chart`` draws what ``validate`` prints, ``crosswalk
coverage --format png`` what its table prints), run in turn with it, so that its target is
a ratio that means the same on any machine: the picture costs at most a fixed share on top
of the text. ``reason`` has no such peer; its time is reported without a target. The
example organisation, not the generated one, is what the targets of issue 17 speak of.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from aims_graph.devtools.benchmarks.report import Case, Measurement, Section, Target, ratio
from aims_graph.paths import EXAMPLES_DIR

EXAMPLE_GRAPH = "https://w3id.org/aims-graph/graph/example"
COMMAND, PEER = "command", "text peer"
# Exit statuses that are answers, not failures: validate finds violations in the example (1),
# reason reports an incoherent input with 1.
_ANSWERS = (0, 1)


@dataclass(frozen=True)
class CliCase:
    name: str
    command: tuple[str, ...]
    peer: tuple[str, ...] | None = None
    target: float | None = None  # the command takes at most this many times its peer


CASES = (
    CliCase("chart --out chart.png | validate", ("chart", "--out", "{workdir}/chart.png"), ("validate",), 1.25),
    CliCase("crosswalk coverage --format png | --format table",
            ("crosswalk", "coverage", "--from", "iso42001", "--to", "eu-ai-act", "--format", "png",
             "--out", "{workdir}/coverage.png"),
            ("crosswalk", "coverage", "--from", "iso42001", "--to", "eu-ai-act"), 1.5),
    CliCase("reason --format json", ("reason", "--format", "json")),
)


def example_store(workdir: Path) -> Path:
    """A store on disk holding the reference knowledge and the example organisation."""
    from aims_graph.rdf.io import load_files
    from aims_graph.store import open_store

    directory = workdir / "cli-store"
    with open_store(str(directory)) as store:
        load_files(store, sorted((EXAMPLES_DIR / "organisation").glob("*.ttl")), graph=EXAMPLE_GRAPH)
    return directory


def _run(store: Path, args: tuple[str, ...], workdir: Path, timeout_s: float) -> float:
    """Seconds one whole process took; a failure raises with its last lines."""
    env = {key: value for key, value in os.environ.items() if key != "AIMS_GRAPH_STORE"}
    command = [sys.executable, "-m", "aims_graph.cli.app_main", "--store", str(store),
               *(arg.format(workdir=workdir) for arg in args)]
    start = time.perf_counter()
    # This interpreter running aims-graph with the arguments of CASES: no outside input.
    done = subprocess.run(command, capture_output=True, text=True, env=env,  # noqa: S603
                          timeout=timeout_s, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in _ANSWERS:
        tail = (done.stderr or done.stdout).strip().splitlines()[-2:]
        raise RuntimeError(f"exit status {done.returncode}: {' | '.join(tail)}")
    return elapsed


def _measure(case: CliCase, store: Path, workdir: Path, repeats: int, timeout_s: float) -> Case:
    """The command and its peer in turn (A B A B ...), so that a machine whose speed drifts
    during the run slows both alike."""
    measured = Case(case.name)
    runs = {COMMAND: case.command, **({PEER: case.peer} if case.peer else {})}
    for contender in runs:
        measured.measurements[contender] = Measurement(contender)
    for _ in range(repeats):
        for contender, args in runs.items():
            measurement = measured.measurements[contender]
            if measurement.error:
                continue
            try:
                measurement.samples_s.append(_run(store, args, workdir, timeout_s))
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                measurement.error = str(error)
    if case.target is not None:
        share = ratio(measured.measurements[COMMAND].median_s, measured.measurements[PEER].median_s)
        measured.targets.append(Target(f"{case.name.split(' | ')[0]} ≤ {case.target}x its text peer",
                                       "—" if share is None else f"{share:.2f}x",
                                       None if share is None else share <= case.target))
    return measured


def run_section(workdir: Path, *, repeats: int, timeout_s: float) -> Section:
    section = Section("cli", "Command line on the example organisation (whole process)", [COMMAND, PEER])
    store = example_store(workdir)
    section.cases = [_measure(case, store, workdir, repeats, timeout_s) for case in CASES]
    section.notes.append("each command and its peer run in turn; the peer prints as text what the command draws")
    return section
