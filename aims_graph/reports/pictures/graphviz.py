"""Running Graphviz: the ``graphviz-pure`` binary that the package installs in the venv.

``graphviz-pure`` gives the same layout on every platform, which keeps pictures stable
in tests and documentation; a system Graphviz ``dot`` is accepted when it is missing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from aims_graph.errors import AimsGraphError, InputError

FORMATS = ("svg", "png")
_NAMES = ("graphviz-pure", "dot")
_TIMEOUT_S = 120


def graphviz_binary() -> str:
    """Path of the Graphviz binary: next to the running Python first, then on PATH."""
    beside_python = Path(sys.executable).parent
    for name in _NAMES:
        found = shutil.which(name, path=str(beside_python)) or shutil.which(name)
        if found:
            return found
    raise AimsGraphError(
        "Graphviz is missing: install the 'graphviz-pure' package (the 'pictures' extra: "
        "pip install 'aims-graph[pictures]') "
        f"in this environment ({beside_python}) or put Graphviz 'dot' on PATH"
    )


def render(dot: str, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise InputError(f"picture format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    try:
        done = subprocess.run([graphviz_binary(), f"-T{fmt}"], input=dot.encode("utf-8"),
                              capture_output=True, timeout=_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        raise AimsGraphError(f"Graphviz took longer than {_TIMEOUT_S} s to draw the picture") from error
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise AimsGraphError(f"Graphviz could not draw the picture: {detail}")
    return done.stdout


def quote(text: str) -> str:
    """A DOT double-quoted string; newlines become centred line breaks."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
