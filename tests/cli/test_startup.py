"""Start-up of the command line (issue 17 item 8): ``--help``, ``--version`` and ``queries``
must not import the heavy libraries that only some commands need.

Each run is a fresh process with ``-X importtime``, whose report on stderr names every
module the process imported; a wall-clock limit would depend on the machine's load.
"""

from __future__ import annotations

import pytest

from tests.command_line import run_cli

HEAVY = ("networkx", "pyshacl", "rdflib", "matplotlib", "httpx", "openpyxl", "fastapi", "uvicorn", "owlready2",
         "SPARQLWrapper", "graphviz", "aims_graph.crosswalk", "aims_graph.validation", "aims_graph.shacl",
         "aims_graph.spreadsheet.importer", "aims_graph.knowledge.modules", "aims_graph.sparql.parser")


def imported_modules(*args: str) -> set[str]:
    result = run_cli(*args, python_options=("-X", "importtime"), timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:") and line.count("|") == 2}


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("queries",), ("validate", "--help"),
                                  ("crosswalk", "--help")])
def test_light_commands_import_no_heavy_library(args: tuple[str, ...]) -> None:
    modules = imported_modules(*args)
    assert "aims_graph.cli" in modules  # the report is read correctly
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))
    assert heavy == [], f"aims-graph {' '.join(args)} imported {heavy}"


def test_the_engine_names_in_help_are_the_engines() -> None:
    from aims_graph.cli.conformance_commands import ENGINE_NAMES
    from aims_graph.validation import ENGINES

    assert sorted(ENGINE_NAMES) == sorted(ENGINES)

