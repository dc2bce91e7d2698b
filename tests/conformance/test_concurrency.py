"""Several threads validating at once get exactly the results of serial runs.

pySHACL is not thread-safe when threads share one shapes graph (pySHACL issue 314);
aims_graph.validation gives every validation its own rdflib graphs, built from
immutable pyoxigraph triples, so concurrent validations cannot disturb each other.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from aims_graph.validation import validate

from .conftest import HL

SCOPES = [None, HL + "CreditScoring", HL + "CVScreening", None, HL + "CodingAssistant", HL + "CreditScoring"]


def _key(report) -> frozenset:
    return frozenset((f.severity, f.focus_node, f.shape, f.value, f.message) for f in report.findings())


def test_concurrent_pyshacl_validations_equal_serial_runs(example_store) -> None:
    serial = [_key(validate(example_store, scope, engine="pyshacl")) for scope in SCOPES]
    with ThreadPoolExecutor(max_workers=len(SCOPES)) as pool:
        concurrent = list(pool.map(lambda scope: _key(validate(example_store, scope, engine="pyshacl")), SCOPES))
    assert concurrent == serial
    assert serial[0] == serial[3] and serial[1] == serial[5] and serial[0] != serial[1]


def test_concurrent_compiled_validations_equal_serial_runs(example_store) -> None:
    serial = [_key(validate(example_store, scope, engine="compiled")) for scope in SCOPES]
    with ThreadPoolExecutor(max_workers=len(SCOPES)) as pool:
        concurrent = list(pool.map(lambda scope: _key(validate(example_store, scope, engine="compiled")), SCOPES))
    assert concurrent == serial
