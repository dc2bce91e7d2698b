"""The reference identifiers a spreadsheet cell may name, read from the reference tables.

Cells name controls, Annex III points, prohibited practices and the like by the
notation the document prints (``A.6.2.4``, ``Annex III point 5(b)``).  Checking them
against ``ontology/reference/*.tsv`` (the same tables the store's reference graphs are
compiled from) rejects invented identifiers such as ``A.6.10`` before anything is
written, and works the same for the embedded and the remote store.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from aims_graph.knowledge.reference import concept_iri, read_table
from aims_graph.paths import REFERENCE_DIR


@dataclass(frozen=True)
class NotationSet:
    """One family of identifiers: which scheme, which rows, and how to describe it."""

    key: str
    scheme: str
    description: str
    kind: str
    prefix: str = ""
    accept_labels: bool = False


FAMILIES: dict[str, NotationSet] = {
    family.key: family
    for family in (
        NotationSet("control", "iso42001", "an ISO/IEC 42001 Annex A control", "AnnexAControl"),
        NotationSet("annex-iii", "eu-ai-act", "an EU AI Act Annex III point", "AnnexPoint", "Annex III point"),
        NotationSet("prohibited", "eu-ai-act", "an EU AI Act Article 5(1) point", "ProhibitedPractice"),
        NotationSet("article-6-3", "eu-ai-act", "an EU AI Act Article 6(3) point", "Point", "Article 6(3)("),
        NotationSet("annex-i", "eu-ai-act", "an EU AI Act Annex I point", "AnnexPoint", "Annex I Section"),
        NotationSet("rbi-objective", "eu-ai-act", "an EU AI Act Article 5(1)(h) objective", "Point", "Article 5(1)(h)("),
        NotationSet("risk-source", "iso23894", "an ISO/IEC 23894 Annex B risk source", "RiskSourceCategory"),
        NotationSet("life-cycle-stage", "iso22989", "an ISO/IEC 22989 life cycle stage", "LifeCycleStage",
                    accept_labels=True),
    )
}


def _normalise(value: str) -> str:
    """Forgive spacing, case and the common ``Art.`` abbreviation; nothing else."""
    value = re.sub(r"^Art\.?\s*", "Article ", value.strip(), flags=re.IGNORECASE)
    value = re.sub(r"\s+", " ", value)
    return re.sub(r"\s*\(\s*", "(", value).replace(" )", ")").lower()


@lru_cache(maxsize=None)
def members(key: str) -> dict[str, tuple[str, str, str]]:
    """Normalised spelling -> (notation, label, concept IRI) for one family."""
    family = FAMILIES[key]
    found: dict[str, tuple[str, str, str]] = {}
    for row in read_table(REFERENCE_DIR / f"{family.scheme}.tsv"):
        if row.kind != family.kind or not row.notation.startswith(family.prefix):
            continue
        entry = (row.notation, row.label, concept_iri(family.scheme, row.notation))
        found[_normalise(row.notation)] = entry
        if family.accept_labels:
            found[_normalise(row.label)] = entry
    return found


def allowed_values(key: str) -> list[str]:
    """The identifiers as printed, in table order, for templates and documentation."""
    seen: dict[str, None] = {}
    for notation, label, _ in members(key).values():
        seen[f"{notation} ({label})" if FAMILIES[key].accept_labels else notation] = None
    return list(seen)


def resolve(key: str, value: str) -> tuple[str, str, str]:
    """(notation, label, IRI) for a cell value, or ValueError naming close candidates."""
    found = members(key).get(_normalise(value))
    if found is not None:
        return found
    family = FAMILIES[key]
    notations = sorted({n for n, _, _ in members(key).values()})
    close = difflib.get_close_matches(value.strip(), notations, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise ValueError(f"{value!r} is not {family.description} ({family.scheme} has no such identifier){hint}")
