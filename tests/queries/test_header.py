"""The header grammar: what it accepts, and that every mistake names file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from aims_graph.errors import InputError
from aims_graph.named_queries import Catalogue, ParamType, parse_query_text

BODY = "SELECT ?s WHERE { ?s ?p ?o }\n"
PATH = Path("example.rq")


def header(*lines: str) -> str:
    return "\n".join(lines) + "\n" + BODY


def test_a_full_header_is_read_with_typed_parameters() -> None:
    query = parse_query_text(header(
        "#+ name: example",
        "#+ summary: One line.",
        "#+ description: Longer.",
        "#+ tags: [a, b-c]",
        "# an ordinary comment between decorators",
        "#+ param: s (iri, required) The subject.",
        '#+ param: mode (enum(x|y, z), optional, default "y") A mode, with (brackets).',
        "#+ param: n (integer, optional) A count.",
        "#+ param: c (concept(iso42001), required) A control.",
    ), PATH)
    assert (query.name, query.summary, query.description, query.tags) == ("example", "One line.", "Longer.", ("a", "b-c"))
    s, mode, n, c = query.params
    assert (s.name, s.type, s.required, s.default, s.description) == ("s", ParamType("iri"), True, None, "The subject.")
    assert mode.type == ParamType("enum", choices=("x", "y", "z"))
    assert (mode.required, mode.default, mode.description) == (False, "y", "A mode, with (brackets).")
    assert (n.type.kind, n.required, n.default) == ("integer", False, None)
    assert c.type == ParamType("concept", scheme="iso42001") and str(c.type) == "concept(iso42001)"
    assert query.sparql == BODY


@pytest.mark.parametrize(("lines", "line", "reason"), [
    (["#+ summary: s"], 1, "no '#+ name:'"),
    (["#+ name: x"], 1, "no '#+ summary:'"),
    (["#+ name: x", "#+ summary: s", "#+ colour: red"], 3, "unknown decorator 'colour'"),
    (["#+ name: x", "#+ summary: s", "#+ name: y"], 3, "given twice"),
    (["#+ name: Bad_Name", "#+ summary: s"], 1, "lower-case words"),
    (["#+ name: x", "#+ summary: s", "#+ tags: a, b"], 3, "in brackets"),
    (["#+ name: x", "#+ summary: s", "#+ summary"], 3, "expected '#+ key: value'"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (uri, required) d"], 3, "unknown type 'uri'"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (iri) d"], 3, "'required' or 'optional'"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (iri, mandatory) d"], 3, "got 'mandatory'"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (iri, required, default \"a\") d"], 3, "cannot have a default"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (iri, required d"], 3, "unclosed '('"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (iri, required)"], 3, "add a description"),
    (["#+ name: x", "#+ summary: s", "#+ param: 1s (iri, required) d"], 3, "not a SPARQL variable name"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (enum(), required) d"], 3, "at least one value"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (iri, required) d", "#+ param: s (iri, required) d"], 4, "declared twice"),
    (["#+ name: x", "#+ summary: s", "#+ param: s (iri, optional, colour red) d"], 3, "unknown option"),
])
def test_a_malformed_header_names_file_line_and_reason(lines: list[str], line: int, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_query_text(header(*lines), PATH)
    message = str(caught.value)
    assert message.startswith(f"example.rq:{line}:"), message
    assert reason in message, message


def test_a_header_without_a_body_is_refused() -> None:
    with pytest.raises(InputError, match="no SPARQL body"):
        parse_query_text("#+ name: x\n#+ summary: s\n", PATH)


@pytest.mark.parametrize(("text", "reason"), [
    ("#+ name: other\n#+ summary: s\n" + BODY, "differs from the file name"),
    ("#+ name: bad\n#+ summary: s\nASK { ?s ?p ?o }\n", "must be a SELECT"),
    ("#+ name: bad\n#+ summary: s\n#+ param: x (iri, required) d\n" + BODY, "not used as ?x"),
    ("#+ name: bad\n#+ summary: s\n#+ param: o (integer, optional, default ten) d\n" + BODY, "default of parameter 'o'"),
    ("#+ name: bad\n#+ summary: s\nSELECT ?s WHERE { ?s ?p }\n", "SPARQL syntax error"),
])
def test_a_query_file_whose_body_does_not_fit_its_header_stops_the_catalogue(
        tmp_path: Path, text: str, reason: str) -> None:
    (tmp_path / "bad.rq").write_text(text)
    with pytest.raises(InputError) as caught:
        Catalogue(tmp_path)
    assert str(tmp_path / "bad.rq") in str(caught.value) and reason in str(caught.value)


def test_the_shipped_catalogue_loads_and_documents_every_parameter() -> None:
    from aims_graph.named_queries import list_queries

    queries = list_queries()
    assert len(queries) >= 14
    for query in queries:
        assert query.summary.endswith(".") and query.tags, query.name
        for param in query.params:
            assert param.description, (query.name, param.name)


def test_every_query_is_documented_with_its_parameters() -> None:
    from aims_graph.named_queries import list_queries
    from aims_graph.paths import PROJECT_ROOT

    docs = (PROJECT_ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for query in list_queries():
        assert f"### `{query.name}`" in docs, query.name
        assert f"/queries/{query.name}" in docs, query.name
        for param in query.params:
            assert f"| `{param.name}` | `{param.type}` |" in docs, (query.name, param.name)
