"""Property-based fuzzing of every operation in the service's own OpenAPI document.

Schemathesis (its ``st run`` command, against the live service with an editor token)
generates requests from ``/openapi.json`` (documented examples, boundary values, then
random data) and checks every answer: no 5xx, a documented status code, a documented
content type and headers, and a body that matches the documented schema.  The bounded
run takes ``budget.fuzz_examples`` cases per operation with a fixed seed, so a failure
can be replayed; the full run takes more cases and a new seed each time (the seed is in
the results file).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
import time
from pathlib import Path

from tests.reliability.results import record

ST = str(Path(sys.executable).parent / "st")
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
])
BOUNDED_SEED = 20261129


def _summary(report: dict) -> list[str]:
    lines = [f"{failure['code']} {failure['title']} ({failure['count']}x): {', '.join(failure['operations'])}"
             for failure in report.get("failures", [])]
    lines += [f"error: {json.dumps(error)[:300]}" for error in report.get("errors", [])]
    return lines


def _command(url: str, token: str, examples: int, seed: int, report: str) -> list[str]:
    return [
        ST, "run", url + "/openapi.json", "--header", f"Authorization: Bearer {token}",
        "--checks", CHECKS, "--max-examples", str(examples), "--seed", str(seed),
        "--workers", "2", "--request-timeout", "30", "--generation-database", "none",
        "--no-color", "--report", "json", "--report-json-path", report,
    ]


def test_openapi_fuzzing_finds_no_server_error_and_no_schema_mismatch(start_server, budget, tmp_path) -> None:
    server = start_server()
    seed = BOUNDED_SEED if budget.mode == "bounded" else int(time.time())
    report_path = tmp_path / "schemathesis.json"
    command = _command(server.url, server.token, budget.fuzz_examples, seed, str(report_path))
    done = subprocess.run(command, capture_output=True, text=True, timeout=budget.fuzz_seconds + 300)
    assert report_path.exists(), f"schemathesis wrote no report (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
    report = json.loads(report_path.read_text())
    problems = _summary(report)
    record(budget.mode, "fuzz", {
        "seed": seed,
        "max_examples_per_operation": budget.fuzz_examples,
        "operations_tested": report["operations"]["tested"],
        "test_cases": report["test_cases"]["generated"],
        "seconds": round(report["running_time"], 1),
        "problems": problems,
        "command": shlex.join([".venv/bin/st", *_command("http://127.0.0.1:$PORT", "$TOKEN", budget.fuzz_examples, seed,
                                       "schemathesis.json")[1:]]),
    })

    assert server.alive(), f"the service died while being fuzzed:\n{server.log_errors()}"
    assert report["operations"]["tested"] == report["operations"]["total"] > 0, report["operations"]
    assert not problems, ("schemathesis found problems (replay with the command in the results file):\n"
                          + "\n".join(problems) + "\n\n" + done.stdout[-6000:])
