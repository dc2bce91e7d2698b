"""The reference knowledge that every store carries, one named graph per module.

A module is a unit of reference knowledge with its own graph: the core ontology, the
alignment, each standard's concept scheme, each crosswalk, each shapes file.  Modules
are discovered from the files in ``ontology/`` and ``shapes/``, so adding a file adds a
module.  Each module's version is the hash of its sources; ``ensure_reference`` writes
a module only when the store holds another version, so opening a store is idempotent
and cheap, and an edited source replaces exactly its own graph.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pyoxigraph as ox
from rich.console import Console
from rich.progress import Progress

from aims_graph.paths import CORE_ONTOLOGY, CROSSWALK_DIR, ONTOLOGY_DIR, REFERENCE_DIR, SHAPES_DIR, require
from aims_graph.store.base import Store

GRAPH_BASE = "https://w3id.org/aims-graph/graph/"
META_GRAPH = GRAPH_BASE + "meta"
_AIMS = "https://w3id.org/aims-graph/ontology#"
_TURTLE = ox.RdfFormat.TURTLE


@dataclass(frozen=True)
class Module:
    name: str
    sources: tuple[Path, ...]
    build: Callable[[], bytes] = field(compare=False)

    @property
    def graph(self) -> str:
        return GRAPH_BASE + self.name

    @property
    def version(self) -> str:
        digest = hashlib.sha256()
        for source in self.sources:
            digest.update(source.name.encode())
            digest.update(source.read_bytes())
        return digest.hexdigest()[:16]


def _read_files(*paths: Path) -> Callable[[], bytes]:
    def build() -> bytes:
        # Turtle files concatenate safely once prefixes are re-declared per file,
        # which Turtle allows; each file keeps its own @prefix lines.
        return b"\n".join(path.read_bytes() for path in paths)

    return build


def _crosswalk(path: Path) -> Callable[[], bytes]:
    def build() -> bytes:
        from aims_graph.crosswalk import known_concepts, read_sssom, to_turtle

        return to_turtle(read_sssom(path, known_concepts())).encode("utf-8")

    return build


def discover_modules() -> list[Module]:
    """Every module of reference knowledge present in the checkout, in load order."""
    require(CORE_ONTOLOGY, REFERENCE_DIR, CROSSWALK_DIR, SHAPES_DIR)
    modules: list[Module] = []
    for path in sorted(ONTOLOGY_DIR.glob("*.ttl")):
        name = "ontology" if path.stem == "aims" else path.stem
        modules.append(Module(name, (path,), _read_files(path)))
    for meta in sorted(REFERENCE_DIR.glob("*.meta.ttl")):
        scheme = meta.name[: -len(".meta.ttl")]
        compiled = REFERENCE_DIR / f"{scheme}.ttl"
        sources = (meta, compiled) if compiled.exists() else (meta,)
        modules.append(Module(scheme, sources, _read_files(*sources)))
    schemes = {m.name for m in modules}
    for path in sorted(REFERENCE_DIR.glob("*.ttl")):
        if path.name.endswith(".meta.ttl") or path.stem in schemes:
            continue
        modules.append(Module(path.stem, (path,), _read_files(path)))
    for path in sorted(CROSSWALK_DIR.glob("*.sssom.tsv")):
        stem = path.name[: -len(".sssom.tsv")]
        modules.append(Module(f"crosswalk-{stem}", (path,), _crosswalk(path)))
    for path in sorted(SHAPES_DIR.rglob("*.ttl")):
        modules.append(Module(f"shapes-{path.stem}", (path,), _read_files(path)))
    return modules


@lru_cache(maxsize=64)
def _built(module: Module, version: str) -> bytes:
    """Build output per version: a test suite opens many in-memory stores."""
    del version  # part of the cache key only
    return module.build()


def loaded_versions(store: Store) -> dict[str, str]:
    result = store.query(
        f"SELECT ?g ?v WHERE {{ GRAPH <{META_GRAPH}> {{ ?g <{_AIMS}moduleVersion> ?v }} }}"
    )
    return {row["g"].value: row["v"].value for row in result}


def ensure_reference(store: Store, *, progress: bool = False) -> list[str]:
    """Bring the store's reference graphs up to date; returns the names of modules written."""
    modules = discover_modules()
    present = loaded_versions(store)
    stale = [m for m in modules if present.get(m.graph) != m.version]
    gone = set(present) - {m.graph for m in modules}
    with Progress(disable=not progress, transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("loading reference knowledge", total=len(stale) + len(gone))
        for module in stale:
            bar.update(task, description=f"loading {module.name}")
            store.replace_graph(module.graph, _built(module, module.version), _TURTLE)
            bar.advance(task)
        for graph in gone:
            store.drop_graph(graph)
            bar.advance(task)
    if stale or gone:
        store.replace_graph(META_GRAPH, _meta_turtle(modules), _TURTLE)
    return [m.name for m in stale]


def _meta_turtle(modules: list[Module]) -> bytes:
    lines = [f"@prefix aims: <{_AIMS}> .", "@prefix dcterms: <http://purl.org/dc/terms/> ."]
    for module in modules:
        sources = ", ".join(f'"{s.relative_to(ONTOLOGY_DIR.parent).as_posix()}"' for s in module.sources)
        lines.append(
            f'<{module.graph}> aims:moduleName "{module.name}" ; '
            f'aims:moduleVersion "{module.version}" ; dcterms:source {sources} .'
        )
    return "\n".join(lines).encode("utf-8")


def reference_graphs() -> set[str]:
    """Graph IRIs that belong to the product, not to an organisation."""
    return {m.graph for m in discover_modules()} | {META_GRAPH}
