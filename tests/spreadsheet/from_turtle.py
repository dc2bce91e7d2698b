"""The example organisation's Turtle written out as filled sheets, the way a person would
copy it into the templates: one row per system, model, dataset, risk, control decision,
incident, document, assessment, impact, audit and audit finding.

Rows are read from the store at run time (so systems added to the example later are
carried along), and every resource's Turtle IRI is paired with the IRI its row gets, so
that the findings of both routes can be compared term for term.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from aims_graph.spreadsheet.columns import DOCUMENT_KINDS, KINDS
from aims_graph.spreadsheet.iris import DataIris
from aims_graph.spreadsheet.mapping import _CONCEPT_COLUMNS, _SYSTEM_DATES, _SYSTEM_FLAGS, _VALUE_CHAIN_EVENTS
from aims_graph.store import Store

AIMS = "https://w3id.org/aims-graph/ontology#"
PREFIXES = (f"PREFIX aims: <{AIMS}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "PREFIX dct: <http://purl.org/dc/terms/> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> ")
Rows = dict[str, list[dict[str, object]]]


@dataclass
class Sheets:
    iris: DataIris
    org_iri: str
    rows: Rows = field(default_factory=lambda: {kind: [] for kind in KINDS})
    renamed: dict[str, str] = field(default_factory=dict)  # Turtle IRI -> spreadsheet IRI

    def add(self, kind: str, turtle_iri: str, target: str, row: dict[str, object]) -> None:
        self.rows[kind].append({k: v for k, v in row.items() if v not in (None, "", [])})
        self.renamed[turtle_iri] = target


def local(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


class Reader:
    def __init__(self, store: Store, graph: str) -> None:
        self.store, self.graph = store, graph

    def select(self, where: str, variables: str = "*") -> list[dict[str, str]]:
        rows = self.store.query(f"{PREFIXES} SELECT {variables} WHERE {{ GRAPH <{self.graph}> {{ {where} }} }}")
        return [{v.value: row[v].value for v in rows.variables if row[v] is not None} for row in rows]  # type: ignore[union-attr]

    def subjects(self, cls: str) -> list[str]:
        return sorted({r["s"] for r in self.select(f"?s a <{cls}>")})

    def values(self, subject: str, path: str) -> list[str]:
        return sorted({r["o"] for r in self.select(f"<{subject}> {path} ?o")})

    def one(self, subject: str, path: str) -> str | None:
        found = self.values(subject, path)
        return found[0] if found else None

    def label(self, subject: str | None) -> str | None:
        return None if subject is None else self.one(subject, "rdfs:label|skos:prefLabel")


def notation(store: Store, concept: str) -> str:
    rows = list(store.query(f"SELECT ?n WHERE {{ GRAPH ?g {{ <{concept}> <http://www.w3.org/2004/02/skos/core#notation> ?n }} }}"))
    return rows[0]["n"].value  # type: ignore[index]


def yes_no(value: str | None) -> str | None:
    return None if value is None else "yes" if value == "true" else "no"


def example_sheets(store: Store, graph: str, org: str) -> Sheets:
    read = Reader(store, graph)
    [aims_node] = read.subjects(AIMS + "AIManagementSystem")
    org_iri = read.one(aims_node, "aims:operatedBy")
    assert org_iri is not None
    sheets = Sheets(DataIris.for_org(org), org_iri)
    iris = sheets.iris
    sheets.renamed[aims_node] = iris.aims
    sheets.renamed[org_iri] = iris.organisation()

    def name_of(party: str | None) -> str | None:
        return None if party is None else org if party == org_iri else read.label(party)

    covered = set(read.values(aims_node, "aims:coversSystem"))
    for system in read.subjects(AIMS + "AISystem"):
        row: dict[str, object] = {
            "id": local(system), "name": read.label(system), "owner": read.label(read.one(system, "aims:owner")),
            "purpose": read.one(system, "aims:hasIntendedPurpose/rdfs:comment") or read.label(read.one(system, "aims:hasIntendedPurpose")),
            "domain": read.label(read.one(system, "aims:hasDomain")),
            "roles": "; ".join(role for role in ("provider", "deployer", "importer", "distributor")
                               if org_iri in read.values(system, f"aims:{role}")),
            "supplier": read.label(read.one(system, "aims:suppliedBy")),
            "in_scope": "yes" if system in covered else "no",
            "affects": "; ".join(filter(None, (read.label(a) for a in read.values(system, "aims:affects")))),
        }
        for column, prop in _CONCEPT_COLUMNS.items():
            row[column] = "; ".join(notation(store, c) for c in read.values(system, f"aims:{prop}"))
        for column, prop in _SYSTEM_FLAGS.items():
            row[column] = yes_no(read.one(system, f"aims:{prop}"))
        for column, prop in _SYSTEM_DATES.items():
            row[column] = read.one(system, f"aims:{prop}")
        for column, cls, _, day_column in _VALUE_CHAIN_EVENTS:
            event = next((e for e in read.values(system, "aims:valueChainEvent")
                          if AIMS + cls in read.values(e, "a")), None)
            if event:
                row[column] = name_of(read.one(event, "aims:performedBy"))
                if day_column:
                    row[day_column] = read.one(event, "aims:occurredOn")
        sheets.add("inventory", system, iris.system(local(system)), row)

    for model in read.subjects(AIMS + "AIModel") + read.subjects(AIMS + "GeneralPurposeAIModel"):
        if iris.of("model", local(model)) in sheets.renamed.values():
            continue
        stage = read.one(model, "aims:lifeCycleStage")
        sheets.add("models", model, iris.of("model", local(model)), {
            "id": local(model), "name": read.label(model),
            "system": "; ".join(sorted(local(r["s"]) for r in read.select(f"?s aims:usesModel <{model}>"))),
            "based_on": "; ".join(local(m) for m in read.values(model, "aims:basedOnModel")),
            "provider": name_of(read.one(model, "aims:provider")),
            "supplier": read.label(read.one(model, "aims:suppliedBy")),
            "owner": read.label(read.one(model, "aims:owner")),
            "life_cycle_stage": notation(store, stage) if stage else None,
            "general_purpose": "yes" if AIMS + "GeneralPurposeAIModel" in read.values(model, "a") else None,
            "training_compute": read.one(model, "aims:trainingCompute"),
            "designated_systemic_risk": yes_no(read.one(model, "aims:designatedSystemicRisk")),
        })

    for dataset in read.subjects(AIMS + "Dataset"):
        users = read.select(f"?u ?role <{dataset}> FILTER(?role IN (aims:trainingDataset, aims:validationDataset, "
                            "aims:testDataset, aims:usesDataset))")
        role = {AIMS + "trainingDataset": "training", AIMS + "validationDataset": "validation",
                AIMS + "testDataset": "test"}.get(users[0]["role"] if users else "", "other")
        check = read.one(dataset, "aims:dataQualityCheck")
        systems = sorted(local(u["u"]) for u in users if u["u"] in sheets.renamed and "/system/" in sheets.renamed[u["u"]])
        models = sorted(local(u["u"]) for u in users if u["u"] in sheets.renamed and "/model/" in sheets.renamed[u["u"]])
        source = read.one(dataset, "aims:dataSource") or read.label(read.one(dataset, "prov:wasDerivedFrom"))
        sheets.add("datasets", dataset, iris.of("dataset", local(dataset)), {
            "id": local(dataset), "name": read.label(dataset), "system": "; ".join(systems), "model": "; ".join(models),
            "role": role, "source": source, "collected_on": read.one(dataset, "aims:collectedOn"),
            "personal_data": yes_no(read.one(dataset, "aims:containsPersonalData")),
            "supplier": read.label(read.one(dataset, "aims:suppliedBy")),
            "owner": read.label(read.one(dataset, "aims:owner")),
            "defective": yes_no(read.one(dataset, "aims:defective")),
            **({} if check is None else {
                "quality_dimension": read.one(check, "aims:qualityDimension"),
                "quality_result": read.one(check, "aims:checkResult"),
                "quality_checked_on": read.one(check, "aims:checkedOn"),
                "quality_passed": yes_no(read.one(check, "aims:passed"))}),
        })

    for risk in read.subjects(AIMS + "Risk"):
        systems = [r["s"] for r in read.select(f"{{ ?s aims:hasRisk <{risk}> }} UNION "
                                               f"{{ ?a aims:identifiesRisk <{risk}> ; aims:assessesSystem ?s }}")]
        treatment = read.one(risk, "aims:hasTreatment")
        source = read.one(risk, "aims:hasRiskSource/aims:sourceCategory")
        row = {"id": local(risk), "system": local(systems[0]), "title": read.label(risk),
               "description": read.one(risk, "rdfs:comment"),
               "source_category": notation(store, source) if source else None,
               "consequence": read.one(risk, "aims:hasConsequence/rdfs:comment") or read.label(read.one(risk, "aims:hasConsequence")),
               "likelihood": read.one(risk, "aims:hasLikelihood"), "severity": read.one(risk, "aims:hasSeverity"),
               "score": read.one(risk, "aims:riskScore"), "owner": read.label(read.one(risk, "aims:owner"))}
        if treatment:
            option = read.one(treatment, "aims:treatmentOption")
            row |= {"treatment_option": local(option).lower() if option else None,
                    "controls": "; ".join(notation(store, c) for c in read.values(treatment, "aims:appliesControl/aims:implementsControl")),
                    "residual_score": read.one(treatment, "aims:residualRiskScore")}
            sheets.renamed[treatment] = iris.of("risk", local(risk)) + "/treatment"
        sheets.add("risk-register", risk, iris.of("risk", local(risk)), row)

    [soa] = read.values(aims_node, "aims:hasStatementOfApplicability")
    sheets.renamed[soa] = iris.soa
    for decision in read.values(soa, "aims:hasDecision"):
        control = read.one(decision, "aims:decisionFor")
        assert control is not None
        code = notation(store, control)
        row = {"control": code, "applicable": yes_no(read.one(decision, "aims:applicable")),
               "justification": read.one(decision, "aims:justification")}
        implementation = read.one(decision, "aims:decisionFor/^aims:implementsControl")
        if implementation:
            status = read.one(implementation, "aims:implementationStatus")
            evidence = read.one(implementation, "aims:hasEvidence")
            row |= {"status": {AIMS + "Implemented": "implemented", AIMS + "PartiallyImplemented": "partially implemented",
                               AIMS + "Planned": "planned", AIMS + "NotImplemented": "not implemented"}.get(status or ""),
                    "owner": read.label(read.one(implementation, "aims:owner"))}
            if evidence:
                row |= {"evidence_title": read.one(evidence, "dct:title"), "evidence_location": read.one(evidence, "aims:location"),
                        "evidence_date": read.one(evidence, "dct:date")}
            sheets.renamed[implementation] = iris.control(code)
        sheets.add("controls", decision, iris.of("decision", code), row)

    for incident in read.subjects(AIMS + "Incident") + read.subjects(AIMS + "SeriousIncident"):
        if iris.of("incident", local(incident)) in sheets.renamed.values():
            continue
        kind = read.one(incident, "aims:incidentKind")
        status = read.one(incident, "aims:status")
        sheets.add("incidents", incident, iris.of("incident", local(incident)), {
            "id": local(incident), "system": local(read.one(incident, "aims:incidentOf") or ""),
            "title": read.label(incident), "description": read.one(incident, "rdfs:comment"),
            "occurred_on": read.one(incident, "aims:occurredOn"), "aware_on": read.one(incident, "aims:awareOn"),
            "reported_on": read.one(incident, "aims:reportedOn"),
            "serious": "yes" if AIMS + "SeriousIncident" in read.values(incident, "a") else "no",
            "kind": " ".join(w.lower() for w in _words(local(kind))) if kind else None,
            "status": local(status).lower() if status else None,
        })

    sheets.add("management-system", aims_node, iris.aims, {
        "name": read.label(aims_node), "scope": read.one(aims_node, "rdfs:comment"),
        "owner": read.label(read.one(aims_node, "aims:owner")),
        "risk_acceptance_threshold": read.one(aims_node, "aims:riskAcceptanceThreshold"),
        "soa_owner": read.label(read.one(soa, "aims:owner")), "soa_date": read.one(soa, "dct:date"),
        "soa_location": read.one(soa, "aims:location"), "soa_review_date": read.one(soa, "aims:nextReviewDate"),
    })
    for kind, (cls, link, holder) in DOCUMENT_KINDS.items():
        for document in read.subjects(AIMS + cls):
            holders = [r["h"] for r in read.select(f"?h aims:{link} <{document}>")]
            sheets.add("documents", document, iris.of("document", local(document)), {
                "id": local(document), "kind": kind, "title": read.label(document),
                "description": read.one(document, "rdfs:comment"),
                "system": "; ".join(local(h) for h in holders) if holder == "system" else None,
                "dataset": "; ".join(local(h) for h in holders) if holder == "dataset" else None,
                "metric_kind": read.one(document, "aims:metricKind"),
                "exception": "; ".join(notation(store, c) for c in read.values(document, "aims:reliesOnException")),
                "assessed_by": read.label(read.one(document, "aims:assessedBy")),
                "owner": read.label(read.one(document, "aims:owner")), "date": read.one(document, "dct:date"),
                "location": read.one(document, "aims:location"), "next_review_date": read.one(document, "aims:nextReviewDate"),
            })

    kinds = {AIMS + "RiskAssessment": "risk assessment", AIMS + "ImpactAssessment": "impact assessment",
             AIMS + "FundamentalRightsImpactAssessment": "fundamental rights impact assessment"}
    for cls, kind in kinds.items():
        for assessment in read.subjects(cls):
            if iris.of("assessment", local(assessment)) in sheets.renamed.values():
                continue
            types = read.values(assessment, "a")
            kind = next(kinds[t] for t in reversed(list(kinds)) if t in types)
            sheets.add("assessments", assessment, iris.of("assessment", local(assessment)), {
                "id": local(assessment), "kind": kind, "title": read.label(assessment),
                "system": "; ".join(local(s) for s in read.values(assessment, "aims:assessesSystem")),
                "owner": read.label(read.one(assessment, "aims:owner")), "date": read.one(assessment, "dct:date"),
                "risks": "; ".join(local(r) for r in read.values(assessment, "aims:identifiesRisk")),
            })
            for impact in read.values(assessment, "aims:identifiesImpact"):
                direction, level = read.one(impact, "aims:impactDirection"), read.one(impact, "aims:impactLevel")
                sheets.add("impacts", impact, iris.of("impact", local(impact)), {
                    "id": local(impact), "assessment": local(assessment), "title": read.label(impact),
                    "dimension": "; ".join(" ".join(_words(local(d))) for d in read.values(impact, "aims:impactDimension")),
                    "direction": local(direction) if direction else None,
                    "level": local(level).removesuffix("Level") if level else None,
                    "affects": "; ".join(filter(None, (read.label(a) for a in read.values(impact, "aims:affects")))),
                })

    for audit in read.subjects(AIMS + "InternalAudit"):
        sheets.add("audits", audit, iris.of("audit", local(audit)), {
            "id": local(audit), "title": read.label(audit), "date": read.one(audit, "dct:date"),
            "scope": read.one(audit, "aims:auditScope"), "owner": read.label(read.one(audit, "aims:owner")),
            "of_management_system": "yes" if read.one(audit, "aims:auditsManagementSystem") else None})
    for cls, kind in ((AIMS + "Nonconformity", "nonconformity"), (AIMS + "AuditFinding", "observation")):
        for finding in read.subjects(cls):
            action = read.one(finding, "aims:addressedBy")
            status = read.one(action, "aims:status") if action else None
            sheets.add("audit-findings", finding, iris.of("finding", local(finding)), {
                "id": local(finding), "audit": local(read.one(finding, "aims:raisedIn") or ""), "kind": kind,
                "title": read.label(finding), "action": read.label(action),
                "action_owner": read.label(read.one(action, "aims:owner")) if action else None,
                "action_due_on": read.one(action, "aims:dueDate") if action else None,
                "action_status": local(status).lower() if status else None})
            if action:
                sheets.renamed[action] = iris.of("finding", local(finding)) + "/action"
    return sheets


def _words(camel: str) -> list[str]:
    out, word = [], ""
    for ch in camel:
        if ch.isupper() and word:
            out.append(word)
            word = ""
        word += ch
    return out + [word] if word else out

