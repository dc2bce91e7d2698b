"""Optional parts of aims-graph, each installed with a pip extra of the same name.

The store, validation, queries, crosswalks and the HTTP service install with
``pip install aims-graph``; drawing pictures (matplotlib, Graphviz) and the OWL reasoner
(owlready2 with HermiT, a Java program) are heavy and only some users need them.  The
modules that use them import them where a command needs them, and turn a missing
package into an error that names the extra to install, not a ``ModuleNotFoundError``.
"""

from __future__ import annotations

from aims_graph.errors import AimsGraphError

# extra (as in pyproject.toml's optional-dependencies) -> what it brings, for the message
EXTRAS: dict[str, str] = {
    "pictures": "pictures (conformance charts, crosswalk heatmaps, trace pictures)",
    "reasoning": "the OWL reasoner ('aims-graph reason')",
}


class MissingExtra(AimsGraphError):
    """A command needs an optional part of aims-graph that is not installed."""


def missing_extra(extra: str, error: ImportError) -> MissingExtra:
    """The error for ``error`` (a failed import) raised by a module of the optional part ``extra``."""
    package = error.name or "a package"
    return MissingExtra(f"{EXTRAS[extra]}: the Python package {package!r} is not installed; "
                        f"install the '{extra}' extra: pip install 'aims-graph[{extra}]'")
