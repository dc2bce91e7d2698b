"""The parent's side of a measurement: start a child, wait with a time limit, read it."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from aims_graph.devtools.benchmarks.report import Measurement


def run_child(contender: str, task: str, args: dict[str, object], *, timeout_s: float,
              workdir: Path) -> Measurement:
    """Run ``task`` in a fresh interpreter; a crash or a timeout becomes the measurement's error.

    The task returns ``{"samples": [...], ...}``: the samples become the measurement's
    timings, everything else its ``info``.
    """
    with tempfile.NamedTemporaryFile(dir=workdir, suffix=".json", delete=False) as handle:
        result_file = Path(handle.name)
    command = [sys.executable, "-m", "aims_graph.devtools.benchmarks.child", task, json.dumps(args), str(result_file)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s)
    except subprocess.TimeoutExpired:
        result_file.unlink(missing_ok=True)
        return Measurement(contender, error=f"did not finish within {timeout_s:.0f} s", timed_out=True,
                           lower_bound_s=timeout_s)
    try:
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
            return Measurement(contender, error=f"exit status {done.returncode}: {' | '.join(tail)}")
        payload = json.loads(result_file.read_text(encoding="utf-8"))
    finally:
        result_file.unlink(missing_ok=True)
    value = dict(payload["value"])
    samples = [float(s) for s in value.pop("samples", [])]
    return Measurement(
        contender,
        samples_s=samples,
        peak_rss_kb=payload["peak_rss_kb"],
        baseline_rss_kb=payload["baseline_rss_kb"],
        info=value,
    )
