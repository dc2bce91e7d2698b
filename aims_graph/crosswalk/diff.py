"""What changed between two versions of a crosswalk, row by (subject, object)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from aims_graph.crosswalk.concepts import known_concepts
from aims_graph.crosswalk.model import MappingRecord, MappingSet
from aims_graph.crosswalk.sssom_io import read_sssom
from aims_graph.paths import REFERENCE_DIR

# Fields whose change a reviewer must see; labels and line numbers are presentation.
COMPARED = ("relation", "rationale", "comment", "source", "confidence", "status", "reviewer_id")


@dataclass(frozen=True)
class Change:
    subject_id: str
    object_id: str
    changes: dict[str, tuple[str, str]]  # field -> (old, new)


@dataclass(frozen=True)
class CrosswalkDiff:
    added: tuple[MappingRecord, ...]
    removed: tuple[MappingRecord, ...]
    changed: tuple[Change, ...]

    @property
    def relation_changes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changed if "relation" in c.changes)

    def to_dict(self) -> dict[str, Any]:
        def row(record: MappingRecord) -> dict[str, str]:
            return {"subject_id": record.subject_id, "object_id": record.object_id, "relation": record.relation.value}

        return {
            "added": [row(r) for r in self.added],
            "removed": [row(r) for r in self.removed],
            "changed": [asdict(c) for c in self.changed],
        }


def diff(old: MappingSet, new: MappingSet) -> CrosswalkDiff:
    before = {r.key: r for r in old.mappings}
    after = {r.key: r for r in new.mappings}
    changed = []
    for key in sorted(before.keys() & after.keys()):
        fields = {
            name: (_text(getattr(before[key], name)), _text(getattr(after[key], name)))
            for name in COMPARED
            if getattr(before[key], name) != getattr(after[key], name)
        }
        if fields:
            changed.append(Change(key[0], key[1], fields))
    return CrosswalkDiff(
        added=tuple(after[k] for k in sorted(after.keys() - before.keys())),
        removed=tuple(before[k] for k in sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )


def _text(value: object) -> str:
    return str(getattr(value, "value", value))


def diff_files(old: Path, new: Path, reference_dir: Path = REFERENCE_DIR) -> CrosswalkDiff:
    """Compare two versions of a crosswalk file; both must pass the reader's checks."""
    concepts = known_concepts(reference_dir)
    return diff(read_sssom(old, concepts), read_sssom(new, concepts))
