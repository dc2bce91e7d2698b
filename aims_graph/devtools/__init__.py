"""Developer tools: deterministic synthetic organisations for tests and benchmarks
(``generator``, ``aims-graph generate``), the side-by-side benchmarks (``benchmarks``,
``aims-graph bench``) and the ontology's HTML pages (``ontology_docs``, ``make docs``).
"""
