"""Read and write crosswalks as SSSOM TSV (the contract in docs/crosswalks.md).

Reading is all-or-nothing: every row is checked against the known concept IRIs and
the IR 8477 rules, every problem is collected with its line number, and a single
:class:`CrosswalkError` is raised if there is any, so a half-valid file never loads.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from aims_graph.crosswalk.model import (
    SEMAPV,
    CrosswalkError,
    MappingRecord,
    MappingSet,
    Method,
    Problem,
    Rationale,
    Relation,
    Status,
)
from aims_graph.rdf.namespaces import AIMS, DCTERMS, SCHEME_BASE, SKOS, XSD

SCHEME_PREFIXES: dict[str, str] = {
    "iso42001": SCHEME_BASE + "iso42001/",
    "iso23894": SCHEME_BASE + "iso23894/",
    "iso22989": SCHEME_BASE + "iso22989/",
    "iso27001": SCHEME_BASE + "iso27001/",
    "euaiact": SCHEME_BASE + "eu-ai-act/",
    "nistairmf": SCHEME_BASE + "nist-ai-rmf/",
}
"""The concept schemes under the prefixes the crosswalk files use (``euaiact:`` for ``eu-ai-act``)."""
STANDARD_PREFIXES: dict[str, str] = {
    **SCHEME_PREFIXES,
    "skos": SKOS,
    "semapv": SEMAPV,
    "aims": AIMS,
    "dcterms": DCTERMS,
    "xsd": XSD,
    # Agents of the project itself (``aimsgraph:team``): SSSOM wants creators as CURIEs.
    "aimsgraph": SCHEME_BASE,
    "orcid": "https://orcid.org/",
}
SSSOM_VERSION = "1.1"
"""The SSSOM release whose features the files use: extension definitions came with 1.1."""
COLUMNS = (
    "subject_id",
    "subject_label",
    "predicate_id",
    "predicate_modifier",
    "object_id",
    "object_label",
    "mapping_justification",
    "ir8477_relation",
    "rationale_type",
    "comment",
    "source",
    "author_id",
    "reviewer_id",
    "confidence",
    "mapping_status",
)
# Columns the SSSOM standard does not define, declared as extensions in every export.
EXTENSIONS = {
    "ir8477_relation": AIMS + "setRelation",
    "rationale_type": AIMS + "rationale",
    "source": "http://purl.org/dc/terms/source",
    "mapping_status": AIMS + "mappingStatus",
}
REQUIRED_METADATA = (
    "curie_map",
    "mapping_set_id",
    "mapping_set_version",
    "mapping_set_title",
    "license",
    "subject_source",
    "object_source",
)
IRI_METADATA = ("mapping_set_id", "license", "subject_source", "object_source")


def read_sssom(
    path: Path, concepts: Collection[str], *, allow_derived: bool = False
) -> MappingSet:
    """Parse and check one SSSOM TSV file; raise :class:`CrosswalkError` listing every problem.

    ``concepts`` is the set of concept IRIs a row may name (see ``known_concepts``).
    Derived rows (``semapv:MappingChaining``, status ``candidate``) are refused unless
    ``allow_derived``: the crosswalk files hold asserted mappings only.
    """
    text = Path(path).read_text(encoding="utf-8")
    return parse_sssom(text, str(path), concepts, allow_derived=allow_derived)


def parse_sssom(
    text: str, where: str, concepts: Collection[str], *, allow_derived: bool = False
) -> MappingSet:
    """``read_sssom`` for text that is not a file (an upload, an export being checked);
    ``where`` names it in error messages."""
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    meta = _metadata(lines[:header_at], where)
    problems: list[Problem] = []
    if not isinstance(meta.get("curie_map"), dict):
        raise CrosswalkError([Problem(where, 1, "metadata has no curie_map mapping")])
    prefixes = {str(k): str(v) for k, v in meta["curie_map"].items()}
    for key in REQUIRED_METADATA:
        if not meta.get(key):
            problems.append(Problem(where, _meta_line(lines, key), f"metadata {key} is missing"))
        elif key in IRI_METADATA and not _is_iri(str(meta[key])):
            problems.append(Problem(where, _meta_line(lines, key), f"metadata {key} {meta[key]!r} is not an IRI"))
    creators, creator_problems = _creators(meta.get("creator_id"), prefixes, where, _meta_line(lines, "creator_id"))
    problems += creator_problems
    if header_at == len(lines):
        problems.append(Problem(where, header_at, "no table header after the metadata block"))
        raise CrosswalkError(problems)
    reader = _RowReader(where, prefixes, concepts, meta, allow_derived)
    records = reader.read(lines, header_at)
    problems += reader.problems
    if problems:
        raise CrosswalkError(sorted(problems, key=lambda p: p.line))
    return MappingSet(
        id=str(meta["mapping_set_id"]),
        title=str(meta["mapping_set_title"]),
        description=_text(meta.get("mapping_set_description")),
        version=str(meta["mapping_set_version"]),
        license=str(meta["license"]),
        subject_source=str(meta["subject_source"]),
        subject_source_version=_text(meta.get("subject_source_version")),
        object_source=str(meta["object_source"]),
        object_source_version=_text(meta.get("object_source_version")),
        mapping_date=_text(meta.get("mapping_date")),
        mappings=tuple(records),
        creators=creators,
        path=where,
    )


def _creators(value: Any, prefixes: dict[str, str], where: str, line: int) -> tuple[tuple[str, ...], list[Problem]]:
    """The IRIs of ``creator_id``, a list of CURIEs: ``sssom validate`` refuses a bare IRI there."""
    if value is None:
        return (), []
    iris: list[str] = []
    problems: list[Problem] = []
    for item in value if isinstance(value, list) else [value]:
        iri, why = _expand_curie(str(item), prefixes)
        if iri is None or not _is_iri(iri):
            problems.append(Problem(where, line, f"metadata creator_id {str(item)!r} {why or 'is not a valid IRI'}: "
                                    "SSSOM wants a CURIE whose prefix curie_map declares"))
        else:
            iris.append(iri)
    return tuple(iris), problems


def _expand_curie(curie: str, prefixes: dict[str, str]) -> tuple[str | None, str]:
    """The IRI of ``prefix:local``, or None and the reason it has none."""
    prefix, sep, local = curie.partition(":")
    if not sep or not prefix or not local:
        return None, "is not a CURIE (prefix:local)"
    if prefix not in prefixes:
        return None, f"uses prefix {prefix!r} that curie_map does not declare"
    return prefixes[prefix] + local, ""


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _metadata(lines: list[str], where: str) -> dict[str, Any]:
    # Strip the comment marks the way the sssom package does, so both read the same YAML.
    block = "\n".join(line.lstrip("#").rstrip() for line in lines)
    try:
        meta = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise CrosswalkError([Problem(where, line, f"metadata is not valid YAML: {error}")]) from None
    if not isinstance(meta, dict):
        raise CrosswalkError([Problem(where, 1, "metadata block is not a YAML mapping")])
    return meta


def _meta_line(lines: list[str], key: str) -> int:
    for number, line in enumerate(lines, start=1):
        if line.lstrip("#").strip().startswith(key + ":"):
            return number
    return 1


class _RowReader:
    """Checks table rows one by one, collecting problems instead of stopping at the first."""

    def __init__(
        self,
        where: str,
        prefixes: dict[str, str],
        concepts: Collection[str],
        meta: dict[str, Any],
        allow_derived: bool,
    ) -> None:
        self.where = where
        self.prefixes = prefixes
        self.concepts = concepts
        self.subject_scheme = _text(meta.get("subject_source")).rstrip("/") + "/"
        self.object_scheme = _text(meta.get("object_source")).rstrip("/") + "/"
        self.allow_derived = allow_derived
        self.problems: list[Problem] = []
        self.seen: dict[tuple[str, str], MappingRecord] = {}

    def read(self, lines: list[str], header_at: int) -> list[MappingRecord]:
        rows = csv.reader(lines[header_at:], delimiter="\t")
        header = [name.strip() for name in next(rows)]
        missing = [c for c in COLUMNS if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        if missing or unknown:
            reason = "table header " + "; ".join(
                part
                for part in (
                    f"lacks column(s) {', '.join(missing)}" if missing else "",
                    f"has unknown column(s) {', '.join(unknown)}" if unknown else "",
                )
                if part
            )
            self.problems.append(Problem(self.where, header_at + 1, reason))
            return []
        records = []
        for cells in rows:
            line = header_at + rows.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                self._fail(line, f"row has {len(cells)} cells, the header has {len(header)}")
                continue
            record = self._record(dict(zip(header, (c.strip() for c in cells))), line)
            if record is not None:
                records.append(record)
        return records

    def _fail(self, line: int, reason: str) -> None:
        self.problems.append(Problem(self.where, line, reason))

    def _record(self, row: dict[str, str], line: int) -> MappingRecord | None:
        before = len(self.problems)
        subject = self._concept(row["subject_id"], self.subject_scheme, "subject_id", line)
        obj = self._concept(row["object_id"], self.object_scheme, "object_id", line)
        relation = _enum(Relation, row["ir8477_relation"])
        rationale = _enum(Rationale, row["rationale_type"])
        status = _enum(Status, row["mapping_status"])
        method = self._method(row["mapping_justification"], line)
        if relation is None:
            self._fail(line, f"ir8477_relation {row['ir8477_relation']!r} is not one of "
                       + ", ".join(r.value for r in Relation))
        else:
            self._check_predicate(row, relation, line)
        if rationale is None:
            self._fail(line, f"rationale_type {row['rationale_type']!r} is not one of "
                       + ", ".join(r.value for r in Rationale))
        if status is None:
            self._fail(line, f"mapping_status {row['mapping_status']!r} is not one of "
                       + ", ".join(s.value for s in Status))
        elif method is not None and (status is Status.CANDIDATE) != (method is Method.DERIVED):
            self._fail(line, "status candidate goes with semapv:MappingChaining and only with it")
        if not row["comment"]:
            self._fail(line, "comment (our one-sentence justification) is empty")
        if not row["source"]:
            self._fail(line, "source is empty (cite the publication or write 'authored here')")
        author = self._agent(row["author_id"], "author_id", line, required=True)
        reviewer = self._agent(row["reviewer_id"], "reviewer_id", line, required=False)
        if status is Status.REVIEWED and not row["reviewer_id"]:
            self._fail(line, "a reviewed mapping needs a reviewer_id")
        confidence = self._confidence(row["confidence"], line)
        if len(self.problems) > before:
            return None
        assert subject and obj and relation and rationale and status and method and author
        assert confidence is not None
        record = MappingRecord(
            subject_id=subject,
            subject_label=row["subject_label"],
            object_id=obj,
            object_label=row["object_label"],
            relation=relation,
            rationale=rationale,
            comment=row["comment"],
            source=row["source"],
            author_id=author,
            reviewer_id=reviewer or "",
            confidence=confidence,
            status=status,
            method=method,
            line=line,
        )
        return self._unique(record)

    def _unique(self, record: MappingRecord) -> MappingRecord | None:
        earlier = self.seen.get(record.key)
        if earlier is None:
            self.seen[record.key] = record
            return record
        if earlier.relation is record.relation:
            self._fail(record.line, f"duplicate of line {earlier.line} (same subject, object and relation)")
        else:
            self._fail(
                record.line,
                f"relation {record.relation.value} contradicts {earlier.relation.value} "
                f"on line {earlier.line} for the same subject and object",
            )
        return None

    def _expand(self, curie: str, column: str, line: int) -> str | None:
        iri, why = _expand_curie(curie, self.prefixes)
        if iri is None:
            self._fail(line, f"{column} {curie!r} {why}")
        return iri

    def _concept(self, curie: str, scheme: str, column: str, line: int) -> str | None:
        iri = self._expand(curie, column, line)
        if iri is None:
            return None
        if iri not in self.concepts:
            self._fail(line, f"{column} {curie!r} (<{iri}>) is not a concept of any reference scheme")
            return None
        if not iri.startswith(scheme):
            self._fail(line, f"{column} {curie!r} is not in the declared source scheme <{scheme.rstrip('/')}>")
            return None
        return iri

    def _check_predicate(self, row: dict[str, str], relation: Relation, line: int) -> None:
        predicate = self._expand(row["predicate_id"], "predicate_id", line)
        expected, modifier = relation.sssom_predicate
        if predicate is not None and predicate != SKOS + expected.removeprefix("skos:"):
            self._fail(line, f"predicate_id {row['predicate_id']} does not project "
                       f"{relation.value}; expected {expected}")
        if row["predicate_modifier"] != modifier:
            self._fail(line, f"predicate_modifier must be {modifier or 'empty'!r} for {relation.value}")

    def _method(self, justification: str, line: int) -> Method | None:
        iri = self._expand(justification, "mapping_justification", line) if justification else None
        allowed = [m for m in Method if self.allow_derived or m is Method.MANUAL]
        for method in allowed:
            if iri == method.semapv:
                return method
        self._fail(line, f"mapping_justification {justification!r} is not "
                   + " or ".join("semapv:" + m.semapv.removeprefix(SEMAPV) for m in allowed))
        return None

    def _agent(self, value: str, column: str, line: int, *, required: bool) -> str | None:
        if not value:
            if required:
                self._fail(line, f"{column} is empty")
            return None
        iri = value if value.startswith(("http://", "https://")) else self._expand(value, column, line)
        if iri is not None and not _is_iri(iri):
            self._fail(line, f"{column} {value!r} is not a valid IRI")
            return None
        return iri

    def _confidence(self, value: str, line: int) -> Decimal | None:
        try:
            confidence = Decimal(value)
        except InvalidOperation:
            confidence = Decimal("NaN")
        if not confidence.is_finite() or not Decimal(0) <= confidence <= Decimal(1):
            self._fail(line, f"confidence {value!r} is not a number from 0 to 1")
            return None
        return confidence


def _is_iri(value: str) -> bool:
    """Whether pyoxigraph accepts ``value`` as an IRI, so compiling to RDF cannot fail later."""
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def _enum(kind: type, value: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        return None


def write_sssom(mapping_set: MappingSet, prefixes: dict[str, str] | None = None) -> str:
    """Render a mapping set as SSSOM TSV that ``read_sssom`` accepts and ``sssom validate`` passes:
    creators and other agents as CURIEs, every prefix the file uses declared (those of the
    extension definitions too), and the SSSOM version whose features it uses."""
    namespaces = _with_agent_prefixes(mapping_set, dict(STANDARD_PREFIXES if prefixes is None else prefixes))
    rows = [row_cells(record, namespaces) for record in mapping_set.mappings]
    meta: dict[str, Any] = {
        "sssom_version": SSSOM_VERSION,
        "mapping_set_id": mapping_set.id,
        "mapping_set_version": mapping_set.version,
        "mapping_set_title": mapping_set.title,
        "mapping_set_description": mapping_set.description,
        "creator_id": [_contract(creator, namespaces) for creator in mapping_set.creators],
        "license": mapping_set.license,
        "subject_source": mapping_set.subject_source,
        "subject_source_version": mapping_set.subject_source_version,
        "object_source": mapping_set.object_source,
        "object_source_version": mapping_set.object_source_version,
        "mapping_date": mapping_set.mapping_date,
        "extension_definitions": [
            {"slot_name": slot, "property": _contract(prop, namespaces), "type_hint": "xsd:string"}
            for slot, prop in EXTENSIONS.items()
        ],
    }
    meta = {k: v for k, v in meta.items() if v not in ("", None, [])}
    used = _used_prefixes(rows, meta, namespaces)
    meta = {"curie_map": {p: namespaces[p] for p in sorted(used)}, **meta}
    block = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    out = io.StringIO()
    out.writelines(f"#{line}\n" for line in block.splitlines())
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def _with_agent_prefixes(mapping_set: MappingSet, namespaces: dict[str, str]) -> dict[str, str]:
    """``namespaces`` plus a made-up prefix (``agent1``, ...) for the namespace of each creator,
    author or reviewer IRI that none of them shortens: SSSOM wants agents as CURIEs."""
    agents = {*mapping_set.creators, *(r.author_id for r in mapping_set.mappings),
              *(r.reviewer_id for r in mapping_set.mappings if r.reviewer_id)}
    extended = dict(namespaces)
    for iri in sorted(agents):
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        if _contract(iri, extended) != iri or not 0 < cut < len(iri):
            continue
        number = 1
        while f"agent{number}" in extended:
            number += 1
        extended[f"agent{number}"] = iri[:cut]
    return extended


def row_cells(record: MappingRecord, namespaces: dict[str, str]) -> list[str]:
    """The SSSOM cells of one record, in ``COLUMNS`` order, IRIs shortened to CURIEs."""
    predicate, modifier = record.relation.sssom_predicate
    values = {
        "subject_id": _contract(record.subject_id, namespaces),
        "subject_label": record.subject_label,
        "predicate_id": predicate,
        "predicate_modifier": modifier,
        "object_id": _contract(record.object_id, namespaces),
        "object_label": record.object_label,
        "mapping_justification": _contract(record.method.semapv, namespaces),
        "ir8477_relation": record.relation.value,
        "rationale_type": record.rationale.value,
        "comment": record.comment,
        "source": record.source,
        "author_id": _contract(record.author_id, namespaces),
        "reviewer_id": _contract(record.reviewer_id, namespaces) if record.reviewer_id else "",
        "confidence": str(record.confidence),
        "mapping_status": record.status.value,
    }
    return [values[column] for column in COLUMNS]


def _contract(iri: str, namespaces: dict[str, str]) -> str:
    """Shortest CURIE for ``iri`` (longest matching namespace), or the IRI itself."""
    best = max((ns for ns in namespaces.values() if iri.startswith(ns) and iri != ns), key=len, default=None)
    if best is None:
        return iri
    prefix = next(p for p, ns in namespaces.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


_CURIE_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "author_id", "reviewer_id")


def _used_prefixes(rows: Iterable[list[str]], meta: dict[str, Any], namespaces: dict[str, str]) -> set[str]:
    """The prefixes of every CURIE the file holds: in the entity columns, the creators and the
    extension definitions (their properties and type hints)."""
    positions = [COLUMNS.index(column) for column in _CURIE_COLUMNS]
    curies = [row[i] for row in rows for i in positions]
    curies += meta.get("creator_id", [])
    curies += [value for definition in meta["extension_definitions"] for value in definition.values()]
    used = {"skos", "semapv", "aims"} & namespaces.keys()
    for curie in curies:
        prefix, sep, _ = curie.partition(":")
        if sep and prefix in namespaces:
            used.add(prefix)
    return used
