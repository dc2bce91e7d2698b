"""OSCAL for GRC tools: every catalog, mapping collection and the component definition is
loaded into compliance-trestle's OSCAL models (generated from OSCAL's own schemas), passes
trestle's validators, and comes back out of trestle as the same JSON.  What the documents
say is checked against independent sources: the reference tables, the SSSOM files, and
the example organisation as the Statement of Applicability reads it."""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pyoxigraph as ox
import pytest
from trestle.common import const
from trestle.core.catalog.catalog_interface import CatalogInterface
from trestle.core.control_interface import ControlInterface
from trestle.core.validator_factory import validator_factory
from trestle.oscal import OSCAL_VERSION_REGEX
from trestle.oscal import catalog as trestle_catalog
from trestle.oscal import component as trestle_component
from trestle.oscal import mapping as trestle_mapping

from aims_graph.crosswalk import MappingSet, load_crosswalks
from aims_graph.errors import NotFoundError
from aims_graph.exports.oscal import OSCAL_VERSION, catalog, component_definition, mapping_collection
from aims_graph.knowledge.reference import notation_slug
from aims_graph.paths import REFERENCE_DIR
from aims_graph.reports.soa import statement_of_applicability
from aims_graph.store import Store, open_store
from tests.conformance.conftest import EXAMPLE_GRAPH, load_example

WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
SCHEMES = sorted(path.stem for path in REFERENCE_DIR.glob("*.tsv"))
# NIST IR 8477 relation (the crosswalk files) -> OSCAL 1.2 mapping relationship
RELATIONSHIPS = {"equal": "equal-to", "subset-of": "subset-of", "superset-of": "superset-of",
                 "intersects-with": "intersects-with", "no-relationship": "no-relationship"}


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with open_store("memory") as opened:
        load_example(opened)
        yield opened


def trestle_model(model: Any, document: dict[str, Any]) -> Any:
    """``document`` loaded into trestle's model, checked by all of trestle's validators and
    written back out by trestle as the same JSON."""
    (kind,) = document
    loaded = getattr(model.Model.model_validate(document), kind.replace("-", "_"))
    assert validator_factory.get(argparse.Namespace(mode=const.VAL_MODE_ALL)).model_is_valid(loaded, quiet=True)
    assert json.loads(loaded.oscal_serialize_json()) == document
    return loaded


def reference_rows(scheme: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / f"{scheme}.tsv").open(encoding="utf-8") as table:
        return list(csv.DictReader(table, delimiter="\t"))


def test_our_oscal_version_is_the_one_trestles_models_are_built_for() -> None:
    assert re.fullmatch(OSCAL_VERSION_REGEX, OSCAL_VERSION)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_catalog_of_each_scheme_has_every_provision_nested_as_in_the_table(store: Store, scheme: str) -> None:
    document = catalog(store, scheme, last_modified=WHEN)
    loaded = trestle_model(trestle_catalog, document)
    assert loaded.metadata.oscal_version.root.root == OSCAL_VERSION
    rows = reference_rows(scheme)
    interface = CatalogInterface(loaded)
    assert interface.get_count_of_controls_in_catalog(recurse=True) == len(rows)
    ids = {row["notation"]: _id(row["notation"]) for row in rows}
    for row in rows:
        control = interface.get_control(ids[row["notation"]])
        assert control is not None, row["notation"]
        assert control.title == row["label"]
        labels = [p.value for p in control.props if p.name == "label"]
        assert labels == [row["notation"]]
        assert control.class_ == row["kind"]
        children = {r["notation"] for r in rows if r["broader"] == row["notation"]}
        assert {c.id for c in control.controls or []} == {ids[n] for n in children}, row["notation"]


def _id(notation: str) -> str:
    slug = notation_slug(notation)
    return f"clause-{slug}" if slug[0].isdigit() else slug


def test_catalogs_carry_identifiers_and_titles_never_text(store: Store) -> None:
    """The ISO text is copyrighted: no statement or guidance part, and none of the scope notes
    (our own sentences, but not titles) either, in any catalog."""
    for scheme in SCHEMES:
        text = json.dumps(catalog(store, scheme, last_modified=WHEN))
        assert '"parts"' not in text
        notes = [row["note"] for row in reference_rows(scheme) if row.get("note")]
        assert [n for n in notes if json.dumps(n)[1:-1] in text] == [], scheme


def test_law_dates_and_provisional_numbers_travel_as_ontology_terms(store: Store) -> None:
    document = catalog(store, "eu-ai-act", last_modified=WHEN)
    interface = CatalogInterface(trestle_model(trestle_catalog, document))
    article = interface.get_control("Article-9")
    props = {(p.ns and str(p.ns), p.name): p.value for p in article.props}
    row = next(r for r in reference_rows("eu-ai-act") if r["notation"] == "Article 9")
    assert props[("https://w3id.org/aims-graph/ontology#", "appliesFrom")] == row["applies_from"]
    assert props[(None, "alt-identifier")] == "https://w3id.org/aims-graph/eu-ai-act/Article-9"
    derived = next(r["notation"] for r in reference_rows("iso23894") if r.get("numbering") == "derived")
    control = CatalogInterface(trestle_model(trestle_catalog, catalog(store, "iso23894", last_modified=WHEN))) \
        .get_control(_id(derived))
    assert ("notationDerived", "true") in {(p.name, p.value) for p in control.props}


@pytest.mark.parametrize("mapping_set", load_crosswalks(), ids=lambda s: s.name)
def test_mapping_of_each_crosswalk_joins_controls_of_the_two_catalogs(store: Store, mapping_set: MappingSet) -> None:
    document = mapping_collection(store, mapping_set.name, last_modified=WHEN)
    loaded = trestle_model(trestle_mapping, document)
    (mapping,) = loaded.mappings
    subject, obj = (mapping_set.subject_source.rsplit("/", 1)[-1], mapping_set.object_source.rsplit("/", 1)[-1])
    assert (mapping.source_resource.href, mapping.target_resource.href) == (f"{subject}.catalog.json",
                                                                          f"{obj}.catalog.json")
    sources = CatalogInterface(trestle_model(trestle_catalog, catalog(store, subject, last_modified=WHEN)))
    targets = CatalogInterface(trestle_model(trestle_catalog, catalog(store, obj, last_modified=WHEN)))
    maps = {(m.sources[0].id_ref, m.targets[0].id_ref): m for m in mapping.maps}
    assert len(maps) == len(mapping.maps) == len(mapping_set.mappings)
    for record in mapping_set.mappings:  # read from the SSSOM file, not from the store
        pair = (_id(record.subject_id.rsplit("/", 1)[-1]), _id(record.object_id.rsplit("/", 1)[-1]))
        found = maps[pair]
        assert sources.get_control(pair[0]) is not None and targets.get_control(pair[1]) is not None
        assert found.relationship == RELATIONSHIPS[record.relation.value]
        assert found.matching_rationale == record.rationale.value
        assert found.remarks == record.comment
        assert found.confidence_score.root.percentage.root.root == float(record.confidence)
        props = {p.name: p.value for p in found.props}
        assert (props["mappingStatus"], props["creator"]) == (record.status.value, record.author_id)
    assert loaded.metadata.title == mapping_set.title and loaded.metadata.version == mapping_set.version
    assert loaded.provenance.status == "draft"  # no row of the project's crosswalks is reviewed yet
    assert [str(link.href) for link in loaded.metadata.links if link.rel == "license"] == [mapping_set.license]
    creators = {p.uuid: p for p in loaded.metadata.parties}
    (responsible,) = loaded.metadata.responsible_parties
    assert [str(creators[u].links[0].href) for u in responsible.party_uuids] == list(mapping_set.creators)


def test_component_definition_states_what_the_statement_of_applicability_states(store: Store) -> None:
    loaded = trestle_model(trestle_component, component_definition(store, last_modified=WHEN))
    (component,) = loaded.components
    assert component.title == "Harbourline AI management system"
    (implementations,) = component.control_implementations
    assert implementations.source == "iso42001.catalog.json"
    requirements = {r.control_id: r for r in implementations.implemented_requirements}
    soa = statement_of_applicability(store)
    words = {"implemented": "implemented", "partially implemented": "partial", "planned": "planned",
             "not implemented": "not-implemented"}
    resources = {r.uuid: r for r in loaded.back_matter.resources}
    for row in soa.rows:
        requirement = requirements.get(_id(row.control))
        if row.decision == "excluded" and row.implementation_status == "none recorded":
            assert ControlInterface.get_status_from_props(requirement).state == "not-applicable"
            assert requirement.remarks == row.justification
            continue
        if row.implementation_status == "none recorded":
            assert requirement is None, row.control
            continue
        # trestle's own reader of implementation status reads ours
        assert ControlInterface.get_status_from_props(requirement).state == words[row.implementation_status]
        evidence = sorted(resources[link.href[1:]].title for link in requirement.links if link.rel == "evidence")
        assert evidence == sorted(item.split(" <")[0] for item in row.evidence.split("; ") if item), row.control
    linked = {link.href[1:] for r in requirements.values() for link in r.links or [] if link.rel == "evidence"}
    assert linked == set(resources)
    for resource in resources.values():
        assert [p.value for p in resource.props if p.name == "type"] == ["evidence"]
        assert all(str(rlink.href).startswith("https://docs.harbourline.example.org/") for rlink in resource.rlinks)


def test_a_document_is_the_same_document_until_its_data_changes() -> None:
    with open_store("memory") as fresh:
        load_example(fresh)
        first = component_definition(fresh, last_modified=WHEN)["component-definition"]
        again = component_definition(fresh, last_modified=WHEN + timedelta(days=3))["component-definition"]
        assert again["uuid"] == first["uuid"]
        assert again["metadata"]["last-modified"] != first["metadata"]["last-modified"]
        fresh.update(f"""INSERT DATA {{ GRAPH <{EXAMPLE_GRAPH}> {{ <https://example.org/harbourline/CI-A.3.3>
              <http://www.w3.org/2000/01/rdf-schema#comment> "A reporting channel is being set up." }} }}""")
        changed = component_definition(fresh, last_modified=WHEN)["component-definition"]
        assert changed["uuid"] != first["uuid"]
        requirement_uuids = [r["uuid"] for r in changed["components"][0]["control-implementations"][0]
                             ["implemented-requirements"]]
        assert requirement_uuids == [r["uuid"] for r in first["components"][0]["control-implementations"][0]
                                     ["implemented-requirements"]]  # per subject, stable across revisions


def test_unknown_subjects_are_refused_with_what_exists(store: Store) -> None:
    with pytest.raises(NotFoundError, match=r"^no reference scheme 'iso9001' in the store; known: eu-ai-act, iso22989"):
        catalog(store, "iso9001", last_modified=WHEN)
    with pytest.raises(NotFoundError, match=r"^no crosswalk 'iso42001-iso9001' in the store; known: iso22989-eu-"):
        mapping_collection(store, "iso42001-iso9001", last_modified=WHEN)
    with pytest.raises(NotFoundError, match="is not an aims:StatementOfApplicability"):
        component_definition(store, "https://example.org/harbourline/NoSuchSoA", last_modified=WHEN)
    assert catalog(store, "euaiact", last_modified=WHEN) == catalog(store, "eu-ai-act", last_modified=WHEN)


def test_a_store_without_implemented_controls_has_no_component_to_describe() -> None:
    with open_store("memory") as empty, pytest.raises(NotFoundError, match="no control implementation"):
        component_definition(empty, last_modified=WHEN)


def test_evidence_without_a_location_is_still_a_resource() -> None:
    with open_store("memory") as fresh:
        fresh.load(b"""@prefix aims: <https://w3id.org/aims-graph/ontology#> .
            @prefix dcterms: <http://purl.org/dc/terms/> .
            <https://example.org/ci> aims:implementsControl <https://w3id.org/aims-graph/iso42001/A.6.2.6> ;
                aims:implementationStatus aims:Implemented ; aims:hasEvidence <https://example.org/ev> .
            <https://example.org/ev> dcterms:title "Monitoring\\nreport" .""", ox.RdfFormat.TURTLE, EXAMPLE_GRAPH)
        loaded = trestle_model(trestle_component, component_definition(fresh, last_modified=WHEN))
        (resource,) = loaded.back_matter.resources
        assert (resource.title, resource.rlinks) == ("Monitoring report", None)
        assert loaded.components[0].title == "AI management system"  # no statement of applicability


def test_the_documents_are_the_same_on_every_store(any_store: Store, store: Store) -> None:
    """The SPARQL behind the documents reads the same on a real Oxigraph server and Virtuoso 7."""
    load_example(any_store)
    for scheme in ("eu-ai-act", "iso23894"):  # dates, provisional and derived numbers
        assert catalog(any_store, scheme, last_modified=WHEN) == catalog(store, scheme, last_modified=WHEN)
    assert (mapping_collection(any_store, "iso42001-eu-ai-act", last_modified=WHEN)
            == mapping_collection(store, "iso42001-eu-ai-act", last_modified=WHEN))
    assert component_definition(any_store, last_modified=WHEN) == component_definition(store, last_modified=WHEN)
