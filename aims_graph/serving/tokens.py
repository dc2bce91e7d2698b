"""Access tokens for the HTTP service: created by the CLI, checked by the API.

A token is a random secret shown once, when it is created.  The file keeps only its
SHA-256 digest with its role, so a leaked file grants nothing.  Secrets carry 256
random bits, which is why a fast digest is enough here (a slow password hash guards
guessable secrets; these are not guessable).  Presented tokens are compared digest to
digest with ``hmac.compare_digest`` against every entry, so the time taken does not
depend on how much of a digest matched.

The file sits beside a directory store (``./aims-data`` -> ``./aims-data.tokens.json``);
``$AIMS_GRAPH_TOKENS_FILE`` names it explicitly, and must for ``memory`` and remote
stores, which have no directory to sit beside.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from aims_graph.errors import InputError, NotFoundError
from aims_graph.store import is_remote_spec

TOKENS_ENV = "AIMS_GRAPH_TOKENS_FILE"
_PREFIX = "aims_"


class Role(enum.IntEnum):
    """What a token may do; each role may do everything the roles below it may."""

    READER = 1
    EDITOR = 2
    ADMIN = 3

    @classmethod
    def named(cls, name: str) -> "Role":
        try:
            return cls[name.strip().upper()]
        except KeyError:
            raise InputError(f"unknown role {name!r}: use reader, editor or admin") from None

    @property
    def label(self) -> str:
        return self.name.lower()


def tokens_path(store_spec: str, env: dict[str, str] | None = None) -> Path | None:
    """Where the tokens of a store live; None when neither the store nor the environment says."""
    env = os.environ if env is None else env
    if env.get(TOKENS_ENV):
        return Path(env[TOKENS_ENV])
    if store_spec == "memory" or is_remote_spec(store_spec):
        return None
    return Path(store_spec.rstrip("/\\") + ".tokens.json")


@dataclass(frozen=True)
class TokenEntry:
    id: str
    role: str
    sha256: str
    label: str
    created: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenFile:
    """The token file of one store; re-read whenever it changes on disk.

    Re-reading lets ``aims-graph token create`` and ``token revoke`` take effect on a
    running server without a restart.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._entries: list[TokenEntry] = []

    def entries(self) -> list[TokenEntry]:
        if self.path is None:
            return []
        with self._lock:
            try:
                stat = self.path.stat()
            except FileNotFoundError:
                self._stamp, self._entries = None, []
                return []
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp != self._stamp:
                self._entries = self._read()
                self._stamp = stamp
            return list(self._entries)

    def _read(self) -> list[TokenEntry]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [TokenEntry(**entry) for entry in data["tokens"]]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise InputError(f"{self.path}: not a readable aims-graph tokens file: {error}") from error

    def configured(self) -> bool:
        """Whether any token exists: without one the service accepts no write."""
        return bool(self.entries())

    def role_of(self, secret: str) -> Role | None:
        """The role of a presented token, or None; every entry is compared, in constant time."""
        presented = _digest(secret)
        found: Role | None = None
        for entry in self.entries():
            if hmac.compare_digest(presented, entry.sha256):
                found = Role.named(entry.role)
        return found

    def create(self, role: Role, label: str = "") -> tuple[TokenEntry, str]:
        """Add a token; returns its entry and the secret, which is never stored."""
        secret = _PREFIX + secrets.token_urlsafe(32)
        entry = TokenEntry(
            id=secrets.token_hex(4), role=role.label, sha256=_digest(secret), label=label,
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        self._write(self.entries() + [entry])
        return entry, secret

    def revoke(self, token_id: str) -> TokenEntry:
        entries = self.entries()
        kept = [e for e in entries if e.id != token_id]
        if len(kept) == len(entries):
            raise NotFoundError(f"no token with id {token_id!r} in {self.path}")
        self._write(kept)
        return next(e for e in entries if e.id == token_id)

    def _write(self, entries: list[TokenEntry]) -> None:
        """Write a new file beside the old one and rename it: readers never see half a file."""
        if self.path is None:
            raise InputError(f"this store has no tokens file: set {TOKENS_ENV} to choose one")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".partial")
        body = json.dumps({"tokens": [asdict(e) for e in entries]}, indent=2) + "\n"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(partial, self.path)
