"""What the governance sheets say in RDF: the management system, models, documents,
assessments, impacts, audits and their findings.

These are the facts the ISO/IEC 42001 and EU AI Act conformance shapes ask for beyond the
registers of ``mapping`` (policy, objectives, risk criteria, the Statement of Applicability's
owner and review date, risk and impact assessments, the Article 9-17 artefacts of a system,
internal audits), so that an organisation kept in spreadsheets can reach a clean report.
IRIs follow the same ``<base>/<kind>/<id>`` layout as the registers.
"""

from __future__ import annotations

import datetime as dt

from aims_graph.rdf.namespaces import DCTERMS
from aims_graph.spreadsheet import ntriples as nt
from aims_graph.spreadsheet.columns import DOCUMENT_KINDS
from aims_graph.spreadsheet.iris import DataIris, slug
from aims_graph.spreadsheet.mapping import (
    Builder,
    Row,
    RowProblem,
    dated,
    entity,
    management_system,
    named,
    operator,
    owned_by,
    set_flags,
    supplied_by,
)

_A = nt.RDF_TYPE
_DATE = f"<{DCTERMS}date>"
# The document kind of Article 6(4) and the columns that only it takes.
_ARTICLE_6_3 = "article 6(3) assessment"
_ASSESSMENT_COLUMNS = ("exception", "assessed_by")


def management_system_row(row: Row, iris: DataIris) -> list[str]:
    aims_node = nt.iri(iris.aims)
    out = management_system(iris) + [nt.line(aims_node, nt.RDFS_LABEL, nt.text(str(row["name"])))]
    if row.get("scope"):
        out.append(nt.line(aims_node, nt.RDFS_COMMENT, nt.text(str(row["scope"]))))
    owned_by(out, aims_node, row.get("owner"), iris)
    threshold = row.number("risk_acceptance_threshold")
    if threshold is not None:
        out.append(nt.line(aims_node, nt.aims("riskAcceptanceThreshold"), nt.integer(threshold)))
    soa_columns = ("soa_owner", "soa_date", "soa_location", "soa_review_date")
    if any(row.get(c) is not None for c in soa_columns):
        soa = nt.iri(iris.soa)
        out += [nt.line(aims_node, nt.aims("hasStatementOfApplicability"), soa),
                nt.line(soa, _A, nt.aims("StatementOfApplicability"))]
        owned_by(out, soa, row.get("soa_owner"), iris)
        _document_facts(out, soa, row.day("soa_date"), row.text("soa_location"), row.day("soa_review_date"))
    return out


def model_row(row: Row, iris: DataIris) -> list[str]:
    model_iri = iris.of("model", str(row["id"]))
    subject, out = entity(model_iri, "AIModel", row, "id", "name")
    if row.flag("general_purpose"):
        out.append(nt.line(subject, _A, nt.aims("GeneralPurposeAIModel")))
    for system in row.many("system"):
        out.append(nt.line(nt.iri(iris.system(str(system))), nt.aims("usesModel"), subject))
    for origin in row.many("based_on"):
        out.append(nt.line(subject, nt.aims("basedOnModel"), nt.iri(iris.of("model", str(origin)))))
    provider = row.text("provider")
    if provider:
        out.append(nt.line(subject, nt.aims("provider"), nt.iri(operator(out, provider, iris))))
    supplied_by(out, subject, row.get("supplier"), iris)
    owned_by(out, subject, row.get("owner"), iris)
    stage = row.concept("life_cycle_stage")
    if stage:
        out.append(nt.line(subject, nt.aims("lifeCycleStage"), nt.iri(stage[2])))
    compute = row.get("training_compute")
    if isinstance(compute, float):
        out.append(nt.line(subject, nt.aims("trainingCompute"), nt.double(compute)))
    set_flags(out, subject, row, {"designated_systemic_risk": "designatedSystemicRisk"})
    return out


def document_row(row: Row, iris: DataIris) -> list[str]:
    """A document or measure, attached to what its kind belongs to: the management system,
    the organisation, each system or each dataset named on the row."""
    kind = str(row["kind"])
    cls, link, holder = DOCUMENT_KINDS[kind]
    if row.get("metric_kind") and kind != "performance metric":
        raise RowProblem("metric_kind", f"metric_kind is for a performance metric, not a {kind}")
    if kind == "performance metric" and not row.get("metric_kind"):
        raise RowProblem("metric_kind", "a performance metric needs its metric_kind (accuracy, robustness or cybersecurity)")
    for column in _ASSESSMENT_COLUMNS:
        if row.get(column) and kind != _ARTICLE_6_3:
            raise RowProblem(column, f"{column} is for an {_ARTICLE_6_3}, not a {kind}")
    subject, out = entity(iris.of("document", str(row["id"])), cls, row, "id", "title")
    if holder == "management system":
        out += management_system(iris)
        holders = [iris.aims]
    elif holder == "organisation":
        out += named(iris.organisation(), "Organisation", iris.org)
        holders = [iris.organisation()]
    else:
        holders = [iris.system(str(s)) if holder == "system" else iris.of("dataset", str(s))
                   for s in row.many(holder)]
        if not holders:
            raise RowProblem(holder, f"a {kind} belongs to a {holder}: name it in the {holder} column")
    for held_by in holders:
        out.append(nt.line(nt.iri(held_by), nt.aims(link), subject))
    if row.get("description"):
        out.append(nt.line(subject, nt.RDFS_COMMENT, nt.text(str(row["description"]))))
    if row.get("metric_kind"):
        out.append(nt.line(subject, nt.aims("metricKind"), nt.text(str(row["metric_kind"]))))
    exception = row.concept("exception")
    if exception:
        out.append(nt.line(subject, nt.aims("reliesOnException"), nt.iri(exception[2])))
    assessor = row.get("assessed_by")
    if assessor:
        person = iris.person(str(assessor))
        out += named(person, "Person", str(assessor))
        out.append(nt.line(subject, nt.aims("assessedBy"), nt.iri(person)))
    owned_by(out, subject, row.get("owner"), iris)
    _document_facts(out, subject, row.day("date"), row.text("location"), row.day("next_review_date"))
    return out


def _document_facts(out: list[str], subject: str, day: dt.date | None, location: str | None,
                    review: dt.date | None) -> None:
    _dcterms_date(out, subject, day)
    if location:
        out.append(nt.line(subject, nt.aims("location"), nt.any_uri(location)))
    dated(out, subject, "nextReviewDate", review)


def _dcterms_date(out: list[str], subject: str, day: dt.date | None) -> None:
    if day is not None:
        out.append(nt.line(subject, _DATE, nt.date(day)))


def assessment_row(row: Row, iris: DataIris) -> list[str]:
    subject = nt.iri(iris.of("assessment", str(row["id"])))
    out = [nt.line(subject, _A, f"<{row['kind']}>"), nt.line(subject, nt.RDFS_LABEL, nt.text(str(row["title"])))]
    for system in row.many("system"):
        out.append(nt.line(subject, nt.aims("assessesSystem"), nt.iri(iris.system(str(system)))))
    for risk in row.many("risks"):
        out.append(nt.line(subject, nt.aims("identifiesRisk"), nt.iri(iris.of("risk", str(risk)))))
    owned_by(out, subject, row.get("owner"), iris)
    _dcterms_date(out, subject, row.day("date"))
    return out


def impact_row(row: Row, iris: DataIris) -> list[str]:
    subject, out = entity(iris.of("impact", str(row["id"])), "Impact", row, "id", "title")
    out.append(nt.line(nt.iri(iris.of("assessment", str(row["assessment"]))), nt.aims("identifiesImpact"), subject))
    for dimension in row.many("dimension"):
        out.append(nt.line(subject, nt.aims("impactDimension"), nt.iri(str(dimension))))
    for column, prop in (("direction", "impactDirection"), ("level", "impactLevel")):
        if row.get(column):
            out.append(nt.line(subject, nt.aims(prop), nt.iri(str(row[column]))))
    for name in row.many("affects"):
        affected = iris.of("subject", slug(str(name)))
        out += named(affected, "AISubject", str(name))
        out.append(nt.line(subject, nt.aims("affects"), nt.iri(affected)))
    return out


def audit_row(row: Row, iris: DataIris) -> list[str]:
    subject, out = entity(iris.of("audit", str(row["id"])), "InternalAudit", row, "id", "title")
    _dcterms_date(out, subject, row.day("date"))
    if row.get("scope"):
        out.append(nt.line(subject, nt.aims("auditScope"), nt.text(str(row["scope"]))))
    owned_by(out, subject, row.get("owner"), iris)
    if row.flag("of_management_system"):
        out += management_system(iris)
        out.append(nt.line(subject, nt.aims("auditsManagementSystem"), nt.iri(iris.aims)))
    return out


def audit_finding_row(row: Row, iris: DataIris) -> list[str]:
    finding_iri = iris.of("finding", str(row["id"]))
    subject = nt.iri(finding_iri)
    out = [nt.line(subject, _A, f"<{row['kind']}>"), nt.line(subject, nt.RDFS_LABEL, nt.text(str(row["title"]))),
           nt.line(subject, nt.aims("raisedIn"), nt.iri(iris.of("audit", str(row["audit"]))))]
    action_columns = ("action_owner", "action_due_on", "action_status")
    if not row.get("action"):
        given = next((c for c in action_columns if row.get(c) is not None), None)
        if given:
            raise RowProblem(given, f"{given} is given but action is empty: say what the corrective action is")
        return out
    action = nt.iri(finding_iri + "/action")
    out += [nt.line(subject, nt.aims("addressedBy"), action), nt.line(action, _A, nt.aims("CorrectiveAction")),
            nt.line(action, nt.RDFS_LABEL, nt.text(str(row["action"])))]
    owned_by(out, action, row.get("action_owner"), iris)
    dated(out, action, "dueDate", row.day("action_due_on"))
    if row.get("action_status"):
        out.append(nt.line(action, nt.aims("status"), nt.iri(str(row["action_status"]))))
    return out


GOVERNANCE_BUILDERS: dict[str, Builder] = {
    "management-system": management_system_row,
    "models": model_row,
    "documents": document_row,
    "assessments": assessment_row,
    "impacts": impact_row,
    "audits": audit_row,
    "audit-findings": audit_finding_row,
}
