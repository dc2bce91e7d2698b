"""``python -m aims_graph.devtools.benchmarks.child TASK ARGS RESULT``: run one contender alone.

A fresh interpreter per contender is what makes the peak-memory figure honest: nothing
another contender allocated (or an earlier repeat left in an allocator's free lists)
is counted.  TASK is ``<module>.<function>`` inside this package, and only functions a
module lists in ``CHILD_TASKS`` may be named; ARGS is a JSON object handed to it; the
function's JSON-able return value is written to the RESULT file together with the
process's peak and baseline memory.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from aims_graph.devtools.benchmarks.probe import baseline_kb, peak_rss_kb


def _task(name: str):
    module_name, _, function = name.rpartition(".")
    module = importlib.import_module(f"aims_graph.devtools.benchmarks.{module_name}")
    if function not in getattr(module, "CHILD_TASKS", ()):
        raise SystemExit(f"unknown benchmark task {name!r}")
    return getattr(module, function)


def main(argv: list[str]) -> None:
    if len(argv) != 3:
        raise SystemExit("usage: python -m aims_graph.devtools.benchmarks.child TASK ARGS_JSON RESULT_FILE")
    name, args, result_file = argv
    value = _task(name)(json.loads(args))
    Path(result_file).write_text(json.dumps({
        "value": value, "peak_rss_kb": peak_rss_kb(), "baseline_rss_kb": baseline_kb(),
    }), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
