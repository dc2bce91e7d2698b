"""Exports for the tools an organisation's other software is built on, one module per format family."""
