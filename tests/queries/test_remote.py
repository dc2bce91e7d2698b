"""The same query text gives the same answer on the embedded store and on each remote
engine (Oxigraph server, Virtuoso 7): nothing in the catalogue is engine-specific, except
the engine limits listed in ``ENGINE_LIMITS`` (docs/stores.md), each shown by a test.

Two differences in how Virtuoso 7 *spells* an answer are accepted when comparing, and
documented: it has no boolean values (``true`` comes back as the integer 1), and an
empty ``GROUP_CONCAT`` is ``""`` where Oxigraph leaves the cell unbound."""

from __future__ import annotations

from typing import Any

import pytest

from aims_graph.named_queries import list_queries, run
from aims_graph.store import Store, StoreError
from tests.queries.conftest import HL

# One realistic invocation per query; a new query without one fails the completeness test.
EXAMPLE_PARAMS: dict[str, dict[str, str]] = {
    "article-coverage": {"article": "Article 26"},
    "change-impact": {"artefact": HL + "FraudLabels2023"},
    "concept-mappings": {"concept": "A.6.2.4"},
    "conformity-route": {},
    "control-dependents": {"control": "A.6.2.4"},
    "derived-notations": {},
    "provisional-law": {},
    "list-systems": {},
    "missing-impact-assessment": {},
    "obligation-addressee": {"system": HL + "CreditScoring"},
    "risk-chain": {},
    "serious-incident-deadlines": {"asOf": "2026-11-29"},
    "statement-of-applicability": {},
    "system-obligations": {"system": HL + "CreditScoring"},
    "systems-by-risk-category": {},
    "third-party-components": {},
    "trace-system": {"system": HL + "CreditScoring"},
    "uncovered-provider-obligations": {},
    "untreated-high-risk": {},
}


def test_every_query_has_an_example_invocation() -> None:
    assert sorted(EXAMPLE_PARAMS) == sorted(q.name for q in list_queries())


# Queries that need what an engine lacks, with the error it gives or the way its answer differs.
ENGINE_LIMITS: dict[tuple[str, str], str] = {
    # xsd:date + xsd:dayTimeDuration arithmetic: Virtuoso 7 has no duration casts.
    ("virtuoso", "serious-incident-deadlines"): "refused",
    # Nested OPTIONALs whose inner patterns use variables bound outside them: Virtuoso 7
    # does not keep SPARQL's bottom-up scoping and answers other rows.
    ("virtuoso", "third-party-components"): "differs",
    # UNION branches that BIND constants next to nested OPTIONALs: Virtuoso 7 loses ?system
    # in some rows and joins the recorded assessment of another system (seen, not yet
    # narrowed down to one construct; issue 18 part 2).
    ("virtuoso", "conformity-route"): "differs",
    # GROUP BY over a VALUES row and OPTIONALs filtered on an outer variable: Virtuoso 7
    # answers other rows (seen, not yet narrowed down; issue 18 part 2).
    ("virtuoso", "obligation-addressee"): "differs",
}


def engine_of(store: Store) -> str:
    return store.client.profile.name  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(EXAMPLE_PARAMS))
def test_remote_and_embedded_answers_are_equal(name: str, example_store: Store, remote_example_store: Store) -> None:
    embedded = run(example_store, name, EXAMPLE_PARAMS[name])
    assert len(embedded) > 0, f"{name} found nothing on the example organisation"
    limit = ENGINE_LIMITS.get((engine_of(remote_example_store), name))
    if limit == "refused":
        with pytest.raises(StoreError, match="dayTimeDuration"):
            run(remote_example_store, name, EXAMPLE_PARAMS[name])
        return
    remote = run(remote_example_store, name, EXAMPLE_PARAMS[name])
    assert remote.variables == embedded.variables
    booleans = {k for r in embedded.records() for k, v in r.items() if isinstance(v, bool)}
    same = normalised(remote.records(), booleans) == normalised(embedded.records(), booleans)
    # A listed limit must still be real: when the engine is fixed, this says so.
    assert same is (limit is None), (normalised(remote.records(), booleans), normalised(embedded.records(), booleans))


def normalised(records: list[dict[str, Any]], booleans: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Rows as sorted lists (ties in ORDER BY may come back in either order), GROUP_CONCAT
    cells as sorted items (SPARQL leaves the order inside them open), booleans as 0/1 and
    an empty concatenation as no value (the two spellings Virtuoso 7 differs in)."""
    def cell(key: str, value: Any) -> Any:
        if key in booleans and value is not None:
            return int(value)
        if value == "":
            return None
        return sorted(value.split(", ")) if isinstance(value, str) else value

    return sorted(repr({k: cell(k, v) for k, v in r.items()}) for r in records)
