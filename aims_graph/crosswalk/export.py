"""Export mapping sets as SSSOM TSV, Turtle or CSV (one row per mapping, for spreadsheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from aims_graph.crosswalk.model import MappingSet
from aims_graph.crosswalk.rdf import to_turtle
from aims_graph.crosswalk.sssom_io import COLUMNS, STANDARD_PREFIXES, row_cells, write_sssom
from aims_graph.errors import InputError

FORMATS = ("sssom", "ttl", "csv")


def to_csv(mapping_sets: Sequence[MappingSet]) -> str:
    """All sets in one comma-separated table, with CURIEs as in SSSOM and the set id first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("mapping_set_id", *COLUMNS))
    for mapping_set in mapping_sets:
        for record in mapping_set.mappings:
            writer.writerow([mapping_set.id, *row_cells(record, STANDARD_PREFIXES)])
    return out.getvalue()


def export(mapping_sets: Sequence[MappingSet], fmt: str) -> str:
    """Render sets in ``fmt``; an SSSOM file holds exactly one set, so choose it first."""
    if fmt == "csv":
        return to_csv(mapping_sets)
    if fmt == "ttl":
        return to_turtle(*mapping_sets)
    if fmt == "sssom":
        if len(mapping_sets) != 1:
            ids = ", ".join(s.id for s in mapping_sets) or "none"
            raise InputError(f"SSSOM export needs exactly one mapping set, got: {ids}")
        return write_sssom(mapping_sets[0])
    raise InputError(f"export format {fmt!r} is not one of {', '.join(FORMATS)}")
