"""Working beside a running server: who holds a directory store, and where to reach it.

A directory store is locked by the one process that has it open; while ``aims-graph
serve`` runs, that is the server's Oxigraph sidecar, and every other command on the
same directory fails with the storage engine's "While lock file ... LOCK" message.  So
``serve`` leaves a note in the store directory with the URL it listens on, and a command
that finds the store locked says who holds it and how to run against the server instead.
"""

from __future__ import annotations

import errno
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from aims_graph.store.credentials import TOKEN_ENV

NOTE = "aims-graph-serve.url"
"""File in the store directory naming the URL of the server that holds it."""


def is_directory(spec: str) -> bool:
    """Whether a store specification names a directory (not ``memory``, not a URL)."""
    return spec != "memory" and "://" not in spec


def local_url(host: str, port: int) -> str:
    """The URL a command on this machine uses for a server listening on ``host``."""
    reachable = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    return f"http://[{reachable}]:{port}" if ":" in reachable else f"http://{reachable}:{port}"


@contextmanager
def serving_note(store: Path, url: str) -> Iterator[None]:
    """Record ``url`` as the server of ``store`` for as long as the server runs."""
    note = store / NOTE
    store.mkdir(parents=True, exist_ok=True)
    note.write_text(url + "\n", encoding="utf-8")
    try:
        yield
    finally:
        note.unlink(missing_ok=True)


def is_locked(store: Path) -> bool:
    """Whether another process holds the store's lock (the same POSIX lock its engine takes)."""
    try:
        descriptor = os.open(store / "LOCK", os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        return error.errno in (errno.EAGAIN, errno.EACCES)
    else:
        fcntl.lockf(descriptor, fcntl.LOCK_UN)
        return False
    finally:
        os.close(descriptor)


def held_store_advice(spec: str) -> str | None:
    """What to say when the directory store ``spec`` cannot be opened because another
    process holds it; None when it is not held (the error is another one)."""
    store = Path(spec)
    if not is_locked(store):
        return None
    try:
        url = (store / NOTE).read_text(encoding="utf-8").strip()
    except OSError:
        url = ""
    if url:
        return (f"a server ({url}) holds the store {spec}; stop it, or run this command against it with "
                f"--store {url} (writes need a token in ${TOKEN_ENV})")
    return (f"another process holds the store {spec} (a running 'aims-graph serve'?); stop it, or run this "
            f"command against the server with --store http://HOST:PORT (writes need a token in ${TOKEN_ENV})")
