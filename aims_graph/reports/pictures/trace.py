"""The traceability picture of one AI system.

An auditor asks "show me everything about this system": its data and models, its
risks and how each is treated, which controls the treatments rely on and what
evidence those controls have, the obligations that bind it, and the assessments and
incidents that refer to it.  Two SPARQL queries collect that neighbourhood; Graphviz
lays it out from left (the system) to right (requirements and evidence).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pyoxigraph as ox

from aims_graph.errors import InputError, NotFoundError
from aims_graph.rdf.namespaces import AIMS
from aims_graph.reports.pictures.graphviz import quote, render
from aims_graph.reports.pictures.ordering import notation_key
from aims_graph.store.base import Store

_PREFIXES = f"""PREFIX aims: <{AIMS}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# How to reach a "from" node from the system {s}, the relations that lead on from it, and
# the kind of node each relation reaches.
_HOPS = (
    ("BIND({s} AS ?from)",
     "(aims:usesDataset 'dataset') (aims:trainingDataset 'dataset') (aims:validationDataset 'dataset') "
     "(aims:testDataset 'dataset') (aims:usesModel 'model') (aims:hasRisk 'risk') (aims:owner 'person') "
     "(aims:obligationApplies 'obligation') (aims:hasRiskCategory 'category') "
     "(aims:hasTechnicalDocumentation 'document') (aims:hasHumanOversightMeasure 'document') "
     "(aims:hasLogging 'document') (aims:hasPostMarketMonitoringPlan 'document') "
     "(aims:hasConformityAssessment 'document') (aims:hasEURegistration 'document') "
     "(aims:hasInstructionsForUse 'document') (aims:hasRiskManagementProcess 'document') "
     "(aims:hasPerformanceMetric 'document') (aims:hasIntendedPurpose 'document')"),
    ("{s} aims:usesModel ?from .",
     "(aims:basedOnModel 'model') (aims:usesDataset 'dataset') (aims:trainingDataset 'dataset') "
     "(aims:validationDataset 'dataset') (aims:testDataset 'dataset')"),
    ("{s} aims:hasRisk ?from .", "(aims:hasTreatment 'treatment')"),
    ("{s} aims:hasRisk/aims:hasTreatment ?from .", "(aims:appliesControl 'control')"),
    ("{s} aims:hasRisk/aims:hasTreatment/aims:appliesControl ?from .",
     "(aims:implementsControl 'requirement') (aims:hasEvidence 'evidence')"),
)
_EXTRA_BRANCHES = (
    # a risk's source category, skipping the intermediate risk-source node
    "{{ {s} aims:hasRisk ?from . ?from aims:hasRiskSource/aims:sourceCategory ?to . "
    "BIND(aims:hasRiskSource AS ?rel) BIND('requirement' AS ?kind) BIND(?to AS ?node) }}",
    # things that point at the system: its assessments and incidents
    "{{ ?from ?rel {s} . BIND({s} AS ?to) BIND(?from AS ?node) "
    "VALUES (?rel ?kind) {{ (aims:assessesSystem 'assessment') (aims:incidentOf 'incident') }} }}",
)
_LABEL_QUERY = _PREFIXES + """SELECT ?n (MIN(STR(?l)) AS ?label) (MIN(STR(?no)) AS ?notation)
       (MIN(STR(?st)) AS ?status) (MIN(STR(?op)) AS ?option) (MIN(STR(?ow)) AS ?owner)
       (MIN(STR(?pr)) AS ?provision) (MIN(STR(?sc)) AS ?score) WHERE {{
  VALUES ?n {{ {nodes} }}
  OPTIONAL {{ ?n rdfs:label|skos:prefLabel|dcterms:title ?l }}
  OPTIONAL {{ ?n skos:notation ?no }}
  OPTIONAL {{ ?n aims:implementationStatus/rdfs:label ?st }}
  OPTIONAL {{ ?n aims:treatmentOption/rdfs:label ?op }}
  OPTIONAL {{ ?n aims:owner/rdfs:label ?ow }}
  OPTIONAL {{ ?n aims:derivedFromProvision/skos:notation ?pr }}
  OPTIONAL {{ ?n aims:riskScore ?sc }}
}} GROUP BY ?n"""

# kind -> Graphviz node attributes (shape and colour tell the kinds apart).
STYLES = {
    "system": 'shape=box style="rounded,filled,bold" fillcolor="#1f4e79" fontcolor=white',
    "model": 'shape=box3d style=filled fillcolor="#e2f0d9"',
    "dataset": 'shape=cylinder style=filled fillcolor="#dbe9f6"',
    "risk": 'shape=ellipse style=filled fillcolor="#f8cbad"',
    "treatment": 'shape=box style="rounded,filled" fillcolor="#fff2cc"',
    "control": 'shape=box style=filled fillcolor="#d9d2e9"',
    "evidence": 'shape=note style=filled fillcolor="#ededed"',
    "requirement": 'shape=tab style=filled fillcolor="#ffffff"',
    "obligation": 'shape=box style=filled fillcolor="#fce4d6"',
    "category": 'shape=octagon style=filled fillcolor="#f4b183"',
    "document": 'shape=note style=filled fillcolor="#e7f1e0"',
    "assessment": 'shape=box style="filled,dashed" fillcolor="#deebf7"',
    "incident": 'shape=box style="filled,diagonals" fillcolor="#ff9999"',
    "person": 'shape=plain',
    "missing": 'shape=note style="dashed,bold" color="#c62828" fontcolor="#c62828"',
}
_EDGE_LABELS = {
    "usesDataset": "uses data", "trainingDataset": "trained on", "validationDataset": "validated on",
    "testDataset": "tested on", "usesModel": "uses model", "basedOnModel": "based on", "hasRisk": "risk",
    "hasTreatment": "treated by", "appliesControl": "applies", "implementsControl": "implements",
    "hasEvidence": "evidence", "obligationApplies": "obligation", "derivedFromProvision": "from",
    "hasRiskCategory": "category", "owner": "owner", "hasRiskSource": "source",
    "hasTechnicalDocumentation": "technical documentation", "hasLogging": "logging",
    "hasHumanOversightMeasure": "human oversight", "hasPostMarketMonitoringPlan": "post-market monitoring plan",
    "hasConformityAssessment": "conformity assessment", "hasEURegistration": "EU registration",
    "assessesSystem": "assesses", "incidentOf": "incident of",
    "hasInstructionsForUse": "instructions for use", "hasRiskManagementProcess": "risk management process",
    "hasPerformanceMetric": "performance metric", "hasIntendedPurpose": "intended purpose",
}


@dataclass(frozen=True)
class Edge:
    source: str
    relation: str
    target: str


def _iri_term(iri: str) -> str:
    try:
        return str(ox.NamedNode(iri))
    except ValueError as error:
        raise InputError(f"{iri!r} is not a valid IRI ({error})") from error


def neighbourhood(store: Store, system_iri: str) -> tuple[dict[str, str], list[Edge]]:
    """Nodes (IRI -> kind) and edges around the system; sorted, so pictures are stable."""
    term = _iri_term(system_iri)
    branches = [f"{{ {reach.format(s=term)} ?from ?rel ?to . BIND(?to AS ?node) VALUES (?rel ?kind) {{ {values} }} }}"
                for reach, values in _HOPS]
    branches += [branch.format(s=term) for branch in _EXTRA_BRANCHES]
    query = _PREFIXES + "SELECT DISTINCT ?from ?rel ?to ?node ?kind WHERE {\n  " + "\n  UNION ".join(branches) + "\n}"
    kinds = {system_iri: "system"}
    edges = set()
    for row in store.query(query):  # type: ignore[union-attr]
        source, target = row["from"], row["to"]
        if not isinstance(target, ox.NamedNode) or not isinstance(source, ox.NamedNode):
            continue  # blank nodes cannot be named in the picture's links
        kinds.setdefault(row["node"].value, row["kind"].value)
        edges.add(Edge(source.value, row["rel"].value.rsplit("#", 1)[-1], target.value))
    return dict(sorted(kinds.items())), sorted(edges, key=lambda e: (e.source, e.relation, e.target))


def labels(store: Store, kinds: dict[str, str]) -> dict[str, str]:
    """Text for each node; control implementations and treatments say what they are doing,
    since their own labels would only repeat the control or the risk they belong to."""
    query = _LABEL_QUERY.format(nodes=" ".join(_iri_term(n) for n in kinds))
    found = {}
    for row in store.query(query):  # type: ignore[union-attr]
        part = {k: row[k].value if row[k] is not None else ""
                for k in ("label", "notation", "status", "option", "owner", "provision", "score")}
        kind = kinds[row["n"].value]
        if kind == "control":
            text = f"control implementation\nstatus: {part['status'] or 'not recorded'}"
            text += f"\nowner: {part['owner']}" if part["owner"] else ""
        elif kind == "obligation":
            text = f"{part['provision']}: {part['label']}" if part["provision"] else part["label"]
        elif kind == "risk":
            text = (part["label"] or _local_name(row["n"].value)) + (f"\nscore {part['score']}" if part["score"] else "")
        elif kind == "treatment":
            text = f"treatment: {part['option']}" if part["option"] else part["label"] or "treatment"
        else:
            text = " ".join(p for p in (part["notation"], part["label"]) if p)
        found[row["n"].value] = text
    return found


def _local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _wrapped(text: str, width: int = 28) -> str:
    return "\n".join(line for paragraph in text.split("\n") for line in textwrap.wrap(paragraph, width)[:4])


def _left_aligned(lines: list[str]) -> str:
    """A DOT label whose lines are left-aligned (each ends in ``\\l``)."""
    return '"' + "".join(line.replace("\\", "\\\\").replace('"', '\\"') + "\\l" for line in lines) + '"'


def to_dot(system_iri: str, kinds: dict[str, str], edges: list[Edge], names: dict[str, str],
           missing: list[str] = ()) -> str:  # type: ignore[assignment]
    """DOT text; the obligations, often thirty or more, are listed in one node to keep the
    picture readable; ``missing`` relations (local names) are drawn as red dashed notes."""
    obligations = sorted((names.get(iri) or _local_name(iri) for iri, kind in kinds.items() if kind == "obligation"),
                         key=notation_key)
    drawn = {iri: kind for iri, kind in kinds.items() if kind != "obligation"}
    ids = {iri: f"n{i}" for i, iri in enumerate(drawn)}
    title = "Traceability of " + (names.get(system_iri) or _local_name(system_iri))
    lines = ["digraph trace {", "  rankdir=LR; nodesep=0.25; ranksep=0.6;",
             f'  label={quote(title)}; labelloc=t; fontname="Helvetica"; fontsize=16;',
             '  node [fontname="Helvetica" fontsize=10]; edge [fontname="Helvetica" fontsize=8 color="#666666"];']
    for iri, kind in drawn.items():
        text = _wrapped(names.get(iri) or _local_name(iri))
        lines.append(f"  {ids[iri]} [label={quote(text)} {STYLES[kind]} tooltip={quote(iri)} URL={quote(iri)}];")
    for edge in edges:
        if edge.target in ids and edge.source in ids:
            label = _EDGE_LABELS.get(edge.relation, edge.relation)
            lines.append(f"  {ids[edge.source]} -> {ids[edge.target]} [label={quote(label)}];")
    for number, relation in enumerate(missing):
        label = _EDGE_LABELS.get(relation, relation)
        lines.append(f"  missing{number} [label={quote('missing: ' + label)} {STYLES['missing']}];")
        lines.append(f'  {ids[system_iri]} -> missing{number} [label={quote(label)} style=dashed color="#c62828"];')
    if obligations:
        listed = [f"{len(obligations)} obligations that apply:"] + [_shorten(o, 90) for o in obligations]
        lines.append(f"  obligations [label={_left_aligned(listed)} {STYLES['obligation']}];")
        lines.append(f"  {ids[system_iri]} -> obligations [label={quote('obligations')}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def missing_links(store: Store, system_iri: str, edges: list[Edge]) -> list[str]:
    """Relations (local names) that a validation finding on the system requires and the
    system lacks: the missing post-market monitoring plan of a high-risk system."""
    from aims_graph.validation import validate

    linked = {edge.relation for edge in edges if edge.source == system_iri}
    required = validate(store, system_iri).required_links(system_iri)
    return sorted(name for name in (iri.rsplit("#", 1)[-1] for iri in required if iri.startswith(AIMS))
                  if name not in linked)


def trace_picture(store: Store, system_iri: str, fmt: str = "svg") -> bytes:
    """The system's traceability graph as SVG or PNG bytes, with what its findings say is missing."""
    if fmt not in ("svg", "png"):
        raise InputError(f"picture format must be svg or png, not {fmt!r}")
    kinds, edges = neighbourhood(store, system_iri)
    if len(kinds) == 1 and not bool(store.query(f"ASK {{ {_iri_term(system_iri)} a <{AIMS}AISystem> }}")):
        raise NotFoundError(f"no AI system {system_iri} in the store")
    missing = missing_links(store, system_iri, edges)
    return render(to_dot(system_iri, kinds, edges, labels(store, kinds), missing), fmt)
