"""RDF and input utilities: the one namespace table (``namespaces``), reading every RDF
syntax atomically (``io``), the refusal of hostile input before a parser runs
(``input_guard``), terms of the product's namespaces that it does not define
(``unknown_terms``) and the quads an INSERT DATA / DELETE DATA names (``update_data``).
"""
