"""``reason`` starts HermiT itself, asking only for the class and individual taxonomy: its
answers on the example organisation equal those of owlready2's own route (``sync_reasoner``
over a loaded World, which also classifies every property), the route it replaced."""

from __future__ import annotations

import tempfile
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from aims_graph.paths import EXAMPLES_DIR
from aims_graph.knowledge.reasoning import CORE_FILES, ReasonerFailedError, Taxonomy, reason


def owlready2_route(files: list[Path]) -> tuple[list[str], dict[str, list[str]]]:
    """Unsatisfiable classes and inferred types as owlready2 computes them: the merged
    files loaded into a fresh World, ``sync_reasoner`` (HermiT with -c -O -D -I), and each
    individual's ``INDIRECT_is_a`` minus its types under the told subclass hierarchy."""
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    graph.remove((None, OWL.imports, None))
    meta = (str(OWL), str(RDF), str(RDFS))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "input.nt"
        graph.serialize(destination=source, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(source.as_uri()).load()
            with world.get_ontology("https://w3id.org/aims-graph/reasoning/inferred"):
                owlready2.sync_reasoner(world, debug=0, ignore_unsupported_datatypes=True)
            unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != str(OWL.Nothing))
            inferred: dict[str, list[str]] = {}
            for node in sorted(n for n in graph.all_nodes() if isinstance(n, URIRef)):
                individual = world[str(node)]
                if not isinstance(individual, owlready2.Thing):
                    continue
                told = {str(c) for t in graph.objects(node, RDF.type)
                        for c in graph.transitive_objects(t, RDFS.subClassOf)}
                classes = {c.iri for c in individual.INDIRECT_is_a
                           if isinstance(c, owlready2.ThingClass) and not c.iri.startswith(meta)}
                if classes - told:
                    inferred[individual.iri] = sorted(classes - told)
        finally:
            world.close()
    return unsatisfiable, inferred


def test_the_direct_route_answers_as_owlready2_did_on_the_example() -> None:
    files = sorted((EXAMPLES_DIR / "organisation").glob("*.ttl"))
    unsatisfiable, inferred = owlready2_route([*CORE_FILES, *files])
    report = reason(files)
    assert report.consistent
    assert inferred, "the example organisation has inferred types to compare"
    assert report.unsatisfiable_classes == unsatisfiable
    assert report.inferred_types == inferred


def test_the_taxonomy_follows_equivalences_and_reads_unsatisfiable_classes() -> None:
    taxonomy = Taxonomy.read(
        "SubClassOf( <https://e/A> <https://e/B> )\n"
        "EquivalentClasses( <https://e/B> <https://e/C> )\n"
        "SubClassOf( <https://e/C> <https://e/D> )\n"
        "EquivalentClasses( <http://www.w3.org/2002/07/owl#Nothing> <https://e/X> )\n"
        "Type( <https://e/i> <https://e/A> )\n")
    assert taxonomy.ancestors("https://e/A") == {f"https://e/{c}" for c in "ABCD"}
    assert taxonomy.unsatisfiable() == {"https://e/X"}
    assert taxonomy.types == {"https://e/i": {"https://e/A"}}


@pytest.mark.parametrize("line", [
    "Exception in thread main",
    "SubClassOf( <https://e/A> https://e/B )",
    "SubClassOf( <https://e/A> <https://e/B> ",
    "SubClassOf( <https://e/A> <https://e/B> <https://e/C> )",
    "SubObjectPropertyOf( <https://e/p> <https://e/q> )",
    "Type( <https://e/a><https://e/b> )",
])
def test_output_the_reader_does_not_know_is_an_error_not_a_wrong_answer(line: str) -> None:
    with pytest.raises(ReasonerFailedError, match="line 2"):
        Taxonomy.read(f"SubClassOf( <https://e/A> <https://e/B> )\n{line}\n")
