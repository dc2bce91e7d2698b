"""Where the project's data files live.

The ontology, shapes and crosswalks are data that the package reads at run time; they
sit at the top of the repository (next to ``aims_graph/``) so that ontology tools and
reviewers find them without knowing Python.  The package is installed in editable mode
by ``make run`` / ``make test``, so these paths resolve to the checkout.
"""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
REFERENCE_DIR = ONTOLOGY_DIR / "reference"
CROSSWALK_DIR = ONTOLOGY_DIR / "crosswalks"
SHAPES_DIR = PROJECT_ROOT / "shapes"
EXAMPLES_DIR = PROJECT_ROOT / "examples"
QUERIES_DIR = Path(__file__).resolve().parent / "queries"
