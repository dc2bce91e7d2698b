"""The data every contender of one run measures on.

One synthetic organisation is generated as N-Triples (``aims_graph.devtools.generator``, fixed
seed, so the same size always gives the same bytes), and, for the query and
validation sections, loaded once into a project store on disk with its EU AI Act
classification recorded, as an organisation would have it after ``aims-graph load``
and ``aims-graph classify``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from aims_graph.store import DEFAULT_DATA_GRAPH

Generate = Callable[..., dict[str, object]]


def default_generate(path: Path, *, systems: int, seed: int) -> dict[str, object]:
    from aims_graph.devtools.generator import generate_file

    return generate_file(path, systems=systems, seed=seed, fmt="nt")


@dataclass
class Workload:
    workdir: Path
    systems: int
    seed: int
    ntriples: Path
    triples: int
    manifest: dict[str, object]
    timings: dict[str, float] = field(default_factory=dict)  # preparation steps, for the record
    store_dir: Path | None = None
    graph: str = DEFAULT_DATA_GRAPH


def generate(workdir: Path, systems: int, seed: int, generator: Generate = default_generate) -> Workload:
    """Write the organisation to ``workdir/data.nt``.

    ``generator(path, systems=, seed=)`` writes N-Triples and returns a manifest with
    ``counts.triples``; it is a parameter so a test can stand in a smaller one.
    """
    path = workdir / "data.nt"
    start = time.perf_counter()
    manifest = generator(path, systems=systems, seed=seed)
    elapsed = time.perf_counter() - start
    counts = manifest.get("counts", {})
    triples = int(counts["triples"]) if isinstance(counts, dict) and "triples" in counts else _count_lines(path)
    return Workload(workdir, systems, seed, path, triples, manifest, {"generate_s": elapsed})


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip() and not line.startswith(b"#"))


def build_store(workload: Workload) -> Path:
    """The project store (on disk) holding the reference knowledge, the data and its
    classification; built once, then opened by one contender process at a time."""
    if workload.store_dir is not None:
        return workload.store_dir
    from aims_graph.classification import classify
    from aims_graph.rdf.io import load_files
    from aims_graph.store import open_store

    directory = workload.workdir / "store"
    start = time.perf_counter()
    with open_store(str(directory)) as store:
        load_files(store, [workload.ntriples])
        workload.timings["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        classify(store)
        workload.timings["classify_s"] = time.perf_counter() - start
    workload.store_dir = directory
    return directory
