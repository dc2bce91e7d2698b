"""``aims-graph crosswalk ...``: coverage, gaps, explanations, candidates, diffs and exports."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from aims_graph.cli.tables import Column, check_format, print_document, show
from aims_graph.cli.app import get_store, sub_app
from aims_graph.errors import InputError

if TYPE_CHECKING:
    from aims_graph.crosswalk import CrosswalkIndex

# aims_graph.crosswalk (networkx, rdflib) is imported by each command when it runs, so
# that building the command line for --help stays fast.

crosswalk = sub_app("crosswalk", "Crosswalks between the standards: coverage, gaps, explanations, exports.")
console = Console()
# Marks a notation derived from the document's structure (aims:notationDerived) in tables.
_DERIVED_MARK = "*"


class CoverageFormat(str, Enum):
    table = "table"
    text = "text"
    json = "json"
    csv = "csv"
    png = "png"
    svg = "svg"


class ExportFormat(str, Enum):
    sssom = "sssom"
    ttl = "ttl"
    csv = "csv"


def _index(ctx: typer.Context) -> CrosswalkIndex:
    from aims_graph.crosswalk import CrosswalkIndex

    return CrosswalkIndex.from_store(get_store(ctx))


@crosswalk.command("coverage")
def coverage_command(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--from", help="Source scheme, e.g. iso42001.")],
    target: Annotated[str, typer.Option("--to", help="Target scheme, e.g. eu-ai-act.")],
    fmt: Annotated[CoverageFormat, typer.Option(
        "--format", help="table (or text), json, csv, or a picture (png, svg).")] = CoverageFormat.table,
    out: Annotated[Path | None, typer.Option(help="File for the picture (required for png/svg).")] = None,
) -> None:
    """Which target items the source scheme covers, partly covers or leaves uncovered."""
    from aims_graph.crosswalk import coverage

    picture = fmt in (CoverageFormat.png, CoverageFormat.svg)
    if picture and out is None:
        raise InputError(f"--format {fmt.value} writes a picture: give the file with --out "
                         f"(e.g. --out coverage-{source}-{target}.{fmt.value})")
    report = coverage(_index(ctx), source, target)
    if picture and out is not None:
        from aims_graph.crosswalk.plot import coverage_heatmap

        path = out
        if path.suffix.lstrip(".").lower() != fmt.value:
            raise InputError(f"--out {path} does not end in .{fmt.value}")
        coverage_heatmap(report, path)
        console.print(f"wrote {path}")
    elif fmt is CoverageFormat.json:
        print_document(report.to_dict())
    elif fmt is CoverageFormat.csv:
        sys.stdout.write(report.to_csv())
    else:
        show(f"Coverage of {target} by {source}",
             [Column("target", "keep"), Column("title"), Column("status", "keep"), Column("through")],
             [[row.notation, row.label, row.status, ", ".join(v.source_notation for v in row.via)]
              for row in report.rows],
             notes=[", ".join(f"{status}: {n}" for status, n in report.counts().items())])


@crosswalk.command("export")
def export_command(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="sssom (one set), ttl or csv.")] = ExportFormat.ttl,
    mapping_set: Annotated[str | None, typer.Option("--set", help="Only this set, e.g. iso42001-eu-ai-act.")] = None,
) -> None:
    """Export the crosswalks held by the store."""
    from aims_graph.crosswalk import export, mapping_sets_from_store

    sets = mapping_sets_from_store(get_store(ctx))
    if mapping_set:
        sets = [s for s in sets if s.id.rstrip("/").endswith("/" + mapping_set)]
        if not sets:
            raise InputError(f"no crosswalk set named {mapping_set!r} in the store")
    sys.stdout.write(export(sets, fmt.value))


@crosswalk.command("explain")
def explain_command(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A notation (A.5.2, 'Article 9', 'GOVERN 1.1'), scheme:notation, or an IRI.")],
    fmt: Annotated[str, typer.Option("--format", help="table (text), json or csv.")] = "table",
) -> None:
    """Every mapping to and from one concept, with relation, rationale, status and justification."""
    from aims_graph.crosswalk import explain

    fmt = check_format(fmt)
    data = explain(_index(ctx), name).to_dict()
    if fmt == "json":
        print_document(data)
        return
    derived = data["notation_derived"] or any(item["other_notation_derived"] for item in data["mappings"])
    show(f"{data['notation']}{_DERIVED_MARK * data['notation_derived']} — {data['label']} ({data['scheme']})",
         [Column("relation", "keep"), Column("other", "keep"), Column("scheme", "keep"), Column("rationale", "keep"),
          Column("status", "keep"), Column("justification")],
         [[item["relation"], item["other_notation"] + _DERIVED_MARK * item["other_notation_derived"],
           item["other_scheme"], item["rationale"], item["status"], item["justification"]]
          for item in data["mappings"]], fmt,
         notes=[f"{_DERIVED_MARK} number derived from the document's structure, not seen printed "
                "(aims-graph query derived-notations)"] if derived else [])


@crosswalk.command("candidates")
def candidates_command(
    ctx: typer.Context,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="ttl or csv (sssom needs one set).")] = ExportFormat.csv,
) -> None:
    """Derived two-hop candidate mappings (sound compositions only), never mixed with asserted ones."""
    from aims_graph.crosswalk import candidate_sets, derive_candidates, export

    index = _index(ctx)
    sets = candidate_sets(index, derive_candidates(index))
    if not sets:
        console.print("no sound two-hop candidates in the current crosswalks")
        return
    sys.stdout.write(export(sets, fmt.value))


@crosswalk.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="Older SSSOM TSV file.")],
    new: Annotated[Path, typer.Argument(help="Newer SSSOM TSV file.")],
    fmt: Annotated[str, typer.Option("--format", help="json ({added, removed, changed}), text or csv (a row "
                                                        "per added or removed mapping, per changed field).")] = "json",
) -> None:
    """Added, removed and changed mappings between two versions of a crosswalk."""
    from aims_graph.crosswalk import diff_files

    fmt = check_format(fmt)
    changes = diff_files(old, new)
    if fmt == "json":
        print_document(changes.to_dict())
        return
    rows: list[list[str]] = [["added", r.subject_id, r.object_id, r.relation.value, "", "", ""] for r in changes.added]
    rows += [["removed", r.subject_id, r.object_id, r.relation.value, "", "", ""] for r in changes.removed]
    rows += [["changed", c.subject_id, c.object_id, "", field, before, after]
             for c in changes.changed for field, (before, after) in c.changes.items()]
    show(f"Changes from {old} to {new}",
         [Column("change", "keep"), Column("subject_id", "fold"), Column("object_id", "fold"),
          Column("relation", "keep"), Column("field", "keep"), Column("old"), Column("new")], rows, fmt)


@crosswalk.command("gaps")
def gaps_command(
    ctx: typer.Context,
    organisation: Annotated[str | None, typer.Option(help="IRI of the operator to check (default: all).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json ({gaps, satisfied}), csv or text (one row per "
                                                        "applicable obligation of each system).")] = "json",
) -> None:
    """Obligations that apply to the organisation's AI systems with no implemented, applicable control."""
    from aims_graph.crosswalk import CrosswalkIndex, gaps

    fmt = check_format(fmt)
    store = get_store(ctx)
    report = gaps(store, CrosswalkIndex.from_store(store), organisation)
    if fmt == "csv":
        sys.stdout.write(report.to_csv())
    elif fmt == "json":
        print_document(report.to_dict())
    else:
        show("Applicable obligations and the ISO/IEC 42001 controls mapped to them",
             [Column("system"), Column("obligation"), Column("provision", "keep"), Column("gap", "keep"),
              Column("reason")],
             [[c.system_label or c.system, c.obligation_label or c.obligation, c.provision_notation,
               "yes" if c.is_gap else "no", c.reason] for c in report.checks])
