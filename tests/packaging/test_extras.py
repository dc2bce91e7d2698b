"""Optional parts: without an extra, everything else works and its commands say what to install.

Each test runs the command line as a process in which a package of one extra cannot be
imported: a ``sitecustomize`` on ``PYTHONPATH`` puts ``None`` in ``sys.modules`` for it,
which is what Python does when the package is not installed (``import`` raises
``ModuleNotFoundError``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from aims_graph.extras import EXTRAS
from tests.command_line import CLI

ROOT = Path(__file__).resolve().parents[2]
# Extras for working on aims-graph, not optional parts of it.
DEVELOPMENT_EXTRAS = {"test", "lint"}


def _without(package: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python *args`` in a process where ``package`` is not importable."""
    blocker = tmp_path / "blocker"
    blocker.mkdir(exist_ok=True)
    (blocker / "sitecustomize.py").write_text(f"import sys\nsys.modules[{package!r}] = None\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key != "AIMS_GRAPH_STORE"}
    env["PYTHONPATH"] = os.pathsep.join([str(blocker), str(ROOT)])
    env["COLUMNS"] = "250"  # one-line errors stay on one line
    return subprocess.run([sys.executable, *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)


def _cli_without(package: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return _without(package, tmp_path, *CLI[1:], *args)


def _names_the_extra(result: subprocess.CompletedProcess[str], package: str, extra: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"pip install 'aims-graph[{extra}]'" in result.stderr
    assert repr(package) in result.stderr
    assert "Traceback" not in result.stderr


def test_every_optional_part_is_an_extra_of_the_distribution() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert set(EXTRAS) == set(declared) - DEVELOPMENT_EXTRAS


def test_the_blocker_really_hides_the_package(tmp_path: Path) -> None:
    result = _without("matplotlib", tmp_path, "-c", "import matplotlib")
    assert result.returncode == 1 and "ModuleNotFoundError" in result.stderr


def test_without_pictures_the_core_commands_and_the_service_still_start(tmp_path: Path) -> None:
    info = _cli_without("matplotlib", tmp_path, "--store", "memory", "info")
    assert info.returncode == 0, info.stderr
    assert "iso42001" in info.stdout
    # The service imports the pictures package (trace pictures need Graphviz, not matplotlib).
    service = _without("matplotlib", tmp_path, "-c", "from aims_graph.api.main import create_app")
    assert service.returncode == 0, service.stderr


@pytest.mark.parametrize("args", [
    ("chart", "--results", "rows.json", "--out", "chart.png"),
    ("--store", "memory", "crosswalk", "coverage", "--from", "iso42001", "--to", "eu-ai-act",
     "--format", "png", "--out", "coverage.png"),
])
def test_a_picture_without_the_pictures_extra_says_which_extra_to_install(
        tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "rows.json").write_text(json.dumps([["A.2.2", 1, 0]]), encoding="utf-8")
    result = _cli_without("matplotlib", tmp_path, *args)
    _names_the_extra(result, "matplotlib", "pictures")
    assert not (tmp_path / "chart.png").exists() and not (tmp_path / "coverage.png").exists()


def test_without_reasoning_every_other_command_starts(tmp_path: Path) -> None:
    result = _cli_without("owlready2", tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    assert "reason" in result.stdout and "validate" in result.stdout


def test_reason_without_the_reasoning_extra_says_which_extra_to_install(tmp_path: Path) -> None:
    _names_the_extra(_cli_without("owlready2", tmp_path, "--store", "memory", "reason"), "owlready2", "reasoning")
