"""Parameters are checked, turned into RDF terms and bound through VALUES: no value can
change a query (the failure of grlc issue 101), on the embedded and the remote store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from aims_graph.errors import InputError, NotFoundError
from aims_graph.named_queries import Catalogue, get_query, param_json_schema
from aims_graph.named_queries.binding import bind
from aims_graph.store import Store, open_store

ECHO = """#+ name: echo
#+ summary: Give the parameters back.
#+ param: text (string, required) Any text.
#+ param: thing (iri, optional) Any IRI.
#+ param: count (integer, optional, default 3) A number.
#+ param: day (date, optional) A day.
#+ param: flag (boolean, optional) A flag.
#+ param: mode (enum(a|b), optional) A mode.
#+ param: control (concept(iso42001), optional) A control.
# A '{' or a "WHERE {" in a comment must not be mistaken for the query's group.
SELECT ?text ?thing ?count ?day ?flag ?mode ?control
WHERE {
}
"""

HOSTILE = [
    'a" } ; DROP ALL ; SELECT * { "',
    "x' } UNION { ?s ?p ?o } #",
    '"""triple""" and \'\'\'single\'\'\'',
    "back\\slash \\\" and \\u0022",
    "line one\nline two\r\n}\t",
    "?text <https://evil.example/> $thing # } VALUES",
    "ünïcödé ✓ 𝔸",
    "",
]


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    directory = tmp_path_factory.mktemp("queries")
    (directory / "echo.rq").write_text(ECHO, encoding="utf-8")
    return Catalogue(directory)


@pytest.fixture(scope="module")
def memory() -> Store:
    return open_store("memory")


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_comes_back_unchanged_and_alters_nothing(
        catalogue: Catalogue, any_example_store: Store, text: str) -> None:
    store = any_example_store
    before = len(store)
    answer = catalogue.run(store, "echo", {"text": text})
    assert len(answer) == 1
    assert answer.column("text") == [text]
    assert answer.column("count") == [3]
    assert answer.column("thing") == [None]
    assert len(store) == before


def test_the_bound_query_has_one_values_block_after_the_real_where(catalogue: Catalogue) -> None:
    sparql = catalogue.bound_sparql(None, "echo", {"text": 'a"}', "thing": "https://e.example/x"})
    assert sparql.count("VALUES (") == 1
    # Unset optional parameters are left out, not bound as UNDEF (Virtuoso 7 answered
    # risk-chain with a duplicate row when its unset ?system was an UNDEF).
    assert 'VALUES (?text ?thing ?count) { ("a\\"}" <https://e.example/x> "3"^^<http://www.w3.org/2001/XMLSchema#integer>) }' in sparql
    assert "UNDEF" not in sparql
    assert sparql.index("VALUES (") > sparql.index("WHERE {\n")
    ox.Store().query(sparql)  # parses


def test_typed_values_arrive_as_typed_literals(catalogue: Catalogue, memory: Store) -> None:
    answer = catalogue.run(memory, "echo", {
        "text": "t", "thing": "urn:isbn:0451450523", "count": "-42", "day": "2026-02-28",
        "flag": "TRUE", "mode": "b", "control": "A.6.2.4"})
    row = answer.rows[0]
    assert row["thing"] == ox.NamedNode("urn:isbn:0451450523")
    assert row["count"] == ox.Literal("-42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert row["day"] == ox.Literal("2026-02-28", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert answer.records()[0] == {
        "text": "t", "thing": "urn:isbn:0451450523", "count": -42, "day": "2026-02-28", "flag": True,
        "mode": "b", "control": "https://w3id.org/aims-graph/iso42001/A.6.2.4"}


@pytest.mark.parametrize(("params", "error", "words"), [
    ({}, InputError, "needs parameter 'text'"),
    ({"text": "t", "colour": "red"}, InputError, "has no parameter 'colour'"),
    ({"text": "t", "thing": "https://e.example/a b"}, InputError, "not a valid IRI"),
    ({"text": "t", "thing": "https://e.example/a>b"}, InputError, "not a valid IRI"),
    ({"text": "t", "thing": "https://e.example/{x}"}, InputError, "not a valid IRI"),
    ({"text": "t", "thing": "relative/path"}, InputError, "not an absolute IRI"),
    ({"text": "t", "count": "12a"}, InputError, "not an integer"),
    ({"text": "t", "count": "1e3"}, InputError, "not an integer"),
    ({"text": "t", "day": "2026-02-30"}, InputError, "not a date"),
    ({"text": "t", "day": "30/01/2026"}, InputError, "not a date"),
    ({"text": "t", "flag": "maybe"}, InputError, "not a boolean"),
    ({"text": "t", "mode": "c"}, InputError, "not one of a, b"),
    ({"text": "t", "control": "A.99"}, NotFoundError, "no concept 'A.99' in iso42001"),
    ({"text": "t", "control": "euaiact:Article-9"}, InputError, "a iso42001 concept is needed"),
    ({"text": "t", "control": "https://w3id.org/aims-graph/eu-ai-act/Article-9"}, NotFoundError, "in iso42001"),
    ({"text": "t", "control": "https://w3id.org/aims-graph/iso42001/A 6"}, InputError, "not a valid IRI"),
])
def test_a_bad_value_is_refused_with_what_where_and_why(
        catalogue: Catalogue, memory: Store, params: dict[str, str], error: type, words: str) -> None:
    with pytest.raises(error) as caught:
        catalogue.run(memory, "echo", params)
    message = str(caught.value)
    assert words in message, message
    assert "echo" in message or error is NotFoundError and "control" in message


@pytest.mark.parametrize(("given", "iri"), [
    ("A.6.2.4", "iso42001/A.6.2.4"),
    ("iso42001:A.6.2.4", "iso42001/A.6.2.4"),
    (" A.6.2.4 ", "iso42001/A.6.2.4"),
    ("https://w3id.org/aims-graph/iso42001/A.6.2.4", "iso42001/A.6.2.4"),
    ("6.1.2", "iso42001/6.1.2"),
])
def test_a_control_can_be_given_as_notation_prefixed_notation_or_iri(
        catalogue: Catalogue, memory: Store, given: str, iri: str) -> None:
    answer = catalogue.run(memory, "echo", {"text": "t", "control": given})
    assert answer.column("control") == ["https://w3id.org/aims-graph/" + iri]


def test_a_notation_shared_by_two_schemes_is_ambiguous_and_the_message_says_how_to_choose(memory: Store) -> None:
    from aims_graph.named_queries import resolve_concept

    with pytest.raises(InputError) as caught:
        resolve_concept(memory, "6.1.2")
    assert "iso42001:6.1.2" in str(caught.value) and "iso27001:6.1.2" in str(caught.value)
    assert resolve_concept(memory, "Article 26").value == "https://w3id.org/aims-graph/eu-ai-act/Article-26"
    assert resolve_concept(memory, "euaiact:Article-26(1)").value.endswith("/Article-26-1")
    assert resolve_concept(memory, "GOVERN 1.1", "nist-ai-rmf").value.endswith("/nist-ai-rmf/GOVERN-1.1")


def test_values_go_into_the_outer_where_even_with_subqueries_and_tricky_strings() -> None:
    sparql = ('PREFIX x: <https://e.example/#WHERE{>\n'
              '# SELECT ?a WHERE { in a comment\n'
              'SELECT ?a WHERE { BIND("WHERE {" AS ?s) { SELECT ?a WHERE { ?a ?b ?c } } }')
    bound = bind(sparql, {"a": ox.NamedNode("https://e.example/a")})
    real_where = bound.index("\nSELECT ?a WHERE {") + len("\nSELECT ?a WHERE {")
    assert bound.index("VALUES (?a)") == real_where + 3
    assert bound.count("VALUES") == 1


def test_parameters_describe_themselves_as_json_schema() -> None:
    schemas = {p.name: param_json_schema(p) for p in get_query("serious-incident-deadlines").params}
    assert schemas == {"asOf": {"type": "string", "format": "date"}}
    onlyapplicable = get_query("uncovered-provider-obligations").params[0]
    assert param_json_schema(onlyapplicable) == {"type": "boolean", "default": False}
    control = get_query("control-dependents").params[0]
    assert param_json_schema(control)["type"] == "string"


def test_a_query_describes_itself_as_json_for_the_api() -> None:
    import json

    from aims_graph.named_queries import describe

    description = describe(get_query("serious-incident-deadlines"))
    assert json.loads(json.dumps(description)) == description
    assert description["name"] == "serious-incident-deadlines"
    assert description["parameters"] == [{
        "name": "asOf", "type": "date", "required": False, "default": None,
        "description": "The day against which unreported incidents are judged (default: today).",
        "schema": {"type": "string", "format": "date"}}]
