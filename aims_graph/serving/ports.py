"""A free loopback port and a wait for a server to answer on it (benchmarks and tests
start real servers; the sidecar has its own wait on its own process)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 30, log: Path | None = None) -> None:
    """Poll ``url`` until it answers; a server that exits first is an error quoting its log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace").strip()[-500:] if log and log.exists() else ""
            raise RuntimeError(f"the server for {url} exited with status {process.returncode}: {tail}")
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {url} did not answer within {seconds:.0f} s")
