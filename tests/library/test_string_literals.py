"""One string escaper (``aims_graph.sparql.terms.quoted``) for everything the project writes as
text: SPARQL sent to the engine, N-Triples from spreadsheets and the generator, the compiled
reference Turtle.  Each writer's output is read back by a real parser and must give the
string it was handed, whatever characters it holds."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from aims_graph.knowledge.reference import ConceptRow, compile_table
from aims_graph.sparql.terms import Literal
from aims_graph.spreadsheet import ntriples as nt

AWKWARD = [
    'a "quoted" word',
    "back\\slash and \\n that is not a line break",
    "two\nlines",
    "carriage\rreturn",
    "windows\r\nline end",
    "tab\there",
    "ends with a backslash\\",
    '"""',
    "ünïcødé ✓",
]


@pytest.mark.parametrize("value", AWKWARD)
def test_an_n_triples_line_reads_back_as_written(value: str) -> None:
    line = nt.line(nt.iri("https://example.org/s"), nt.RDFS_LABEL, nt.text(value))
    [triple] = ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES)
    assert triple.object == ox.Literal(value)


@pytest.mark.parametrize("value", AWKWARD)
def test_a_literal_written_into_sparql_reads_back_as_written(value: str) -> None:
    store = ox.Store()
    [row] = store.query(f"SELECT ?v WHERE {{ BIND({Literal(value).sparql()} AS ?v) }}")
    assert row["v"] == ox.Literal(value)


@pytest.mark.parametrize("value", AWKWARD)
def test_a_compiled_reference_label_reads_back_as_written(value: str) -> None:
    row = ConceptRow(notation="A.1", kind="Clause", broader="", label=value, note=value, applies_from="",
                     source="", line=2)
    turtle = compile_table("iso42001", [row], "2023")
    labels = {t.predicate.value: t.object for t in ox.parse(turtle.encode(), format=ox.RdfFormat.TURTLE)}
    assert labels["http://www.w3.org/2004/02/skos/core#prefLabel"] == ox.Literal(value, language="en")
    assert labels["http://www.w3.org/2004/02/skos/core#scopeNote"] == ox.Literal(value, language="en")
