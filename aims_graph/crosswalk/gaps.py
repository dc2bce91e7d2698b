"""Gaps: EU AI Act obligations that bind an organisation's AI systems but that its
ISO/IEC 42001 management system does not (yet) answer.

An obligation applies to a system when the graph says so (``aims:obligationApplies``,
the classifier's output) or when the system's operator role and risk category match
the obligation's (``aims:bindsRole`` / ``aims:appliesToCategory``; the role of each
operator property comes from its ``aims:operatorRole`` annotation in the ontology).
The obligation's provision, and every broader provision, is looked up in the
crosswalks; the Annex A controls mapped to it must be implemented
(``aims:implementationStatus aims:Implemented``) and not excluded by the Statement of
Applicability.  An obligation with no mapped control at all is a gap too.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from typing import Any

import pyoxigraph as ox

from aims_graph.crosswalk.index import CrosswalkIndex
from aims_graph.crosswalk.model import Relation
from aims_graph.errors import InputError
from aims_graph.rdf.namespaces import AIMS

IMPLEMENTED = "implemented"
NOT_IMPLEMENTED = "not implemented"
NOT_APPLICABLE = "not applicable in the SoA"
NO_RECORD = "no implementation recorded"

_PREFIXES = """
PREFIX aims: <https://w3id.org/aims-graph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
_OBLIGATIONS = _PREFIXES + """
SELECT DISTINCT ?system ?systemLabel ?obligation ?obligationLabel ?provision ?how WHERE {
  {
    ?system aims:obligationApplies ?obligation .
    BIND("asserted" AS ?how)
  } UNION {
    ?system ?operates ?operator . ?operates aims:operatorRole ?role .
    ?system aims:hasRiskCategory ?category .
    ?obligation a aims:Obligation ; aims:bindsRole ?role ; aims:appliesToCategory ?category .
    BIND("operator role and risk category" AS ?how)
  }
  %(organisation)s
  OPTIONAL { ?obligation aims:derivedFromProvision ?provision }
  OPTIONAL { ?obligation rdfs:label ?obligationLabel }
  OPTIONAL { ?system rdfs:label ?systemLabel }
}
"""
_ORGANISATION_FILTER = "?system ?operatesAs %s . ?operatesAs aims:operatorRole ?anyRole ."
_IMPLEMENTATIONS = _PREFIXES + """
SELECT ?control ?status WHERE {
  ?implementation aims:implementsControl ?control .
  OPTIONAL { ?implementation aims:implementationStatus ?status }
}
"""
_DECISIONS = _PREFIXES + """
SELECT ?control ?applicable ?justification WHERE {
  %(organisation)s
  ?decision aims:decisionFor ?control ; aims:applicable ?applicable .
  OPTIONAL { ?decision aims:justification ?justification }
}
"""
_SOA_FILTER = "?aims aims:operatedBy %s ; aims:hasStatementOfApplicability ?soa . ?soa aims:hasDecision ?decision ."
_CONTROLS = _PREFIXES + "SELECT ?control WHERE { ?control a aims:AnnexAControl }"


@dataclass(frozen=True)
class ControlFinding:
    control: str
    notation: str
    relation: str  # what the provision is to the control, IR 8477 term
    mapping: str
    via_provision: str
    state: str
    detail: str


@dataclass(frozen=True)
class ObligationCheck:
    system: str
    system_label: str
    obligation: str
    obligation_label: str
    provision: str
    provision_notation: str
    applies_because: str
    controls: tuple[ControlFinding, ...]

    @property
    def is_gap(self) -> bool:
        return not self.controls or any(c.state != IMPLEMENTED for c in self.controls)

    @property
    def reason(self) -> str:
        if not self.controls:
            return "no ISO/IEC 42001 control is mapped to the provision"
        missing = [f"{c.notation} {c.state}" for c in self.controls if c.state != IMPLEMENTED]
        return "; ".join(missing) if missing else "all mapped controls implemented"


@dataclass(frozen=True)
class GapReport:
    checks: tuple[ObligationCheck, ...]

    @property
    def gaps(self) -> tuple[ObligationCheck, ...]:
        return tuple(c for c in self.checks if c.is_gap)

    def to_dict(self) -> dict[str, Any]:
        return {
            "gaps": [{**asdict(c), "reason": c.reason} for c in self.gaps],
            "satisfied": [{**asdict(c), "reason": c.reason} for c in self.checks if not c.is_gap],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["system", "obligation", "provision", "gap", "reason", "controls"])
        for c in self.checks:
            writer.writerow([
                c.system, c.obligation, c.provision_notation, "yes" if c.is_gap else "no", c.reason,
                " ".join(f.notation for f in c.controls),
            ])
        return out.getvalue()


def _iri(value: str) -> str:
    """The organisation IRI as a SPARQL term; pyoxigraph refuses anything that is not an IRI."""
    try:
        return str(ox.NamedNode(value))
    except ValueError as error:
        raise InputError(f"organisation {value!r} is not an IRI: {error}") from None


def gaps(store: Any, index: CrosswalkIndex, organisation: str | None = None) -> GapReport:
    """Check every applicable obligation; ``organisation`` limits systems and SoA to one operator."""
    org = _iri(organisation) if organisation else None
    controls = {s["control"].value for s in store.query(_CONTROLS)}
    implemented = _implementation_states(store)
    decisions = _decisions(store, org)
    checks = []
    for s in store.query(_OBLIGATIONS % {"organisation": _ORGANISATION_FILTER % org if org else ""}):
        provision = s["provision"].value if s["provision"] is not None else ""
        findings = _findings(index, provision, controls, implemented, decisions) if provision else ()
        checks.append(
            ObligationCheck(
                system=s["system"].value,
                system_label=s["systemLabel"].value if s["systemLabel"] is not None else "",
                obligation=s["obligation"].value,
                obligation_label=s["obligationLabel"].value if s["obligationLabel"] is not None else "",
                provision=provision,
                provision_notation=index.concepts[provision].notation if provision in index.concepts else provision,
                applies_because=s["how"].value,
                controls=findings,
            )
        )
    # An asserted obligationApplies wins over the same obligation found by role and category.
    merged = {(c.system, c.obligation): c for c in sorted(checks, key=lambda c: c.applies_because, reverse=True)}
    return GapReport(tuple(sorted(merged.values(), key=lambda c: (c.system, c.provision_notation, c.obligation))))


def _implementation_states(store: Any) -> dict[str, str]:
    """Best recorded status per control: one implemented record is enough."""
    states: dict[str, str] = {}
    for s in store.query(_IMPLEMENTATIONS):
        status = s["status"].value if s["status"] is not None else ""
        control = s["control"].value
        if states.get(control) != AIMS + "Implemented":
            states[control] = status
    return states


def _decisions(store: Any, org: str | None) -> dict[str, tuple[bool, str]]:
    query = _DECISIONS % {"organisation": _SOA_FILTER % org if org else ""}
    found = {}
    for s in store.query(query):
        justification = s["justification"].value if s["justification"] is not None else ""
        found[s["control"].value] = (s["applicable"].value in ("true", "1"), justification)
    return found


def _findings(
    index: CrosswalkIndex,
    provision: str,
    controls: set[str],
    implemented: dict[str, str],
    decisions: dict[str, tuple[bool, str]],
) -> tuple[ControlFinding, ...]:
    findings: dict[str, ControlFinding] = {}
    for concept in [provision, *index.ancestors(provision)]:
        for link in index.links(concept):
            if link.relation is Relation.NO_RELATIONSHIP or link.target not in controls or link.target in findings:
                continue
            state, detail = _state(link.target, implemented, decisions)
            target = index.concepts.get(link.target)
            findings[link.target] = ControlFinding(
                control=link.target,
                notation=target.notation if target else link.target,
                relation=link.relation.value,
                mapping=link.mapping,
                via_provision=concept,
                state=state,
                detail=detail,
            )
    return tuple(sorted(findings.values(), key=lambda f: f.control))


def _state(control: str, implemented: dict[str, str], decisions: dict[str, tuple[bool, str]]) -> tuple[str, str]:
    applicable, justification = decisions.get(control, (True, ""))
    if not applicable:
        return NOT_APPLICABLE, justification
    if control not in implemented:
        return NO_RECORD, ""
    status = implemented[control]
    if status == AIMS + "Implemented":
        return IMPLEMENTED, ""
    return NOT_IMPLEMENTED, status.rsplit("#", 1)[-1] or "status not recorded"
