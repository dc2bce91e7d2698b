"""Inputs whose cost is out of proportion to their size are refused before they are parsed.

Each case reproduces a defect of issue 14 at a size that the old code survived (so the
test fails on it by accepting, or answering 500, rather than by exhausting the machine);
the full-size reproductions run in tests/reliability (bad-input corpus, memory ceiling).
"""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from aims_graph.rdf.input_guard import MAX_CONTEXT_TERMS, MAX_JSON_DEPTH, MAX_XML_DEPTH
from aims_graph.spreadsheet.reading import MAX_COLUMNS, MAX_CSV_LINE, MAX_ROWS
from aims_graph.api.settings import Settings
from tests.api.conftest import Tokens, app_client
from tests.reliability.corpus import (
    deeply_nested_rdfxml,
    jsonld_context_bomb,
    long_iri_turtle,
    long_value_query,
    wide_workbook,
)

GRAPH = "https://example.org/graph/limits"
JSONLD, RDFXML, TURTLE = "application/ld+json", "application/rdf+xml", "text/turtle"
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _write(client: TestClient, tokens: Tokens, body: bytes, media: str, road: str):
    method, path = ("PUT", "/store") if road == "store" else ("POST", "/import")
    return client.request(method, path, params={"graph": GRAPH}, content=body,
                          headers={**tokens.header("editor"), "Content-Type": media})


def _assert_refused(response, status: int, *words: str) -> str:
    assert response.status_code == status, response.text[:500]
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, f"{word!r} not in {detail!r}"
    return detail


def _graph_is_empty(client: TestClient) -> bool:
    answer = client.get("/sparql", params={"query": f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"},
                        headers={"Accept": "application/sparql-results+json"})
    return answer.json()["boolean"] is False


# --- JSON-LD ---------------------------------------------------------------------------

@pytest.mark.parametrize("road", ["store", "import"])
def test_nested_contexts_are_refused_by_their_expansion_work(client: TestClient, tokens: Tokens, road: str) -> None:
    # 40 levels of 500 terms: 20,000 terms, 410,000 active term copies (old code: 260 MB, accepted).
    body = jsonld_context_bomb(levels=40, terms=500)
    _assert_refused(_write(client, tokens, body, JSONLD, road), 400, "@context", "active term definitions")
    assert _graph_is_empty(client)


def test_too_many_context_terms_are_refused(client: TestClient, tokens: Tokens) -> None:
    body = jsonld_context_bomb(levels=1, terms=MAX_CONTEXT_TERMS + 1)
    _assert_refused(_write(client, tokens, body, JSONLD, "import"), 400, f"{MAX_CONTEXT_TERMS:,} terms")


def test_the_reproduced_context_bomb_is_refused_at_once(client: TestClient, tokens: Tokens) -> None:
    began = time.monotonic()
    response = _write(client, tokens, jsonld_context_bomb(), JSONLD, "import")
    _assert_refused(response, 400, "@context")
    assert time.monotonic() - began < 10


def test_deep_jsonld_is_refused_and_honest_contexts_pass(client: TestClient, tokens: Tokens) -> None:
    deep = b'{"https://example.org/p": ' * (MAX_JSON_DEPTH + 1) + b'"x"' + b"}" * (MAX_JSON_DEPTH + 1)
    _assert_refused(_write(client, tokens, deep, JSONLD, "import"), 400, f"{MAX_JSON_DEPTH} levels")
    honest = (b'{"@context": {"ex": "https://example.org/", "name": "ex:name"}, "@graph": ['
              + b",".join(b'{"@id": "ex:s%d", "name": "system %d"}' % (n, n) for n in range(200)) + b"]}")
    response = _write(client, tokens, honest, JSONLD, "import")
    assert response.status_code == 200, response.text
    assert response.json()["quads"] == 200
    client.delete("/store", params={"graph": GRAPH}, headers=tokens.header("editor"))


def test_json_that_is_not_json_is_refused_clearly(client: TestClient, tokens: Tokens) -> None:
    _assert_refused(_write(client, tokens, b'{"@id": "https://example.org/s", ', JSONLD, "import"),
                    400, "not valid JSON")


# --- RDF/XML ---------------------------------------------------------------------------

@pytest.mark.parametrize("road", ["store", "import"])
def test_deep_rdfxml_is_refused_by_a_tokeniser_pass(client: TestClient, tokens: Tokens, road: str) -> None:
    # 4,000 levels: the old code parsed it (0.3 s) and stored it.
    response = _write(client, tokens, deeply_nested_rdfxml(4_000), RDFXML, road)
    _assert_refused(response, 400, f"more than {MAX_XML_DEPTH} elements deep")
    assert _graph_is_empty(client)


def test_the_reproduced_deep_rdfxml_is_refused_at_once(client: TestClient, tokens: Tokens) -> None:
    began = time.monotonic()
    _assert_refused(_write(client, tokens, deeply_nested_rdfxml(), RDFXML, "import"), 400, "elements deep")
    assert time.monotonic() - began < 5


_ENTITY_DOCUMENTS = {
    "internal": '<!DOCTYPE rdf:RDF [<!ENTITY a "aaaa">]>',
    "parameter": '<!DOCTYPE rdf:RDF [<!ENTITY % p "x">]>',
    "line-breaks": '<!DOCTYPE rdf:RDF [\n<!ENTITY\n\ta\n"aaaa"\n>\n]>',
    "external": '<!DOCTYPE rdf:RDF [<!ENTITY a SYSTEM "file:///etc/passwd">]>',
    "unparsed": '<!DOCTYPE rdf:RDF [<!NOTATION n SYSTEM "x"><!ENTITY a SYSTEM "x" NDATA n>]>',
}


@pytest.mark.parametrize("name", sorted(_ENTITY_DOCUMENTS))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_declarations_are_refused_in_every_spelling(client: TestClient, tokens: Tokens,
                                                           name: str, encoding: str) -> None:
    document = (f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n{_ENTITY_DOCUMENTS[name]}\n'
                f'<rdf:RDF xmlns:rdf="{RDF_NS}"><rdf:Description rdf:about="https://example.org/s">'
                '<ex:p xmlns:ex="https://example.org/">x</ex:p></rdf:Description></rdf:RDF>')
    response = _write(client, tokens, document.encode(encoding), RDFXML, "import")
    _assert_refused(response, 400, "entity declaration")


# --- values over the parsers' buffer ---------------------------------------------------

@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/tab-separated-values"])
def test_an_answer_value_over_16_mib_is_413_not_500(client: TestClient, accept: str) -> None:
    # The row count of a long answer is taken with pyoxigraph's parser, which refuses a
    # single value above its 16 MiB buffer with MemoryError: that used to be a 500.
    response = client.post("/sparql", data={"query": long_value_query()}, headers={"Accept": accept})
    _assert_refused(response, 413, "single value", "SUBSTR")
    assert response.json()["error"] == "result too large"


def test_a_csv_answer_with_a_16_mib_value_is_answered_whole(client: TestClient) -> None:
    # CSV rows are counted without a per-value limit (csv.reader's 128 KiB made this a 500).
    response = client.post("/sparql", data={"query": long_value_query()}, headers={"Accept": "text/csv"})
    assert response.status_code == 200, response.text[:300]
    assert response.content.count(b"x") == 2 ** 24


def test_a_30_mb_iri_in_turtle_is_refused_clearly(client: TestClient, tokens: Tokens) -> None:
    response = _write(client, tokens, long_iri_turtle(), TURTLE, "store")
    assert response.status_code in (400, 413), response.text[:300]
    assert "longer than the parser accepts" in response.json()["detail"]
    assert _graph_is_empty(client)


# --- spreadsheets ----------------------------------------------------------------------

def _upload(client: TestClient, tokens: Tokens, data: bytes, name: str):
    return client.post("/import", files={"file": (name, data)}, headers=tokens.header("editor"))


def test_a_value_far_right_is_refused_at_its_row(client: TestClient, tokens: Tokens) -> None:
    # 300 rows with a value at XFD: the old reader made 4.9 million cells of them.
    response = _upload(client, tokens, wide_workbook(rows=300), "systems.xlsx")
    _assert_refused(response, 400, "sheet 'systems'", "row 1", "column XFD", f"{MAX_COLUMNS} columns")


def test_rows_past_the_limit_are_refused(client: TestClient, tokens: Tokens) -> None:
    response = _upload(client, tokens, wide_workbook(rows=MAX_ROWS + 1, column=1), "systems.xlsx")
    _assert_refused(response, 400, "sheet 'systems'", f"row {MAX_ROWS + 1}", f"{MAX_ROWS:,} rows")


def test_a_csv_line_past_the_limit_is_refused(client: TestClient, tokens: Tokens) -> None:
    data = b"name,owner\n" + b"," * (MAX_CSV_LINE + 1) + b"\n"
    response = _upload(client, tokens, data, "inventory.csv")
    _assert_refused(response, 400, "line 2", f"{MAX_CSV_LINE:,}")


# --- quads per write ---------------------------------------------------------------------

@pytest.mark.parametrize("road", ["store", "import"])
@pytest.mark.parametrize("media, body", [
    (TURTLE, "".join(f"<urn:s{i}> <urn:p> {i} .\n" for i in range(101)).encode()),
    ("application/n-quads", "".join(f"<urn:s{i}> <urn:p> \"{i}\" <{GRAPH}> .\n" for i in range(101)).encode()),
    (JSONLD, ("[" + ",".join(f'{{"@id": "urn:s{i}", "urn:p": {i}}}' for i in range(101)) + "]").encode()),
])
def test_a_body_over_the_quad_limit_is_413_and_writes_nothing(settings: Settings, tokens: Tokens, road: str,
                                                                media: str, body: bytes) -> None:
    """The memory of a write is bounded by its quads, counted in one streaming pass first."""
    if road == "store" and media == "application/n-quads":
        return  # a Graph Store body holds one graph's triples: N-Quads is not offered there
    with app_client(settings, max_quads_per_write=100) as small:
        response = _write(small, tokens, body, media, road)
        _assert_refused(response, 413, "more than 100 quads in one write", "AIMS_GRAPH_MAX_QUADS")
        assert _graph_is_empty(small)
        exactly = b"".join(body.splitlines(keepends=True)[:100]) if media != JSONLD else None
        if exactly is not None:
            accepted = _write(small, tokens, exactly, media, road)
            assert accepted.status_code in (200, 201, 204), accepted.text[:300]
