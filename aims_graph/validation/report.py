"""Validation reports: the standard sh:ValidationReport and a summary by requirement.

The summary answers the auditor's question "which clause, control or article passes,
and if not, where and why": one entry per requirement that some shape checks, listing
the failing focus nodes with the shape's message. Results of integrity shapes (which
check no requirement) are grouped under "data integrity".
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from aims_graph.shacl.report import ValidationReport, ValidationResult
from aims_graph.validation.shapes import SH, ShapesBundle

INTEGRITY = "data integrity"
SEVERITIES = ("Violation", "Warning", "Info")


def result_order(result: ValidationResult) -> tuple:
    """A canonical order of results: the engine's own order depends on how the data
    store happens to lay out its answers, and two reports of the same data (a fresh
    validation and a live one) must read the same."""
    return (str(result.focus_node), str(result.source_shape), str(result.source_constraint_component),
            str(result.result_path), str(result.value), tuple(str(m) for m in result.messages))


def requirement_labels(dataset: ox.Store, bundle: ShapesBundle) -> dict[str, tuple[str | None, str | None]]:
    """Notation and title of every requirement the shapes check, read from the reference
    context held in ``dataset`` (all its graphs together)."""
    requirements = sorted({r for info in bundle.shapes.values() for r in info.requirements})
    if not requirements:
        return {}
    values = " ".join(f"<{r}>" for r in requirements)
    rows = dataset.query(
        f"SELECT ?r (SAMPLE(?n) AS ?notation) (SAMPLE(?t) AS ?title) WHERE {{ VALUES ?r {{ {values} }} "
        "OPTIONAL { ?r <http://www.w3.org/2004/02/skos/core#notation> ?n } "
        "OPTIONAL { ?r <http://www.w3.org/2004/02/skos/core#prefLabel> ?t } } GROUP BY ?r",
        use_default_graph_as_union=True,
    )
    return {
        row["r"].value: (row["notation"].value if row["notation"] else None, row["title"].value if row["title"] else None)
        for row in rows
    }


@dataclass(frozen=True)
class Finding:
    focus_node: str
    shape: str
    severity: str
    message: str
    value: str | None
    path: str | None
    component: str


@dataclass
class RequirementStatus:
    requirement: str  # concept IRI, or "data integrity"
    notation: str | None
    title: str | None
    shapes: list[str]
    status: str = "pass"  # pass, or the worst severity among its findings
    findings: list[Finding] = field(default_factory=list)


@dataclass
class Summary:
    engine: str
    scope: str | None  # the system validated, None for the whole store
    conforms: bool  # SHACL conformance: no result at all
    violations: int
    warnings: int
    infos: int
    requirements: list[RequirementStatus]

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)


@dataclass
class ConformanceReport:
    """The results of one validation with everything needed to present them."""

    results: list[ValidationResult]
    bundle: ShapesBundle
    engine: str
    scope: str | None
    provisions: dict[str, tuple[str | None, str | None]]  # requirement IRI -> (notation, title)

    @property
    def has_violations(self) -> bool:
        return any(r.severity.value == SH + "Violation" for r in self.results)

    def standard(self) -> ValidationReport:
        return ValidationReport(self.results)

    def serialize(self, rdf_format: str) -> str:
        """The standard report as Turtle (``ttl``) or JSON-LD (``jsonld``)."""
        return serialize_report(self.standard(), rdf_format)

    def findings(self) -> list[Finding]:
        return [self._finding(r) for r in self.results]

    def _finding(self, result: ValidationResult) -> Finding:
        shape = self.bundle.owner_of(result.source_shape) or str(result.source_shape)
        info = self.bundle.shapes.get(shape)
        message = next((m.value for m in result.messages), None) or (info.message if info else None) or ""
        if info and info.message and message != info.message and not info.requirements:
            message = f"{info.message} ({message})"
        return Finding(
            focus_node=_text(result.focus_node),
            shape=shape,
            severity=result.severity.value.removeprefix(SH),
            message=message,
            value=_text(result.value) if result.value is not None else None,
            path=str(result.result_path) if result.result_path is not None else None,
            component=result.source_constraint_component.value.removeprefix(SH),
        )

    def summary(self) -> Summary:
        findings = self.findings()
        entries: dict[str, RequirementStatus] = {}
        for info in sorted(self.bundle.shapes.values(), key=lambda i: i.iri):
            if not info.targeted:
                continue
            for requirement in info.requirements or (INTEGRITY,):
                notation, title = self.provisions.get(requirement, (None, None))
                entry = entries.setdefault(requirement, RequirementStatus(requirement, notation, title, []))
                entry.shapes.append(info.iri)
        for finding in findings:
            info = self.bundle.shapes.get(finding.shape)
            for requirement in (info.requirements if info and info.requirements else (INTEGRITY,)):
                entry = entries.setdefault(requirement, RequirementStatus(requirement, None, None, []))
                entry.findings.append(finding)
        for entry in entries.values():
            if entry.findings:
                entry.status = min((f.severity for f in entry.findings), key=_rank)
        counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
        ordered = sorted(entries.values(), key=_reading_order)
        return Summary(self.engine, self.scope, not self.results, counts["Violation"], counts["Warning"],
                       counts["Info"], ordered)


REPORT_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD}


def serialize_report(report: ValidationReport, rdf_format: str) -> str:
    """A sh:ValidationReport as Turtle or JSON-LD, written by pyoxigraph: it keeps every
    literal as it was (rdflib would print an ill-formed "none"^^xsd:boolean as a bare
    ``none``, which is not Turtle)."""
    chosen = REPORT_FORMATS[rdf_format]
    prefixes = {"sh": SH, "xsd": "http://www.w3.org/2001/XMLSchema#"} if chosen == ox.RdfFormat.TURTLE else None
    return ox.serialize(report.triples(), format=chosen, prefixes=prefixes).decode("utf-8")


def _reading_order(entry: RequirementStatus) -> tuple:
    """Standards in IRI order, clauses in document order (6.1.2 before 10.2), integrity last."""
    scheme, _, local = entry.requirement.rpartition("/")
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", entry.notation or local) if p)
    return (entry.requirement == INTEGRITY, scheme, parts)


def _rank(severity: str) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def _text(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)
