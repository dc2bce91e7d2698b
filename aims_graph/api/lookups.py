"""Answers to the look-ups that prepare a request, kept until the next write.

A named query given ``concept=Article 9`` first asks the engine which concept that
notation names; on a loaded machine that round trip is a third of the request's cost.
The answer can only change when the store is written, and on a store the service
manages itself (its Oxigraph sidecar holds the store's lock) every write comes through
the service: ``WritesForget`` starts a new *generation* before and after every request
that may write, and an answer is kept only if no such request began or ended while it
was being looked up.  A remote store can be written by its other clients, so there the
service keeps nothing (``app.state.lookups`` is None).
"""

from __future__ import annotations

import threading

from starlette.types import ASGIApp, Receive, Scope, Send

MAX_ANSWERS = 4096
_READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class LookupCache:
    """Raw answers by query text, for the current generation of the store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[str, bytes] = {}
        self.generation = 0

    def get(self, text: str) -> bytes | None:
        return self._answers.get(text)

    def put(self, text: str, answer: bytes, generation: int) -> None:
        """Keep ``answer``, looked up while ``generation`` was current, if it still is."""
        with self._lock:
            if generation == self.generation and len(self._answers) < MAX_ANSWERS:
                self._answers[text] = answer

    def forget(self) -> None:
        with self._lock:
            self.generation += 1
            self._answers.clear()


class WritesForget:
    """ASGI middleware: every request that may write forgets the cached look-ups, both
    when it starts and once it has been answered."""

    def __init__(self, app: ASGIApp, cache: LookupCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _READ_METHODS:
            await self.app(scope, receive, send)
            return
        self.cache.forget()
        try:
            await self.app(scope, receive, send)
        finally:
            self.cache.forget()
