"""One provision of a reference scheme as a person reads it: its number, title and place.

The crosswalk views say what a clause maps to; a reader first needs to know which clause
it is.  This is that header: the notation as the document prints it, the title, the
parent provision, how many provisions sit under it, whether the number is provisional,
and (for the law) the date from which it applies.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import pyoxigraph as ox

from aims_graph.rdf.namespaces import AIMS, SKOS
from aims_graph.store.base import Store


@dataclass(frozen=True)
class ConceptHeader:
    iri: str
    scheme: str | None
    notation: str | None
    title: str | None
    parent: str | None
    parent_notation: str | None
    children: int
    notation_derived: bool
    applies_from: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def concept_header(store: Store, iri: str) -> ConceptHeader:
    """The header of concept ``iri`` (fields are None where the scheme records nothing)."""
    concept = ox.NamedNode(iri)
    rows = list(store.query(f"""
        PREFIX skos: <{SKOS}>
        PREFIX aims: <{AIMS}>
        SELECT ?scheme ?notation ?title ?parent ?parentNotation ?derived ?appliesFrom
               (COUNT(DISTINCT ?child) AS ?children)
        WHERE {{
          OPTIONAL {{ {concept} skos:inScheme ?scheme }}
          OPTIONAL {{ {concept} skos:notation ?notation }}
          OPTIONAL {{ {concept} skos:prefLabel ?title FILTER(LANGMATCHES(LANG(?title), "en")) }}
          OPTIONAL {{ {concept} skos:broader ?parent OPTIONAL {{ ?parent skos:notation ?parentNotation }} }}
          OPTIONAL {{ {concept} aims:notationDerived ?derived }}
          OPTIONAL {{ {concept} aims:appliesFrom ?appliesFrom }}
          OPTIONAL {{ ?child skos:broader {concept} }}
        }}
        GROUP BY ?scheme ?notation ?title ?parent ?parentNotation ?derived ?appliesFrom
    """))  # type: ignore[arg-type]
    row = rows[0] if rows else None

    def value(name: str) -> str | None:
        term = row[name] if row is not None else None
        return term.value if term is not None else None

    return ConceptHeader(
        iri=iri, scheme=value("scheme"), notation=value("notation"), title=value("title"),
        parent=value("parent"), parent_notation=value("parentNotation"),
        children=int(value("children") or 0), notation_derived=value("derived") == "true",
        applies_from=value("appliesFrom"),
    )
