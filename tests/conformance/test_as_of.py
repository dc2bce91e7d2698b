"""The as-of rule of aims_graph.law on a real store: the version in force on a date, the date a
provision applies from per route, the transitional rule of Article 111(4), and the dates that
are refused. The expected dates are the table of tests/ontology (each row names its line of
docs/research/eu-ai-act-amendments.md), so the library and the data are checked against the
same sources."""

from __future__ import annotations

import datetime as dt

import pytest

from aims_graph.errors import InputError
from aims_graph.knowledge import reference
from aims_graph.law import as_of_date, law_of
from aims_graph.store import open_store
from tests.ontology.test_reference_eu_ai_act_versions import AS_OF

AIMS = "https://w3id.org/aims-graph/ontology#"
V2024 = "https://w3id.org/aims-graph/eu-ai-act/version/2024-1689"
V2026 = "https://w3id.org/aims-graph/eu-ai-act/version/2026-1744"


@pytest.fixture(scope="module")
def law():
    with open_store("memory") as store:
        yield law_of(store)


def iri(notation: str) -> str:
    return reference.concept_iri("eu-ai-act", notation)


@pytest.mark.parametrize(("notation", "category", "on", "expected", "row"), AS_OF)
def test_date_of_application_in_the_version_in_force(law, notation, category, on, expected, row):
    found = law.application(iri(notation), on, AIMS + category if category else None)
    assert found is not None and found.applies_from == expected, row


@pytest.mark.parametrize(("on", "version"), [
    (dt.date(2024, 8, 1), V2024), (dt.date(2026, 7, 26), V2024),   # A10, A16
    (dt.date(2026, 7, 27), V2026), (dt.date(2030, 1, 1), V2026)])
def test_the_version_in_force_changes_on_27_july_2026(law, on, version):
    assert law.version_in_force(on).iri == version


@pytest.mark.parametrize(("notation", "on"), [
    ("Article 5(1)(ba)", dt.date(2026, 7, 1)),          # inserted by 2026/1744 (B9)
    ("Annex I Section A point 1", dt.date(2026, 9, 1)),  # deleted (B38)
])
def test_a_provision_outside_the_version_in_force_does_not_apply(law, notation, on):
    assert law.application(iri(notation), on, AIMS + "HighRiskAnnexI") is None


def test_article_50_2_grace_period_only_for_systems_already_on_the_market(law):
    # C10, B36: Article 111(4) as added.
    on = dt.date(2026, 9, 1)
    early = law.application(iri("Article 50(2)"), on, placed_on_market=dt.date(2026, 3, 1))
    late = law.application(iri("Article 50(2)"), on, placed_on_market=dt.date(2026, 8, 20))
    assert (early.applies_from, late.applies_from) == (dt.date(2026, 12, 2), dt.date(2026, 8, 2))
    assert not early.applies_on(on) and late.applies_on(on)


def test_timeline_keeps_only_dates_reached_while_their_version_was_in_force(law):
    # C4: the 2024 date for Annex III (2 August 2026) was deferred before it arrived; B7, C15:
    # Article 4 applied in its 2024 wording from 2 February 2025 and as replaced from 27 July 2026.
    article_9 = law.starts(iri("Article 9"), AIMS + "HighRiskAnnexIII")
    assert [(a.applies_from, a.version.iri) for a in article_9] == [(dt.date(2027, 12, 2), V2026)]
    article_4 = law.starts(iri("Article 4"))
    assert [(a.applies_from, a.version.iri) for a in article_4] == [(dt.date(2025, 2, 2), V2024),
                                                                   (dt.date(2026, 7, 27), V2026)]


def test_article_2_2_limits_per_version(law):
    # B2: the amended list adds Article 60a and Articles 110-111.
    before = law.limited_to(iri("Article 2(2)"), dt.date(2026, 1, 1))
    after = law.limited_to(iri("Article 2(2)"), dt.date(2026, 9, 1))
    assert iri("Article 60a") in after - before and iri("Article 6(1)") in before & after


@pytest.mark.parametrize(("text", "says"), [
    ("2027-02-30", "February 2027 has 28 days"), ("yesterday", "YYYY-MM-DD"), ("2027-1-1", "YYYY-MM-DD"),
    ("2027-13-01", "no month 13"), ("2024-07-31", "before 1 August 2024"), ("0001-01-01", "before 1 August 2024"),
    ("2027-01-01T00:00", "YYYY-MM-DD"), ("2027-01-01 extra", "YYYY-MM-DD")])
def test_an_as_of_that_is_not_a_date_in_the_act_is_a_one_line_error(text, says):
    with pytest.raises(InputError) as caught:
        as_of_date(text)
    assert says in str(caught.value) and "\n" not in str(caught.value)


def test_as_of_defaults_to_today_and_accepts_the_entry_into_force():
    assert as_of_date(None, today=dt.date(2027, 5, 1)) == dt.date(2027, 5, 1)
    assert as_of_date("2024-08-01") == dt.date(2024, 8, 1)
