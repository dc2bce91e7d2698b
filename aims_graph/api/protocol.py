"""Reading a SPARQL Protocol request body: the text sent directly, or a form field.

Both ``/sparql`` (``application/sparql-query``, field ``query``) and ``/update``
(``application/sparql-update``, field ``update``) accept the two encodings the
SPARQL 1.1 Protocol defines; anything else is 415.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.datastructures import FormData

FORM = "application/x-www-form-urlencoded"


async def protocol_text(request: Request, direct: str, field: str) -> tuple[str, FormData | None]:
    """The operation text, and the form when it came in one (it may carry more fields)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == direct:
        return (await request.body()).decode("utf-8"), None
    if content_type == FORM:
        form = await request.form()
        text = form.get(field)
        if not isinstance(text, str):
            raise HTTPException(400, {"error": f"missing {field}", "detail": f"the form has no '{field}' field"})
        return text, form
    raise HTTPException(415, {"error": "unsupported media type", "detail": f"send {direct} or {FORM}"})


def body_schema(direct: str, field: str, **extra_fields: dict[str, object]) -> dict[str, object]:
    """The OpenAPI request body of such an operation."""
    properties = {field: {"type": "string"}, **extra_fields}
    return {"requestBody": {"required": True, "content": {
        direct: {"schema": {"type": "string"}},
        FORM: {"schema": {"type": "object", "required": [field], "properties": properties}},
    }}}
