"""Load the project's crosswalk directory: every file checked, all or nothing."""

from __future__ import annotations

from pathlib import Path

from aims_graph.crosswalk.concepts import known_concepts
from aims_graph.crosswalk.model import CROSSWALK_BASE, CrosswalkError, MappingSet, Problem
from aims_graph.crosswalk.sssom_io import read_sssom
from aims_graph.paths import CROSSWALK_DIR, REFERENCE_DIR

SUFFIX = ".sssom.tsv"


def load_crosswalks(
    directory: Path = CROSSWALK_DIR, reference_dir: Path = REFERENCE_DIR
) -> list[MappingSet]:
    """Read every ``*.sssom.tsv``; raise one :class:`CrosswalkError` listing the problems
    of all files, so a store is never initialised with some crosswalks missing.

    A file's ``mapping_set_id`` must be ``crosswalk/<file stem>``: the id names the
    set's IRI and its named graph, so two files must never share one.
    """
    concepts = known_concepts(reference_dir)
    sets: list[MappingSet] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*" + SUFFIX)):
        try:
            mapping_set = read_sssom(path, concepts)
        except CrosswalkError as error:
            problems.extend(error.problems)
            continue
        expected = CROSSWALK_BASE + path.name.removesuffix(SUFFIX)
        if mapping_set.id != expected:
            problems.append(Problem(str(path), 1, f"mapping_set_id is {mapping_set.id}, expected {expected}"))
        sets.append(mapping_set)
    if problems:
        raise CrosswalkError(problems)
    return sets
