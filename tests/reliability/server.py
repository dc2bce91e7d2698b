"""A real aims-graph service in child processes, as an operator would run it.

The reliability tests talk to ``aims-graph --store DIR serve`` over loopback rather than
to an in-process app: only a real process tree (uvicorn plus the Oxigraph sidecar it
manages) can be overloaded, killed with SIGKILL mid-write and restarted on the same
directory.  Every server runs in a session of its own so that stopping it reaches every
process it started, and ``stop`` is safe to call twice and after a crash.
"""

from __future__ import annotations

import ctypes
import os
import re
import resource
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import httpx

from tests.command_line import CLI, cli_environment, run_cli
from tests.conftest import free_port
from tests.procfs import alive, processes

# A process that tries to swallow a decompression bomb must fail inside its own limit
# rather than push the shared test machine into swapping.  The limit is on address
# space, which a busy Oxigraph sidecar (many threads, each with its own malloc arena)
# can approach without using the memory: only the servers that receive bombs get it.
BOMB_MEMORY_LIMIT = int(os.environ.get("AIMS_GRAPH_TEST_MEMORY_LIMIT", str(6 * 1024**3)))
# Loaded here, not in the forked child, where loading a library could deadlock.
_LIBC = ctypes.CDLL(None, use_errno=True)
_PR_SET_PDEATHSIG = 1
_NOISE = re.compile(r"^\s+(\d+: |at )|^INFO: ")


def without_backtrace(text: str) -> str:
    """Output minus access-log lines and the frames of a Rust backtrace, which say little."""
    return "\n".join(line for line in text.splitlines() if not _NOISE.match(line))


def _child_setup(memory_limit: int | None) -> Callable[[], None]:
    """What each child runs before exec: the memory cap, and death with the test run."""

    def setup() -> None:
        if memory_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)

    return setup


def run_cli_under_limit(store: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run one ``aims-graph`` command on ``store``, under the bomb memory limit."""
    return run_cli("--store", str(store), *args, timeout=timeout, env={"NO_COLOR": "1", "COLUMNS": "200"},
                   preexec_fn=_child_setup(BOMB_MEMORY_LIMIT))


def create_token(store: Path, role: str = "editor") -> str:
    """A bearer token made the documented way: the CLI prints it on its last line."""
    done = run_cli_under_limit(store, "token", "create", "--role", role)
    if done.returncode != 0:
        raise RuntimeError(f"'aims-graph token create --role {role}' failed ({done.returncode}): "
                           f"{done.stderr.strip() or done.stdout.strip()}")
    return done.stdout.strip().splitlines()[-1].strip()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren...)."""
    parents: dict[int, list[int]] = {}
    for child, (_, ppid) in processes().items():
        parents.setdefault(ppid, []).append(child)
    found, frontier = [], [pid]
    while frontier:
        children = parents.get(frontier.pop(), [])
        found += children
        frontier += children
    return found


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


@dataclass
class ApiServer:
    """One running service: its URL, the editor token and the processes to account for."""

    store: Path
    log: Path
    env: dict[str, str]
    token: str
    memory_limit: int | None = None
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def start(self, seconds: float = 90) -> "ApiServer":
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*CLI, "--store", str(self.store), "serve", "--host", "127.0.0.1",
                 "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=_child_setup(self.memory_limit), env=cli_environment(self.env),
            )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited with {self.process.returncode}:\n{self.log_errors()}")
            try:
                if httpx.get(self.url + "/health", timeout=5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the service did not answer /health within {seconds} s:\n{self.log_errors()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def processes(self) -> list[int]:
        """The service and everything it started (the Oxigraph sidecar among them)."""
        if self.process is None or self.process.poll() is not None:
            return []
        return [self.process.pid, *descendants(self.process.pid)]

    def kill_hard(self) -> list[int]:
        """SIGKILL the whole tree at once, as a power cut or the OOM killer would."""
        victims = self.processes()
        for pid in victims:
            _signal(pid, signal.SIGKILL)
        self._reap(victims, seconds=15)
        return victims

    def stop(self) -> None:
        """SIGTERM, then SIGKILL whatever is left after a grace period; safe to repeat."""
        if self.process is None:
            return
        victims = self.processes()
        if self.process.poll() is None:
            _signal(-self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        for pid in victims:
            if alive(pid):
                _signal(pid, signal.SIGKILL)
        self._reap(victims, seconds=15)
        self.process = None

    def _reap(self, pids: list[int], seconds: float) -> None:
        if self.process is not None:
            try:
                self.process.wait(timeout=seconds)
            except subprocess.TimeoutExpired:
                pass
        deadline = time.monotonic() + seconds
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = [pid for pid in pids if alive(pid)]
        if left:
            raise RuntimeError(f"processes {left} of the service survived SIGKILL")

    def log_errors(self, lines: int = 12) -> str:
        """The log's last lines, without access lines and the frames of a Rust backtrace."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(without_backtrace(text).splitlines()[-lines:])
