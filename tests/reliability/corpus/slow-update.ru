# An update whose WHERE clause counts a three-way cross product of the store: it cannot
# finish within the update timeout, so it must be stopped and leave nothing behind.
INSERT { GRAPH <https://test.aims-graph.example/graph/slow-update> { <https://example.org/count> <https://example.org/value> ?n } }
WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } }
