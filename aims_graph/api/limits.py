"""Size limits: request bodies (413 before they are read) and answer rows.

Answers above the row limit are refused, not cut: a silently shortened answer reads
as a complete one (a missing obligation looks like no obligation), so the client gets
413 "result too large" and adds LIMIT/OFFSET or narrows the query.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from aims_graph.api.gateway import ResultTooLarge


class BodyTooLarge(Exception):
    """The request body exceeds the configured limit."""


class BodyLimit:
    """ASGI middleware: refuse bodies above ``limit`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _refuse(send, self.limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(self.message(self.limit))
            return message

        await self.app(scope, counted, send)

    @staticmethod
    def message(limit: int) -> str:
        return f"the request body exceeds {limit} bytes (AIMS_GRAPH_MAX_BODY_BYTES)"


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"error": "request too large", "detail": BodyLimit.message(limit)}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# The fewest bytes one row (or triple) can take in any format we serve; an answer
# shorter than rows x this cannot hold too many rows, and is not parsed at all.
_MIN_ROW_BYTES = 2


def check_rows(body: bytes, result_format: ox.QueryResultsFormat | ox.RdfFormat, limit: int) -> None:
    """Refuse an answer with more than ``limit`` rows or triples (parsed only when it might),
    or with a single value longer than pyoxigraph's parsers read (16 MiB)."""
    if len(body) < limit * _MIN_ROW_BYTES:
        return
    try:
        rows = _count(body, result_format)
    except MemoryError as error:  # pyoxigraph: "Reached the buffer maximal size of ..."
        reason = str(error)
    else:
        reason = ""
    # Raised outside the handler: the MemoryError's frames (which hold pyoxigraph's
    # parsed results) must be freed here, on their own thread, not chained to this one.
    if reason:
        raise ResultTooLarge(f"a single value in the answer is longer than the service reads ({reason}): "
                             "select a shorter part of it (SUBSTR) or leave it out")
    if rows > limit:
        raise ResultTooLarge(f"the answer has {rows} rows or triples, more than the limit of {limit} "
                             "(AIMS_GRAPH_MAX_ROWS): add LIMIT/OFFSET or narrow the query")


def _count(body: bytes, result_format: ox.QueryResultsFormat | ox.RdfFormat) -> int:
    # pyoxigraph's parsed results must die on the thread that made them: they stay
    # inside this function, never in the frame of a raised exception.
    if result_format == ox.QueryResultsFormat.CSV:  # pyoxigraph writes CSV but cannot read it
        return _csv_records(body) - 1  # the first record is the header
    if isinstance(result_format, ox.QueryResultsFormat):
        parsed = ox.parse_query_results(body, format=result_format)
        return 0 if isinstance(parsed, ox.QueryBoolean) else sum(1 for _ in parsed)
    return sum(1 for _ in ox.parse(body, format=result_format))


def _csv_records(body: bytes) -> int:
    """Records in a CSV answer (RFC 4180, as the engine writes it: every record ends with
    CRLF; a field holding a quote, comma or line break is quoted, its quotes doubled).

    Line ends are counted outside quoted fields only.  A doubled quote leaves the field
    and enters it again, which keeps the count right.  Unlike ``csv.reader`` this has no
    per-field size limit (128 KiB) and builds no row, so a long value costs nothing."""
    records, position, quoted = 0, 0, False
    while True:
        quote = body.find(b'"', position)
        end = len(body) if quote < 0 else quote
        if not quoted:
            records += body.count(b"\n", position, end)
        if quote < 0:
            return records
        quoted = not quoted
        position = quote + 1
