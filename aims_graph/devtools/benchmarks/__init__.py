"""Side-by-side benchmarks: aims-graph against the libraries it is built on.

One run generates one synthetic organisation (``aims_graph.devtools.generator``) and measures,
on exactly that data, the importer against pyoxigraph's bulk loader and rdflib, every
named query through the HTTP API, the library, raw pyoxigraph and rdflib, and the
compiled SHACL engine against pySHACL; and, on the example organisation, whole commands
that draw pictures against their text form.  Each contender runs in a fresh Python process
so that its peak memory (the kernel's high-water mark, which sees Rust allocations
that tracemalloc cannot) belongs to it alone.  ``aims-graph bench`` is the front door;
docs/performance.md explains the method and keeps the latest figures.
"""

from aims_graph.devtools.benchmarks.harness import BenchConfig, run_benchmarks
from aims_graph.devtools.benchmarks.report import BenchResult, Case, Measurement, Section, Target

__all__ = ["BenchConfig", "BenchResult", "Case", "Measurement", "Section", "Target", "run_benchmarks"]
