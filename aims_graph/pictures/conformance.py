"""The conformance summary as a bar chart: passed and failed checks per requirement.

The chart is drawn from plain rows ``(requirement notation, passed, failed)`` so that
it does not depend on how validation is run; ``rows_from_results`` turns validation
results (requirement notation and a pass/fail outcome) into rows, and
``rows_from_summary`` reads the summary of ``aims_graph.validation``.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

import matplotlib

matplotlib.use("Agg")  # no display on servers and in CI; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from aims_graph.errors import InputError  # noqa: E402
from aims_graph.pictures.ordering import notation_key  # noqa: E402

Row = tuple[str, int, int]
_PASSED, _FAILED = "#2e7d32", "#c62828"


def check_rows(rows: Iterable[Sequence[object]]) -> list[Row]:
    checked = []
    for number, row in enumerate(rows, start=1):
        if len(row) != 3 or not isinstance(row[0], str) or not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in row[1:]):
            raise InputError(f"conformance row {number} must be [requirement, passed, failed] with counts >= 0, "
                             f"got {list(row)!r}")
        checked.append((row[0], int(row[1]), int(row[2])))  # type: ignore[arg-type]
    if not checked:
        raise InputError("no conformance results to chart")
    return checked


def read_rows(path: Path) -> list[Row]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: cannot read conformance rows as JSON ({error})") from error
    if not isinstance(data, list):
        raise InputError(f"{path}: expected a JSON list of [requirement, passed, failed]")
    return check_rows(data)


def rows_from_results(results: Iterable[tuple[str, bool]]) -> list[Row]:
    """Count (requirement, passed?) outcomes into chart rows, in notation order."""
    passed: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    for requirement, ok in results:
        (passed if ok else failed)[requirement] += 1
    return [(r, passed[r], failed[r]) for r in sorted(set(passed) | set(failed), key=notation_key)]


def rows_from_summary(summary: object) -> list[Row]:
    """Rows from a validation summary (``aims_graph.validation.Summary``): per requirement,
    the shapes that found nothing count as passed checks, the shapes with findings as failed.

    Duck-typed on purpose, so that pictures do not import the validation package.
    """
    rows = []
    for entry in summary.requirements:  # type: ignore[attr-defined]
        failing = {finding.shape for finding in entry.findings}
        name = entry.notation or entry.requirement
        rows.append((name, len(set(entry.shapes) - failing), len(failing)))
    return rows


def conformance_chart(rows: Iterable[Sequence[object]], fmt: str = "png",
                      title: str = "Conformance by requirement") -> bytes:
    """Horizontal stacked bars, one per requirement, failed checks in red after the passed ones."""
    if fmt not in ("svg", "png"):
        raise InputError(f"chart format must be svg or png, not {fmt!r}")
    data = check_rows(rows)
    names = [r for r, _, _ in data][::-1]  # matplotlib draws the first bar at the bottom
    passed = [p for _, p, _ in data][::-1]
    failed = [f for _, _, f in data][::-1]
    fig, ax = plt.subplots(figsize=(8, 1.4 + 0.3 * len(data)))
    ax.barh(names, passed, color=_PASSED, label="passed")
    ax.barh(names, failed, left=passed, color=_FAILED, label="failed")
    for y, (p, f) in enumerate(zip(passed, failed)):
        if f:
            ax.text(p + f, y, f" {f} failed", va="center", fontsize=8, color=_FAILED)
    ax.set_xlabel("checks (SHACL shapes) per requirement")
    ax.margins(y=0.01)
    ax.set_title(f"{title}\n{sum(passed)} passed, {sum(failed)} failed", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(p + f for p, f in zip(passed, failed)) * 1.25 or 1)
    fig.tight_layout()
    buffer = io.BytesIO()
    # Text stays text in SVG (searchable, readable by screen readers), and leaving the date
    # out of the metadata keeps the file identical from run to run.
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": "aims-graph"}):
        fig.savefig(buffer, format=fmt, dpi=110, metadata={"Date": None} if fmt == "svg" else None)
    plt.close(fig)
    return buffer.getvalue()
