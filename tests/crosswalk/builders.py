"""Builders of small but real inputs for the crosswalk tests: reference schemes compiled
by the project's own compiler, crosswalk files written in the contract format, and a
store that answers over the union of its named graphs (the verb ``aims_graph.store`` offers)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from aims_graph.crosswalk import compile_quads, read_sssom
from aims_graph.crosswalk.sssom_io import COLUMNS, STANDARD_PREFIXES

SCHEMES: dict[str, list[tuple[str, str, str, str]]] = {
    # notation, kind, broader, label
    "iso42001": [
        ("6", "Clause", "", "Planning"),
        ("6.1.2", "Clause", "6", "AI risk assessment"),
        ("Annex A", "Annex", "", "Reference control objectives and controls"),
        ("A.2", "ControlObjective", "Annex A", "Policies related to AI"),
        ("A.2.2", "AnnexAControl", "A.2", "AI policy"),
        ("A.5", "ControlObjective", "Annex A", "Assessing impacts of AI systems"),
        ("A.5.2", "AnnexAControl", "A.5", "AI system impact assessment process"),
        ("A.5.3", "AnnexAControl", "A.5", "Documentation of AI system impact assessments"),
        ("A.6", "ControlObjective", "Annex A", "AI system life cycle"),
        ("A.6.2.8", "AnnexAControl", "A.6", "AI system recording of event logs"),
    ],
    "eu-ai-act": [
        ("Chapter III", "Chapter", "", "High-risk AI systems"),
        ("Article 9", "Article", "Chapter III", "Risk management system"),
        ("Article 12", "Article", "Chapter III", "Record-keeping"),
        ("Article 26", "Article", "Chapter III", "Obligations of deployers of high-risk AI systems"),
        ("Article 27", "Article", "Chapter III", "Fundamental rights impact assessment for high-risk AI systems"),
        ("Chapter IV", "Chapter", "", "Transparency obligations for providers and deployers of certain AI systems"),
        ("Article 50", "Article", "Chapter IV", "Transparency obligations for providers and deployers of certain AI systems"),
    ],
    "nist-ai-rmf": [
        ("GOVERN", "RMFFunction", "", "Govern"),
        ("GOVERN 1", "RMFCategory", "GOVERN", "Legal and regulatory requirements are understood"),
        ("GOVERN 1.1", "RMFSubcategory", "GOVERN 1", "Legal and regulatory requirements are managed"),
        ("MAP", "RMFFunction", "", "Map"),
        ("MAP 1", "RMFCategory", "MAP", "Context is established and understood"),
        ("MAP 1.1", "RMFSubcategory", "MAP 1", "Intended purposes and context are documented"),
        ("MANAGE", "RMFFunction", "", "Manage"),
    ],
}
SOURCES = {
    "iso42001": "https://w3id.org/aims-graph/iso42001",
    "eu-ai-act": "https://w3id.org/aims-graph/eu-ai-act",
    "nist-ai-rmf": "https://w3id.org/aims-graph/nist-ai-rmf",
}
TEAM = "https://w3id.org/aims-graph/team"


def scheme_ttl(scheme: str) -> str:
    return f"\n<{SOURCES[scheme]}> a skos:ConceptScheme ; skos:prefLabel \"{scheme}\"@en .\n"


def row(subject: str, obj: str, relation: str = "equal", **overrides: str) -> dict[str, str]:
    """A valid row in the contract format; keyword arguments replace single cells."""
    predicate = {
        "equal": "skos:exactMatch",
        "subset-of": "skos:broadMatch",
        "superset-of": "skos:narrowMatch",
    }.get(relation, "skos:relatedMatch")
    values = {
        "subject_id": subject,
        "subject_label": "",
        "predicate_id": predicate,
        "predicate_modifier": "Not" if relation == "no-relationship" else "",
        "object_id": obj,
        "object_label": "",
        "mapping_justification": "semapv:ManualMappingCuration",
        "ir8477_relation": relation,
        "rationale_type": "semantic",
        "comment": f"Test row relating {subject} to {obj}.",
        "source": "authored here",
        "author_id": TEAM,
        "reviewer_id": "",
        "confidence": "0.8",
        "mapping_status": "proposed",
    }
    values.update(overrides)
    return values


def crosswalk_text(
    subject_scheme: str, object_scheme: str, rows: list[dict[str, str]], version: str = "1.0",
    creators: tuple[str, ...] = ("aimsgraph:team",),
) -> str:
    meta: dict[str, Any] = {
        "curie_map": dict(STANDARD_PREFIXES),
        "mapping_set_id": f"https://w3id.org/aims-graph/crosswalk/{subject_scheme}-{object_scheme}",
        "mapping_set_version": version,
        "mapping_set_title": f"{subject_scheme} to {object_scheme} (test)",
        "mapping_set_description": "Written by the crosswalk tests.",
        "creator_id": list(creators),
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "subject_source": SOURCES[subject_scheme],
        "subject_source_version": "test",
        "object_source": SOURCES[object_scheme],
        "object_source_version": "test",
        "mapping_date": "2026-11-29",
    }
    out = io.StringIO()
    for line in yaml.safe_dump(meta, sort_keys=False).splitlines():
        out.write(f"#{line}\n")
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([[r[c] for c in COLUMNS] for r in rows])
    return out.getvalue()


def write_crosswalk(directory: Path, subject_scheme: str, object_scheme: str, rows: list[dict[str, str]], **kw: Any) -> Path:
    path = directory / f"{subject_scheme}-{object_scheme}.sssom.tsv"
    path.write_text(crosswalk_text(subject_scheme, object_scheme, rows, **kw), encoding="utf-8")
    return path


class UnionStore:
    """The query verb of the store layer: SPARQL over the union of all named graphs."""

    def __init__(self) -> None:
        self.store = ox.Store()

    def query(self, sparql: str) -> Any:
        return self.store.query(sparql, use_default_graph_as_union=True)

    def load_turtle(self, path: Path, graph: str) -> None:
        self.store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))


def make_store(reference_dir: Path, crosswalk_paths: list[Path], concepts: frozenset[str]) -> UnionStore:
    store = UnionStore()
    for path in sorted(reference_dir.glob("*.ttl")):
        store.load_turtle(path, f"https://w3id.org/aims-graph/graph/{path.stem}")
    for path in crosswalk_paths:
        store.store.extend(compile_quads(read_sssom(path, concepts)))
    return store
