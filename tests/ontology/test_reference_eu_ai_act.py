"""The EU AI Act scheme and its obligations match the act as published (OJ L, 2024/1689).

Other modules (classification rules, shapes, crosswalks) mint IRIs such as
``eu-ai-act/Annex-III-point-5-b`` from these tables, so a wrong number, a draft number or a
dangling parent here silently breaks them; these checks run on the committed files.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDFS, SKOS

from aims_graph.knowledge import reference
from aims_graph.paths import REFERENCE_DIR

SCHEME = "eu-ai-act"
SCHEME_IRI = URIRef("https://w3id.org/aims-graph/eu-ai-act")
ELI = URIRef("http://data.europa.eu/eli/reg/2024/1689/oj")
AIMS = Namespace("https://w3id.org/aims-graph/ontology#")
EU = Namespace("https://w3id.org/aims-graph/eu-ai-act/")

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]
# The vocabulary contract (plan/vocab.md): the only roles and categories an obligation may use.
ROLES = {AIMS[n] for n in ("ProviderRole", "DeployerRole", "ImporterRole", "DistributorRole",
                           "AuthorisedRepresentativeRole", "ProductManufacturerRole", "InitialProviderRole")}
CATEGORIES = {AIMS[n] for n in ("Prohibited", "HighRiskAnnexI", "HighRiskAnnexIII",
                                "TransparencyObligations", "GeneralPurposeAI",
                                "GeneralPurposeAISystemicRisk", "MinimalRisk", "NotHighRiskArticle6_3")}
HIGH_RISK = {AIMS.HighRiskAnnexI, AIMS.HighRiskAnnexIII}


@pytest.fixture(scope="module")
def rows() -> list[reference.ConceptRow]:
    return reference.read_table(REFERENCE_DIR / f"{SCHEME}.tsv")


@pytest.fixture(scope="module")
def by_notation(rows) -> dict[str, reference.ConceptRow]:
    return {row.notation: row for row in rows}


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(REFERENCE_DIR / f"{SCHEME}.ttl", format="turtle")
    g.parse(REFERENCE_DIR / f"{SCHEME}.meta.ttl", format="turtle")
    return g


@pytest.fixture(scope="module")
def obligations() -> Graph:
    g = Graph()
    g.parse(REFERENCE_DIR / "eu-ai-act-obligations.ttl", format="turtle")
    return g


def notations_of_kind(rows, kind: str) -> list[str]:
    return [row.notation for row in rows if row.kind == kind]


def in_2024_text(rows) -> list[reference.ConceptRow]:
    """The rows of the act as published in 2024 (the amended version is checked in
    test_reference_eu_ai_act_versions.py)."""
    return [row for row in rows if "2024-1689" in row.versions.split()]


def children(rows, parent: str) -> list[reference.ConceptRow]:
    return [row for row in rows if row.broader == parent]


def chapter_of(by_notation, notation: str) -> str:
    """Walk skos:broader up to the chapter, the way a consumer of the graph would."""
    row = by_notation[notation]
    while row.kind != "Chapter":
        row = by_notation[row.broader]
    return row.notation


def test_compiled_turtle_is_up_to_date():
    committed = (REFERENCE_DIR / f"{SCHEME}.ttl").read_text(encoding="utf-8")
    assert committed == reference.build_scheme(SCHEME), "run `make reference`"


def test_articles_are_numbered_1_to_113_without_gaps(rows):
    numbers = [int(n.removeprefix("Article ")) for n in notations_of_kind(in_2024_text(rows), "Article")]
    assert sorted(numbers) == list(range(1, 114))


def test_thirteen_chapters_and_thirteen_annexes(rows):
    assert notations_of_kind(rows, "Chapter") == [f"Chapter {r}" for r in ROMAN]
    assert notations_of_kind(in_2024_text(rows), "Annex") == [f"Annex {r}" for r in ROMAN]


def test_every_article_sits_in_a_chapter_or_one_of_its_sections(rows, by_notation):
    for row in rows:
        if row.kind == "Article":
            parent = by_notation[row.broader]
            assert parent.kind in {"Chapter", "Section"}, row.notation
            assert parent.kind == "Chapter" or parent.broader.startswith("Chapter"), row.notation


@pytest.mark.parametrize(
    ("article", "container"),
    [
        ("Article 4", "Chapter I"),
        ("Article 5", "Chapter II"),
        ("Article 6", "Chapter III Section 1"),
        ("Article 15", "Chapter III Section 2"),
        ("Article 27", "Chapter III Section 3"),
        ("Article 28", "Chapter III Section 4"),
        ("Article 49", "Chapter III Section 5"),
        ("Article 50", "Chapter IV"),
        ("Article 52", "Chapter V Section 1"),
        ("Article 55", "Chapter V Section 3"),
        ("Article 63", "Chapter VI"),
        ("Article 70", "Chapter VII Section 2"),
        ("Article 71", "Chapter VIII"),
        ("Article 73", "Chapter IX Section 2"),
        ("Article 94", "Chapter IX Section 5"),
        ("Article 96", "Chapter X"),
        ("Article 98", "Chapter XI"),
        ("Article 101", "Chapter XII"),
        ("Article 113", "Chapter XIII"),
    ],
)
def test_chapter_and_section_membership_as_published(by_notation, article, container):
    assert by_notation[article].broader == container


def test_chapters_hold_contiguous_runs_of_articles(rows, by_notation):
    chapters = [chapter_of(by_notation, n) for n in notations_of_kind(rows, "Article")]
    order = [f"Chapter {r}" for r in ROMAN]
    assert [order.index(c) for c in chapters] == sorted(order.index(c) for c in chapters)
    assert set(chapters) == set(order)


def test_annex_iii_has_eight_areas_with_their_points(rows):
    areas = children(rows, "Annex III")
    assert [a.notation for a in areas] == [f"Annex III point {n}" for n in range(1, 9)]
    points = {a.notation: [c.notation for c in children(rows, a.notation)] for a in areas}
    assert points["Annex III point 2"] == []
    assert points["Annex III point 5"] == [f"Annex III point 5({x})" for x in "abcd"]
    assert points["Annex III point 6"] == [f"Annex III point 6({x})" for x in "abcde"]


def test_annex_i_points_run_1_to_20_across_sections_a_and_b(rows):
    section_a = [r.notation for r in children(in_2024_text(rows), "Annex I Section A")]
    section_b = [r.notation for r in children(in_2024_text(rows), "Annex I Section B")]
    assert section_a == [f"Annex I Section A point {n}" for n in range(1, 13)]
    assert section_b == [f"Annex I Section B point {n}" for n in range(13, 21)]


def test_article_5_1_lists_eight_prohibited_practices(rows):
    rows = in_2024_text(rows)
    practices = children(rows, "Article 5(1)")
    assert [p.notation for p in practices] == [f"Article 5(1)({x})" for x in "abcdefgh"]
    assert {p.kind for p in practices} == {"ProhibitedPractice"}
    assert notations_of_kind(rows, "ProhibitedPractice") == [p.notation for p in practices]


def test_article_6_3_has_four_conditions(rows):
    points = children(rows, "Article 6(3)")
    assert [p.notation for p in points] == [f"Article 6(3)({x})" for x in "abcd"]


def test_paragraphs_and_points_hang_under_their_article(rows):
    for row in rows:
        match = re.fullmatch(r"Article (\d+)(\(\d+\))(\([a-z]\))?", row.notation)
        if match:
            expected = f"Article {match[1]}" + (match[2] if match[3] else "")
            assert row.broader == expected, row.notation


def test_every_broader_resolves_to_a_concept_of_the_scheme(graph):
    concepts = set(graph.subjects(SKOS.inScheme, SCHEME_IRI))
    broader = set(graph.objects(None, SKOS.broader))
    assert broader and broader <= concepts


def test_notations_are_unique_and_give_the_documented_iris(graph):
    notations = [str(n) for n in graph.objects(None, SKOS.notation)]
    assert [n for n, count in Counter(notations).items() if count > 1] == []
    assert (EU["Annex-III-point-5-b"], SKOS.notation, Literal("Annex III point 5(b)")) in graph
    assert (EU["Article-5-1-f"], SKOS.notation, Literal("Article 5(1)(f)")) in graph
    assert (EU["Chapter-III-Section-4"], SKOS.broader, EU["Chapter-III"]) in graph


def label(graph, notation: str) -> str:
    return str(graph.value(EU[reference.notation_slug(notation)], SKOS.prefLabel))


@pytest.mark.parametrize(
    ("notation", "title"),
    [
        ("Article 9", "Risk management system"),
        ("Article 27", "Fundamental rights impact assessment for high-risk AI systems"),
        ("Article 50", "Transparency obligations for providers and deployers of certain AI systems"),
        ("Article 52", "Procedure"),
        ("Article 61", "Informed consent to participate in testing in real world conditions "
                       "outside AI regulatory sandboxes"),
        ("Article 73", "Reporting of serious incidents"),
        ("Article 113", "Entry into force and application"),
        ("Annex III", "High-risk AI systems referred to in Article 6(2)"),
        ("Chapter IV", "Transparency obligations for providers and deployers of certain AI systems"),
    ],
)
def test_titles_are_those_of_the_official_journal(graph, notation, title):
    assert label(graph, notation) == title


def test_no_draft_numbering(rows, by_notation):
    # 2021 proposal / Parliament numbering: Art. 52 transparency, Art. 61 post-market
    # monitoring, Art. 29a FRIA. In the act these are Articles 50, 72 and 27.
    # Lettered articles exist only as inserted by Regulation (EU) 2026/1744, never from drafts.
    assert not [r.notation for r in in_2024_text(rows) if re.search(r"Article \d+[a-z]\b", r.notation)]
    lettered = [r for r in rows if re.fullmatch(r"Article \d+[a-z]", r.notation)]
    assert [r.notation for r in lettered] == ["Article 4a", "Article 60a", "Article 75a", "Article 75b",
                                              "Article 75c", "Article 75d"]
    assert {r.versions for r in lettered} == {"2026-1744"}
    assert "transparen" not in by_notation["Article 52"].label.lower()
    assert "post-market" not in by_notation["Article 61"].label.lower()
    assert "post-market" in by_notation["Article 72"].label.lower()
    assert "impact assessment" in by_notation["Article 27"].label.lower()


def test_application_dates_follow_article_113(by_notation, rows):
    expected = {
        "Article 4": "2025-02-02",
        "Article 5(1)(f)": "2025-02-02",
        "Article 30": "2025-08-02",
        "Article 53": "2025-08-02",
        "Article 65": "2025-08-02",
        "Article 78": "2025-08-02",
        "Article 99": "2025-08-02",
        "Article 101": "2026-08-02",
        "Article 9": "2026-08-02",
        "Article 6(1)": "2027-08-02",
        "Article 6(2)": "2026-08-02",
        "Annex III point 5(b)": "2026-08-02",
    }
    assert {n: by_notation[n].applies_from for n in expected} == expected
    for row in in_2024_text(rows):
        assert date(2024, 8, 1) <= date.fromisoformat(row.applies_from) <= date(2027, 8, 2), row.notation


def test_scheme_metadata_identifies_the_published_act(graph):
    assert (SCHEME_IRI, RDF.type, SKOS.ConceptScheme) in graph
    assert graph.value(SCHEME_IRI, DCTERMS.identifier) == Literal("Regulation (EU) 2024/1689")
    assert (SCHEME_IRI, DCTERMS.source, ELI) in graph
    assert str(graph.value(SCHEME_IRI, DCTERMS.issued)) == "2024-06-13"


def obligations_from(obligations: Graph, notation: str) -> list[URIRef]:
    provision = EU[reference.notation_slug(notation)]
    return list(obligations.subjects(AIMS.derivedFromProvision, provision))


def test_every_obligation_is_complete_and_points_to_an_existing_provision(obligations, graph):
    items = list(obligations.subjects(RDF.type, AIMS.Obligation))
    assert len(items) >= 40
    provision_kinds = {AIMS.Article, AIMS.Paragraph, AIMS.Point}
    for item in items:
        assert obligations.value(item, RDFS.label) and obligations.value(item, SKOS.definition), item
        assert str(item).startswith("https://w3id.org/aims-graph/eu-ai-act/obligation/"), item
        roles = set(obligations.objects(item, AIMS.bindsRole))
        categories = set(obligations.objects(item, AIMS.appliesToCategory))
        assert roles and roles <= ROLES, item
        assert categories and categories <= CATEGORIES, item
        provisions = list(obligations.objects(item, AIMS.derivedFromProvision))
        assert len(provisions) == 1, item
        assert set(graph.objects(provisions[0], RDF.type)) & provision_kinds, item
        assert obligations.value(item, DCTERMS.source), item


def test_high_risk_providers_carry_the_chapter_iii_obligations(obligations):
    for number in [*range(8, 21), 43, 47, 48, 49, 72, 73]:
        found = obligations_from(obligations, f"Article {number}")
        assert found, f"no obligation derived from Article {number}"
        for item in found:
            assert AIMS.ProviderRole in set(obligations.objects(item, AIMS.bindsRole))
            assert set(obligations.objects(item, AIMS.appliesToCategory)) <= HIGH_RISK


def test_operator_specific_articles_bind_the_right_roles(obligations):
    def roles(notation: str) -> set:
        found = obligations_from(obligations, notation)
        assert found, notation
        return {r for item in found for r in obligations.objects(item, AIMS.bindsRole)}

    assert roles("Article 23") == {AIMS.ImporterRole}
    assert roles("Article 24") == {AIMS.DistributorRole}
    assert roles("Article 25(3)") == {AIMS.ProductManufacturerRole}
    assert roles("Article 26(1)") == {AIMS.DeployerRole}
    assert roles("Article 50(1)") == roles("Article 50(2)") == {AIMS.ProviderRole}
    assert roles("Article 50(3)") == roles("Article 50(4)") == {AIMS.DeployerRole}
    assert roles("Article 4") == {AIMS.ProviderRole, AIMS.DeployerRole}


def test_fria_binds_only_qualifying_deployers_of_annex_iii_systems(obligations):
    (fria,) = obligations_from(obligations, "Article 27(1)")
    assert set(obligations.objects(fria, AIMS.bindsRole)) == {AIMS.DeployerRole}
    assert set(obligations.objects(fria, AIMS.appliesToCategory)) == {AIMS.HighRiskAnnexIII}
    assert obligations.value(fria, AIMS.requiresDeployerCondition) == AIMS.PublicBodyOrAnnexIII5bc
    assert "5(b)" in str(obligations.value(fria, AIMS.condition))


def test_general_purpose_ai_obligations_by_category(obligations):
    def categories(notation: str) -> set:
        return {c for item in obligations_from(obligations, notation)
                for c in obligations.objects(item, AIMS.appliesToCategory)}

    assert categories("Article 53(1)(c)") == {AIMS.GeneralPurposeAI, AIMS.GeneralPurposeAISystemicRisk}
    assert categories("Article 55(1)") == {AIMS.GeneralPurposeAISystemicRisk}
    for point in "abd":
        assert categories(f"Article 53(1)({point})") == {AIMS.GeneralPurposeAI, AIMS.GeneralPurposeAISystemicRisk}
    # Article 4, 2024 wording and as replaced (research table B7), addresses providers and deployers
    # of AI systems: general-purpose AI models as such are not in it.
    assert categories("Article 4") == CATEGORIES - {AIMS.GeneralPurposeAI, AIMS.GeneralPurposeAISystemicRisk}
    assert categories("Article 5") == {AIMS.Prohibited}


def test_obligation_sources_cite_the_article_they_derive_from(obligations):
    for item in obligations.subjects(RDF.type, AIMS.Obligation):
        provision = str(obligations.value(item, AIMS.derivedFromProvision))
        article = re.match(r".*/Article-(\d+)", provision)[1]
        assert str(obligations.value(item, DCTERMS.source)).endswith(f"#art_{article}"), item

