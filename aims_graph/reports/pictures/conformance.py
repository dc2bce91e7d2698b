"""The conformance summary as a bar chart: passed and failed checks per requirement.

The chart is drawn from plain rows ``(requirement notation, passed, failed)`` so that
it does not depend on how validation is run; ``rows_from_results`` turns validation
results (requirement notation and a pass/fail outcome) into rows, and
``rows_from_summary`` reads the summary of ``aims_graph.validation``. A row may also be
``(requirement, passed, violations, warnings, notes)``: checks are coloured by the worst
severity they found, so a recommendation (Warning) or a note (Info) is never drawn as a
red nonconformity.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Iterable, Sequence

from aims_graph.errors import InputError
from aims_graph.reports.pictures.figures import FORMATS, new_figure, render
from aims_graph.reports.pictures.ordering import notation_key

Row = tuple[str, int, int, int, int]  # requirement, passed, violations, warnings, notes
_PASSED = "#2e7d32"
# Worst severity found by a check -> bar colour and the word its count is printed with.
_SEVERITIES = (("violation", "#c62828"), ("warning", "#ef8f00"), ("note", "#1f77b4"))


def check_rows(rows: Iterable[Sequence[object]]) -> list[Row]:
    """Rows of 3 ``[requirement, passed, failed]`` (failed checks are violations) or of 5
    ``[requirement, passed, violations, warnings, notes]``, all counts >= 0."""
    checked: list[Row] = []
    for number, row in enumerate(rows, start=1):
        if len(row) not in (3, 5) or not isinstance(row[0], str) or not all(
                isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in row[1:]):
            raise InputError(f"conformance row {number} must be [requirement, passed, failed] or [requirement, "
                             f"passed, violations, warnings, notes] with counts >= 0, got {list(row)!r}")
        counts = [int(n) for n in row[1:]] + [0, 0]  # type: ignore[call-overload]
        checked.append((row[0], counts[0], counts[1], counts[2], counts[3]))
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
    return [(r, passed[r], failed[r], 0, 0) for r in sorted(set(passed) | set(failed), key=notation_key)]


def rows_from_summary(summary: object, organisation: Iterable[tuple[str, Sequence[object]]] = ()) -> list[Row]:
    """Rows from a validation summary (``aims_graph.validation.Summary``): per requirement,
    the shapes that found nothing count as passed checks, each shape with findings counts
    once under the worst severity it found.

    ``organisation`` gives, per requirement notation, findings made outside the summary's
    scope (the management system of a validated system, see ``system_rows``): each such
    requirement gets a row ``<notation> (organisation)`` of its own, and the shapes that
    found something there no longer count as passed in the system's row.

    Duck-typed on purpose, so that pictures do not import the validation package.
    """
    elsewhere = {name: _worst(findings) for name, findings in organisation if findings}
    rows: list[Row] = []
    for entry in summary.requirements:  # type: ignore[attr-defined]
        name = entry.notation or entry.requirement
        own, outside = _worst(entry.findings), elsewhere.pop(name, {})
        rows.append((name, len(set(entry.shapes) - set(own) - set(outside)), *_by_severity(own)))
        if outside:
            rows.append((name + ORGANISATION_MARK, 0, *_by_severity(outside)))
    rows.extend((name + ORGANISATION_MARK, 0, *_by_severity(outside)) for name, outside in elsewhere.items())
    return rows


ORGANISATION_MARK = " (organisation)"
_ORDER = ("Violation", "Warning", "Info")


def _worst(findings: Iterable[object]) -> dict[str, int]:
    """Shape -> the rank in ``_ORDER`` of the worst severity it found."""
    worst: dict[str, int] = {}
    for finding in findings:
        severity = finding.severity  # type: ignore[attr-defined]
        rank = _ORDER.index(severity) if severity in _ORDER else 0
        shape = finding.shape  # type: ignore[attr-defined]
        worst[shape] = min(worst.get(shape, rank), rank)
    return worst


def _by_severity(worst: dict[str, int]) -> tuple[int, int, int]:
    return (sum(1 for r in worst.values() if r == 0), sum(1 for r in worst.values() if r == 1),
            sum(1 for r in worst.values() if r == 2))


def conformance_chart(rows: Iterable[Sequence[object]], fmt: str = "png",
                      title: str = "Conformance by requirement") -> bytes:
    """Horizontal stacked bars, one per requirement: passed checks in green, then the checks
    that found something, in the colour of the worst severity they found."""
    if fmt not in FORMATS:
        raise InputError(f"chart format must be svg or png, not {fmt!r}")
    data = check_rows(rows)
    fig, ax = new_figure(8, 1.4 + 0.3 * len(data))
    from matplotlib.ticker import MaxNLocator  # after new_figure, which names the extra when it is missing

    names = [row[0] for row in data][::-1]  # matplotlib draws the first bar at the bottom
    passed = [row[1] for row in data][::-1]
    found = [[row[2 + i] for row in data][::-1] for i in range(len(_SEVERITIES))]
    ax.barh(names, passed, color=_PASSED, label="passed")
    left = list(passed)
    for (word, colour), counts in zip(_SEVERITIES, found):
        if any(counts):
            ax.barh(names, counts, left=left, color=colour, label=f"{word} found")
        left = [a + b for a, b in zip(left, counts)]
    for y, end in enumerate(left):
        said = [f"{counts[y]} {word}{'s' if counts[y] > 1 else ''}" for (word, _), counts in zip(_SEVERITIES, found)
                if counts[y]]
        if said:
            colour = next(c for (_, c), counts in zip(_SEVERITIES, found) if counts[y])
            ax.text(end, y, " " + ", ".join(said), va="center", fontsize=8, color=colour)
    totals = [sum(counts) for counts in found]
    failed = [a + b + c for a, b, c in zip(*found)]
    ax.set_xlabel("checks (SHACL shapes) per requirement")
    ax.margins(y=0.01)
    tally = ", ".join(f"{n} {word}{'s' if n != 1 else ''}" for (word, _), n in zip(_SEVERITIES, totals))
    ax.set_title(f"{title}\n{sum(passed)} passed, {tally}", fontsize=10)
    ax.tick_params(axis="y", labelsize=8)
    ax.legend(loc="lower left", bbox_to_anchor=(1.0, 0.0), fontsize=8, frameon=False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(0, max(p + f for p, f in zip(passed, failed)) * 1.35 or 1)
    return render(fig, fmt, dpi=110)
