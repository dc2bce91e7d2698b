"""The one way aims-graph draws with matplotlib (the conformance chart, the coverage heatmap).

Figures are made with ``matplotlib.figure.Figure``, not ``pyplot``: no global figure
registry to close, no backend to choose (``savefig`` picks Agg for PNG and the SVG writer
for SVG), nothing shared between the requests of a long-running service.  matplotlib is
imported when a picture is drawn, never with the module, so that the commands and the
service start without the optional 'pictures' extra.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from aims_graph.errors import InputError
from aims_graph.extras import missing_extra

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FORMATS = ("png", "svg")


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of ``width`` x ``height`` inches with one set of axes."""
    try:
        import matplotlib  # noqa: F401  (first, so that a missing extra is named by its package)
    except ImportError as error:  # the 'pictures' extra
        raise missing_extra("pictures", error) from error
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height))
    return figure, figure.subplots()


def render(figure: Figure, fmt: str, dpi: int) -> bytes:
    """The figure, laid out so that no label is cut, as PNG or SVG bytes.

    The layout is computed once, here; ``savefig`` would otherwise draw the whole figure
    a second time, without output, because a figure that was laid out keeps a place-holder
    layout engine.  In SVG, text stays text (searchable, readable by screen readers), and
    leaving the date out of the metadata keeps the file identical from run to run."""
    if fmt not in FORMATS:
        raise InputError(f"picture format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    import matplotlib

    figure.tight_layout()
    figure.set_layout_engine(None)
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "aims-graph"}):
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()
