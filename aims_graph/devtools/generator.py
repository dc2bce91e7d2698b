"""A synthetic organisation of any size, with a known number of defects of each kind.

Benchmarks and tests need data that is big, realistic in its proportions and honest
about what is wrong with it.  ``generate`` writes such an organisation in the
project's own vocabulary: about 10 % high-risk Annex III systems, a few prohibited
ones, transparency and Annex I systems, many minimal-risk ones, each with datasets, a
model, 3-8 risks and their treatments, plus the organisation's control
implementations, evidence and incidents.  Apart from defects planted on purpose the
organisation is complete, and the defects are counted: the manifest gives each
defect's count, its definition, the shape that reports it and a SPARQL query that finds
exactly those, so a validator can be checked against it.

The output streams: triples are written system by system as N-Triples lines (or
N-Quads, or Turtle with prefixes), never held as one graph, and the same seed always
gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Callable

from aims_graph.errors import InputError
from aims_graph.knowledge.reference import concept_iri
from aims_graph.rdf.namespaces import DCTERMS, RDF, SKOS
from aims_graph.spreadsheet import ntriples as nt
from aims_graph.spreadsheet import vocabulary
from aims_graph.spreadsheet.iris import DataIris, slug

FORMATS = ("nt", "ttl", "nq")
DEFAULT_GRAPH = "https://w3id.org/aims-graph/graph/generated"
RISK_THRESHOLD = 12
_EPOCH = dt.date(2023, 1, 1)
# Review dates lie far ahead so that "review overdue" checks, which compare with today,
# do not start failing on generated data as time passes.
_REVIEWS = dt.date(2040, 1, 1)
_PREFIXES = "PREFIX aims: <https://w3id.org/aims-graph/ontology#>\n" \
            "PREFIX prov: <http://www.w3.org/ns/prov#>\n" \
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"

# Shares of systems by EU AI Act situation; the rest is minimal risk.
CATEGORY_SHARES = {"prohibited": 0.005, "annex-iii": 0.10, "annex-iii-exempt": 0.01,
                   "annex-i": 0.01, "transparency": 0.15}


@dataclass(frozen=True)
class Defect:
    name: str
    share: float
    population: str
    description: str
    query: str
    shape: str  # local name of the shape in shapes/ that reports each occurrence


DEFECTS = {d.name: d for d in (
    Defect("systems_without_owner", 0.05, "AI systems",
           "AI system with no accountable owner (ISO/IEC 42001 A.3.2)",
           "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a aims:AISystem "
           "FILTER NOT EXISTS { ?s aims:owner ?o } }",
           "SystemInScopeHasOwner"),
    Defect("high_risk_without_impact_assessment", 0.10, "Annex III systems without an Article 6(3) exception",
           "high-risk Annex III system that no impact assessment assesses (ISO/IEC 42001 6.1.4, A.5.2); every "
           "other system has one (these systems are kept out of Annex III points 5(b) and 5(c), so that the "
           "gap is not also a missing fundamental rights impact assessment)",
           "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a aims:AISystem ; aims:annexIIIUseCase ?u "
           "FILTER NOT EXISTS { ?s aims:article6_3Exception ?e } "
           "FILTER NOT EXISTS { ?a aims:assessesSystem ?s ; a ?t "
           "FILTER(?t IN (aims:ImpactAssessment, aims:FundamentalRightsImpactAssessment)) } }",
           "SystemInScopeHasImpactAssessment"),
    Defect("high_risk_without_human_oversight", 0.08,
           "high-risk systems (Annex III without exception, or Annex I needing third-party assessment) "
           "that the organisation provides",
           "high-risk system provided by the organisation with no human oversight measure (EU AI Act Article 14)",
           "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?m aims:operatedBy ?org ; aims:coversSystem ?s . "
           "?s a aims:AISystem ; aims:provider ?org "
           "{ ?s aims:annexIIIUseCase ?u FILTER NOT EXISTS { ?s aims:article6_3Exception ?e } } UNION "
           "{ ?s aims:safetyComponentOfProduct true ; aims:requiresThirdPartyConformityAssessment true } "
           "FILTER NOT EXISTS { ?s aims:hasHumanOversightMeasure ?h } }",
           "HighRiskHumanOversight"),
    Defect("risks_above_threshold_without_treatment", 0.07, "risks scored above the risk acceptance threshold",
           "risk whose score exceeds the AIMS risk acceptance threshold but has no treatment (ISO/IEC 42001 6.1.3)",
           "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?m aims:riskAcceptanceThreshold ?t ; aims:coversSystem ?s . "
           "?s aims:hasRisk ?r . ?r aims:riskScore ?score FILTER(?score > ?t) "
           "FILTER NOT EXISTS { ?r aims:hasTreatment ?x } }",
           "RiskAboveThresholdTreated"),
    Defect("implemented_controls_without_evidence", 0.10, "control implementations with status implemented",
           "control said to be implemented that has no evidence (ISO/IEC 42001 7.5)",
           "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a aims:ControlImplementation ; "
           "aims:implementationStatus aims:Implemented FILTER NOT EXISTS { ?c aims:hasEvidence ?e } }",
           "ImplementedControlHasEvidence"),
    Defect("datasets_without_source", 0.05, "datasets",
           "dataset with no recorded provenance (ISO/IEC 42001 A.7.5)",
           "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a aims:Dataset "
           "FILTER NOT EXISTS { ?d aims:dataSource ?x } FILTER NOT EXISTS { ?d prov:wasDerivedFrom ?y } }",
           "DatasetProvenanceRecorded"),
    Defect("serious_incidents_reported_late", 0.20, "serious incidents",
           "serious incident reported after its EU AI Act Article 73 deadline (needs the ontology loaded); "
           "serious incidents happen only to high-risk systems that the organisation provides",
           "SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a aims:SeriousIncident ; aims:awareOn ?aware ; "
           "aims:reportedOn ?reported ; aims:incidentKind ?k . ?k aims:reportingDeadlineDays ?days "
           "FILTER(?reported - ?aware > STRDT(CONCAT(\"P\", STR(?days), \"D\"), xsd:dayTimeDuration)) }",
           "SeriousIncidentReportedInTime"),
    Defect("included_controls_not_implemented", 0.10, "controls included in the Statement of Applicability",
           "control that the Statement of Applicability includes but whose implementation is only planned "
           "(ISO/IEC 42001 6.1.3, 8.3)",
           "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?soa aims:hasDecision ?d . ?d aims:applicable true ; "
           "aims:decisionFor ?c FILTER NOT EXISTS { ?i aims:implementsControl ?c ; "
           "aims:implementationStatus ?st FILTER(?st IN (aims:Implemented, aims:PartiallyImplemented)) } }",
           "IncludedControlImplemented"),
    Defect("prohibited_systems_in_operation", 0.5, "systems with an Article 5(1) practice",
           "system with a prohibited practice that is deployed or in operation (EU AI Act Article 5)",
           "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a aims:AISystem ; aims:prohibitedPractice ?p ; "
           "aims:lifeCycleStage ?stage FILTER(?stage NOT IN (<https://w3id.org/aims-graph/iso22989/6.2.2>, "
           "<https://w3id.org/aims-graph/iso22989/6.2.3>, <https://w3id.org/aims-graph/iso22989/6.2.4>, "
           "<https://w3id.org/aims-graph/iso22989/6.2.9>)) }",
           "ProhibitedSystemNotInOperation"),
)}

_HIGH_RISK_DOMAINS = (
    ("credit", "Annex III point 5(b)", "creditworthiness scoring"),
    ("insurance", "Annex III point 5(c)", "life and health premium pricing"),
    ("employment", "Annex III point 4(a)", "CV screening"),
    ("employment", "Annex III point 4(b)", "task allocation"),
    ("education", "Annex III point 3(b)", "exam marking"),
    ("public benefits", "Annex III point 5(a)", "benefit eligibility checking"),
    ("emergency services", "Annex III point 5(d)", "emergency call triage"),
)
_OTHER_DOMAINS = (
    ("customer service", "customer question answering"), ("fraud", "transaction fraud screening"),
    ("marketing", "campaign targeting"), ("operations", "demand forecasting"),
    ("IT", "log anomaly detection"), ("finance", "invoice matching"), ("credit", "collections forecasting"),
)
_PROHIBITED = ("Article 5(1)(a)", "Article 5(1)(c)", "Article 5(1)(f)", "Article 5(1)(g)")
_ANNEX_I = ("Annex I Section A point 1", "Annex I Section A point 11", "Annex I Section A point 6")
_EXCEPTIONS = ("Article 6(3)(a)", "Article 6(3)(d)")
_STAGES = ("6.2.3", "6.2.4", "6.2.5", "6.2.6", "6.2.6", "6.2.6", "6.2.8", "6.2.9")
_RISK_SOURCES = ("B.2", "B.3", "B.4", "B.5", "B.6", "B.7", "B.8")
_CONTROLS = tuple(notation for notation, _, _ in vocabulary.members("control").values())
_OPTIONS = ("Avoid", "Modify", "Modify", "Modify", "Share", "Retain")
_INCIDENT_KINDS = (("OtherSeriousIncident", 15), ("DeathOrSeriousHarm", 10),
                   ("WidespreadInfringement", 2), ("CriticalInfrastructureDisruption", 2))
_HIGH_RISK_DOCUMENTS = (
    ("hasRiskManagementProcess", "RiskManagementProcess", "risk management process"),
    ("hasTechnicalDocumentation", "TechnicalDocumentation", "technical documentation"),
    ("hasInstructionsForUse", "InstructionsForUse", "instructions for use"),
    ("hasPostMarketMonitoringPlan", "PostMarketMonitoringPlan", "post-market monitoring plan"),
    ("hasConformityAssessment", "ConformityAssessment", "conformity assessment"),
    ("hasEURegistration", "EURegistration", "EU database registration"),
)
_FRIA_USE_CASES = ("Annex III point 5(b)", "Annex III point 5(c)")
_NO_FRIA_DOMAINS = tuple(d for d in _HIGH_RISK_DOMAINS if d[1] not in _FRIA_USE_CASES)
_QUALITY = ("completeness", "accuracy", "representativeness", "bias")
_FIRST = ("Ana", "Ben", "Chen", "Dana", "Emil", "Farah", "Goran", "Hana", "Ivo", "Jia", "Kofi", "Lea")
_LAST = ("Lopez", "Okafor", "Wei", "Novak", "Berg", "Haddad", "Petrov", "Sato", "Ionescu", "Moreau")


def _count(population: int, share: float) -> int:
    """How many of a population get a property: the share, rounded, at least one when possible."""
    return 0 if population == 0 else min(population, max(1, round(population * share)))


@dataclass
class _Tally:
    counts: dict[str, int] = field(default_factory=dict)
    defects: dict[str, int] = field(default_factory=lambda: {name: 0 for name in DEFECTS})
    populations: dict[str, int] = field(default_factory=lambda: {name: 0 for name in DEFECTS})

    def add(self, name: str, n: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def drawn(self, defect: str, population: int, chosen: int) -> None:
        self.populations[defect] += population
        self.defects[defect] += chosen


@dataclass
class _SystemPlan:
    """What one system will be like; decided for all systems before any is written."""

    category: str = "minimal"
    supplied: bool = False
    stage: str = "6.2.6"
    owner: bool = True
    impact_assessment: bool = True
    oversight: bool = True
    incident: str | None = None  # "minor", "serious" or "late"

    @property
    def high_risk(self) -> bool:
        return self.category in ("annex-iii", "annex-i")


class _Sink:
    """Writes N-Triples lines as N-Triples, N-Quads or Turtle, counting triples."""

    _AIMS_TERM = re.compile(r"<https://w3id\.org/aims-graph/ontology#([A-Za-z_][A-Za-z0-9_]*)>")
    _XSD_TERM = re.compile(r"<http://www\.w3\.org/2001/XMLSchema#([A-Za-z]+)>")

    def __init__(self, out: IO[str], fmt: str, graph: str) -> None:
        self.out, self.triples = out, 0
        self._rewrite: Callable[[str], str]
        if fmt == "nq":
            suffix = f" <{graph}> .\n"
            self._rewrite = lambda chunk: chunk.replace(" .\n", suffix)
        elif fmt == "ttl":
            out.write(_PREFIXES.replace("PREFIX", "@prefix").replace(">\n", "> .\n") + "\n")
            self._rewrite = self._abbreviate
        else:
            self._rewrite = lambda chunk: chunk

    def _abbreviate(self, chunk: str) -> str:
        chunk = chunk.replace(f" {nt.RDF_TYPE} ", " a ")
        chunk = self._AIMS_TERM.sub(r"aims:\1", chunk)
        return self._XSD_TERM.sub(r"xsd:\1", chunk)

    def write(self, lines: list[str]) -> None:
        self.triples += len(lines)
        self.out.write(self._rewrite("".join(lines)))


class _Builder:
    """Emits the organisation, then one system at a time; all randomness from one seed.

    Apart from the planted defects the organisation is complete: every system has a risk
    and an impact assessment, every high-risk system the artefacts the EU AI Act asks of
    its provider, every document an owner and a review date, every dataset a quality
    check, so that a validator's findings are the planted defects (plus notices).
    """

    def __init__(self, systems: int, seed: int, iris: DataIris) -> None:
        self.n, self.iris, self.rng = systems, iris, random.Random(seed)
        self.tally = _Tally()
        self.lines: list[str] = []
        self.people = [iris.person(f"{_FIRST[i % len(_FIRST)]} {_LAST[i // len(_FIRST) % len(_LAST)]} {i}")
                       for i in range(max(5, systems // 20))]
        self.suppliers = [iris.organisation(f"supplier {i}") for i in range(max(3, min(40, systems // 50)))]
        self.gpai = [iris.of("model", f"gpai-{i}") for i in range(3)]
        self.applicable: list[str] = []
        self.plans = self._plan()

    # -- helpers -------------------------------------------------------------------------------------
    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")

    def typed(self, iri: str, cls: str, label: str) -> str:
        node = nt.iri(iri)
        self.t(node, nt.RDF_TYPE, nt.aims(cls))
        self.t(node, nt.RDFS_LABEL, nt.text(label))
        return node

    def document(self, iri: str, cls: str, label: str) -> str:
        """Documented information: controlled, so it has an owner and a next review date."""
        node = self.typed(iri, cls, label)
        self.t(node, nt.aims("owner"), nt.iri(self.rng.choice(self.people)))
        self.t(node, nt.aims("nextReviewDate"), nt.date(_REVIEWS + dt.timedelta(days=self.rng.randint(0, 700))))
        return node

    def day(self, low: int = 0, high: int = 900) -> dt.date:
        return _EPOCH + dt.timedelta(days=self.rng.randint(low, high))

    def flush(self, sink: _Sink) -> None:
        sink.write(self.lines)
        self.lines = []

    def _pick(self, defect: str, population: list[int]) -> set[int]:
        chosen = set(self.rng.sample(population, _count(len(population), DEFECTS[defect].share)))
        self.tally.drawn(defect, len(population), len(chosen))
        return chosen

    def _plan(self) -> list[_SystemPlan]:
        rng, everyone = self.rng, list(range(self.n))
        plans = [_SystemPlan(supplied=rng.random() < 0.3, stage=rng.choice(_STAGES)) for _ in everyone]
        order = everyone[:]
        rng.shuffle(order)
        start = 0
        for category, share in CATEGORY_SHARES.items():
            size = _count(self.n, share) if category != "prohibited" or self.n >= 20 else 0
            for index in order[start:start + min(size, self.n - start)]:
                plans[index].category = category
            start += size
        for index in self._pick("systems_without_owner", everyone):
            plans[index].owner = False
        annex_iii = [i for i in everyone if plans[i].category == "annex-iii"]
        for index in self._pick("high_risk_without_impact_assessment", annex_iii):
            plans[index].impact_assessment = False
        provided_high_risk = [i for i in everyone if plans[i].high_risk and not plans[i].supplied]
        for index in self._pick("high_risk_without_human_oversight", provided_high_risk):
            plans[index].oversight = False
        prohibited = [i for i in everyone if plans[i].category == "prohibited"]
        in_operation = self._pick("prohibited_systems_in_operation", prohibited)
        for index in prohibited:
            plans[index].stage = rng.choice(("6.2.5", "6.2.6") if index in in_operation else ("6.2.3", "6.2.9"))
        serious = rng.sample(provided_high_risk, _count(len(provided_high_risk), 0.3))
        late = self._pick("serious_incidents_reported_late", serious)
        for index in serious:
            plans[index].incident = "late" if index in late else "serious"
        quiet = [i for i in everyone if plans[i].incident is None]
        for index in rng.sample(quiet, min(len(quiet), _count(self.n, 0.04))):
            plans[index].incident = "minor"
        for category in sorted({p.category for p in plans}):
            self.tally.add(f"systems_{category.replace('-', '_')}", sum(p.category == category for p in plans))
        return plans

    # -- the organisation ------------------------------------------------------------------------------
    def organisation(self) -> None:
        iris = self.iris
        org = self.typed(iris.organisation(), "Organisation", f"Synthetic organisation {iris.org}")
        self.t(org, nt.aims("isPublicBody"), nt.boolean(False))
        self.t(org, nt.aims("providesPublicService"), nt.boolean(False))
        qms = self.document(iris.of("document", "quality-management-system"), "QualityManagementSystem",
                            "Quality management system")
        self.t(org, nt.aims("hasQualityManagementSystem"), qms)
        aims_node = self.typed(iris.aims, "AIManagementSystem", "AI management system")
        self.t(aims_node, nt.aims("operatedBy"), org)
        self.t(aims_node, nt.aims("riskAcceptanceThreshold"), nt.integer(RISK_THRESHOLD))
        self.t(aims_node, nt.aims("hasPolicy"), self.document(iris.of("document", "ai-policy"), "Policy", "AI policy"))
        self.t(aims_node, nt.aims("hasObjective"),
               self.document(iris.of("document", "ai-objectives"), "AIObjective", "AI objectives"))
        audit = self.typed(iris.of("audit", "internal-audit-1"), "InternalAudit", "Internal audit of the AIMS")
        self.t(audit, f"<{DCTERMS}date>", nt.date(self.day(600, 800)))
        self.t(audit, nt.aims("auditScope"), nt.text("AI management system, all clauses and Annex A controls"))
        self.t(audit, nt.aims("auditsManagementSystem"), aims_node)
        soa = self.document(iris.soa, "StatementOfApplicability", "Statement of Applicability")
        self.t(aims_node, nt.aims("hasStatementOfApplicability"), soa)
        for person in self.people:
            self.typed(person, "Person", person.rsplit("/", 1)[1].replace("-", " ").title())
        for supplier in self.suppliers:
            self.typed(supplier, "Organisation", supplier.rsplit("/", 1)[1].replace("-", " ").title())
        for domain in sorted({d for d, _, _ in _HIGH_RISK_DOMAINS} | {d for d, _ in _OTHER_DOMAINS}):
            node = nt.iri(iris.of("domain", slug(domain)))
            self.t(node, nt.RDF_TYPE, nt.aims("Domain"))
            self.t(node, f"<{SKOS}prefLabel>", nt.text(domain))
        for notation in _RISK_SOURCES:
            source = self.typed(iris.of("risk-source", notation), "RiskSource", f"risk source {notation}")
            self.t(source, nt.aims("sourceCategory"), nt.iri(concept_iri("iso23894", notation)))
        for index, model in enumerate(self.gpai):
            node = self.typed(model, "GeneralPurposeAIModel", f"General-purpose model {index}")
            self.t(node, nt.RDF_TYPE, nt.aims("AIModel"))
            self.t(node, nt.aims("provider"), nt.iri(self.suppliers[index % len(self.suppliers)]))
            self.t(node, nt.aims("trainingCompute"), nt.typed(f"{10 ** (23 + index)}.0E0", "double"))
            self.t(node, nt.aims("designatedSystemicRisk"), nt.boolean(index == 2))
            self.tally.add("models")
        self._controls(soa)

    def _controls(self, soa: str) -> None:
        rng = self.rng
        excluded = set(rng.sample(_CONTROLS, 2))
        self.applicable = [n for n in _CONTROLS if n not in excluded]
        planned = {self.applicable[i] for i in self._pick("included_controls_not_implemented",
                                                          list(range(len(self.applicable))))}
        implemented = [n for n in self.applicable if n not in planned]
        no_evidence = {implemented[i] for i in self._pick("implemented_controls_without_evidence",
                                                          list(range(len(implemented))))}
        for notation in _CONTROLS:
            concept = nt.iri(concept_iri("iso42001", notation))
            decision = self.typed(self.iris.of("decision", notation), "ApplicabilityDecision", f"SoA {notation}")
            self.t(soa, nt.aims("hasDecision"), decision)
            self.t(decision, nt.aims("decisionFor"), concept)
            self.t(decision, nt.aims("applicable"), nt.boolean(notation not in excluded))
            self.t(decision, nt.aims("justification"), nt.text(
                "not relevant to the organisation's AI systems" if notation in excluded else "needed for the risks treated"))
            if notation in excluded:
                continue
            control = self.typed(self.iris.control(notation), "ControlImplementation", f"{notation} implementation")
            self.t(control, nt.aims("implementsControl"), concept)
            self.t(control, nt.aims("implementationStatus"), nt.aims("Planned" if notation in planned else "Implemented"))
            self.t(control, nt.aims("owner"), nt.iri(rng.choice(self.people)))
            self.tally.add("control_implementations")
            if notation in planned or notation in no_evidence:
                continue
            evidence = self.typed(self.iris.of("evidence", notation), "Evidence", f"evidence for {notation}")
            self.t(control, nt.aims("hasEvidence"), evidence)
            self.t(evidence, f"<{DCTERMS}title>", nt.text(f"Record showing {notation} in operation"))
            self.t(evidence, f"<{DCTERMS}date>", nt.date(self.day(400, 900)))
            self.t(evidence, nt.aims("location"), nt.any_uri(f"https://records.example/{self.iris.org}/{notation}"))
            self.tally.add("evidence")

    # -- one system --------------------------------------------------------------------------------------
    def system(self, index: int) -> None:
        iris, rng, plan = self.iris, self.rng, self.plans[index]
        sid = f"sys-{index:05d}"
        if plan.category in ("annex-iii", "annex-iii-exempt"):
            choices = _HIGH_RISK_DOMAINS if plan.impact_assessment else _NO_FRIA_DOMAINS
            domain, use_case, activity = rng.choice(choices)
        else:
            (domain, activity), use_case = rng.choice(_OTHER_DOMAINS), None
        system = self.typed(iris.system(sid), "AISystem", f"{activity.capitalize()} system {index}")
        self.t(system, f"<{DCTERMS}identifier>", nt.text(sid))
        self.t(nt.iri(iris.aims), nt.aims("coversSystem"), system)
        if plan.owner:
            self.t(system, nt.aims("owner"), nt.iri(rng.choice(self.people)))
        purpose = nt.iri(iris.system(sid) + "/purpose")
        self.t(system, nt.aims("hasIntendedPurpose"), purpose)
        self.t(purpose, nt.RDF_TYPE, nt.aims("IntendedPurpose"))
        self.t(purpose, nt.RDFS_COMMENT, nt.text(f"Supports {activity} in the {domain} area"))
        self.t(system, nt.aims("hasDomain"), nt.iri(iris.of("domain", slug(domain))))
        self.t(system, nt.aims("lifeCycleStage"), nt.iri(concept_iri("iso22989", plan.stage)))
        org = nt.iri(iris.organisation())
        self.t(system, nt.aims("deployer"), org)
        if plan.supplied:
            supplier = nt.iri(rng.choice(self.suppliers))
            self.t(system, nt.aims("provider"), supplier)
            self.t(system, nt.aims("suppliedBy"), supplier)
        else:
            self.t(system, nt.aims("provider"), org)
        self._classification_facts(system, plan.category, use_case)
        if plan.high_risk:
            self._high_risk_artefacts(system, sid, plan.oversight)
        self._assessments(system, sid, plan.impact_assessment, use_case)
        model = self.typed(iris.of("model", f"{sid}-model"), "AIModel", f"Model of system {index}")
        self.t(system, nt.aims("usesModel"), model)
        if rng.random() < 0.25:
            self.t(model, nt.aims("basedOnModel"), nt.iri(rng.choice(self.gpai)))
        self.tally.add("models")
        roles = ("trainingDataset", "validationDataset", "testDataset")
        for number, role in enumerate(roles if plan.high_risk else roles[: rng.randint(2, 3)]):
            self._dataset(system, f"{sid}-d{number}", role, plan.high_risk)
        for number in range(rng.randint(3, 8)):
            self._risk(system, f"{sid}-r{number}")
        if plan.incident:
            self._incident(system, sid, plan.incident)

    def _classification_facts(self, system: str, category: str, use_case: str | None) -> None:
        rng = self.rng
        flags = {"interactsWithNaturalPersons": False, "generatesSyntheticContent": False}
        if use_case:
            self.t(system, nt.aims("annexIIIUseCase"), nt.iri(concept_iri("eu-ai-act", use_case)))
            self.t(system, nt.aims("performsProfiling"), nt.boolean(category == "annex-iii"))
        if category == "annex-iii-exempt":
            exception = nt.iri(concept_iri("eu-ai-act", rng.choice(_EXCEPTIONS)))
            self.t(system, nt.aims("article6_3Exception"), exception)
            self._article_6_3_assessment(system, exception)
        elif category == "prohibited":
            self.t(system, nt.aims("prohibitedPractice"), nt.iri(concept_iri("eu-ai-act", rng.choice(_PROHIBITED))))
        elif category == "annex-i":
            self.t(system, nt.aims("safetyComponentOfProduct"), nt.boolean(True))
            self.t(system, nt.aims("coveredByAnnexI"), nt.iri(concept_iri("eu-ai-act", rng.choice(_ANNEX_I))))
            self.t(system, nt.aims("requiresThirdPartyConformityAssessment"), nt.boolean(True))
        elif category == "transparency":
            flags[rng.choice(list(flags))] = True
        for name, value in flags.items():
            self.t(system, nt.aims(name), nt.boolean(value))

    def _article_6_3_assessment(self, system: str, exception: str) -> None:
        """The provider's Article 6(4) record of the derogation, dated before any placing on the
        market (the generator records none). It draws nothing from the random generator, so the
        rest of an organisation of a given seed stays as it was before assessments existed."""
        node = self.typed(system.strip("<>") + "/article-6-3-assessment", "Article6_3Assessment",
                          "Article 6(3) assessment")
        self.t(system, nt.aims("hasArticle6_3Assessment"), node)
        self.t(node, f"<{DCTERMS}date>", nt.date(_EPOCH))
        self.t(node, nt.aims("reliesOnException"), exception)
        self.t(node, nt.aims("owner"), nt.iri(self.people[0]))
        self.t(node, nt.aims("nextReviewDate"), nt.date(_REVIEWS))

    def _high_risk_artefacts(self, system: str, sid: str, oversight: bool) -> None:
        """What the provider of a high-risk system documents (EU AI Act Articles 9-15, 43, 49, 72)."""
        base = self.iris.system(sid)
        for prop, cls, label in _HIGH_RISK_DOCUMENTS:
            self.t(system, nt.aims(prop), self.document(f"{base}/{slug(cls)}", cls, f"{label} of {sid}"))
        artefacts = [("hasLogging", "LoggingCapability", "event logging")]
        if oversight:
            artefacts.append(("hasHumanOversightMeasure", "HumanOversightMeasure", "human oversight"))
        for prop, cls, label in artefacts:
            self.t(system, nt.aims(prop), self.typed(f"{base}/{slug(cls)}", cls, f"{label} of {sid}"))
        for kind in ("accuracy", "robustness", "cybersecurity"):
            metric = self.typed(f"{base}/metric-{kind}", "PerformanceMetric", f"{kind} of {sid}")
            self.t(system, nt.aims("hasPerformanceMetric"), metric)
            self.t(metric, nt.aims("metricKind"), nt.text(kind))
            self.t(metric, f"<{RDF}value>", nt.typed(f"0.{self.rng.randint(80, 99)}", "decimal"))

    def _assessments(self, system: str, sid: str, impact: bool, use_case: str | None) -> None:
        rng = self.rng
        risk_assessment = self.typed(self.iris.of("risk-assessment", sid), "RiskAssessment", f"risk assessment of {sid}")
        self.t(risk_assessment, nt.aims("assessesSystem"), system)
        self.t(risk_assessment, f"<{DCTERMS}date>", nt.date(self.day(300, 900)))
        if not impact:
            return
        node = self.typed(self.iris.of("impact-assessment", sid), "ImpactAssessment", f"impact assessment of {sid}")
        if use_case in _FRIA_USE_CASES:
            self.t(node, nt.RDF_TYPE, nt.aims("FundamentalRightsImpactAssessment"))
        self.t(node, nt.aims("assessesSystem"), system)
        self.t(node, f"<{DCTERMS}date>", nt.date(self.day(300, 900)))
        impact_node = nt.iri(self.iris.of("impact-assessment", sid) + "/impact")
        self.t(node, nt.aims("identifiesImpact"), impact_node)
        self.t(impact_node, nt.RDF_TYPE, nt.aims("Impact"))
        self.t(impact_node, nt.aims("impactDimension"), nt.aims(rng.choice(("Fairness", "Privacy", "Transparency"))))
        self.t(impact_node, nt.aims("impactDirection"), nt.aims("Negative"))
        self.t(impact_node, nt.aims("impactLevel"), nt.aims(rng.choice(("IndividualLevel", "GroupLevel"))))
        self.tally.add("impact_assessments")

    def _dataset(self, system: str, did: str, role: str, governed: bool) -> None:
        rng = self.rng
        dataset_iri = self.iris.of("dataset", did)
        dataset = self.typed(dataset_iri, "Dataset", f"Dataset {did}")
        self.t(system, nt.aims(role), dataset)
        self.tally.add("datasets")
        missing_source = rng.random() < DEFECTS["datasets_without_source"].share
        self.tally.drawn("datasets_without_source", 1, int(missing_source))
        if not missing_source:
            self.t(dataset, nt.aims("dataSource"), nt.text(f"operational records behind {did}"))
        self.t(dataset, nt.aims("collectedOn"), nt.date(self.day(0, 600)))
        self.t(dataset, nt.aims("containsPersonalData"), nt.boolean(rng.random() < 0.6))
        check = nt.iri(dataset_iri + "/quality-check")
        self.t(dataset, nt.aims("dataQualityCheck"), check)
        self.t(check, nt.RDF_TYPE, nt.aims("DataQualityCheck"))
        self.t(check, nt.aims("qualityDimension"), nt.text(rng.choice(_QUALITY)))
        self.t(check, nt.aims("passed"), nt.boolean(rng.random() < 0.85))
        if governed:
            measure = self.document(dataset_iri + "/governance", "DataGovernanceMeasure", f"data governance of {did}")
            self.t(dataset, nt.aims("hasDataGovernance"), measure)

    def _risk(self, system: str, rid: str) -> None:
        rng = self.rng
        risk = nt.iri(self.iris.of("risk", rid))
        self.t(risk, nt.RDF_TYPE, nt.aims("Risk"))
        self.t(system, nt.aims("hasRisk"), risk)
        likelihood, severity = rng.randint(1, 5), rng.randint(1, 5)
        self.t(risk, nt.aims("hasLikelihood"), nt.integer(likelihood))
        self.t(risk, nt.aims("hasSeverity"), nt.integer(severity))
        self.t(risk, nt.aims("riskScore"), nt.integer(likelihood * severity))
        self.t(risk, nt.aims("hasRiskSource"), nt.iri(self.iris.of("risk-source", rng.choice(_RISK_SOURCES))))
        self.tally.add("risks")
        above = likelihood * severity > RISK_THRESHOLD
        if above:
            untreated = rng.random() < DEFECTS["risks_above_threshold_without_treatment"].share
            self.tally.drawn("risks_above_threshold_without_treatment", 1, int(untreated))
            if untreated:
                return
        elif rng.random() < 0.6:
            return
        treatment = nt.iri(self.iris.of("risk", rid) + "/treatment")
        self.t(risk, nt.aims("hasTreatment"), treatment)
        self.t(treatment, nt.RDF_TYPE, nt.aims("RiskTreatment"))
        self.t(treatment, nt.aims("treatmentOption"), nt.aims(rng.choice(_OPTIONS) if above else "Retain"))
        self.t(treatment, nt.aims("appliesControl"), nt.iri(self.iris.control(rng.choice(self.applicable))))
        self.t(treatment, nt.aims("residualRiskScore"), nt.integer(max(1, likelihood * severity // 3)))
        self.tally.add("treatments")

    def _incident(self, system: str, sid: str, severity: str) -> None:
        rng = self.rng
        incident = self.typed(self.iris.of("incident", f"{sid}-i0"), "Incident", f"Incident of {sid}")
        self.t(incident, nt.aims("incidentOf"), system)
        occurred = self.day(400, 1000)
        aware = occurred + dt.timedelta(days=rng.randint(0, 3))
        self.t(incident, nt.aims("occurredOn"), nt.date(occurred))
        self.t(incident, nt.aims("awareOn"), nt.date(aware))
        self.t(incident, nt.aims("status"), nt.aims(rng.choice(("Open", "Closed"))))
        self.tally.add("incidents")
        if severity == "minor":
            return
        kind, deadline = rng.choice(_INCIDENT_KINDS)
        self.t(incident, nt.RDF_TYPE, nt.aims("SeriousIncident"))
        self.t(incident, nt.aims("incidentKind"), nt.aims(kind))
        self.tally.add("serious_incidents")
        delay = deadline + rng.randint(1, 20) if severity == "late" else rng.randint(0, deadline)
        self.t(incident, nt.aims("reportedOn"), nt.date(aware + dt.timedelta(days=delay)))


def _check_notations() -> None:
    """Every identifier the generator names must exist in the reference tables."""
    families = {"annex-iii": [u for _, u, _ in _HIGH_RISK_DOMAINS], "prohibited": list(_PROHIBITED),
                "annex-i": list(_ANNEX_I), "article-6-3": list(_EXCEPTIONS), "risk-source": list(_RISK_SOURCES),
                "life-cycle-stage": list(_STAGES)}
    for family, notations in families.items():
        for notation in notations:
            vocabulary.resolve(family, notation)


def generate(out: IO[str], *, systems: int, seed: int = 1, fmt: str = "nt", org: str = "synthetic",
             graph: str | None = None) -> dict[str, object]:
    """Write the organisation to a text stream; returns the manifest (counts and defects)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if systems < 1:
        raise InputError("the number of systems must be at least 1")
    _check_notations()
    iris = DataIris.for_org(org)
    sink = _Sink(out, fmt, graph or DEFAULT_GRAPH)
    builder = _Builder(systems, seed, iris)
    builder.organisation()
    builder.flush(sink)
    for index in range(systems):
        builder.system(index)
        if len(builder.lines) > 20_000:
            builder.flush(sink)
    builder.flush(sink)
    tally = builder.tally
    tally.counts.update(systems=systems, people=len(builder.people), triples=sink.triples)
    return {
        "seed": seed, "systems": systems, "format": fmt, "base": iris.base,
        "graph": (graph or DEFAULT_GRAPH) if fmt == "nq" else None,
        "risk_acceptance_threshold": RISK_THRESHOLD,
        "counts": dict(sorted(tally.counts.items())),
        "defects": {
            name: {"count": tally.defects[name], "population": tally.populations[name],
                   "population_is": d.population, "target_share": d.share,
                   "description": d.description, "query": _PREFIXES + d.query, "shape": d.shape}
            for name, d in DEFECTS.items()
        },
    }


def generate_file(path: Path, **options: object) -> dict[str, object]:
    """``generate`` into a file, through a large buffer (the output can be hundreds of MB)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        return generate(out, **options)  # type: ignore[arg-type]


def generate_bytes(**options: object) -> tuple[bytes, dict[str, object]]:
    buffer = io.StringIO()
    manifest = generate(buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue().encode("utf-8"), manifest
