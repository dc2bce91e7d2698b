"""Compile the reference tables (one SKOS concept scheme per standard) into Turtle.

Long identifier lists are easier to review as tables than as Turtle, so each scheme
lives in ``ontology/reference/<scheme>.tsv`` beside a hand-written ``<scheme>.meta.ttl``
that describes the scheme itself (title, version, sources).  The compiled
``<scheme>.ttl`` is committed so that tools can read it without this package; a test
checks that it is up to date (``make reference`` rewrites it).

Table columns (tab separated, header row first):

``notation``      the identifier exactly as the document prints it (``6.1.2``, ``Article 9``)
``kind``          local name of the ``aims:`` class of the concept (``Clause``, ``Article``...)
``broader``       notation of the parent concept, empty for a top concept
``label``         the title, as ``skos:prefLabel``@en
``note``          optional (``skos:scopeNote``): for ISO standards one sentence of our own,
                  never the standard's text; EU legislation and NIST publications may be
                  quoted, with the source named in the note
``applies_from``  optional: date (``YYYY-MM-DD``) from which the provision applies
``source``        optional: where this row was checked, when it differs from the scheme's source
``numbering``     optional: ``derived`` when the notation was inferred from the document's
                  structure because no copy printing it could be read; ``source`` must then
                  say how.  Compiled to ``aims:notationDerived true`` so that readers of the
                  graph, not only of this table, can tell a provisional number from a checked one
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from aims_graph.paths import REFERENCE_DIR
from aims_graph.rdf.namespaces import SCHEME_BASE
from aims_graph.sparql.terms import quoted

COLUMNS = (
    "notation", "kind", "broader", "label", "note", "applies_from", "source", "numbering",
    "versions", "version", "provisional",
)
NUMBERINGS = ("", "derived")
REQUIRED_COLUMNS = ("notation", "kind", "broader", "label")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KIND = re.compile(r"^[A-Z][A-Za-z0-9]*$")
_VERSION_KEY = re.compile(r"^[0-9]{4}-[0-9]+$")


class ReferenceTableError(ValueError):
    """A reference table breaks one of the rules above; the message names file and line."""


@dataclass(frozen=True)
class ConceptRow:
    notation: str
    kind: str
    broader: str
    label: str
    note: str
    applies_from: str
    source: str
    line: int
    numbering: str = ""
    versions: str = ""
    version: str = ""
    provisional: str = ""

    @property
    def derived(self) -> bool:
        return self.numbering == "derived"


def notation_slug(notation: str) -> str:
    """Turn a printed identifier into the last segment of its concept IRI.

    The rule is part of the public contract (docs/architecture.md): spaces become ``-``,
    ``(`` becomes ``-``, ``)`` is dropped and case is kept, so ``Article 5(1)(f)``
    becomes ``Article-5-1-f`` and ``A.5.2`` stays ``A.5.2``.
    """
    slug = notation.strip().replace(" ", "-").replace("(", "-").replace(")", "")
    return re.sub(r"-{2,}", "-", slug)


def scheme_iri(scheme: str) -> str:
    return SCHEME_BASE + scheme


def concept_iri(scheme: str, notation: str) -> str:
    return f"{SCHEME_BASE}{scheme}/{notation_slug(notation)}"


def version_iri(scheme: str, key: str) -> str:
    """IRI of one version of a scheme's document, e.g. ``eu-ai-act/version/2026-1744``.

    No notation contains ``/``, so these can never collide with a concept IRI.
    """
    return f"{SCHEME_BASE}{scheme}/version/{key}"


def read_table(path: Path) -> list[ConceptRow]:
    """Read and check one table; every problem is reported with its line number."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceTableError(f"{path}: missing column(s) {', '.join(missing)}")
        rows: list[ConceptRow] = []
        for line, record in enumerate(reader, start=2):
            values = {c: (record.get(c) or "").strip() for c in COLUMNS}
            rows.append(ConceptRow(line=line, **values))
    _check(path, rows)
    return rows


def _check(path: Path, rows: list[ConceptRow]) -> None:
    seen: dict[str, int] = {}
    slugs: dict[str, str] = {}
    for row in rows:
        where = f"{path}:{row.line}"
        if not row.notation or not row.label:
            raise ReferenceTableError(f"{where}: notation and label are required")
        if not _KIND.match(row.kind):
            raise ReferenceTableError(f"{where}: kind {row.kind!r} is not an aims: class name")
        if row.notation in seen:
            raise ReferenceTableError(
                f"{where}: notation {row.notation!r} already on line {seen[row.notation]}"
            )
        slug = notation_slug(row.notation)
        if slug in slugs:
            raise ReferenceTableError(
                f"{where}: notation {row.notation!r} gives the same IRI as {slugs[slug]!r}"
            )
        if row.applies_from and not _DATE.match(row.applies_from):
            raise ReferenceTableError(f"{where}: applies_from {row.applies_from!r} is not YYYY-MM-DD")
        if row.numbering not in NUMBERINGS:
            raise ReferenceTableError(
                f"{where}: numbering {row.numbering!r} is not one of {', '.join(filter(None, NUMBERINGS))}"
            )
        if row.derived and not row.source:
            raise ReferenceTableError(f"{where}: a derived notation needs a source saying how it was derived")
        keys = row.versions.split()
        bad_keys = [k for k in keys if not _VERSION_KEY.match(k)]
        if bad_keys or len(set(keys)) != len(keys):
            raise ReferenceTableError(
                f"{where}: versions {row.versions!r} must be distinct keys of the form YYYY-NNNN"
            )
        seen[row.notation] = row.line
        slugs[slug] = row.notation
    for row in rows:
        if row.broader and row.broader not in seen:
            raise ReferenceTableError(
                f"{path}:{row.line}: broader {row.broader!r} is not a notation of this table"
            )


def compile_table(scheme: str, rows: list[ConceptRow], version: str) -> str:
    """Render the concepts of one scheme as Turtle, in table order, deterministically."""
    scheme_ref = f"<{scheme_iri(scheme)}>"
    lines = [
        f"# Generated from ontology/reference/{scheme}.tsv by aims_graph.knowledge.reference; do not edit.",
        "@prefix aims: <https://w3id.org/aims-graph/ontology#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
    ]
    for row in rows:
        subject = f"<{concept_iri(scheme, row.notation)}>"
        props = [
            f"a skos:Concept, aims:{row.kind}",
            f"skos:inScheme {scheme_ref}",
            f"skos:notation {quoted(row.notation)}",
            f"skos:prefLabel {quoted(row.label)}@en",
            f"aims:version {quoted(row.version or version)}",
        ]
        if row.broader:
            props.append(f"skos:broader <{concept_iri(scheme, row.broader)}>")
        else:
            props.append(f"skos:topConceptOf {scheme_ref}")
        if row.note:
            props.append(f"skos:scopeNote {quoted(row.note)}@en")
        if row.applies_from:
            props.append(f"aims:appliesFrom {quoted(row.applies_from)}^^xsd:date")
        if row.source:
            props.append(f"dcterms:source {quoted(row.source)}")
        if row.derived:
            props.append("aims:notationDerived true")
        for key in row.versions.split():
            props.append(f"aims:inVersion <{version_iri(scheme, key)}>")
        if row.provisional:
            props.append("aims:provisional true")
            props.append(f"skos:editorialNote {quoted(row.provisional)}@en")
        lines.append(subject + " " + " ;\n    ".join(props) + " .\n")
    return "\n".join(lines)


def scheme_version(meta_path: Path) -> str:
    """The version string declared in the scheme's meta file (``aims:version "..."``)."""
    match = re.search(r'aims:version\s+"([^"]+)"', meta_path.read_text(encoding="utf-8"))
    if not match:
        raise ReferenceTableError(f"{meta_path}: declares no aims:version for the scheme")
    return match.group(1)


def build_scheme(scheme: str, directory: Path = REFERENCE_DIR) -> str:
    table = directory / f"{scheme}.tsv"
    meta = directory / f"{scheme}.meta.ttl"
    return compile_table(scheme, read_table(table), scheme_version(meta))


def table_schemes(directory: Path = REFERENCE_DIR) -> list[str]:
    """Schemes kept as tables: every ``<scheme>.tsv`` with its ``<scheme>.meta.ttl``."""
    return sorted(
        p.stem for p in directory.glob("*.tsv") if (directory / f"{p.stem}.meta.ttl").exists()
    )


def write_all(directory: Path = REFERENCE_DIR) -> list[Path]:
    """Rewrite every compiled ``<scheme>.ttl``; used by ``make reference``."""
    written = []
    for scheme in table_schemes(directory):
        target = directory / f"{scheme}.ttl"
        target.write_text(build_scheme(scheme, directory), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write_all():
        print(path)
