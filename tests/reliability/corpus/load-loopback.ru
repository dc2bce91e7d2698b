LOAD <{LISTENER}/data.ttl> INTO GRAPH <https://test.aims-graph.example/graph/loaded>
