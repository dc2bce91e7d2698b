"""Reference knowledge as named graphs: the modules (ontology, reference schemes,
crosswalks, shapes) loaded when a store opens (``modules``), which graphs are reference
graphs and which an organisation's (``graph_kinds``), the reference tables compiled to
SKOS (``reference``, ``make reference``), concept look-ups (``concepts``) and the OWL
reasoner over the ontology and data (``reasoning``, the ``reasoning`` extra).

Nothing is imported here: the command line's start-up must not load the modules'
machinery (tests/cli/test_startup.py).
"""
