"""An Oxigraph server process that answers the SPARQL queries of an embedded store.

pyoxigraph's ``Store.query`` cannot be interrupted from Python: a runaway query keeps a
thread and a core busy until it finishes.  The HTTP service therefore does not query
the embedded store in its own process.  It starts ``oxigraph serve`` (the binary of the
``oxigraph`` package) on the same directory (or a private temporary directory for a
``memory`` store), on a free loopback port, with ``--timeout-s`` so that Oxigraph
cancels queries itself, and talks to it as a remote store.

Oxigraph checks its cancellation flag between solutions of some operators only, so a
query can outlive its deadline (a three-way cross product with a filter does).  For
that case ``restart`` kills the process and starts it again on the same port and
data: the only way to free the CPU of a query that will not stop.  Because a killed
process would lose an in-memory dataset, a ``memory`` store lives in a temporary
directory instead; RocksDB keeps every acknowledged write across the kill.

The process dies with its parent (``PR_SET_PDEATHSIG`` on Linux), so a crashed service
leaves no orphan holding the store's lock.  Linux sends that signal when the *thread*
that forked the child ends, so every launch runs on one launcher thread that lives as
long as the sidecar, never on a short-lived request or worker thread.
"""

from __future__ import annotations

import ctypes
import logging
import math
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from aims_graph.serving.ports import free_port, stop_process
from aims_graph.store import StoreError

log = logging.getLogger("aims_graph.serving.sidecar")

_PR_SET_PDEATHSIG = 1
_START_SECONDS = 30.0
WRITE_DRAIN_S = 10.0
"""How long a restart waits for the writes in flight before it kills the engine."""


def oxigraph_executable() -> str:
    """The ``oxigraph`` server binary: next to this Python first, then on ``PATH``."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise StoreError(
            "the oxigraph server binary is missing: install the 'oxigraph' package "
            "(pip install oxigraph), which the HTTP service needs for query timeouts"
        )
    return found


def _die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to kill it when the parent goes away."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _resident_kb(pid: int | None) -> int:
    """A process's resident memory in kB (0 when it is gone or /proc has no answer)."""
    if pid is None:
        return 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class Sidecar:
    """One ``oxigraph serve`` process on ``location`` (None: a private temporary directory).

    ``timeout_s`` is rounded up to whole seconds, the unit Oxigraph accepts.
    """

    def __init__(self, location: Path | None, timeout_s: float, memory_growth_mb: int | None = None) -> None:
        self._scratch = None if location is not None else Path(tempfile.mkdtemp(prefix="aims-graph-"))
        self.location = location if location is not None else self._scratch
        self.timeout_s = max(1, math.ceil(timeout_s))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._launcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sidecar-launcher")
        self.restarts = 0
        self.memory_growth_mb = memory_growth_mb
        self._watching = threading.Event()
        self.memory_restarts = 0
        self._writes = 0
        self._writes_lock = threading.Condition()
        self._rebase = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> "Sidecar":
        with self._lock:
            self._launch()
        if self.memory_growth_mb is not None:
            self._watching.set()
            threading.Thread(target=self._watch_memory, name="sidecar-memory", daemon=True).start()
        return self

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold while a write runs in the engine.  A write is bounded by the service's
        per-write quad limit and its memory is the data's (Oxigraph keeps a transaction in
        memory: about 4.5 kB per quad replaced), so the memory watch neither kills the
        engine during a write nor counts what the write leaves behind as growth."""
        with self._writes_lock:
            self._writes += 1
        try:
            yield
        finally:
            with self._writes_lock:
                self._writes -= 1
                self._rebase = self._rebase or self._writes == 0
                self._writes_lock.notify_all()

    def _watch_memory(self) -> None:
        """Restart the process when a query grows it more than ``memory_growth_mb`` over
        its size after start or after the last write: a query that sorts or groups a huge
        intermediate result (a cross product under ORDER BY grew it by 1 GB in 5 s) would
        otherwise take the machine's memory before its timeout.  Sampled every 20 ms
        (``/proc``, Linux); paused while a write runs (see ``writing``)."""
        assert self.memory_growth_mb is not None
        watched, limit_kb = None, 0
        while self._watching.is_set():
            pid = self.pid
            resident = _resident_kb(pid)
            with self._writes_lock:
                writing, rebase, self._rebase = self._writes > 0, self._rebase, False
            if pid != watched or rebase:  # started, restarted or written: its own baseline
                watched, limit_kb = pid, resident + self.memory_growth_mb * 1024
            elif resident > limit_kb and pid is not None and not writing:
                log.warning("restarting the oxigraph sidecar (pid %s): it grew to %d MB, more than %d MB "
                            "over its size at start (AIMS_GRAPH_ENGINE_MEMORY_GROWTH_MB)",
                            pid, resident // 1024, self.memory_growth_mb)
                self.restart_in_background(pid)
                self.memory_restarts += 1
            time.sleep(0.02)

    def _launch(self) -> None:
        self._launcher.submit(self._launch_here).result()

    def _launch_here(self) -> None:
        command = [
            oxigraph_executable(), "serve", "--location", str(self.location),
            "--bind", f"127.0.0.1:{self.port}", "--union-default-graph",
            "--timeout-s", str(self.timeout_s),
        ]
        # start_new_session: a Ctrl-C on the terminal reaches the service, which then
        # stops the sidecar in order, instead of killing both at once.
        # Its log goes to an unnamed file, never a pipe: nobody drains a pipe, and a
        # full pipe would block the server at its next error message.
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
            preexec_fn=_die_with_parent, start_new_session=True,
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + _START_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._log.seek(0)
                reason = self._log.read().decode(errors="replace")
                raise StoreError(
                    f"the oxigraph server for {self.location} exited at start "
                    f"(status {self._process.returncode}): {reason.strip()[:500]}"
                )
            try:
                httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        self._kill()
        raise StoreError(f"the oxigraph server for {self.location} did not answer within {_START_SECONDS:.0f} s")

    @property
    def restarting(self) -> bool:
        """Whether a (re)start is under way right now; never blocks."""
        return self._lock.locked()

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def restart(self, seen_pid: int | None = None) -> None:
        """Kill the process and start it again on the same port and data.

        ``seen_pid`` is the process the caller found stuck: when several requests
        time out together, only the first one restarts it.
        """
        with self._lock:
            if seen_pid is not None and seen_pid != self.pid:
                return  # someone else restarted it already
            log.warning("restarting the oxigraph sidecar (pid %s): a query outran its timeout", self.pid)
            self._kill()
            self._launch()
            self.restarts += 1

    def restart_in_background(self, seen_pid: int | None) -> None:
        """Restart the stuck process as soon as the writes in flight have landed (they are
        bounded: ``WRITE_DRAIN_S`` at most); returns at once.

        Killing at once freed the CPU sooner but failed every write in flight with 503; and
        a kill outside ``restart``'s lock left a moment in which the engine was gone but
        ``restarting`` was false, so ``/health`` answered 503 instead of "restarting"."""
        def drain_then_restart() -> None:
            # Held through the restart: a write that starts now waits for the new engine
            # instead of landing on the one about to be killed.
            with self._writes_lock:
                self._writes_lock.wait_for(lambda: self._writes == 0, timeout=WRITE_DRAIN_S)
                self.restart(seen_pid)

        threading.Thread(target=drain_then_restart, name="sidecar-restart", daemon=True).start()

    def wait_running(self) -> None:
        """Block while a restart is under way; start the process if it died on its own."""
        with self._lock:
            if not self.alive():
                self._kill()
                self._launch()
                self.restarts += 1

    def _kill(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._log.close()

    def stop(self) -> None:
        """Stop the process gently (flushes RocksDB), then remove a temporary directory."""
        self._watching.clear()
        with self._lock:
            process = self._process
            if process is not None:
                stop_process(process, grace_s=10)
                self._log.close()
            self._process = None
            self._launcher.shutdown()
            if self._scratch is not None:
                shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> "Sidecar":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

