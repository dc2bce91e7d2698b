"""Annex IV technical documentation (EU AI Act, Article 11(1)) drafted from the graph.

The document follows Annex IV section by section, point by point, in the Act's order.
Each point is filled with what the graph records about the system, every value naming the
node it came from, or marked missing with the provision that asks for it: a reviewer sees
what the file still lacks instead of an empty heading. The list of points is fixed here,
never read from the organisation's data, so a point with nothing recorded cannot vanish.

A system that is not high-risk gets a short document that says so and why (its derived
classification with its explanations), not an empty file. The classification is derived
on the fly, as ``GET /systems/{id}`` does, so the document never rests on a stale one.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from aims_graph.classification import classify
from aims_graph.errors import InputError
from aims_graph.store.base import Store
from aims_graph.systems import system_name

FORMATS = ("md", "html", "json")
HIGH_RISK = ("HighRiskAnnexI", "HighRiskAnnexIII")
_PREFIXES = (
    "PREFIX aims: <https://w3id.org/aims-graph/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX dcterms: <http://purl.org/dc/terms/> "
)
_DATASETS = "(aims:trainingDataset|aims:validationDataset|aims:testDataset)"


@dataclass(frozen=True)
class Point:
    """One point of Annex IV: what it asks for (our words), the provisions that need it and
    the SPARQL property paths from the system that answer it (empty: no term records it yet)."""

    number: str
    asks_for: str
    needed_by: str
    paths: tuple[str, ...] = ()
    only_where: str = ""  # an extra pattern on ?value, e.g. the kind of a metric


@dataclass(frozen=True)
class Value:
    text: str
    source: str  # the node the value came from


@dataclass(frozen=True)
class Item:
    point: str
    asks_for: str
    needed_by: str
    status: str  # "filled" or "missing"
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Ground:
    category: str | None
    explanation: str
    provisions: tuple[str, ...]


@dataclass(frozen=True)
class AnnexIV:
    system: str
    label: str
    as_of: str
    high_risk: bool
    categories: tuple[str, ...]
    classification: tuple[Ground, ...]
    sections: tuple[Section, ...]

    @property
    def missing(self) -> int:
        return sum(item.status == "missing" for section in self.sections for item in section.items)

    @property
    def filled(self) -> int:
        return sum(item.status == "filled" for section in self.sections for item in section.items)


_METRIC_KIND = '?value aims:metricKind "{}" .'
# Annex IV as the Act lists it (points 1 to 9, with the lettered items of points 1 and 2).
SECTIONS: tuple[tuple[str, str, tuple[Point, ...]], ...] = (
    (
        "1",
        "General description of the AI system",
        (
            Point(
                "1(a)",
                "intended purpose, name of the provider, version of the system and its relation to earlier versions",
                "Annex IV point 1(a); Article 11(1)",
                ("aims:hasIntendedPurpose", "aims:provider"),
            ),
            Point(
                "1(b)",
                "how the system interacts with hardware, software or other AI systems that are not part of it",
                "Annex IV point 1(b)",
            ),
            Point(
                "1(c)",
                "versions of relevant software or firmware and requirements for version updates",
                "Annex IV point 1(c)",
            ),
            Point(
                "1(d)",
                "the forms in which the system is placed on the market or put into service",
                "Annex IV point 1(d)",
            ),
            Point("1(e)", "the hardware on which the system is intended to run", "Annex IV point 1(e)"),
            Point(
                "1(f)",
                "where the system is a component of products: illustrations of their external features, marking and layout",
                "Annex IV point 1(f)",
                ("aims:coveredByAnnexI",),
            ),
            Point("1(g)", "a basic description of the user interface provided to the deployer", "Annex IV point 1(g)"),
            Point(
                "1(h)",
                "instructions for use for the deployer",
                "Annex IV point 1(h); Article 13",
                ("aims:hasInstructionsForUse",),
            ),
        ),
    ),
    (
        "2",
        "Detailed description of the elements of the system and of its development",
        (
            Point(
                "2(a)",
                "methods and steps of development, including pre-trained systems or third-party tools and how they were used",
                "Annex IV point 2(a)",
                ("aims:usesModel", "aims:usesModel/aims:suppliedBy"),
            ),
            Point(
                "2(b)",
                "design specifications: general logic, algorithms, key design choices and their rationale",
                "Annex IV point 2(b)",
            ),
            Point(
                "2(c)",
                "system architecture and the computational resources used to develop, train, test and validate it",
                "Annex IV point 2(c)",
            ),
            Point(
                "2(d)",
                "data requirements: datasheets of the training, validation and test data, their provenance, scope and preparation",
                "Annex IV point 2(d); Article 10",
                (
                    _DATASETS,
                    f"{_DATASETS}/prov:wasDerivedFrom",
                    f"{_DATASETS}/aims:hasDataGovernance",
                    f"{_DATASETS}/aims:dataQualityCheck",
                ),
            ),
            Point(
                "2(e)",
                "assessment of the human oversight measures needed, including tools for deployers to interpret outputs",
                "Annex IV point 2(e); Article 14",
                ("aims:hasHumanOversightMeasure",),
            ),
            Point(
                "2(f)",
                "pre-determined changes to the system and its performance, with the solutions that keep it compliant",
                "Annex IV point 2(f); Article 43(4)",
            ),
            Point(
                "2(g)",
                "validation and testing procedures: data, metrics (accuracy, robustness, discriminatory impact), test logs",
                "Annex IV point 2(g); Article 15",
                ("aims:testDataset", "aims:validationDataset", "aims:hasPerformanceMetric"),
            ),
            Point(
                "2(h)",
                "cybersecurity measures",
                "Annex IV point 2(h); Article 15(5)",
                ("aims:hasPerformanceMetric",),
                _METRIC_KIND.format("cybersecurity"),
            ),
        ),
    ),
    (
        "3",
        "Monitoring, functioning and control of the AI system",
        (
            Point(
                "3",
                "capabilities and limitations in performance, foreseeable unintended outcomes and sources of risk, "
                "human oversight measures and specifications of input data",
                "Annex IV point 3; Articles 12, 13 and 14",
                ("aims:hasLogging", "aims:hasHumanOversightMeasure", "aims:hasRisk", "aims:affects"),
            ),
        ),
    ),
    (
        "4",
        "Appropriateness of the performance metrics",
        (
            Point(
                "4",
                "why the performance metrics suit the system",
                "Annex IV point 4; Article 15(3)",
                ("aims:hasPerformanceMetric",),
            ),
        ),
    ),
    (
        "5",
        "Risk management system",
        (
            Point(
                "5",
                "the risk management system of Article 9",
                "Annex IV point 5; Article 9",
                ("aims:hasRiskManagementProcess", "aims:hasRisk"),
            ),
        ),
    ),
    (
        "6",
        "Changes over the life cycle",
        (
            Point(
                "6",
                "relevant changes made by the provider to the system through its life cycle",
                "Annex IV point 6; Article 11(1)",
                ("aims:lifeCycleStage", "aims:usesModel/aims:basedOnModel"),
            ),
        ),
    ),
    (
        "7",
        "Harmonised standards and other solutions applied",
        (
            Point(
                "7",
                "the harmonised standards applied in full or in part; otherwise the solutions adopted to meet Chapter III Section 2",
                "Annex IV point 7; Articles 40 and 41",
                ("aims:harmonisedStandardsApplied",),
            ),
        ),
    ),
    (
        "8",
        "EU declaration of conformity",
        (
            Point(
                "8",
                "a copy of the EU declaration of conformity (the recorded conformity assessment is given)",
                "Annex IV point 8; Articles 43 and 47",
                ("aims:hasConformityAssessment",),
            ),
        ),
    ),
    (
        "9",
        "Post-market monitoring",
        (
            Point(
                "9",
                "the system for evaluating performance after placing on the market, including the post-market monitoring plan",
                "Annex IV point 9; Article 72",
                ("aims:hasPostMarketMonitoringPlan",),
            ),
        ),
    ),
)


def annex_iv(store: Store, system: str, as_of: dt.date | None = None) -> AnnexIV:
    """The Annex IV document of ``system`` (an IRI the caller resolved), as the law stands on ``as_of``."""
    on = as_of or dt.date.today()
    [result] = classify(store, system, write=False, as_of=on)
    categories = tuple(result.categories)
    grounds = tuple(
        Ground(r.category, r.explanation, tuple(p.notation or p.iri for p in r.grounds)) for r in result.records
    )
    high_risk = any(c in HIGH_RISK for c in categories)
    sections = (
        tuple(
            Section(number, title, tuple(_item(store, system, point) for point in points))
            for number, title, points in SECTIONS
        )
        if high_risk
        else ()
    )
    return AnnexIV(system, system_name(store, system), on.isoformat(), high_risk, categories, grounds, sections)


def _item(store: Store, system: str, point: Point) -> Item:
    values: list[Value] = []
    for path in point.paths:
        query = (
            f"{_PREFIXES} SELECT DISTINCT ?value ?label WHERE {{ {ox.NamedNode(system)} {path} ?value . "
            f"{point.only_where} OPTIONAL {{ ?value rdfs:label|dcterms:title|aims:checkResult ?label }} }} ORDER BY ?value"
        )
        for row in store.query(query):  # type: ignore[union-attr]
            value, label = row["value"], row["label"]
            if isinstance(value, ox.Literal):
                found = Value(value.value, system)
            else:
                found = Value(label.value if label is not None else value.value, value.value)
            if found not in values:
                values.append(found)
    return Item(point.number, point.asks_for, point.needed_by, "filled" if values else "missing", tuple(values))


# --- Output formats -------------------------------------------------------------------------


def render(document: AnnexIV, output_format: str) -> str:
    """The document as Markdown, HTML or JSON."""
    renderers = {"md": _markdown, "html": _html, "json": _json}
    if output_format not in renderers:
        raise InputError(f"unknown Annex IV format {output_format!r}: use one of {', '.join(FORMATS)}")
    return renderers[output_format](document)


def _json(document: AnnexIV) -> str:
    body = asdict(document)
    body["summary"] = {"filled": document.filled, "missing": document.missing}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def _verdict(document: AnnexIV) -> str:
    """Why the document has sections, or why it has none."""
    categories = ", ".join(document.categories) or "no category"
    if document.high_risk:
        return (
            f"Classified {categories} as of {document.as_of}: a high-risk system, whose provider draws up "
            f"this documentation before placing it on the market (Article 11(1)). "
            f"{document.filled} points filled from the graph, {document.missing} missing."
        )
    return (
        f"Classified {categories} as of {document.as_of}: not a high-risk system, so Article 11(1) asks for "
        "no Annex IV technical documentation."
    )


def _markdown(document: AnnexIV) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        f"# Annex IV technical documentation (draft): {cell(document.label)}",
        "",
        f"System: <{document.system}>",
        "",
        _verdict(document),
        "",
        "## Classification",
        "",
    ]
    lines += [
        f"- {cell(g.category or 'exemption')}: {cell(g.explanation)} ({', '.join(g.provisions)})"
        for g in document.classification
    ] or ["- no classification record"]
    for section in document.sections:
        lines += [
            "",
            f"## {section.number}. {section.title}",
            "",
            "| point | asks for | status | from the graph | needed by |",
            "|---|---|---|---|---|",
        ]
        for item in section.items:
            found = "; ".join(f"{cell(v.text)} (<{v.source}>)" for v in item.values) or "—"
            lines.append(f"| {item.point} | {cell(item.asks_for)} | {item.status} | {found} | {item.needed_by} |")
    return "\n".join(lines) + "\n"


def _html(document: AnnexIV) -> str:
    title = html.escape(f"Annex IV technical documentation (draft): {document.label}")
    grounds = "".join(
        f"<li>{html.escape(g.category or 'exemption')}: {html.escape(g.explanation)} "
        f"({html.escape(', '.join(g.provisions))})</li>"
        for g in document.classification
    )
    parts = [
        f"<h1>{title}</h1><p>System: {html.escape(document.system)}</p><p>{html.escape(_verdict(document))}</p>",
        f"<h2>Classification</h2><ul>{grounds}</ul>",
    ]
    for section in document.sections:
        rows = "".join(
            f'<tr class="{item.status}"><td>{html.escape(item.point)}</td><td>{html.escape(item.asks_for)}</td>'
            f"<td>{item.status}</td><td>"
            + "<br>".join(f"{html.escape(v.text)} <small>{html.escape(v.source)}</small>" for v in item.values)
            + f"</td><td>{html.escape(item.needed_by)}</td></tr>"
            for item in section.items
        )
        parts.append(
            f"<h2>{html.escape(section.number)}. {html.escape(section.title)}</h2><table><thead><tr><th>Point</th>"
            f"<th>Asks for</th><th>Status</th><th>From the graph</th><th>Needed by</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;vertical-align:top}"
        "tr.missing td{background:#fdd}</style></head><body>" + "".join(parts) + "</body></html>\n"
    )
