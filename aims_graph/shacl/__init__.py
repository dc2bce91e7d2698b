"""SHACL Core validation compiled to SPARQL (see docs/shacl-engine.md).

``validate(shapes, data)`` answers each constraint of each shape with one SPARQL
query over all focus nodes; shapes the compiler cannot express are handed to pySHACL
and listed in ``ValidationReport.fallbacks``.
"""

from .engine import plan, validate
from .incremental import IncrementalValidator
from .model import ShapesError, load_shapes
from .report import Fallback, ValidationReport, ValidationResult
from .source import SparqlSource, StoreSource, as_source

__all__ = [
    "Fallback",
    "IncrementalValidator",
    "ShapesError",
    "SparqlSource",
    "StoreSource",
    "ValidationReport",
    "ValidationResult",
    "as_source",
    "load_shapes",
    "plan",
    "validate",
]
