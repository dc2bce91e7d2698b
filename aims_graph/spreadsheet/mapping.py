"""What one checked row says in RDF, for each sheet kind.

Every resource gets an IRI derived from declared ids (see ``iris``), never a blank
node, so re-importing the same row yields the same triples.  Derived nodes (a risk's
treatment, a system's intended purpose) hang under their parent's IRI.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from aims_graph.rdf.namespaces import DCTERMS, SKOS
from aims_graph.spreadsheet import ntriples as nt
from aims_graph.spreadsheet.iris import DataIris, slug

Concept = tuple[str, str, str]
"""(notation, label, IRI) of a reference concept named in a cell."""


class Row(dict[str, object]):
    """One checked row: column name -> parsed value (``None`` or ``[]`` when empty)."""

    def text(self, column: str) -> str | None:
        value = self.get(column)
        return None if value is None else str(value)

    def flag(self, column: str) -> bool | None:
        value = self.get(column)
        return None if value is None else bool(value)

    def number(self, column: str) -> int | None:
        value = self.get(column)
        return value if isinstance(value, int) else None

    def day(self, column: str) -> dt.date | None:
        value = self.get(column)
        return value if isinstance(value, dt.date) else None

    def many(self, column: str) -> list[object]:
        value = self.get(column)
        return value if isinstance(value, list) else [] if value is None else [value]

    def concept(self, column: str) -> Concept | None:
        value = self.get(column)
        return value if isinstance(value, tuple) else None

    def concepts(self, column: str) -> list[Concept]:
        return [c for c in self.many(column) if isinstance(c, tuple)]


Builder = Callable[[Row, DataIris], list[str]]
_A = nt.RDF_TYPE
_ID = f"<{DCTERMS}identifier>"
_TITLE = f"<{DCTERMS}title>"
_DATE = f"<{DCTERMS}date>"
_PREF_LABEL = f"<{SKOS}prefLabel>"


class RowProblem(ValueError):
    """A row whose cells are each fine but contradict one another."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column


def named(iri: str, cls: str, label: str) -> list[str]:
    return [nt.line(nt.iri(iri), _A, nt.aims(cls)), nt.line(nt.iri(iri), nt.RDFS_LABEL, nt.text(label))]


def owned_by(out: list[str], subject: str, name: object, iris: DataIris) -> None:
    if name:
        person = iris.person(str(name))
        out += named(person, "Person", str(name))
        out.append(nt.line(subject, nt.aims("owner"), nt.iri(person)))


def supplied_by(out: list[str], subject: str, name: object, iris: DataIris) -> None:
    if name:
        org = iris.organisation(str(name))
        out += named(org, "Organisation", str(name))
        out.append(nt.line(subject, nt.aims("suppliedBy"), nt.iri(org)))


def set_flags(out: list[str], subject: str, row: Row, flags: dict[str, str]) -> None:
    for column, prop in flags.items():
        if row.get(column) is not None:
            out.append(nt.line(subject, nt.aims(prop), nt.boolean(bool(row[column]))))


def dated(out: list[str], subject: str, prop: str, day: dt.date | None) -> None:
    if day is not None:
        out.append(nt.line(subject, nt.aims(prop), nt.date(day)))


def management_system(iris: DataIris) -> list[str]:
    """The organisation's one AI management system, which several sheets attach facts to."""
    aims_node, organisation = nt.iri(iris.aims), iris.organisation()
    return named(organisation, "Organisation", iris.org) + [
        nt.line(aims_node, _A, nt.aims("AIManagementSystem")),
        nt.line(aims_node, nt.aims("operatedBy"), nt.iri(organisation))]


def operator(out: list[str], name: str, iris: DataIris) -> str:
    """The IRI of an organisation named in a cell: the organisation itself when the name is its
    own id, else a third party."""
    org = iris.organisation(None if slug(name) == slug(iris.org) else name)
    out += named(org, "Organisation", name)
    return org


def entity(iri: str, cls: str, row: Row, key: str, label_column: str) -> tuple[str, list[str]]:
    subject = nt.iri(iri)
    out = [nt.line(subject, _A, nt.aims(cls)), nt.line(subject, _ID, nt.text(str(row[key])))]
    if row.get(label_column):
        out.append(nt.line(subject, nt.RDFS_LABEL, nt.text(str(row[label_column]))))
    return subject, out


_SYSTEM_FLAGS = {
    "performs_profiling": "performsProfiling",
    "safety_component": "safetyComponentOfProduct",
    "third_party_conformity_assessment": "requiresThirdPartyConformityAssessment",
    "interacts_with_natural_persons": "interactsWithNaturalPersons",
    "generates_synthetic_content": "generatesSyntheticContent",
    "emotion_recognition": "isEmotionRecognitionSystem",
    "biometric_categorisation": "isBiometricCategorisationSystem",
    "generates_deep_fakes": "generatesDeepFakes",
    "financial_fraud_detection": "financialFraudDetection",
    "annex_i_product": "isAnnexIProduct",
    "intended_for_public_authorities": "intendedForPublicAuthorities",
    "used_at_workplace": "usedAtWorkplace",
    "decides_about_natural_persons": "decidesAboutNaturalPersons",
    "interaction_obvious_from_context": "interactionObviousFromContext",
    "assistive_standard_editing": "assistiveStandardEditing",
    "medical_or_safety_purpose": "medicalOrSafetyPurpose",
    "supports_human_assessment_on_facts": "supportsHumanAssessmentOnFacts",
    "lawful_biometric_data_handling": "lawfulBiometricDataHandling",
    "permitted_by_national_law": "permittedByNationalLaw",
    "prior_authorisation_granted": "priorAuthorisationGranted",
    "fundamental_rights_impact_assessed": "fundamentalRightsImpactAssessed",
    "registered_in_eu_database": "registeredInEUDatabase",
    "safeguards_against_prohibited_output": "safeguardsAgainstProhibitedOutput",
    "manipulation_without_increased_exposure": "manipulationWithoutIncreasedExposure",
    "not_to_be_changed_into_high_risk": "notToBeChangedIntoHighRisk",
}
_SYSTEM_DATES = {"placed_on_market_on": "placedOnMarketOn", "put_into_service_on": "putIntoServiceOn",
                 "first_used_on": "firstUsedOn"}
# Article 25(1) value-chain events: (column naming who, event class, slug of the event's IRI, column of its day)
_VALUE_CHAIN_EVENTS = (
    ("name_or_trademark_by", "NameOrTrademarkPlacement", "name-or-trademark", None),
    ("substantially_modified_by", "SubstantialModification", "substantial-modification", "substantially_modified_on"),
    ("purpose_changed_by", "IntendedPurposeChange", "purpose-change", None),
)
_CONCEPT_COLUMNS = {
    "annex_iii_use_case": "annexIIIUseCase",
    "prohibited_practice": "prohibitedPractice",
    "article_6_3_exception": "article6_3Exception",
    "annex_i_legislation": "coveredByAnnexI",
    "life_cycle_stage": "lifeCycleStage",
    "law_enforcement_objective": "lawEnforcementObjective",
}


def inventory_row(row: Row, iris: DataIris) -> list[str]:
    system_iri = iris.system(str(row["id"]))
    subject, out = entity(system_iri, "AISystem", row, "id", "name")
    if row.get("purpose"):
        purpose = nt.iri(system_iri + "/purpose")
        out += [nt.line(subject, nt.aims("hasIntendedPurpose"), purpose),
                nt.line(purpose, _A, nt.aims("IntendedPurpose")),
                nt.line(purpose, nt.RDFS_COMMENT, nt.text(str(row["purpose"])))]
    if row.get("domain"):
        domain = nt.iri(iris.of("domain", slug(str(row["domain"]))))
        out += [nt.line(domain, _A, nt.aims("Domain")),
                nt.line(domain, _A, f"<{SKOS}Concept>"),
                nt.line(domain, _PREF_LABEL, nt.text(str(row["domain"]))),
                nt.line(subject, nt.aims("hasDomain"), domain)]
    for column, prop in _CONCEPT_COLUMNS.items():
        for _, _, concept in row.concepts(column):
            out.append(nt.line(subject, nt.aims(prop), nt.iri(concept)))
    owned_by(out, subject, row.get("owner"), iris)
    supplied_by(out, subject, row.get("supplier"), iris)
    roles = row.many("roles")
    if roles or row.flag("in_scope") is not False:
        organisation = iris.organisation()
        out += named(organisation, "Organisation", iris.org)
        for role in roles:
            out.append(nt.line(subject, nt.aims(str(role)), nt.iri(organisation)))
        if row.flag("in_scope") is not False:
            out += management_system(iris)
            out.append(nt.line(nt.iri(iris.aims), nt.aims("coversSystem"), subject))
    set_flags(out, subject, row, _SYSTEM_FLAGS)
    for column, prop in _SYSTEM_DATES.items():
        dated(out, subject, prop, row.day(column))
    _value_chain_events(out, subject, system_iri, row, iris)
    for name in row.many("affects"):
        affected = iris.of("subject", slug(str(name)))
        out += named(affected, "AISubject", str(name))
        out.append(nt.line(subject, nt.aims("affects"), nt.iri(affected)))
    return out


def _value_chain_events(out: list[str], subject: str, system_iri: str, row: Row, iris: DataIris) -> None:
    """One event node per filled column (Article 25(1)), under the system's IRI; the organisation
    named is the organisation itself when the name is its own, else a third party."""
    for column, cls, key, day_column in _VALUE_CHAIN_EVENTS:
        who = row.text(column)
        if day_column and row.day(day_column) and not who:
            raise RowProblem(day_column, f"{day_column} is given but {column} is empty: say who made the change")
        if not who:
            continue
        org = operator(out, who, iris)
        event = nt.iri(f"{system_iri}/event/{key}")
        out += [nt.line(subject, nt.aims("valueChainEvent"), event), nt.line(event, _A, nt.aims(cls)),
                nt.line(event, nt.aims("performedBy"), nt.iri(org))]
        if day_column:
            dated(out, event, "occurredOn", row.day(day_column))


def dataset_row(row: Row, iris: DataIris) -> list[str]:
    dataset_iri = iris.of("dataset", str(row["id"]))
    subject, out = entity(dataset_iri, "Dataset", row, "id", "name")
    role = str(row.get("role") or "usesDataset")
    users = [iris.system(str(s)) for s in row.many("system")] + [iris.of("model", str(m)) for m in row.many("model")]
    if not users:
        raise RowProblem("system", "name the system(s) or model(s) that use the dataset")
    for user in users:
        out.append(nt.line(nt.iri(user), nt.aims(role), subject))
    source = row.get("source")
    if source:
        is_iri = "://" in str(source) and " " not in str(source)
        out.append(nt.line(subject, nt.aims("dataSource"), nt.iri(str(source)) if is_iri else nt.text(str(source))))
    dated(out, subject, "collectedOn", row.day("collected_on"))
    set_flags(out, subject, row, {"personal_data": "containsPersonalData", "defective": "defective"})
    owned_by(out, subject, row.get("owner"), iris)
    supplied_by(out, subject, row.get("supplier"), iris)
    quality = [c for c in ("quality_dimension", "quality_result", "quality_checked_on", "quality_passed")
               if row.get(c) is not None]
    if quality:
        check = nt.iri(dataset_iri + "/quality-check")
        out += [nt.line(subject, nt.aims("dataQualityCheck"), check),
                nt.line(check, _A, nt.aims("DataQualityCheck"))]
        if row.get("quality_dimension"):
            out.append(nt.line(check, nt.aims("qualityDimension"), nt.text(str(row["quality_dimension"]))))
        if row.get("quality_result"):
            out.append(nt.line(check, nt.aims("checkResult"), nt.text(str(row["quality_result"]))))
        dated(out, check, "checkedOn", row.day("quality_checked_on"))
        if row.get("quality_passed") is not None:
            out.append(nt.line(check, nt.aims("passed"), nt.boolean(bool(row["quality_passed"]))))
    return out


def risk_row(row: Row, iris: DataIris) -> list[str]:
    risk_iri = iris.of("risk", str(row["id"]))
    subject, out = entity(risk_iri, "Risk", row, "id", "title")
    out.append(nt.line(nt.iri(iris.system(str(row["system"]))), nt.aims("hasRisk"), subject))
    if row.get("description"):
        out.append(nt.line(subject, nt.RDFS_COMMENT, nt.text(str(row["description"]))))
    category = row.concept("source_category")
    if category:
        notation, _, concept = category
        source = nt.iri(iris.of("risk-source", notation))
        out += [nt.line(subject, nt.aims("hasRiskSource"), source),
                nt.line(source, _A, nt.aims("RiskSource")),
                nt.line(source, nt.aims("sourceCategory"), nt.iri(concept))]
    if row.get("consequence"):
        consequence = nt.iri(risk_iri + "/consequence")
        out += [nt.line(subject, nt.aims("hasConsequence"), consequence),
                nt.line(consequence, _A, nt.aims("Consequence")),
                nt.line(consequence, nt.RDFS_COMMENT, nt.text(str(row["consequence"])))]
    likelihood, severity = row.number("likelihood"), row.number("severity")
    if likelihood is not None:
        out.append(nt.line(subject, nt.aims("hasLikelihood"), nt.integer(likelihood)))
    if severity is not None:
        out.append(nt.line(subject, nt.aims("hasSeverity"), nt.integer(severity)))
    stated = row.number("score")
    if stated is not None or (likelihood is not None and severity is not None):
        score = stated if stated is not None else likelihood * severity  # type: ignore[operator]
        out.append(nt.line(subject, nt.aims("riskScore"), nt.integer(score)))
    owned_by(out, subject, row.get("owner"), iris)
    controls = row.concepts("controls")
    residual = row.number("residual_score")
    if row.get("treatment_option") or controls or residual is not None:
        treatment = nt.iri(risk_iri + "/treatment")
        out += [nt.line(subject, nt.aims("hasTreatment"), treatment),
                nt.line(treatment, _A, nt.aims("RiskTreatment"))]
        if row.get("treatment_option"):
            out.append(nt.line(treatment, nt.aims("treatmentOption"), nt.iri(str(row["treatment_option"]))))
        for notation, _, concept in controls:
            implementation = nt.iri(iris.control(notation))
            out += [nt.line(treatment, nt.aims("appliesControl"), implementation),
                    nt.line(implementation, _A, nt.aims("ControlImplementation")),
                    nt.line(implementation, nt.aims("implementsControl"), nt.iri(concept))]
        if residual is not None:
            out.append(nt.line(treatment, nt.aims("residualRiskScore"), nt.integer(residual)))
    return out


def control_row(row: Row, iris: DataIris) -> list[str]:
    control = row.concept("control")
    assert control is not None, "the control column is required"
    notation, label, concept = control
    soa, aims_node = nt.iri(iris.soa), nt.iri(iris.aims)
    decision = nt.iri(iris.of("decision", notation))
    out = management_system(iris) + [
        nt.line(aims_node, nt.aims("hasStatementOfApplicability"), soa),
        nt.line(soa, _A, nt.aims("StatementOfApplicability")),
        nt.line(soa, nt.RDFS_LABEL, nt.text("Statement of Applicability")),
        nt.line(soa, nt.aims("hasDecision"), decision),
        nt.line(decision, _A, nt.aims("ApplicabilityDecision")),
        nt.line(decision, nt.aims("decisionFor"), nt.iri(concept)),
        nt.line(decision, nt.aims("applicable"), nt.boolean(bool(row["applicable"]))),
    ]
    if row.get("justification"):
        out.append(nt.line(decision, nt.aims("justification"), nt.text(str(row["justification"]))))
    evidence_given = any(row.get(c) is not None for c in ("evidence_title", "evidence_location", "evidence_date"))
    if not (row["applicable"] or row.get("status") or evidence_given):
        return out
    implementation = nt.iri(iris.control(notation))
    out += [nt.line(implementation, _A, nt.aims("ControlImplementation")),
            nt.line(implementation, _ID, nt.text(notation)),
            nt.line(implementation, nt.RDFS_LABEL, nt.text(f"{notation} {label}")),
            nt.line(implementation, nt.aims("implementsControl"), nt.iri(concept))]
    if row.get("status"):
        out.append(nt.line(implementation, nt.aims("implementationStatus"), nt.iri(str(row["status"]))))
    owned_by(out, implementation, row.get("owner"), iris)
    if evidence_given:
        evidence = nt.iri(iris.of("evidence", notation))
        out += [nt.line(implementation, nt.aims("hasEvidence"), evidence),
                nt.line(evidence, _A, nt.aims("Evidence"))]
        if row.get("evidence_title"):
            out.append(nt.line(evidence, _TITLE, nt.text(str(row["evidence_title"]))))
        if row.get("evidence_location"):
            out.append(nt.line(evidence, nt.aims("location"), nt.any_uri(str(row["evidence_location"]))))
        evidence_date = row.day("evidence_date")
        if evidence_date:
            out.append(nt.line(evidence, _DATE, nt.date(evidence_date)))
    return out


def incident_row(row: Row, iris: DataIris) -> list[str]:
    if row.get("kind") and not row.get("serious"):
        raise RowProblem("kind", "a kind is given but serious is not yes: only serious incidents have a kind")
    incident_iri = iris.of("incident", str(row["id"]))
    subject, out = entity(incident_iri, "Incident", row, "id", "title")
    if row.get("serious"):
        out.append(nt.line(subject, _A, nt.aims("SeriousIncident")))
    out.append(nt.line(subject, nt.aims("incidentOf"), nt.iri(iris.system(str(row["system"])))))
    if row.get("description"):
        out.append(nt.line(subject, nt.RDFS_COMMENT, nt.text(str(row["description"]))))
    for column, prop in (("occurred_on", "occurredOn"), ("aware_on", "awareOn"), ("reported_on", "reportedOn")):
        dated(out, subject, prop, row.day(column))
    if row.get("kind"):
        out.append(nt.line(subject, nt.aims("incidentKind"), nt.iri(str(row["kind"]))))
    if row.get("status"):
        out.append(nt.line(subject, nt.aims("status"), nt.iri(str(row["status"]))))
    return out


CORE_BUILDERS: dict[str, Builder] = {
    "inventory": inventory_row,
    "datasets": dataset_row,
    "risk-register": risk_row,
    "controls": control_row,
    "incidents": incident_row,
}
