"""What ``aims-graph export`` hands each exporter of its dispatch table: the store and the
command's options, and the rule that an option the format does not use is refused."""

from __future__ import annotations

from aims_graph.errors import InputError

ExportOptions = dict[str, str | None]
"""The export command's options by name (``graph``, ``scheme``, ``set``, ``soa``), None when not given."""


def only(options: ExportOptions, output: str, *allowed: str) -> None:
    """Refuse the options given that format ``output`` does not use: silently ignoring
    ``--graph`` or ``--scheme`` would export something else than the user asked for."""
    stray = [f"--{name}" for name, value in options.items() if value is not None and name not in allowed]
    if stray:
        raise InputError(f"{', '.join(stray)} does not apply to --format {output}")
