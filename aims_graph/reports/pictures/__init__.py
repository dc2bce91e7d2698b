"""Pictures for people: the traceability graph of one AI system and the conformance chart.

(The crosswalk coverage heatmap lives with the crosswalks, in ``aims_graph.crosswalk.plot``.)
"""

from aims_graph.reports.pictures.conformance import conformance_chart, read_rows, rows_from_results, rows_from_summary
from aims_graph.reports.pictures.graphviz import graphviz_binary
from aims_graph.reports.pictures.system_rows import organisation_nodes, system_rows
from aims_graph.reports.pictures.trace import trace_picture

__all__ = ["conformance_chart", "graphviz_binary", "read_rows", "rows_from_results",
           "rows_from_summary",
           "organisation_nodes", "system_rows", "trace_picture"]
