"""The shapes and rules use only declared terms, and docs/conformance.md lists every shape."""

from __future__ import annotations

import re

from rdflib import Graph

from aims_graph.paths import ONTOLOGY_DIR, PROJECT_ROOT, SHAPES_DIR
from aims_graph.validation import load_bundle

AIMS = "https://w3id.org/aims-graph/ontology#"


def test_every_aims_term_in_shapes_and_rules_is_declared() -> None:
    declared = {str(s) for s in Graph().parse(ONTOLOGY_DIR / "aims.ttl").subjects()}
    for path in sorted(SHAPES_DIR.rglob("*.ttl")):
        used = {AIMS + name for name in re.findall(r"aims:([A-Za-z_0-9]+)", path.read_text())}
        assert used - declared == set(), path.name


def test_docs_list_every_shape_with_its_severity_and_requirements() -> None:
    doc = (PROJECT_ROOT / "docs" / "conformance.md").read_text()
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", doc, flags=re.M)}
    bundle = load_bundle()
    targeted = {iri.rsplit("/", 1)[-1]: info for iri, info in bundle.shapes.items() if info.targeted}
    assert set(targeted) <= set(rows)
    for name, info in targeted.items():
        cells = [c.strip() for c in rows[name].strip("|").split("|")]
        assert info.severity in cells, name
        for requirement in info.requirements:
            local = requirement.rsplit("/", 1)[-1]
            notation = local.replace("Article-", "Article ").replace("Annex-A", "Annex A")
            notation = re.sub(r"Article (\d+)-(\d+)", r"Article \1(\2)", notation)
            assert notation in rows[name], (name, notation)


def test_docs_list_every_classification_rule() -> None:
    doc = (PROJECT_ROOT / "docs" / "conformance.md").read_text()
    rules = set(re.findall(r"rule:([a-z0-9-]+) a sh:SPARQLRule", (SHAPES_DIR / "rules" / "classification.ttl").read_text()))
    assert rules and all(f"`{rule}`" in doc for rule in rules)
