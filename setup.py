"""Build hook: the wheel carries the repository's data folders inside the package.

ontology/, shapes/ and examples/ stay at the top of the repository (the layout ontology
tools and reviewers expect); ``build_py`` copies them to ``aims_graph/data/`` in the build
so that an installed package finds them (``aims_graph.paths``).  Everything else about the
build is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_SUBDIRS = ("ontology", "shapes", "examples")


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "aims_graph" / "data"
        for name in DATA_SUBDIRS:
            shutil.copytree(here / name, target / name, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
