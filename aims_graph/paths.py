"""Where the project's data files live, in a checkout and in an installed package.

The ontology, shapes, crosswalks and the example organisation are data that the package
reads at run time.  In the repository they sit at the top (next to ``aims_graph/``) so
that ontology tools and reviewers find them without knowing Python; a built wheel carries
copies under ``aims_graph/data/`` (see ``setup.py``).  A checkout wins when both exist, so
an editable install always reads the files being edited.

An installation without its data would open an empty store without a word, which is
worse than failing: ``require`` turns a missing file into an error that says so.
"""

from pathlib import Path

from aims_graph.errors import AimsGraphError

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
"""The repository checkout (only meaningful for developer tools that write docs)."""


def _data_root() -> Path:
    if (PROJECT_ROOT / "ontology" / "aims.ttl").is_file():
        return PROJECT_ROOT
    return PACKAGE_DIR / "data"


DATA_ROOT = _data_root()
ONTOLOGY_DIR = DATA_ROOT / "ontology"
REFERENCE_DIR = ONTOLOGY_DIR / "reference"
CROSSWALK_DIR = ONTOLOGY_DIR / "crosswalks"
SHAPES_DIR = DATA_ROOT / "shapes"
EXAMPLES_DIR = DATA_ROOT / "examples"
QUERIES_DIR = PACKAGE_DIR / "queries"
CORE_ONTOLOGY = ONTOLOGY_DIR / "aims.ttl"


class MissingResource(AimsGraphError):
    """A data file the package needs is not installed."""


def require(*paths: Path) -> None:
    """Raise MissingResource naming the first of ``paths`` that does not exist."""
    for path in paths:
        if not path.exists():
            raise MissingResource(
                f"aims-graph's data file {path} is missing: the installation is incomplete "
                "(reinstall the aims-graph package, or run from a checkout of the repository)")
