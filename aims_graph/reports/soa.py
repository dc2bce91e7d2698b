"""Statement of Applicability (ISO/IEC 42001 6.1.3) as a table an auditor can read.

One row for every Annex A control of the iso42001 scheme (38), whatever the
organisation recorded: the decision (included, excluded, or "missing" when the
statement of applicability has no decision for it), its justification, the
implementation status of the control implementations and their evidence. The list of
controls comes from the reference scheme, never from the organisation's data, so a
missing decision shows up as a row instead of disappearing.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import asdict, dataclass

from aims_graph.errors import InputError, NotFoundError
from aims_graph.rdf.namespaces import AIMS, SKOS
from aims_graph.store.base import Store

ISO42001 = "https://w3id.org/aims-graph/iso42001"
FORMATS = ("csv", "json", "md", "html")
COLUMNS = ("control", "title", "objective", "decision", "justification", "implementation_status", "evidence")
_HEADERS = ("Control", "Title", "Objective", "Decision", "Justification", "Implementation status", "Evidence")


@dataclass(frozen=True)
class SoARow:
    control: str  # notation, e.g. A.6.2.6
    iri: str
    title: str
    objective: str
    decision: str  # included, excluded or missing
    justification: str
    implementation_status: str  # e.g. "implemented"; "none recorded" when no implementation exists
    evidence: str


@dataclass(frozen=True)
class StatementOfApplicability:
    iri: str | None  # the organisation's aims:StatementOfApplicability, None when there is none
    label: str | None
    rows: tuple[SoARow, ...]


def statement_of_applicability(store: Store, soa_iri: str | None = None) -> StatementOfApplicability:
    """The statement of applicability ``soa_iri`` (default: the only one in the store)."""
    soa, label = _choose(store, soa_iri)
    controls = _controls(store)
    if not controls:
        raise NotFoundError("the store holds no ISO/IEC 42001 Annex A controls: is the iso42001 module loaded?")
    decisions = _decisions(store, soa) if soa else {}
    implementations = _implementations(store)
    rows = []
    for iri, (notation, title, objective) in sorted(controls.items(), key=lambda item: _natural(item[1][0])):
        decision, justification = decisions.get(iri, ("missing", ""))
        statuses, evidence = implementations.get(iri, ([], []))
        rows.append(SoARow(notation, iri, title, objective, decision, justification,
                           "; ".join(statuses) if statuses else "none recorded", "; ".join(evidence)))
    return StatementOfApplicability(soa, label, tuple(rows))


def _choose(store: Store, soa_iri: str | None) -> tuple[str | None, str | None]:
    rows = list(store.query(
        f"SELECT DISTINCT ?s (SAMPLE(?l) AS ?label) WHERE {{ ?s a <{AIMS}StatementOfApplicability> . FILTER(isIRI(?s)) "
        "OPTIONAL { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } } GROUP BY ?s ORDER BY ?s"
    ))
    found = {row["s"].value: (row["label"].value if row["label"] else None) for row in rows}
    if soa_iri is not None:
        if soa_iri not in found:
            raise NotFoundError(f"{soa_iri} is not an aims:StatementOfApplicability in the store")
        return soa_iri, found[soa_iri]
    if len(found) > 1:
        raise InputError(f"the store holds {len(found)} statements of applicability ({', '.join(found)}): name one")
    return next(iter(found.items()), (None, None))


def _controls(store: Store) -> dict[str, tuple[str, str, str]]:
    rows = store.query(
        f"SELECT ?c ?n ?t ?on ?ot WHERE {{ ?c a <{AIMS}AnnexAControl> ; <{SKOS}inScheme> <{ISO42001}> ;"
        f" <{SKOS}notation> ?n ; <{SKOS}prefLabel> ?t ."
        f" OPTIONAL {{ ?c <{SKOS}broader> ?o . ?o <{SKOS}notation> ?on ; <{SKOS}prefLabel> ?ot }} }}"
    )
    return {
        row["c"].value: (row["n"].value, row["t"].value,
                         f"{row['on'].value} {row['ot'].value}" if row["on"] else "")
        for row in rows
    }


def _decisions(store: Store, soa: str) -> dict[str, tuple[str, str]]:
    rows = store.query(
        f"SELECT ?c ?applicable (GROUP_CONCAT(?j; separator=' ') AS ?why) WHERE {{"
        f" <{soa}> <{AIMS}hasDecision> ?d . ?d <{AIMS}decisionFor> ?c ."
        f" OPTIONAL {{ ?d <{AIMS}applicable> ?applicable }} OPTIONAL {{ ?d <{AIMS}justification> ?j }}"
        "} GROUP BY ?c ?applicable"
    )
    decisions = {}
    for row in rows:
        applicable = row["applicable"]
        decision = "undecided" if applicable is None else ("included" if applicable.value == "true" else "excluded")
        decisions[row["c"].value] = (decision, row["why"].value if row["why"] else "")
    return decisions


def _implementations(store: Store) -> dict[str, tuple[list[str], list[str]]]:
    rows = store.query(
        f"SELECT ?c ?status ?title ?location WHERE {{ ?i <{AIMS}implementsControl> ?c ."
        f" OPTIONAL {{ ?i <{AIMS}implementationStatus> ?status }}"
        f" OPTIONAL {{ ?i <{AIMS}hasEvidence> ?e . OPTIONAL {{ ?e <http://purl.org/dc/terms/title> ?title }}"
        f"   OPTIONAL {{ ?e <{AIMS}location> ?location }} }} }} ORDER BY ?c ?status ?title"
    )
    found: dict[str, tuple[list[str], list[str]]] = {}
    for row in rows:
        statuses, evidence = found.setdefault(row["c"].value, ([], []))
        status = _words(row["status"].value.removeprefix(AIMS)) if row["status"] else "no status"
        if status not in statuses:
            statuses.append(status)
        if row["title"] or row["location"]:
            item = " ".join(filter(None, (row["title"].value if row["title"] else None,
                                          f"<{row['location'].value}>" if row["location"] else None)))
            if item not in evidence:
                evidence.append(item)
    return found


def _words(local_name: str) -> str:
    """``PartiallyImplemented`` -> ``partially implemented``."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", local_name).lower()


def _natural(notation: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", notation))


# --- Output formats -------------------------------------------------------------------------


def render(soa: StatementOfApplicability, output_format: str) -> str:
    """The statement as CSV, JSON, Markdown or HTML."""
    renderers = {"csv": _csv, "json": _json, "md": _markdown, "html": _html}
    if output_format not in renderers:
        raise InputError(f"unknown statement of applicability format {output_format!r}: use one of {', '.join(FORMATS)}")
    return renderers[output_format](soa)


def _values(row: SoARow) -> list[str]:
    return [getattr(row, column) for column in COLUMNS]


def _csv(soa: StatementOfApplicability) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(_values(row) for row in soa.rows)
    return out.getvalue()


def _json(soa: StatementOfApplicability) -> str:
    return json.dumps({"statement_of_applicability": soa.iri, "label": soa.label,
                       "controls": [asdict(row) for row in soa.rows]}, indent=2, ensure_ascii=False)


def _markdown(soa: StatementOfApplicability) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    title = soa.label or "Statement of applicability"
    lines = [f"# {cell(title)}", "", f"ISO/IEC 42001:2023 Annex A, {len(soa.rows)} controls.", "",
             "| " + " | ".join(_HEADERS) + " |", "|" + "---|" * len(_HEADERS)]
    lines += ["| " + " | ".join(cell(v) for v in _values(row)) + " |" for row in soa.rows]
    return "\n".join(lines) + "\n"


def _html(soa: StatementOfApplicability) -> str:
    title = html.escape(soa.label or "Statement of applicability")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in _HEADERS)
    body = "".join(
        f'<tr class="{html.escape(row.decision)}">' + "".join(f"<td>{html.escape(v)}</td>" for v in _values(row)) + "</tr>"
        for row in soa.rows
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;vertical-align:top}"
        "tr.missing td{background:#fdd}tr.excluded td{color:#555}</style></head>"
        f"<body><h1>{title}</h1><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n"
    )
