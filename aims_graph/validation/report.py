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
from typing import Any

import pyoxigraph as ox

from aims_graph.shacl.paths import Path, Predicate
from aims_graph.shacl.report import ValidationReport, ValidationResult
from aims_graph.validation.shapes import SH, ShapeInfo, ShapesBundle
from aims_graph.validation.wording import path_text, requirement_text, term_text

INTEGRITY = "data integrity"
SEVERITIES = ("Violation", "Warning", "Info")
SPARQL_COMPONENT = SH + "SPARQLConstraintComponent"


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
    """One thing wrong with one focus node: every result of one shape about the same
    path and value is one finding (a likelihood "high" breaks the datatype and both bounds
    of one property: one mistake, one finding), citing every requirement its shape checks."""

    focus_node: str
    shape: str
    severity: str
    message: str
    value: str | None
    path: str | None  # the property's IRI, or a SPARQL property path for a complex path
    components: tuple[str, ...]  # the SHACL constraint components that failed
    requirements: tuple[str, ...]  # IRIs of every requirement the shape checks; () for integrity


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
    requirements: list[RequirementStatus]  # a finding that cites n requirements is listed under each
    findings: list[Finding] = field(default_factory=list)  # every finding once

    def to_dict(self) -> dict:
        """JSON's types (a finding's tuples become lists), so that the dictionary equals the
        JSON the API answers with once parsed."""
        return _plain(asdict(self))

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
        """The results merged into findings, in result order."""
        groups: dict[tuple, list[ValidationResult]] = {}
        for result in self.results:
            shape = self.bundle.owner_of(result.source_shape) or str(result.source_shape)
            groups.setdefault((result.focus_node, shape, result.result_path, result.value), []).append(result)
        return [self._finding(shape, results) for (_, shape, _, _), results in groups.items()]

    def _finding(self, shape: str, results: list[ValidationResult]) -> Finding:
        first = results[0]
        info = self.bundle.shapes.get(shape)
        components = tuple(dict.fromkeys(r.source_constraint_component.value.removeprefix(SH) for r in results))
        return Finding(
            focus_node=_text(first.focus_node),
            shape=shape,
            severity=min((r.severity.value.removeprefix(SH) for r in results), key=_rank),
            message=self._message(results, info),
            value=_text(first.value) if first.value is not None else None,
            path=_path(first.result_path),
            components=components,
            requirements=info.requirements if info else (),
        )

    def _message(self, results: list[ValidationResult], info: ShapeInfo | None) -> str:
        """The messages the shapes declare (filled by the engine), once each; for the
        parts of a shape that declare none, the shape's own message with what failed."""
        declared: list[str] = []
        unworded: list[ValidationResult] = []
        for result in results:
            own = result.source_constraint_component.value == SPARQL_COMPONENT or self.bundle.values(
                result.source_shape, SH + "message")
            if own and result.messages:
                declared += [m.value for m in result.messages]
            else:
                unworded.append(result)
        parts = list(dict.fromkeys(declared))
        if unworded:
            first = unworded[0]
            asked = ", ".join(dict.fromkeys(
                requirement_text(self.bundle, r.source_shape, [r.source_constraint_component.value]) for r in unworded))
            subject = path_text(first.result_path) if first.result_path is not None else ""
            if first.value is not None and first.value != first.focus_node:
                subject = f"{subject} {term_text(first.value)}".strip()
            detail = f"{subject}: {asked}" if subject else asked
            own_message = [m.value for m in self.bundle.values(ox.NamedNode(info.iri), SH + "message")
                           if isinstance(m, ox.Literal)] if info else []
            parts.append(f"{own_message[0]} ({detail})" if own_message else detail)
        return " ".join(parts)

    def required_links(self, focus: str) -> set[str]:
        """The properties that the shapes of the findings on ``focus`` require at least once
        (``sh:minCount`` on a plain property, read from the shapes graph): where ``focus``
        has none of them, they name the artefacts those findings say are missing."""
        shapes = {f.shape for f in self.findings() if f.focus_node == focus}
        nodes: list[object] = [ox.NamedNode(s) for s in shapes]
        nodes += [node for node, owner in self.bundle.owners.items() if owner in shapes]
        required = set()
        for node in nodes:
            paths, counts = self.bundle.values(node, SH + "path"), self.bundle.values(node, SH + "minCount")
            if paths and counts and isinstance(paths[0], ox.NamedNode) and isinstance(counts[0], ox.Literal) \
                    and counts[0].value.isdigit() and int(counts[0].value) >= 1:
                required.add(paths[0].value)
        return required

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
            for requirement in finding.requirements or (INTEGRITY,):
                entry = entries.setdefault(requirement, RequirementStatus(requirement, None, None, []))
                entry.findings.append(finding)
        for entry in entries.values():
            if entry.findings:
                entry.status = min((f.severity for f in entry.findings), key=_rank)
        counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITIES}
        ordered = sorted(entries.values(), key=_reading_order)
        return Summary(self.engine, self.scope, not self.results, counts["Violation"], counts["Warning"],
                       counts["Info"], ordered, findings)


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


def _path(path: Path | None) -> str | None:
    """A result path for JSON: the bare IRI of a plain property, else a SPARQL property path."""
    if path is None:
        return None
    return path.iri.value if isinstance(path, Predicate) else path.sparql()


def _text(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
