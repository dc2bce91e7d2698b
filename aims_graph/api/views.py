"""What the views share: JSON bodies that point at the published JSON-LD context, and
checked graph IRIs.

Plain JSON becomes JSON-LD for any client that follows the ``Link`` header with
``rel="http://www.w3.org/ns/json-ld#context"`` (JSON-LD 1.1, section 6.1): the keys map
to IRIs through ``/context.jsonld``, and the JSON stays simple for everyone else.
"""

from __future__ import annotations

import pyoxigraph as ox
from fastapi.responses import JSONResponse

from aims_graph.errors import InputError

CONTEXT_PATH = "/context.jsonld"
_LINK = f'<{CONTEXT_PATH}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'


def json_view(content: object, status_code: int = 200) -> JSONResponse:
    return JSONResponse(content, status_code=status_code, headers={"Link": _LINK})


def graph_iri(value: str) -> str:
    """A graph IRI from a request, checked before it reaches a store or a query."""
    try:
        return ox.NamedNode(value).value
    except ValueError as error:
        raise InputError(f"{value!r} is not a valid graph IRI: {error}") from error
