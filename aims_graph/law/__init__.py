"""The EU AI Act as law that changes over time: which version is in force on a date and
when each provision applies in it (``aims_graph.law.as_of``)."""

from aims_graph.law.as_of import (
    ENTRY_INTO_FORCE,
    ActVersion,
    Application,
    Law,
    as_of_date,
    law_of,
)

__all__ = ["ENTRY_INTO_FORCE", "ActVersion", "Application", "Law", "as_of_date", "law_of"]
