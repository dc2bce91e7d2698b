"""The two versions of the AI Act (2024 text; as amended by Regulation (EU) 2026/1744) and the
dates each provision applies from in each, checked against docs/research/eu-ai-act-amendments.md.

Each expected value names the row of the research table it comes from, so a lawyer can check
the test against the sources rather than against the data.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS, XSD

from aims_graph.knowledge import reference
from aims_graph.paths import REFERENCE_DIR

AIMS = Namespace("https://w3id.org/aims-graph/ontology#")
EU = "https://w3id.org/aims-graph/eu-ai-act/"
V2024 = URIRef(EU + "version/2024-1689")
V2026 = URIRef(EU + "version/2026-1744")
AMENDING_ACT = URIRef("http://data.europa.eu/eli/reg/2026/1744/oj")
ELI = Namespace("http://data.europa.eu/eli/ontology#")


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for name in ("eu-ai-act.ttl", "eu-ai-act.meta.ttl", "eu-ai-act-versions.ttl"):
        g.parse(REFERENCE_DIR / name, format="turtle")
    return g


def concept(notation: str) -> URIRef:
    return URIRef(reference.concept_iri("eu-ai-act", notation))


def versions_of(graph: Graph, notation: str) -> set[URIRef]:
    return set(graph.objects(concept(notation), AIMS.inVersion))


def version_in_force(graph: Graph, on: date) -> URIRef | None:
    for version in graph.subjects(RDF.type, AIMS.LegalActVersion):
        start = graph.value(version, AIMS.inForceFrom).toPython()
        end = graph.value(version, AIMS.inForceUntil)
        if start <= on and (end is None or on <= end.toPython()):
            return version
    return None


def _dated(graph: Graph, node: URIRef, version: URIRef, category: str | None, route_only: bool) -> date | None:
    for pv in graph.subjects(AIMS.versionOf, node):
        if (pv, AIMS.inVersion, version) not in graph or (pv, AIMS.forSystemsPlacedBefore, None) in graph:
            continue
        restricted = graph.value(pv, AIMS.appliesToCategory)
        if route_only and restricted is None:
            continue
        if restricted is not None and restricted != AIMS[category or ""]:
            continue
        applies = graph.value(pv, AIMS.appliesFrom)
        if applies is not None:
            return applies.toPython()
    return None


def applies_from(graph: Graph, notation: str, on: date, category: str | None = None) -> date | None:
    """The date a provision applies from, read in the version in force on a date, for a system of
    one risk category (the rule of ontology/reference/README.md, 'Versions of the AI Act'):
    its own provision version; else the route-dated provision version of the nearest broader
    provision; else the concept's own date. None when the provision is not in that version."""
    version = version_in_force(graph, on)
    node = concept(notation)
    if version is None or (node, AIMS.inVersion, version) not in graph:
        return None
    own = _dated(graph, node, version, category, route_only=False)
    if own is not None:
        return own
    ancestor = graph.value(node, SKOS.broader)
    while ancestor is not None:
        routed = _dated(graph, ancestor, version, category, route_only=True)
        if routed is not None:
            return routed
        ancestor = graph.value(ancestor, SKOS.broader)
    return graph.value(node, AIMS.appliesFrom).toPython()


def test_both_versions_have_eli_entry_into_force_and_source(graph):
    # Research table A9, A10, A11, A14, A16.
    expected = {
        V2024: (URIRef("http://data.europa.eu/eli/reg/2024/1689/oj"), date(2024, 8, 1), date(2026, 7, 26)),
        V2026: (URIRef("http://data.europa.eu/eli/reg/2024/1689/2026-07-27"), date(2026, 7, 27), None),
    }
    assert set(graph.subjects(RDF.type, AIMS.LegalActVersion)) == set(expected)
    for version, (eli, start, end) in expected.items():
        assert graph.value(version, AIMS.eli) == eli
        assert graph.value(version, AIMS.inForceFrom) == Literal(start, datatype=XSD.date)
        until = graph.value(version, AIMS.inForceUntil)
        assert (until.toPython() if until is not None else None) == end
        assert graph.value(version, DCTERMS.source) is not None
        assert graph.value(version, DCTERMS.isVersionOf) == URIRef("https://w3id.org/aims-graph/eu-ai-act")
    assert graph.value(V2026, AIMS.amendedBy) == AMENDING_ACT
    assert graph.value(V2026, AIMS.previousVersion) == V2024


def test_the_amending_act_is_described_as_published(graph):
    # Research table A1, A2, A8, A9, A10.
    assert str(graph.value(AMENDING_ACT, DCTERMS.identifier)) == "Regulation (EU) 2026/1744"
    assert str(graph.value(AMENDING_ACT, DCTERMS.title)).endswith(
        "as regards the simplification of the implementation of harmonised rules on artificial intelligence"
        " (Digital Omnibus on AI)")
    dates = {p: graph.value(AMENDING_ACT, p).toPython() for p in
             (ELI.date_document, ELI.date_publication, ELI.first_date_entry_into_force)}
    assert dates == {ELI.date_document: date(2026, 7, 8), ELI.date_publication: date(2026, 7, 24),
                     ELI.first_date_entry_into_force: date(2026, 7, 27)}


INSERTED = ["Article 4a", "Article 5(1)(ba)", "Article 5(1)(bb)", "Article 5(1a)", "Article 5(1b)",
            "Article 6(1a)", "Article 6(1b)", "Article 6(1c)", "Article 60a", "Article 75a", "Article 75b",
            "Article 75c", "Article 75d", "Article 111(4)", "Annex I Section B point 21", "Annex XIV"]


@pytest.mark.parametrize("notation", INSERTED)
def test_inserted_provisions_are_new_concepts_of_the_amended_version_only(graph, notation):
    # Research table B4-B41: inserted by Article 1 of Regulation (EU) 2026/1744.
    assert versions_of(graph, notation) == {V2026}
    assert str(graph.value(concept(notation), SKOS.notation)) == notation
    assert "2026/1744" in str(graph.value(concept(notation), AIMS.version))


def test_every_concept_is_in_a_version_and_only_the_deleted_point_left_the_act(graph):
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert all(versions_of(graph, str(graph.value(c, SKOS.notation))) for c in concepts)
    only_2024 = {str(graph.value(c, SKOS.notation)) for c in concepts
                 if set(graph.objects(c, AIMS.inVersion)) == {V2024}}
    assert only_2024 == {"Annex I Section A point 1"}  # research table B38


def test_machinery_moves_from_annex_i_section_a_to_section_b(graph):
    # Research table B38, B39: Section A point 1 (Directive 2006/42/EC) deleted; Section B point 21
    # (Regulation (EU) 2023/1230) added.
    def points(section: str, version: URIRef) -> list[str]:
        return sorted((str(graph.value(c, SKOS.notation)) for c in graph.subjects(SKOS.broader, concept(section))
                       if (c, AIMS.inVersion, version) in graph), key=lambda n: int(n.rsplit(" ", 1)[1]))
    assert points("Annex I Section A", V2024) == [f"Annex I Section A point {n}" for n in range(1, 13)]
    assert points("Annex I Section A", V2026) == [f"Annex I Section A point {n}" for n in range(2, 13)]
    assert points("Annex I Section B", V2026) == [f"Annex I Section B point {n}" for n in range(13, 22)]
    assert "2023/1230" in str(graph.value(concept("Annex I Section B point 21"), SKOS.prefLabel))


def test_article_2_2_lists_what_applies_to_section_b_systems_in_each_version(graph):
    # Research table B2: 2024: Art. 6(1), 102-109, 112; as amended: Art. 6(1), 60a, 102-112.
    def listed(version: URIRef) -> set[URIRef]:
        pv = URIRef(f"{concept('Article 2(2)')}/version/{version.rsplit('/', 1)[1]}")
        assert (pv, AIMS.inVersion, version) in graph
        return set(graph.objects(pv, AIMS.limitsApplicationTo))
    assert listed(V2024) == {concept(n) for n in ["Article 6(1)", "Article 112"]
                             + [f"Article {i}" for i in range(102, 110)]}
    assert listed(V2026) == {concept(n) for n in ["Article 6(1)", "Article 60a"]
                             + [f"Article {i}" for i in range(102, 113)]}


# (provision, risk category, date asked, expected date of application, research table row)
AS_OF = [
    ("Article 9", "HighRiskAnnexIII", date(2026, 7, 1), date(2026, 8, 2), "2024 text in force: C4, 2024 value"),
    ("Article 9", "HighRiskAnnexIII", date(2026, 9, 1), date(2027, 12, 2), "C4"),
    ("Article 9", "HighRiskAnnexI", date(2026, 9, 1), date(2028, 8, 2), "C5"),
    ("Article 9", "HighRiskAnnexI", date(2026, 7, 1), date(2027, 8, 2), "C5, 2024 value"),
    ("Article 26(1)", "HighRiskAnnexIII", date(2028, 1, 1), date(2027, 12, 2), "C4"),
    ("Article 26(1)", "HighRiskAnnexI", date(2028, 1, 1), date(2028, 8, 2), "C5"),
    ("Article 6(3)", "HighRiskAnnexIII", date(2027, 12, 2), date(2027, 12, 2), "C4, B14"),
    ("Article 6(1)", "HighRiskAnnexI", date(2026, 7, 1), date(2027, 8, 2), "C5, 2024 value"),
    ("Article 6(1)", "HighRiskAnnexI", date(2027, 1, 1), date(2028, 8, 2), "C5"),
    ("Article 6(5)", None, date(2027, 1, 1), date(2026, 8, 2), "C6"),
    ("Article 5(1)(ba)", None, date(2026, 9, 1), date(2026, 12, 2), "C3"),
    ("Article 5(1)(bb)", None, date(2026, 12, 2), date(2026, 12, 2), "C3"),
    ("Article 5(1)(a)", None, date(2026, 9, 1), date(2025, 2, 2), "C2"),
    ("Article 4", None, date(2026, 7, 1), date(2025, 2, 2), "B7, 2024 wording"),
    ("Article 4", None, date(2026, 9, 1), date(2026, 7, 27), "B7, C15"),
    ("Article 50(1)", None, date(2026, 9, 1), date(2026, 8, 2), "C9"),
    ("Article 50(2)", None, date(2026, 9, 1), date(2026, 8, 2), "C9"),
    ("Article 43", None, date(2027, 1, 1), date(2026, 8, 2), "C9 (Section 5 not deferred)"),
    ("Article 57", None, date(2027, 1, 1), date(2026, 8, 2), "C1; sandbox deadline C11"),
    ("Annex I Section B point 21", "HighRiskAnnexI", date(2026, 9, 1), date(2028, 8, 2), "B39, C5"),
]


@pytest.mark.parametrize(("notation", "category", "on", "expected", "row"), AS_OF)
def test_date_of_application_in_the_version_in_force(graph, notation, category, on, expected, row):
    assert applies_from(graph, notation, on, category) == expected, row


@pytest.mark.parametrize(("notation", "on"), [
    ("Article 5(1)(ba)", date(2026, 7, 1)),          # not yet in the act (C3, A10)
    ("Article 60a", date(2025, 1, 1)),
    ("Annex I Section A point 1", date(2026, 9, 1)),  # deleted (B38)
    ("Article 9", date(2024, 7, 31)),                # before the act entered into force
])
def test_a_provision_outside_the_version_in_force_has_no_date(graph, notation, on):
    assert applies_from(graph, notation, on, "HighRiskAnnexI") is None


def test_article_50_2_grace_period_for_systems_already_on_the_market(graph):
    # Research table B36, C10: Article 111(4) as added.
    pv = URIRef(f"{concept('Article 50(2)')}/version/2026-1744/placed-before-2026-08-02")
    assert graph.value(pv, AIMS.versionOf) == concept("Article 50(2)")
    assert graph.value(pv, AIMS.forSystemsPlacedBefore).toPython() == date(2026, 8, 2)
    assert graph.value(pv, AIMS.appliesFrom).toPython() == date(2026, 12, 2)
    assert graph.value(pv, AIMS.amendedBy) == AMENDING_ACT


def test_amended_provisions_keep_their_iri_and_both_wordings(graph):
    # Research table B7: Article 4 replaced; the 2024 wording stays queryable.
    pvs = {graph.value(pv, AIMS.inVersion): pv for pv in graph.subjects(AIMS.versionOf, concept("Article 4"))}
    assert set(pvs) == {V2024, V2026}
    assert "2024/1689/oj/" in str(graph.value(pvs[V2024], DCTERMS.source))
    assert "2024/1689/2026-07-27/" in str(graph.value(pvs[V2026], DCTERMS.source))
    assert graph.value(pvs[V2026], AIMS.amendedBy) == AMENDING_ACT
    assert (pvs[V2024], AIMS.amendedBy, None) not in graph
    assert versions_of(graph, "Article 4") == {V2024, V2026}


def test_changed_titles_are_carried_on_the_new_version_only(graph):
    for notation in ("Article 75", "Article 77"):
        pvs = {graph.value(pv, AIMS.inVersion): pv for pv in graph.subjects(AIMS.versionOf, concept(notation))}
        old = graph.value(concept(notation), SKOS.prefLabel)
        assert graph.value(pvs[V2024], SKOS.prefLabel) is None
        assert graph.value(pvs[V2026], SKOS.prefLabel) not in (None, old)


def test_article_49_is_not_amended_but_annex_viii_is(graph):
    # Research table B22 and D: the brief's "Article 49(2) as amended" is contradicted.
    assert not list(graph.subjects(AIMS.versionOf, concept("Article 49")))
    assert not list(graph.subjects(AIMS.versionOf, concept("Article 49(2)")))
    annex_viii = [pv for pv in graph.subjects(AIMS.versionOf, concept("Annex VIII"))
                  if (pv, AIMS.inVersion, V2026) in graph]
    assert len(annex_viii) == 1 and "points 7 and 9" in str(graph.value(annex_viii[0], SKOS.changeNote))


def test_every_provision_version_is_well_formed(graph):
    pvs = set(graph.subjects(RDF.type, AIMS.ProvisionVersion))
    assert len(pvs) > 90
    for pv in pvs:
        provision = graph.value(pv, AIMS.versionOf)
        version = graph.value(pv, AIMS.inVersion)
        assert (provision, RDF.type, SKOS.Concept) in graph, pv
        assert (provision, AIMS.inVersion, version) in graph, pv
        assert graph.value(pv, DCTERMS.source) is not None, pv
        assert ((pv, AIMS.amendedBy, AMENDING_ACT) in graph) == ((version == V2026) and
                                                                 (pv, SKOS.changeNote, None) in graph), pv
        assert str(pv).startswith(str(provision) + "/version/" + str(version).rsplit("/", 1)[1]), pv


PROVISIONAL = {"Article 4a", "Article 60a", "Annex XIV", "Article 75b", "Article 75c", "Article 75d",
               "Article 6(1a)", "Article 6(1b)", "Article 6(1c)", "Article 75", "Article 77"}


def test_facts_found_in_one_source_only_are_flagged_with_the_reason(graph):
    # Research table B8, B28, B32, B41, C17 and the one-source headings of B30, B33.
    flagged = set(graph.subjects(AIMS.provisional, Literal(True)))
    notations = {str(graph.value(r, SKOS.notation) or graph.value(graph.value(r, AIMS.versionOf), SKOS.notation))
                 for r in flagged}
    assert notations == PROVISIONAL
    for resource in flagged:
        assert len(str(graph.value(resource, SKOS.editorialNote))) > 40, resource


def _table(tmp_path: Path, row: str) -> Path:
    path = tmp_path / "t.tsv"
    path.write_text("notation\tkind\tbroader\tlabel\tnote\tapplies_from\tsource\tnumbering\tversions\tversion\tprovisional\n"
                    + row + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("versions", ["2026", "2026-1744 2026-1744", "v2026-1744", "2026/1744", "../x"])
def test_a_malformed_version_key_stops_the_compiler_with_file_and_line(tmp_path, versions):
    path = _table(tmp_path, f"Article 1\tArticle\t\tSubject matter\t\t\t\t\t{versions}\t\t")
    with pytest.raises(reference.ReferenceTableError) as caught:
        reference.read_table(path)
    assert str(caught.value).startswith(f"{path}:2: versions")


def test_versions_version_and_provisional_columns_compile_to_triples(tmp_path):
    path = _table(tmp_path, "Article 1a\tArticle\t\tNew article\t\t\t\t\t2026-1744\tAmended text\tTitle seen once")
    g = Graph().parse(data=reference.compile_table("s", reference.read_table(path), "Base text"), format="turtle")
    subject = URIRef("https://w3id.org/aims-graph/s/Article-1a")
    assert g.value(subject, AIMS.inVersion) == URIRef("https://w3id.org/aims-graph/s/version/2026-1744")
    assert str(g.value(subject, AIMS.version)) == "Amended text"
    assert g.value(subject, AIMS.provisional) == Literal(True)
    assert str(g.value(subject, SKOS.editorialNote)) == "Title seen once"
    assert (subject, RDFS.label, None) not in g
