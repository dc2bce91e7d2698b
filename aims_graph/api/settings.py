"""Service settings, read once from the environment so that tests can build their own.

Every variable is listed in docs/api.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from aims_graph.serving.tokens import tokens_path
from aims_graph.sparql import Limits
from aims_graph.store import STORE_ENV, store_spec


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _words(value: str | None) -> tuple[str, ...]:
    return tuple(word.strip() for word in (value or "").split(",") if word.strip())


@dataclass(frozen=True)
class Settings:
    store: str = field(default_factory=store_spec)
    query_timeout_s: float = 10.0
    update_timeout_s: float = 60.0
    max_body_bytes: int = 50 * 1024 * 1024
    max_quads_per_write: int = 100_000
    max_result_rows: int = 100_000
    max_result_bytes: int = 200 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()
    tokens_file: Path | None = None
    require_read_token: bool = False
    service_allowlist: tuple[str, ...] = ()
    sparql_max_bytes: int = 1024 * 1024
    sparql_max_depth: int = 64
    anon_per_client: int = 4
    anon_concurrency: int = 8
    anon_wait_s: float = 2.0
    engine_memory_growth_mb: int = 448

    @property
    def sparql_limits(self) -> Limits:
        return Limits(self.sparql_max_bytes, self.sparql_max_depth)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> "Settings":
        env = dict(os.environ) if env is None else env
        spec = store_spec(env.get(STORE_ENV))
        return cls(
            store=spec,
            query_timeout_s=float(env.get("AIMS_GRAPH_QUERY_TIMEOUT", str(cls.query_timeout_s))),
            update_timeout_s=float(env.get("AIMS_GRAPH_UPDATE_TIMEOUT", str(cls.update_timeout_s))),
            max_body_bytes=int(env.get("AIMS_GRAPH_MAX_BODY_BYTES", str(cls.max_body_bytes))),
            max_quads_per_write=int(env.get("AIMS_GRAPH_MAX_QUADS", str(cls.max_quads_per_write))),
            max_result_rows=int(env.get("AIMS_GRAPH_MAX_ROWS", str(cls.max_result_rows))),
            max_result_bytes=int(env.get("AIMS_GRAPH_MAX_RESULT_BYTES", str(cls.max_result_bytes))),
            cors_origins=_words(env.get("AIMS_GRAPH_CORS_ORIGINS")),
            tokens_file=tokens_path(spec, env),
            require_read_token=_flag(env.get("AIMS_GRAPH_REQUIRE_READ_TOKEN")),
            service_allowlist=_words(env.get("AIMS_GRAPH_SERVICE_ALLOWLIST")),
            sparql_max_bytes=int(env.get("AIMS_GRAPH_SPARQL_MAX_BYTES", str(cls.sparql_max_bytes))),
            sparql_max_depth=int(env.get("AIMS_GRAPH_SPARQL_MAX_DEPTH", str(cls.sparql_max_depth))),
            anon_per_client=int(env.get("AIMS_GRAPH_ANON_PER_CLIENT", str(cls.anon_per_client))),
            anon_concurrency=int(env.get("AIMS_GRAPH_ANON_CONCURRENCY", str(cls.anon_concurrency))),
            anon_wait_s=float(env.get("AIMS_GRAPH_ANON_WAIT", str(cls.anon_wait_s))),
            engine_memory_growth_mb=int(env.get("AIMS_GRAPH_ENGINE_MEMORY_GROWTH_MB",
                                                str(cls.engine_memory_growth_mb))),
        )
