"""aims-graph: a knowledge graph of AI governance (ISO/IEC 42001, 23894, 22989, EU AI Act, NIST AI RMF)."""

__version__ = "0.1.0"
