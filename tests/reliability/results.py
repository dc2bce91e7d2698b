"""Figures the reliability tests measured, printed and kept where docs/reliability.md points.

Each test records its section of ``tests/reliability/results/<mode>.json`` (``bounded``
for ``make test``, ``full`` for ``make reliability``); the other sections are kept, so
one file always holds the latest figures of every test of that mode.
"""

from __future__ import annotations

import json
import math
import os
import platform
import time
from pathlib import Path

RESULTS_DIR = Path(os.environ.get("AIMS_GRAPH_RELIABILITY_RESULTS", Path(__file__).parent / "results"))


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with ``fraction`` of samples at or below it."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latency_summary(samples_s: list[float]) -> dict[str, float | int]:
    """Count, p50, p99 and max in milliseconds, rounded for reading."""
    return {
        "count": len(samples_s),
        "p50_ms": round(percentile(samples_s, 0.50) * 1000, 1),
        "p99_ms": round(percentile(samples_s, 0.99) * 1000, 1),
        "max_ms": round(max(samples_s, default=math.nan) * 1000, 1),
    }


def record(mode: str, section: str, figures: dict[str, object]) -> Path:
    """Merge ``figures`` under ``section`` into the mode's results file and print them."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{mode}.json"
    try:
        document = json.loads(path.read_text())
    except (OSError, ValueError):
        document = {}
    document[section] = {
        **figures,
        "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
                   f"Python {platform.python_version()}",
    }
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    print(f"\n[{mode}] {section}: {json.dumps(figures, sort_keys=True)}")
    return path
