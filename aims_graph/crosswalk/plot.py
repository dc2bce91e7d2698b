"""Coverage as a heatmap picture: rows are the target scheme's top-level groups,
columns the coverage status, each cell the number of target concepts, shaded by the
share of its group (green for covered, amber for partly, red for not covered)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from aims_graph.crosswalk.coverage import STATUSES, CoverageReport
from aims_graph.reports.pictures.figures import FORMATS, new_figure, render

_COLOURMAPS = ("Greens", "Oranges", "Reds")  # one per status, in STATUSES order
_LABEL_WIDTH = 42


def coverage_heatmap(report: CoverageReport, path: Path) -> Path:
    """Draw the report to ``path``; the suffix (``.png`` or ``.svg``) picks the format."""
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"{path}: heatmap format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    table = report.by_group()
    labels = report.group_labels()
    groups = list(table)
    counts = [[table[g][s] for s in STATUSES] for g in groups]
    shares = [[n / (sum(row) or 1) for n in row] for row in counts]

    row_labels = [_row_label(g, labels.get(g, ""), sum(c)) for g, c in zip(groups, counts)]
    # Rows are equally tall, so the tallest wrapped label sets the height of every row.
    lines = max((label.count("\n") + 1 for label in row_labels), default=1)
    fig, ax = new_figure(9, 1.3 + (0.15 * lines + 0.1) * max(len(groups), 1))
    import matplotlib
    from matplotlib.patches import Rectangle

    # One rectangle per cell: an image (imshow) of the same cells is resampled to the
    # picture's size, which took most of the drawing time.
    for i, group_shares in enumerate(shares):
        for j, share in enumerate(group_shares):
            colour = matplotlib.colormaps[_COLOURMAPS[j]](0.08 + 0.8 * share)
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=colour, edgecolor="none"))
    ax.set_xlim(-0.5, len(STATUSES) - 0.5)
    ax.set_ylim(max(len(groups), 1) - 0.5, -0.5)  # the first group on top
    ax.set_xticks(range(len(STATUSES)), labels=list(STATUSES))
    ax.set_yticks(range(len(groups)), labels=row_labels)
    ax.tick_params(axis="y", labelsize=8)
    ax.xaxis.tick_top()
    for i, row in enumerate(counts):
        for j, count in enumerate(row):
            ax.text(j, i, str(count), ha="center", va="center", fontsize=8,
                    color="white" if shares[i][j] > 0.55 else "black")
    total = report.counts()
    ax.set_title(
        f"Coverage of {report.target_scheme} by {report.source_scheme}\n"
        + ", ".join(f"{total[s]} {s}" for s in STATUSES),
        pad=22, fontsize=9,
    )
    ax.set_xlabel("cells: number of concepts; shade: share of the group", fontsize=8)
    data = render(fig, fmt, dpi=120)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _row_label(notation: str, label: str, size: int) -> str:
    """The whole title of a group, wrapped onto as many lines as it needs (never cut)."""
    return "\n".join(textwrap.wrap(f"{notation} {label} ({size})".strip(), _LABEL_WIDTH))
