"""Admission control: anonymous work is bounded, so monitors and token holders never wait.

Without it, 45 anonymous clients sending queries that run to their timeout took every
worker thread: ``/health`` took 21 s and answered 503, and editors' writes failed.  This
ASGI middleware lets at most ``per_client`` anonymous requests of one client address,
and ``overall`` anonymous requests in all, run at once.  A request beyond waits (without
a thread) up to ``wait_s`` seconds for a slot, then is answered 429 (its address has
too many running) or 503 (the anonymous share is full), JSON with ``Retry-After``.  The
waiting rooms are bounded too, so a flood cannot queue without limit.

Not counted: ``/health`` (monitors must always reach it), and requests that carry a
valid token (readers, editors, admins): they never wait behind anonymous work.  A token
that is presented but unknown counts as anonymous (the endpoint then answers 401).
With ``overall`` below the size of the shared worker pool (40 threads), some threads
always remain for token holders.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Receive, Scope, Send

from aims_graph.serving.tokens import TokenFile

UNCOUNTED_PATHS = frozenset({"/health"})
_QUEUE_FACTOR = 4
"""How many requests may wait for each running one, per client and in all."""


@dataclass
class _Room:
    """Slots and a bounded waiting room, for one client address or for everyone."""

    slots: int
    running: int = 0
    waiting: int = 0
    freed: asyncio.Condition = field(default_factory=asyncio.Condition)

    async def enter(self, deadline: float) -> bool:
        """Take a slot before ``deadline`` (event-loop time); False if the room is full."""
        async with self.freed:
            if self.running >= self.slots and self.waiting >= self.slots * _QUEUE_FACTOR:
                return False
            self.waiting += 1
            try:
                while self.running >= self.slots:
                    remaining = deadline - asyncio.get_running_loop().time()
                    if remaining <= 0:
                        return False
                    try:
                        await asyncio.wait_for(self.freed.wait(), remaining)
                    except TimeoutError:
                        return False
                self.running += 1
                return True
            finally:
                self.waiting -= 1

    async def leave(self) -> None:
        async with self.freed:
            self.running -= 1
            self.freed.notify()

    @property
    def idle(self) -> bool:
        return self.running == 0 and self.waiting == 0


class AnonymousAdmission:
    """ASGI middleware: the limits above, for every HTTP request without a valid token."""

    def __init__(self, app: ASGIApp, tokens: TokenFile, per_client: int, overall: int, wait_s: float) -> None:
        self.app = app
        self.tokens = tokens
        self.per_client = per_client
        self.wait_s = wait_s
        self.everyone = _Room(overall)
        self.clients: dict[str, _Room] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNCOUNTED_PATHS or self._token_holder(scope):
            await self.app(scope, receive, send)
            return
        address = scope["client"][0] if scope.get("client") else "unknown"
        client = self.clients.setdefault(address, _Room(self.per_client))
        deadline = asyncio.get_running_loop().time() + self.wait_s
        try:
            if not await client.enter(deadline):
                await _refuse(send, 429, "too many requests",
                              f"this address already has {self.per_client} requests without a token running "
                              "(AIMS_GRAPH_ANON_PER_CLIENT); wait for them, or send a token")
                return
            try:
                if not await self.everyone.enter(deadline):
                    await _refuse(send, 503, "busy",
                                  f"{self.everyone.slots} requests without a token are running, the most "
                                  "the service admits at once (AIMS_GRAPH_ANON_CONCURRENCY); retry shortly, "
                                  "or send a token")
                    return
                try:
                    await self.app(scope, receive, send)
                finally:
                    await self.everyone.leave()
            finally:
                await client.leave()
        finally:
            if client.idle and self.clients.get(address) is client:
                del self.clients[address]

    def _token_holder(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, secret = value.decode("latin-1").partition(" ")
                return scheme.lower() == "bearer" and self.tokens.role_of(secret.strip()) is not None
        return False


async def _refuse(send: Send, status: int, error: str, detail: str) -> None:
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"retry-after", b"1"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
