"""Which AI system a user means: one resolver for every command and endpoint.

People name a system the way they see it: by the identifier in their spreadsheet
(``CreditScoring``), by its full IRI (with or without angle brackets) or by the CURIE
of their Turtle file (``hl:CreditScoring``).  The store does not keep a file's prefix
declarations, so a CURIE whose prefix is not one of the project's is matched by its
local part, exactly like an identifier; an ambiguous match is an error that lists the
candidates instead of a guess.
"""

from __future__ import annotations

import pyoxigraph as ox

from aims_graph.errors import InputError, NotFoundError
from aims_graph.rdf.namespaces import AIMS, DCTERMS, curie, expand
from aims_graph.store.base import Store

_SYSTEM_CLASSES = (f"{AIMS}AISystem",)
_MODEL_CLASSES = (f"{AIMS}AIModel", f"{AIMS}GeneralPurposeAIModel")
_CANDIDATES_SHOWN = 5


def resolve_system(store: Store, reference: str, *, models: bool = False) -> str:
    """The IRI of the AI system (or, with ``models``, AI model) that ``reference`` names.

    Raises NotFoundError when nothing matches and InputError when the reference is not
    a usable IRI or names several systems.
    """
    classes = _SYSTEM_CLASSES + (_MODEL_CLASSES if models else ())
    kind = "AI system or model" if models else "AI system"
    reference = reference.strip()
    iri = _as_iri(reference)
    if iri is not None:
        if not _is_a(store, iri, classes):
            raise NotFoundError(f"no {kind} {iri} in the store")
        return iri
    local = reference.partition(":")[2] if ":" in reference else reference
    found = _by_local_name(store, local, classes)
    if not found:
        raise NotFoundError(f"no {kind} with id {reference!r}: give its identifier, its IRI or a CURIE "
                            "such as aims:... (see `aims-graph query list-systems`)")
    if len(found) > 1:
        shown = ", ".join(found[:_CANDIDATES_SHOWN]) + (" ..." if len(found) > _CANDIDATES_SHOWN else "")
        raise InputError(f"{reference!r} names {len(found)} systems ({shown}); give the full IRI")
    return found[0]


def _as_iri(reference: str) -> str | None:
    """The IRI when the reference is written as one (``<...>``, ``scheme://``, ``urn:``,
    or a CURIE with one of the project's prefixes); None for an identifier."""
    if reference.startswith("<") and reference.endswith(">"):
        reference = reference[1:-1]
    elif not ("://" in reference or reference.startswith("urn:")):
        reference = expand(reference) or ""
        if not reference:
            return None
    try:
        return ox.NamedNode(reference).value
    except ValueError as error:
        raise InputError(f"{reference!r} is not a valid IRI ({error})") from error


def _values(classes: tuple[str, ...]) -> str:
    return " ".join(str(ox.NamedNode(c)) for c in classes)


def _is_a(store: Store, iri: str, classes: tuple[str, ...]) -> bool:
    return bool(store.query(
        f"ASK {{ VALUES ?class {{ {_values(classes)} }} {ox.NamedNode(iri)} a ?class }}"))


def _by_local_name(store: Store, local: str, classes: tuple[str, ...]) -> list[str]:
    """Systems whose identifier is ``local`` or whose IRI ends with ``/local`` or ``#local``."""
    value = ox.Literal(local)
    query = (f"SELECT DISTINCT ?s WHERE {{ VALUES ?class {{ {_values(classes)} }} ?s a ?class . "
             f"OPTIONAL {{ ?s <{DCTERMS}identifier> ?id }} "
             f"FILTER(STR(?id) = {value} || STRENDS(STR(?s), CONCAT(\"/\", {value})) "
             f"|| STRENDS(STR(?s), CONCAT(\"#\", {value}))) }} ORDER BY ?s")
    return [row["s"].value for row in store.query(query)]  # type: ignore[union-attr]


def system_name(store: Store, iri: str) -> str:
    """How a picture or a table names a system: its label, else its CURIE or IRI."""
    rows = store.query(f"SELECT ?label WHERE {{ {ox.NamedNode(iri)} <http://www.w3.org/2000/01/rdf-schema#label> ?label }} LIMIT 1")
    for row in rows:  # type: ignore[union-attr]
        return str(row["label"].value)
    return curie(iri)
