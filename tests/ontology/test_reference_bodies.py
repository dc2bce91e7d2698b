"""ontology/reference/eu-ai-act-bodies.ttl: the bodies of the Act and who each obligation is owed to.

Every IRI the module points to must exist in the reference it names, so that a renamed
obligation or provision cannot leave an assignment that no query ever finds.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from aims_graph.paths import ONTOLOGY_DIR, REFERENCE_DIR

AIMS = Namespace("https://w3id.org/aims-graph/ontology#")
BODY = "https://w3id.org/aims-graph/eu-ai-act/body/"


@pytest.fixture(scope="module")
def bodies() -> Graph:
    return Graph().parse(REFERENCE_DIR / "eu-ai-act-bodies.ttl")


@pytest.fixture(scope="module")
def reference() -> Graph:
    graph = Graph()
    for name in ("eu-ai-act.ttl", "eu-ai-act-obligations.ttl"):
        graph.parse(REFERENCE_DIR / name)
    return graph.parse(ONTOLOGY_DIR / "aims.ttl")


def test_the_act_bodies_are_all_there(bodies: Graph) -> None:
    names = {str(b).removeprefix(BODY) for b in bodies.subjects(RDF.type, AIMS.ActBody)}
    assert names == {
        "national-competent-authority",
        "market-surveillance-authority",
        "financial-supervisor",
        "notifying-authority",
        "notified-body",
        "ai-office",
        "ai-board",
        "scientific-panel",
    }
    assert set(bodies.subjects(RDF.type, AIMS.Addressee)) == {URIRef(BODY + "eu-database")}


def test_every_body_and_assignment_is_labelled_sourced_and_grounded(bodies: Graph, reference: Graph) -> None:
    problems = []
    for kind in (AIMS.ActBody, AIMS.Addressee, AIMS.AddresseeAssignment):
        for node in bodies.subjects(RDF.type, kind):
            label = bodies.value(node, RDFS.label)
            if not (isinstance(label, Literal) and label.language == "en"):
                problems.append(f"{node}: no English label")
            if kind != AIMS.AddresseeAssignment and bodies.value(node, SKOS.definition) is None:
                problems.append(f"{node}: no definition")
            source = bodies.value(node, DCTERMS.source)
            if not str(source).startswith("https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32024R1689#art_"):
                problems.append(f"{node}: source {source!r} is not an article of the OJ text")
            grounds = list(bodies.objects(node, AIMS.owedUnder))
            if not grounds:
                problems.append(f"{node}: no aims:owedUnder")
            problems += [f"{node}: provision {g} unknown" for g in grounds if (g, SKOS.notation, None) not in reference]
    assert not problems, "\n".join(problems)


def test_every_assignment_names_a_known_obligation_or_category_and_addressee(bodies: Graph, reference: Graph) -> None:
    problems = []
    addressees = set(bodies.subjects(RDF.type, AIMS.ActBody)) | set(bodies.subjects(RDF.type, AIMS.Addressee))
    for node in bodies.subjects(RDF.type, AIMS.AddresseeAssignment):
        targets = [(o, AIMS.Obligation) for o in bodies.objects(node, AIMS.forObligation)]
        targets += [(c, AIMS.RiskCategory) for c in bodies.objects(node, AIMS.forCategory)]
        if not targets:
            problems.append(f"{node}: names no obligation or category")
        problems += [f"{node}: {t} is not an {kind}" for t, kind in targets if (t, RDF.type, kind) not in reference]
        if bodies.value(node, AIMS.addressee) not in addressees:
            problems.append(f"{node}: unknown addressee")
    assert not problems, "\n".join(problems)


def test_the_financial_supervisor_stands_in_for_providers_and_deployers_only(bodies: Graph) -> None:
    supervisor = URIRef(BODY + "financial-supervisor")
    assert bodies.value(supervisor, AIMS.standsInFor) == URIRef(BODY + "market-surveillance-authority")
    assert bodies.value(supervisor, AIMS.whenOperatorIs) == AIMS.financialInstitution
    assert set(bodies.objects(supervisor, AIMS.whenOperatorRole)) == {AIMS.ProviderRole, AIMS.DeployerRole}
