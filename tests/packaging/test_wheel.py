"""The package as a user installs it: a built wheel, not the checkout.

The wheel is built from the repository (pip, build isolation: as any user builds it) and
installed without dependencies into a folder of its own; the commands then run from an
unrelated directory with only that folder on ``PYTHONPATH`` (the dependencies come from
the test environment).  An installation that silently lacked ontology/ or shapes/ opened
an empty store; these tests keep that from coming back.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from aims_graph.knowledge.modules import GRAPH_BASE, discover_modules
from aims_graph.serving.ports import free_port, wait_until_up
from tests.command_line import CLI

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the checkout as a user's pip builds it."""
    work = tmp_path_factory.mktemp("wheel")
    # A copy of the checkout, so the build's own build/ folder never lands in the repository.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "aims-data", "*.egg-info", "__pycache__", ".pytest_cache", "tests", "bench"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q",
                            "-w", str(work / "dist")], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    return next((work / "dist").glob("aims_graph-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the installed wheel (package, data and console script)."""
    target = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def _env(target: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"AIMS_GRAPH_STORE", "PYTHONPATH"}}
    env["PYTHONPATH"] = str(target)
    env["COLUMNS"] = "250"  # rich fits tables to the width; the graph names must print whole
    return env


def _cli(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=cwd, env=_env(target), capture_output=True, text=True, timeout=300)


def test_the_wheel_owns_no_top_level_name_but_its_own(wheel: Path) -> None:
    """Installed beside other projects, the distribution claims only ``aims_graph``.

    A generic top-level package (the service once lived in ``api/``) would collide with any
    other project that ships one: whichever was installed last would win.
    """
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        dist_info = next(name.split("/")[0] for name in names if name.endswith(".dist-info/RECORD"))
        declared = archive.read(f"{dist_info}/top_level.txt").decode().split()
    assert {name.split("/")[0] for name in names} == {"aims_graph", dist_info}
    assert declared == ["aims_graph"]
    assert "aims_graph/api/main.py" in names and "aims_graph/api/routers/sparql.py" in names


def test_the_wheel_says_it_is_typed(wheel: Path) -> None:
    """``py.typed`` (PEP 561): type checkers of projects that use aims-graph read its annotations."""
    with zipfile.ZipFile(wheel) as archive:
        assert "aims_graph/py.typed" in archive.namelist()


def test_the_installed_package_is_the_one_that_runs(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run([sys.executable, "-c", "import aims_graph.paths as p; print(p.DATA_ROOT)"],
                           cwd=tmp_path, env=_env(installed), capture_output=True, text=True, timeout=60)
    assert Path(where.stdout.strip()) == installed / "aims_graph" / "data"


def test_info_from_another_directory_lists_every_reference_graph(installed: Path, tmp_path: Path) -> None:
    result = _cli(installed, tmp_path, "--store", "memory", "info")
    assert result.returncode == 0, result.stderr
    for module in discover_modules():
        assert module.graph.removeprefix(GRAPH_BASE) in result.stdout, module.name


def test_serve_answers_from_the_installed_package(installed: Path, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([*CLI, "--store", "memory", "serve", "--port", str(port)],
                                  cwd=tmp_path, env=_env(installed), stdout=out, stderr=out)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", server, seconds=90, log=log)
        answer = httpx.get(f"http://127.0.0.1:{port}/requirements/iso42001/A.6.2.4", timeout=30)
        assert answer.status_code == 200 and answer.json()["title"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_installation_without_its_data_is_a_clear_error(installed: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(installed, broken)
    shutil.rmtree(broken / "aims_graph" / "data" / "shapes")
    result = _cli(broken, tmp_path, "--store", "memory", "info")
    assert result.returncode == 2
    assert "data file" in result.stderr and "shapes is missing" in result.stderr
    assert "Traceback" not in result.stderr
