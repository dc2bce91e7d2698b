"""What a benchmark child measures about itself: wall-clock samples and peak memory.

The peak is the kernel's resident-set high-water mark (``VmHWM``): it counts memory that
Rust code (pyoxigraph) allocates, which ``tracemalloc`` never sees.  A child records the
mark once its set-up is done (``mark_baseline``), so a report can tell the memory the
measured work needed from the memory of the interpreter and its data.
"""

from __future__ import annotations

import resource
import time
from typing import Callable

_baseline_kb: int | None = None


def peak_rss_kb() -> int:
    """This process's resident-set high-water mark in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    # Outside Linux: ru_maxrss is KiB on Linux and BSD, bytes on macOS (close enough
    # to flag a blow-up, and the documented figures come from Linux).
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def mark_baseline() -> None:
    global _baseline_kb
    _baseline_kb = peak_rss_kb()


def baseline_kb() -> int | None:
    return _baseline_kb


def timed(work: Callable[[], object]) -> tuple[float, object]:
    """Seconds one call of ``work`` took, and what it returned."""
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value

