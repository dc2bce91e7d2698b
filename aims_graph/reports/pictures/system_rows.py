"""Chart rows for one AI system, with the organisation-level requirements it depends on.

Validating one system checks only its neighbourhood: the management system that covers it
is read but not validated, so a missing AI policy (5.2) or internal audit (9.2) would leave
those requirements green in the system's chart. The organisation-level findings are taken
from a whole-store validation instead, kept when their focus node is a management system
covering the system or something it holds directly (policy, objectives, statement of
applicability and the decisions in it), and drawn as rows of their own.
"""

from __future__ import annotations

import datetime as dt

from aims_graph.rdf.namespaces import AIMS
from aims_graph.reports.pictures.conformance import Row, rows_from_summary
from aims_graph.store.base import Store


def organisation_nodes(store: Store, system_iri: str) -> set[str]:
    """The management systems covering ``system_iri`` and the nodes they hold (other systems
    they cover excepted: those are not this system's requirements)."""
    covers = f"?ms <{AIMS}coversSystem> <{system_iri}> ."
    query = f"""
SELECT DISTINCT ?n WHERE {{
  {{ {covers} BIND(?ms AS ?n) }}
  UNION {{ {covers} ?ms ?p ?n . FILTER(isIRI(?n) && ?p != <{AIMS}coversSystem>) }}
  UNION {{ {covers} ?ms <{AIMS}hasStatementOfApplicability> ?soa . ?soa ?q ?n . FILTER(isIRI(?n)) }}
}}"""
    return {row["n"].value for row in store.query(query)}  # type: ignore[union-attr]


def system_rows(store: Store, system_iri: str, as_of: dt.date | None = None) -> list[Row]:
    """The system's own rows, then one ``<requirement> (organisation)`` row for each
    requirement with organisation-level findings, in the order of the system's rows."""
    from aims_graph.validation import validate

    own = validate(store, system_iri, as_of=as_of).summary()
    nodes = organisation_nodes(store, system_iri)
    organisation = [(entry.notation or entry.requirement, [f for f in entry.findings if f.focus_node in nodes])
                    for entry in validate(store, as_of=as_of).summary().requirements]
    return rows_from_summary(own, organisation)
