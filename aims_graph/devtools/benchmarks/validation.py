"""Validation: the compiled SHACL engine against pySHACL, and incremental re-validation.

Both engines get the same input, prepared once as ``aims-graph validate`` prepares it
(``aims_graph.validation.data.collect``: the organisation's data, its fresh EU AI Act
classification and the reference context) and written to N-Triples; the project's
shapes bundle likewise.  Each engine runs in its own process through the project's
engine functions (``aims_graph.validation.engines``), which include each engine's own
conversion of the input.  Results are compared as sets of (focus node, path, value,
component, shape, severity), with literals in the form the store keeps them, so
"identical results" means identical reports, not equal counts.

Incremental re-validation edits one AI system (removes its owner, then puts it back)
and times ``IncrementalValidator.update`` after each edit; its report after the first
edit is checked against a full validation of the edited data.

Re-classification on write edits one Annex III system in the project store (removes its
Annex III use case, then puts it back) and times what the service does before it
acknowledges such a write (``classification.on_write.StoredClassification.after_write``:
derive the edited system and replace its stored derivations); the stored categories after
each edit are checked against a fresh classification of that system. Its peer, in a process
of its own on the same store, is what the service does for a write it cannot bound:
re-classify every system (``after_write`` with unknown subjects, as ``aims-graph classify``);
the ratio of the two says how far a write's cost is that of one system, whatever the load.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from aims_graph.devtools.benchmarks.probe import mark_baseline, timed
from aims_graph.devtools.benchmarks.report import Case, Section, Target, ratio
from aims_graph.devtools.benchmarks.runner import run_child
from aims_graph.devtools.benchmarks.workload import Workload, build_store
from aims_graph.rdf.namespaces import AIMS

CHILD_TASKS = ("compiled", "pyshacl", "incremental", "reclassify", "reclassify_all")
COMPILED, PYSHACL, INCREMENTAL = "compiled engine", "pySHACL", "compiled, incremental after one edit"
RECLASSIFY = "classification on write, one edited system"
RECLASSIFY_ALL = "classification on write, every system (unbounded write)"
SPEED_TARGET, EDIT_TARGET_S = 10.0, 0.050
# One edited system may cost at most this many systems' share of re-classifying them all.
SHARE_TARGET = 20
_OWNER = "https://w3id.org/aims-graph/ontology#owner"


# ---- children -------------------------------------------------------------------------

def _triples(path: str) -> list:
    """Triples of an N-Triples file, blank-node labels kept (both engines then name the
    same shape and data nodes, so their reports compare term for term)."""
    import pyoxigraph as ox

    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES)]


def _canonical_keys(results: list) -> list[list[str]]:
    """Sortable, process-independent keys; literals in the store's canonical form
    ("1.50"^^xsd:decimal and "1.5"^^xsd:decimal are one value to the store)."""
    import pyoxigraph as ox

    scratch = ox.Store()
    subject, predicate = ox.NamedNode("urn:bench:s"), ox.NamedNode("urn:bench:p")

    def canon(term: object) -> str:
        if not isinstance(term, ox.Literal):
            return "" if term is None else str(term)
        scratch.add(ox.Quad(subject, predicate, term))
        stored = next(iter(scratch.quads_for_pattern(subject, predicate, None))).object
        scratch.clear()
        return str(stored)

    return sorted([canon(r.focus_node), repr(r.result_path), canon(r.value), str(r.source_constraint_component),
                   str(r.source_shape), str(r.severity)] for r in results)


def _engine(args: dict[str, object], engine: str) -> dict[str, object]:
    from aims_graph.validation.engines import engine_named

    run = engine_named(engine)
    shapes, data = _triples(str(args["shapes"])), _triples(str(args["data"]))
    mark_baseline()
    samples, results = [], []
    for _ in range(int(args["repeats"])):
        elapsed, results = timed(lambda: run(shapes, data))
        samples.append(elapsed)
    Path(str(args["keys"])).write_text(json.dumps(_canonical_keys(results)), encoding="utf-8")
    return {"samples": samples, "results": len(results), "data_triples": len(data)}


def compiled(args: dict[str, object]) -> dict[str, object]:
    return _engine(args, "compiled")


def pyshacl(args: dict[str, object]) -> dict[str, object]:
    return _engine(args, "pyshacl")


def incremental(args: dict[str, object]) -> dict[str, object]:
    import pyoxigraph as ox

    from aims_graph.shacl import IncrementalValidator, validate

    shapes, data = _triples(str(args["shapes"])), _triples(str(args["data"]))
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in data)
    del data
    validator = IncrementalValidator(shapes, store)
    mark_baseline()
    initial_s, report = timed(validator.validate_all)
    system = ox.NamedNode(str(args["system"]))
    owner_quad = next(iter(store.quads_for_pattern(system, ox.NamedNode(_OWNER), None)))
    touched = [system, owner_quad.object]
    samples, edits, matches_full, before, after, full_revalidations = [], [], None, len(report.results), None, 0
    for index in range(int(args["repeats"])):
        for write in (store.remove, store.add):
            edit_s, _ = timed(lambda: write(owner_quad))
            update_s, rechecked = timed(lambda: validator.update(touched))
            edits.append(edit_s)
            samples.append(update_s)
            full_revalidations += rechecked is None
            if index == 0 and write == store.remove:
                current = validator.report().results
                after = len(current)
                matches_full = _canonical_keys(current) == _canonical_keys(validate(shapes, store).results)
    return {"samples": samples, "initial_validation_s": initial_s, "edit_write_s": edits,
            "results_before_edit": before, "results_after_edit": after, "matches_full_validation": matches_full,
            "updates_that_revalidated_everything": full_revalidations, "edited_system": system.value}


def reclassify(args: dict[str, object]) -> dict[str, object]:
    from aims_graph.classification import DERIVED_GRAPH, classify
    from aims_graph.classification.on_write import StoredClassification
    from aims_graph.store import open_store

    system, use_case = str(args["system"]), AIMS + "annexIIIUseCase"
    with open_store(str(args["store"])) as store:
        [row] = list(store.query(f"SELECT ?g ?u WHERE {{ GRAPH ?g {{ <{system}> <{use_case}> ?u }} }} LIMIT 1"))  # type: ignore[arg-type]
        fact = f"GRAPH <{row['g'].value}> {{ <{system}> <{use_case}> <{row['u'].value}> }}"
        stored_query = (f"SELECT ?c WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ <{system}> <{AIMS}hasRiskCategory> ?c }} }}")
        classification = StoredClassification()
        classification.after_write(store, {system})  # warm: the reference context is read once per process
        mark_baseline()
        samples, agree, categories = [], True, []
        for _ in range(int(str(args["repeats"]))):
            for update in (f"DELETE DATA {{ {fact} }}", f"INSERT DATA {{ {fact} }}"):
                store.update(update)
                elapsed, _ = timed(lambda: classification.after_write(store, {system}))
                samples.append(elapsed)
                stored = sorted(r["c"].value.removeprefix(AIMS) for r in store.query(stored_query))  # type: ignore[union-attr]
                [fresh] = classify(store, system, write=False)
                agree = agree and stored == fresh.categories
                categories.append("/".join(stored))
    return {"samples": samples, "stored_equals_fresh": agree, "categories_seen": sorted(set(categories)),
            "edited_system": system}


def reclassify_all(args: dict[str, object]) -> dict[str, object]:
    from aims_graph.classification import classified_nodes
    from aims_graph.classification.on_write import StoredClassification
    from aims_graph.store import open_store

    with open_store(str(args["store"])) as store:
        classification = StoredClassification()
        mark_baseline()
        samples = []
        for _ in range(int(str(args["repeats"]))):
            elapsed, _ = timed(lambda: classification.after_write(store, None))
            samples.append(elapsed)
        return {"samples": samples, "classified_nodes": len(classified_nodes(store))}


# ---- parent ---------------------------------------------------------------------------

def prepare(workload: Workload) -> tuple[Path, Path, str]:
    """Write the validation input and the shapes to N-Triples; pick the system to edit."""
    import time

    import pyoxigraph as ox

    from aims_graph.store import open_store
    from aims_graph.validation.data import collect
    from aims_graph.validation.shapes import load_bundle

    data_file, shapes_file = workload.workdir / "validation-data.nt", workload.workdir / "shapes.nt"
    with open_store(str(build_store(workload))) as store:
        start = time.perf_counter()
        triples = collect(store).triples()
        workload.timings["collect_s"] = time.perf_counter() - start
        rows = list(store.query(f"SELECT ?s WHERE {{ ?s a <{AIMS}AISystem> ; <{AIMS}annexIIIUseCase> ?u ; "
                                f"<{_OWNER}> ?o }} ORDER BY ?s LIMIT 1"))
    data_file.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    shapes_file.write_bytes(ox.serialize(load_bundle().triples, format=ox.RdfFormat.N_TRIPLES))
    if not rows:
        raise RuntimeError("the generated data has no Annex III system with an owner to edit")
    return data_file, shapes_file, rows[0]["s"].value


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def run_section(workload: Workload, *, repeats: int, pyshacl_repeats: int, pyshacl_timeout_s: float,
                pyshacl_systems: int, timeout_s: float, with_pyshacl: bool = True,
                small: Callable[[int], Workload] | None = None) -> Section:
    """Two cases: the engines side by side on at most ``pyshacl_systems`` systems (pySHACL
    needs minutes where the compiled engine needs a second), and the compiled engine with
    incremental re-validation on all systems.  ``small(n)`` generates the smaller data."""
    section = Section("validation", "SHACL validation", [COMPILED, PYSHACL, INCREMENTAL, RECLASSIFY, RECLASSIFY_ALL],
                      layout="contenders")
    data_file, shapes_file, system = prepare(workload)
    full = Case(f"all {workload.systems:,} systems: {_lines(data_file):,} triples to validate")
    base = {"data": str(data_file), "shapes": str(shapes_file)}
    full.measurements[COMPILED] = run_child(COMPILED, "validation.compiled",
                                            {**base, "repeats": repeats, "keys": str(workload.workdir / "keys-full.json")},
                                            timeout_s=timeout_s, workdir=workload.workdir)
    full.measurements[INCREMENTAL] = run_child(INCREMENTAL, "validation.incremental",
                                               {**base, "repeats": repeats, "system": system},
                                               timeout_s=timeout_s, workdir=workload.workdir)
    _judge_incremental(full)
    classified_store = {"store": str(build_store(workload)), "system": system}
    full.measurements[RECLASSIFY] = run_child(RECLASSIFY, "validation.reclassify", {**classified_store, "repeats": repeats},
                                              timeout_s=timeout_s, workdir=workload.workdir)
    # The peer: one run is enough where it takes a minute, and it is the denominator only.
    full.measurements[RECLASSIFY_ALL] = run_child(RECLASSIFY_ALL, "validation.reclassify_all",
                                                  {**classified_store, "repeats": 1},
                                                  timeout_s=timeout_s, workdir=workload.workdir)
    _judge_reclassify(full, workload.systems)
    section.notes.append(f"preparing the input (collect + classification, as validate() does) took "
                         f"{workload.timings['collect_s']:.1f} s for all systems; not counted")
    if with_pyshacl:
        section.cases.append(_engines_case(workload, pyshacl_systems, small, repeats=repeats,
                                           pyshacl_repeats=pyshacl_repeats, pyshacl_timeout_s=pyshacl_timeout_s,
                                           timeout_s=timeout_s))
    else:
        section.contenders.remove(PYSHACL)
    section.cases.append(full)
    return section


def _engines_case(workload: Workload, pyshacl_systems: int, small: Callable[[int], Workload] | None, *,
                  repeats: int, pyshacl_repeats: int, pyshacl_timeout_s: float, timeout_s: float) -> Case:
    if workload.systems > pyshacl_systems:
        if small is None:
            raise ValueError("a smaller workload is needed for pySHACL but no generator was given")
        workload = small(pyshacl_systems)
        data_file, shapes_file, _ = prepare(workload)
    else:
        data_file, shapes_file = workload.workdir / "validation-data.nt", workload.workdir / "shapes.nt"
    case = Case(f"engines side by side, {workload.systems:,} systems: {_lines(data_file):,} triples to validate")
    keys = {COMPILED: workload.workdir / "keys-compiled.json", PYSHACL: workload.workdir / "keys-pyshacl.json"}
    base = {"data": str(data_file), "shapes": str(shapes_file)}
    case.measurements[COMPILED] = run_child(COMPILED, "validation.compiled",
                                            {**base, "repeats": repeats, "keys": str(keys[COMPILED])},
                                            timeout_s=timeout_s, workdir=workload.workdir)
    case.measurements[PYSHACL] = run_child(PYSHACL, "validation.pyshacl",
                                           {**base, "repeats": pyshacl_repeats, "keys": str(keys[PYSHACL])},
                                           timeout_s=pyshacl_timeout_s, workdir=workload.workdir)
    _judge_engines(case, keys)
    for path in keys.values():
        path.unlink(missing_ok=True)
    return case


def _judge_engines(case: Case, keys: dict[str, Path]) -> None:
    ours, theirs = case.measurements[COMPILED], case.measurements[PYSHACL]
    speed = ratio(theirs.at_least_s, ours.median_s)
    bound = "≥ " if theirs.timed_out else ""
    case.targets.append(Target(f"compiled ≥ {SPEED_TARGET:.0f}x faster than pySHACL",
                               "—" if speed is None else f"{bound}{speed:.1f}x",
                               None if speed is None else speed >= SPEED_TARGET))
    case.targets.append(_same_results(keys))
    if ours.peak_rss_kb and theirs.peak_rss_kb:
        case.targets.append(Target("compiled peak memory ≤ pySHACL's",
                                   f"{ours.peak_mb:,.0f} MB against {theirs.peak_mb:,.0f} MB",
                                   ours.peak_rss_kb <= theirs.peak_rss_kb))
    else:
        case.targets.append(Target("compiled peak memory ≤ pySHACL's", "a contender failed", None))


def _judge_incremental(case: Case) -> None:
    edit = case.measurements[INCREMENTAL]
    name = f"re-validation after one edit < {EDIT_TARGET_S * 1000:.0f} ms"
    if edit.median_s is None:
        case.targets.append(Target(name, edit.error or "not run", None))
        return
    fallbacks = edit.info.get("updates_that_revalidated_everything")
    detail = f"median {edit.median_s * 1000:.1f} ms, worst {max(edit.samples_s) * 1000:.1f} ms"
    if fallbacks:
        detail += f"; {fallbacks} of {len(edit.samples_s)} updates re-validated everything"
    case.targets.append(Target(name, detail, edit.median_s < EDIT_TARGET_S))
    matches = edit.info.get("matches_full_validation")
    case.targets.append(Target("incremental report = full validation after the edit",
                               f"{edit.info.get('results_before_edit')} → {edit.info.get('results_after_edit')} results",
                               matches if isinstance(matches, bool) else None))


def _judge_reclassify(case: Case, systems: int) -> None:
    edit, everything = case.measurements[RECLASSIFY], case.measurements[RECLASSIFY_ALL]
    name = f"re-classification after one edited system < {EDIT_TARGET_S * 1000:.0f} ms"
    if edit.median_s is None:
        case.targets.append(Target(name, edit.error or "not run", None))
        return
    case.targets.append(Target(name, f"median {edit.median_s * 1000:.1f} ms, worst {max(edit.samples_s) * 1000:.1f} ms",
                               edit.median_s < EDIT_TARGET_S))
    needed = systems / SHARE_TARGET
    speed = ratio(everything.median_s, edit.median_s)
    case.targets.append(Target(
        f"one edited system ≥ {needed:,.0f}x faster than re-classifying all {systems:,} "
        f"(costs ≤ {SHARE_TARGET} systems' share)",
        everything.error or "—" if speed is None else
        f"{speed:,.0f}x ({edit.median_s * 1000:.1f} ms against {everything.median_s:.2f} s)",
        None if speed is None else speed >= needed))
    agree, seen = edit.info.get("stored_equals_fresh"), edit.info.get("categories_seen")
    case.targets.append(Target("stored categories = fresh classification after each edit",
                               ", ".join(str(c) for c in seen) if isinstance(seen, list) else "—",
                               agree if isinstance(agree, bool) else None))


def _same_results(keys: dict[str, Path]) -> Target:
    name = "identical results (compiled and pySHACL)"
    if not all(path.exists() for path in keys.values()):
        return Target(name, "a contender failed", None)
    ours, theirs = ({tuple(k) for k in json.loads(p.read_text(encoding="utf-8"))} for p in keys.values())
    if ours == theirs:
        return Target(name, f"{len(ours):,} results, the same", True)
    return Target(name, f"{len(ours - theirs):,} only compiled, {len(theirs - ours):,} only pySHACL", False)
