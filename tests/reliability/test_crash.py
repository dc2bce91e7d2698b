"""SIGKILL in the middle of a write load: acknowledged writes survive, no write is half there.

Writers send small Graph Store writes and large imports (each to a graph of its own) to a
service on a persistent store.  Once enough writes are acknowledged, the service and
every process it started (the Oxigraph sidecar included) get SIGKILL at the same
moment, while writes are still in flight.  The service is restarted on the same
directory and must show every acknowledged write with exactly its triples, and every
other attempted write either complete or absent: a graph holding part of a write would
be a torn transaction.  The full mode repeats kill and restart several times.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from tests.reliability.results import record
from tests.reliability.server import ApiServer
from tests.reliability.workload import KEEPALIVE_S, Ledger, Write, lost_or_altered, make_write, send, stored_graphs

_KINDS = ["put", "import", "post", "import"]
_SMALL, _LARGE = 12, 3000  # triples: a large import is still being written when the kill lands


def _process_names(pids: list[int]) -> list[str]:
    names = []
    for pid in pids:
        try:
            names.append(Path(f"/proc/{pid}/comm").read_text().strip())
        except OSError:
            names.append(f"pid {pid} (gone)")
    return names


def _writer(server: ApiServer, client: int, first: int, ledger: Ledger, attempted: dict[str, Write],
            lock: threading.Lock, stop: threading.Event) -> None:
    with httpx.Client(base_url=server.url, timeout=60, limits=httpx.Limits(keepalive_expiry=KEEPALIVE_S)) as http:
        number = first
        while not stop.is_set():
            kind = _KINDS[(client + number) % len(_KINDS)]
            write = make_write(client, number, kind, _LARGE if kind == "import" else _SMALL)
            with lock:
                attempted[write.graph] = write
            try:
                response = send(http, write, server.auth)
            except httpx.HTTPError:
                with lock:
                    ledger.unanswered.append(write)
                return  # the service is gone
            with lock:
                if response.is_success:
                    ledger.acknowledged.append(write)
                else:
                    ledger.refused.append((write, response.status_code, response.text[:200]))
            number += 1


def _load_then_kill(server: ApiServer, writers: int, round_number: int, acks_wanted: int,
                    attempted: dict[str, Write]) -> tuple[Ledger, list[str]]:
    ledger, lock, stop = Ledger(), threading.Lock(), threading.Event()
    threads = [
        threading.Thread(target=_writer, args=(server, client, round_number * 100_000, ledger,
                                               attempted, lock, stop))
        for client in range(writers)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 120
    while len(ledger.acknowledged) < acks_wanted and time.monotonic() < deadline and not ledger.refused:
        time.sleep(0.01)
    victims = _process_names(server.processes())
    server.kill_hard()
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    return ledger, victims


def test_sigkill_mid_write_keeps_acknowledged_writes_and_tears_none(start_server, budget) -> None:
    server = start_server()
    store, token = server.store, server.token
    attempted: dict[str, Write] = {}
    acknowledged: list[Write] = []
    refused: list[str] = []
    in_flight = 0
    killed: list[list[str]] = []
    lost: list[str] = []
    torn: list[str] = []
    for round_number in range(budget.crash_rounds):
        ledger, victims = _load_then_kill(server, budget.crash_writers, round_number,
                                          budget.crash_writes_before_kill, attempted)
        killed.append(victims)
        refused += [f"{w.graph}: {status} {text}" for w, status, text in ledger.refused]
        acknowledged += ledger.acknowledged
        in_flight += len(ledger.unanswered)
        server = start_server(store=store, token=token)
        stored = stored_graphs(server.url)
        lost += [f"round {round_number}: {problem}" for problem in lost_or_altered(acknowledged, stored)]
        torn += [f"round {round_number}: {graph}: {len(triples)} triples, "
                 f"{len(attempted[graph].expected) if graph in attempted else 'no'} sent"
                 for graph, triples in stored.items()
                 if graph not in attempted or triples != attempted[graph].expected]
        if lost or torn or refused:
            break

    acknowledged_graphs = {write.graph for write in acknowledged}
    record(budget.mode, "crash", {
        "rounds": len(killed),
        "writers": budget.crash_writers,
        "processes_killed_per_round": killed,
        "acknowledged_writes_checked": len(acknowledged),
        "writes_in_flight_at_kill": in_flight,
        "in_flight_writes_found_complete": sum(1 for graph in stored if graph not in acknowledged_graphs),
        "lost_acknowledged_writes": len(lost),
        "torn_writes": len(torn),
        "refused_writes": len(refused),
    })
    assert not refused, f"valid writes were refused: {refused[:5]}"
    assert not lost, f"acknowledged writes lost after SIGKILL: {lost[:10]}"
    assert not torn, f"half-written or unknown graphs after SIGKILL: {torn[:10]}"
    assert all(len(names) >= 2 for names in killed), (
        f"expected the service and its Oxigraph sidecar to be killed each round, killed: {killed}")
    assert in_flight > 0, "no write was in flight at the kill: the test proved nothing about torn writes"
