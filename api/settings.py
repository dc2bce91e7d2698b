"""Service settings, read once from the environment so that tests can build their own."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from aims_graph.store import STORE_ENV, store_spec


@dataclass(frozen=True)
class Settings:
    store: str = field(default_factory=store_spec)
    query_timeout_s: float = 10.0
    max_body_bytes: int = 50 * 1024 * 1024
    max_result_rows: int = 100_000
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            store=store_spec(env.get(STORE_ENV)),
            query_timeout_s=float(env.get("AIMS_GRAPH_QUERY_TIMEOUT", "10")),
            max_body_bytes=int(env.get("AIMS_GRAPH_MAX_BODY_BYTES", str(50 * 1024 * 1024))),
            max_result_rows=int(env.get("AIMS_GRAPH_MAX_ROWS", "100000")),
            cors_origins=tuple(o for o in env.get("AIMS_GRAPH_CORS_ORIGINS", "").split(",") if o),
        )
