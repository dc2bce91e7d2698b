"""aims_graph.sparql: what an update writes and reads, every SERVICE and LOAD target,
whatever the spelling, and the refusals with their line and column."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyoxigraph as ox
import pytest

from aims_graph.sparql import ANY_GRAPH, DEFAULT, Limits, SparqlSyntaxError, parse

GRAPHS = "https://w3id.org/aims-graph/graph/"
REF = GRAPHS + "iso42001"
DATA = GRAPHS + "data"
LOOPBACK = "http://127.0.0.1:8000/update"


@pytest.mark.parametrize("update, writes", [
    (f"INSERT DATA {{ GRAPH <{DATA}> {{ <urn:a> <urn:b> <urn:c> }} }}", {DATA}),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", {DEFAULT}),
    (f"DELETE DATA {{ GRAPH <{REF}> {{ <urn:a> <urn:b> <urn:c> }} <urn:d> <urn:e> 1 }}", {REF, DEFAULT}),
    (f"DELETE WHERE {{ GRAPH <{REF}> {{ ?s ?p ?o }} }}", {REF}),
    (f"WITH <{REF}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}", {REF}),
    (f"WITH <{REF}> INSERT {{ GRAPH <{DATA}> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o }}", {DATA}),
    (f"INSERT {{ GRAPH <{DATA}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{REF}> {{ ?s ?p ?o }} }}", {DATA}),
    (f"INSERT {{ GRAPH <{DATA}> {{ ?s ?p ?o }} }} USING <{REF}> WHERE {{ ?s ?p ?o }}", {DATA}),
    ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }", {ANY_GRAPH}),
    (f"DROP GRAPH <{REF}>", {REF}),
    (f"DROP SILENT GRAPH <{REF}>", {REF}),
    (f"CLEAR GRAPH <{REF}>", {REF}),
    (f"CREATE GRAPH <{REF}>", {REF}),
    ("DROP ALL", {ANY_GRAPH}),
    ("CLEAR NAMED", {ANY_GRAPH}),
    ("CLEAR DEFAULT", {DEFAULT}),
    (f"COPY <{DATA}> TO <{REF}>", {REF}),
    (f"ADD <{REF}> TO <{DATA}>", {DATA}),
    (f"MOVE <{REF}> TO <{DATA}>", {REF, DATA}),
    (f"MOVE DEFAULT TO GRAPH <{DATA}>", {DEFAULT, DATA}),
    (f"COPY SILENT GRAPH <{DATA}> TO DEFAULT", {DEFAULT}),
    (f"LOAD <https://example.org/x.ttl> INTO GRAPH <{REF}>", {REF}),
    ("LOAD <https://example.org/x.ttl>", {DEFAULT}),
    (f"INSERT DATA {{ GRAPH <{DATA}> {{ <urn:a> <urn:b> 1 }} }} ; DROP GRAPH <{REF}>", {DATA, REF}),
])
def test_the_graphs_each_operation_writes(update: str, writes: set[str]) -> None:
    assert_engine_accepts(update)
    assert parse(update).writes == writes


def assert_engine_accepts(update: str) -> None:
    """The case is valid SPARQL for the engine too (it may fail later, on an empty store)."""
    if update.startswith("LOAD"):
        return  # running it would fetch the document
    try:
        ox.Store().update(update)
    except SyntaxError as error:
        raise AssertionError(f"not valid SPARQL: {error}") from error
    except (RuntimeError, OSError):
        pass  # e.g. "the graph does not exist": the syntax is fine


def test_each_operation_says_its_kind_reads_and_loads() -> None:
    request = parse(f"LOAD SILENT <https://example.org/x.ttl> ; MOVE <{REF}> TO DEFAULT ;"
                    f" WITH <{DATA}> DELETE {{ ?s ?p ?o }} USING NAMED <urn:u> WHERE {{ GRAPH <urn:r> {{ ?s ?p ?o }} }}")
    assert [(op.kind, op.reads) for op in request.operations] == [
        ("LOAD", frozenset()), ("MOVE", {REF}), ("MODIFY", {"urn:u", "urn:r"})]
    assert request.operations[0].loads == ("https://example.org/x.ttl",)
    assert request.remote_targets == ("https://example.org/x.ttl",)


@pytest.mark.parametrize("text", [
    "PREFIX ex:<http://x/> DROP ALL",
    "PREFIX ex:<http://x/>DROP ALL",
    "prefix ex: <http://x/> drop all",
    "# DROP hidden?\nDrOp\n# comment between tokens\nALL",
    r"\u0044ROP ALL",
    "DROP SILENT ALL",
    "CLEAR NAMED",
    r"PREFIX é: <http://x/> CLEAR ALL",
])
def test_a_drop_or_clear_of_every_graph_is_seen_whatever_the_spelling(text: str) -> None:
    assert parse(text).writes == {ANY_GRAPH}


@pytest.mark.parametrize("text", [
    # Prefixed names, with no whitespace, non-ASCII, declared twice.
    f"PREFIX é: <{GRAPHS}> INSERT DATA {{ GRAPH é:iso42001 {{ <urn:a> <urn:b> 1 }} }}",
    f"PREFIX g:<{GRAPHS}>INSERT DATA{{GRAPH g:iso42001{{<urn:a><urn:b>1}}}}",
    f"PREFIX g: <urn:x/> PREFIX g: <{GRAPHS}> DROP GRAPH g:iso42001",
    f"PREFIX g: <{GRAPHS}> CLEAR GRAPH g:iso42001",
    f"PREFIX g: <{GRAPHS}> MOVE g:iso42001 TO <urn:x>",
    f"PREFIX g: <{GRAPHS}> COPY <urn:x> TO g:iso42001",
    f"PREFIX g: <{GRAPHS}> ADD DEFAULT TO g:iso42001",
    f"PREFIX g: <{GRAPHS}> with g:iso42001 delete {{ ?s ?p ?o }} where {{ ?s ?p ?o }}",
    f"PREFIX g: <{GRAPHS}> insert {{ graph g:iso42001 {{ ?s ?p ?o }} }} using <urn:x> where {{ ?s ?p ?o }}",
    f"PREFIX g: <{GRAPHS}> DELETE WHERE {{ GRAPH g:iso42001 {{ ?s ?p ?o }} }}",
    f"PREFIX g: <{GRAPHS}> LOAD <urn:doc> INTO GRAPH g:iso42001",
    # BASE-relative IRIs, with dot segments.
    "BASE <https://w3id.org/aims-graph/graph/import/x/> INSERT DATA { GRAPH <../../iso42001> { <urn:a> <urn:b> 1 } }",
    f"BASE <{GRAPHS}> DROP GRAPH <iso42001>",
    f"BASE <{GRAPHS}data/> CLEAR GRAPH <./../iso42001>",
    # Codepoint escapes in the IRI, the keyword, the brackets.
    r"INSERT DATA { GRAPH <https://w3id.org/aims-graph/gr\u0061ph/iso42001> { <urn:a> <urn:b> 1 } }",
    r"\u0044ROP GRAPH \u003Chttps://w3id.org/aims-graph/graph/iso42001\u003E",
    r"DELETE DATA \U0000007B GRAPH <https://w3id.org/aims-graph/graph/iso42001> { <urn:a> <urn:b> 1 } }",
    # A brace, a keyword and a fake GRAPH in strings and comments.
    f'INSERT DATA {{ <urn:a> <urn:b> "}} GRAPH <urn:x> {{" . # }} \n GRAPH <{REF}> {{ <urn:a> <urn:b> 1 }} }}',
    f"INSERT DATA {{ GRAPH <{REF}> {{ <urn:a> <urn:b> '''multi\n}} }}\nline''' }} }}",
    # A later operation's prologue: each operation sees the declarations before it.
    (f"PREFIX g: <{GRAPHS}> INSERT DATA {{ GRAPH g:iso42001 {{ <urn:a> <urn:b> 1 }} }} ;"
     " PREFIX g: <urn:harmless/> INSERT DATA { GRAPH g:x { <urn:a> <urn:b> 1 } }"),
])
def test_a_write_to_a_reference_graph_is_seen_whatever_the_spelling(text: str) -> None:
    assert REF in parse(text).writes


@pytest.mark.parametrize("text", [
    f"SELECT * WHERE {{ SERVICE<{LOOPBACK}>{{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ SERVICE SILENT <{LOOPBACK}> {{ ?s ?p ?o }} }}",
    "PREFIX s:<http://127.0.0.1:8000/> SELECT * WHERE { SERVICE s:update { ?s ?p ?o } }",
    "BASE <http://127.0.0.1:8000/x/> SELECT * WHERE { SERVICE <../update> { ?s ?p ?o } }",
    r"SELECT * WHERE { \u0053ERVICE \u003Chttp://127.0.0.1:8000/update> { ?s ?p ?o } }",
    f"select * {{ service # between\n <{LOOPBACK}> {{ }} }}",
    f"SELECT * {{ OPTIONAL {{ SERVICE <{LOOPBACK}> {{ ?s ?p ?o }} }} }}",
    f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{LOOPBACK}> {{ ?s ?p ?o }} }} }}",
    f"SELECT * {{ ?s ?p ?o FILTER (NOT EXISTS {{ SERVICE <{LOOPBACK}> {{ }} }}) }}",
    f"SELECT * {{ {{ SELECT ?s {{ SERVICE <{LOOPBACK}> {{ ?s ?p ?o }} }} }} }}",
    f"SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{LOOPBACK}> {{ ?s ?p ?o }} }} }}",
    f"SELECT * {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{LOOPBACK}> {{ ?s ?p ?o }} }} }}",
    f"SELECT (EXISTS {{ SERVICE <{LOOPBACK}> {{ }} }} AS ?x) {{ }}",
    f"ASK {{ GRAPH ?g {{ SERVICE <{LOOPBACK}> {{ }} }} }}",
    f"INSERT {{ <urn:a> <urn:b> ?o }} WHERE {{ SERVICE <{LOOPBACK}> {{ ?s ?p ?o }} }}",
])
def test_every_service_target_is_found_whatever_the_spelling(text: str) -> None:
    assert LOOPBACK in parse(text).remote_targets


def test_a_service_variable_is_reported_as_a_variable() -> None:
    assert parse("SELECT * { BIND(<urn:x> AS ?e) SERVICE $e { } }").services == ("?e",)


@pytest.mark.parametrize("text", [
    "LOAD<http://127.0.0.1:8000/store?graph=x>",
    "load silent <http://127.0.0.1:8000/store?graph=x> into graph <urn:g>",
    "PREFIX l: <http://127.0.0.1:8000/> LOAD l:store",
    r"LOAD \u003Chttp://127.0.0.1:8000/store?graph=x>",
])
def test_every_load_source_is_found_whatever_the_spelling(text: str) -> None:
    assert any(target.startswith("http://127.0.0.1:8000/store") for target in parse(text).remote_targets)


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { <rel> ?p ?o }", "relative IRI <rel> with no BASE"),
    ("SELECT * WHERE { ex:a ?p ?o }", "prefix ex: is not declared"),
    ("SELECT * WHERE { ?s ?p ?o ", "expected"),
    ("SELEC * WHERE { }", "found 'SELEC'"),
    ("SELECT * WHERE { ?s ?p ?o } DROP ALL", "the end of the request"),
    ("INSERT DATA { GRAPH ?g { <urn:a> <urn:b> 1 } }", "takes no variables"),
    ("DELETE DATA { _:b <urn:b> 1 }", "takes no blank nodes"),
    ('INSERT DATA { GRAPH <urn:g> { "x" <urn:p> 1 } }', "a literal cannot be the subject"),
    ("SELECT (STR(1, 2) AS ?x) { }", "STR takes 1 arguments, not 2"),
    (r"SELECT * { <urn:\u00> ?p ?o }", "escape"),
    (r'SELECT ("\u005Cu0041" AS ?x) { }', "escape"),
    (r"SELECT * { <urn:\uD800> ?p ?o }", "not a Unicode character"),
    ("SELECT * { ?s ?p ?o FILTER(?s = <<( <urn:a> <urn:b> <urn:c> )>>) }", "expected"),
])
def test_refusals_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(SparqlSyntaxError, match="line 1, column") as refusal:
        parse(text)
    assert message in str(refusal.value)


def test_a_refusal_points_at_the_line_and_column() -> None:
    with pytest.raises(SparqlSyntaxError) as refusal:
        parse("SELECT *\nWHERE {\n  ?s ?p ?o .\n  FILTER(?s = )\n}")
    assert (refusal.value.line, refusal.value.column) == (4, 15)
    assert "expected an expression" in str(refusal.value)


def test_two_thousand_braces_are_refused_quickly_with_a_clear_message() -> None:
    text = "SELECT * WHERE " + "{" * 2000 + "}" * 2000
    started = time.monotonic()
    with pytest.raises(SparqlSyntaxError, match="nested deeper than 64 levels"):
        parse(text)
    assert time.monotonic() - started < 0.1


@pytest.mark.parametrize("opening, closing, inside", [
    ("{", "}", ""), ("{ OPTIONAL {", "}}", ""), ("(", ")", "1"), ("[ <urn:p>", "]", ""),
    ("( <urn:p> / ", ")", "<urn:q>"),
])
def test_the_deepest_allowed_nesting_of_each_bracket_is_read(opening: str, closing: str, inside: str) -> None:
    """No RecursionError at the limit, even called from a deep stack (a web server's)."""
    limit = 64
    if opening == "{":
        text = "SELECT * " + opening * limit + closing * limit
    elif opening.startswith("{ OPTIONAL"):
        text = "SELECT * " + opening * (limit // 2) + closing * (limit // 2)
    elif opening == "(":
        text = "SELECT * { FILTER" + opening * (limit - 1) + inside + closing * (limit - 1) + " }"
    elif opening.startswith("["):
        text = "SELECT * { ?s <urn:p> " + opening * (limit - 1) + " 1" + closing * (limit - 1) + " }"
    else:
        text = "SELECT * { ?s " + opening * (limit - 1) + inside + closing * (limit - 1) + " ?o }"
    request = _at_stack_depth(300, lambda: parse(text, Limits(max_depth=limit)))
    assert request.depth == limit
    ox.Store().query(request.text)  # the engine reads it too


def _at_stack_depth(frames: int, call):  # type: ignore[no-untyped-def]
    return call() if frames == 0 else _at_stack_depth(frames - 1, call)


def test_a_text_over_the_size_limit_is_refused_before_reading() -> None:
    with pytest.raises(SparqlSyntaxError, match="at most 1,000 are read"):
        parse("SELECT * { " + "?s ?p ?o . " * 100 + "}", Limits(max_bytes=1000))


def _cpu_seconds(action: Callable[[], object]) -> float:
    """The least CPU time of three runs: CPU, not wall time, so that other processes on the
    machine (the suite runs on several) do not count."""
    times = []
    for _ in range(3):
        started = time.process_time()
        action()
        times.append(time.process_time() - started)
    return max(min(times), 1e-4)


def _insert_data(rows: int) -> str:
    body = "\n".join(f'<urn:s{i}> <urn:p> "value {i}" , {i} .' for i in range(rows))
    return f"INSERT DATA {{ GRAPH <{DATA}> {{\n{body}\n}} }}"


def test_reading_is_linear_in_the_size_of_the_text() -> None:
    # Ten times the text may cost about ten times the work, never a hundred (quadratic).
    small, large = _insert_data(600), _insert_data(6000)
    assert len(large) > 200_000 and parse(large).writes == {DATA}
    ratio = _cpu_seconds(lambda: parse(large)) / _cpu_seconds(lambda: parse(small))
    assert ratio < 30, f"ten times the text took {ratio:.0f} times the work"


def test_a_long_malformed_update_is_refused_in_linear_time() -> None:
    def refuse(names: int) -> Callable[[], object]:
        update = "LOAD " + " ".join(f"<urn:x{i}>" for i in range(names))

        def run() -> None:
            with pytest.raises(SparqlSyntaxError):
                parse(update)

        return run

    ratio = _cpu_seconds(refuse(100_000)) / _cpu_seconds(refuse(10_000))
    assert ratio < 30, f"ten times the text took {ratio:.0f} times the work to refuse"
