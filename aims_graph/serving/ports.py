"""A free loopback port, a wait for a server to answer on it, and a stop that always ends
the process (benchmarks and tests start real servers; the sidecar has its own wait on its
own process)."""

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


def stop_process(process: subprocess.Popen, grace_s: float = 30) -> None:
    """Ask ``process`` to stop (SIGTERM lets a store flush), then kill it after ``grace_s``:
    a server that hangs on shutdown must not outlive the run that started it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
