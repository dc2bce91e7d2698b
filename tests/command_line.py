"""The one way the tests run the ``aims-graph`` command line.

``run_cli`` starts it as a user does, in a fresh process (``python -m
aims_graph.cli.app_main``: the console script, without needing the entry point
installed), so exit codes, standard error, the environment and what start-up imports
are real.  ``invoke_cli`` runs it inside the test process with typer's runner, for
tests that run it hundreds of times (the W3C SHACL suite) or beside an in-process
service, where a process per call would cost minutes.

Both start from this process's environment without ``AIMS_GRAPH_STORE`` and
``AIMS_GRAPH_STORE_TOKEN``: a developer's own store must never leak into a test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from click.testing import Result
from typer.testing import CliRunner

from aims_graph.cli import app

ROOT = Path(__file__).resolve().parents[1]
CLI = (sys.executable, "-m", "aims_graph.cli.app_main")
_PRIVATE = ("AIMS_GRAPH_STORE", "AIMS_GRAPH_STORE_TOKEN")


def cli_environment(env: Mapping[str, str] | None = None, *, inherit: bool = True) -> dict[str, str]:
    """The environment a CLI process gets: this one's (unless ``inherit`` is False) minus the
    user's store settings, with this checkout first on ``PYTHONPATH`` (a test may run the
    command from another directory), plus ``env``."""
    base = {key: value for key, value in os.environ.items() if key not in _PRIVATE} if inherit else {}
    return {**base, "PYTHONPATH": str(ROOT), **(env or {})}


def run_cli(*args: str, env: Mapping[str, str] | None = None, inherit_env: bool = True,
            cwd: Path | str | None = None, timeout: float = 600, python_options: Sequence[str] = (),
            preexec_fn: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """``aims-graph ARGS`` in a fresh process, its output captured as text.

    ``python_options`` go to the interpreter (``-X importtime``); ``preexec_fn`` runs in the
    child before it starts (a memory limit)."""
    return subprocess.run([CLI[0], *python_options, *CLI[1:], *args], capture_output=True, text=True,
                          env=cli_environment(env, inherit=inherit_env), cwd=cwd, timeout=timeout,
                          preexec_fn=preexec_fn)


def invoke_cli(*args: str, env: Mapping[str, str] | None = None) -> Result:
    """``aims-graph ARGS`` inside this process (typer's runner), with the same environment rules."""
    unset: dict[str, str | None] = dict.fromkeys(_PRIVATE)
    return CliRunner().invoke(app, list(args), env={**unset, **(env or {})})
