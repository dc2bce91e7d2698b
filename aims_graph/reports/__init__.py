"""What an organisation hands an auditor: the Statement of Applicability in CSV, JSON,
Markdown and HTML (``soa``), and pictures (``pictures``: the traceability graph and the
conformance chart, the ``pictures`` extra).
"""
