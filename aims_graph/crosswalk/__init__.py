"""Crosswalks between the reference schemes: SSSOM in, RDF in the store, analyses out.

Reading (``read_sssom``, ``load_crosswalks``) checks every row against the reference
schemes and NIST IR 8477; ``compile_quads`` / ``to_turtle`` turn a set into RDF;
``mapping_sets_from_store`` reads it back.  The analyses work on a ``CrosswalkIndex``
built from any store with ``query(sparql)``.  The heatmap lives in
``aims_graph.crosswalk.plot`` so that importing this package does not load matplotlib.
"""

from aims_graph.crosswalk.candidates import Candidate, candidate_sets, derive_candidates
from aims_graph.crosswalk.concepts import known_concepts
from aims_graph.crosswalk.coverage import CoverageReport, coverage
from aims_graph.crosswalk.diff import CrosswalkDiff, diff, diff_files
from aims_graph.crosswalk.explain import ExplainReport, explain, resolve
from aims_graph.crosswalk.export import export, to_csv
from aims_graph.crosswalk.gaps import GapReport, gaps
from aims_graph.crosswalk.index import CrosswalkIndex
from aims_graph.crosswalk.loading import load_crosswalks
from aims_graph.crosswalk.model import (
    CrosswalkError,
    MappingRecord,
    MappingSet,
    Method,
    Problem,
    Rationale,
    Relation,
    Status,
    compose,
)
from aims_graph.crosswalk.rdf import compile_quads, compile_triples, mapping_sets_from_store, to_turtle
from aims_graph.crosswalk.sssom_io import parse_sssom, read_sssom, write_sssom

__all__ = [
    "Candidate",
    "CoverageReport",
    "CrosswalkDiff",
    "CrosswalkError",
    "CrosswalkIndex",
    "ExplainReport",
    "GapReport",
    "MappingRecord",
    "MappingSet",
    "Method",
    "Problem",
    "Rationale",
    "Relation",
    "Status",
    "candidate_sets",
    "compile_quads",
    "compile_triples",
    "compose",
    "coverage",
    "derive_candidates",
    "diff",
    "diff_files",
    "explain",
    "export",
    "gaps",
    "known_concepts",
    "load_crosswalks",
    "mapping_sets_from_store",
    "parse_sssom",
    "read_sssom",
    "resolve",
    "to_csv",
    "to_turtle",
    "write_sssom",
]
