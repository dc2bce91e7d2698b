INSERT DATA { GRAPH <https://test.aims-graph.example/graph/bad> { <https://example.org/a> <https://example.org/p> } }
