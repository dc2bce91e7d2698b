"""The service calls the library; the library never imports the service.

``aims_graph/api/`` (the HTTP service) depends on the rest of ``aims_graph``, never the
other way round: the library stays usable, testable and installable without FastAPI's
world in the way, and the service stays a thin translation that can be replaced.  Every
module outside ``aims_graph/api/`` is parsed with ``ast`` and searched for the ways code
reaches a module: ``import`` statements at any depth (lazy ones inside functions too),
relative imports resolved against the module's own package, and string constants that
name a module the way importers take one (``importlib.import_module``, ``__import__``,
uvicorn's ``"package.module:attribute"``).  The few places that hand the service to
another program by name are allowed by file and enclosing function, each with its reason.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "aims_graph"
SERVICE_DIR = LIBRARY / "api"
SERVICE = ["aims_graph", "api"]

ALLOWED: dict[tuple[str, str], str] = {
    ("aims_graph/cli/store_commands.py", "serve"):
        "'aims-graph serve' gives uvicorn the service's app factory and HTTP protocol by name; uvicorn "
        "imports them when the server starts, so the command runs the service without the library importing it",
    ("aims_graph/devtools/benchmarks/queries.py", "ApiServer.__init__"):
        "the query benchmark measures the service as users run it: a uvicorn process started with the "
        "service's app factory named on its command line",
}


@dataclass(frozen=True)
class ServiceReference:
    """One place where a library module reaches the service."""

    path: str
    scope: str  # the enclosing classes and functions, dotted; "" at module level
    line: int
    name: str


def _module_name(relative: str) -> tuple[str, bool]:
    """The dotted module name of a file under the repository, and whether it is a package."""
    parts = relative.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def _is_service(dotted: str) -> bool:
    return dotted.split(".")[:2] == SERVICE


def _named_module(text: str) -> str | None:
    """The module a string names as importers take it ("pkg.mod" or "pkg.mod:attr"), if it is one."""
    module, _, attribute = text.partition(":")
    names = module.split(".") + (attribute.split(".") if attribute else [])
    return module if all(name.isidentifier() for name in names) else None


class _Finder(ast.NodeVisitor):
    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.module, self.is_package = _module_name(relative)
        self.scope: list[str] = []
        self.found: list[ServiceReference] = []

    def _record(self, node: ast.AST, name: str) -> None:
        self.found.append(ServiceReference(self.relative, ".".join(self.scope), getattr(node, "lineno", 0), name))

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _is_service(alias.name):
                self._record(node, alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module.split(".") if self.is_package else self.module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([node.module] if node.module else []))
        if _is_service(base):
            self._record(node, base)
            return
        for alias in node.names:
            if _is_service(f"{base}.{alias.name}"):
                self._record(node, f"{base}.{alias.name}")

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and (module := _named_module(node.value)) and _is_service(module):
            self._record(node, node.value)


def service_references(source: str, relative: str) -> list[ServiceReference]:
    """Every place in one module (``relative`` to the repository root) that reaches aims_graph.api."""
    finder = _Finder(relative)
    finder.visit(ast.parse(source, filename=relative))
    return finder.found


def _library_modules() -> list[Path]:
    return sorted(path for path in LIBRARY.rglob("*.py") if SERVICE_DIR not in path.parents)


def test_the_library_never_imports_the_service() -> None:
    modules = _library_modules()
    assert len(modules) > 50  # the walk really covers the library
    found = [reference for path in modules
             for reference in service_references(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())]
    unexpected = [reference for reference in found if (reference.path, reference.scope) not in ALLOWED]
    assert unexpected == []
    # Every allowance is still needed: a stale one would hide the next violation in that place.
    assert {(reference.path, reference.scope) for reference in found} == set(ALLOWED)


def test_the_allowed_names_resolve_to_the_service() -> None:
    """The names handed to uvicorn are real: a move or rename breaks this test, not 'aims-graph serve'."""
    names = {reference.name for path in _library_modules()
             for reference in service_references(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())}
    assert "aims_graph.api.main:create_app" in names
    for name in names:
        module, _, attribute = name.partition(":")
        target = importlib.import_module(module)
        for part in filter(None, attribute.split(".")):
            target = getattr(target, part)
        assert callable(target), name


@pytest.mark.parametrize(("relative", "source"), [
    ("aims_graph/store/example.py", "import aims_graph.api"),
    ("aims_graph/store/example.py", "import aims_graph.api.main as service"),
    ("aims_graph/store/example.py", "from aims_graph.api.settings import Settings"),
    ("aims_graph/store/example.py", "from aims_graph import api"),
    ("aims_graph/store/example.py", "from aims_graph import systems, api as service"),
    ("aims_graph/example.py", "from . import api"),
    ("aims_graph/example.py", "from .api.main import create_app"),
    ("aims_graph/store/example.py", "from ..api import main"),
    ("aims_graph/store/__init__.py", "from ..api.deps import get_store"),
    ("aims_graph/cli/example.py", "def command():\n    from aims_graph.api.main import create_app\n"),
    ("aims_graph/cli/example.py", "class C:\n    def m(self):\n        import aims_graph.api.gateway\n"),
    ("aims_graph/example.py", "import importlib\nimportlib.import_module('aims_graph.api.main')"),
    ("aims_graph/example.py", "__import__('aims_graph.api')"),
    ("aims_graph/example.py", "import uvicorn\nuvicorn.run('aims_graph.api.main:create_app', factory=True)"),
    # The allowance is for serve alone: the same name in another command of the same file is refused.
    ("aims_graph/cli/store_commands.py", "def info():\n    run('aims_graph.api.main:create_app')\n"),
    ("aims_graph/cli/store_commands.py", "run('aims_graph.api.main:create_app')\n"),
])
def test_every_spelling_of_an_import_of_the_service_is_found(relative: str, source: str) -> None:
    found = service_references(source, relative)
    assert len(found) == 1, found
    assert (found[0].path, found[0].scope) not in ALLOWED


@pytest.mark.parametrize(("relative", "source"), [
    ("aims_graph/example.py",
     "import fastapi\nfrom aims_graph.reports import soa\nfrom aims_graph.store import open_store"),
    ("aims_graph/example.py", "from . import apis, api_helpers"),  # only the package 'api' itself is the service
    ("aims_graph/store/example.py", "from .api import query"),  # aims_graph.store.api, not the service
    ("aims_graph/example.py", '"""See aims_graph.api.main for the service."""'),  # prose, not a module name
    ("aims_graph/example.py", "VIEW = 'https://w3id.org/aims-graph/api#'"),
])
def test_what_is_not_the_service_is_not_reported(relative: str, source: str) -> None:
    assert service_references(source, relative) == []
