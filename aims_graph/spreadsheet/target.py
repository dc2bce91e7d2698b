"""Where a spreadsheet import goes, and whether it may go there: one set of rules for
the CLI (``aims-graph import``) and the HTTP service (``POST /import``).

An import names three things: the organisation (``org``, default ``org``), the base of
its data IRIs (default ``https://w3id.org/aims-graph/data/<org>``) and the graph it
owns (default ``https://w3id.org/aims-graph/graph/import/<file name>``).  The graph
records which import wrote it: the source file name (``dcterms:source``), the
organisation's IRI under its base (``dcterms:creator``) and the time (``dcterms:created``).

A later import may replace that graph when it is the same source for the same
organisation (re-importing an edited file).  Any other import into it (another file
that maps to the same graph, the same file for another organisation or base, or a
graph holding data no import recorded) is refused unless ``replace`` is asked for,
and the refusal says what it would replace: two imports that differ in nothing but
their ``org`` must not silently overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePath

import pyoxigraph as ox

from aims_graph.errors import InputError
from aims_graph.knowledge.graph_kinds import IMPORT_GRAPH_BASE, check_not_reference
from aims_graph.rdf.namespaces import DCTERMS
from aims_graph.spreadsheet.iris import DataIris, slug
from aims_graph.spreadsheet.ntriples import iri, text, typed
from aims_graph.store.base import Store


class ImportConflict(InputError):
    """The target graph holds another import's data (or data no import recorded)."""


@dataclass(frozen=True)
class ImportTarget:
    """The organisation, data IRIs and graph of one import."""

    source: str
    iris: DataIris
    graph: str

    def record_lines(self) -> list[str]:
        """The N-Triples lines that record this import in its graph."""
        now = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        subject = iri(self.graph)
        return [f"{subject} <{DCTERMS}source> {text(self.source)} .\n",
                f"{subject} <{DCTERMS}creator> {iri(self.iris.organisation())} .\n",
                f"{subject} <{DCTERMS}created> {typed(now, 'dateTime')} .\n"]


@dataclass(frozen=True)
class ImportRecord:
    """What a graph says about the import that wrote it."""

    source: str | None
    organisation: str | None
    created: str | None

    def __str__(self) -> str:
        return (f"the import of {self.source or 'an unnamed source'} for organisation "
                f"{self.organisation or '(not recorded)'} at {self.created or '(time not recorded)'}")


def default_graph(filename: str) -> str:
    return IMPORT_GRAPH_BASE + slug(PurePath(filename).stem)


def import_target(source: str, *, org: str = "org", base: str | None = None,
                  graph: str | None = None) -> ImportTarget:
    """The checked target of an import of the file named ``source``."""
    target = graph or default_graph(source)
    try:
        ox.NamedNode(target)
    except ValueError as error:
        raise InputError(f"graph {target!r} is not a valid IRI ({error})") from error
    check_not_reference({target}, f"import of {source}")
    return ImportTarget(source, DataIris.for_org(org, base), target)


def recorded_import(store: Store, graph: str) -> ImportRecord | None:
    """The import recorded in ``graph``; None when no import is."""
    node = ox.NamedNode(graph)
    rows = list(store.query(  # type: ignore[union-attr]
        f"SELECT ?source ?creator ?created WHERE {{ GRAPH {node} {{ {node} <{DCTERMS}source> ?source "
        f"OPTIONAL {{ {node} <{DCTERMS}creator> ?creator }} OPTIONAL {{ {node} <{DCTERMS}created> ?created }} }} }} "
        "LIMIT 1"))
    if not rows:
        return None
    return ImportRecord(*(rows[0][name].value if rows[0][name] is not None else None
                          for name in ("source", "creator", "created")))


def _size(store: Store, graph: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}")
    return int(next(iter(result))["n"].value)  # type: ignore[index,call-overload]


def check_replaceable(store: Store, target: ImportTarget, *, replace: bool) -> None:
    """Refuse an import into a graph that holds another import's data, unless ``replace``."""
    if replace:
        return
    record = recorded_import(store, target.graph)
    if record is None:
        size = _size(store, target.graph)
        if size:
            raise ImportConflict(
                f"{target.source}: graph {target.graph} already holds {size} triples that no spreadsheet "
                "import recorded; choose another graph, or ask to replace them (--replace, replace=true)")
        return
    if record.source == target.source and record.organisation == target.iris.organisation():
        return
    raise ImportConflict(
        f"{target.source}: graph {target.graph} holds {record}; this import (organisation "
        f"{target.iris.organisation()}) would replace it. Give the same organisation and base to update "
        "that import, another graph (--graph, graph=) to keep both, or ask to replace it (--replace, replace=true)")
