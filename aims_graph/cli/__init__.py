"""The ``aims-graph`` command line.

Each group of commands lives in its own module and registers itself on ``app``; this
module only builds the application and the error handling they share.
"""

from aims_graph.cli.app import app, main
from aims_graph.cli import crosswalk_commands, store_commands  # noqa: F401  (register commands)
from aims_graph.cli import spreadsheet_commands  # noqa: F401  (registers commands)
from aims_graph.cli import query_commands  # noqa: F401  (registers commands)
from aims_graph.cli import conformance_commands  # noqa: F401  (registers commands)
from aims_graph.cli import token_commands  # noqa: F401  (registers commands)
from aims_graph.cli import reason_commands  # noqa: F401  (registers commands)
from aims_graph.cli import bench_commands  # noqa: F401  (registers commands)
from aims_graph.cli import document_commands  # noqa: F401  (registers commands)

__all__ = ["app", "main"]
