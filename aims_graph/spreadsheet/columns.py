"""The sheet kinds and their columns: the public contract of the templates.

Templates, the importer and docs/spreadsheets.md are all derived from these tables, so
a column exists in one place only.  Column names are matched after folding case and
turning spaces and hyphens into ``_`` (``Life-cycle stage`` = ``life_cycle_stage``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from aims_graph.rdf.namespaces import AIMS
from aims_graph.spreadsheet import values as v


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str
    type: v.ValueType
    example: str = ""
    required: bool = False
    many: bool = False

    def describe_type(self) -> str:
        return f"list of {self.type.name} (separated by ;)" if self.many else self.type.name


@dataclass(frozen=True)
class SheetKind:
    name: str
    title: str
    key: str
    columns: tuple[Column, ...]
    references_systems: bool = True

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


ROLES = {
    "provider": "provider", "deployer": "deployer", "importer": "importer",
    "distributor": "distributor", "authorised representative": "authorisedRepresentative",
    "product manufacturer": "productManufacturer",
}
DATASET_ROLES = {
    "training": "trainingDataset", "validation": "validationDataset",
    "test": "testDataset", "other": "usesDataset",
}
QUALITY_DIMENSIONS = {d: d for d in ("completeness", "accuracy", "representativeness", "bias")}
TREATMENT_OPTIONS = {"avoid": AIMS + "Avoid", "modify": AIMS + "Modify",
                     "share": AIMS + "Share", "retain": AIMS + "Retain"}
IMPLEMENTATION_STATUSES = {
    "implemented": AIMS + "Implemented", "partially implemented": AIMS + "PartiallyImplemented",
    "planned": AIMS + "Planned", "not implemented": AIMS + "NotImplemented",
}
INCIDENT_KINDS = {
    "death or serious harm": AIMS + "DeathOrSeriousHarm",
    "widespread infringement": AIMS + "WidespreadInfringement",
    "critical infrastructure disruption": AIMS + "CriticalInfrastructureDisruption",
    "other serious incident": AIMS + "OtherSeriousIncident",
}
INCIDENT_STATUSES = {"open": AIMS + "Open", "closed": AIMS + "Closed"}
# documented information and other artefacts: kind -> (class, property linking it, what holds the link)
DOCUMENT_KINDS = {
    "policy": ("Policy", "hasPolicy", "management system"),
    "objective": ("AIObjective", "hasObjective", "management system"),
    "quality management system": ("QualityManagementSystem", "hasQualityManagementSystem", "organisation"),
    "risk management process": ("RiskManagementProcess", "hasRiskManagementProcess", "system"),
    "technical documentation": ("TechnicalDocumentation", "hasTechnicalDocumentation", "system"),
    "instructions for use": ("InstructionsForUse", "hasInstructionsForUse", "system"),
    "logging": ("LoggingCapability", "hasLogging", "system"),
    "human oversight measure": ("HumanOversightMeasure", "hasHumanOversightMeasure", "system"),
    "post market monitoring plan": ("PostMarketMonitoringPlan", "hasPostMarketMonitoringPlan", "system"),
    "performance metric": ("PerformanceMetric", "hasPerformanceMetric", "system"),
    "conformity assessment": ("ConformityAssessment", "hasConformityAssessment", "system"),
    "eu registration": ("EURegistration", "hasEURegistration", "system"),
    "article 6(3) assessment": ("Article6_3Assessment", "hasArticle6_3Assessment", "system"),
    "data governance measure": ("DataGovernanceMeasure", "hasDataGovernance", "dataset"),
}
METRIC_KINDS = {k: k for k in ("accuracy", "robustness", "cybersecurity")}
ASSESSMENT_KINDS = {
    "risk assessment": AIMS + "RiskAssessment", "impact assessment": AIMS + "ImpactAssessment",
    "fundamental rights impact assessment": AIMS + "FundamentalRightsImpactAssessment",
}
IMPACT_DIMENSIONS = {name.lower(): AIMS + local for name, local in (
    ("fairness", "Fairness"), ("transparency", "Transparency"), ("human oversight", "HumanOversight"),
    ("accessibility", "Accessibility"), ("privacy", "Privacy"), ("safety", "Safety"),
    ("environmental impact", "EnvironmentalImpact"), ("security", "Security"), ("accountability", "Accountability"))}
IMPACT_DIRECTIONS = {"positive": AIMS + "Positive", "negative": AIMS + "Negative"}
IMPACT_LEVELS = {"individual": AIMS + "IndividualLevel", "group": AIMS + "GroupLevel",
                 "societal": AIMS + "SocietalLevel"}
FINDING_KINDS = {"nonconformity": AIMS + "Nonconformity", "observation": AIMS + "AuditFinding"}
ACTION_STATUSES = INCIDENT_STATUSES


def _flag(name: str, meaning: str, example: str = "no") -> Column:
    return Column(name, meaning, v.BOOL, example)


INVENTORY = SheetKind("inventory", "AI system inventory", "id", (
    Column("id", "Your identifier of the AI system; it becomes part of the system's IRI, so keep it stable.",
           v.ID, "credit-scoring", required=True),
    Column("name", "Name of the system.", v.TEXT, "Retail credit scoring", required=True),
    Column("purpose", "Intended purpose, in a sentence (EU AI Act Art. 3(12)).", v.TEXT,
           "Scores consumer loan applications for creditworthiness"),
    Column("domain", "Area of activity (your own list, e.g. credit, insurance, employment).", v.TEXT, "credit"),
    Column("life_cycle_stage", "Current stage, by ISO/IEC 22989 clause or name.",
           v.notation_type("life-cycle-stage"), "Operation and monitoring"),
    Column("owner", "Accountable person.", v.NAME, "Ana Lopez"),
    Column("roles", "Operator roles your organisation holds for the system (EU AI Act Art. 3).",
           v.enum_type(ROLES), "provider; deployer", many=True),
    Column("supplier", "Third party that supplied the system, if any.", v.NAME, ""),
    Column("in_scope", "Whether the system is in the scope of the AI management system (default yes).",
           v.BOOL, "yes"),
    Column("annex_iii_use_case", "Annex III point(s) the use falls under.", v.notation_type("annex-iii"),
           "Annex III point 5(b)", many=True),
    Column("prohibited_practice", "Article 5(1) point(s) the practice falls under.",
           v.notation_type("prohibited"), "", many=True),
    Column("article_6_3_exception", "Article 6(3) point relied on to say an Annex III system is not high-risk.",
           v.notation_type("article-6-3"), ""),
    _flag("performs_profiling", "The system profiles natural persons (defeats an Article 6(3) exception).", "yes"),
    _flag("safety_component", "Safety component of a product, or itself a product, under Annex I legislation."),
    Column("annex_i_legislation", "Annex I legislation covering the product.", v.notation_type("annex-i"),
           "", many=True),
    _flag("third_party_conformity_assessment", "The product needs third-party conformity assessment."),
    _flag("interacts_with_natural_persons", "Interacts directly with natural persons (Art. 50(1))."),
    _flag("generates_synthetic_content", "Generates synthetic audio, image, video or text (Art. 50(2))."),
    _flag("emotion_recognition", "Is an emotion recognition system (Art. 50(3))."),
    _flag("biometric_categorisation", "Is a biometric categorisation system (Art. 50(3))."),
    _flag("generates_deep_fakes", "Generates or manipulates deep fakes (Art. 50(4))."),
    _flag("financial_fraud_detection", "Used to detect financial fraud (the carve-out in Annex III point 5(b))."),
    _flag("annex_i_product", "Itself a product covered by Annex I legislation (Art. 6(1)(a)), not only a safety component."),
    Column("placed_on_market_on", "Day first placed on the Union market (Art. 3(9); Art. 111 transitions).", v.DATE, ""),
    Column("put_into_service_on", "Day first put into service in the Union (Art. 3(11); Art. 111 transitions).", v.DATE, ""),
    Column("first_used_on", "Day the deployer first used it (latest moment for Art. 50(5) information).", v.DATE, ""),
    _flag("intended_for_public_authorities", "Intended for use by public authorities (Art. 111(2): comply by 2 August 2030)."),
    _flag("used_at_workplace", "Used by an employer at the workplace (Art. 26(7))."),
    _flag("decides_about_natural_persons", "Makes or assists decisions about natural persons (Art. 26(11), Art. 86)."),
    _flag("interaction_obvious_from_context", "The AI interaction is obvious from the context (no Art. 50(1) information)."),
    _flag("assistive_standard_editing", "Only assistive standard editing (no Art. 50(2) marking)."),
    _flag("medical_or_safety_purpose", "Emotion recognition for medical or safety reasons (exception in Art. 5(1)(f))."),
    _flag("supports_human_assessment_on_facts", "Supports a human assessment based on verifiable facts (exception in Art. 5(1)(d))."),
    _flag("lawful_biometric_data_handling", "Only labels or filters lawfully acquired biometric data (exception in Art. 5(1)(g))."),
    Column("law_enforcement_objective", "Objective of Art. 5(1)(h)(i)-(iii) for real-time remote biometric identification.",
           v.notation_type("rbi-objective"), ""),
    _flag("permitted_by_national_law", "National law provides for the real-time remote biometric identification (Art. 5(5))."),
    _flag("prior_authorisation_granted", "Authorised by a judicial or independent administrative authority (Art. 5(3))."),
    _flag("fundamental_rights_impact_assessed", "Fundamental rights impact assessment completed before use (Art. 5(2))."),
    _flag("registered_in_eu_database", "Registered in the EU database (Art. 5(2), Art. 49)."),
    _flag("safeguards_against_prohibited_output", "Art. 5(1)(ba)/(bb) material is no purpose and is prevented by safeguards (Art. 5(1a))."),
    _flag("manipulation_without_increased_exposure", "Manipulation that adds no exposure (Art. 5(1b), for Art. 5(1)(ba))."),
    Column("name_or_trademark_by", "Organisation that put its name or trademark on the high-risk system (Art. 25(1)(a)).", v.NAME, ""),
    Column("substantially_modified_by", "Organisation that substantially modified the system (Art. 25(1)(b), Art. 111(2)).",
           v.NAME, ""),
    Column("substantially_modified_on", "Day of that substantial modification.", v.DATE, ""),
    Column("purpose_changed_by", "Organisation that changed the intended purpose so the system became high-risk (Art. 25(1)(c)).",
           v.NAME, ""),
    _flag("not_to_be_changed_into_high_risk", "The provider that first placed it on the market clearly specified it is "
          "not to be changed into a high-risk system (no Art. 25(2) cooperation owed)."),
    Column("affects", "Persons or groups on whom the outputs have an effect.", v.TEXT, "loan applicants",
           many=True),
), references_systems=False)

DATASETS = SheetKind("datasets", "Datasets", "id", (
    Column("id", "Your identifier of the dataset.", v.ID, "loan-history-2019-2024", required=True),
    Column("name", "Name of the dataset.", v.TEXT, "Loan book 2019-2024", required=True),
    Column("system", "Id(s) of the AI system(s) that use it, from the inventory (give a system or a model).",
           v.ID, "credit-scoring", many=True),
    Column("model", "Id(s) of the AI model(s) that use it, from the models sheet.", v.ID, "", many=True),
    Column("role", "How the system uses it (default other).", v.enum_type(DATASET_ROLES), "training"),
    Column("source", "Where the records came from (data provenance).", v.SOURCE,
           "core banking system export"),
    Column("collected_on", "When the data was collected.", v.DATE, "2024-12-31"),
    Column("personal_data", "Holds personal data.", v.BOOL, "yes"),
    Column("supplier", "Third party that supplied the data, if any.", v.NAME, ""),
    Column("owner", "Accountable person.", v.NAME, "Ana Lopez"),
    Column("quality_dimension", "Aspect examined by the latest quality check.",
           v.enum_type(QUALITY_DIMENSIONS), "representativeness"),
    Column("quality_result", "Outcome of the check, in words.", v.TEXT, "age bands within 2% of population"),
    Column("quality_checked_on", "Date of the check.", v.DATE, "2025-01-15"),
    Column("quality_passed", "The check passed.", v.BOOL, "yes"),
    Column("defective", "The dataset was found defective.", v.BOOL, "no"),
))

RISK_REGISTER = SheetKind("risk-register", "Risk register", "id", (
    Column("id", "Your identifier of the risk.", v.ID, "R-001", required=True),
    Column("system", "Id of the AI system the risk belongs to.", v.ID, "credit-scoring", required=True),
    Column("title", "Short name of the risk.", v.TEXT, "Unfair refusals for young applicants", required=True),
    Column("description", "What could happen and why.", v.TEXT, ""),
    Column("source_category", "Risk source category (ISO/IEC 23894 Annex B).", v.notation_type("risk-source"),
           "B.5"),
    Column("consequence", "Consequence if the risk occurs.", v.TEXT, "applicants wrongly refused credit"),
    Column("likelihood", "Likelihood on a 1-5 scale.", v.SCORE, "3"),
    Column("severity", "Severity on a 1-5 scale; likelihood x severity gives the risk score.", v.SCORE, "4"),
    Column("score", "Risk score as your register states it (default likelihood x severity); a score that is "
           "not their product is kept and reported by validation.", v.RISK_SCORE, ""),
    Column("owner", "Accountable person.", v.NAME, "Ana Lopez"),
    Column("treatment_option", "Chosen treatment (ISO 31000 options).", v.enum_type(TREATMENT_OPTIONS), "modify"),
    Column("controls", "Annex A controls whose implementation treats the risk (the controls sheet rows).",
           v.notation_type("control"), "A.7.4; A.6.2.4", many=True),
    Column("residual_score", "Risk score expected after treatment (0-25).", v.RESIDUAL_SCORE, "6"),
))

CONTROLS = SheetKind("controls", "Controls and Statement of Applicability", "control", (
    Column("control", "Annex A control, as ISO/IEC 42001 numbers it; one row per control.",
           v.notation_type("control"), "A.6.2.4", required=True),
    Column("applicable", "Whether the control is applicable (Statement of Applicability).", v.BOOL, "yes",
           required=True),
    Column("justification", "Why it is included or excluded.", v.TEXT, "all models are validated before release"),
    Column("status", "Implementation status.", v.enum_type(IMPLEMENTATION_STATUSES), "implemented"),
    Column("owner", "Accountable person.", v.NAME, "Ben Okafor"),
    Column("evidence_title", "Title of the evidence that shows the control works.", v.TEXT,
           "Model validation report Q1"),
    Column("evidence_location", "Where the evidence can be found.", v.URI,
           "https://intranet.example/validation/q1"),
    Column("evidence_date", "Date of the evidence.", v.DATE, "2025-03-31"),
), references_systems=False)

INCIDENTS = SheetKind("incidents", "Incidents", "id", (
    Column("id", "Your identifier of the incident.", v.ID, "INC-2025-004", required=True),
    Column("system", "Id of the AI system involved.", v.ID, "credit-scoring", required=True),
    Column("title", "Short description.", v.TEXT, "Scores wrong after data feed change"),
    Column("description", "What happened.", v.TEXT, ""),
    Column("occurred_on", "When it happened.", v.DATE, "2025-05-02"),
    Column("aware_on", "When the organisation became aware of it.", v.DATE, "2025-05-03"),
    Column("reported_on", "When it was reported to the market surveillance authority.", v.DATE, ""),
    Column("serious", "A serious incident under EU AI Act Art. 3(49) (default no).", v.BOOL, "no"),
    Column("kind", "Kind of serious incident; decides the Art. 73 deadline. Only for serious incidents.",
           v.enum_type(INCIDENT_KINDS), ""),
    Column("status", "Open or closed.", v.enum_type(INCIDENT_STATUSES), "open"),
))

MANAGEMENT_SYSTEM = SheetKind("management-system", "AI management system and its Statement of Applicability", "name", (
    Column("name", "Name of the AI management system; one row.", v.TEXT, "Acme AI management system", required=True),
    Column("scope", "Its scope, in words (ISO/IEC 42001 clause 4.3).", v.TEXT, "all AI systems of the lending business"),
    Column("owner", "Person accountable for the management system.", v.NAME, "Ana Lopez"),
    Column("risk_acceptance_threshold", "Highest risk score accepted without treatment (clause 6.1.1 risk criteria).",
           v.RISK_SCORE, "12"),
    Column("soa_title", "Title of the Statement of Applicability (default 'Statement of Applicability').", v.TEXT, ""),
    Column("soa_owner", "Person accountable for the Statement of Applicability.", v.NAME, "Ben Okafor"),
    Column("soa_date", "Date of its current edition.", v.DATE, "2025-03-31"),
    Column("soa_location", "Where it is kept.", v.URI, ""),
    Column("soa_review_date", "When it is next reviewed (clause 7.5.2).", v.DATE, "2026-03-31"),
), references_systems=False)

MODELS = SheetKind("models", "AI models", "id", (
    Column("id", "Your identifier of the model.", v.ID, "credit-model-v3", required=True),
    Column("name", "Name of the model.", v.TEXT, "Credit risk model v3", required=True),
    Column("system", "Id(s) of the AI system(s) that use it, from the inventory.", v.ID, "credit-scoring", many=True),
    Column("based_on", "Id(s) of the model(s) it was derived from, from this sheet.", v.ID, "", many=True),
    Column("provider", "Organisation that provides the model (your organisation's id for your own models).",
           v.NAME, ""),
    Column("supplier", "Third party that supplied it, if any.", v.NAME, ""),
    Column("owner", "Accountable person.", v.NAME, "Ana Lopez"),
    Column("life_cycle_stage", "Current stage, by ISO/IEC 22989 clause or name.",
           v.notation_type("life-cycle-stage"), "Operation and monitoring"),
    _flag("general_purpose", "A general-purpose AI model (EU AI Act Art. 3(63))."),
    Column("training_compute", "Cumulative training compute in floating-point operations (Art. 51(2)).", v.NUMBER, ""),
    _flag("designated_systemic_risk", "Designated by the Commission as having systemic risk (Art. 52(4))."),
))

DOCUMENTS = SheetKind("documents", "Policies, objectives and other documented information", "id", (
    Column("id", "Your identifier of the document or measure.", v.ID, "ai-policy", required=True),
    Column("kind", "What it is; decides what it is attached to (the management system, the organisation, "
           "the systems or the datasets named on the row).", v.enum_type({k: k for k in DOCUMENT_KINDS}),
           "policy", required=True),
    Column("title", "Title.", v.TEXT, "AI policy", required=True),
    Column("description", "What it says or does, in a sentence (an objective's target, a measure's method).",
           v.TEXT, ""),
    Column("system", "Id(s) of the AI system(s) it belongs to, for the kinds attached to systems.", v.ID, "",
           many=True),
    Column("dataset", "Id(s) of the dataset(s) it governs, for a data governance measure.", v.ID, "", many=True),
    Column("metric_kind", "For a performance metric: what it measures (Art. 15).", v.enum_type(METRIC_KINDS), ""),
    Column("exception", "For an Article 6(3) assessment: the Art. 6(3) point whose condition it finds met "
           "(Art. 6(4)).", v.notation_type("article-6-3"), ""),
    Column("assessed_by", "For an Article 6(3) assessment: the person who made it.", v.NAME, ""),
    Column("owner", "Accountable person (clause 7.5.3).", v.NAME, "Ana Lopez"),
    Column("date", "Date of the current version (of an Article 6(3) assessment: the day it was made, which must "
           "not be after the system was placed on the market or put into service).", v.DATE, "2025-01-20"),
    Column("location", "Where it is kept.", v.URI, "https://intranet.example/policies/ai-policy"),
    Column("next_review_date", "When it is next reviewed (clause 7.5.2).", v.DATE, "2026-01-20"),
))

ASSESSMENTS = SheetKind("assessments", "Risk and impact assessments", "id", (
    Column("id", "Your identifier of the assessment.", v.ID, "RA-2025-credit", required=True),
    Column("kind", "Risk assessment (clause 8.2), impact assessment (clause 8.4) or fundamental rights impact "
           "assessment (EU AI Act Art. 27).", v.enum_type(ASSESSMENT_KINDS), "risk assessment", required=True),
    Column("title", "Title.", v.TEXT, "Credit scoring risk assessment 2025", required=True),
    Column("system", "Id(s) of the AI system(s) assessed.", v.ID, "credit-scoring", required=True, many=True),
    Column("owner", "Accountable person.", v.NAME, "Ana Lopez"),
    Column("date", "Date of the assessment.", v.DATE, "2025-02-20"),
    Column("risks", "Ids of the risks it identified, from the risk register.", v.ID, "R-001; R-002", many=True),
))

IMPACTS = SheetKind("impacts", "Impacts found by impact assessments", "id", (
    Column("id", "Your identifier of the impact.", v.ID, "I-001", required=True),
    Column("assessment", "Id of the impact assessment that identified it, from the assessments sheet.", v.ID,
           "IA-2025-credit", required=True),
    Column("title", "What the impact is.", v.TEXT, "young applicants refused more often", required=True),
    Column("dimension", "Aspect affected (ISO/IEC 42005 themes).", v.enum_type(IMPACT_DIMENSIONS), "fairness",
           many=True),
    Column("direction", "Positive or negative.", v.enum_type(IMPACT_DIRECTIONS), "negative"),
    Column("level", "Individual, group or societal.", v.enum_type(IMPACT_LEVELS), "group"),
    Column("affects", "Persons or groups affected (as in the inventory's affects column).", v.TEXT,
           "loan applicants", many=True),
), references_systems=False)

AUDITS = SheetKind("audits", "Internal audits", "id", (
    Column("id", "Your identifier of the audit.", v.ID, "audit-2025", required=True),
    Column("title", "Title.", v.TEXT, "AIMS internal audit 2025", required=True),
    Column("date", "Date of the audit.", v.DATE, "2025-10-05"),
    Column("scope", "What was audited, in words (clause 9.2).", v.TEXT, "clauses 6 to 8"),
    Column("owner", "Lead auditor.", v.NAME, "Claire Dubois"),
    _flag("of_management_system", "An audit of your AI management system (clause 9.2): only such audits "
          "count as its internal audits.", "yes"),
), references_systems=False)

AUDIT_FINDINGS = SheetKind("audit-findings", "Audit findings and corrective actions", "id", (
    Column("id", "Your identifier of the finding.", v.ID, "NC-001", required=True),
    Column("audit", "Id of the audit that raised it, from the audits sheet.", v.ID, "audit-2025", required=True),
    Column("kind", "A nonconformity (clause 10.2) or an observation.", v.enum_type(FINDING_KINDS),
           "nonconformity", required=True),
    Column("title", "What was found.", v.TEXT, "no impact assessment for CV screening", required=True),
    Column("action", "The corrective action taken or planned (clause 10.2).", v.TEXT, "assess CV screening"),
    Column("action_owner", "Person accountable for the action.", v.NAME, "Sofia Almeida"),
    Column("action_due_on", "When the action is due.", v.DATE, "2025-12-15"),
    Column("action_status", "Open or closed.", v.enum_type(ACTION_STATUSES), "open"),
), references_systems=False)

KINDS: dict[str, SheetKind] = {k.name: k for k in (
    INVENTORY, MODELS, DATASETS, RISK_REGISTER, CONTROLS, INCIDENTS, MANAGEMENT_SYSTEM, DOCUMENTS, ASSESSMENTS,
    IMPACTS, AUDITS, AUDIT_FINDINGS)}


def fold(name: str) -> str:
    """Header and sheet-name folding: case, spaces and hyphens do not matter."""
    return re.sub(r"[\s-]+", "_", str(name).strip().lower())


def kind_named(name: str) -> SheetKind | None:
    folded = fold(name)
    return next((k for k in KINDS.values() if fold(k.name) == folded), None)
