"""The service's plumbing, kept in the library so the command line shares it: the managed
Oxigraph server that makes query timeouts real (``sidecar``), API tokens stored hashed
(``tokens``: created by the CLI, checked by the service) and free loopback ports
(``ports``).  Nothing here imports ``aims_graph.api``.
"""
